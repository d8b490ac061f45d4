"""The kiosk window: locked fullscreen in kiosk mode, an ordinary window with --windowed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from ui.app import run_kiosk
from ui.shell import KioskWindow

pytestmark = pytest.mark.gui


def open_dialog(qtbot, window: KioskWindow) -> QDialog:
    dialog = QDialog(window)
    dialog.setObjectName("test_dialog")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.isActiveWindow)  # on the screen with the focus, as a keyboard finds it
    return dialog


def press(widget: QWidget, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key as a keyboard sends it: to the top-level window of ``widget`` (which hands it to its focused widget)."""
    QTest.keyClick(widget.window().windowHandle(), key, modifiers)


def test_kiosk_mode_covers_the_screen_frameless_and_on_top(make_window):
    window = make_window(kiosk_mode=True)

    assert window.geometry() == window.screen().geometry()
    assert window.isFullScreen()
    flags = window.windowFlags()
    assert flags & Qt.WindowType.FramelessWindowHint
    assert flags & Qt.WindowType.WindowStaysOnTopHint


def test_kiosk_mode_ignores_escape_alt_f4_and_close(make_window, qtbot):
    window = make_window(kiosk_mode=True)

    press(window, Qt.Key.Key_Escape)
    window.welcome_page.start_button.setFocus()
    press(window, Qt.Key.Key_Escape)
    press(window, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    assert window.close() is False
    assert window.isVisible()

    window.allow_close()
    assert window.close() is True
    assert not window.isVisible()


def test_kiosk_mode_dialogs_cannot_be_escaped_either(make_window, qtbot):
    window = make_window(kiosk_mode=True)
    dialog = open_dialog(qtbot, window)

    press(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    dialog.done(0)


def test_windowed_mode_is_an_ordinary_window_that_closes(make_window, qtbot):
    window = make_window(kiosk_mode=False)

    assert (window.width(), window.height()) == (1280, 800)
    assert not window.isFullScreen()
    assert not window.windowFlags() & Qt.WindowType.FramelessWindowHint
    dialog = open_dialog(qtbot, window)
    press(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible(), "without kiosk mode Escape closes a dialog as usual"

    assert window.close() is True
    assert not window.isVisible()


def test_once_a_kiosk_window_may_close_escape_works_again(make_window, qtbot):
    kiosk = make_window(kiosk_mode=True)
    kiosk.allow_close()
    kiosk.close()

    window = make_window(kiosk_mode=False)
    dialog = open_dialog(qtbot, window)
    press(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_run_kiosk_shows_the_window_and_returns_the_exit_code(qapp, container):
    seen: dict[str, object] = {}

    def look_and_close() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, KioskWindow) and w.isVisible()]
        seen["windows"] = len(windows)
        for window in windows:
            seen["kiosk_mode"] = window.kiosk_mode
            seen["page"] = window.current_page() is window.welcome_page
            window.close()
            window.deleteLater()
        QApplication.exit(3)

    QTimer.singleShot(0, look_and_close)
    assert run_kiosk(container, windowed=True) == 3
    assert seen == {"windows": 1, "kiosk_mode": False, "page": True}


def test_the_smoke_test_paints_the_welcome_page_and_quits_with_0(qapp, container):
    assert run_kiosk(container, windowed=True, smoke_test=True) == 0
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, KioskWindow) and w.isVisible()]
