"""The running kiosk tells systemd how it is (kiosk.sd_notify): ``READY=1`` once it can take a visitor (or knows it
cannot), ``WATCHDOG=1`` from a timer on the GUI thread, ``STATUS=`` one phrase for an operator, ``STOPPING=1`` on a
clean exit.

    ready · 3 reports waiting for sync · printer: paper low
    out of order: the database cannot be opened (StoreError) — see the log

The watchdog timer lives on the GUI thread on purpose: when the event loop freezes, the pings stop and systemd
restarts the kiosk (``WatchdogSec=`` in deploy/p2c-kiosk.service). Without ``$WATCHDOG_USEC`` (no watchdog asked
for) no timer runs; without ``$NOTIFY_SOCKET`` (a desktop, a test) nothing is sent at all.

:class:`PrinterWatch` asks, on a timer and off the GUI thread (ui/jobs.py), whether the receipt printer can print
(printing.readiness): the welcome page's note and the status line follow it.

**Test-only hook.** With ``$P2C_KIOSK_TEST_FREEZE_FILE`` set to a path (never by the unit or the installer), the GUI
thread is blocked for as long as a file exists at that path, so that a test can watch the watchdog pings stop
(tests/deploy/test_deploy_cage_kiosk.py). Unset, nothing of it exists; set, it costs one ``stat`` every 200 ms, and
every start with it set says so in the log.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSocketNotifier, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication

from kiosk.sd_notify import Notifier, status_line
from ui.jobs import run_in_background

if TYPE_CHECKING:
    from kiosk.home import Kiosk
    from kiosk.sync.engine import SyncStatus
    from printing.readiness import Readiness

log = logging.getLogger(__name__)

FREEZE_FILE_ENV = "P2C_KIOSK_TEST_FREEZE_FILE"
FREEZE_POLL_MS = 200
PRINTER_CHECK_MS = 30_000  # the printer is asked this often (a few ms each, on a worker thread)
PRINTER_RECHECK_AFTER_S = 5.0  # a visit that ends asks again, unless the last answer is younger than this
STATUS_DETAIL_LIMIT = 120  # characters of a sync error kept in the status line

STARTING = "starting"
READY = "ready"


class KioskHealth(QObject):
    """What the kiosk tells systemd, through ``notifier`` (default: the environment's, kiosk.sd_notify.Notifier).

    The status line is made of parts: the state (``starting``, ``ready``, ``out of order: ...``), the sync backlog
    (:meth:`set_sync_status`) and the printer (:meth:`set_printer`). Each change is sent at once (``STATUS=``) and
    logged; ``status_changed`` carries the new line."""

    status_changed = Signal(str)

    def __init__(self, notifier: Notifier | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.notifier = notifier if notifier is not None else Notifier()
        self._state = STARTING
        self._sync = ""
        self._printer = ""
        self._ready_sent = False
        self._last_logged = ""
        self.pings = 0  # watchdog pings sent (for the tests and the curious)
        self._timer: QTimer | None = None
        interval = self.notifier.ping_interval
        if interval is not None:
            timer = self._timer = QTimer(self)
            timer.setTimerType(Qt.TimerType.PreciseTimer)
            timer.setInterval(max(1, round(interval * 1000)))
            timer.timeout.connect(self._ping)
            timer.start()
            log.info("systemd watchdog: a ping every %.1f s from the GUI thread", interval)
        self._freeze = _FreezeHook.from_environment(self)

    # -- what is said -----------------------------------------------------------------------------------------------

    @property
    def status(self) -> str:
        return status_line([self._state, self._sync, self._printer])

    @property
    def state(self) -> str:
        return self._state

    @property
    def is_ready_sent(self) -> bool:
        return self._ready_sent

    @property
    def watchdog_interval_ms(self) -> int | None:
        """The time between two pings, or None when systemd asked for no watchdog."""
        return None if self._timer is None else self._timer.interval()

    def ready(self) -> None:
        """Start-up is over (the welcome page is painted and the database opened, or the kiosk knows it is out of
        order): ``READY=1`` with the status, once."""
        if self._state == STARTING:
            self._state = READY
        if self._ready_sent:
            self._changed()
            return
        self._ready_sent = True
        self.notifier.ready(self.status)
        log.info("ready (%s)", self.status)
        self._last_logged = self.status
        self.status_changed.emit(self.status)

    def set_out_of_order(self, phrase: str) -> None:
        """The kiosk cannot take visitors: ``phrase`` says why in a few words (the log has the whole story)."""
        self._state = f"out of order: {phrase}"
        self._changed()

    def set_in_order(self) -> None:
        self._state = READY if self._ready_sent else STARTING
        self._changed()

    def set_sync_status(self, status: SyncStatus) -> None:
        self._sync = sync_phrase(status)
        self._changed()

    def set_sync_broken(self, what: str) -> None:
        """A sync run could not even be made (ui.kiosk_services.SyncWorker.run_failed: a bug or a broken keyring)."""
        self._sync = f"sync failing: {what}"
        self._changed()

    def set_printer(self, readiness: Readiness) -> None:
        self._printer = readiness.status
        self._changed()

    def stopping(self) -> None:
        """A clean exit: ``STOPPING=1``, and no more pings."""
        if self._timer is not None:
            self._timer.stop()
        self.notifier.stopping("stopping")
        log.info("stopping: told systemd")

    def _changed(self) -> None:
        text = self.status
        if not self._ready_sent:
            return  # said with READY=1
        self.notifier.status(text)
        if text != self._last_logged:
            self._last_logged = text
            log.info("status: %s", text)
            self.status_changed.emit(text)

    def _ping(self) -> None:
        self.notifier.watchdog()
        self.pings += 1


def sync_phrase(status: SyncStatus) -> str:
    """The sync's part of the status line: how many reports wait to be sent, and why sync fails when it does;
    empty when everything is sent and the last run went well."""
    parts = []
    if status.pending_reports:
        parts.append(f"{status.pending_reports} report{'s' if status.pending_reports != 1 else ''} waiting for sync")
    if status.last_error:
        error = " ".join(status.last_error.split())
        if len(error) > STATUS_DETAIL_LIMIT:
            error = error[:STATUS_DETAIL_LIMIT - 1] + "…"
        parts.append(f"sync failing: {error}")
    return status_line(parts)


class PrinterWatch(QObject):
    """Asks whether the receipt printer of ``kiosk`` can print now (printing.readiness.kiosk_printer_readiness: one
    IPP request to CUPS) every ``interval_ms``, the first time at once, on the worker pool. ``changed(Readiness)``
    fires with the first answer and with every answer that differs from the one before; a printer that cannot
    print is logged as a warning with what the desk should do, a printer that is back as information."""

    changed = Signal(object)

    def __init__(self, kiosk: Kiosk, parent: QObject, interval_ms: int = PRINTER_CHECK_MS) -> None:
        super().__init__(parent)
        self._kiosk = kiosk
        self._busy = False
        self._asked_at = 0.0
        self.last: Readiness | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check_now)
        self._timer.start()
        self.check_now()

    def check_soon(self) -> None:
        """Ask again unless an answer came in the last few seconds (a visit just ended)."""
        if time.monotonic() - self._asked_at >= PRINTER_RECHECK_AFTER_S:
            self.check_now()

    def check_now(self) -> None:
        if self._busy:
            return
        self._busy = True
        self._asked_at = time.monotonic()
        kiosk = self._kiosk

        def ask() -> Readiness:  # on a worker thread
            from printing.readiness import kiosk_printer_readiness

            return kiosk_printer_readiness(kiosk)

        # printer_readiness never raises; a failure here is a bug, logged by run_in_background.
        run_in_background("asking whether the printer can print", ask, receiver=self, done=self._answered,
                          failed=lambda _error: None)

    def _answered(self, readiness: Readiness | None) -> None:
        self._busy = False
        if readiness is None or readiness == self.last:
            return
        before, self.last = self.last, readiness
        if readiness.problem is not None:
            level = logging.WARNING if not readiness.can_print else logging.INFO
            log.log(level, "receipt printer %r: %s — %s", readiness.queue, readiness.says, readiness.todo)
        elif before is not None:
            log.info("receipt printer %r: ready again", readiness.queue)
        self.changed.emit(readiness)


class _FreezeHook(QObject):
    """The test-only hook of the module's help: blocks the GUI thread while the file exists."""

    def __init__(self, path: Path, parent: QObject) -> None:
        super().__init__(parent)
        self._path = path
        self._timer = QTimer(self)
        self._timer.setInterval(FREEZE_POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._timer.start()
        log.warning("test-only hook: the GUI thread will be blocked while %s exists (%s is set)", path,
                    FREEZE_FILE_ENV)

    @classmethod
    def from_environment(cls, parent: QObject) -> _FreezeHook | None:
        value = os.environ.get(FREEZE_FILE_ENV)
        return cls(Path(value), parent) if value else None

    def _poll(self) -> None:
        if not self._path.exists():
            return
        log.warning("test-only hook: blocking the GUI thread while %s exists", self._path)
        while self._path.exists():
            time.sleep(0.05)
        log.warning("test-only hook: the GUI thread runs again")


class QuitOnSignal(QObject):
    """SIGTERM (systemd stopping the service) and SIGINT end the event loop cleanly (``app.exit(0)``), so that the
    kiosk says ``STOPPING=1`` and closes its database, instead of Python's default of dying on the spot.

    A Python signal handler runs only when Python gets control, which Qt's event loop does not give it: the signal
    is written to a socket (``signal.set_wakeup_fd``) that the GUI thread watches. :meth:`release` puts the
    previous handlers back."""

    SIGNALS = (signal.SIGTERM, signal.SIGINT)

    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self._app = app
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._previous = {number: signal.signal(number, lambda *_: None) for number in self.SIGNALS}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._arrived)
        self.received: int | None = None

    def _arrived(self) -> None:
        try:
            data = self._reader.recv(64)
        except BlockingIOError:
            return
        wanted = [number for number in data if number in {int(s) for s in self.SIGNALS}]
        if wanted and self.received is None:
            self.received = wanted[0]
            log.info("%s received: stopping", signal.Signals(wanted[0]).name)
            self._app.exit(0)

    def release(self) -> None:
        self._notifier.setEnabled(False)
        signal.set_wakeup_fd(self._previous_fd)
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        self._reader.close()
        self._writer.close()
