"""The data folder (configuration, database, logs, spool) and the container that builds one kiosk from it.

:class:`Kiosk` is the container: the one place that builds the core's services, each once, the first time something
asks for it, and the one place where start-up laziness lives. The kiosk window paints its welcome page before the
database is even opened because nothing touches ``kiosk.store`` (or a service built on it) before that paint; the
services' modules are imported by the properties that build them. The faces get their services from it: every
command's handler is handed the container (kiosk/cli.py), the kiosk window is built from it (ui/commands.py), and
the tests build it with explicit overrides (their own store, a manual clock, a cheap password hasher, a fake receipt
printer).
"""

from __future__ import annotations

import enum
import logging
import logging.handlers
import time
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

from kiosk.clock import Clock, SystemClock
from kiosk.config import Config, load_config
from kiosk.crash_log import FaultTracingLogHandler

if TYPE_CHECKING:
    from importlib.metadata import EntryPoints

    from argon2 import PasswordHasher

    from kiosk.audit import AuditLog
    from kiosk.lookup import StatusLookup
    from kiosk.notices import NoticeOutbox, NoticeSender
    from kiosk.officers import OfficerService
    from kiosk.receipts import CopyPrinter, ReceiptPrinter
    from kiosk.reports import ReportService
    from kiosk.review import ReviewService
    from kiosk.sealed import Sealer
    from kiosk.settings_editor import SettingsEditor
    from kiosk.storage.database import Store
    from kiosk.sync.engine import SyncEngine
    from kiosk.sync.protocol import HeartbeatPrinter

log = logging.getLogger(__name__)

DATABASE_FILE_NAME = "kiosk.sqlite3"
LOG_FILE_NAME = "kiosk.log"
SPOOL_FOLDER = "spool"  # receipts and copies that did not come out of the printer (printing.spool)
ENCRYPTION_OFF = ("ENCRYPTION AT REST IS OFF ([storage] encryption = \"off\" in kiosk.toml): the database, its backups "
                  "and the spool folder are plaintext, readable by anyone who takes this disk. For a developer's "
                  "machine only, never in a lobby (docs/encryption.md).")
# The face that prints declares how it builds the receipt printer and the copy printer of a kiosk (pyproject.toml):
# the core names no face.
RECEIPT_PRINTER_GROUP = "p2c_kiosk.receipt_printer"
COPY_PRINTER_GROUP = "p2c_kiosk.copy_printer"
# The heartbeat's printer state (kiosk.sync.heartbeat): the face's readiness when it declares it, else its doctor line.
PRINTER_READINESS_GROUP = "p2c_kiosk.printer_readiness"
DOCTOR_GROUP = "p2c_kiosk.doctor"


class Installed(enum.Enum):
    """The default of :class:`Kiosk`'s ``receipt_printer`` and ``copy_printer``: the printer of the installed printing
    face."""

    PRINTER = "the printer the installed printing face's entry point builds"


INSTALLED_PRINTER: Final = Installed.PRINTER


