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
from kiosk.vocabulary import ContactPreference, EventAction, NoticeKind, PlaceType, Status
from ui.officer.common import (
    MIN_TOUCH,
    button,
    category_name,
    label,
    long_time,
    problem_text,
    short_time,
    status_name,
)
from ui.officer.decision_dialogs import REASON_NAMES
from ui.officer.read_only_table import read_only_table
from ui.officer.touch_combo import touch_combo

if TYPE_CHECKING:
    from kiosk.notices.outbox import NoticeStatus
    from kiosk.report_document import Address, HistoryEvent, Item
    from kiosk.review import PossibleDuplicate, ReportDetail
    from kiosk.sync.order import Overruled
    from kiosk.tracking import TrackingNumber

# Officer mode's English names, keyed by the vocabulary's members and looked up by the plain codes a report holds.
ACTION_NAMES: dict[str, str] = {
    EventAction.SUBMITTED: "Submitted at the kiosk",
    EventAction.REVIEW_STARTED: "Review started",
    EventAction.APPROVED: "Approved",
    EventAction.INFO_REQUESTED: "More information requested",
    EventAction.REJECTED: "Rejected",
    EventAction.SUPPLEMENTED: "The citizen answered (supplement)",
    EventAction.RECEIPT_REPRINTED: "Receipt printed again (new access code)",
    "copy_printed": "Full copy printed",  # an audit entry's action, not a history event's
}
PLACE_TYPES: dict[str, str] = {
    PlaceType.RESIDENCE: "Home", PlaceType.STREET: "Street", PlaceType.PARKING_LOT: "Parking lot",
    PlaceType.BUSINESS: "Business or store", PlaceType.PARK: "Park", PlaceType.SCHOOL: "School",
    PlaceType.PUBLIC_TRANSIT: "Bus, train or station", PlaceType.VEHICLE: "Vehicle",
    PlaceType.ONLINE: "Online or by phone", PlaceType.OTHER: "Other place",
}
DUPLICATE_REASONS = {
    "same_person": "person", "same_home_address": "home address", "same_location": "place",
    "same_serial": "serial number",
}
NOTICE_KINDS: dict[str, str] = {
    NoticeKind.SUBMITTED: "Report received", NoticeKind.NEEDS_INFO: "More information needed",
    NoticeKind.APPROVED: "Approved", NoticeKind.REJECTED: "Rejected",
}
CONTACT_PREFERENCES: dict[str, str] = {ContactPreference.EMAIL: "Email", ContactPreference.PHONE: "Phone"}


def language_name(code: str) -> str:
    """A language's name in English, as officer mode writes it ("Spanish", "Portuguese (Brazil)")."""
    if not code:
        return ""
    locale = QLocale(code)
    name = QLocale.languageToString(locale.language())
    return f"{name} ({QLocale.territoryToString(locale.territory())})" if "_" in code else name


def number_pending(report: Mapping[str, object]) -> bool:
    """An approval whose official number has not come from the department server yet."""
    return report.get("status") == Status.APPROVED and not report.get("official_number")


def actor_name(actor: str) -> str:
    if actor == "citizen":
        return "Citizen"
    if actor == "system":
        return "System"
    kind, _, who = actor.partition(":")
    return {"officer": f"Officer {who}", "cli": f"Command line ({who})",
            "server": f"{who} at the department server"}.get(kind, actor)


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
        parts.append(REASON_NAMES.get(reason, reason))
    message = event.get("message") or ""
    if message:
        from kiosk.review import parse_note

        note = parse_note(event.get("action", ""), message)
        for caption, value in (("", note.text), ("Phone call: ", note.phone_note),
                               ("Original report: ", note.duplicate_of), ("Next steps: ", note.next_steps)):
            if value:
                parts.append(caption + value)
    return "\n".join(parts)


def address_text(address: Address) -> str:
    first = ", ".join(part for part in (address.get("line1", ""), address.get("line2", "")) if part)
    second = " ".join(part for part in (address.get("city", "") + ",", address.get("state", ""),
                                        address.get("zip", "")) if part.strip(", "))
    return "\n".join(part for part in (first, second) if part)


