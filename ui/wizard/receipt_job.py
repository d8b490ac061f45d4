"""Printing the receipt off the UI thread: the printer may take seconds; the page learns the outcome by signal."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QThreadPool, Signal

from kiosk.receipts import PrintOutcome, ReceiptPrinter

log = logging.getLogger(__name__)

# Jobs still running, kept alive here rather than by the page, which a wipe may delete while the printer is busy.
_RUNNING: set[ReceiptJob] = set()


class ReceiptJob(QObject):
    """One receipt. Connect to ``finished`` (tracking number, PrintOutcome) before :meth:`start`; it is delivered on
    the UI thread."""

    finished = Signal(str, object)

    def __init__(self, printer: ReceiptPrinter, tracking_number: str, access_code: str) -> None:
        super().__init__()
        self._printer = printer
        self._tracking_number = tracking_number
        self._access_code = access_code

    def start(self) -> None:
        _RUNNING.add(self)
        self.finished.connect(self._forget)  # queued back to the UI thread, where this object lives
        QThreadPool.globalInstance().start(self._run)

    def _run(self) -> None:
        try:
            outcome = self._printer.print_receipt(self._tracking_number, self._access_code)
        except Exception:  # a printer fault must never take the kiosk down: the numbers are on screen
            log.exception("printing the receipt of %s failed", self._tracking_number)
            outcome = PrintOutcome(printed=False, reason="job_failed")
        log.info("receipt of %s: %s", self._tracking_number,
                 "printed" if outcome.printed else f"not printed ({outcome.reason})")
        self.finished.emit(self._tracking_number, outcome)

    def _forget(self, _tracking_number: str, _outcome: object) -> None:
        _RUNNING.discard(self)


def running_jobs() -> int:
    return len(_RUNNING)
