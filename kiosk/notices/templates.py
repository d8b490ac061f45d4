"""The e-mail notices written out for one report: the subject, the plain text and the HTML, in the reader's language.

The words come from the translation catalogues (:mod:`kiosk.notices.texts` marks them); this module puts them
together. Both bodies are made from the same blocks: the HTML inside ``resources/notices/layout.html`` with inline
styles only, values escaped and the writer's line breaks kept; the text wrapped for a mail reader. The notices never
carry the access code, the date of birth or an address: :func:`render_notice` takes only the values of
:data:`CALLER_VALUES`, and the sentences name only those of :data:`kiosk.notices.texts.PLACEHOLDERS`.
"""

from __future__ import annotations

import html
import logging
import textwrap
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kiosk.config import DepartmentConfig
from kiosk.notices.texts import (
    CHECK_BUTTON,
    DEFAULT_NEXT_STEPS,
    DUPLICATE_OF,
    FOOTER,
    KIOSK_HINT,
    NOTICES,
    QUOTED_BUTTON,
    REASONS,
    Block,
    Items,
    Look,
    Sentence,
    Value,
)
from kiosk.resources import resource_path
from kiosk.translation import SOURCE_LANGUAGE, Translation, catalogues, translation
from kiosk.vocabulary import NoticeKind, RejectionReason, status_page_link

log = logging.getLogger(__name__)

__all__ = [
    "CALLER_VALUES",
    "DEFAULT_NEXT_STEPS",
    "KINDS",
    "KIOSK_HINT",
    "REASONS",
    "REASON_CODES",
    "REQUIRED_VALUES",
    "RenderedNotice",
    "language_tag",
    "notice_language",
    "reason_sentence",
    "render_notice",
]

KINDS: tuple[NoticeKind, ...] = tuple(NoticeKind)
# The rejection reasons an officer chooses from.
REASON_CODES: tuple[RejectionReason, ...] = tuple(RejectionReason)

# The values each kind cannot do without (the others are optional and default to "").
REQUIRED_VALUES: dict[str, tuple[str, ...]] = {
    NoticeKind.SUBMITTED: (),
    NoticeKind.NEEDS_INFO: ("question",),
    NoticeKind.APPROVED: ("official_number",),
    NoticeKind.REJECTED: ("reason_code",),
}
# The values a caller may give (besides the report's own tracking number).
CALLER_VALUES = ("official_number", "question", "reason_code", "next_steps", "duplicate_of")

# Plain-text lines are wrapped here (RFC 5322 asks for at most 78 characters).
TEXT_WIDTH = 72
# Values kept on one line in the text and with white-space:nowrap in the HTML: numbers read out or typed.
_UNBROKEN = ("tracking_number", "official_number", "department_phone", "emergency_number", "button")
_NO_BREAK_SPACE = "\u00a0"

_HEADING_STYLE = "margin:0 0 16px 0; font-size:24px; line-height:1.3;"
_STYLES: dict[Look, str] = {
    Look.PARAGRAPH: "margin:0 0 16px 0;",
    Look.LEAD_IN: "margin:0 0 8px 0;",
    Look.LARGE: ("margin:0 0 20px 0; padding:12px; background-color:#eef3f8; font-size:24px; font-weight:bold; "
                 "letter-spacing:1px;"),
    Look.QUOTE: "margin:0 0 20px 0; padding:12px; border-left:4px solid #1f3a5f; background-color:#eef3f8;",
    Look.BOXED: "margin:0 0 16px 0; padding:12px; background-color:#eef3f8;",
}
_LIST_STYLE = "margin:0 0 16px 0; padding-left:24px;"
_ITEM_STYLE = "margin-bottom:8px;"
_NUMBER = '<strong style="white-space:nowrap;">{}</strong>'
_LINK = '<a href="{0}" style="color:#1f3a5f; font-weight:bold; word-break:break-all;">{0}</a>'


@dataclass(frozen=True)
class RenderedNotice:
    subject: str
    text: str
    html: str


def language_tag(language: str) -> str:
    """A catalogue's language code as a BCP 47 tag, for Content-Language and ``<html lang>`` (pt_BR -> pt-BR)."""
    return language.replace("_", "-")


def notice_language(report: Mapping[str, object]) -> str:
    """The language a notice about ``report`` is written in: the report's own, else English.

    "Else English" is a choice, made here only and logged: a report can come from a kiosk (through the department
    server) whose visitor chose a language this kiosk has no catalogue for. Its notices still go out, in the source
    language, rather than holding back the officer's decision; :func:`render_notice` itself never falls back."""
    language = report.get("language")
    if isinstance(language, str) and catalogues().has(language):
        return language
    log.warning("notices: the report's language %r has no catalogue on this kiosk; its notice is written in %s",
                language if isinstance(language, str) else None, SOURCE_LANGUAGE)
    return SOURCE_LANGUAGE


