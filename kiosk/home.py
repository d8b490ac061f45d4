"""The data folder: one per kiosk, holding its configuration, database, logs and backups.

``open_kiosk(home)`` is the one place that wires the core together for the CLI and the kiosk window.
"""

from __future__ import annotations

import logging
import logging.handlers
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.clock import Clock, SystemClock
from kiosk.config import Config, load_config
from kiosk.crash_log import FaultTracingLogHandler

if TYPE_CHECKING:
    from kiosk.reports import ReportService
    from kiosk.storage import Store

DATABASE_FILE_NAME = "kiosk.sqlite3"

LOG_FILE_NAME = "kiosk.log"


@dataclass
class Kiosk:
    """The core of one kiosk, wired together. Officer mode's services are built (and their modules imported) on
    first use, so that the citizen's start-up and the CLI's read-only commands do not pay for them."""

    home: Path
    config: Config
    clock: Clock = field(default_factory=SystemClock)

    @cached_property
    def store(self) -> Store:
        """The database, opened (and migrated) on first use. Raises StoreError when it cannot be opened."""
        from kiosk.storage import open_store

        return open_store(self.home / DATABASE_FILE_NAME, now=self.clock.now)

    @cached_property
    def reports(self) -> ReportService:
        """The report service; it opens the store on its first call (``reports.open()`` opens it at once)."""
        from kiosk.reports import ReportService

        reports = ReportService(lambda: self.store, self.config, self.clock)
        # Every stored report gets its "submitted" e-mail notice in the same transaction (the outbox is built, and
        # its module imported, on the first submit).
        reports.add_submit_hook(lambda report_id, report: self.outbox.submit_hook(report_id, report))
        return reports

    @cached_property
    def audit(self) -> Any:
        from kiosk.audit import AuditLog

        return AuditLog(self.store, self.clock)

    @cached_property
    def officers(self) -> Any:
        from kiosk.officers import OfficerService

        return OfficerService(self.store, self.clock, self.audit)

    @cached_property
    def outbox(self) -> Any:
        from kiosk.notices import NoticeOutbox

        return NoticeOutbox(self.store, self.config, self.clock)

    @cached_property
    def review(self) -> Any:
        from kiosk.review import ReviewService

        return ReviewService(self.store, self.config, self.clock, self.audit, self.reports, self.outbox)

    @cached_property
    def lookup(self) -> Any:
        from kiosk.lookup import StatusLookup

        return StatusLookup(self.store, self.config, self.clock, self.audit)

    @cached_property
    def sync(self) -> Any:
        """The sync engine (kiosk.sync.SyncEngine); its token is read from the keyring at each run."""
        from kiosk.sync.engine import SyncEngine
        from kiosk.sync.secrets import token_from_keyring

        return SyncEngine(self.store, self.config, self.clock, token=token_from_keyring(self.config),
                          outbox=self.outbox, audit=self.audit)

    def close(self) -> None:
        if "store" in self.__dict__:  # opened
            self.store.close()


def open_kiosk(home: Path, clock: Clock | None = None, *, open_store_now: bool = True) -> Kiosk:
    """The kiosk whose data folder is ``home``. With ``open_store_now`` (the default) the database is opened and
    migrated here, so that its errors (StoreError) surface at once; the kiosk window passes False and opens it just
    after its first paint."""
    kiosk = Kiosk(home=home, config=load_config(home), clock=clock or SystemClock())
    if open_store_now:
        kiosk.reports.open()
    return kiosk


def configure_logging(home: Path, level: int = logging.INFO) -> None:
    """A rotating log file in ``home/logs``, which also receives the trace of a native crash (kiosk.crash_log). Log
    lines carry tracking numbers and categories, never what a citizen typed (names, addresses, phone numbers, email
    addresses, narratives)."""
    folder = home / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE_NAME
    root = logging.getLogger()
    root.setLevel(level)
    if any(isinstance(h, logging.handlers.RotatingFileHandler) and Path(h.baseFilename) == path.absolute()
           for h in root.handlers):
        return
    # faulthandler writes into the same file: a native crash leaves the Python stack of every thread there.
    handler = FaultTracingLogHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
