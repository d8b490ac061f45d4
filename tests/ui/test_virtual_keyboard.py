"""The Qt Virtual Keyboard under a real X server (Xvfb): it shows for a text field, speaks the kiosk's language (US
English, then Spain's Spanish after the switch) and shows a dial pad for the phone number.

This pytest process stays offscreen; a child Python process runs the kiosk on its own Xvfb display and prints what
it saw (``KEY=value`` lines), which the test checks.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from keyboard_support import child_script, run_keyboard_child
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from xvfb_support import xvfb_display

from ui.i18n import LanguageSwitcher
from ui.keyboard import keyboard_follows

pytestmark = pytest.mark.gui

CHILD = child_script(r'''
from ui.keyboard import KeyboardLanguage

screenshot = sys.argv[2]
say("PLATFORM", QGuiApplication.platformName())
say("IM_MODULE", os.environ.get("QT_IM_MODULE"))
window, store = open_window(config_from_mapping({}))
say("ACTIVE", wait(lambda: QApplication.activeWindow() is window))
keyboard = window.switcher.findChild(KeyboardLanguage)
method = QGuiApplication.inputMethod()
visitor = Visitor(window)
visitor.start()
visitor.screening()
visitor.category("vandalism")


def show_keyboard_for(name, label):
    visitor.tap(name)
    focused = QApplication.focusWidget()
    say(f"{label}_FOCUS", focused.objectName() if focused else None)
    say(f"{label}_VISIBLE", wait(lambda: method.isVisible() and not method.keyboardRectangle().isEmpty()))
    wait(lambda: False, 0.5)  # let the keyboard finish drawing its new layout
    say(f"{label}_LOCALE", method.locale().name())
    say(f"{label}_SETTINGS", keyboard.locale() if keyboard is not None else None)
    rect = method.keyboardRectangle()
    say(f"{label}_RECT", f"{rect.x():.0f},{rect.y():.0f},{rect.width():.0f},{rect.height():.0f}")


show_keyboard_for("first_name_input", "EN")
visitor.choose_language("es")
say("LANGUAGE", window.switcher.language)
show_keyboard_for("first_name_input", "ES")
say("SCREENSHOT", QGuiApplication.primaryScreen().grabWindow(0).save(screenshot))
show_keyboard_for("phone_input", "PHONE")
say("PHONE_HINTS", int(QApplication.focusWidget().inputMethodHints().value))
method.hide()
settle()
window.allow_close()
window.close()
settle()
store.close()
say("DONE", True)
sys.stdout.flush()
os._exit(0)  # skip Qt's teardown: the keyboard's QML may crash the process on exit (docs/ui.md, known limits)
''', wait_seconds=15.0)


def test_keyboard_follows_the_kiosk_language_under_xvfb(tmp_path: Path, translations_dir: Path) -> None:
    screenshot = Path(os.environ.get("P2C_KEYBOARD_SCREENSHOT") or tmp_path / "keyboard_es.png")
    with xvfb_display() as display:
        seen = run_keyboard_child(CHILD, [str(translations_dir), str(screenshot)], tmp_path, display)

    assert seen["PLATFORM"] == "xcb"
    assert seen["IM_MODULE"] == "qtvirtualkeyboard"
    assert seen["ACTIVE"] == "True"
    assert seen["EN_FOCUS"] == "first_name_input"
    assert seen["EN_VISIBLE"] == "True"
    # What the keyboard itself reports to Qt (QInputMethod.locale()) and what its settings hold.
    assert (seen["EN_LOCALE"], seen["EN_SETTINGS"]) == ("en_US", "en_US")
    assert seen["LANGUAGE"] == "es"
    assert seen["ES_VISIBLE"] == "True"
    assert (seen["ES_LOCALE"], seen["ES_SETTINGS"]) == ("es_ES", "es_ES")
    assert seen["SCREENSHOT"] == "True" and screenshot.stat().st_size > 0
    assert seen["PHONE_FOCUS"] == "phone_input"
    assert seen["PHONE_VISIBLE"] == "True"
    _x, y, width, height = (int(part) for part in seen["PHONE_RECT"].split(","))
    assert width > 0 and height > 0 and y > 0  # shown, in the lower part of the screen
    assert seen["PHONE_LOCALE"] == "es_ES"
    assert int(seen["PHONE_HINTS"]) & Qt.InputMethodHint.ImhDialableCharactersOnly.value  # the dial pad


def test_keyboard_language_does_nothing_offscreen(qapp: QApplication) -> None:
    switcher = LanguageSwitcher(qapp, ("en", "es"))
    keyboard = keyboard_follows(switcher)
    try:
        assert not keyboard.active
        assert keyboard.locale() is None
        keyboard.set_language("es")
        assert keyboard.locale() is None
    finally:
        switcher.deleteLater()

