"""What a report's detail shows, section by section: the report, the person reporting, the incident, the items,
the narrative, the citizen's supplements, possible duplicates, the NIBRS offense code, the notices and the history.

:func:`build_report_page` makes the page from ``ReviewService.open_report``'s picture of one report; the detail view
throws it away and builds a new one for each report, so nothing of one report is ever left for the next.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QComboBox, QGridLayout, QHeaderView, QPushButton, QVBoxLayout, QWidget

from kiosk.messages import Problem
from kiosk.rules.fields import display_phone
from kiosk.sync.protocol import WEB_ANSWER_ACTOR
from kiosk.translation import N_
from kiosk.vocabulary import ContactPreference, EventAction, NoticeKind, PlaceType, Status
from ui.officer.common import (
    MIN_TOUCH,
    category_name,
    label,
    long_time,
    plain_button,
    problem_text,
    screen_language,
    short_time,
    status_name,
    tr,
    value_label,
    words,
)
from ui.officer.decision_dialogs import reason_name
from ui.officer.read_only_table import read_only_table
from ui.officer.touch_combo import touch_combo

if TYPE_CHECKING:
    from kiosk.notices.outbox import NoticeStatus
    from kiosk.report_document import Address, HistoryEvent, Item
    from kiosk.review import PossibleDuplicate, ReportDetail
    from kiosk.sync.order import Overruled
    from kiosk.tracking import TrackingNumber

# Officer mode's names (English, marked here and translated where shown), keyed by the vocabulary's members and
# looked up by the plain codes a report holds.
ACTION_NAMES: dict[str, str] = {
    EventAction.SUBMITTED: N_("Submitted at the kiosk"),
    EventAction.REVIEW_STARTED: N_("Review started"),
    EventAction.APPROVED: N_("Approved"),
    EventAction.INFO_REQUESTED: N_("More information requested"),
    EventAction.REJECTED: N_("Rejected"),
    EventAction.SUPPLEMENTED: N_("The citizen answered (supplement)"),
    EventAction.RECEIPT_REPRINTED: N_("Receipt printed again (new access code)"),
    "copy_printed": N_("Full copy printed"),  # an audit entry's action, not a history event's
}
PLACE_TYPES: dict[str, str] = {
    PlaceType.RESIDENCE: N_("Home"), PlaceType.STREET: N_("Street"), PlaceType.PARKING_LOT: N_("Parking lot"),
    PlaceType.BUSINESS: N_("Business or store"), PlaceType.PARK: N_("Park"), PlaceType.SCHOOL: N_("School"),
    PlaceType.PUBLIC_TRANSIT: N_("Bus, train or station"), PlaceType.VEHICLE: N_("Vehicle"),
    PlaceType.ONLINE: N_("Online or by phone"), PlaceType.OTHER: N_("Other place"),
}
DUPLICATE_REASONS = {
    "same_person": N_("person"), "same_home_address": N_("home address"), "same_location": N_("place"),
    "same_serial": N_("serial number"),
}
NOTICE_KINDS: dict[str, str] = {
    NoticeKind.SUBMITTED: N_("Report received"), NoticeKind.NEEDS_INFO: N_("More information needed"),
    NoticeKind.APPROVED: N_("Approved"), NoticeKind.REJECTED: N_("Rejected"),
}
CONTACT_PREFERENCES: dict[str, str] = {ContactPreference.EMAIL: N_("Email"), ContactPreference.PHONE: N_("Phone")}
ITEM_DISPOSITIONS: dict[str, str] = {"damaged": N_("Damaged"), "stolen": N_("Stolen"), "lost": N_("Lost"),
                                     "fraud": N_("Fraud")}


def named(table: Mapping[str, str], code: str) -> str:
    """``code``'s name from one of the tables above in the officer's language (the code itself when unknown)."""
    return tr(table[code]) if code in table else code


def language_name(code: str) -> str:
    """A language's name in the language officer mode is shown in ("Spanish", "español"), from CLDR."""
    if not code:
        return ""
    locale = QLocale(code)
    shown = QLocale(screen_language())
    name = QLocale.languageToString(locale.language())
    if shown.language() == locale.language():
        name = locale.nativeLanguageName() or name
    elif shown.language() != QLocale.Language.English:
        name = _name_in(shown, locale) or name
    if "_" in code:
        return f"{name} ({locale.nativeTerritoryName() or QLocale.territoryToString(locale.territory())})"
    return name


