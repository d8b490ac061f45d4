"""The kiosk's receipt printer: renders a stored report's receipt, prints it, or keeps it in the spool folder.

Implements :class:`kiosk.receipts.ReceiptPrinter`. The report is already saved when this is called; whatever
happens to the paper, the citizen keeps the tracking number on screen, and when the receipt does not come out the
PDF is kept in ``<data folder>/spool`` so that the screen can show it and an officer can print it later. The receipt
takes the path every document takes (:class:`printing.print_or_spool.PrintOrSpool`: spooled, then CUPS).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.clock import Clock
from kiosk.config import Config
from kiosk.receipts import PrintOutcome
from kiosk.sealed import Sealer
from kiosk.tracking import TrackingNumber
from printing.cups import CupsDispatcher, Dispatcher
from printing.print_or_spool import PrintOrSpool

if TYPE_CHECKING:
    from kiosk.home import Kiosk
    from kiosk.reports import ReportService

log = logging.getLogger(__name__)


class KioskReceiptPrinter:
    """Receipts of stored reports, printed through ``dispatcher`` to ``config.printer`` or spooled as PDF files."""

    def __init__(self, reports: ReportService, config: Config, spool_dir: Path, dispatcher: Dispatcher,
                 clock: Clock, sealer: Callable[[], Sealer | None] | None = None) -> None:
        self._reports = reports
        self._config = config
        self._output = PrintOrSpool(config, spool_dir, dispatcher, clock, sealer)

    def print_receipt(self, tracking_number: TrackingNumber, access_code: str) -> PrintOutcome:
        """Render the receipt of a stored report with ``access_code`` (just issued) and print it.

        Returns ``PrintOutcome(True)`` once the print system completed the job, else the spooled PDF and the reason
        (kiosk.receipts.REASONS). Blocks up to ``printer.job_timeout_seconds``. Raises TrackingNumberError or
        ReportNotFound for a number that is not a stored report; any other failure is logged and reported as
        ``job_failed`` (with ``spooled_pdf`` None when not even the PDF could be made)."""
        # Imported here, not at the top: reportlab takes ~0.1 s to import, which the UI thread should not pay when the
        # kiosk builds its first wizard (and this printer with it); the first receipt pays it instead, on the Done
        # page's worker thread.
        from printing.receipt import receipt_content, render_receipt

        report = self._reports.get(tracking_number)
        tracking = report["tracking_number"]
        printer = self._config.printer
        try:
            content = receipt_content(report, access_code, self._config.kiosk.zone,
                                      self._config.sync.status_page_url)
            pdf = render_receipt(content, self._config.department, printer.paper)
        except Exception:
            log.exception("receipt %s: could not be rendered", tracking)
            return PrintOutcome(printed=False, spooled_pdf=None, reason="job_failed")
        return self._output.print_pdf("receipt", tracking, pdf.data, printer=printer.name,
                                      media=printer.media_for(pdf.height_mm))

    def reprint_receipt(self, tracking_number: TrackingNumber, actor: str) -> tuple[str, PrintOutcome]:
        """Print a stored report's receipt again, with a new access code (the old one stops working at once and
        the history records the reprint). Returns the new code and the outcome. For ``p2c-kiosk print`` and
        officer mode."""
        access_code = self._reports.reissue_access_code(tracking_number, actor)
        return access_code, self.print_receipt(tracking_number, access_code)


def build_receipt_printer(kiosk: Kiosk) -> KioskReceiptPrinter:
    """The receipt printer of a kiosk: its report service, configuration and clock, the spool folder in its data
    folder, and the local CUPS scheduler. The kiosk's container calls this (through the ``p2c_kiosk.receipt_printer``
    entry point) the first time something prints: the wizard's first page, officer mode, ``p2c-kiosk print``."""
    return KioskReceiptPrinter(kiosk.reports, kiosk.config, kiosk.spool_folder, CupsDispatcher(), kiosk.clock,
                               kiosk.spool_sealer)
