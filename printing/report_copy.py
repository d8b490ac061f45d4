"""The full copy of a report, on Letter paper, for officers and for a citizen who asks for one.

Every field of the report, the items as a table with a total, the narrative, the attestation wording and the
history, with the tracking number and "Page n of m" on every page. Built with reportlab's platypus, which breaks
long tables and narratives across pages; speed matters less here than for the receipt.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from kiosk.config import Config
from kiosk.report_document import Address, HistoryEvent, Item, StoredReport
from kiosk.rules.fields import display_phone
from kiosk.vocabulary import ScreeningQuestion, Status
from printing.fonts import BOLD, REGULAR, draw_text, markup, needs_fallback, register_fonts
from printing.layout import keep_together
from printing.receipt import RenderedPdf
from printing.texts import (
    ACTION_NAMES,
    ACTOR_NAMES,
    CONTACT_PREFERENCES,
    PLACE_TYPES,
    STATUS_NAMES,
    category_name,
    disposition_name,
    field_label,
    format_amount,
    format_date,
    format_datetime,
    language_name,
    name_of,
    text,
)

MARGIN = 0.75 * inch
_FRAME_PADDING = 6  # platypus frames keep 6 pt inside the margins
CONTENT_WIDTH = LETTER[0] - 2 * MARGIN - 2 * _FRAME_PADDING
_GRID = colors.HexColor("#555555")
_SHADE = colors.HexColor("#E6E6E6")
# Every table names the document font: a table sets its cells' font (Helvetica by default) even when each cell is a
# Paragraph of its own, and that alone would put the standard, never embedded Helvetica in the PDF.
_TABLE_FONT = ("FONTNAME", (0, 0), (-1, -1), REGULAR)


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=10.5, leading=13.5)
    return {
        "body": body,
        "label": ParagraphStyle("label", parent=body, fontName=BOLD),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12),
        "cell_bold": ParagraphStyle("cell_bold", parent=body, fontName=BOLD, fontSize=9.5, leading=12),
        "cell_right": ParagraphStyle("cell_right", parent=body, fontSize=9.5, leading=12, alignment=TA_RIGHT),
        "cell_bold_right": ParagraphStyle("cell_bold_right", parent=body, fontName=BOLD, fontSize=9.5, leading=12,
                                          alignment=TA_RIGHT),
        "title": ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=17, leading=21, spaceAfter=2),
        "department_name": ParagraphStyle("department_name", parent=body, fontSize=12, leading=15),
        "department": ParagraphStyle("department", parent=body, spaceAfter=8),
        "heading": ParagraphStyle("heading", parent=body, fontName=BOLD, fontSize=13, leading=16, spaceBefore=12,
                                  spaceAfter=5),
        "notice": ParagraphStyle("notice", parent=body, fontName=BOLD, fontSize=11.5, leading=15),
        "narrative": ParagraphStyle("narrative", parent=body, fontSize=11, leading=15, spaceAfter=6),
    }


def render_report_copy(report: StoredReport, config: Config, language: str | None = None,
                       printed_at: datetime | None = None) -> RenderedPdf:
    """The full copy of a stored report (``ReportService.get``) in ``language`` (default: the citizen's)."""
    register_fonts()
    lang = language or report["language"]
    zone = config.kiosk.zone
    printed = format_datetime((printed_at or datetime.now(zone)).astimezone(zone), lang)
    styles = _styles()
    story = _story(report, config, lang, zone, styles)
    buffer = io.BytesIO()
    footer = _Footer(report["tracking_number"], config.department.name, printed, lang)
    document = SimpleDocTemplate(
        buffer, pagesize=LETTER, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + 14,
        bottomMargin=MARGIN + 10, title=f"{text('copy.title', lang)} {report['tracking_number']}",
        author=config.department.name, creator="P2C Lobby Kiosk",
    )
    document.build(story, canvasmaker=footer.canvas_class())
    return RenderedPdf(buffer.getvalue(), LETTER[0] / 72 * 25.4, LETTER[1] / 72 * 25.4, footer.pages)


class _Footer:
    """Draws the running header and "Page n of m" footer once the number of pages is known."""

    def __init__(self, tracking: str, department: str, printed: str, language: str) -> None:
        self.tracking, self.department, self.printed, self.language = tracking, department, printed, language
        self.pages = 0

    def canvas_class(self) -> type[Canvas]:
        footer = self

        class NumberedCanvas(Canvas):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                # Never the standard, Latin-1-only Helvetica, which no PDF embeds: platypus hands in
                # initialFontName=None, so a default (setdefault) would not do.
                if kwargs.get("initialFontName") is None:
                    kwargs["initialFontName"] = REGULAR
                super().__init__(*args, **kwargs)
                self._saved_pages: list[dict[str, Any]] = []

            def showPage(self) -> None:
                self._saved_pages.append(dict(self.__dict__))
                self._startPage()  # type: ignore[attr-defined]  # reportlab's own next page, private: not in its stubs

            def save(self) -> None:
                footer.pages = len(self._saved_pages)
                for number, state in enumerate(self._saved_pages, start=1):
                    self.__dict__.update(state)
                    footer.draw(self, number)
                    super().showPage()
                super().save()

        return NumberedCanvas

    def draw(self, canvas: Canvas, page: int) -> None:
        width, height = LETTER
        canvas.saveState()
        draw_text(canvas, MARGIN, height - MARGIN + 2, self.department, REGULAR, 9)
        draw_text(canvas, width - MARGIN, height - MARGIN + 2, self.tracking, BOLD, 11, "right")
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, height - MARGIN - 3, width - MARGIN, height - MARGIN - 3)
        canvas.line(MARGIN, MARGIN + 4, width - MARGIN, MARGIN + 4)
        footer = text("copy.footer", self.language, tracking=self.tracking, printed=self.printed, page=page,
                      pages=self.pages)
        draw_text(canvas, width / 2, MARGIN - 8, footer, REGULAR, 9, "center")
        canvas.restoreState()


