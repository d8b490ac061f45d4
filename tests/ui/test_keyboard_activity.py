"""Typing on the on-screen keyboard (Qt Virtual Keyboard, under a real X server) keeps the idle watchdog awake, with
no filter on the whole application: a tap on one of its keys lands on the keyboard's own window, and the letter it
types comes to the kiosk's window as a key press; the kiosk window's input watch (ui/input_watch.py) sees both.

This pytest process stays offscreen; a child Python process runs the kiosk on its own Xvfb, taps the keyboard's keys
with real X pointer events (ui/keyboard_driver.py, xdotool) and prints ``KEY=value`` lines, which the test checks.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from xvfb_support import run_child, xdotool_or_skip, xvfb_display

pytestmark = pytest.mark.gui

CHILD_TIMEOUT_S = 120
IDLE_MS = 1500

CHILD = r'''
import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication

from kiosk.clock import SystemClock
from kiosk.config import config_from_mapping
from kiosk.home import Kiosk
from kiosk.storage.database import open_store
from ui.app import build_window, ensure_application
from ui.keyboard_driver import Finger, Keyboard, pause, wait_until
from ui.timings import Timings
from ui.walkthrough import Visitor

translations, idle_ms = Path(sys.argv[1]), int(sys.argv[2])


def say(key, value):
    print(f"{key}={value}", flush=True)


class Seen(QObject):
    """A part of the input watch that notes where each input event it is handed came in, and takes none."""

    def __init__(self, window):
        super().__init__()
        self.window = window
        self.counts = Counter()

    def eventFilter(self, watched, event):
        if isinstance(watched, QWindow):
            where = "kiosk_window" if watched == self.window.windowHandle() else "keyboard_window"
        else:
            where = "focused_input"
        self.counts[f"{where}:{event.type().name}"] += 1
        return False


app = ensure_application(virtual_keyboard=True)
clock = SystemClock()
home = Path(tempfile.mkdtemp())
store = open_store(home / "kiosk.sqlite3", now=clock.now)
window = build_window(Kiosk(home, config_from_mapping({}), clock=clock, store=store, receipt_printer=None),
                      kiosk_mode=False, translations_dir=translations, check_reports=False,
                      timings=Timings(idle_timeout_ms=idle_ms))
window.present()
window.activateWindow()
say("ACTIVE", wait_until(lambda: QApplication.activeWindow() is window, 10))
pause(0.5)  # the wizard is built just after the first paint
visitor = Visitor(window)
visitor.start()
visitor.screening()
visitor.category("vandalism")
visitor.tap("first_name_input")
keyboard = Keyboard(Finger())
say("FINGER", keyboard.finger.how)
say("SHOWN", keyboard.wait_shown(15))
pause(0.5)  # the layout for the field
seen = Seen(window)
window.input_watch.add(seen)
timeouts = []
window.watchdog.timed_out.connect(lambda: timeouts.append(True))

# Keys tapped on the keyboard only, for three times the idle time: the watchdog never fires.
window.watchdog.restart()
typed = ""
for _ in range(9):
    typed += keyboard.type_keys(1)
    pause(idle_ms / 3000)
say("TYPED", typed)
say("FIELD", window.current_page().first_name.value())
say("TIMED_OUT_WHILE_TYPING", bool(timeouts))
say("SEEN", json.dumps(dict(seen.counts)))

# No more taps: it fires.
say("TIMED_OUT_AFTER", wait_until(lambda: bool(timeouts), 3 * idle_ms / 1000))
window.idle_overlay.stop()
window.watchdog.restart()

# In Spanish, a letter of its own: ñ.
visitor.choose_language("es")
visitor.tap("last_name_input")
say("SHOWN_ES", keyboard.wait_shown(15))
pause(0.8)  # the Spanish layout
seen.counts.clear()
say("CHARS_ES", "".join(k.character for k in keyboard.keys()))
key = next((k for k in keyboard.keys() if k.character.lower() == "ñ"), None)
say("ENYE_KEY", key is not None)
if key is not None:
    keyboard.tap(key)
    pause(0.3)
say("LAST_NAME", window.current_page().last_name.value())
say("SEEN_ES", json.dumps(dict(seen.counts)))
keyboard.method.hide()
window.allow_close()
window.close()
store.close()
say("DONE", True)
sys.stdout.flush()
os._exit(0)  # skip Qt's teardown: the keyboard's QML may crash the process on exit (docs/ui.md, known limits)
'''


def test_typing_on_the_on_screen_keyboard_keeps_the_visitor_active(tmp_path: Path, translations_dir: Path) -> None:
    xdotool_or_skip()
    script = tmp_path / "keyboard_activity_child.py"
    script.write_text(CHILD, encoding="utf-8")
    with xvfb_display() as display:
        run = run_child([str(script), str(translations_dir), str(IDLE_MS)], display, tmp_path, CHILD_TIMEOUT_S)
    seen = {line.split("=", 1)[0]: line.split("=", 1)[1] for line in run.stdout.splitlines() if "=" in line}
    assert run.returncode == 0 and seen.get("DONE") == "True", (
        f"child: {run.how_it_ended()}\nstdout:\n{run.stdout}\nstderr:\n{run.stderr[-4000:]}")
    assert not run.tracebacks(), run.tracebacks()
    assert seen["ACTIVE"] == "True" and seen["SHOWN"] == "True"
    assert seen["FINGER"] == "xdotool", "real X pointer events, as a finger's"
    assert len(seen["TYPED"]) == 9 and seen["FIELD"].lower() == seen["TYPED"].lower()
    assert seen["TIMED_OUT_WHILE_TYPING"] == "False"
    assert seen["TIMED_OUT_AFTER"] == "True"
    # Where the watch saw it: each tap on the keyboard's own window, and the letter it typed as a key press at the
    # kiosk's window (the keyboard hands plain letters, Ñ too, to the focus window as keys; text it composes, e.g.
    # pinyin, comes as input-method events to the focused input: tests/ui/test_input_watch.py).
    counts = json.loads(seen["SEEN"])
    assert counts.get("keyboard_window:MouseButtonPress", 0) >= 9, counts
    assert counts.get("kiosk_window:KeyPress", 0) >= 9, counts
    assert seen["ENYE_KEY"] == "True" and seen["LAST_NAME"] == "Ñ"
    spanish = json.loads(seen["SEEN_ES"])
    assert spanish.get("keyboard_window:MouseButtonPress") == 1 and spanish.get("kiosk_window:KeyPress") == 1, spanish