class Kiosk:
    """The container of one kiosk: its data folder ``home``, its configuration and clock, and its services, each
    built once on first use.

    Overrides, for tests and tools: ``clock`` (default: the system clock); ``store``, a store already open (default:
    ``home/kiosk.sqlite3``, opened on first use); ``password_hasher`` for the officer accounts (default: argon2id at
    argon2-cffi's cost); ``receipt_printer`` (default: the installed printing face's, see
    :attr:`receipt_printer`; None: no printer, the numbers are shown on screen only); ``copy_printer`` for officer
    mode's full copies (default: the installed printing face's; None: officer mode offers none).
    """

    def __init__(self, home: Path, config: Config, *, clock: Clock | None = None, store: Store | None = None,
                 password_hasher: PasswordHasher | None = None,
                 receipt_printer: ReceiptPrinter | Literal[Installed.PRINTER] | None = INSTALLED_PRINTER,
                 copy_printer: CopyPrinter | Literal[Installed.PRINTER] | None = INSTALLED_PRINTER) -> None:
        self.home = home
        self.config = config
        self.clock: Clock = clock or SystemClock()
        self._given_store = store
        self._password_hasher = password_hasher
        self._receipt_printer = receipt_printer
        self._copy_printer = copy_printer
        self.started = time.monotonic()  # the heartbeat's uptime counts from here

    @property
    def spool_folder(self) -> Path:
        return self.home / SPOOL_FOLDER

    @cached_property
    def store(self) -> Store:
        """The database, opened (and migrated) on first use. Raises StoreError when it cannot be opened; the next use
        tries again (StorageKeyError, a StoreError, when its key cannot be had: the message says what to do).

        Encrypted under the storage key from the system keyring (docs/encryption.md): a plaintext database of an
        earlier version is encrypted in place, plaintext PDFs left in the spool folder are sealed, and a key rotation
        that was interrupted is finished, before the store is handed out. With ``[storage] encryption = "off"`` the
        database stays plaintext and every start says so in the log."""
        if self._given_store is not None:
            return self._given_store
        from kiosk.storage.database import RotationInterrupted, open_store

        path = self.home / DATABASE_FILE_NAME
        if not self.config.storage.encrypted:
            log.warning(ENCRYPTION_OFF)
            return open_store(path, now=self.clock.now, key=None)
        try:
            store = open_store(path, now=self.clock.now)
        except RotationInterrupted:
            from kiosk.rekey import finish_rotation

            finish_rotation(self.home, self.clock)
            store = open_store(path, now=self.clock.now)
        from kiosk.sealed import Sealer, seal_plaintext_pdfs

        assert store.key is not None  # the keyring's key, always
        seal_plaintext_pdfs(self.spool_folder, Sealer(store.key))
        return store

    def spool_sealer(self) -> Sealer | None:
        """What seals the receipts and copies kept in the spool folder (kiosk.sealed): the store's key (the store is
        opened for it, so the printers ask for it at each document, never when they are built); None when the store
        is plaintext (``[storage] encryption = "off"``). Raises StoreError when the store cannot be opened."""
        key = self.store.key
        if key is None:
            return None
        from kiosk.sealed import Sealer

        return Sealer(key)

    @property
    def store_is_open(self) -> bool:
        """Whether something has asked for the store yet (and it opened)."""
        return "store" in self.__dict__

    def built(self) -> set[str]:
        """The names of the services built so far (what start-up builds, and when, is checked by tests)."""
        return {name for name, member in vars(Kiosk).items()
                if isinstance(member, cached_property) and name in self.__dict__}

    @cached_property
    def reports(self) -> ReportService:
        """The report service. Building it opens nothing: its checks need no database, and it asks for
        :attr:`store` at its first call that does (and again at the next if the store could not be opened), so a
        kiosk whose database will not open still takes a visitor to the end and tells them to see the officer."""
        from kiosk.reports import ReportService

        reports = ReportService(lambda: self.store, self.config, self.clock)
        # Every stored report gets its "submitted" e-mail notice in the same transaction (the outbox is built, and
        # its module imported, on the first submit).
        reports.add_submit_hook(lambda report_id, report: self.outbox.submit_hook(report_id, report))
        return reports

    @cached_property
    def audit(self) -> AuditLog:
        from kiosk.audit import AuditLog

        return AuditLog(self.store, self.clock)

    @cached_property
    def officers(self) -> OfficerService:
        from kiosk.officers import OfficerService

        return OfficerService(self.store, self.clock, self.audit, hasher=self._password_hasher)

    @cached_property
    def outbox(self) -> NoticeOutbox:
        from kiosk.notices import NoticeOutbox

        return NoticeOutbox(self.store, self.config, self.clock)

    @cached_property
    def notice_sender(self) -> NoticeSender:
        """Delivers the outbox's due notices over SMTP; the password is read from the keyring at each run."""
        from kiosk.notices import NoticeSender, smtp_password_from_keyring

        return NoticeSender(self.outbox, self.config, self.clock, smtp_password_from_keyring(self.config),
                            audit=self.audit)

    @cached_property
    def review(self) -> ReviewService:
        from kiosk.review import ReviewService

        return ReviewService(self.store, self.config, self.clock, self.audit, self.reports, self.outbox)

    @cached_property
    def lookup(self) -> StatusLookup:
        from kiosk.lookup import StatusLookup

        return StatusLookup(self.store, self.config, self.clock, self.audit)

    @cached_property
    def sync(self) -> SyncEngine:
        """The sync engine; its token is read from the keyring at each run."""
        from kiosk.sync.engine import SyncEngine
        from kiosk.sync.secrets import token_from_keyring

        return SyncEngine(self.store, self.config, self.clock, token=token_from_keyring(self.config),
                          outbox=self.outbox, audit=self.audit, printer=self._printer_health, started=self.started,
                          home=self.home)

    def _printer_health(self) -> HeartbeatPrinter:
        """The heartbeat's printer state, from the printing face's ``p2c_kiosk.printer_readiness`` entry point when
        it declares one, else its doctor line (``p2c_kiosk.doctor`` ``printer``); "none" without a printer set up,
        "unknown" when no face is installed."""
        from kiosk.sync.heartbeat import printer_from_finding, printer_from_readiness

        if not self.config.printer.name:
            return {"state": "none"}
        for entry in _entry_points(group=PRINTER_READINESS_GROUP):
            return printer_from_readiness(entry.load()(self))
        for entry in _entry_points(group=DOCTOR_GROUP):
            if entry.name == "printer":
                return printer_from_finding(entry.load()(self))
        return {"state": "unknown"}

    @cached_property
    def receipt_printer(self) -> ReceiptPrinter | None:
        """What prints receipts (the wizard's Done page, officer mode, ``p2c-kiosk print``): the one handed in, or
        else the one the ``p2c_kiosk.receipt_printer`` entry point builds for this kiosk (printing's: CUPS, with the
        spool folder); None when no printing face is installed."""
        if self._receipt_printer is not INSTALLED_PRINTER:
            return self._receipt_printer
        for entry in _entry_points(group=RECEIPT_PRINTER_GROUP):
            printer: ReceiptPrinter = entry.load()(self)
            return printer
        return None

    @cached_property
    def copy_printer(self) -> CopyPrinter | None:
        """What prints officer mode's full copies of reports: the one handed in, or else the one the
        ``p2c_kiosk.copy_printer`` entry point builds for this kiosk (printing's: CUPS on a Letter printer, with the
        spool folder); None when no printing face is installed."""
        if self._copy_printer is not INSTALLED_PRINTER:
            return self._copy_printer
        for entry in _entry_points(group=COPY_PRINTER_GROUP):
            printer: CopyPrinter = entry.load()(self)
            return printer
        return None

    @cached_property
    def settings(self) -> SettingsEditor:
        """What officer mode's Settings page changes kiosk.toml through (administrators only)."""
        from kiosk.settings_editor import SettingsEditor

        return SettingsEditor(self.home, self.audit, self.clock, officers=self.officers)

    def close(self) -> None:
        """Close the database if this container opened it (a store handed in belongs to whoever opened it)."""
        if self.store_is_open and self._given_store is None:
            self.store.close()


