"""Printing a report's full copy (Letter): the port officer mode prints through, and the kiosk's implementation.

The receipt port (:class:`kiosk.receipts.ReceiptPrinter`) only prints receipts; a full copy is a Letter PDF from
:func:`printing.report_copy.render_report_copy`, handed to a :class:`CopyPrinter`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Protocol

from kiosk.clock import Clock, SystemClock
from kiosk.config import Config
from kiosk.receipts import PrintOutcome

log = logging.getLogger(__name__)

LETTER_MEDIA = "na_letter_8.5x11in"


class CopyPrinter(Protocol):
    def print_copy(self, tracking_number: str, pdf: bytes) -> PrintOutcome:
        """Print the full copy's PDF, or keep it in the spool folder. May block: called off the UI thread."""


class KioskCopyPrinter:
    """Prints on the kiosk's printer when it takes Letter paper (``printer.paper = "letter"``); otherwise (a receipt
    roll, or no printer) the PDF is kept in ``spool_dir`` and the outcome says why."""

    def __init__(self, config: Config, spool_dir: Path, dispatcher: Any = None, clock: Clock | None = None) -> None:
        self._config = config
        self._spool = spool_dir
        self._dispatcher = dispatcher
        self._clock = clock or SystemClock()

    def print_copy(self, tracking_number: str, pdf: bytes) -> PrintOutcome:
        path = self._write_spool(tracking_number, pdf)
        printer = self._config.printer
        if not printer.name or printer.paper != "letter":
            log.warning("full copy of %s kept at %s: no Letter printer is configured", tracking_number, path)
            return PrintOutcome(printed=False, spooled_pdf=path, reason="no_printer")
        dispatcher = self._dispatcher
        if dispatcher is None:
            from printing.cups import CupsDispatcher

            dispatcher = CupsDispatcher()
        result = dispatcher.print_pdf(path, printer.name, printer.media or LETTER_MEDIA,
                                      f"P2C report copy {tracking_number}", printer.job_timeout_seconds)
        if result.printed:
            path.unlink(missing_ok=True)  # the copy holds everything the citizen told us: keep no stray file
            return PrintOutcome(printed=True)
        log.warning("full copy of %s not printed: %s; kept at %s", tracking_number, result.reason, path)
        return PrintOutcome(printed=False, spooled_pdf=path, reason=result.reason)

    def _write_spool(self, tracking: str, data: bytes) -> Path:
        from printing.spool import write_spool_file

        return write_spool_file(self._spool, "copy", tracking, data,
                                self._clock.now().astimezone(self._config.kiosk.zone))
