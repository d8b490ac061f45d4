"""What the running kiosk adds to its window once it is on screen (:class:`WindowServices`): open the database just
after the welcome page's first paint, wire officer mode to the officer gesture, send the e-mail outbox in the
background, remove spooled PDFs older than ``[printer] spool_keep_hours`` (``SpoolCleanup``) and, when a department
server is configured, sync with it in the background (``SyncWorker``). Each takes its services from the kiosk's
container (kiosk.home.Kiosk), which builds them on first use, and runs its work off the UI thread through the one
background-job helper (ui/jobs.py).

The kiosk tells systemd how it is (ui.health.KioskHealth, when one is handed in): ``READY=1`` once the database is
open (or known not to open), the sync backlog and the printer in its status line. The receipt printer is asked on a
timer whether it can print (``PrinterWatch``): the welcome page says so before a visitor starts.

If the database cannot be opened at start-up the kiosk stays up, out of order: a full-screen "out of order, please
see the desk" page (ui.out_of_order), one line in the log and on standard error (the journal), the reason in the
status line; it tries again every ``STORE_RETRY_MS`` and, once the database opens, the welcome page is back and the
services start. A database that fails later is the wizard's business: a visitor who submits is told to see the desk
officer (the wizard's storage-failure page).

A window built for a test or a screenshot has none of this unless the test adds it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.report_errors import StoreError
from ui.health import KioskHealth, PrinterWatch
from ui.jobs import run_in_background
from ui.officer.controller import OfficerModeController
from ui.out_of_order import Cause, OutOfOrder, OutOfOrderPage, say_out_of_order
from ui.shell import FirstPaintHook

if TYPE_CHECKING:
    from kiosk.home import Kiosk
    from kiosk.sync.engine import SyncEngine, SyncRun, SyncStatus
    from printing.readiness import Readiness
    from ui.shell import KioskWindow

log = logging.getLogger(__name__)

# The outbox is looked at this often; a notice that failed waits for its own back-off time on top.
NOTICE_INTERVAL_MS = 60_000
FIRST_NOTICE_RUN_MS = 5_000
# The first sync run comes this long after the first paint (then every [sync] interval_seconds).
FIRST_SYNC_RUN_MS = 3_000
# Old spooled PDFs are looked for this long after the first paint, then every hour.
SPOOL_CLEANUP_INTERVAL_MS = 3_600_000
FIRST_SPOOL_CLEANUP_MS = 2_000
# A database that would not open at start-up is tried again this often (the out-of-order page stays meanwhile).
STORE_RETRY_MS = 60_000


class NoticeDelivery(QObject):
    """Every minute, one delivery run of the e-mail outbox on a worker thread (never on the UI thread). A run
    that is still going when the next is due is not doubled."""

    def __init__(self, kiosk: Kiosk, parent: QObject, interval_ms: int = NOTICE_INTERVAL_MS,
                 first_ms: int = FIRST_NOTICE_RUN_MS) -> None:
        super().__init__(parent)
        self._kiosk = kiosk
        self._busy = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.run_once)
        self._timer.start()
        QTimer.singleShot(first_ms, self.run_once)

    def run_once(self) -> None:
        if self._busy:
            return
        self._busy = True
        # A run that fails is logged; the outbox keeps the notices and the next run tries again.
        run_in_background("notice delivery run", self._deliver, receiver=self, done=self._done,
                          failed=lambda _error: None)

    def _deliver(self) -> None:  # on a worker thread
        run = self._kiosk.notice_sender.deliver_due()
        log.info("notice delivery: %s", run)

    def _done(self, _result: None) -> None:
        self._busy = False


class SpoolCleanup(QObject):
    """Every hour (the first time ``first_ms`` after the first paint), the spool folder loses the PDFs older than
    ``[printer] spool_keep_hours`` (``printing.spool.remove_old_spool_files``), on a worker thread: a slow disk
    never holds up the screen. A run still going when the next is due is not doubled."""

    def __init__(self, kiosk: Kiosk, parent: QObject, interval_ms: int = SPOOL_CLEANUP_INTERVAL_MS,
                 first_ms: int = FIRST_SPOOL_CLEANUP_MS) -> None:
        super().__init__(parent)
        self._folder = kiosk.spool_folder
        self._keep_hours = kiosk.config.printer.spool_keep_hours
        self._busy = False
        self.runs = 0  # runs finished (for the tests and the curious)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.run_once)
        self._timer.start()
        self._first = QTimer(self)  # a child: it dies with its window, never firing into a deleted object
        self._first.setSingleShot(True)
        self._first.timeout.connect(self.run_once)
        self._first.start(first_ms)

    @property
    def busy(self) -> bool:
        """A clean-up run is on the worker pool now."""
        return self._busy

    def stop(self) -> None:
        """No further runs (one going on finishes)."""
        self._timer.stop()
        self._first.stop()

    def run_once(self) -> None:
        if self._busy:
            return
        self._busy = True
        # A run that fails is logged; the next run tries again.
        run_in_background("spool clean-up run", self._clean, receiver=self, done=self._done,
                          failed=lambda _error: None)

    def _clean(self) -> None:  # on a worker thread
        from printing.spool import remove_old_spool_files

        remove_old_spool_files(self._folder, self._keep_hours)  # logs its counts itself

    def _done(self, _result: None) -> None:
        self.runs += 1
        self._busy = False


class SyncWorker(QObject):
    """Runs the sync engine (``kiosk.sync.SyncEngine``) on the worker pool (ui/jobs.py), one run at a time, and hands
    the results back on the UI thread by signals (none once the worker is deleted). The kiosk window's timer and
    officer mode's "Sync now" share one worker, so two runs never overlap: a run asked for while one is going is done
    once, right after it.

    ``engine`` is a function that returns the engine; it is called on the worker thread (building the engine reads
    the token from the keyring, which may take a moment). Nothing here touches the database on the UI thread.

    Signals: ``running_changed(bool)``; ``run_finished(SyncRun)``; ``status_read(SyncStatus)`` after every run and
    every :meth:`refresh_status`; ``run_failed(str)`` when the engine itself could not be built or run (a bug or a
    broken keyring, never the network: network trouble is in ``SyncRun.error``).
    """

    running_changed = Signal(bool)
    run_finished = Signal(object)
    status_read = Signal(object)
    run_failed = Signal(str)

    def __init__(self, engine: Callable[[], SyncEngine], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._engine = engine
        self._running = False
        self._reading = False
        self._again: bool | None = None  # a run asked for during a run: None, or its ``force``
        self._runs = 0  # runs started: a status read that began before a run is older than the run's own status
        self.last_run: SyncRun | None = None
        self.last_status: SyncStatus | None = None
        # The schedule (start_schedule): a run every interval, the first one sooner. Children: they die with this
        # worker, never firing into a deleted object.
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.run_scheduled)
        self._first = QTimer(self)
        self._first.setSingleShot(True)
        self._first.timeout.connect(self.run_scheduled)

    @property
    def running(self) -> bool:
        return self._running

    @property
    def busy(self) -> bool:
        """A run or a status read is on the worker pool now."""
        return self._running or self._reading

    # -- runs -------------------------------------------------------------------------------------------------------

    def start_schedule(self, interval_ms: int, first_ms: int = FIRST_SYNC_RUN_MS) -> None:
        """A run every ``interval_ms`` (the engine itself skips a run while it is backing off), the first after
        ``first_ms``."""
        self._timer.setInterval(interval_ms)
        self._timer.start()
        self._first.start(first_ms)

    @property
    def interval_ms(self) -> int | None:
        """The time between scheduled runs; None while no schedule runs (never started, or stopped)."""
        return self._timer.interval() if self._timer.isActive() else None

    def stop_schedule(self) -> None:
        self._timer.stop()
        self._first.stop()

    def run_scheduled(self) -> None:
        self.run_now(force=False)

    def run_after_decision(self) -> None:
        """An officer decided a report: sync soon, so the decision reaches the server and an approval's official
        number comes back quickly. Forced (past the wait between runs) unless the last run failed: a server that is
        down is not asked again at every decision; the back-off decides."""
        failed = self.last_run is not None and bool(self.last_run.error)
        self.run_now(force=not failed)

    def run_now(self, force: bool = True) -> bool:
        """Start a run on the worker pool; False when one is going (this one then follows it)."""
        if self._running:
            self._again = bool(force or self._again)
            return False
        self._running = True
        self._runs += 1
        self.running_changed.emit(True)
        # A run that raises (a bug or a broken keyring, never the network) is logged and reported by run_failed; the
        # kiosk carries on and the next run tries again.
        run_in_background("sync run", lambda: self._run(force), receiver=self, done=self._finished,
                          failed=lambda error: _Broken(type(error).__name__))
        return True

    def _run(self, force: bool) -> tuple[SyncRun, SyncStatus]:  # on a worker thread
        engine = self._engine()
        run = engine.run_once(force=force)
        status = engine.status()
        if not run.skipped:
            log.info("sync run: %d report(s) and %d event(s) pushed, %d decision(s) pulled, %d conflict(s), "
                     "%d purged%s", run.reports_pushed, run.events_pushed, run.decisions_pulled, run.conflicts,
                     run.purged, " (failed)" if run.error else "")
        return run, status

    def _finished(self, result: tuple[SyncRun, SyncStatus] | _Broken) -> None:
        if isinstance(result, _Broken):
            self._failed(result.what, was_run=True)
            return
        run, status = result
        self.last_run, self.last_status = run, status
        self._end_run()
        self.run_finished.emit(run)
        self.status_read.emit(status)
        self._follow_up()

    def _end_run(self) -> None:
        self._running = False
        self.running_changed.emit(False)

    def _follow_up(self) -> None:
        if self._again is not None:
            force, self._again = self._again, None
            self.run_now(force=force)

    # -- status -----------------------------------------------------------------------------------------------------

    def refresh_status(self) -> None:
        """Read the engine's status on the worker pool (``status_read`` follows). During a run nothing is read:
        the run's end brings the status."""
        if self._running or self._reading:
            return
        self._reading = True
        runs = self._runs
        run_in_background("reading the sync status", lambda: self._engine().status(), receiver=self,
                          done=lambda status: self._status_arrived(status, runs),
                          failed=lambda error: _Broken(type(error).__name__))

    def _status_arrived(self, status: SyncStatus | _Broken, runs: int) -> None:
        if isinstance(status, _Broken):
            self._failed(status.what, was_run=False)
            return
        self._reading = False
        if runs != self._runs:
            return  # a run started while this was read: its own status (newer) comes with its end
        self.last_status = status
        self.status_read.emit(status)

    def _failed(self, what: str, was_run: bool) -> None:
        if was_run:
            self._end_run()
        else:
            self._reading = False
        self.run_failed.emit(what)
        if was_run:
            self._follow_up()