def _name_in(shown: QLocale, locale: QLocale) -> str:
    """The name of ``locale``'s language in ``shown``'s language, from Babel's CLDR data ("" when it has none)."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(locale.name()).get_language_name(shown.name()) or ""
    except (ValueError, UnknownLocaleError):
        return ""


def number_pending(report: Mapping[str, object]) -> bool:
    """An approval whose official number has not come from the department server yet."""
    return report.get("status") == Status.APPROVED and not report.get("official_number")


ACTORS: dict[str, str] = {"citizen": N_("Citizen"), WEB_ANSWER_ACTOR: N_("Citizen, on the status page"),
                          "system": N_("System")}
ACTOR_KINDS: dict[str, str] = {"officer": N_("Officer %1"), "cli": N_("Command line (%1)"),
                               "server": N_("%1 at the department server")}


def actor_name(actor: str) -> str:
    if actor in ACTORS:
        return tr(ACTORS[actor])
    kind, _, who = actor.partition(":")
    return words(ACTOR_KINDS[kind], who) if kind in ACTOR_KINDS else actor


def local(text: str | None, zone: tzinfo | None = None) -> str:
    """A stored time as the kiosk's local time with its zone's abbreviation (``EST``)."""
    if not text:
        return ""
    moment = datetime.fromisoformat(text)
    return long_time(moment.astimezone(zone) if zone is not None else moment)


def money(value: object) -> str:
    try:
        return f"${Decimal(str(value)):,.2f}"
    except (InvalidOperation, ValueError):
        return str(value or "")


def note_text(event: HistoryEvent) -> str:
    """A history event's reason and message as one readable text."""
    parts = []
    reason = event.get("reason_code")
    if reason:
        parts.append(reason_name(reason))
    message = event.get("message") or ""
    if message:
        from kiosk.review import parse_note

        note = parse_note(event.get("action", ""), message)
        for caption, value in (("%1", note.text), (N_("Phone call: %1"), note.phone_note),
                               (N_("Original report: %1"), note.duplicate_of), (N_("Next steps: %1"), note.next_steps)):
            if value:
                parts.append(words(caption, value))
    return "\n".join(parts)


def address_text(address: Address) -> str:
    first = ", ".join(part for part in (address.get("line1", ""), address.get("line2", "")) if part)
    second = " ".join(part for part in (address.get("city", "") + ",", address.get("state", ""),
                                        address.get("zip", "")) if part.strip(", "))
    return "\n".join(part for part in (first, second) if part)


def notice_text(notice: NoticeStatus) -> str:
    kind = named(NOTICE_KINDS, notice.kind)
    if notice.status == "sent":
        state = words(N_("sent %1"), short_time(notice.sent_at)) if notice.sent_at else tr("sent")
    elif notice.status == "pending":
        tries = tr("not tried yet") if not notice.attempts else words(N_("%1 attempt(s)"), str(notice.attempts))
        if notice.next_attempt_at:
            state = words(N_("waiting to be sent (%1, next try %2)"), tries, short_time(notice.next_attempt_at))
        else:
            state = words(N_("waiting to be sent (%1)"), tries)
    elif notice.status == "failed":
        state = words(N_("FAILED after %1 attempt(s)"), str(notice.attempts)) + (
            f": {notice.last_error}" if notice.last_error else "")
    elif notice.status == "no_email":
        state = tr("no e-mail address: call the citizen")
    else:
        state = notice.status
    return f"{kind}: {state}"


@dataclass
class ReportPage:
    """The page built for one report, and the controls on it that the detail view works with."""

    page: QWidget
    nibrs_combo: QComboBox
    duplicate_buttons: dict[str, QPushButton]


