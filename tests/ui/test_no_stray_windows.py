"""No widget of the kiosk is ever shown as a window of its own (issue 21). A parentless widget made visible, even for a
moment before it is put in a layout, is a top-level window: the compositor (or Qt offscreen) hands it the activation,
and when it goes the kiosk window no longer has it, so the focus ring, the narrator's focus reading and the keys'
feedback stop. Officer mode's buttons, the choice questions' labels and the tiles' labels each did this once."""

from __future__ import annotations

import pytest
from helpers import load_sample
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from ui.shell import PREBUILD_DELAY_MS, KioskWindow
from ui.walkthrough import Visitor, settle

pytestmark = pytest.mark.gui


class WindowsShown(QObject):
    """Names every widget other than the kiosk window shown as a window."""

    def __init__(self, window: KioskWindow) -> None:
        super().__init__()
        self.window = window
        self.names: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow()
                and watched is not self.window):
            self.names.append(watched.objectName() or type(watched).__name__)
        return False


@pytest.mark.parametrize("sample", ["lost-wallet", "larceny-bicycle", "identity-theft", "vandalism-car-es"])
def test_a_whole_report_shows_no_window_but_the_kiosk_window(make_window, qtbot, config, sample) -> None:
    app = QApplication.instance()
    assert app is not None
    window = make_window()
    shown = WindowsShown(window)
    app.installEventFilter(shown)
    try:
        qtbot.wait(PREBUILD_DELAY_MS + 100)  # the next visitor's wizard is built behind the welcome page
        visitor = Visitor(window)
        visitor.report(load_sample(sample), config.kiosk.zone)
        visitor.submit()
        settle()
    finally:
        app.removeEventFilter(shown)
    assert shown.names == []
    assert QGuiApplication.focusWindow() is window.windowHandle()
