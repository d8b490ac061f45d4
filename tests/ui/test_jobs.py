"""The one background-job helper (ui/jobs.py) that the Done page and officer mode print through: the work runs on a
worker thread, its result comes back on the GUI thread, a failure comes back as a result, and a screen that is gone
when the job ends is handed nothing."""

from __future__ import annotations

import threading

import pytest
import shiboken6
from PySide6.QtWidgets import QWidget

from ui.jobs import run_in_background, running_jobs

pytestmark = pytest.mark.gui


def test_the_work_runs_off_the_gui_thread_and_its_result_comes_back_on_it(qtbot):
    receiver = QWidget()
    qtbot.addWidget(receiver)
    ran_on: list[threading.Thread] = []
    delivered: list[tuple[str, threading.Thread]] = []

    def work() -> str:
        ran_on.append(threading.current_thread())
        return "printed"

    run_in_background("a test job", work, receiver=receiver,
                      done=lambda result: delivered.append((result, threading.current_thread())),
                      failed=lambda _error: "failed")
    qtbot.waitUntil(lambda: bool(delivered))
    assert delivered == [("printed", threading.main_thread())]
    assert ran_on and ran_on[0] is not threading.main_thread()
    assert running_jobs() == 0


def test_a_failure_comes_back_as_a_result_and_is_logged(qtbot, caplog):
    receiver = QWidget()
    qtbot.addWidget(receiver)
    delivered: list[str] = []

    def work() -> str:
        raise OSError("the printer went away")

    run_in_background("printing a test page", work, receiver=receiver, done=delivered.append,
                      failed=lambda error: f"failed: {type(error).__name__}")
    qtbot.waitUntil(lambda: bool(delivered))  # qt_default_raising: an exception in a slot would fail the test
    assert delivered == ["failed: OSError"]
    assert "printing a test page failed" in caplog.text


def test_a_screen_that_is_gone_when_the_job_ends_is_handed_nothing(qtbot):
    receiver = QWidget()
    release = threading.Event()
    delivered: list[str] = []
    run_in_background("a slow job", lambda: release.wait(10) and "done", receiver=receiver,
                      done=delivered.append, failed=lambda _error: "failed")
    assert running_jobs() == 1
    receiver.deleteLater()  # a wipe throws the page away while the printer is busy
    qtbot.waitUntil(lambda: not shiboken6.isValid(receiver))
    release.set()
    qtbot.waitUntil(lambda: running_jobs() == 0)  # the job still ended, and was let go
    qtbot.wait(50)
    assert delivered == []