def build_report_page(detail: ReportDetail, zone: tzinfo | None,
                      open_duplicate: Callable[[TrackingNumber], None]) -> ReportPage:
    """Every section of the report in ``detail`` (ReviewService.open_report's ReportDetail), times in ``zone``;
    tapping a possible duplicate calls ``open_duplicate(tracking_number)``."""
    report = detail.report
    reporter, incident = report["reporter"], report["incident"]
    page = QWidget()
    page.setObjectName("detail_content")
    column = QVBoxLayout(page)
    column.setContentsMargins(0, 0, 12, 12)
    column.setSpacing(8)

    contact = detail.contact
    if not reporter.get("email"):  # the core says "call the citizen" in English: said here in the officer's language
        phone = display_phone(reporter.get("phone") or "")
        contact = problem_text(Problem("", "review.call_citizen", {"phone": phone}))
        call = value_label("call_citizen_label", f"☎  {contact}", "officer_call")
        call.setAccessibleName(contact)
        column.addWidget(call)

    _heading(column, "summary_heading", N_("Report"))
    _pairs(column, "summary", [
        (N_("Tracking number"), report["tracking_number"]),
        (N_("Status"), status_name(report["status"])),
        (N_("Official report number"), report.get("official_number") or (
            problem_text(Problem("", "review.official_number_pending")) if number_pending(report)
            else tr("none yet"))),
        (N_("Submitted"), local(report.get("submitted_at"), zone)),
        (N_("Kind of incident"), category_name(report["category"])),
        (N_("Citizen's language"), language_name(report.get("language", ""))),
    ])

    _heading(column, "reporter_heading", N_("Person reporting"))
    address = reporter.get("address", {})
    _pairs(column, "reporter", [
        (N_("Name"), f"{reporter.get('first_name', '')} {reporter.get('last_name', '')}".strip()),
        (N_("Date of birth"), reporter.get("date_of_birth", "")),
        (N_("Home address"), address_text(address)),
        (N_("Phone"), display_phone(reporter["phone"]) if reporter.get("phone") else tr("not given")),
        (N_("Email"), reporter.get("email") or tr("not given")),
        (N_("Prefers"), named(CONTACT_PREFERENCES, reporter.get("contact_preference", ""))),
        (N_("Contact"), contact),
    ])

    _heading(column, "incident_heading", N_("Incident"))
    location = incident.get("location", {})
    _pairs(column, "incident", [
        (N_("From"), local(incident.get("occurred_from"), zone)),
        (N_("To"), local(incident.get("occurred_to"), zone)),
        (N_("Where"), address_text(location)),
        (N_("Kind of place"), named(PLACE_TYPES, location.get("place_type", ""))),
    ])

    _items(column, report.get("items", []), detail.items_total)

    _heading(column, "narrative_heading", N_("What happened, in the citizen's words"))
    column.addWidget(value_label("narrative_label", incident.get("narrative", ""), "officer_narrative",
                                 selectable=True))

    _supplements(column, report.get("history", []), detail.overruled, zone)

    duplicate_buttons = _duplicates(column, detail.duplicates, open_duplicate)

    _heading(column, "nibrs_heading", N_("NIBRS offense code"))
    nibrs = nibrs_combo(detail)
    column.addWidget(nibrs)
    why = detail.nibrs.why_in(screen_language())
    column.addWidget(value_label("nibrs_why_label", words(N_("Suggested %1: %2"), detail.nibrs.code, why),
                                 "officer_hint"))

    _heading(column, "notices_heading", N_("Notices to the citizen"))
    if detail.notices:
        for number, notice in enumerate(detail.notices, start=1):
            column.addWidget(value_label(f"notice_{number}_label", notice_text(notice), "officer_body"))
    else:
        column.addWidget(label("notices_none_label", N_("No notices."), "officer_hint"))

    _heading(column, "history_heading", N_("History"))
    rows = [[local(event.get("at"), zone), actor_name(event.get("actor", "")),
             named(ACTION_NAMES, event.get("action", "")),
             status_name(event.get("status", "")),
             note_text(event)] for event in report.get("history", [])]
    history = read_only_table("history_table", [tr("When"), tr("Who"), tr("What"), tr("Status after"),
                                                tr("Reason and message")], rows)
    history.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
    history.horizontalHeader().resizeSection(2, 250)
    column.addWidget(history)
    history.fit()
    _overruled(column, detail.overruled, zone)
    column.addStretch(1)
    return ReportPage(page, nibrs, duplicate_buttons)