def _story(report: StoredReport, config: Config, lang: str, zone: ZoneInfo,
           styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    reporter, incident = report["reporter"], report["incident"]
    location = incident["location"]

    def when(value: str) -> str:
        return format_datetime(datetime.fromisoformat(value).astimezone(zone), lang)

    def yes_no(value: object) -> str:
        return text("copy.yes" if value else "copy.no", lang)

    story: list[Flowable] = [
        _para(text("copy.title", lang), styles["title"]),
        _para(config.department.name, styles["department_name"]),
        _para(text("receipt.non_emergency", lang, phone=keep_together(config.department.non_emergency_phone)),
              styles["department"]),
    ]
    if report.get("status") == Status.APPROVED and report.get("official_number"):
        notice = text("copy.approved", lang, number=report["official_number"])
    else:
        notice = text("receipt.not_official", lang)
    story.append(_boxed(_para(notice, styles["notice"])))

    story += _section(text("copy.section_report", lang), styles, [
        (text("copy.tracking", lang), report["tracking_number"]),
        (text("copy.status", lang), name_of(STATUS_NAMES, report.get("status"), lang)),
        (text("copy.official_number", lang), report.get("official_number") or text("copy.none_yet", lang)),
        (text("copy.submitted", lang), when(report["submitted_at"])),
        (field_label("category", lang), category_name(report["category"], lang)),
        (text("copy.language", lang), language_name(report["language"], lang)),
    ])
    screening: Mapping[str, object] = report["screening"]  # read by the vocabulary's questions
    story += _section(text("copy.section_screening", lang), styles, [
        (text("copy.emergency", lang), yes_no(screening[ScreeningQuestion.EMERGENCY])),
        (text("copy.in_city", lang), yes_no(screening[ScreeningQuestion.IN_CITY])),
        (text("copy.suspect", lang), yes_no(screening[ScreeningQuestion.SUSPECT_OR_EVIDENCE])),
    ])
    story += _section(text("copy.section_reporter", lang), styles, [
        (text("copy.name", lang), f"{reporter['first_name']} {reporter['last_name']}"),
        (field_label("reporter.date_of_birth", lang),
         format_date(datetime.fromisoformat(reporter["date_of_birth"]).date(), lang)),
        (field_label("reporter.address", lang), _address(reporter["address"])),
        (field_label("reporter.phone", lang),
         display_phone(reporter["phone"]) if reporter.get("phone") else text("copy.not_given", lang)),
        (field_label("reporter.email", lang), reporter.get("email") or text("copy.not_given", lang)),
        (field_label("reporter.contact_preference", lang),
         name_of(CONTACT_PREFERENCES, reporter.get("contact_preference"), lang)),
    ])
    story += _section(text("copy.section_incident", lang), styles, [
        (field_label("incident.occurred_from", lang), when(incident["occurred_from"])),
        (field_label("incident.occurred_to", lang), when(incident["occurred_to"])),
        (field_label("incident.location", lang), _address(location)),
        (field_label("incident.location.place_type", lang), name_of(PLACE_TYPES, location.get("place_type"), lang)),
    ])
    story += _heading(text("copy.section_items", lang), styles)
    story.append(_items_table(report["items"], lang, styles))
    story += _heading(text("copy.section_narrative", lang), styles)
    for paragraph in incident["narrative"].split("\n"):
        if paragraph.strip():
            story.append(_para(paragraph, styles["narrative"]))
    story.append(KeepTogether([
        _para(text("copy.section_attestation", lang), styles["heading"]),
        _para(f"“{text('copy.attestation', lang)}”", styles["body"]),
        Spacer(1, 4),
        _para(text("copy.attested", lang, answer=yes_no(bool(report["attested"]))), styles["label"]),
    ]))
    story += _heading(text("copy.section_history", lang), styles)
    story.append(_history_table(report.get("history", []), lang, zone, styles))
    return story


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (markup characters printed as they are), in the style's font with the fallback for
    the characters it has no glyph for (:func:`printing.fonts.markup`)."""
    return _paragraph(markup(text, style.fontName), style, needs_fallback(text, style.fontName))


def _paragraph(marked_up: str, style: ParagraphStyle, cjk: bool) -> Paragraph:
    """A paragraph of markup. With ``cjk`` (Chinese, Japanese or Korean in it), reportlab's CJK line breaking: a line
    may break between any two ideographs but never starts with closing punctuation such as "。" (Latin words still
    break at spaces only)."""
    return Paragraph(marked_up, _cjk_style(style) if cjk else style)


@lru_cache(maxsize=32)
def _cjk_style(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}_cjk", parent=style, wordWrap="CJK")


def _heading(heading: str, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """A heading that starts a new page rather than sit alone at the bottom of one; what follows it may split."""
    return [CondPageBreak(1.1 * inch), _para(heading, styles["heading"])]


def _section(heading: str, styles: dict[str, ParagraphStyle], rows: list[tuple[str, str]]) -> list[Flowable]:
    data = [[_para(label, styles["label"]), _para(value, styles["body"])]
            for label, value in rows]
    table = Table(data, colWidths=[2.1 * inch, CONTENT_WIDTH - 2.1 * inch], hAlign="LEFT")
    table.setStyle(TableStyle([
        _TABLE_FONT,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, _SHADE),
    ]))
    return [KeepTogether([_para(heading, styles["heading"]), table])]


def _boxed(flowable: Flowable) -> Table:
    box = Table([[flowable]], colWidths=[CONTENT_WIDTH])
    box.setStyle(TableStyle([
        _TABLE_FONT,
        ("BOX", (0, 0), (-1, -1), 1.4, colors.black),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
    ]))
    return box


def _items_table(items: list[Item], lang: str, styles: dict[str, ParagraphStyle]) -> Flowable:
    if not items:
        return _para(text("copy.items_none", lang), styles["body"])
    cell, bold, right = styles["cell"], styles["cell_bold"], styles["cell_right"]
    titles = [text("copy.item_number", lang), text("copy.item_what", lang), field_label("items[*].description", lang),
              text("copy.item_details", lang), text("copy.item_quantity", lang), text("copy.item_value", lang)]
    header = [_para(title, styles["cell_bold_right"] if index >= 4 else bold)
              for index, title in enumerate(titles)]
    rows: list[list[Any]] = [header]
    total = Decimal("0")
    for number, item in enumerate(items, start=1):
        value = item.get("value")
        if value is not None:
            total += Decimal(value)
        rows.append([
            Paragraph(str(number), cell),
            _para(disposition_name(item["disposition"], lang), cell),
            _para(item["description"], cell),
            _item_details(item, lang, cell),
            Paragraph(str(item.get("quantity", 1)), right),
            _para(format_amount(Decimal(value), lang) if value is not None else text("copy.not_given", lang), right),
        ])
    rows.append(["", "", _para(text("copy.items_total", lang), bold), "", "",
                 _para(format_amount(total, lang), styles["cell_bold_right"])])
    widths = [0.4 * inch, 1.0 * inch, 0.0, 1.95 * inch, 0.6 * inch, 0.95 * inch]
    widths[2] = CONTENT_WIDTH - sum(widths)  # the description takes what is left
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    last = len(rows) - 1
    table.setStyle(TableStyle([
        _TABLE_FONT,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), _SHADE),
        ("LINEBELOW", (0, 0), (-1, -2), 0.4, _GRID),
        ("LINEABOVE", (0, last), (-1, last), 1.2, colors.black),
        ("SPAN", (2, last), (4, last)),
        ("BOX", (0, 0), (-1, -1), 0.6, _GRID),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


def _item_details(item: Item, lang: str, style: ParagraphStyle) -> Paragraph:
    keys = ("brand", "model", "serial_number", "institution", "account_last4")
    fields: Mapping[str, object] = item
    lines = [text("copy.item_detail", lang, label=field_label(f"items[*].{key}", lang), value=fields[key])
             for key in keys if fields.get(key)]
    return _paragraph("<br/>".join(markup(line, style.fontName) for line in lines) or "–", style,
                      any(needs_fallback(line, style.fontName) for line in lines))


def _history_table(history: list[HistoryEvent], lang: str, zone: ZoneInfo,
                   styles: dict[str, ParagraphStyle]) -> Table:
    cell, bold = styles["cell"], styles["cell_bold"]
    rows: list[list[Any]] = [[_para(text(key, lang), bold) for key in
                              ("copy.history_when", "copy.history_who", "copy.history_what", "copy.history_status",
                               "copy.history_reason")]]
    for event in history:
        reason = " — ".join(p for p in (event.get("reason_code") or "", event.get("message") or "") if p)
        rows.append([
            _para(format_datetime(datetime.fromisoformat(event["at"]).astimezone(zone), lang), cell),
            _para(name_of(ACTOR_NAMES, event["actor"], lang), cell),
            _para(name_of(ACTION_NAMES, event["action"], lang), cell),
            _para(name_of(STATUS_NAMES, event["status"], lang), cell),
            _para(reason or "–", cell),
        ])
    widths = [1.55 * inch, 1.2 * inch, 1.45 * inch, 1.2 * inch]
    table = Table(rows, colWidths=[*widths, CONTENT_WIDTH - sum(widths)], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        _TABLE_FONT,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), _SHADE),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, _GRID),
        ("BOX", (0, 0), (-1, -1), 0.6, _GRID),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


def _address(address: Address) -> str:
    city_line = " ".join(p for p in (address.get("state", ""), address.get("zip", "")) if p)
    return ", ".join(p for p in (address.get("line1", ""), address.get("line2", ""), address.get("city", ""),
                                 city_line) if p)
