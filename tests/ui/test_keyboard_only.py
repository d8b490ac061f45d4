"""A keyboard-only visitor today (issue 21): a typical lost-property report driven with Tab, Shift+Tab, Space, Enter
and typed text only, every key sent to the kiosk window as a keyboard's are, no mouse. The visitor sees the screen:
Tab or Shift+Tab, whichever reaches a control sooner; Enter in a form's last input (Next, Save item); the date of
birth's boxes in the language's order; a time set to the nearest day, hour and five minutes. It counts the keys, per
page too, and where
the keys cannot reach a control (nothing but a tap gets there) it taps once, writes the place down, and goes on: that
list is what the keypad work has to remove. The figures are printed (``pytest -s``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from helpers import load_sample
from keyboard_support import KeyDriver, MouseCounter, check_stored, walk_without_mouse
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget

from ui.i18n import date_order
from ui.walkthrough import Visitor
from ui.wizard.page_ids import PageId

pytestmark = [pytest.mark.gui, pytest.mark.slow]

K = Qt.Key
MAX_TABS = 80  # more stops than any page has: past this the control is out of the keys' reach

# The controls the keys could not reach when this test was written (each tapped once instead). The keypad work
# empties this set; a control that becomes reachable drops out of it without failing the test.
KNOWN_UNREACHABLE: set[str] = set()


@dataclass
class Keyboard(KeyDriver):
    """Keys to the kiosk window, counted; a tap only where the keys cannot get, written down."""

    tabs: int = 0
    unreachable: list[str] = field(default_factory=list)

    def press(self, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        self.send(key, modifiers)

    def reach(self, name: str) -> QWidget | None:
        """Tab or Shift+Tab, whichever is shorter, until ``name`` has the focus; None if it never does."""
        target = Visitor(self.window).find(name)
        if self.focus() is target:
            return target
        back = self.backwards_is_shorter(target)
        for _ in range(MAX_TABS):
            if self.focus() is target:
                return target
            self.press(K.Key_Tab, Qt.KeyboardModifier.ShiftModifier if back else Qt.KeyboardModifier.NoModifier)
            self.tabs += 1
        return target if self.focus() is target else None

    def enter(self) -> None:
        """Enter in a form's input: the next input, or on its last one the form's button (Next, Save item)."""
        self.press(K.Key_Return)

    def activate(self, name: str) -> None:
        """Tab to the button ``name`` and press Space; a tap (written down) when Tab never gets there."""
        target = self.reach(name)
        if target is None:
            self.unreachable.append(name)
            Visitor(self.window).tap(name)
            return
        self.press(K.Key_Space)

    def type(self, name: str, text: str) -> None:
        """Tab to the input ``name``, empty it if it holds something (Ctrl+A, Backspace), and type ``text``."""
        target = self.reach(name)
        if target is None:
            self.unreachable.append(name)
            Visitor(self.window).type(name, text, replace=True)
            return
        if isinstance(target, QLineEdit) and target.text() == text:
            return
        if isinstance(target, QLineEdit) and target.text():
            self.press(K.Key_A, Qt.KeyboardModifier.ControlModifier)
            self.press(K.Key_Backspace)
        self.type_text(target, text)

    def next(self) -> None:
        self.activate("next_button")


def fill_report(keyboard: Keyboard, report: dict, zone) -> None:
    window = keyboard.window
    keyboard.activate("start_button")
    # The date of birth's boxes in the order the language writes a date.
    keyboard.fill_person_page(report, date_order(window.switcher.language))
    assert window.wizard.currentId() == PageId.WHEN, "the keys got past the person page"

    incident = report["incident"]
    # As a person sets a clock: the day first ("two days ago"), then the hour, then the minutes, each to the
    # nearest (3:30 PM from 12:00 is three hours later and six steps of five minutes, not 21 hours earlier).
    keyboard.set_times(incident, zone, lambda gap, step: abs(gap) > step / 2, check_moves=True)
    keyboard.next()
    assert window.wizard.currentId() == PageId.WHERE

    keyboard.fill_place(incident["location"])
    keyboard.enter()  # in the page's last input: Next
    assert window.wizard.currentId() == PageId.WHAT

    for item in report["items"]:
        keyboard.activate("add_item_button")
        keyboard.type_item(item)
        keyboard.enter()  # in the item form's last input: Save item
    keyboard.tell_and_attest(incident["narrative"])
    keyboard.activate("submit_button")


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_lost_property_report_with_the_keyboard_only(make_window, config, reports, qapp, qtbot, language):
    window = make_window()
    keyboard = Keyboard(window)
    report = load_sample("lost-wallet")
    mice = walk_without_mouse(keyboard, qapp, qtbot, language,
                              lambda: fill_report(keyboard, report, config.kiosk.zone))
    check_stored(reports, window, report)
    assert (mice.presses == 0) == (not keyboard.unreachable)
    navigation = keyboard.keys - keyboard.typed
    print(f"\nkeyboard only, lost property, {language}: {keyboard.keys} keys ({keyboard.typed} typed characters, "
          f"{navigation} other keys of which {keyboard.tabs} Tab); taps where the keys could not reach: "
          f"{keyboard.unreachable or 'none'}; keys per page: {keyboard.per_page}")
    assert set(keyboard.unreachable) <= KNOWN_UNREACHABLE, "a control the keys cannot reach"


def test_checking_a_report_with_the_keyboard_only(open_window, reports, qapp):
    window = open_window()
    receipt = reports.submit(load_sample("larceny-bicycle"))
    keyboard = Keyboard(window)
    mice = MouseCounter()
    qapp.installEventFilter(mice)
    try:
        keyboard.activate("check_report_button")
        keyboard.type("tracking_number_input", receipt.tracking_number)
        keyboard.type("access_code_input", receipt.access_code)
        keyboard.press(K.Key_Return)
        assert window.current_page() is window.lookup_flow.status_page
        keyboard.activate("report_status_finish_button")
    finally:
        qapp.removeEventFilter(mice)
    print(f"\nkeyboard only, check a report: {keyboard.keys} keys ({keyboard.typed} typed); taps: "
          f"{keyboard.unreachable or 'none'}")
    assert window.is_pristine()
    assert set(keyboard.unreachable) <= KNOWN_UNREACHABLE
    assert (mice.presses == 0) == (not keyboard.unreachable)