def _supplements(column: QVBoxLayout, history: Sequence[HistoryEvent], overruled: Sequence[Overruled],
                 zone: tzinfo | None) -> None:
    """The citizen's answers, each with where it was given (at the kiosk or on the status page). An answer given at
    the kiosk that the department server's order did not keep (the citizen had answered on the status page first)
    stays here with its words, and says so."""
    supplements = [event for event in history if event.get("action") == EventAction.SUPPLEMENTED]
    if not supplements:
        return
    _heading(column, "supplements_heading", N_("Added later by the citizen"))
    for number, event in enumerate(supplements, start=1):
        web = event.get("actor") == WEB_ANSWER_ACTOR
        where = N_("Answered on the status page, %1:") if web else N_("Answered at the kiosk, %1:")
        text = words(where, local(event.get("at"), zone)) + "\n" + (event.get("message") or "")
        lost = _overruled_change(event, overruled)
        if lost is not None:
            text += "\n" + (tr(N_("Not sent to the department server: the citizen had already answered on the "
                                   "status page (both answers are shown here)."))
                            if lost.by_actor == WEB_ANSWER_ACTOR else
                            tr(N_("Not sent to the department server: its order has another change first (see "
                                  "\"Did not stand\" below).")))
        column.addWidget(value_label(f"supplement_{number}_label", text, "officer_supplement", selectable=True))


def _overruled_change(event: HistoryEvent, overruled: Sequence[Overruled]) -> Overruled | None:
    """The entry of ``overruled`` that is this history event (same action, actor and time), if any."""
    at = datetime.fromisoformat(event["at"]) if event.get("at") else None
    return next((change for change in overruled if change.action == event.get("action")
                 and change.actor == event.get("actor") and change.at == at), None)


def _overruled(column: QVBoxLayout, overruled: Sequence[Overruled], zone: tzinfo | None) -> None:
    """The status changes made here that the department server's order did not keep, and who took their place."""
    if not overruled:
        return
    _heading(column, "overruled_heading", N_("Did not stand: the department server decided first"))
    for number, change in enumerate(overruled, start=1):
        made = words(N_("%1 by %2, %3"), named(ACTION_NAMES, change.action), actor_name(change.actor),
                     _when(change.at, zone))
        if change.by_action and change.by_actor and change.by_at:
            instead = words(N_("overruled: the department's order has %1 by %2, %3, in its place"),
                            named(ACTION_NAMES, change.by_action), actor_name(change.by_actor),
                            _when(change.by_at, zone))
        else:
            instead = words(N_("refused by the department server: %1"), change.reason)
        column.addWidget(value_label(f"overruled_{number}_label", f"{made}: {instead}.", "officer_call",
                                     selectable=True))


def _when(moment: datetime, zone: tzinfo | None) -> str:
    return long_time(moment.astimezone(zone) if zone is not None else moment)


def _items(column: QVBoxLayout, items: Sequence[Item], total: object) -> None:
    _heading(column, "items_heading", N_("Items"))
    if items:
        rows = []
        for number, item in enumerate(items, start=1):
            details = ", ".join(part for part in (
                item.get("brand", ""), item.get("model", ""),
                words(N_("serial %1"), item["serial_number"]) if item.get("serial_number") else "",
                item.get("institution", ""),
                words(N_("account …%1"), item["account_last4"]) if item.get("account_last4") else "") if part)
            disposition = item.get("disposition") or ""
            rows.append([str(number), named(ITEM_DISPOSITIONS, disposition) if disposition in ITEM_DISPOSITIONS
                         else disposition.capitalize(), item.get("description", ""),
                         details, str(item.get("quantity", "")), money(item.get("value", ""))])
        table = read_only_table("items_table", ["#", tr("What happened"), tr("Item"), tr("Details"), tr("Qty"),
                                                tr("Value")], rows)
        table.fill_with(3)
        column.addWidget(table)
        table.fit()
    else:
        column.addWidget(label("items_none_label", N_("No items were listed."), "officer_hint"))
    column.addWidget(value_label("items_total_label", words(N_("Total of the values given: %1"), money(total)),
                                 "officer_field"))


