"""One report, everything about it, and the officer's decisions.

``ReviewService.open_report`` gives the whole picture (the report, its history, possible duplicates, the NIBRS
suggestion, the notices and the decisions its status allows). The page is rebuilt from it each time it is loaded,
so nothing of one report is ever left on screen for the next. ``back_requested(tracking_number)`` asks for the queue,
``open_requested(tracking_number)`` for another report (a possible duplicate), ``decided(tracking_number)`` follows
each decision stored (officer mode then asks the sync worker for a run).

With a department server (``sync_configured``) an approval gets its official number from the server: until it
arrives the page says "official number pending".
"""

from __future__ import annotations

import logging
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import Config
from kiosk.messages import Problem, render
from ui.officer.common import (
    MIN_TOUCH,
    button,
    category_name,
    label,
    long_time,
    short_time,
    status_name,
)
from ui.officer.decision_dialogs import (
    REASON_NAMES,
    ApproveDialog,
    DecisionDialog,
    MessageCard,
    RejectDialog,
    RequestInfoDialog,
)
from ui.officer.jobs import BackgroundJob
from ui.officer.touch_combo import touch_combo
from ui.page_holder import PageHolder
from ui.rows import RowsThatWrap

log = logging.getLogger(__name__)

ACTION_NAMES = {
    "submitted": "Submitted at the kiosk",
    "review_started": "Review started",
    "approved": "Approved",
    "info_requested": "More information requested",
    "rejected": "Rejected",
    "supplemented": "The citizen answered (supplement)",
    "receipt_reprinted": "Receipt printed again (new access code)",
    "copy_printed": "Full copy printed",
}
PLACE_TYPES = {
    "residence": "Home", "street": "Street", "parking_lot": "Parking lot", "business": "Business or store",
    "park": "Park", "school": "School", "public_transit": "Bus, train or station", "vehicle": "Vehicle",
    "online": "Online or by phone", "other": "Other place",
}
DUPLICATE_REASONS = {
    "same_person": "person", "same_home_address": "home address", "same_location": "place",
    "same_serial": "serial number",
}
NOTICE_KINDS = {
    "submitted": "Report received", "needs_info": "More information needed", "approved": "Approved",
    "rejected": "Rejected",
}
PRINT_REASONS = {
    "no_printer": "No printer is set up for this.",
    "printer_missing": "The printer could not be found.",
    "printer_stopped": "The printer is paused, offline or out of paper.",
    "job_failed": "The printer did not finish the job.",
}
LANGUAGES = {"en": "English", "es": "Spanish"}
NUMBER_PENDING_SHORT = "official number pending"


def number_pending(report: dict[str, Any]) -> bool:
    """An approval whose official number has not come from the department server yet."""
    return report.get("status") == "approved" and not report.get("official_number")


def actor_name(actor: str) -> str:
    if actor == "citizen":
        return "Citizen"
    if actor == "system":
        return "System"
    kind, _, who = actor.partition(":")
    return {"officer": f"Officer {who}", "cli": f"Command line ({who})"}.get(kind, actor)


def local(text: str | None, zone: Any = None) -> str:
    """A stored time as the kiosk's local time with its zone's abbreviation (``EST``)."""
    if not text:
        return ""
    moment = datetime.fromisoformat(text)
    return long_time(moment.astimezone(zone) if zone is not None else moment)


def money(value: Any) -> str:
    try:
        return f"${Decimal(str(value)):,.2f}"
    except (InvalidOperation, ValueError):
        return str(value or "")


def note_text(event: dict[str, Any]) -> str:
    """A history event's reason and message as one readable text."""
    parts = []
    if event.get("reason_code"):
        parts.append(REASON_NAMES.get(event["reason_code"], event["reason_code"]))
    message = event.get("message") or ""
    if message:
        from kiosk.review import parse_note

        note = parse_note(event.get("action", ""), message)
        for caption, value in (("", note.text), ("Phone call: ", note.phone_note),
                               ("Original report: ", note.duplicate_of), ("Next steps: ", note.next_steps)):
            if value:
                parts.append(caption + value)
    return "\n".join(parts)


