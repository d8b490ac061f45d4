"""Issue 14's crash, alone: in officer mode, "Request more information", a tap on the question box and three keys on
the on-screen keyboard killed the kiosk (SIGSEGV) until the text inputs lost their Python inputMethodQuery override.

A child process (``python -m ui.keyboard_tour officer-question``) does it on a real X server (Xvfb) with the Qt
Virtual Keyboard, tapping with real X pointer events (xdotool); it must end normally with the three keys in the box
and no Python traceback.
"""

from __future__ import annotations

import pytest
from xvfb_support import run_child, xdotool_or_skip, xvfb_display

pytestmark = pytest.mark.gui

CHILD_TIMEOUT_S = 90


def test_typing_a_question_on_the_on_screen_keyboard_keeps_the_kiosk_alive(tmp_path):
    xdotool_or_skip()
    with xvfb_display((1280, 800)) as display:
        run = run_child(["-m", "ui.keyboard_tour", "officer-question"], display, tmp_path, CHILD_TIMEOUT_S)

    assert run.returncode == 0, (f"the kiosk process ended: {run.how_it_ended()} after tapping the question box "
                                 f"(at {run.value('QUESTION_TAP')}, typed {run.value('TYPED')!r})\n"
                                 f"stdout:\n{run.stdout[-2000:]}\nstderr:\n{run.stderr[-3000:]}")
    assert run.tracebacks() == []
    assert run.value("DONE") == "True", run.stdout
    assert run.value("TAPS") == "xdotool"
    assert run.value("DIALOG") == "True"
    assert run.value("QUESTION_FOCUS") == "True"
    assert run.value("KEYBOARD") == "True"
    typed = run.value("TYPED")
    assert typed is not None and len(typed) == 3
    assert run.value("QUESTION_TEXT") == typed
