"""What the running kiosk tells systemd (ui.health.KioskHealth), read from a notify socket the test owns: READY=1 with
the status, WATCHDOG=1 from a timer on the GUI thread at half of WATCHDOG_USEC (none without it), one STATUS= per
change in the words an operator reads, STOPPING=1; and SIGTERM ends the event loop cleanly."""

from __future__ import annotations

import os
import signal
import socket
import time
from datetime import UTC, datetime
from typing import ClassVar

import pytest
from PySide6.QtCore import QEventLoop, QTimer

from kiosk.sd_notify import Notifier
from kiosk.sync.engine import SyncStatus
from printing.printer_state import Problem
from printing.readiness import Readiness
from ui.health import KioskHealth, QuitOnSignal, sync_phrase

pytestmark = pytest.mark.gui


@pytest.fixture
def notify(tmp_path):
    """A datagram socket standing in for systemd's; ``read()`` gives every message received so far."""
    path = tmp_path / "notify"
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(str(path))
    receiver.setblocking(False)

    class Socket:
        environ: ClassVar[dict[str, str]] = {"NOTIFY_SOCKET": str(path)}

        @staticmethod
        def read() -> list[str]:
            messages = []
            while True:
                try:
                    messages.append(receiver.recv(4096).decode())
                except BlockingIOError:
                    return messages

    yield Socket
    receiver.close()


def status(pending: int = 0, error: str | None = None) -> SyncStatus:
    return SyncStatus(configured=True, server_url="https://records.example.gov", pending_reports=pending,
                      pending_events=0, last_error=error, last_error_at=datetime(2026, 12, 7, tzinfo=UTC) if error
                      else None)


def test_ready_then_one_status_line_per_change(qapp, notify):
    health = KioskHealth(Notifier(notify.environ))
    health.set_printer(Readiness("receipts", True, (Problem.PAPER_LOW,), "paper low", "have a roll ready"))
    assert notify.read() == [], "nothing but READY=1 says the first status"
    health.ready()
    health.set_sync_status(status(pending=3))
    health.set_sync_status(status(pending=3))  # no change: nothing sent
    health.set_sync_status(status(pending=1, error="ConnectError: the server cannot be reached"))
    health.set_printer(Readiness("receipts", False, (Problem.PAPER_OUT,), "out of paper", "load a new roll"))
    health.set_out_of_order("the database cannot be opened (disk I/O error)")
    health.stopping()
    assert notify.read() == [
        "READY=1\nSTATUS=ready · printer: paper low",
        "STATUS=ready · 3 reports waiting for sync · printer: paper low",
        "STATUS=ready · 1 report waiting for sync · sync failing: ConnectError: the server cannot be reached"
        " · printer: paper low",
        "STATUS=ready · 1 report waiting for sync · sync failing: ConnectError: the server cannot be reached"
        " · printer: out of paper",
        "STATUS=out of order: the database cannot be opened (disk I/O error) · 1 report waiting for sync"
        " · sync failing: ConnectError: the server cannot be reached · printer: out of paper",
        "STOPPING=1\nSTATUS=stopping",
    ]


def test_a_long_sync_error_is_cut_and_nothing_waiting_says_nothing():
    assert sync_phrase(status()) == ""
    phrase = sync_phrase(status(error="x" * 500))
    assert phrase.startswith("sync failing: xxx") and len(phrase) < 140 and phrase.endswith("…")


def test_the_watchdog_pings_from_the_gui_thread_at_half_the_interval(qapp, qtbot, notify):
    health = KioskHealth(Notifier({**notify.environ, "WATCHDOG_USEC": "200000"}))
    assert health.watchdog_interval_ms == 100
    qtbot.wait(550)
    pings = notify.read()
    assert 3 <= len(pings) <= 6 and set(pings) == {"WATCHDOG=1"}
    time.sleep(0.5)  # the GUI thread does not run its event loop: no ping
    assert notify.read() == []
    qtbot.wait(150)
    assert notify.read(), "pings again once the event loop runs"
    health.stopping()
    notify.read()
    qtbot.wait(300)
    assert notify.read() == [], "no ping after STOPPING=1"


def test_no_watchdog_asked_for_no_timer(qapp, qtbot, notify):
    health = KioskHealth(Notifier(notify.environ))
    assert health.watchdog_interval_ms is None
    qtbot.wait(200)
    assert notify.read() == []


def test_sigterm_ends_the_event_loop_cleanly(qapp):
    before = signal.getsignal(signal.SIGTERM)
    quitter = QuitOnSignal(qapp)
    loop_code = []
    limit = QTimer()  # should the signal never arrive; stopped below, so it never fires into a later test
    limit.setSingleShot(True)
    limit.timeout.connect(lambda: qapp.exit(7))
    try:
        QTimer.singleShot(50, lambda: os.kill(os.getpid(), signal.SIGTERM))
        limit.start(5000)
        loop_code.append(qapp.exec())
    finally:
        limit.stop()
        quitter.release()
    assert loop_code == [0] and quitter.received == signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) is before
    # The application's event loop runs again afterwards (no "quit" flag left set).
    loop = QEventLoop()
    QTimer.singleShot(10, loop.quit)
    loop.exec()
