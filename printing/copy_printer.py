"""The kiosk's printer of full report copies (Letter), what officer mode's "Print full copy" prints through.

Implements :class:`kiosk.receipts.CopyPrinter`: renders the copy (:func:`printing.report_copy.render_report_copy`)
and prints it the way receipts are printed (:class:`printing.print_or_spool.PrintOrSpool`: spooled first, then
CUPS). A copy is printed only on a printer that takes Letter paper (``printer.paper = "letter"``); on a receipt roll,
or without a printer, it is kept in the spool folder and the outcome says so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.clock import Clock
from kiosk.config import Config
from kiosk.receipts import PrintOutcome
from kiosk.report_document import StoredReport
from kiosk.sealed import Sealer
from kiosk.translation import SOURCE_LANGUAGE
from printing.cups import CupsDispatcher, Dispatcher
from printing.print_or_spool import PrintOrSpool

if TYPE_CHECKING:
    from kiosk.home import Kiosk

log = logging.getLogger(__name__)

LETTER_MEDIA = "na_letter_8.5x11in"


class KioskCopyPrinter:
    """Full copies of stored reports, in English (for the desk), printed through ``dispatcher`` to
    ``config.printer`` when it takes Letter paper, else spooled as PDF files in ``spool_dir``."""

    def __init__(self, config: Config, spool_dir: Path, dispatcher: Dispatcher, clock: Clock,
                 sealer: Callable[[], Sealer | None] | None = None) -> None:
        self._config = config
        self._output = PrintOrSpool(config, spool_dir, dispatcher, clock, sealer)

    def print_copy(self, report: StoredReport) -> PrintOutcome:
        """Render the full copy of ``report`` (a stored report, as ReportService.get gives it) and print it, or keep
        it in the spool folder. Blocks while the printer works: screens call it off the UI thread."""
        # Imported here: reportlab takes ~0.1 s to import, which the first copy pays, on a worker thread.
        from printing.report_copy import render_report_copy

        tracking = report["tracking_number"]
        try:
            pdf = render_report_copy(report, self._config, SOURCE_LANGUAGE)
        except Exception:
            log.exception("full copy %s: could not be rendered", tracking)
            return PrintOutcome(printed=False, spooled_pdf=None, reason="job_failed")
        printer = self._config.printer
        letter = printer.name if printer.paper == "letter" else ""  # a receipt roll cannot take a Letter page
        return self._output.print_pdf("copy", tracking, pdf.data, printer=letter,
                                      media=printer.media or LETTER_MEDIA)


def build_copy_printer(kiosk: Kiosk) -> KioskCopyPrinter:
    """The copy printer of a kiosk: its configuration and clock, the spool folder in its data folder, and the local
    CUPS scheduler."""
    return KioskCopyPrinter(kiosk.config, kiosk.spool_folder, CupsDispatcher(), kiosk.clock, kiosk.spool_sealer)
