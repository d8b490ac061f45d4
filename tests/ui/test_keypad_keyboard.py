"""The on-screen keyboard driven by the keypad's keys (issue 21), under a real X server (Xvfb): Enter in a text field
puts the keypad on the Qt Virtual Keyboard, the arrows move over its keys and Enter types the highlighted one, Back
takes the keypad off it again (the page stays), and Down then moves to the next field.

This pytest process stays offscreen; a child Python process runs the kiosk on its own Xvfb display and prints what
it saw (``KEY=value`` lines), as tests/ui/test_virtual_keyboard.py does.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from keyboard_support import child_script, run_keyboard_child
from xvfb_support import xvfb_display

pytestmark = [pytest.mark.gui, pytest.mark.slow]

CHILD = child_script(r'''
window, store = open_window(config_from_mapping({"speech": {"engine": "mock"}}), key=None)
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
''', wait_seconds=10.0)


def test_the_keypad_types_on_the_on_screen_keyboard(tmp_path: Path, translations_dir: Path) -> None:
    with xvfb_display() as display:
        seen = run_keyboard_child(CHILD, [str(translations_dir)], tmp_path, display, "keypad_keyboard_child.py")
    from ui.wizard.page_ids import PageId

    assert seen["ACTIVE"] == "True"
    assert seen["FOCUS"] == "first_name_input"
    assert seen["KEYBOARD"] == "True"
    assert len(seen["TYPED_ONE"]) == 1, "a key typed from the keyboard with the arrows and Enter"
    assert len(seen["TYPED"]) == 2 and seen["TYPED"].startswith(seen["TYPED_ONE"]), "Up moved on the keyboard"
    assert seen["FOCUS_AFTER_TYPING"] == "first_name_input"
    assert seen["PAGE"] == str(int(PageId.WHO)), "Back took the keypad off the keyboard, not to the previous page"
    assert seen["FOCUS_AFTER_DOWN"] == "last_name_input"
