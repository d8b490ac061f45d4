"""The on-screen keyboard driven by the keypad's keys (issue 21), under a real X server (Xvfb): Enter in a text field
puts the keypad on the Qt Virtual Keyboard, the arrows move over its keys and Enter types the highlighted one, Back
takes the keypad off it again (the page stays), and Down then moves to the next field.

This pytest process stays offscreen; a child Python process runs the kiosk on its own Xvfb display and prints what
it saw (``KEY=value`` lines), as tests/ui/test_virtual_keyboard.py does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from xvfb_support import xvfb_display

pytestmark = [pytest.mark.gui, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
CHILD_TIMEOUT_S = 90

CHILD = r'''
import os
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from kiosk.clock import SystemClock
from kiosk.config import config_from_mapping
from kiosk.home import Kiosk
from kiosk.storage.database import open_store
from ui.app import build_window, ensure_application
from ui.walkthrough import Visitor

translations = Path(sys.argv[1])
K = Qt.Key


def say(key, value):
    print(f"{key}={value}", flush=True)


def wait(predicate, seconds=10.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        if predicate():
            return True
        time.sleep(0.01)
    return False


app = ensure_application(virtual_keyboard=True)
config = config_from_mapping({"speech": {"engine": "mock"}})
clock = SystemClock()
home = Path(tempfile.mkdtemp())
store = open_store(home / "kiosk.sqlite3", now=clock.now, key=None)
window = build_window(Kiosk(home, config, clock=clock, store=store, receipt_printer=None), kiosk_mode=False,
                      translations_dir=translations, check_reports=False)
window.present()
window.activateWindow()
say("ACTIVE", wait(lambda: QApplication.activeWindow() is window and window.input_watch.started))
method = QGuiApplication.inputMethod()
handle = window.windowHandle()
visitor = Visitor(window)


def press(key):
    QTest.keyClick(handle, key)
    wait(lambda: False, 0.2)  # the keyboard's highlight moves with an animation


press(K.Key_Right)  # Next: Start
visitor.screening()
visitor.category("vandalism")
first = visitor.find("first_name_input")
for _ in range(40):
    if window.focusWidget() is first:
        break
    press(K.Key_Down)
say("FOCUS", window.focusWidget().objectName())
press(K.Key_Return)  # onto the keyboard
say("KEYBOARD", wait(lambda: method.isVisible()))
press(K.Key_Right)
press(K.Key_Right)
press(K.Key_Return)  # the highlighted key
say("TYPED_ONE", first.text())
press(K.Key_Up)  # a row up on the keyboard, not the previous control
press(K.Key_Return)
say("TYPED", first.text())
say("FOCUS_AFTER_TYPING", window.focusWidget().objectName())
press(K.Key_Escape)  # Back: off the keyboard, the page stays
say("PAGE", window.wizard.currentId())
press(K.Key_Down)
say("FOCUS_AFTER_DOWN", window.focusWidget().objectName())
say("DONE", True)
sys.stdout.flush()
os._exit(0)  # skip Qt's teardown: the keyboard's QML may crash the process on exit (docs/ui.md, known limits)
'''


def test_the_keypad_types_on_the_on_screen_keyboard(tmp_path: Path, translations_dir: Path) -> None:
    script = tmp_path / "keypad_keyboard_child.py"
    script.write_text(CHILD, encoding="utf-8")
    env = {key: value for key, value in os.environ.items()
           if key not in ("QT_QPA_PLATFORM", "QT_IM_MODULE", "WAYLAND_DISPLAY")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(REPO), env.get("PYTHONPATH"))))
    env["XDG_RUNTIME_DIR"] = str(tmp_path)
    with xvfb_display() as display:
        env["DISPLAY"] = display
        result = subprocess.run([sys.executable, str(script), str(translations_dir)], cwd=REPO, env=env,
                                capture_output=True, text=True, timeout=CHILD_TIMEOUT_S)
    seen = dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    assert result.returncode == 0 and seen.get("DONE") == "True", (
        f"child exited {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr[-4000:]}")
    from ui.wizard.page_ids import PageId

    assert seen["ACTIVE"] == "True"
    assert seen["FOCUS"] == "first_name_input"
    assert seen["KEYBOARD"] == "True"
    assert len(seen["TYPED_ONE"]) == 1, "a key typed from the keyboard with the arrows and Enter"
    assert len(seen["TYPED"]) == 2 and seen["TYPED"].startswith(seen["TYPED_ONE"]), "Up moved on the keyboard"
    assert seen["FOCUS_AFTER_TYPING"] == "first_name_input"
    assert seen["PAGE"] == str(int(PageId.WHO)), "Back took the keypad off the keyboard, not to the previous page"
    assert seen["FOCUS_AFTER_DOWN"] == "last_name_input"
