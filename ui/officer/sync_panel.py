"""Officer mode's sync page: how the kiosk stands with the department server, the reports and decisions the server
refused (conflicts), and a "Sync now" button.

Everything here comes from the sync engine through a :class:`ui.kiosk_services.SyncWorker`: the status
(``SyncStatus``) and each run's result (``SyncRun``) arrive by its signals, read and run on the worker pool, so the
page never waits for the network or reads the database itself. Without a worker (no department server configured)
the page says so and how to set one up.

``open_requested(tracking_number)`` asks officer mode to open a refused report; ``attention_changed(bool)`` tells
the top bar whether something needs an officer (refusals, or a failing sync).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.config import Config
from kiosk.translation import N_
from kiosk.vocabulary import EventAction
from ui.officer.common import (
    button,
    label,
    long_time,
    on_language_change,
    plain_button,
    screen_language,
    short_time,
    tr,
    value_label,
    words,
)
from ui.page_holder import PageHolder

if TYPE_CHECKING:
    from kiosk.sync import SyncConflict, SyncRun, SyncStatus
    from ui.kiosk_services import SyncWorker

# While the page is on screen its status is read again this often (the next attempt, the pending counts).
REFRESH_MS = 15_000
# At most this many refusals are listed (the engine's status may hold more; the count says how many).
MAX_CONFLICTS_SHOWN = 100
SETUP_HINT = N_("To connect it, an administrator runs on this kiosk:\n"
                "    p2c-kiosk configure --server URL --token-stdin\n"
                "and types the kiosk's token from the department server.")
# What a refused event was, by its action (the plain code the engine hands); "copy_printed" is an audit entry's action.
EVENT_ACTIONS: dict[str, str] = {
    EventAction.REVIEW_STARTED: N_("The review started was refused"),
    EventAction.APPROVED: N_("The approval was refused"),
    EventAction.INFO_REQUESTED: N_("The request for more information was refused"),
    EventAction.REJECTED: N_("The rejection was refused"),
    EventAction.SUPPLEMENTED: N_("The citizen's answer was refused"),
    EventAction.RECEIPT_REPRINTED: N_("The receipt reprint was refused"),
    "copy_printed": N_("The full copy printed was refused"), EventAction.SUBMITTED: N_("The submission was refused"),
}


def plain_error(error: str) -> str:
    """What a sync error means, in a sentence an officer can act on (the engine's own words are shown under it)."""
    text = error.lower()
    if "no sync token" in text:
        return tr("This kiosk has no token for the department server: an administrator must store it.")
    if "refused the token" in text:
        return tr("The department server refused this kiosk's token: an administrator must store the right one.")
    if "did not answer in time" in text:
        return tr("The department server did not answer in time.")
    if "cannot be reached" in text:
        return tr("The department server cannot be reached (the network or the server is down).")
    return tr("The department server could not take the data.")


def when(moment: datetime | None, empty: str = "") -> str:
    return long_time(moment) if moment is not None else (empty or tr("never"))


def plural(count: int, one: str, many: str) -> str:
    """``one`` (a text without a number, e.g. "1 report") or ``many`` (with ``%1``), in the officer's language."""
    return tr(one) if count == 1 else words(many, QLocale(screen_language()).toString(count))


def run_summary(run: SyncRun) -> str:
    """One run's result in a sentence, for the officer."""
    if run.skipped:
        return tr("The sync did not run: no department server is set up.")
    sent = []
    if run.reports_pushed:
        sent.append(plural(run.reports_pushed, N_("1 report"), N_("%1 reports")))
    if run.events_pushed:
        sent.append(plural(run.events_pushed, N_("1 review event"), N_("%1 review events")))
    both = words(N_("%1 and %2"), *sent) if len(sent) == 2 else "".join(sent)
    parts = [words(N_("Sent %1"), both) if sent else tr("Nothing new to send")]
    if run.decisions_pulled:
        parts.append(words(N_("received %1 from the server"),
                           plural(run.decisions_pulled, N_("1 decision"), N_("%1 decisions"))))
    if run.conflicts:
        parts.append(plural(run.conflicts, N_("1 item was refused (see below)"),
                            N_("%1 items were refused (see below)")))
    if run.purged:
        parts.append(words(N_("removed the personal data of %1"),
                           plural(run.purged, N_("1 old report"), N_("%1 old reports"))))
    text = ", ".join(parts) + "."
    if run.error:
        text = words(N_("This sync failed. %1"), plain_error(run.error))
        if sent:
            text += " " + words(N_("Before that it sent %1."), both)
    return text


def conflict_what(conflict: SyncConflict) -> str:
    if conflict.kind == "event":
        action = conflict.action or ""
        return tr(EVENT_ACTIONS[action]) if action in EVENT_ACTIONS else words(N_("The %1 was refused"),
                                                                                action or "event")
    return tr("The report was refused")


def _count(count: int) -> str:
    return QLocale(screen_language()).toString(count)


class SyncPanel(QWidget):
    open_requested = Signal(object)  # a TrackingNumber (a str signal would hand the slot a plain str)
    attention_changed = Signal(bool)

    def __init__(self, worker: SyncWorker | None, config: Config, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync_panel")
        self._worker = worker
        self._config = config
        self.status: SyncStatus | None = None
        self.conflict_buttons: dict[str, QPushButton] = {}
        self._shown_conflicts: list[SyncConflict] = []
        self.needs_attention = False
        self._last_run: SyncRun | None = None

        self.title = label("sync_title_label", N_("Sync with the department server"), "officer_title")
        self.state_label = label("sync_state_label", "", "officer_body", wrap=False)
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.state_label)

        card = QFrame()
        card.setObjectName("sync_status_card")
        card.setProperty("role", "officer_card")
        grid = QGridLayout(card)
        grid.setContentsMargins(16, 12, 16, 12)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(1, 1)
        self.values: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        for row, (key, caption) in enumerate((
                ("server", N_("Department server")), ("pending_reports", N_("Reports waiting to be sent")),
                ("pending_events", N_("Review events waiting to be sent")),
                ("last_success", N_("Last successful sync")), ("last_error", N_("Last error")),
                ("error_detail", N_("Details")), ("next_attempt", N_("Next automatic sync")))):
            caption_label = label(f"sync_{key}_caption", caption, "officer_field", wrap=False)
            grid.addWidget(caption_label, row, 0, Qt.AlignmentFlag.AlignTop)
            value = label(f"sync_{key}_value", "", "officer_hint" if key == "error_detail" else "officer_value",
                          selectable=True)
            self.values[key] = value
            self.captions[key] = caption_label
            grid.addWidget(value, row, 1)
        self.setup_hint = label("sync_setup_hint_label", SETUP_HINT, "officer_hint", selectable=True)
        grid.addWidget(self.setup_hint, len(self.values), 0, 1, 2)

        self.sync_button = button("sync_now_button", N_("Sync now"), "officer_primary",
                                  accessible=N_("Sync now with the department server"))
        self.sync_button.setMinimumWidth(220)
        self.sync_button.clicked.connect(self.sync_now)
        self.result_label = label("sync_result_label", "", "officer_body")
        self.error_label = label("sync_error_label", "", "officer_error")
        self.error_label.hide()
        self.alert_label = label("sync_alert_label", "", "officer_error")
        self.alert_label.hide()
        actions = QHBoxLayout()
        actions.setSpacing(16)
        actions.addWidget(self.sync_button, 0, Qt.AlignmentFlag.AlignTop)
        results = QVBoxLayout()
        results.setSpacing(6)
        results.addWidget(self.result_label)
        results.addWidget(self.error_label)
        results.addWidget(self.alert_label)
        actions.addLayout(results, 1)

        self.conflicts_heading = label("sync_conflicts_heading", N_("Refused by the server"), "officer_heading")
        self.conflicts_hint = label(
            "sync_conflicts_hint", N_("The kiosk does not send these again. Tap a tracking number to open the report; "
                                      "settle the difference with the department's records staff."), "officer_hint")
        self.conflicts_list = QWidget()
        self.conflicts_list.setObjectName("sync_conflicts_list")
        self.conflicts_layout = QVBoxLayout(self.conflicts_list)
        self.conflicts_layout.setContentsMargins(0, 0, 0, 0)
        self.conflicts_layout.setSpacing(6)

        # The status card and the refusals scroll together under the button (many refusals, or large text).
        content = QWidget()
        content.setObjectName("sync_content")
        inner = QVBoxLayout(content)
        inner.setContentsMargins(0, 0, 12, 12)
        inner.setSpacing(10)
        inner.addWidget(card)
        inner.addWidget(self.conflicts_heading)
        inner.addWidget(self.conflicts_hint)
        inner.addWidget(self.conflicts_list)
        inner.addStretch(1)
        self.scroll_area = PageHolder(content)
        # It takes the focus (the arrow keys scroll it): a screen reader names it.
        on_language_change(self.scroll_area,
                           lambda: self.scroll_area.setAccessibleName(tr("Sync with the department server")))

        column = QVBoxLayout(self)
        column.setContentsMargins(20, 12, 20, 12)
        column.setSpacing(10)
        column.addLayout(top)
        column.addLayout(actions)
        column.addWidget(self.scroll_area, 1)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(REFRESH_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        if worker is not None:
            worker.status_read.connect(self.show_status)
            worker.run_finished.connect(self.show_run)
            worker.run_failed.connect(self.show_failure)
            worker.running_changed.connect(self._show_running)
            if worker.last_status is not None:
                self.show_status(worker.last_status)
        self._show_running(worker is not None and worker.running)
        if self.status is None:
            self._show_unknown()

    # -- asking the worker ------------------------------------------------------------------------------------------

    @property
    def configured(self) -> bool:
        return self._worker is not None and bool(self._config.sync.server_url)

    def refresh(self) -> None:
        """Ask for the status again (it arrives by ``show_status``)."""
        if self._worker is not None:
            self._worker.refresh_status()

    def sync_now(self) -> None:
        if self._worker is None or not self.configured:
            return
        self.error_label.hide()
        self.result_label.say(N_("Syncing with the department server…"))
        self._worker.run_now(force=True)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._worker is not None:
            self.refresh()
            self._refresh_timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._refresh_timer.stop()

    def changeEvent(self, event: QEvent) -> None:
        """Everything shown is said again in the new language (the status and the last run as they were)."""
        super().changeEvent(event)
        if event.type() != QEvent.Type.LanguageChange:
            return
        self._show_running(self._worker is not None and self._worker.running)
        shown = self._shown_conflicts
        if self.status is not None and self.status.configured:
            self.show_status(self.status)
        else:
            self._show_unknown()
        self._show_conflicts(shown, again=True)
        if self._last_run is not None:
            self.result_label.setText(run_summary(self._last_run))

    # -- showing ----------------------------------------------------------------------------------------------------

    def _show_running(self, running: bool) -> None:
        if not self.configured:
            self.sync_button.setEnabled(False)
            self.sync_button.say(N_("Sync now"), accessible=N_("Sync now (no department server is set up)"))
            return
        self.sync_button.setEnabled(not running)
        if running:
            self.sync_button.say(N_("Syncing…"), accessible=N_("Syncing with the department server, please wait"))
            self.state_label.say(N_("Syncing…"))
        else:
            self.sync_button.say(N_("Sync now"), accessible=N_("Sync now with the department server"))

    def _show_detail_row(self, visible: bool) -> None:
        self.values["error_detail"].setVisible(visible)
        self.captions["error_detail"].setVisible(visible)

    def _show_unknown(self) -> None:
        self._show_detail_row(False)
        if self.configured:
            self.values["server"].setText(self._config.sync.server_url)
            for key in ("pending_reports", "pending_events", "last_success", "last_error", "next_attempt"):
                self.values[key].setText("…")
            self._show_conflicts([])
            self.state_label.say(N_("Reading the status…"))
            self.setup_hint.hide()
        else:
            self.values["server"].setText(tr("Not set up: this kiosk works on its own and numbers its approvals "
                                             "itself."))
            for key in ("pending_reports", "pending_events", "last_success", "last_error", "next_attempt"):
                self.values[key].setText("—")
            self.state_label.say(N_("Not set up"))
            self.setup_hint.show()
            self._show_conflicts([])

    def show_status(self, status: SyncStatus) -> None:
        self.status = status
        if not status.configured:
            self._show_unknown()
            return
        self.setup_hint.hide()
        self.values["server"].setText(status.server_url)
        self.values["pending_reports"].setText(f"{status.pending_reports:,}")
        self.values["pending_events"].setText(f"{status.pending_events:,}")
        self.values["last_success"].setText(when(status.last_success_at))
        failing = status.failures > 0  # consecutive failed runs; a successful run sets it back to 0
        if status.last_error:
            at = f"{short_time(status.last_error_at)}: " if status.last_error_at else ""
            self.values["last_error"].setText(f"{at}{plain_error(status.last_error)}")
            self.values["error_detail"].setText(status.last_error)
        else:
            self.values["last_error"].setText(tr("none"))
        self._show_detail_row(bool(status.last_error))
        self.alert_label.setVisible(failing)
        if failing:
            self.alert_label.setText(words(
                N_("Not reaching the department server (%1 in a row). Reports and decisions wait safely on this kiosk "
                   "and are sent when the server answers."),
                plural(status.failures, N_("1 failed attempt"), N_("%1 failed attempts"))))
        every = self._config.sync.interval_seconds
        every_text = (plural(every // 60, N_("1 minute"), N_("%1 minutes")) if every % 60 == 0
                      else plural(every, N_("1 second"), N_("%1 seconds")))
        self.values["next_attempt"].setText(when(status.next_attempt_at,
                                                 words(N_("every %1 while all is well"), every_text)))
        waiting = status.pending_reports + status.pending_events
        if not (self._worker is not None and self._worker.running):
            if failing:
                self.state_label.say(N_("Not reaching the server"))
            elif waiting:
                self.state_label.say(N_("%1 waiting"), _count(waiting))
            elif status.conflicts:
                self.state_label.say(N_("Everything else sent · %1 refused"), _count(len(status.conflicts)))
            else:
                self.state_label.say(N_("Everything sent"))
        self._show_conflicts(list(status.conflicts))
        attention = failing or bool(status.conflicts)
        if attention != self.needs_attention:
            self.needs_attention = attention
            self.attention_changed.emit(attention)

    def show_run(self, run: SyncRun) -> None:
        self._last_run = run
        self.result_label.setText(run_summary(run))
        self.error_label.hide()

    def show_failure(self, what: str) -> None:
        self._last_run = None
        self.result_label.setText("")
        self.error_label.say(N_("The sync could not run (%1). The kiosk keeps working; see its log."), what)
        self.error_label.show()

    def _show_conflicts(self, conflicts: list[SyncConflict], *, again: bool = False) -> None:
        if not again and conflicts == self._shown_conflicts and self.conflicts_layout.count():
            return  # unchanged: the buttons stay where a finger may be about to tap them
        self._shown_conflicts = list(conflicts)
        while self.conflicts_layout.count():
            item = self.conflicts_layout.takeAt(0)
            shown = item.widget() if item is not None else None
            if shown is not None:
                shown.deleteLater()
        self.conflict_buttons = {}
        if conflicts:
            self.conflicts_heading.say(N_("Refused by the server (%1)"), _count(len(conflicts)))
        else:
            self.conflicts_heading.say(N_("Refused by the server"))
        self.conflicts_hint.setVisible(bool(conflicts))
        if not conflicts:
            self.conflicts_layout.addWidget(label("sync_conflicts_none_label", N_("None."), "officer_hint"))
            self.conflicts_layout.addStretch(1)
            return
        for number, conflict in enumerate(conflicts[:MAX_CONFLICTS_SHOWN], start=1):
            row = QHBoxLayout()
            row.setSpacing(12)
            key = conflict.tracking_number.replace("-", "_").lower()
            link = plain_button(f"sync_conflict_{number}_button", conflict.tracking_number, "officer_link",
                                accessible="")
            link.say("%1", conflict.tracking_number, accessible=N_("Open report %1"),
                     accessible_values=(conflict.tracking_number,))
            link.setMinimumWidth(230)
            link.clicked.connect(lambda _=False, tracking=conflict.tracking_number: self.open_requested.emit(tracking))
            self.conflict_buttons.setdefault(conflict.tracking_number, link)
            at = f" ({short_time(conflict.at)})"
            what = value_label(f"sync_conflict_{number}_label", f"{conflict_what(conflict)}{at}: {conflict.message}",
                               "officer_body", selectable=True)
            what.setAccessibleName(f"{conflict.tracking_number}: {conflict_what(conflict)}: {conflict.message}")
            what.setProperty("tracking_key", key)
            row.addWidget(link, 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(what, 1)
            holder = QWidget()
            holder.setObjectName(f"sync_conflict_{number}_row")
            holder.setLayout(row)
            row.setContentsMargins(0, 0, 0, 0)
            self.conflicts_layout.addWidget(holder)
        if len(conflicts) > MAX_CONFLICTS_SHOWN:
            more = label("sync_conflicts_more_label", "", "officer_hint")
            more.say(N_("… and %1 more (p2c-kiosk sync status lists them all)."),
                     _count(len(conflicts) - MAX_CONFLICTS_SHOWN))
            self.conflicts_layout.addWidget(more)
        self.conflicts_layout.addStretch(1)

    def wipe(self) -> None:
        """Forget what was shown (leaving officer mode)."""
        self._refresh_timer.stop()
        self._show_conflicts([])
        self._last_run = None
        self.result_label.setText("")
        self.error_label.hide()
        self.alert_label.hide()
