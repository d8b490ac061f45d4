"""An exception raised in a Python override of a Qt virtual method, inside the running kiosk, is logged once and the
kiosk carries on (it never reaches the visitor, and it does not fill the log on every keystroke)."""

from __future__ import annotations

import logging
import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QApplication, QWidget

from ui.app import run_kiosk

pytestmark = [pytest.mark.gui, pytest.mark.qt_no_exception_capture]


class BrokenOverride(QWidget):
    """A widget whose paintEvent override fails, as the text boxes' inputMethodQuery override once did (Qt calls it
    from the event loop, with no Python code of ours above it)."""

    def paintEvent(self, event: QPaintEvent) -> None:
        raise RuntimeError("a Qt virtual method failed")


def test_a_failing_qt_override_is_logged_once_and_the_kiosk_keeps_running(qapp, container, caplog):
    caplog.set_level(logging.ERROR, logger="kiosk.crash_log")
    previous = sys.excepthook
    broken = BrokenOverride()
    seen: dict[str, bool] = {}

    def look_and_leave() -> None:
        seen["kiosk still running"] = any(w.isVisible() for w in QApplication.topLevelWidgets()
                                          if w.objectName() == "kiosk_window")
        for window in QApplication.topLevelWidgets():
            if window.objectName() == "kiosk_window":
                window.close()
                window.deleteLater()
        QApplication.exit(3)

    try:
        QTimer.singleShot(0, broken.show)
        for delay in (100, 200, 300):  # each paint runs the failing override from the event loop
            QTimer.singleShot(delay, broken.update)
        QTimer.singleShot(600, look_and_leave)
        assert run_kiosk(container, windowed=True) == 3
    finally:
        sys.excepthook = previous
        broken.hide()  # no paint (and no exception) reaches the next test before the deferred delete does
        broken.deleteLater()
    assert seen == {"kiosk still running": True}
    uncaught = [r.getMessage() for r in caplog.records if r.getMessage().startswith("uncaught RuntimeError")]
    assert len(uncaught) == 1, uncaught
    assert "paintEvent" in uncaught[0]