def reason_sentence(reason_code: str, language: str, duplicate_of: str = "") -> str:
    """Why a report was rejected, in plain words, for a reason code of :data:`REASON_CODES`."""
    if reason_code not in REASONS:
        raise ValueError(f"unknown rejection reason {reason_code!r}; expected one of {', '.join(REASON_CODES)}")
    texts = translation(language)
    if reason_code == RejectionReason.DUPLICATE and duplicate_of.strip():
        return _fill(texts, DUPLICATE_OF, {"duplicate_of": duplicate_of.strip()})
    return texts.gettext(REASONS[reason_code])


def render_notice(kind: str, language: str, tracking_number: str, department: DepartmentConfig,
                  values: Mapping[str, str | None], status_page_url: str = "") -> RenderedNotice:
    """The subject, text and HTML of one notice. ``values`` holds what the kind needs (:data:`REQUIRED_VALUES`):
    ``official_number``, ``question``, ``reason_code``, ``next_steps``, ``duplicate_of``. ``status_page_url``:
    ``[sync] status_page_url``; when set, the notice links to the status page with the tracking number filled in
    (kiosk.notices.texts says where). Raises ValueError for an
    unknown kind, value or language (one without a catalogue: never a silent English), or a missing required value
    (so the caller's action is rolled back)."""
    if kind not in KINDS:
        raise ValueError(f"unknown notice kind {kind!r}; expected one of {', '.join(KINDS)}")
    if not catalogues().has(language):
        raise ValueError(f"no translation catalogue for the notice language {language!r}")
    unknown = sorted(set(values) - set(CALLER_VALUES))
    if unknown:
        raise ValueError(f"unknown notice value(s) {', '.join(unknown)}; expected {', '.join(CALLER_VALUES)}")
    given = {key: (value or "").strip() for key, value in values.items()}
    missing = [key for key in REQUIRED_VALUES[kind] if not given.get(key)]
    if missing:
        raise ValueError(f"a {kind} notice needs {', '.join(missing)}")

    texts = translation(language)
    phone = department.desk_phone
    fields = {
        "tracking_number": tracking_number,
        "official_number": given.get("official_number", ""),
        "question": given.get("question", ""),
        "reason": "",
        "next_steps": given.get("next_steps", "") or _fill(texts, DEFAULT_NEXT_STEPS, {"phone": phone}),
        "department_name": department.name,
        "department_phone": phone,
        "emergency_number": department.emergency_number,
        "button": texts.gettext(CHECK_BUTTON),
        "status_link": status_page_link(status_page_url, tracking_number) if status_page_url else "",
    }
    if kind == NoticeKind.REJECTED:
        fields["reason"] = reason_sentence(given["reason_code"], language, given.get("duplicate_of", ""))

    notice = NOTICES[NoticeKind(kind)]
    blocks = _blocks(notice.blocks, bool(status_page_url))
    subject = " ".join(_fill(texts, notice.subject, fields).split())
    return RenderedNotice(subject=subject, text=_text(texts, notice.heading, blocks, fields),
                          html=_html(texts, subject, notice.heading, blocks, fields))


def _blocks(blocks: tuple[Block, ...], status_page: bool) -> tuple[Block, ...]:
    """The blocks written with or without a status page (kiosk.notices.texts: ``status_page``,
    ``status_page_first``)."""
    chosen: list[Block] = []
    for block in blocks:
        if isinstance(block, Sentence) and block.status_page is not None and block.status_page != status_page:
            continue
        if isinstance(block, Items) and status_page and block.status_page_first:
            block = Items((*block.status_page_first, *block.texts))
        chosen.append(block)
    return tuple(chosen)


# -- the plain text -------------------------------------------------------------------------------------------------

def _text(texts: Translation, heading: str, blocks: tuple[Block, ...], fields: Mapping[str, str]) -> str:
    values = {name: value.replace(" ", _NO_BREAK_SPACE) if name in _UNBROKEN else value
              for name, value in fields.items()}
    values["button"] = _fill(texts, QUOTED_BUTTON, {"button": values["button"]})
    title = texts.gettext(heading)
    parts = [f"{title}\n{'=' * _width(title)}"]
    previous: Block | None = None
    for block in blocks:
        written = _text_block(texts, block, values)
        if isinstance(block, Items) and isinstance(previous, Sentence) and previous.look == Look.LEAD_IN:
            parts[-1] += "\n" + written  # the list right under the line that introduces it
        else:
            parts.append(written)
        previous = block
    footer = "\n".join(_wrap(_fill(texts, line, values)) for line in FOOTER)
    body = "\n\n".join(parts) + f"\n\n--\n{fields['department_name']}\n{footer}\n"
    return body.replace(_NO_BREAK_SPACE, " ")