def notice_text(notice: NoticeStatus) -> str:
    kind = NOTICE_KINDS.get(notice.kind, notice.kind)
    if notice.status == "sent":
        state = f"sent {short_time(notice.sent_at)}" if notice.sent_at else "sent"
    elif notice.status == "pending":
        tries = "not tried yet" if not notice.attempts else f"{notice.attempts} attempt(s)"
        after = f", next try {short_time(notice.next_attempt_at)}" if notice.next_attempt_at else ""
        state = f"waiting to be sent ({tries}{after})"
    elif notice.status == "failed":
        state = f"FAILED after {notice.attempts} attempt(s)" + (f": {notice.last_error}" if notice.last_error
                                                               else "")
    elif notice.status == "no_email":
        state = "no e-mail address: call the citizen"
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

    if not reporter.get("email"):
        call = label("call_citizen_label", f"☎  {detail.contact}", "officer_call")
        call.setAccessibleName(detail.contact)
        column.addWidget(call)

    _heading(column, "summary_heading", "Report")
    _pairs(column, "summary", [
        ("Tracking number", report["tracking_number"]),
        ("Status", status_name(report["status"])),
        ("Official report number", report.get("official_number") or (
            problem_text(Problem("", "review.official_number_pending")) if number_pending(report)
            else "none yet")),
        ("Submitted", local(report.get("submitted_at"), zone)),
        ("Kind of incident", category_name(report["category"])),
        ("Citizen's language", language_name(report.get("language", ""))),
    ])

    _heading(column, "reporter_heading", "Person reporting")
    address = reporter.get("address", {})
    _pairs(column, "reporter", [
        ("Name", f"{reporter.get('first_name', '')} {reporter.get('last_name', '')}".strip()),
        ("Date of birth", reporter.get("date_of_birth", "")),
        ("Home address", address_text(address)),
        ("Phone", display_phone(reporter["phone"]) if reporter.get("phone") else "not given"),
        ("Email", reporter.get("email") or "not given"),
        ("Prefers", CONTACT_PREFERENCES.get(reporter.get("contact_preference", ""), "")),
        ("Contact", detail.contact),
    ])

    _heading(column, "incident_heading", "Incident")
    location = incident.get("location", {})
    _pairs(column, "incident", [
        ("From", local(incident.get("occurred_from"), zone)),
        ("To", local(incident.get("occurred_to"), zone)),
        ("Where", address_text(location)),
        ("Kind of place", PLACE_TYPES.get(location.get("place_type", ""), location.get("place_type", ""))),
    ])

    _items(column, report.get("items", []), detail.items_total)

    _heading(column, "narrative_heading", "What happened, in the citizen's words")
    column.addWidget(label("narrative_label", incident.get("narrative", ""), "officer_narrative", selectable=True))

    supplements = [event for event in report.get("history", []) if event.get("action") == EventAction.SUPPLEMENTED]
    if supplements:
        _heading(column, "supplements_heading", "Added later by the citizen")
        for number, event in enumerate(supplements, start=1):
            column.addWidget(label(f"supplement_{number}_label",
                                   f"Supplement from the citizen, {local(event.get('at'), zone)}:\n"
                                   f"{event.get('message') or ''}", "officer_supplement", selectable=True))

    duplicate_buttons = _duplicates(column, detail.duplicates, open_duplicate)

    _heading(column, "nibrs_heading", "NIBRS offense code")
    nibrs = nibrs_combo(detail)
    column.addWidget(nibrs)
    column.addWidget(label("nibrs_why_label", f"Suggested {detail.nibrs.code}: {detail.nibrs.why}", "officer_hint"))

    _heading(column, "notices_heading", "Notices to the citizen")
    if detail.notices:
        for number, notice in enumerate(detail.notices, start=1):
            column.addWidget(label(f"notice_{number}_label", notice_text(notice), "officer_body"))
    else:
        column.addWidget(label("notices_none_label", "No notices.", "officer_hint"))

    _heading(column, "history_heading", "History")
    rows = [[local(event.get("at"), zone), actor_name(event.get("actor", "")),
             ACTION_NAMES.get(event.get("action", ""), event.get("action", "")),
             status_name(event.get("status", "")),
             note_text(event)] for event in report.get("history", [])]
    history = read_only_table("history_table", ["When", "Who", "What", "Status after", "Reason and message"], rows)
    history.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
    history.horizontalHeader().resizeSection(2, 250)
    column.addWidget(history)
    history.fit()
    _overruled(column, detail.overruled, zone)
    column.addStretch(1)
    return ReportPage(page, nibrs, duplicate_buttons)


