"""A keypad-only visitor (issue 21): a typical lost-property report made with the six keys of an EZ-Access keypad (Up,
Down, Back, Next, Enter, Help: here Down, Right as Next and Enter) plus typed text, every key sent to the kiosk
window as a keyboard's are, no mouse and no Tab. It counts the keys and prints the figure (``pytest -s``); a control
the keys cannot reach fails the test.

Two visitors: one who listens moves forward only (Down), since Up would be fewer presses where the control is just
above but a visitor who cannot see the page does not know that; one who sees the screen keys as
tests/ui/test_keyboard_only.py's visitor does (Up or Down, whichever is shorter; Enter in a form's last input for Next
or Save item; the date of birth's boxes in the language's order; a time set to the nearest step)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from helpers import load_sample
from keyboard_support import KeyDriver, check_stored, walk_without_mouse
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget

from ui.i18n import date_order
from ui.keypad_input import is_typing_into
from ui.walkthrough import Visitor
from ui.wizard.page_ids import PageId

pytestmark = [pytest.mark.gui, pytest.mark.slow]

K = Qt.Key
MAX_MOVES = 120  # more stops than any page has: past this the control is out of the keys' reach
SIX_KEYS = {K.Key_Up, K.Key_Down, K.Key_Backspace, K.Key_Right, K.Key_Return, K.Key_F1}


@dataclass
class Keypad(KeyDriver):
    """The six keys to the kiosk window, counted; text typed on a keyboard, counted apart."""

    sighted: bool = False  # Up or Down, whichever is shorter; else Down only
    moves: int = 0  # Up and Down presses

    def press(self, key: Qt.Key) -> None:
        assert key in SIX_KEYS
        self.send(key)

    def reach(self, name: str) -> QWidget:
        """Down (or Up, for a sighted visitor when shorter) until ``name`` has the focus."""
        target = Visitor(self.window).find(name)
        key = K.Key_Down
        if self.sighted and self.focus() is not target and self.backwards_is_shorter(target):
            key = K.Key_Up
        for _ in range(MAX_MOVES):
            if self.focus() is target:
                return target
            self.press(key)
            self.moves += 1
        raise AssertionError(f"the keypad never reached {name}")

    def activate(self, name: str) -> None:
        self.reach(name)
        self.press(K.Key_Return)

    def type(self, name: str, text: str) -> None:
        """Down to the input ``name``, Backspace what it holds unless it is ``text`` already, type ``text``."""
        target = self.reach(name)
        if isinstance(target, QLineEdit):
            if target.text() == text:
                return
            for _ in target.text():
                self.press(K.Key_Backspace)  # in a text input: deletes a letter (not Back)
        self.type_text(target, text)

    def next(self) -> None:
        """The keypad's Next; from a text input Down first (Right moves in the text there)."""
        if is_typing_into(self.focus()):
            self.press(K.Key_Down)
            self.moves += 1
        self.press(K.Key_Right)

    def last_input_done(self) -> None:
        """Enter in a form's last input: the form's button (Next, Save item)."""
        self.press(K.Key_Return)


def fill_report(keypad: Keypad, report: dict, zone) -> None:
    window = keypad.window
    keypad.press(K.Key_Right)  # Next on the welcome page: Start
    assert window.wizard.currentId() == PageId.SCREEN_EMERGENCY
    order = date_order(window.switcher.language) if keypad.sighted else ("month", "day", "year")
    keypad.fill_person_page(report, order)
    assert window.wizard.currentId() == PageId.WHEN, "the keypad got past the person page"

    incident = report["incident"]
    # To the nearest step, or never past it.
    keypad.set_times(incident, zone, lambda gap, step: abs(gap) > (step / 2 if keypad.sighted else step - 1))
    keypad.next()
    assert window.wizard.currentId() == PageId.WHERE

    keypad.fill_place(incident["location"])
    if keypad.sighted:
        keypad.last_input_done()  # in the page's last input: Next
    else:
        keypad.next()
    assert window.wizard.currentId() == PageId.WHAT

    for item in report["items"]:
        keypad.activate("add_item_button")
        keypad.type_item(item)
        if keypad.sighted:
            keypad.last_input_done()  # in the item form's last input: Save item
        else:
            keypad.activate("save_item_button")
    keypad.tell_and_attest(incident["narrative"])
    keypad.press(K.Key_Right)  # Next on the review page: the focus to Submit, which sends nothing yet
    assert window.wizard.currentId() == PageId.REVIEW
    assert keypad.focus() is Visitor(window).find("submit_button")
    keypad.press(K.Key_Return)


@pytest.mark.parametrize("sighted", [False, True], ids=["listening", "sighted"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_a_lost_property_report_with_the_six_keys(make_window, config, reports, qapp, qtbot, language, sighted):
    window = make_window()
    keypad = Keypad(window, sighted)
    report = load_sample("lost-wallet")
    mice = walk_without_mouse(keypad, qapp, qtbot, language, lambda: fill_report(keypad, report, config.kiosk.zone))
    stored = check_stored(reports, window, report)
    assert stored["language"] == language
    assert mice.presses == 0
    navigation = keypad.keys - keypad.typed
    who = "sighted" if sighted else "listening"
    print(f"\nkeypad only, lost property, {language}, {who}: {keypad.keys} keys ({keypad.typed} typed characters, "
          f"{navigation} keypad keys of which {keypad.moves} Up or Down)")