def _entry_points(group: str) -> EntryPoints:
    """The installed entry points of ``group``. importlib.metadata costs ~20 ms to import (the e-mail parser with
    it): the container pays that when it first builds a printer, after the kiosk window's first paint, never before."""
    from importlib.metadata import entry_points

    return entry_points(group=group)


def open_kiosk(home: Path, clock: Clock | None = None, *, open_store_now: bool = True,
               password_hasher: PasswordHasher | None = None,
               receipt_printer: ReceiptPrinter | Literal[Installed.PRINTER] | None = INSTALLED_PRINTER) -> Kiosk:
    """The kiosk whose data folder is ``home``, with its configuration file read (and written with the defaults when
    there is none). With ``open_store_now`` (the default) the database is opened and migrated here, so that its
    errors (StoreError) surface at once; the kiosk window passes False and opens it just after its first paint. The
    other arguments are :class:`Kiosk`'s overrides."""
    kiosk = Kiosk(home, load_config(home), clock=clock, password_hasher=password_hasher,
                  receipt_printer=receipt_printer)
    if open_store_now:
        _ = kiosk.store
    return kiosk


def configure_logging(home: Path, level: int = logging.INFO) -> None:
    """A rotating log file in ``home/logs``, which also receives the trace of a native crash (kiosk.crash_log). Log
    lines carry tracking numbers and categories, never what a citizen typed (names, addresses, phone numbers, email
    addresses, narratives).

    The data folder and everything in it are made owner-only first (kiosk.file_modes): looser permissions left by an
    earlier version or by hand are repaired, each with a warning in the log."""
    from kiosk.file_modes import private_folder, secure_data_folder

    repaired = secure_data_folder(home)
    folder = home / "logs"
    repaired += private_folder(folder)
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
    for line in repaired:
        logging.getLogger("kiosk.file_modes").warning("%s", line)
