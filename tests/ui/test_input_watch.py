"""The kiosk window's input watch (ui/input_watch.py): a visitor's touches, keys and typed text count wherever they
come in (the kiosk window, a window opened over it, the focused input), and nothing filters the whole application, so
the ~180 other events of a page change cost no Python (issue 19: the application-wide filter cost a third of it).

Input is sent the way a finger's and a keyboard's arrive: to the top-level window (``QTest.mouseClick(window
.windowHandle(), ...)``), which hands it to the widget under the point or with the focus.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import QInputMethodEvent, QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QVBoxLayout, QWidget

from ui.input_watch import INPUT_EVENTS
from ui.timings import Timings
from ui.walkthrough import Visitor

pytestmark = pytest.mark.gui

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier


class Seen(QObject):
    """A part of the watch that notes the type of each event handed to it and takes none."""

    def __init__(self) -> None:
        super().__init__()
        self.types: list[QEvent.Type] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        self.types.append(event.type())
        return False


def tap(widget: QWidget) -> None:
    """A tap in the middle of ``widget``, through its top-level window."""
    window = widget.window()
    QTest.mouseClick(window.windowHandle(), LEFT, NONE, widget.mapTo(window, widget.rect().center()))


def test_a_page_change_hands_the_parts_only_its_tap(window, settle):
    seen = Seen()
    window.input_watch.add(seen)
    start = window.welcome_page.start_button

    QApplication.sendEvent(start, QEvent(QEvent.Type.LayoutRequest))
    start.update()
    settle()
    assert seen.types == []

    tap(start)  # Start: the welcome page hides, the wizard's first page shows and paints
    settle()
    assert window.current_page() is not window.welcome_page
    assert QEvent.Type.MouseButtonPress in seen.types and QEvent.Type.MouseButtonRelease in seen.types
    assert set(seen.types) <= INPUT_EVENTS


def test_input_sent_straight_to_a_widget_skips_the_watch(window):
    """Nothing filters the whole application: an event sent to a widget without passing its window (as Qt Test's
    widget clicks are) reaches none of the kiosk's Python filters."""
    seen = Seen()
    window.input_watch.add(seen)
    label = window.welcome_page.heading_label
    middle = QPointF(label.rect().center())
    press = QMouseEvent(QEvent.Type.MouseButtonPress, middle, label.mapToGlobal(middle), LEFT, LEFT, NONE)
    QApplication.sendEvent(label, press)
    assert seen.types == []


def test_touches_and_keys_through_the_window_keep_the_visitor_active(make_window, qtbot):
    window = make_window(timings=Timings(idle_timeout_ms=400, idle_countdown_ms=5000))
    window.watchdog.pause()  # while the wizard is built (a busy machine may take longer than the idle time)
    Visitor(window).start()
    window.watchdog.restart()
    with qtbot.assertNotEmitted(window.watchdog.timed_out):
        for _ in range(4):
            qtbot.wait(150)
            tap(window.current_page())
        for _ in range(4):
            qtbot.wait(150)
            QTest.keyClick(window.windowHandle(), Qt.Key.Key_Shift)
    with qtbot.waitSignal(window.watchdog.timed_out, timeout=2000):
        pass


def test_text_an_input_method_commits_to_the_focused_input_keeps_the_visitor_active(make_window, qtbot):
    """The on-screen keyboard hands plain letters to the window as keys (tests/ui/test_keyboard_activity.py); text it
    composes (pinyin, predictions) comes to the focused input as input-method events, which count too."""
    # 1 s of idle time against six commits 300 ms apart (1.8 s in all): only the commits can keep it from firing,
    # with room for a busy machine's pauses.
    window = make_window(timings=Timings(idle_timeout_ms=1000, idle_countdown_ms=5000))
    window.watchdog.pause()  # while the page is reached: a busy machine may take longer than the idle time to build it
    visitor = Visitor(window)
    visitor.start()
    visitor.screening()
    visitor.category("vandalism")
    # An input method types into the focus window's focused input.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    visitor.tap("first_name_input")
    field = QApplication.focusWidget()
    assert field is not None and field.objectName() == "first_name_input"
    window.watchdog.restart()
    with qtbot.assertNotEmitted(window.watchdog.timed_out):
        for char in "Zoë Lü":
            qtbot.wait(300)
            commit = QInputMethodEvent("", [])
            commit.setCommitString(char)
            QApplication.sendEvent(field, commit)
    assert window.current_page().first_name.value() == "Zoë Lü"


def test_a_dialog_over_the_kiosk_window_is_watched_and_another_window_is_not(window, qtbot):
    seen = Seen()
    window.input_watch.add(seen)
    dialog = QDialog(window)
    QVBoxLayout(dialog).addWidget(QLabel("Over the kiosk window"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.isActiveWindow)  # on the screen and given the focus, as a visitor sees it before a tap
    tap(dialog)
    assert QEvent.Type.MouseButtonPress in seen.types
    dialog.done(0)

    seen.types.clear()
    other = QWidget()  # a window of its own, not opened over the kiosk's (a benchmark's anchor)
    other.resize(200, 100)
    qtbot.addWidget(other)
    other.show()
    qtbot.waitUntil(other.isVisible)
    QTest.mouseClick(other.windowHandle(), LEFT, NONE, QPoint(50, 50))
    assert seen.types == []


def test_closing_the_window_takes_the_watch_off(make_window):
    window = make_window()
    seen = Seen()
    window.input_watch.add(seen)
    handle = window.windowHandle()
    window.allow_close()
    window.close()
    QTest.mouseClick(handle, LEFT, NONE, QPoint(10, 10))
    QTest.keyClick(handle, Qt.Key.Key_Shift)
    assert seen.types == []


def test_the_kiosk_keys_do_nothing_through_the_window(make_window, settle):
    window = make_window(kiosk_mode=True)
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_Escape)
    settle()
    assert window.isVisible()


def test_ctrl_alt_o_asks_for_officer_mode_once_through_the_window_or_sent_to_the_kiosk_window(window, settle):
    requests: list[bool] = []
    window.officer_requested.connect(lambda: requests.append(True))
    keys = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    window.welcome_page.start_button.setFocus()
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_O, keys)  # a keyboard's: the watch takes it at the window
    settle()
    assert requests == [True]
    QTest.keyClick(window, Qt.Key.Key_O, keys)  # straight to the window widget (Qt Test's widget keys)
    settle()
    assert requests == [True, True]
