"""The one way a rendered document leaves the kiosk: spooled first, then sent to CUPS.

Every document (the citizen's receipt, a report's full copy) is written to the spool folder before it is sent, so
that nothing is lost whatever the printer does: sealed with the storage key (AES-256-GCM, kiosk.sealed) on a kiosk
that encrypts its data. The print system is handed the document from memory (a memfd), never the spooled file, so
that nothing in clear is written to the data folder. When the print system completes the job the spooled file is
removed (a receipt carries an access code, a copy everything the citizen told the kiosk); when it does not, or when
no printer is set up for the document, the file stays for the desk and the outcome says where and why.

The callers render (``printing.receipt``, ``printing.report_copy``) and decide which printer, if any, takes the
document; this module does the rest, identically for both.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from kiosk.clock import Clock
from kiosk.config import Config
from kiosk.receipts import PrintOutcome
from kiosk.sealed import Sealer
from printing.cups import Dispatcher
from printing.spool import write_spool_file

log = logging.getLogger(__name__)

Document = Literal["receipt", "copy"]  # the spool file's first word (printing.spool removes these names only)
_TITLES: dict[Document, str] = {"receipt": "P2C receipt", "copy": "P2C report copy"}  # the CUPS job's title
_NAMES: dict[Document, str] = {"receipt": "receipt", "copy": "full copy"}  # in the log


class PrintOrSpool:
    """Prints rendered PDFs through ``dispatcher`` (CUPS), keeping each in ``spool_dir`` until it has come out.

    ``sealer``: gives what seals the spooled files (kiosk.home.Kiosk.spool_sealer: the storage key's, asked for at
    each document, so that building a printer opens no database), or None when they stay plaintext (a kiosk with
    ``[storage] encryption = "off"``; tests of the print path itself)."""

    def __init__(self, config: Config, spool_dir: Path, dispatcher: Dispatcher, clock: Clock,
                 sealer: Callable[[], Sealer | None] | None = None) -> None:
        self._config = config
        self._spool = spool_dir
        self._dispatcher = dispatcher
        self._clock = clock
        self._sealer = sealer

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
            sealer = self._sealer() if self._sealer is not None else None
            path = write_spool_file(self._spool, document, tracking_number, pdf,
                                    self._clock.now().astimezone(self._config.kiosk.zone), sealer)
        except Exception:
            log.exception("%s: could not be saved in the spool folder", name)
            return PrintOutcome(printed=False, spooled_pdf=None, reason="job_failed")

        if not printer:
            log.warning("%s not printed: no printer is set up for it; kept at %s", name, path)
            return PrintOutcome(printed=False, spooled_pdf=path, reason="no_printer")
        try:
            with in_memory(pdf) as printable:
                result = self._dispatcher.print_pdf(printable, printer, media,
                                                    f"{_TITLES[document]} {tracking_number}",
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


@contextmanager
def in_memory(data: bytes) -> Iterator[Path]:
    """A path to ``data`` held in memory only (an anonymous memfd, gone when the block ends), which another process of
    the kiosk's user can open (``lp``): ``/proc/<this process>/fd/<n>``."""
    handle = os.memfd_create("p2c-print", os.MFD_CLOEXEC)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view):]
        yield Path(f"/proc/{os.getpid()}/fd/{handle}")
    finally:
        os.close(handle)
