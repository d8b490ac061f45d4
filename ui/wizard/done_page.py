"""Done: the tracking number, very large, the access code, what happens next, and the printed receipt.

The page keeps the submitted report's tracking number and access code as values (``tracking_number``,
``access_code``): the labels, the printer, the late-answer check and the QR code all take them from there, and
:meth:`DonePage.wipe` forgets them. The receipt is printed off the UI thread. When it cannot be printed (or there is no
printer) the page says so plainly and asks the visitor to write down or photograph the numbers. After a minute the
kiosk goes back to the welcome page on its own.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.receipts import PrintOutcome, ReceiptPrinter
from kiosk.tracking import TrackingNumber
from ui.fields.qr_code import QrCodeView
from ui.jobs import run_in_background
from ui.widgets import repolish, text_label
from ui.wizard.base import WizardPage
from ui.wizard.context import WizardContext

log = logging.getLogger(__name__)

PRINTING, PRINTED, NOT_PRINTED = "printing", "printed", "not_printed"


def big_code_label(object_name: str) -> QLabel:
    label = text_label(object_name, "code", centred=False)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label


def print_receipt(printer: ReceiptPrinter, tracking_number: TrackingNumber, access_code: str) -> PrintOutcome:
    """On a worker thread: the receipt, and a line in the log about how it went."""
    outcome = printer.print_receipt(tracking_number, access_code)
    log.info("receipt of %s: %s", tracking_number, "printed" if outcome.printed else f"not printed ({outcome.reason})")
    return outcome


class DonePage(WizardPage):
    validates = False

    def __init__(self, ctx: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "done", parent)
        self.tracking_caption = text_label("tracking_number_caption_label", "subheading", centred=False)
        self.tracking_label = big_code_label("tracking_number_label")
        self.access_caption = text_label("access_code_caption_label", "subheading", centred=False)
        self.access_label = big_code_label("access_code_label")
        self.receipt_label = text_label("receipt_status_label", "notice", centred=False)
        self.qr_code = QrCodeView("receipt_qr_code")
        self.qr_code.hide()  # only when no receipt came out: photograph it instead
        self.next_label = text_label("what_next_label", "body", centred=False)
        numbers = QVBoxLayout()
        numbers.setContentsMargins(0, 0, 0, 0)
        for widget in (self.tracking_caption, self.tracking_label, self.access_caption, self.access_label):
            numbers.addWidget(widget)
        codes = QHBoxLayout()  # the QR code stands beside the numbers, so one photo takes all three
        codes.setContentsMargins(0, 0, 0, 0)
        codes.setSpacing(32)
        codes.addLayout(numbers, 1)
        codes.addWidget(self.qr_code, 0, Qt.AlignmentFlag.AlignVCenter)
        self.column.addLayout(codes)
        self.column.addWidget(self.receipt_label)
        self.column.addWidget(self.next_label)
        self.setFinalPage(True)
        # The report on show: set by initializePage from the wizard's receipt, forgotten by wipe().
        self.tracking_number: TrackingNumber | None = None
        self.access_code: str | None = None
        self.print_state = PRINTING
        self.return_timer = QTimer(self)
        self.return_timer.setSingleShot(True)
        self.return_timer.setInterval(ctx.timings.done_return_ms)
        self.return_timer.timeout.connect(self._time_up)
        self.retranslate()
        self._set_print_state(PRINTING)

    def initializePage(self) -> None:
        receipt = self.report_wizard().receipt
        assert receipt is not None, "the done page follows a stored report"
        self.tracking_number, self.access_code = receipt.tracking_number, receipt.access_code
        self.tracking_label.setText(str(self.tracking_number))
        self.access_label.setText(self.access_code)
        self.tracking_label.setAccessibleName(" ".join(self.tracking_number.compact))
        self.access_label.setAccessibleName(" ".join(self.access_code.replace("-", "")))
        printer = self.ctx.printer
        if printer is None:
            log.info("no receipt printer: the numbers are shown on screen only")
            self._set_print_state(NOT_PRINTED)
        else:
            self._set_print_state(PRINTING)
            tracking, access_code = self.tracking_number, self.access_code
            run_in_background(f"printing the receipt of {tracking}",
                              lambda: print_receipt(printer, tracking, access_code), receiver=self,
                              done=lambda outcome: self._printed(tracking, outcome),
                              failed=lambda _error: PrintOutcome(printed=False, reason="job_failed"))
        self.return_timer.start()

    def _printed(self, tracking_number: TrackingNumber, outcome: PrintOutcome) -> None:
        if tracking_number != self.tracking_number:
            return  # a late answer about an earlier visitor's receipt
        self._set_print_state(PRINTED if outcome.printed else NOT_PRINTED)

    def _set_print_state(self, state: str) -> None:
        self.print_state = state
        if state == NOT_PRINTED and self.tracking_number is not None and self.access_code is not None:
            self.qr_code.show_receipt_code(self.tracking_number, self.access_code, self.ctx.config.sync.status_page_url)
        else:
            self.qr_code.clear()
        self.qr_code.setVisible(state == NOT_PRINTED)
        self.receipt_label.setProperty("state", state)
        repolish(self.receipt_label)
        self._show_print_state()

    def _time_up(self) -> None:
        log.info("the done page timed out; back to the welcome page")
        self.report_wizard().visit_finished.emit()

    def wipe(self) -> None:
        super().wipe()
        self.return_timer.stop()
        self.tracking_number = self.access_code = None  # a late answer about this receipt is now ignored
        self.tracking_label.setText("")
        self.access_label.setText("")
        self.tracking_label.setAccessibleName("")
        self.access_label.setAccessibleName("")
        self._set_print_state(PRINTING)  # the QR code cleared and hidden

    def retranslate(self) -> None:
        self.step_label.setText(self.tr("Report sent"))
        self.heading.setText(self.tr("Thank you. Your report has been received."))
        self.intro.setText("")
        self.intro.hide()
        self.tracking_caption.setText(self.tr("Your tracking number"))
        self.access_caption.setText(self.tr("Your access code (to check your report later)"))
        self.next_label.setText(self.tr("An officer will review your report. Watch your email and your phone: the "
                                        "officer's decision, or any question, will come that way."))
        self._show_print_state()

    def _show_print_state(self) -> None:
        texts = {
            PRINTING: self.tr("Printing your receipt…"),
            PRINTED: self.tr("Take your receipt from the printer."),
            NOT_PRINTED: self.tr("Your receipt could not be printed. Please write down these two numbers or take "
                                 "a photo of them and of the square code. You will need them to ask about your "
                                 "report."),
        }
        self.receipt_label.setText(texts[self.print_state])