@dataclass(frozen=True)
class _Broken:
    """A sync run or status read that raised: the exception's class name, for ``run_failed``."""

    what: str


class WindowServices(QObject):
    """Everything the running kiosk adds to ``window`` (see the module docstring), started just after the welcome
    page's first paint: the database opens, officer mode is wired (:attr:`officer_mode`), the outbox starts being
    sent (:attr:`notice_delivery`; None with ``deliver_notices`` False), old spooled PDFs start being removed
    (:attr:`spool_cleanup`; None with ``clean_spool`` False), the printer starts being watched
    (:attr:`printer_watch`; None with ``watch_printer`` False) and, with a department server configured, the sync
    runs start (:attr:`sync_worker`; None without, or with ``sync`` False). ``started`` fires once they are all
    there; ``health`` (ui.health.KioskHealth) hears about each and is told when the kiosk is ready.

    When the database cannot be opened, none of them starts: :attr:`out_of_order` is the page shown over the window
    (None while the kiosk is in order), and the database is tried again every ``store_retry_ms``."""

    started = Signal()

    def __init__(self, window: KioskWindow, kiosk: Kiosk, *, deliver_notices: bool = True, sync: bool = True,
                 clean_spool: bool = True, watch_printer: bool = True, health: KioskHealth | None = None,
                 store_retry_ms: int = STORE_RETRY_MS) -> None:
        super().__init__(window)
        self._window = window
        self._kiosk = kiosk
        self._deliver_notices, self._sync, self._clean_spool = deliver_notices, sync, clean_spool
        self._watch_printer = watch_printer
        self.health = health
        self.officer_mode: OfficerModeController | None = None
        self.sync_worker: SyncWorker | None = None
        self.notice_delivery: NoticeDelivery | None = None
        self.spool_cleanup: SpoolCleanup | None = None
        self.printer_watch: PrinterWatch | None = None
        self.out_of_order: OutOfOrderPage | None = None
        self.is_started = False
        self._retry = QTimer(self)
        self._retry.setInterval(store_retry_ms)
        self._retry.timeout.connect(self._try_again)
        FirstPaintHook(window.welcome_page, self._start)

    def _start(self) -> None:
        problem = self._open_store()
        if problem is not None:
            self._show_out_of_order(problem)
        else:
            self._start_services()
        if self.health is not None:
            self.health.ready()

    def _open_store(self) -> OutOfOrder | None:
        """Open the database; what keeps the kiosk out of order when it does not open."""
        try:
            _ = self._kiosk.store
        except StoreError as exc:
            log.debug("the database could not be opened", exc_info=True)
            return OutOfOrder(store_cause(exc), str(exc) or type(exc).__name__)
        return None

    def _show_out_of_order(self, problem: OutOfOrder) -> None:
        """The page over the window, the line in the log and the journal, the status; again only when the reason
        changed (a retry that fails the same way says nothing new)."""
        page = self.out_of_order
        if page is not None and page.problem == problem:
            return
        say_out_of_order(problem)
        if page is not None:
            page.uncover()
        self.out_of_order = OutOfOrderPage(problem, emergency_number=self._kiosk.config.department.emergency_number)
        self.out_of_order.cover(self._window)
        if self.health is not None:
            self.health.set_out_of_order(problem.status)
        self._retry.start()

    def _try_again(self) -> None:
        problem = self._open_store()
        if problem is not None:
            self._show_out_of_order(problem)
            return
        log.info("the database opened: the kiosk is in order again")
        self._retry.stop()
        if self.out_of_order is not None:
            self.out_of_order.uncover()
            self.out_of_order = None
        if self.health is not None:
            self.health.set_in_order()
        self._start_services()

    def _start_services(self) -> None:
        kiosk = self._kiosk
        if self._sync and kiosk.config.sync.server_url:
            # Built on a worker thread at its first run: reading the token from the keyring may take a moment.
            self.sync_worker = SyncWorker(lambda: kiosk.sync, self)
            if self.health is not None:
                self.sync_worker.status_read.connect(self.health.set_sync_status)
                self.sync_worker.run_failed.connect(self.health.set_sync_broken)
            self.sync_worker.start_schedule(kiosk.config.sync.interval_seconds * 1000)
        # The officer gesture opens the login; officer mode's services are built on the first gesture.
        self.officer_mode = OfficerModeController(self._window, kiosk, copy_printer=kiosk.copy_printer,
                                                  sync=self.sync_worker)
        if self._deliver_notices:
            self.notice_delivery = NoticeDelivery(kiosk, self)
        if self._clean_spool:
            self.spool_cleanup = SpoolCleanup(kiosk, self)
        if self._watch_printer:
            self.printer_watch = PrinterWatch(kiosk, self)
            self.printer_watch.changed.connect(self._printer_changed)
        # A visit that ends asks the printer again (a receipt that did not come out may have been the first sign)
        # and reads the sync backlog again.
        self._window.pages.currentChanged.connect(self._page_changed)
        self.is_started = True
        self.started.emit()

    def _printer_changed(self, readiness: Readiness) -> None:
        self._window.welcome_page.set_receipts_available(receipts_can_print(readiness))
        if self.health is not None:
            self.health.set_printer(readiness)

    def _page_changed(self, _index: int) -> None:
        if self._window.pages.currentWidget() is not self._window.welcome_holder:
            return
        if self.printer_watch is not None:
            self.printer_watch.check_soon()
        if self.sync_worker is not None and self.health is not None:
            self.sync_worker.refresh_status()  # the report just stored waits for sync: the status line counts it


def receipts_can_print(readiness: Readiness) -> bool:
    """Whether the welcome page may promise a receipt: the printer can print, or the kiosk has none by design (then
    no visitor expects one and there is nothing to apologise for)."""
    from printing.printer_state import Problem

    return readiness.can_print or readiness.problem is Problem.NO_PRINTER


def store_cause(error: StoreError) -> Cause:
    """A store that would not open because of its key (kiosk.storage.key.StorageKeyError, named here by its class
    name: a screen imports nothing of kiosk.storage) or for any other reason."""
    names = {kind.__name__ for kind in type(error).__mro__}
    return Cause.STORAGE_KEY if "StorageKeyError" in names else Cause.DATABASE
