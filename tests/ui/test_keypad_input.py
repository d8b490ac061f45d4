"""What each keypad key does in the kiosk window (issue 21, ui/keypad_input.py): Up and Down move in reading order,
Enter presses, Next and Back change pages, Backspace deletes while typing and goes back elsewhere, Help, volume and
rate talk to the narrator and any key interrupts it, a USB keypad's own keys from kiosk.toml; and the time: a keypad
visitor's idle warning comes later and "more time" is a key. Every key is sent to the kiosk window, as a keyboard's
are."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QWidget

from kiosk.config import config_from_mapping
from ui.narrator import Narrator
from ui.shell import KioskWindow
from ui.timings import Timings
from ui.walkthrough import Visitor, settle, type_keys
from ui.wizard.page_ids import PageId

pytestmark = pytest.mark.gui

K = Qt.Key
M = Qt.KeyboardModifier
MOCK_SPEECH = {"speech": {"engine": "mock", "volume_percent": 50}}
# The first speech engine made in a test run looks for PipeWire, which this machine lacks (said once, harmless).
NO_PIPEWIRE = pytest.mark.qt_log_ignore("Couldn't load pipewire", "Couldn't resolve pipewire")


def press(window: KioskWindow, key: Qt.Key, modifiers: Qt.KeyboardModifier = M.NoModifier) -> None:
    handle = window.windowHandle()
    assert handle is not None
    QTest.keyClick(handle, key, modifiers)
    settle()


def focus(window: KioskWindow) -> QWidget | None:
    return window.focusWidget()


def down_to(window: KioskWindow, name: str, key: Qt.Key = K.Key_Down, modifiers: Qt.KeyboardModifier = M.NoModifier,
            limit: int = 80) -> QWidget:
    target = Visitor(window).find(name)
    for _ in range(limit):
        if focus(window) is target:
            return target
        press(window, key, modifiers)
    raise AssertionError(f"never reached {name}")


def to_who_page(window: KioskWindow) -> None:
    visitor = Visitor(window)
    visitor.start()
    visitor.screening()
    visitor.category("lost_property")
    assert window.wizard.currentId() == PageId.WHO


def test_up_and_down_move_in_reading_order_as_tab_does_and_between_the_answers(make_window):
    window = make_window()
    press(window, K.Key_Right)  # Next: Start
    assert window.wizard.currentId() == PageId.SCREEN_EMERGENCY
    by_tab: list[QWidget | None] = []
    for _ in range(8):
        press(window, K.Key_Tab)
        by_tab.append(focus(window))
    for _ in range(8):
        press(window, K.Key_Backtab)
    by_down = []
    for _ in range(8):
        press(window, K.Key_Down)
        by_down.append(focus(window))
    assert by_down == by_tab
    yes = down_to(window, "screening_emergency_yes_button")
    press(window, K.Key_Down)
    assert focus(window) is Visitor(window).find("screening_emergency_no_button")
    press(window, K.Key_Up)
    assert focus(window) is yes


def test_enter_presses_the_focused_answer_and_next_and_back_change_pages(make_window):
    window = make_window()
    press(window, K.Key_Down)  # nothing focused yet: Down goes to the first control
    assert focus(window) is not None and focus(window) is not window
    press(window, K.Key_Right)
    assert window.wizard.currentId() == PageId.SCREEN_EMERGENCY
    down_to(window, "screening_emergency_no_button")
    press(window, K.Key_Return)
    assert window.wizard.currentId() == PageId.SCREEN_IN_CITY
    press(window, K.Key_Escape)  # Back
    assert window.wizard.currentId() == PageId.SCREEN_EMERGENCY
    press(window, K.Key_Backspace)  # Back on the first question: the welcome page
    assert window.current_page() is window.welcome_page


def test_next_on_the_person_page_is_its_next_button(make_window):
    window = make_window()
    to_who_page(window)
    press(window, K.Key_Right)  # nothing typed yet: Next shows the problems and stays
    assert window.wizard.currentId() == PageId.WHO
    assert Visitor(window).find("first_name_error").text()


def test_backspace_deletes_in_a_text_field_and_goes_back_elsewhere(make_window):
    window = make_window()
    to_who_page(window)
    name = down_to(window, "first_name_input")
    assert isinstance(name, QLineEdit)
    type_keys(name, "Ann?")
    settle()
    press(window, K.Key_Backspace)
    assert name.text() == "Ann"
    press(window, K.Key_Right)  # moves in the text while typing
    assert window.wizard.currentId() == PageId.WHO
    press(window, K.Key_Down)
    assert not isinstance(focus(window), QLineEdit) or focus(window) is not name
    down_to(window, "contact_preference_email_button")
    press(window, K.Key_Backspace)
    assert window.wizard.currentId() == PageId.CATEGORY
    press(window, K.Key_Right)  # forward again: the category chosen stays chosen
    assert window.wizard.currentId() == PageId.WHO
    name = down_to(window, "first_name_input")
    press(window, K.Key_Escape)  # Escape goes back even while typing
    assert window.wizard.currentId() == PageId.CATEGORY


def test_next_on_the_review_page_only_takes_the_focus_to_submit(make_window, config):
    from helpers import load_sample

    window = make_window()
    Visitor(window).report(load_sample("lost-wallet"), config.kiosk.zone)
    assert window.wizard.currentId() == PageId.REVIEW
    press(window, K.Key_Right)
    assert window.wizard.currentId() == PageId.REVIEW
    assert focus(window) is Visitor(window).find("submit_button")


@NO_PIPEWIRE
def test_help_volume_rate_and_any_key_with_the_narrator(make_window, qtbot):
    window = make_window(config=config_from_mapping(MOCK_SPEECH))
    qtbot.waitUntil(lambda: window.narrator is not None)
    narrator = window.narrator
    assert isinstance(narrator, Narrator) and not narrator.active
    press(window, K.Key_F1)  # Help: speech starts
    assert narrator.active
    speaker = narrator.speaker
    assert speaker is not None
    qtbot.waitUntil(lambda: speaker.speaking)
    press(window, K.Key_Left)  # any key: silence
    qtbot.waitUntil(lambda: not speaker.speaking, timeout=300)
    said = len(speaker.spoken)
    press(window, K.Key_Question, M.ShiftModifier)  # "?" is Help too: the prompt again
    qtbot.waitUntil(lambda: len(speaker.spoken) > said)
    volume, rate = speaker.volume, speaker.rate
    press(window, K.Key_Plus)
    assert speaker.volume == pytest.approx(volume + 0.1)
    press(window, K.Key_Minus)
    assert speaker.volume == pytest.approx(volume)
    press(window, K.Key_PageUp)
    assert speaker.rate == pytest.approx(rate + 0.2)
    press(window, K.Key_PageDown)
    assert speaker.rate == pytest.approx(rate)
    assert window.current_page() is window.welcome_page


def test_the_keypad_works_without_a_narrator(make_window):
    window = make_window()
    window.set_narrator(None)
    press(window, K.Key_F1)
    press(window, K.Key_Plus)
    press(window, K.Key_Right)
    assert window.wizard.currentId() == PageId.SCREEN_EMERGENCY


def test_a_usb_keypads_own_keys_from_the_settings(make_window):
    keys = {"up": ["Num+8"], "down": ["Num+2"], "next": ["Num+6"], "back": ["Num+4"], "enter": ["Num+5"],
            "help": ["Num+0"]}
    window = make_window(config=config_from_mapping({"keypad": keys}))
    press(window, K.Key_Right)  # the Right arrow is no longer Next
    assert window.current_page() is window.welcome_page
    press(window, K.Key_6, M.KeypadModifier)
    assert window.wizard.currentId() == PageId.SCREEN_EMERGENCY
    no = down_to(window, "screening_emergency_no_button", K.Key_2, M.KeypadModifier)
    assert focus(window) is no
    press(window, K.Key_5, M.KeypadModifier)
    assert window.wizard.currentId() == PageId.SCREEN_IN_CITY
    press(window, K.Key_4, M.KeypadModifier)
    assert window.wizard.currentId() == PageId.SCREEN_EMERGENCY


def test_a_keypad_visitors_idle_warning_comes_later_and_enter_gives_more_time(make_window, qtbot):
    window = make_window(timings=Timings(idle_timeout_ms=400, idle_countdown_ms=1500))
    qtbot.waitUntil(lambda: window.input_watch.started)  # a tap counts from now
    Visitor(window).start()  # a tap: the usual time
    started = time.monotonic()
    qtbot.waitUntil(lambda: window.idle_overlay.is_open(), timeout=2000)
    tapped_wait = time.monotonic() - started
    assert not window.idle_overlay.keys_label.isVisible()
    window.idle_overlay.more_time_button.click()
    settle()

    press(window, K.Key_Down)  # a keypad visitor from now on
    started = time.monotonic()
    qtbot.wait(600)  # past the usual time
    assert not window.idle_overlay.is_open()
    qtbot.waitUntil(lambda: window.idle_overlay.is_open(), timeout=2000)
    keypad_wait = time.monotonic() - started
    assert window.idle_overlay.keys_label.isVisible()
    assert window.idle_overlay.keys_label.text() == "Press Enter for more time."
    print(f"\nidle warning after a tap: {tapped_wait:.2f} s, after a keypad key: {keypad_wait:.2f} s")
    assert keypad_wait >= 0.75 and keypad_wait > tapped_wait * 1.5
    press(window, K.Key_Return)  # "I need more time"
    assert not window.idle_overlay.is_open()
    assert window.wizard.currentId() == PageId.SCREEN_EMERGENCY

    qtbot.waitUntil(lambda: window.idle_overlay.is_open(), timeout=2000)
    qtbot.waitUntil(lambda: window.current_page() is window.welcome_page, timeout=3000)  # nobody answered: wiped
    Visitor(window).start()  # the next visitor taps: the usual time again
    started = time.monotonic()
    qtbot.waitUntil(lambda: window.idle_overlay.is_open(), timeout=2000)
    assert time.monotonic() - started < 0.75


@NO_PIPEWIRE
def test_speech_on_gives_the_later_warning_too(make_window, qtbot):
    window = make_window(config=config_from_mapping(MOCK_SPEECH), timings=Timings(idle_timeout_ms=400,
                                                                                  idle_countdown_ms=1500))
    qtbot.waitUntil(lambda: window.narrator is not None and window.input_watch.started)  # a tap counts from now
    started = time.monotonic()
    Visitor(window).start()  # a tap, then speech on and no key
    narrator = window.narrator
    assert narrator is not None
    narrator.start()  # "Read aloud" on the welcome page does this
    qtbot.waitUntil(lambda: window.idle_overlay.is_open(), timeout=2000)
    assert time.monotonic() - started >= 0.75


def test_checking_a_report_with_the_keypad(open_window, reports):
    from helpers import load_sample

    window = open_window()
    receipt = reports.submit(load_sample("larceny-bicycle"))
    down_to(window, "check_report_button")
    press(window, K.Key_Return)
    assert window.current_page() is window.lookup_flow.check_page
    number = down_to(window, "tracking_number_input")
    type_keys(number, str(receipt.tracking_number))
    code = down_to(window, "access_code_input")
    type_keys(code, receipt.access_code)
    settle()
    press(window, K.Key_Down)  # off the field (Right moves in its text)
    press(window, K.Key_Right)  # Next: Check
    assert window.current_page() is window.lookup_flow.status_page
    press(window, K.Key_Right)  # Next on the status page: the focus to Finish (or Send), nothing ends yet
    assert window.current_page() is window.lookup_flow.status_page
    finish = Visitor(window).find("report_status_finish_button")
    if focus(window) is not finish:
        down_to(window, "report_status_finish_button")
    press(window, K.Key_Return)
    assert window.is_pristine()


def test_start_over_by_keys_moves_on_its_card_and_back_keeps_the_report(make_window):
    window = make_window()
    to_who_page(window)
    down_to(window, "start_over_button")
    press(window, K.Key_Return)
    overlay = window.start_over_overlay
    assert overlay.is_open()
    seen = set()
    for _ in range(4):
        press(window, K.Key_Down)
        seen.add(focus(window).objectName())
    assert seen == {"confirm_start_over_button", "keep_going_button"}, "Up and Down stay on the card"
    press(window, K.Key_Backspace)  # Back: "No, go back to my report"
    assert not overlay.is_open()
    assert window.wizard.currentId() == PageId.WHO
