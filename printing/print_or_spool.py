"""The one way a rendered document leaves the kiosk: spooled first, then sent to CUPS.

Every document (the citizen's receipt, a report's full copy) is written to the spool folder before it is sent, so
that nothing is lost whatever the printer does. When the print system completes the job the spooled file is removed
(a receipt carries an access code, a copy everything the citizen told the kiosk); when it does not, or when no
printer is set up for the document, the file stays for the desk and the outcome says where and why.

The callers render (``printing.receipt``, ``printing.report_copy``) and decide which printer, if any, takes the
document; this module does the rest, identically for both.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Literal

from kiosk.clock import Clock
from kiosk.config import Config
from kiosk.receipts import PrintOutcome
from printing.cups import Dispatcher
from printing.spool import write_spool_file

log = logging.getLogger(__name__)

Document = Literal["receipt", "copy"]  # the spool file's first word (printing.spool removes these names only)
_TITLES: dict[Document, str] = {"receipt": "P2C receipt", "copy": "P2C report copy"}  # the CUPS job's title
_NAMES: dict[Document, str] = {"receipt": "receipt", "copy": "full copy"}  # in the log


class PrintOrSpool:
    """Prints rendered PDFs through ``dispatcher`` (CUPS), keeping each in ``spool_dir`` until it has come out."""

    def __init__(self, config: Config, spool_dir: Path, dispatcher: Dispatcher, clock: Clock) -> None:
        self._config = config
        self._spool = spool_dir
        self._dispatcher = dispatcher
        self._clock = clock

    def print_pdf(self, document: Document, tracking_number: str, pdf: bytes, *, printer: str,
                  media: str) -> PrintOutcome:
        """Spool ``pdf``, then print it on ``printer`` with ``media`` (an empty ``printer``: none is set up for
        this document, and it is only spooled).

        Returns ``PrintOutcome(True)`` once the print system completed the job (the spooled file is then gone), else
        the spooled file and the reason (kiosk.receipts.REASONS). Blocks up to ``printer.job_timeout_seconds``. Never
        raises: a file that cannot be written or a dispatcher that fails is logged and reported as ``job_failed``
        (``spooled_pdf`` None when not even the file could be written)."""
        name = f"{_NAMES[document]} {tracking_number}"
        try:
            path = write_spool_file(self._spool, document, tracking_number, pdf,
                                    self._clock.now().astimezone(self._config.kiosk.zone))
        except Exception:
            log.exception("%s: could not be saved in the spool folder", name)
            return PrintOutcome(printed=False, spooled_pdf=None, reason="job_failed")

        if not printer:
            log.warning("%s not printed: no printer is set up for it; kept at %s", name, path)
            return PrintOutcome(printed=False, spooled_pdf=path, reason="no_printer")
        try:
            result = self._dispatcher.print_pdf(path, printer, media, f"{_TITLES[document]} {tracking_number}",
                                                self._config.printer.job_timeout_seconds)
        except Exception:
            log.exception("%s: printing failed unexpectedly; kept at %s", name, path)
            return PrintOutcome(printed=False, spooled_pdf=path, reason="job_failed")
        if result.printed:
            log.info("%s printed on %s (job %s, %s)", name, printer, result.job_id, media)
            path.unlink(missing_ok=True)  # keep no copy of what came out
            return PrintOutcome(printed=True)
        log.warning("%s not printed on %s: %s (%s); kept at %s", name, printer, result.reason, result.detail, path)
        return PrintOutcome(printed=False, spooled_pdf=path, reason=result.reason)
