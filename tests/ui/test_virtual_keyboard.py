"""The Qt Virtual Keyboard under a real X server (Xvfb): it shows for a text field, speaks the kiosk's language (US
English, then Spain's Spanish after the switch) and shows a dial pad for the phone number.

This pytest process stays offscreen; a child Python process runs the kiosk on its own Xvfb display and prints what
it saw (``KEY=value`` lines), which the test checks.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from xvfb_support import xvfb_display

from ui.i18n import LanguageSwitcher
from ui.keyboard import keyboard_follows

pytestmark = pytest.mark.gui

REPO = Path(__file__).resolve().parents[2]
CHILD_TIMEOUT_S = 90

CHILD = r'''
import os
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from kiosk.clock import SystemClock
from kiosk.config import config_from_mapping
from kiosk.home import Kiosk
from kiosk.storage.database import open_store
from ui.app import build_window, ensure_application
from ui.keyboard import KeyboardLanguage
from ui.walkthrough import Visitor, settle

translations, screenshot = Path(sys.argv[1]), sys.argv[2]


def say(key, value):
    print(f"{key}={value}", flush=True)


def wait(predicate, seconds=15.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        if predicate():
            return True
        time.sleep(0.01)
    return False


app = ensure_application(virtual_keyboard=True)
say("PLATFORM", QGuiApplication.platformName())
say("IM_MODULE", os.environ.get("QT_IM_MODULE"))
config = config_from_mapping({})
clock = SystemClock()
home = Path(tempfile.mkdtemp())
store = open_store(home / "kiosk.sqlite3", now=clock.now)
window = build_window(Kiosk(home, config, clock=clock, store=store, receipt_printer=None), kiosk_mode=False,
                      translations_dir=translations, check_reports=False)
window.present()
window.activateWindow()
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
'''


def run_child(display: str, translations_dir: Path, screenshot: Path, tmp_path: Path) -> dict[str, str]:
    script = tmp_path / "keyboard_child.py"
    script.write_text(CHILD, encoding="utf-8")
    env = {key: value for key, value in os.environ.items()
           if key not in ("QT_QPA_PLATFORM", "QT_IM_MODULE", "WAYLAND_DISPLAY")}
    env["DISPLAY"] = display
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(REPO), env.get("PYTHONPATH"))))
    env["XDG_RUNTIME_DIR"] = str(tmp_path)
    result = subprocess.run([sys.executable, str(script), str(translations_dir), str(screenshot)], cwd=REPO,
                            env=env, capture_output=True, text=True, timeout=CHILD_TIMEOUT_S)
    seen = dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    assert result.returncode == 0 and seen.get("DONE") == "True", (
        f"child exited {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr[-4000:]}")
    return seen


def test_keyboard_follows_the_kiosk_language_under_xvfb(tmp_path: Path, translations_dir: Path) -> None:
    screenshot = Path(os.environ.get("P2C_KEYBOARD_SCREENSHOT") or tmp_path / "keyboard_es.png")
    with xvfb_display() as display:
        seen = run_child(display, translations_dir, screenshot, tmp_path)

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

