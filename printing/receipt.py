"""The receipt the citizen takes home: 80 mm thermal roll (the default) or Letter.

What a receipt shows is decided in one place, :func:`receipt_content`, which copies out of the stored report only
what may leave the building on paper: the tracking number, the access code, when it was submitted, the kind of
incident and where it happened. Never the date of birth, phone, email, home address or narrative; when the
incident happened at the reporter's home, the receipt says so instead of printing the address. The drawing code
(:func:`render_receipt`) only ever sees that small record.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kiosk.config import DepartmentConfig
from kiosk.report_document import Address, StoredReport
from kiosk.tracking import TrackingNumber
from kiosk.vocabulary import EventAction
from printing.fonts import BOLD, REGULAR, register_fonts
from printing.layout import Column, fit_font_size, keep_together
from printing.qr import draw_qr, qr_matrix, qr_payload
from printing.texts import PLACE_TYPES, category_name, field_label, format_datetime, name_of, text

PAPERS = ("80mm", "letter")


@dataclass(frozen=True)
class ReceiptContent:
    """Everything a receipt prints, and nothing else."""

    tracking_number: TrackingNumber
    access_code: str
    submitted_at: datetime  # in the kiosk's time zone
    category: str
    place_type: str
    location: str  # the incident location as printed ("" when it is the reporter's home)
    at_home: bool
    language: str
    reprinted_at: datetime | None = None
    # [sync] status_page_url: when set, the QR code opens the citizen's status page (never holding the access code).
    status_page_url: str = ""


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    width_mm: float
    height_mm: float
    pages: int


@dataclass(frozen=True)
class _Style:
    page_width: float
    page_height: float | None  # None: as long as the content (a roll)
    margin: float
    body: float
    small: float
    heading: float
    title: float
    tracking_max: float
    access_code: float
    qr_size: float
    bar_width: float
    bar_height: float
    wide: bool  # room for two columns


_BOX_PADDING = 5.0


_STYLES = {
    # A thermal head prints 72 mm of an 80 mm roll at 203 dpi: bars are whole dots (3 × 0.125 mm).
    "80mm": _Style(page_width=80 * mm, page_height=None, margin=4 * mm, body=10, small=9, heading=11.5, title=13,
                   tracking_max=30, access_code=22, qr_size=34 * mm, bar_width=0.375 * mm, bar_height=12 * mm,
                   wide=False),
    "letter": _Style(page_width=612, page_height=792, margin=54, body=13, small=11, heading=15, title=20,
                     tracking_max=48, access_code=32, qr_size=50 * mm, bar_width=0.5 * mm, bar_height=16 * mm,
                     wide=True),
}


def receipt_content(report: StoredReport, access_code: str, zone: ZoneInfo,
                    status_page_url: str = "") -> ReceiptContent:
    """The receipt's record from a stored report (``ReportService.get``) and the access code just issued. When the
    history shows the receipt was printed again, the receipt says when (and that earlier codes no longer work).
    ``status_page_url``: ``[sync] status_page_url`` ("" for none)."""
    location = report["incident"]["location"]
    reprints = [event["at"] for event in report.get("history", []) if event["action"] == EventAction.RECEIPT_REPRINTED]
    reprinted_at = datetime.fromisoformat(reprints[-1]) if reprints else None
    at_home = _same_place(location, report["reporter"]["address"])
    if at_home:
        printed = ", ".join(p for p in (location["city"], location["state"]) if p)
    else:
        city_line = " ".join(p for p in (location["state"], location["zip"]) if p)
        printed = ", ".join(p for p in (location["line1"], location.get("line2", ""), location["city"], city_line)
                            if p)
    return ReceiptContent(
        tracking_number=report["tracking_number"],
        access_code=access_code,
        submitted_at=datetime.fromisoformat(report["submitted_at"]).astimezone(zone),
        category=report["category"],
        place_type=location.get("place_type", "") or "",
        location=printed,
        at_home=at_home,
        language=report["language"],
        reprinted_at=reprinted_at.astimezone(zone) if reprinted_at else None,
        status_page_url=status_page_url,
    )


def render_receipt(content: ReceiptContent, department: DepartmentConfig, paper: str = "80mm") -> RenderedPdf:
    """The receipt as a one-page PDF (a Letter receipt spills onto a second page only if its text is huge)."""
    if paper not in _STYLES:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}")
    register_fonts()
    style = _STYLES[paper]
    width = style.page_width - 2 * style.margin
    column = _receipt_column(content, department, style, width)
    height = style.page_height or column.height + 2 * style.margin
    buffer = io.BytesIO()
    # initialFontName: else the page would still name the standard Helvetica (Latin-1, not embedded) as its font.
    canvas = Canvas(buffer, pagesize=(style.page_width, height), pageCompression=1,
                    initialFontName=REGULAR,  # type: ignore[arg-type]  # types-reportlab says float; it is a font name
                    initialFontSize=style.body)
    canvas.setTitle(text("receipt.title", content.language))
    canvas.setAuthor(department.name)
    canvas.setCreator("P2C Lobby Kiosk")
    pages = [1]

    def new_page() -> float:
        canvas.showPage()
        pages[0] += 1
        return height - style.margin

    column.draw(canvas, style.margin, height - style.margin,
                bottom=style.margin if style.page_height else None, new_page=new_page)
    canvas.showPage()
    canvas.save()
    return RenderedPdf(buffer.getvalue(), style.page_width / mm, height / mm, pages[0])


def _receipt_column(content: ReceiptContent, department: DepartmentConfig, style: _Style, width: float) -> Column:
    lang = content.language
    gap = 8 * mm
    col = Column(width)
    col.text(department.name, style.title, bold=True, align="center")
    col.text(text("receipt.non_emergency", lang, phone=keep_together(department.non_emergency_phone)), style.small,
             align="center")
    col.text(text("receipt.emergency", lang, number=keep_together(department.emergency_number)), style.small,
             bold=True, align="center")
    col.rule()
    col.text(text("receipt.title", lang), style.heading, bold=True, align="center")
    col.space(style.body * 0.4)

    col.text(text("receipt.tracking", lang), style.body, align="center", keep_with_next=True)
    tracking = content.tracking_number
    size = fit_font_size(tracking, BOLD, width, style.tracking_max, 14)
    col.text(tracking, size, bold=True, align="center", keep_with_next=True)
    _barcode(col, tracking, style)
    col.space(style.body * 0.6)

    payload = qr_payload(tracking, content.access_code, content.status_page_url)
    if style.wide:  # Letter: the access code beside its QR code, the details beside what happens next
        access = Column(width - style.qr_size - gap)
        access.space(style.body)
        _access_code(access, content, style)
        qr = Column(style.qr_size)
        _qr(qr, payload, style.qr_size)
        col.row([access, qr], gap)
    else:
        _access_code(col, content, style)
        _qr(col, payload, style.qr_size)
    if content.reprinted_at is not None:
        col.text(text("receipt.reprinted", lang, date=format_datetime(content.reprinted_at, lang)), style.small,
                 bold=True, align="center")
    col.rule()

    if style.wide:
        half = (width - gap) / 2
        details, next_steps = Column(half), Column(half)
        _details(details, content, style)
        _next_steps(next_steps, content, style)
        col.row([details, next_steps], gap)
    else:
        _details(col, content, style)
        _next_steps(col, content, style)
    col.rule()
    col.text(text("receipt.questions", lang, phone=keep_together(department.non_emergency_phone)), style.small,
             align="center")
    return col


def _access_code(col: Column, content: ReceiptContent, style: _Style) -> None:
    lang = content.language
    col.text(text("receipt.access_code", lang), style.body, align="center", keep_with_next=True)
    col.text(content.access_code, style.access_code, bold=True, align="center", keep_with_next=True)
    if content.status_page_url:
        col.text(text("receipt.access_hint_web", lang), style.small, align="center", keep_with_next=True)
        col.text(text("receipt.status_page", lang, address=content.status_page_url), style.small,
                 align="center", keep_with_next=True)
    else:
        col.text(text("receipt.access_hint", lang), style.small, align="center", keep_with_next=True)


def _details(col: Column, content: ReceiptContent, style: _Style) -> None:
    lang = content.language
    _field(col, text("receipt.submitted", lang), format_datetime(content.submitted_at, lang), style)
    _field(col, field_label("category", lang), category_name(content.category, lang), style)
    place = name_of(PLACE_TYPES, content.place_type, lang)
    if content.at_home:
        where = text("receipt.at_home", lang) + (f", {content.location}" if content.location else "")
    else:
        where = content.location
    _field(col, field_label("incident.location", lang),
           text("receipt.place", lang, place=place, where=where) if place else where, style)
    col.space(style.body * 0.3)
    notice = Column(col.width - 2 * _BOX_PADDING)
    notice.text(text("receipt.not_official", lang), style.body, bold=True, align="center")
    col.boxed(notice, padding=_BOX_PADDING)
    col.space(style.body * 0.6)


def _next_steps(col: Column, content: ReceiptContent, style: _Style) -> None:
    lang = content.language
    col.text(text("receipt.next", lang), style.heading, bold=True, keep_with_next=True)
    for key in ("receipt.next_review", "receipt.next_watch", "receipt.next_more_info", "receipt.next_approved",
                "receipt.next_rejected"):
        col.text(text(key, lang), style.body, bullet="•")
        col.space(style.body * 0.15)


def _field(col: Column, label: str, value: str, style: _Style) -> None:
    col.text(label, style.small, bold=True, keep_with_next=True)
    col.text(value, style.body)
    col.space(style.body * 0.25)


def _barcode(col: Column, tracking: str, style: _Style) -> None:
    """Code 128 of the compact tracking number (``T2601000421``: its digits pack two to a symbol, so the bars are
    wider for the same length); the kiosk's look-up reads it back with or without separators."""
    compact = re.sub(r"[^0-9T]", "", tracking)
    quiet = 10 * style.bar_width  # the quiet zone Code 128 asks for on each side
    barcode = Code128(compact, barWidth=style.bar_width, barHeight=style.bar_height, quiet=1, lquiet=quiet,
                      rquiet=quiet)
    bar_width = barcode.width

    def draw(canvas: Canvas, x: float, y: float, width: float) -> None:
        barcode.drawOn(canvas, x + (width - bar_width) / 2, y - style.bar_height - 2)

    col.add(style.bar_height + 4, draw, keep_with_next=True)


def _qr(col: Column, payload: str, size: float) -> None:
    matrix = qr_matrix(payload)

    def draw(canvas: Canvas, x: float, y: float, width: float) -> None:
        draw_qr(canvas, matrix, x + (width - size) / 2, y - size, size)

    col.add(size, draw)


def _same_place(location: Address, home: Address) -> bool:
    """Whether the incident location is the reporter's home address (same street line and city, written loosely)."""

    def key(value: str) -> str:
        return re.sub(r"[\W_]+", "", value).casefold()

    return bool(key(location.get("line1", ""))) and key(location.get("line1", "")) == key(home.get("line1", "")) \
        and key(location.get("city", "")) == key(home.get("city", ""))
