"""The sync worker behind the kiosk's timer and officer mode's "Sync now" (ui.kiosk_services.SyncWorker), through the
one background-job helper (ui/jobs.py): an engine that raises is reported by ``run_failed`` on the GUI thread and the
worker is ready for the next run; a worker deleted while its run goes on is handed nothing."""

from __future__ import annotations

import threading

import pytest
import shiboken6

from kiosk.sync import SyncRun, SyncStatus
from ui.jobs import running_jobs
from ui.kiosk_services import SyncWorker

pytestmark = pytest.mark.gui


def broken_engine():
    raise RuntimeError("the keyring is locked")  # what building the engine may meet on a kiosk


class SlowEngine:
    """An engine whose run waits until the test lets it go."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def run_once(self, force: bool = False) -> SyncRun:
        self.release.wait(10)
        return SyncRun()

    def status(self) -> SyncStatus:
        return SyncStatus(configured=True, server_url="http://127.0.0.1:9", pending_reports=0, pending_events=0)


@pytest.mark.parametrize("action", ["run_now", "refresh_status"])
def test_an_engine_that_raises_is_reported_and_the_worker_stays_ready(qtbot, action):
    worker = SyncWorker(broken_engine)
    failures: list[tuple[str, threading.Thread]] = []
    worker.run_failed.connect(lambda what: failures.append((what, threading.current_thread())))
    getattr(worker, action)()
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert failures == [("RuntimeError", threading.main_thread())]
    assert not worker.busy and not worker.running
    qtbot.waitUntil(lambda: running_jobs() == 0, timeout=5000)


def test_a_worker_deleted_while_its_run_goes_on_is_handed_nothing(qtbot):
    engine = SlowEngine()
    worker = SyncWorker(lambda: engine)
    finished: list[object] = []
    worker.run_finished.connect(finished.append)
    assert worker.run_now()
    worker.deleteLater()  # its window closed
    qtbot.waitUntil(lambda: not shiboken6.isValid(worker), timeout=5000)
    engine.release.set()
    qtbot.waitUntil(lambda: running_jobs() == 0, timeout=5000)  # the run ended and was let go, quietly
    assert finished == []