def _overruled(column: QVBoxLayout, overruled: Sequence[Overruled], zone: tzinfo | None) -> None:
    """The status changes made here that the department server's order did not keep, and who took their place."""
    if not overruled:
        return
    _heading(column, "overruled_heading", "Did not stand: the department server decided first")
    for number, change in enumerate(overruled, start=1):
        what = ACTION_NAMES.get(change.action, change.action)
        made = f"{what} by {actor_name(change.actor)}, {_when(change.at, zone)}"
        if change.by_action and change.by_actor and change.by_at:
            instead = (f"overruled: the department's order has {ACTION_NAMES.get(change.by_action, change.by_action)}"
                       f" by {actor_name(change.by_actor)}, {_when(change.by_at, zone)}, in its place")
        else:
            instead = f"refused by the department server: {change.reason}"
        column.addWidget(label(f"overruled_{number}_label", f"{made}: {instead}.", "officer_call", selectable=True))


def _when(moment: datetime, zone: tzinfo | None) -> str:
    return long_time(moment.astimezone(zone) if zone is not None else moment)


def _items(column: QVBoxLayout, items: Sequence[Item], total: object) -> None:
    _heading(column, "items_heading", "Items")
    if items:
        rows = []
        for number, item in enumerate(items, start=1):
            details = ", ".join(part for part in (
                item.get("brand", ""), item.get("model", ""),
                f"serial {item['serial_number']}" if item.get("serial_number") else "",
                item.get("institution", ""),
                f"account …{item['account_last4']}" if item.get("account_last4") else "") if part)
            rows.append([str(number), (item.get("disposition") or "").capitalize(), item.get("description", ""),
                         details, str(item.get("quantity", "")), money(item.get("value", ""))])
        table = read_only_table("items_table", ["#", "What happened", "Item", "Details", "Qty", "Value"], rows)
        table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.ResizeToContents)
        column.addWidget(table)
        table.fit()
    else:
        column.addWidget(label("items_none_label", "No items were listed.", "officer_hint"))
    column.addWidget(label("items_total_label", f"Total of the values given: {money(total)}", "officer_field"))


def _duplicates(column: QVBoxLayout, duplicates: Sequence[PossibleDuplicate],
                open_duplicate: Callable[[TrackingNumber], None]) -> dict[str, QPushButton]:
    _heading(column, "duplicates_heading", "Possible duplicates")
    buttons: dict[str, QPushButton] = {}
    if not duplicates:
        column.addWidget(label("duplicates_none_label", "None found.", "officer_hint"))
        return buttons
    for duplicate in duplicates:
        why = ", ".join(DUPLICATE_REASONS.get(reason, reason) for reason in duplicate.reasons)
        # Two lines: the reasons can be long, and one line would make the page wider than a portrait screen.
        text = (f"{duplicate.tracking_number} · {duplicate.submitted_at:%Y-%m-%d} · "
                f"{status_name(duplicate.status)}\nsame {why}")
        link = button(f"duplicate_{duplicate.tracking_number.replace('-', '_').lower()}_button", text,
                      "officer_link", accessible=f"Open possible duplicate {duplicate.tracking_number}")
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
        key = caption.lower().replace(" ", "_").replace("'", "")
        grid.addWidget(label(f"{name}_{key}_caption", caption, "officer_field", wrap=False), row, 0,
                       Qt.AlignmentFlag.AlignTop)
        grid.addWidget(label(f"{name}_{key}_value", value, "officer_value", selectable=True), row, 1)
    column.addLayout(grid)


def nibrs_combo(detail: ReportDetail) -> QComboBox:
    """Every NIBRS code, the suggested one chosen; editable (a code may be typed), and only while approving is
    possible."""
    from kiosk.nibrs import CODES

    combo = touch_combo(QComboBox())
    combo.setObjectName("nibrs_combo")
    combo.setAccessibleName("NIBRS offense code")
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.setMinimumHeight(MIN_TOUCH)
    combo.setMaxVisibleItems(12)
    for code, title in CODES.items():
        combo.addItem(f"{code} — {title}", code)
    edit = combo.lineEdit()
    assert edit is not None, "an editable combo box has its line edit"
    edit.setObjectName("nibrs_edit")
    edit.setAccessibleName("NIBRS offense code")
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
