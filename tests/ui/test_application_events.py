"""The window's one event filter on the whole application (ui.shell.ApplicationEvents) sees every event of every
widget (~25,000 in a visit): only input events go on to its parts (the kiosk keys, Ctrl+Alt+O, the idle watchdog),
everything else is let through at once (issue 19: it cost a quarter of a page change)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from ui.shell import INPUT_EVENTS, ApplicationEvents

pytestmark = pytest.mark.gui


class Seen(QObject):
    """A part that notes the type of each event handed to it and takes none."""

    def __init__(self) -> None:
        super().__init__()
        self.types: list[QEvent.Type] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        self.types.append(event.type())
        return False


def test_only_input_events_reach_the_parts(window, settle):
    filters = window.findChild(ApplicationEvents)
    assert filters is not None, "installed once the welcome page was painted"
    seen = Seen()
    filters.add(seen)
    button = window.welcome_page.start_button

    QApplication.sendEvent(button, QEvent(QEvent.Type.LayoutRequest))
    QApplication.sendEvent(button, QEvent(QEvent.Type.StyleChange))
    button.update()
    settle()
    assert seen.types == []

    QTest.keyClick(window, Qt.Key.Key_Shift)
    assert QEvent.Type.KeyPress in seen.types and QEvent.Type.KeyRelease in seen.types
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)  # Start: a touch as the idle watchdog sees it
    assert QEvent.Type.MouseButtonPress in seen.types
    assert set(seen.types) <= INPUT_EVENTS


def test_the_kiosk_keys_still_work_through_the_filter(make_window, settle):
    window = make_window(kiosk_mode=True)
    QTest.keyClick(window, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    QTest.keyClick(window, Qt.Key.Key_Escape)
    settle()
    assert window.isVisible()
