"""One report, everything about it, and the officer's decisions.

``ReviewService.open_report`` gives the whole picture (the report, its history, possible duplicates, the NIBRS
suggestion, the notices and the decisions its status allows). The page is rebuilt from it each time it is loaded
(ui/officer/report_sections.py), so nothing of one report is ever left on screen for the next.
``back_requested(tracking_number)`` asks for the queue (None when no report is shown),
``open_requested(tracking_number)`` for another report (a possible duplicate), ``decided(tracking_number)`` follows
each decision stored (officer mode then asks the sync worker for a run); each carries a
:class:`kiosk.tracking.TrackingNumber`.

Under the page, the action bar: the decisions (ui/officer/decision_flow.py) and printing (ui/officer/print_flow.py).
With a department server (``sync_configured``) an approval gets its official number from the server: until it
arrives the page says "official number pending".
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.config import Config
from kiosk.receipts import CopyPrinter, ReceiptPrinter
from kiosk.translation import N_
from ui.officer.card_dialog import MessageCard
from ui.officer.common import button, category_name, label, on_language_change, status_name, tr
from ui.officer.decision_flow import DecisionFlow
from ui.officer.print_flow import PrintFlow
from ui.officer.report_sections import build_report_page, chosen_nibrs, number_pending
from ui.page_holder import PageHolder
from ui.rows import RowsThatWrap

if TYPE_CHECKING:
    from kiosk.officers import OfficerSession
    from kiosk.review import ReportDetail, ReviewService
    from kiosk.tracking import TrackingNumber

log = logging.getLogger(__name__)

NUMBER_PENDING_SHORT = N_("official number pending")


class DetailView(QWidget):
    # Each carries a TrackingNumber (as object: a str signal would hand the slot a plain str).
    back_requested = Signal(object)
    open_requested = Signal(object)
    decided = Signal(object)

    def __init__(self, review: ReviewService, session: OfficerSession, config: Config, *,
                 printer: ReceiptPrinter | None = None, copy_printer: CopyPrinter | None = None,
                 sync_configured: bool | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detail_view")
        self._review = review
        self._session = session
        self._config = config
        self.detail: ReportDetail | None = None
        self.nibrs_combo: QComboBox | None = None
        self.duplicate_buttons: dict[str, QPushButton] = {}

        self.back_button = button("back_to_queue_button", N_("‹ Back to the queue"))
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
        self.scroll_area = PageHolder(QWidget())
        self.scroll_area.setObjectName("detail_scroll_area")
        # It takes the focus (the arrow keys scroll the report): a screen reader names it.
        on_language_change(self.scroll_area, lambda: self.scroll_area.setAccessibleName(tr("The report")))
        self.content: QWidget | None = None

        number_from_server = bool(config.sync.server_url) if sync_configured is None else sync_configured
        self.decisions = DecisionFlow(self, review, session, config, number_from_server=number_from_server)
        self.decisions.decided.connect(self.decided)
        self.prints = PrintFlow(self, review, session, printer=printer, copy_printer=copy_printer)
        self.message_card = MessageCard(self)
        decisions = QHBoxLayout()
        decisions.setSpacing(10)
        for widget in self.decisions.buttons:
            decisions.addWidget(widget)
        prints = QHBoxLayout()
        prints.setSpacing(10)
        for widget in self.prints.buttons:
            prints.addWidget(widget)
        actions = RowsThatWrap(decisions, prints)  # the printing buttons go below on a portrait screen
        bar = QFrame()
        bar.setObjectName("detail_action_bar")
        bar.setLayout(actions)

        column = QVBoxLayout(self)
        column.setContentsMargins(20, 12, 20, 12)
        column.setSpacing(10)
        column.addLayout(top)
        column.addWidget(self.scroll_area, 1)
        column.addWidget(bar)

        # The action bar's buttons and the dialogs, by the names the tests and the keyboard tour use.
        self.approve_button, self.request_info_button, self.reject_button = self.decisions.buttons
        self.reprint_button, self.copy_button = self.prints.buttons
        self.approve_dialog = self.decisions.approve_dialog
        self.request_info_dialog = self.decisions.request_info_dialog
        self.reject_dialog = self.decisions.reject_dialog
        self.reprint_dialog = self.prints.reprint_dialog

    @property
    def tracking_number(self) -> TrackingNumber | None:
        """The number of the report shown; None when none is."""
        return self.detail.tracking_number if self.detail is not None else None

    @property
    def last_access_code(self) -> str | None:
        """The access code of the last receipt printed again from this page (shown when it did not come out)."""
        return self.prints.last_access_code

    # -- loading ----------------------------------------------------------------------------------------------------

    def load(self, tracking_number: TrackingNumber) -> None:
        """Open a report (the core records that this officer opened it) and show it."""
        detail = self._review.open_report(tracking_number, self._session)
        self.show_detail(detail)

    def reload(self) -> None:
        if self.tracking_number is not None:
            self.load(self.tracking_number)

    def reload_if_number_pending(self) -> None:
        """Read the report again when it waits for its official number (after a sync run), unless a dialog is
        open over it."""
        if self.detail is None or not number_pending(self.detail.report):
            return
        if any(dialog.isVisible() for dialog in (*self.decisions.dialogs, self.reprint_dialog)):
            return
        self.reload()

    def show_detail(self, detail: ReportDetail) -> None:
        self.detail = detail
        report = detail.report
        category, status = report["category"], report["status"]
        self.title.say(N_("Report %1 · %2"), detail.tracking_number, lambda: category_name(category))
        official = report.get("official_number")
        if official:
            self.status_label.say("%1 · %2", lambda: status_name(status), official)
        elif number_pending(report):
            self.status_label.say("%1 · %2", lambda: status_name(status), lambda: tr(NUMBER_PENDING_SHORT))
        else:
            self.status_label.say("%1", lambda: status_name(status))
        self._build_page(detail)
        self.scroll_area.scroll_to_top()
        self.decisions.offer(set(detail.decisions))
        self.prints.offer()

    def changeEvent(self, event: QEvent) -> None:
        """The report's page is built again in the new language (the NIBRS code chosen on it stays chosen)."""
        if event.type() == QEvent.Type.LanguageChange and self.detail is not None and self.content is not None:
            chosen = self.nibrs_combo.currentText() if self.nibrs_combo is not None else None
            position = self.scroll_area.verticalScrollBar().value()
            self._build_page(self.detail)
            if chosen is not None and self.nibrs_combo is not None:
                self.nibrs_combo.setCurrentText(chosen)
            self.scroll_area.verticalScrollBar().setValue(position)
        super().changeEvent(event)

    def _build_page(self, detail: ReportDetail) -> None:
        self._drop_content()
        built = build_report_page(detail, self._config.kiosk.zone, self.open_requested.emit)
        self.content, self.nibrs_combo, self.duplicate_buttons = built.page, built.nibrs_combo, built.duplicate_buttons
        self.scroll_area.setWidget(self.content)
        self.content.installEventFilter(self.scroll_area)  # the holder fits the page again when its layout changes

    def chosen_nibrs(self) -> tuple[str, str]:
        """The code the officer confirmed or chose (typed codes are read up to the first space) and its title."""
        return chosen_nibrs(self.nibrs_combo)

    def wipe(self) -> None:
        """Forget the report shown (leaving officer mode)."""
        self._drop_content()
        self.detail = None
        self.prints.wipe()
        for dialog in (*self.decisions.dialogs, self.reprint_dialog, self.message_card):
            dialog.hide()

    def _drop_content(self) -> None:
        old = self.scroll_area.takeWidget()
        if old is not None:
            old.removeEventFilter(self.scroll_area)
            old.deleteLater()