def read_only_table(name: str, headers: list[str], rows: list[list[str]]) -> FittedTable:
    table = FittedTable(len(rows), len(headers))
    table.setObjectName(name)
    table.setProperty("role", "officer_table")
    table.setAccessibleName(name.replace("_", " "))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.setAlternatingRowColors(True)
    table.setWordWrap(True)
    table.verticalHeader().hide()
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    return table


class FittedTable(QTableWidget):
    """A read-only table as tall as all its rows (the page scrolls, not the table); rows are measured again at each
    new width, since wrapped text needs more lines when the table is narrower."""

    def __init__(self, rows: int, columns: int) -> None:
        super().__init__(rows, columns)
        self._fitted_width = -1
        # The header lays its sections out after a resize: measure the rows once it has.
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self.fit)
        self.horizontalHeader().sectionResized.connect(lambda *_: self._refit.start())

    def fit(self) -> None:
        self.resizeRowsToContents()
        height = self.horizontalHeader().height() + 2 * self.frameWidth()
        for row in range(self.rowCount()):
            height += self.rowHeight(row)
        self.setFixedHeight(height)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if event.size().width() != self._fitted_width:
            self._fitted_width = event.size().width()
            self._refit.start()


def fit_table_height(table: QTableWidget) -> None:
    if isinstance(table, FittedTable):
        table.fit()