def _duplicates(column: QVBoxLayout, duplicates: Sequence[PossibleDuplicate],
                open_duplicate: Callable[[TrackingNumber], None]) -> dict[str, QPushButton]:
    _heading(column, "duplicates_heading", N_("Possible duplicates"))
    buttons: dict[str, QPushButton] = {}
    if not duplicates:
        column.addWidget(label("duplicates_none_label", N_("None found."), "officer_hint"))
        return buttons
    for duplicate in duplicates:
        why = ", ".join(named(DUPLICATE_REASONS, reason) for reason in duplicate.reasons)
        # Two lines: the reasons can be long, and one line would make the page wider than a portrait screen.
        same = words(N_("same %1"), why)
        text = (f"{duplicate.tracking_number} · {duplicate.submitted_at:%Y-%m-%d} · "
                f"{status_name(duplicate.status)}\n{same}")
        link = plain_button(f"duplicate_{duplicate.tracking_number.replace('-', '_').lower()}_button", text,
                            "officer_link", accessible="")
        link.say("%1", text, accessible=N_("Open possible duplicate %1"),
                 accessible_values=(duplicate.tracking_number,))
        link.clicked.connect(lambda _=False, number=duplicate.tracking_number: open_duplicate(number))
        column.addWidget(link)
        buttons[duplicate.tracking_number] = link
    return buttons


def _heading(column: QVBoxLayout, name: str, text: str) -> None:
    column.addSpacing(6)
    column.addWidget(label(name, text, "officer_heading"))


def _pairs(column: QVBoxLayout, name: str, pairs: list[tuple[str, str]]) -> None:
    grid = QGridLayout()
    grid.setHorizontalSpacing(16)
    grid.setVerticalSpacing(4)
    grid.setColumnStretch(1, 1)
    for row, (caption, value) in enumerate(pairs):
        key = caption.lower().replace(" ", "_").replace("'", "")  # the English caption: the same in every language
        grid.addWidget(label(f"{name}_{key}_caption", caption, "officer_field", wrap=False), row, 0,
                       Qt.AlignmentFlag.AlignTop)
        grid.addWidget(value_label(f"{name}_{key}_value", value, "officer_value", selectable=True), row, 1)
    column.addLayout(grid)


def nibrs_combo(detail: ReportDetail) -> QComboBox:
    """Every NIBRS code, the suggested one chosen; editable (a code may be typed), and only while approving is
    possible."""
    from kiosk.nibrs import CODES

    combo = touch_combo(QComboBox())
    combo.setObjectName("nibrs_combo")
    combo.setAccessibleName(tr("NIBRS offense code"))
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.setMinimumHeight(MIN_TOUCH)
    combo.setMaxVisibleItems(12)
    for code, title in CODES.items():
        combo.addItem(f"{code} — {title}", code)
    edit = combo.lineEdit()
    assert edit is not None, "an editable combo box has its line edit"
    edit.setObjectName("nibrs_edit")
    edit.setAccessibleName(tr("NIBRS offense code"))
    index = combo.findData(detail.nibrs.code)
    if index >= 0:
        combo.setCurrentIndex(index)
    combo.setEnabled(EventAction.APPROVED in detail.decisions)
    return combo


def chosen_nibrs(combo: QComboBox | None) -> tuple[str, str]:
    """The code the officer confirmed or chose (typed codes are read up to the first space) and its title."""
    from kiosk.nibrs import CODES, normalise_code

    if combo is None:
        return "", ""
    text = combo.currentText().strip()
    index = combo.findText(text)
    code = combo.itemData(index) if index >= 0 else normalise_code(text.split(" ")[0] if text else "")
    return code, CODES.get(code, "")