def _text_block(texts: Translation, block: Block, values: Mapping[str, str]) -> str:
    if isinstance(block, Items):
        return "\n".join(_wrap(_fill(texts, item, values), "- ", "  ") for item in block.texts)
    label = texts.gettext(block.label) if block.label else ""
    body = _fill(texts, block.text, values) if isinstance(block, Sentence) and block.text else ""
    if isinstance(block, Value):
        body = values[block.name]
        if block.look == Look.LARGE:
            return "\n".join("    " + line for line in body.splitlines())
    lines = body.splitlines() or [""]
    lines[0] = _after_label(label, lines[0])
    return "\n".join(_wrap(line) for line in lines)


def _wrap(line: str, first: str = "", then: str = "") -> str:
    return textwrap.fill(line, TEXT_WIDTH, initial_indent=first, subsequent_indent=then, break_long_words=False,
                         break_on_hyphens=False) if line.strip() else first.rstrip()


def _width(text: str) -> int:
    """How many columns ``text`` takes in a fixed-width font (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


# -- the HTML -------------------------------------------------------------------------------------------------------

def _html(texts: Translation, subject: str, heading: str, blocks: tuple[Block, ...],
          fields: Mapping[str, str]) -> str:
    escaped = {name: _html_value(value) for name, value in fields.items()}
    in_sentences = {**escaped, "tracking_number": _NUMBER.format(escaped["tracking_number"]),
                    "department_phone": _NUMBER.format(escaped["department_phone"]),
                    "button": f"<strong>{escaped['button']}</strong>",
                    "status_link": _LINK.format(escaped["status_link"])}
    content = [f'<h1 style="{_HEADING_STYLE}">{html.escape(texts.gettext(heading))}</h1>']
    content += [_html_block(texts, block, escaped, in_sentences) for block in blocks]
    in_footer = {**escaped, "emergency_number": f"<strong>{escaped['emergency_number']}</strong>"}
    footer = "<br>\n".join(_fill(texts, line, in_footer, escape=True) for line in FOOTER)
    return _layout().format(lang=html.escape(language_tag(texts.language)),
                            direction="rtl" if texts.right_to_left else "ltr", title=html.escape(subject),
                            department_name=escaped["department_name"], content="\n".join(content), footer=footer)


def _html_block(texts: Translation, block: Block, escaped: Mapping[str, str], in_sentences: Mapping[str, str]) -> str:
    if isinstance(block, Items):
        last = len(block.texts) - 1
        items = [(f'<li style="{_ITEM_STYLE}">' if number < last else "<li>")
                 + f"{_fill(texts, text, in_sentences, escape=True)}</li>" for number, text in enumerate(block.texts)]
        return f'<ul style="{_LIST_STYLE}">\n' + "\n".join(items) + "\n</ul>"
    if isinstance(block, Value):
        body = escaped[block.name]
    else:
        body = _fill(texts, block.text, in_sentences, escape=True) if block.text else ""
    label = texts.gettext(block.label) if block.label else ""
    strong = f"<strong>{html.escape(label)}</strong>" if label else ""
    return f'<p style="{_STYLES[block.look]}">{_after_label(label, body, strong)}</p>'


def _html_value(value: str) -> str:
    """A value for the HTML body: escaped, with the writer's line breaks kept."""
    return "<br>\n".join(html.escape(line) for line in value.splitlines()) if value else ""


def _layout() -> str:
    return _read_layout(resource_path("notices", "layout.html"))


@lru_cache(maxsize=8)
def _read_layout(path: Path) -> str:
    """The page around every HTML notice, read once per path (the resources folder is another one when frozen)."""
    return path.read_text(encoding="utf-8")


# -- both -----------------------------------------------------------------------------------------------------------

def _after_label(label: str, body: str, shown: str = "") -> str:
    """``body`` after its label (``shown``: the label as written, e.g. in bold), a space between them unless the
    label ends in a full-width sign that holds its own space (a Chinese colon "："), or nothing follows it."""
    shown = shown or label
    if not label or not body:
        return shown or body
    return shown + ("" if _width(label[-1]) == 2 else " ") + body


def _fill(texts: Translation, message: str, values: Mapping[str, str], *, escape: bool = False) -> str:
    """``message`` in the reader's language with its ``{name}`` placeholders filled (the words HTML-escaped first
    when ``escape``; the values are given ready). A translation naming a value it may not use is refused."""
    translated = texts.gettext(message)
    try:
        return (html.escape(translated) if escape else translated).format_map(values)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(f"the {texts.language} translation of the notice text {message!r} has a placeholder "
                         f"that cannot be filled ({exc!r})") from exc