class DetailView(QWidget):
    back_requested = Signal(str)
    open_requested = Signal(str)
    decided = Signal(str)

    def __init__(self, review: Any, session: Any, config: Config, *, printer: Any = None, copy_printer: Any = None,
                 sync_configured: bool | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detail_view")
        self._review = review
        self._session = session
        self._config = config
        self._printer = printer
        self._copy_printer = copy_printer
        self._sync_configured = (bool(config.sync.server_url) if sync_configured is None else sync_configured)
        self.detail: Any = None
        self.tracking_number = ""
        self.last_access_code: str | None = None  # for tests and the message shown when a receipt did not print

        self.back_button = button("back_to_queue_button", "‹ Back to the queue")
        self.back_button.clicked.connect(lambda: self.back_requested.emit(self.tracking_number))
        self.title = label("detail_title_label", "", "officer_title", selectable=True)
        self.status_label = label("detail_status_label", "", "officer_body", wrap=False)
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addSpacing(16)
        top.addWidget(self.title, 1)
        top.addWidget(self.status_label)

        # The report scrolls in the kiosk's page holder, which sizes wrapped text at the width it really gets (a
        # bare QScrollArea would size it at its narrowest, leaving a screenful of blank space at the end).
        self.scroll = PageHolder(QWidget())
        self.scroll.setObjectName("detail_scroll_area")
        self.content: QWidget | None = None

        self.approve_button = button("approve_button", "Approve", "officer_primary")
        self.request_info_button = button("request_info_button", "Request more information")
        self.reject_button = button("reject_button", "Reject", "officer_danger")
        self.reprint_button = button("reprint_receipt_button", "Reprint receipt")
        self.copy_button = button("print_copy_button", "Print full copy")
        self.approve_button.clicked.connect(self._ask_approve)
        self.request_info_button.clicked.connect(self._ask_request_info)
        self.reject_button.clicked.connect(self._ask_reject)
        self.reprint_button.clicked.connect(self._ask_reprint)
        self.copy_button.clicked.connect(self._print_copy)
        decisions = QHBoxLayout()
        decisions.setSpacing(10)
        for widget in (self.approve_button, self.request_info_button, self.reject_button):
            decisions.addWidget(widget)
        prints = QHBoxLayout()
        prints.setSpacing(10)
        prints.addWidget(self.reprint_button)
        prints.addWidget(self.copy_button)
        actions = RowsThatWrap(decisions, prints)  # the printing buttons go below on a portrait screen
        bar = QFrame()
        bar.setObjectName("detail_action_bar")
        bar.setLayout(actions)

        column = QVBoxLayout(self)
        column.setContentsMargins(20, 12, 20, 12)
        column.setSpacing(10)
        column.addLayout(top)
        column.addWidget(self.scroll, 1)
        column.addWidget(bar)

        self.approve_dialog = ApproveDialog(self, number_from_server=self._sync_configured)
        self.request_info_dialog = RequestInfoDialog(self)
        from kiosk.review import REJECT_REASONS, default_next_steps

        self.reject_dialog = RejectDialog(self, REJECT_REASONS,
                                          lambda reason, language: default_next_steps(reason, language, config))
        self.reprint_dialog = DecisionDialog("reprint_dialog", "Print the receipt again?", "Print a new receipt", self)
        self.reprint_dialog.subtitle.setText("The receipt is printed with a new access code. The code on the "
                                             "citizen's old receipt stops working at once.")
        self.reprint_dialog.values = dict  # type: ignore[method-assign]  # nothing to collect
        self.message_card = MessageCard(self)
        self.approve_dialog.submitted.connect(self._approve)
        self.request_info_dialog.submitted.connect(self._request_info)
        self.reject_dialog.submitted.connect(self._reject)
        self.reprint_dialog.submitted.connect(self._reprint)
        self.nibrs_combo: QComboBox | None = None
        self.duplicate_buttons: dict[str, Any] = {}

    # -- loading ----------------------------------------------------------------------------------------------------

    def load(self, tracking_number: str) -> None:
        """Open a report (the core records that this officer opened it) and show it."""
        detail = self._review.open_report(tracking_number, self._session)
        self.show_detail(detail)

    def reload(self) -> None:
        if self.tracking_number:
            self.load(self.tracking_number)

    def reload_if_number_pending(self) -> None:
        """Read the report again when it waits for its official number (after a sync run), unless a dialog is
        open over it."""
        if self.detail is None or not number_pending(self.detail.report):
            return
        if any(dialog.isVisible() for dialog in (self.approve_dialog, self.request_info_dialog, self.reject_dialog,
                                                  self.reprint_dialog)):
            return
        self.reload()

    def show_detail(self, detail: Any) -> None:
        self.detail = detail
        report = detail.report
        self.tracking_number = report["tracking_number"]
        self.title.setText(f"Report {self.tracking_number} · {category_name(report['category'])}")
        official = report.get("official_number")
        self.status_label.setText(status_name(report["status"]) + (
            f" · {official}" if official else f" · {NUMBER_PENDING_SHORT}" if number_pending(report) else ""))
        old = self.scroll.takeWidget()
        if old is not None:
            old.removeEventFilter(self.scroll)
            old.deleteLater()
        self.content = self._build(detail)
        self.scroll.setWidget(self.content)
        self.content.installEventFilter(self.scroll)  # the holder fits the page again when its layout changes
        self.scroll.scroll_to_top()
        decisions = set(detail.decisions)
        self.approve_button.setEnabled("approved" in decisions)
        self.request_info_button.setEnabled("info_requested" in decisions)
        self.reject_button.setEnabled("rejected" in decisions)
        self.reprint_button.setEnabled(True)
        self.copy_button.setEnabled(self._copy_printer is not None)
        self.copy_button.setToolTip("" if self._copy_printer else "No printer for full copies is set up.")

    def wipe(self) -> None:
        """Forget the report shown (leaving officer mode)."""
        old = self.scroll.takeWidget()
        if old is not None:
            old.removeEventFilter(self.scroll)
            old.deleteLater()
        self.detail = None
        self.tracking_number = ""
        self.last_access_code = None
        for dialog in (self.approve_dialog, self.request_info_dialog, self.reject_dialog, self.reprint_dialog,
                       self.message_card):
            dialog.hide()

    # -- building the page ------------------------------------------------------------------------------------------

    def _build(self, detail: Any) -> QWidget:
        from kiosk.review import display_phone

        report = detail.report
        reporter, incident = report["reporter"], report["incident"]
        zone = self._config.kiosk.zone
        page = QWidget()
        page.setObjectName("detail_content")
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 12, 12)
        column.setSpacing(8)

        if not reporter.get("email"):
            call = label("call_citizen_label", f"☎  {detail.contact}", "officer_call")
            call.setAccessibleName(detail.contact)
            column.addWidget(call)

        self._heading(column, "summary_heading", "Report")
        self._pairs(column, "summary", [
            ("Tracking number", report["tracking_number"]),
            ("Status", status_name(report["status"])),
            ("Official report number", report.get("official_number") or (
                render(Problem("", "review.official_number_pending"), "en") if number_pending(report)
                else "none yet")),
            ("Submitted", local(report.get("submitted_at"), zone)),
            ("Kind of incident", category_name(report["category"])),
            ("Citizen's language", LANGUAGES.get(report.get("language", ""), report.get("language", ""))),
        ])

        self._heading(column, "reporter_heading", "Person reporting")
        address = reporter.get("address", {})
        self._pairs(column, "reporter", [
            ("Name", f"{reporter.get('first_name', '')} {reporter.get('last_name', '')}".strip()),
            ("Date of birth", reporter.get("date_of_birth", "")),
            ("Home address", self._address(address)),
            ("Phone", display_phone(reporter["phone"]) if reporter.get("phone") else "not given"),
            ("Email", reporter.get("email") or "not given"),
            ("Prefers", {"email": "Email", "phone": "Phone"}.get(reporter.get("contact_preference", ""), "")),
            ("Contact", detail.contact),
        ])

        self._heading(column, "incident_heading", "Incident")
        location = incident.get("location", {})
        self._pairs(column, "incident", [
            ("From", local(incident.get("occurred_from"), zone)),
            ("To", local(incident.get("occurred_to"), zone)),
            ("Where", self._address(location)),
            ("Kind of place", PLACE_TYPES.get(location.get("place_type", ""), location.get("place_type", ""))),
        ])

        self._heading(column, "items_heading", "Items")
        items = report.get("items", [])
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
            fit_table_height(table)
        else:
            column.addWidget(label("items_none_label", "No items were listed.", "officer_hint"))
        column.addWidget(label("items_total_label", f"Total of the values given: {money(detail.items_total)}",
                               "officer_field"))

        self._heading(column, "narrative_heading", "What happened, in the citizen's words")
        column.addWidget(label("narrative_label", incident.get("narrative", ""), "officer_narrative", selectable=True))

        supplements = [event for event in report.get("history", []) if event.get("action") == "supplemented"]
        if supplements:
            self._heading(column, "supplements_heading", "Added later by the citizen")
            for number, event in enumerate(supplements, start=1):
                column.addWidget(label(f"supplement_{number}_label",
                                       f"Supplement from the citizen, {local(event.get('at'), zone)}:\n"
                                       f"{event.get('message') or ''}", "officer_supplement", selectable=True))

        self._heading(column, "duplicates_heading", "Possible duplicates")
        self.duplicate_buttons = {}
        if detail.duplicates:
            for duplicate in detail.duplicates:
                why = ", ".join(DUPLICATE_REASONS.get(reason, reason) for reason in duplicate.reasons)
                text = (f"{duplicate.tracking_number} · {duplicate.submitted_at:%Y-%m-%d} · "
                        f"{status_name(duplicate.status)} — same {why}")
                link = button(f"duplicate_{duplicate.tracking_number.replace('-', '_').lower()}_button", text,
                              "officer_link", accessible=f"Open possible duplicate {duplicate.tracking_number}")
                link.clicked.connect(lambda _=False, number=duplicate.tracking_number: self.open_requested.emit(number))
                column.addWidget(link)
                self.duplicate_buttons[duplicate.tracking_number] = link
        else:
            column.addWidget(label("duplicates_none_label", "None found.", "officer_hint"))

        self._heading(column, "nibrs_heading", "NIBRS offense code")
        self.nibrs_combo = self._nibrs_combo(detail)
        column.addWidget(self.nibrs_combo)
        column.addWidget(label("nibrs_why_label", f"Suggested {detail.nibrs.code}: {detail.nibrs.why}",
                               "officer_hint"))

        self._heading(column, "notices_heading", "Notices to the citizen")
        if detail.notices:
            for number, notice in enumerate(detail.notices, start=1):
                column.addWidget(label(f"notice_{number}_label", self._notice_text(notice), "officer_body"))
        else:
            column.addWidget(label("notices_none_label", "No notices.", "officer_hint"))

        self._heading(column, "history_heading", "History")
        rows = [[local(event.get("at"), zone), actor_name(event.get("actor", "")),
                 ACTION_NAMES.get(event.get("action", ""), event.get("action", "")),
                 status_name(event.get("status", "")),
                 note_text(event)] for event in report.get("history", [])]
        history = read_only_table("history_table", ["When", "Who", "What", "Status after", "Reason and message"], rows)
        history.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        history.horizontalHeader().resizeSection(2, 250)
        column.addWidget(history)
        fit_table_height(history)
        column.addStretch(1)
        return page

    def _heading(self, column: QVBoxLayout, name: str, text: str) -> None:
        column.addSpacing(6)
        column.addWidget(label(name, text, "officer_heading"))

    def _pairs(self, column: QVBoxLayout, name: str, pairs: list[tuple[str, str]]) -> None:
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

    @staticmethod
    def _address(address: dict[str, str]) -> str:
        first = ", ".join(part for part in (address.get("line1", ""), address.get("line2", "")) if part)
        second = " ".join(part for part in (address.get("city", "") + ",", address.get("state", ""),
                                            address.get("zip", "")) if part.strip(", "))
        return "\n".join(part for part in (first, second) if part)

    def _nibrs_combo(self, detail: Any) -> QComboBox:
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
        combo.lineEdit().setObjectName("nibrs_edit")
        combo.lineEdit().setAccessibleName("NIBRS offense code")
        index = combo.findData(detail.nibrs.code)
        if index >= 0:
            combo.setCurrentIndex(index)
        combo.setEnabled("approved" in detail.decisions)
        return combo

    def chosen_nibrs(self) -> tuple[str, str]:
        """The code the officer confirmed or chose (typed codes are read up to the first space) and its title."""
        from kiosk.nibrs import CODES, normalise_code

        combo = self.nibrs_combo
        if combo is None:
            return "", ""
        text = combo.currentText().strip()
        index = combo.findText(text)
        code = combo.itemData(index) if index >= 0 else normalise_code(text.split(" ")[0] if text else "")
        return code, CODES.get(code, "")

    @staticmethod
    def _notice_text(notice: Any) -> str:
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

    # -- decisions --------------------------------------------------------------------------------------------------

    def _ask_approve(self) -> None:
        code, title = self.chosen_nibrs()
        self.approve_dialog.prepare(self.tracking_number, code, title)
        self.approve_dialog.open()

    def _ask_request_info(self) -> None:
        self.request_info_dialog.prepare(self.tracking_number)
        self.request_info_dialog.open()

    def _ask_reject(self) -> None:
        hint = self.detail.duplicates[0].tracking_number if self.detail and self.detail.duplicates else ""
        self.reject_dialog.prepare(self.tracking_number, self.detail.report.get("language", "en"), hint)
        self.reject_dialog.open()

    def _ask_reprint(self) -> None:
        self.reprint_dialog.clear_problems()
        self.reprint_dialog.open()

    def _approve(self, values: dict[str, Any]) -> None:
        decision = self._decide(self.approve_dialog, self._review.approve, nibrs_code=values["nibrs_code"],
                                message=values["message"])
        if decision is not None:
            number = (f"Official report number: {decision.official_number}" if decision.official_number else
                      "The official report number comes from the department server when the kiosk next syncs; "
                      "until then the report shows \"official number pending\". The citizen's e-mail is sent "
                      "with the number.")
            self.message_card.show_message("Approved", f"Report {decision.tracking_number} is approved.\n{number}")

    def _request_info(self, values: dict[str, Any]) -> None:
        decision = self._decide(self.request_info_dialog, self._review.request_info, question=values["question"],
                                phone_note=values["phone_note"])
        if decision is not None:
            self.message_card.show_message("More information requested",
                                           f"Report {decision.tracking_number} now waits for the citizen's answer.")

    def _reject(self, values: dict[str, Any]) -> None:
        decision = self._decide(self.reject_dialog, self._review.reject, reason=values["reason"],
                                next_steps=values["next_steps"], duplicate_of=values["duplicate_of"],
                                message=values["message"])
        if decision is not None:
            self.message_card.show_message("Rejected", f"Report {decision.tracking_number} is rejected.")

    def _decide(self, dialog: DecisionDialog, action: Any, **values: Any) -> Any:
        from kiosk.review import ReviewConflict, ReviewInputError

        try:
            decision = action(self.tracking_number, self._session, expected_version=self.detail.version, **values)
        except ReviewInputError as exc:
            dialog.show_problems(exc.problems)
            return None
        except ReviewConflict as exc:
            dialog.close_dialog()
            self.reload()
            self.message_card.show_message("Someone else acted first", render(exc.problem, "en"))
            return None
        dialog.close_dialog()
        self.reload()
        self.decided.emit(decision.tracking_number)
        return decision

    # -- printing ---------------------------------------------------------------------------------------------------

    def _reprint(self, _values: dict[str, Any]) -> None:
        self.reprint_dialog.close_dialog()
        tracking = self.tracking_number
        access_code = self._review.reprint_receipt(tracking, self._session)
        self.last_access_code = access_code
        self.reload()
        if self._printer is None:
            self._show_receipt_outcome(tracking, access_code, None)
            return
        from ui.wizard.receipt_job import ReceiptJob

        self.reprint_button.setEnabled(False)
        self.message_card.show_message("Printing the receipt…", f"Report {tracking}: a new receipt is printing.")
        self.message_card.ok_button.setEnabled(False)
        job = ReceiptJob(self._printer, tracking, access_code)
        job.finished.connect(lambda number, outcome: self._show_receipt_outcome(number, access_code, outcome))
        job.start()

    def _show_receipt_outcome(self, tracking: str, access_code: str, outcome: Any) -> None:
        self.message_card.ok_button.setEnabled(True)
        self.reprint_button.setEnabled(True)
        if outcome is not None and outcome.printed:
            self.message_card.show_message("Receipt printed", f"Report {tracking}: the new receipt came out. The old "
                                                              "access code no longer works.")
            return
        why = PRINT_REASONS.get(getattr(outcome, "reason", None) or "no_printer", "")
        spooled = outcome.spooled_pdf if outcome is not None else None
        kept = f"\nThe receipt was kept at {spooled}." if spooled else ""
        self.message_card.show_message("Receipt not printed", f"{why}{kept}\nGive the citizen the tracking number "
                                                             f"{tracking} and the new access code {access_code}.")

    def _print_copy(self) -> None:
        if self._copy_printer is None or self.detail is None:
            return
        from printing.report_copy import render_report_copy

        tracking, report, config, printer = self.tracking_number, self.detail.report, self._config, self._copy_printer

        def work() -> Any:
            pdf = render_report_copy(report, config, "en")
            return printer.print_copy(tracking, pdf.data)

        self.copy_button.setEnabled(False)
        self.message_card.show_message("Printing the full copy…", f"Report {tracking}.")
        self.message_card.ok_button.setEnabled(False)
        job = BackgroundJob(work, f"printing the full copy of {tracking}")
        job.finished.connect(lambda outcome: self._copy_done(tracking, outcome))
        job.failed.connect(lambda _error: self._copy_done(tracking, None))
        job.start()

    def _copy_done(self, tracking: str, outcome: Any) -> None:
        self.message_card.ok_button.setEnabled(True)
        self.copy_button.setEnabled(self._copy_printer is not None)
        if outcome is not None and (outcome.printed or outcome.spooled_pdf):
            self._review.record_copy_printed(tracking, self._session)
            if tracking == self.tracking_number:
                self.reload()
        if outcome is not None and outcome.printed:
            self.message_card.show_message("Full copy printed", f"Report {tracking}: the full copy came out.")
            return
        why = PRINT_REASONS.get(getattr(outcome, "reason", None) or "job_failed", "")
        kept = f"\nThe copy was kept at {outcome.spooled_pdf}." if outcome is not None and outcome.spooled_pdf else ""
        self.message_card.show_message("Full copy not printed", why + kept)
