"""The words of the e-mail notices: templates in ``resources/notices/LANG/``, filled in for one report.

Each kind has a subject line, a plain-text body and an HTML body (the content of ``layout.html``). Values are put in
with :class:`string.Template`; in HTML they are escaped first. The notices never carry the access code, the date of
birth or an address: there is no placeholder for them, and :func:`render_notice` only fills the names below.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from string import Template

from kiosk.config import DepartmentConfig
from kiosk.resources import resource_path
from kiosk.translation import N_, SOURCE_LANGUAGE, catalogues, translation
from kiosk.vocabulary import NoticeKind, RejectionReason

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

# Why a report was rejected, in plain words; {duplicate_of} is the original report's tracking number when given.
REASONS: dict[str, str] = {
    RejectionReason.DUPLICATE: N_("Your report repeats one that we already have on file."),
    RejectionReason.WRONG_OFFENSE_TYPE: N_("The kind of incident chosen does not match what happened, so a new "
                                           "report of the right kind is needed."),
    RejectionReason.OUTSIDE_CITY: N_("The incident happened outside the city, so another police department handles "
                                     "it."),
    RejectionReason.SUSPECT_OR_EVIDENCE: N_("There is information about a suspect, or there is evidence, so an "
                                            "officer needs to take this report in person."),
    RejectionReason.NOT_ELIGIBLE: N_("This kind of incident cannot be reported at the kiosk."),
    RejectionReason.OTHER: N_("Your report could not be accepted as it is."),
}
_DUPLICATE_OF = N_("Your report repeats report {duplicate_of}, which we already have on file.")

# How to follow a report at the kiosk (the access code itself is never in an e-mail).
KIOSK_HINT = N_("To see how your report is doing, use \"Check a report\" on the kiosk in the police lobby: type your "
                "tracking number and the access code from your receipt. For your safety, e-mails never contain the "
                "access code.")
# When the officer gave no "what to do next" with a rejection.
DEFAULT_NEXT_STEPS = N_("Call the front desk at {phone} to talk with an officer about what to do next.")


@dataclass(frozen=True)
class RenderedNotice:
    subject: str
    text: str
    html: str


def notice_language(report: Mapping[str, object]) -> str:
    """The language a notice about ``report`` is written in: the report's own, else English."""
    language = report.get("language")
    return language if isinstance(language, str) and catalogues().has(language) else SOURCE_LANGUAGE


def reason_sentence(reason_code: str, language: str, duplicate_of: str = "") -> str:
    """Why a report was rejected, in plain words, for a reason code of :data:`REASON_CODES`."""
    if reason_code not in REASONS:
        raise ValueError(f"unknown rejection reason {reason_code!r}; expected one of {', '.join(REASON_CODES)}")
    texts = translation(language)
    if reason_code == RejectionReason.DUPLICATE and duplicate_of.strip():
        return texts.gettext(_DUPLICATE_OF).format(duplicate_of=duplicate_of.strip())
    return texts.gettext(REASONS[reason_code])


def render_notice(kind: str, language: str, tracking_number: str, department: DepartmentConfig,
                  values: Mapping[str, str | None]) -> RenderedNotice:
    """The subject, text and HTML of one notice. ``values`` holds what the kind needs (:data:`REQUIRED_VALUES`):
    ``official_number``, ``question``, ``reason_code``, ``next_steps``, ``duplicate_of``. Raises ValueError for an
    unknown kind, language or value, or a missing required value (so the caller's action is rolled back)."""
    if kind not in KINDS:
        raise ValueError(f"unknown notice kind {kind!r}; expected one of {', '.join(KINDS)}")
    if not catalogues().has(language):
        raise ValueError(f"unknown notice language {language!r}")
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
        "next_steps": given.get("next_steps", "") or texts.gettext(DEFAULT_NEXT_STEPS).format(phone=phone),
        "department_name": department.name,
        "department_phone": phone,
        "emergency_number": department.emergency_number,
        "kiosk_hint": texts.gettext(KIOSK_HINT),
    }
    if kind == NoticeKind.REJECTED:
        fields["reason"] = reason_sentence(given["reason_code"], language, given.get("duplicate_of", ""))

    subject = " ".join(_template(language, f"{kind}.subject.txt").substitute(fields).split())
    text = (_template(language, f"{kind}.txt").substitute(fields).rstrip() + "\n\n"
            + _template(language, "footer.txt").substitute(fields).rstrip() + "\n")
    escaped = {key: _html_value(value) for key, value in fields.items()}
    content = _template(language, f"{kind}.html").substitute(escaped).strip()
    footer = _template(language, "footer.html").substitute(escaped).strip()
    page = _layout().substitute(lang=language, title=html.escape(subject), content=content, footer=footer,
                                department_name=escaped["department_name"])
    return RenderedNotice(subject=subject, text=text, html=page)


def _html_value(value: str) -> str:
    """A value for the HTML body: escaped, with the writer's line breaks kept."""
    return "<br>\n".join(html.escape(line) for line in value.splitlines()) if value else ""


def _template(language: str, name: str) -> Template:
    return _read_template(resource_path("notices", language, name))


def _layout() -> Template:
    return _read_template(resource_path("notices", "layout.html"))


@lru_cache(maxsize=64)
def _read_template(path: Path) -> Template:
    """A template file, read once per path (the resources folder is another one inside a frozen bundle)."""
    return Template(path.read_text(encoding="utf-8"))
