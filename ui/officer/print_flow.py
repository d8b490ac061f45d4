"""Printing from a report's detail page: **Reprint receipt** (asked first: the receipt gets a new access code and the
old one stops working) and **Print full copy**. Both print off the GUI thread (ui/jobs.py) and then say how it went:
printed, or not, why, and where the PDF was kept; a receipt that did not come out shows the new access code, so the
officer can give it to the citizen."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QPushButton

from kiosk.receipts import CopyPrinter, PrintOutcome, ReceiptPrinter
from kiosk.translation import N_
from ui.jobs import run_in_background
from ui.officer.common import button, tr, words
from ui.officer.decision_dialogs import ReprintDialog

if TYPE_CHECKING:
    from kiosk.officers import OfficerSession
    from kiosk.review import ReviewService
    from kiosk.tracking import TrackingNumber
    from ui.officer.detail_view import DetailView

PRINT_REASONS = {
    "no_printer": N_("No printer is set up for this."),
    "printer_missing": N_("The printer could not be found."),
    "printer_stopped": N_("The printer is paused, offline or out of paper."),
    "job_failed": N_("The printer did not finish the job."),
}
NO_PRINTER = PrintOutcome(printed=False, reason="no_printer")
JOB_FAILED = PrintOutcome(printed=False, reason="job_failed")


class PrintFlow(QObject):
    """``printer`` prints receipts and ``copy_printer`` full copies (either None: there is none; without a copy
    printer the button is off)."""

    def __init__(self, view: DetailView, review: ReviewService, session: OfficerSession, *,
                 printer: ReceiptPrinter | None, copy_printer: CopyPrinter | None) -> None:
        super().__init__(view)
        self._view = view
        self._review = review
        self._session = session
        self._printer = printer
        self._copy_printer = copy_printer
        self.last_access_code: str | None = None  # the code of the last reprint, shown when it did not come out
        self.reprint_button = button("reprint_receipt_button", N_("Reprint receipt"))
        self.copy_button = button("print_copy_button", N_("Print full copy"))
        self.reprint_button.clicked.connect(self.ask_reprint)
        self.copy_button.clicked.connect(self.print_copy)
        self.reprint_dialog = ReprintDialog(view)
        self.reprint_dialog.submitted.connect(self._reprint)

    @property
    def buttons(self) -> tuple[QPushButton, ...]:
        return (self.reprint_button, self.copy_button)

    def offer(self) -> None:
        """Printing is always offered for a report shown; a full copy only with a copy printer."""
        self.reprint_button.setEnabled(True)
        self.copy_button.setEnabled(self._copy_printer is not None)
        self.copy_button.setToolTip("" if self._copy_printer else tr("No printer for full copies is set up."))

    def wipe(self) -> None:
        self.last_access_code = None

    # -- the receipt ------------------------------------------------------------------------------------------------

    def ask_reprint(self) -> None:
        self.reprint_dialog.clear_problems()
        self.reprint_dialog.open()

    def _reprint(self, _values: Mapping[str, object]) -> None:
        self.reprint_dialog.close_dialog()
        view, printer = self._view, self._printer
        tracking = view.tracking_number
        if tracking is None:
            return
        access_code = self._review.reprint_receipt(tracking, self._session)
        self.last_access_code = access_code
        view.reload()
        if printer is None:
            self._receipt_done(tracking, access_code, NO_PRINTER)
            return
        self.reprint_button.setEnabled(False)
        view.message_card.show_message(N_("Printing the receipt…"), N_("Report %1: a new receipt is printing."),
                                       tracking)
        view.message_card.ok_button.setEnabled(False)
        run_in_background(f"printing the receipt of {tracking} again",
                          lambda: printer.print_receipt(tracking, access_code), receiver=view,
                          done=lambda outcome: self._receipt_done(tracking, access_code, outcome),
                          failed=lambda _error: JOB_FAILED)

    def _receipt_done(self, tracking: TrackingNumber, access_code: str, outcome: PrintOutcome) -> None:
        card = self._view.message_card
        card.ok_button.setEnabled(True)
        self.reprint_button.setEnabled(True)
        if outcome.printed:
            card.show_message(N_("Receipt printed"), N_("Report %1: the new receipt came out. The old access code no "
                                                        "longer works."), tracking)
            return
        why = PRINT_REASONS.get(outcome.reason or "no_printer", "")
        give = N_("Give the citizen the tracking number %1 and the new access code %2.")
        if outcome.spooled_pdf:
            card.show_message(N_("Receipt not printed"), "%1\n%2\n%3", lambda: tr(why),
                              lambda: words(N_("The receipt was kept at %1."), str(outcome.spooled_pdf)),
                              lambda: words(give, tracking, access_code))
        else:
            card.show_message(N_("Receipt not printed"), "%1\n%2", lambda: tr(why),
                              lambda: words(give, tracking, access_code))

    # -- the full copy ----------------------------------------------------------------------------------------------

    def print_copy(self) -> None:
        view, copies = self._view, self._copy_printer
        if copies is None or view.detail is None:
            return
        tracking, report = view.detail.tracking_number, view.detail.report
        self.copy_button.setEnabled(False)
        view.message_card.show_message(N_("Printing the full copy…"), N_("Report %1."), tracking)
        view.message_card.ok_button.setEnabled(False)
        run_in_background(f"printing the full copy of {tracking}", lambda: copies.print_copy(report), receiver=view,
                          done=lambda outcome: self._copy_done(tracking, outcome), failed=lambda _error: JOB_FAILED)

    def _copy_done(self, tracking: TrackingNumber, outcome: PrintOutcome) -> None:
        view = self._view
        card = view.message_card
        card.ok_button.setEnabled(True)
        self.copy_button.setEnabled(self._copy_printer is not None)
        if outcome.printed or outcome.spooled_pdf:
            self._review.record_copy_printed(tracking, self._session)
            if tracking == view.tracking_number:
                view.reload()
        if outcome.printed:
            card.show_message(N_("Full copy printed"), N_("Report %1: the full copy came out."), tracking)
            return
        why = PRINT_REASONS.get(outcome.reason or "job_failed", "")
        if outcome.spooled_pdf:
            card.show_message(N_("Full copy not printed"), "%1\n%2", lambda: tr(why),
                              lambda: words(N_("The copy was kept at %1."), str(outcome.spooled_pdf)))
        else:
            card.show_message(N_("Full copy not printed"), why)
