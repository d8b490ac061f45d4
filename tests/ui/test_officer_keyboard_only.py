"""An officer at the kiosk with a keyboard only (issue 21: "the officer screens get full keyboard use"): the login,
the queue, a report, a request for more information and the lock, every key sent to the kiosk window as a keyboard's
are, no mouse event at all, the focus ring around each control the keys reach."""

from __future__ import annotations

import pytest
from officer_ui_support import OFFICER, PASSWORD
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.vocabulary import Status
from ui.focus_ring import FocusRing
from ui.shell import PREBUILD_DELAY_MS, KioskWindow
from ui.walkthrough import settle, type_keys

pytestmark = [pytest.mark.gui]

K = Qt.Key
MAX_TABS = 40


class Watch(QObject):
    """Counts every mouse press the application sees (there must be none), and names every widget other than the kiosk
    window that is shown as a window of its own (there must be none either: a parentless widget made visible for a
    moment took the window's activation, and with it the focus ring and the keys' feedback)."""

    def __init__(self, window: KioskWindow) -> None:
        super().__init__()
        self.window = window
        self.presses = 0
        self.stray_windows: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            self.presses += 1
        elif (event.type() == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow()
              and watched is not self.window):
            self.stray_windows.append(watched.objectName() or type(watched).__name__)
        return False


def press(window: KioskWindow, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    handle = window.windowHandle()
    assert handle is not None
    QTest.keyClick(handle, key, modifiers)
    settle()


def focused(window: KioskWindow) -> QWidget:
    widget = window.focusWidget()
    assert widget is not None, "nothing has the keys"
    return widget


def tab_to(window: KioskWindow, name: str) -> None:
    """Tab until the control ``name`` has the keys (it must be reachable within MAX_TABS), its ring around it."""
    for _ in range(MAX_TABS):
        if focused(window).objectName() == name:
            break
        press(window, K.Key_Tab)
    assert focused(window).objectName() == name, f"Tab never reached {name}"
    ring = window.findChild(FocusRing, "focus_ring")
    assert ring is not None and ring.target() is focused(window), f"no focus ring around {name}"


def test_an_officer_logs_in_asks_for_more_information_and_locks_with_keys_only(qtbot, kiosk, kit) -> None:
    tracking = kit.submit()
    window, controller = kiosk
    watch = Watch(window)
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(watch)
    try:
        # The officer's gesture opens the notice with "Accept and continue" holding the keys: Enter accepts.
        window.officer_requested.emit()
        settle()
        assert focused(window).objectName() == "accept_notice_button"
        press(window, K.Key_Return)
        assert focused(window).objectName() == "username_edit"
        type_keys(focused(window), OFFICER)
        press(window, K.Key_Return)
        assert focused(window).objectName() == "password_edit"
        type_keys(focused(window), PASSWORD)
        press(window, K.Key_Return)
        qtbot.waitUntil(lambda: controller.mode is not None)

        # The queue's list holds the keys with the first report chosen, and keeps them while the kiosk builds the
        # next visitor's wizard behind officer mode (which used to take them).
        qtbot.wait(PREBUILD_DELAY_MS + 200)
        settle()
        assert focused(window).objectName() == "queue_table"
        press(window, K.Key_Return)
        mode = controller.mode
        assert mode is not None and str(mode.detail.tracking_number) == tracking

        # Request more information: the dialog's question box takes the typing, Tab leaves it, Enter sends.
        tab_to(window, "request_info_button")
        press(window, K.Key_Return)
        assert focused(window).objectName() == "question_edit"
        type_keys(focused(window), "Which street was the bicycle parked on?")
        tab_to(window, "request_info_dialog_confirm_button")
        press(window, K.Key_Return)
        report = kit.store.models.Report
        qtbot.waitUntil(lambda: report.get(report.tracking_number == tracking).status == Status.NEEDS_INFO)

        # The card saying it was sent holds the keys: Enter closes it.
        assert focused(window).objectName() == "message_ok_button"
        press(window, K.Key_Return)

        # Back to the queue, the same report chosen, then the lock.
        tab_to(window, "back_to_queue_button")
        press(window, K.Key_Return)
        assert focused(window).objectName() == "queue_table"
        tab_to(window, "lock_button")
        press(window, K.Key_Return)
        qtbot.waitUntil(lambda: controller.mode is None)
    finally:
        app.removeEventFilter(watch)
    assert watch.presses == 0
    assert watch.stray_windows == []
    assert QGuiApplication.focusWindow() is window.windowHandle()


def test_an_officers_problems_are_announced_to_screen_readers(qtbot, kiosk, kit, monkeypatch) -> None:
    """Officer mode's refusals go to screen readers (Qt's accessibility announcement; Orca is not here, so the one
    call to it is what is watched), once each, in the officer's words: a wrong password, and a request for more
    information sent without its question."""
    announced: list[str] = []
    monkeypatch.setattr("ui.narrator.announce", lambda _widget, text: announced.append(text))
    kit.submit()
    window, controller = kiosk
    window.officer_requested.emit()
    settle()
    press(window, K.Key_Return)  # accept the notice
    type_keys(focused(window), OFFICER)
    press(window, K.Key_Return)
    type_keys(focused(window), "not the password")
    press(window, K.Key_Return)
    assert len(announced) == 1 and "password" in announced[0].lower()

    assert focused(window).objectName() == "password_edit"  # emptied, the keys on it again
    type_keys(focused(window), PASSWORD)
    press(window, K.Key_Return)
    qtbot.waitUntil(lambda: controller.mode is not None)
    qtbot.wait(PREBUILD_DELAY_MS + 200)
    press(window, K.Key_Return)  # open the first report
    tab_to(window, "request_info_button")
    press(window, K.Key_Return)
    tab_to(window, "request_info_dialog_confirm_button")
    press(window, K.Key_Return)  # no question written
    assert announced[1:] == ["Write the question to the citizen."]
