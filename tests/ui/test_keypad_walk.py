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
from datetime import datetime

import pytest
from helpers import load_sample
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QWidget

from kiosk.tracking import TrackingNumber
from ui.i18n import date_order
from ui.keypad_input import is_typing_into
from ui.shell import KioskWindow
from ui.walkthrough import Visitor, settle, type_keys
from ui.wizard.page_ids import PageId

pytestmark = [pytest.mark.gui, pytest.mark.slow]

K = Qt.Key
MAX_MOVES = 120  # more stops than any page has: past this the control is out of the keys' reach
SIX_KEYS = {K.Key_Up, K.Key_Down, K.Key_Backspace, K.Key_Right, K.Key_Return, K.Key_F1}


@dataclass
class Keypad:
    """The six keys to the kiosk window, counted; text typed on a keyboard, counted apart."""

    window: KioskWindow
    sighted: bool = False  # Up or Down, whichever is shorter; else Down only
    keys: int = 0  # every key: the keypad's and the typed characters
    moves: int = 0  # Up and Down presses
    typed: int = 0

    def focus(self) -> QWidget | None:
        """What the window hands a key to (its focus widget)."""
        return self.window.focusWidget()

    def press(self, key: Qt.Key) -> None:
        assert key in SIX_KEYS
        handle = self.window.windowHandle()
        assert handle is not None
        QTest.keyClick(handle, key)
        self.keys += 1
        settle()

    def stops_to(self, target: QWidget, forward: bool) -> int | None:
        """How many moves from the focus to ``target`` round the window's focus chain (the shown, enabled controls
        that take the focus by key), as a visitor who sees the screen counts them."""
        here = self.focus() or self.window
        widget, stops = here, 0
        for _ in range(5000):
            widget = widget.nextInFocusChain() if forward else widget.previousInFocusChain()
            if widget is here:
                return None
            if (widget.isVisible() and widget.isEnabled() and not widget.isWindow()
                    and widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
                stops += 1
                if widget is target:
                    return stops
        return None

    def reach(self, name: str) -> QWidget:
        """Down (or Up, for a sighted visitor when shorter) until ``name`` has the focus."""
        target = Visitor(self.window).find(name)
        key = K.Key_Down
        if self.sighted and self.focus() is not target:
            ahead, behind = self.stops_to(target, forward=True), self.stops_to(target, forward=False)
            if behind is not None and (ahead is None or behind < ahead):
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
        type_keys(target, text)
        self.keys += len(text)
        self.typed += len(text)
        settle()

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
    for question, answer in (("emergency", "no"), ("in_city", "yes"), ("suspect_or_evidence", "no")):
        keypad.activate(f"screening_{question}_{answer}_button")
    keypad.activate(f"category_{report['category']}_button")
    reporter = report["reporter"]
    keypad.type("first_name_input", reporter["first_name"])
    keypad.type("last_name_input", reporter["last_name"])
    year, month, day = reporter["date_of_birth"].split("-")
    parts = {"month": month, "day": day, "year": year}
    order = date_order(window.switcher.language) if keypad.sighted else ("month", "day", "year")
    for part in order:
        keypad.type(f"date_of_birth_{part}_input", parts[part])
    for key in ("line1", "line2", "city", "state", "zip"):
        if reporter["address"].get(key):
            keypad.type(f"home_{key}_input", reporter["address"][key])
    keypad.type("phone_input", reporter["phone"])
    keypad.type("email_input", reporter["email"])
    keypad.activate(f"contact_preference_{reporter['contact_preference']}_button")
    keypad.next()
    assert window.wizard.currentId() == PageId.WHEN, "the keypad got past the person page"

    incident = report["incident"]
    for name in ("occurred_from", "occurred_to"):
        target = datetime.fromisoformat(incident[name]).astimezone(zone).replace(tzinfo=None)
        picker = Visitor(window).find(f"{name}_picker")
        for unit, minutes in (("day", 24 * 60), ("hour", 60), ("minute", 5)):
            near = minutes / 2 if keypad.sighted else minutes - 1  # to the nearest step, or never past it
            while abs(gap := (target - picker.moment()).total_seconds() / 60) > near:
                keypad.activate(f"{name}_{unit}_{'later' if gap > 0 else 'earlier'}_button")
    keypad.next()
    assert window.wizard.currentId() == PageId.WHERE

    location = incident["location"]
    keypad.activate(f"place_type_{location['place_type']}_button")
    for key in ("line1", "line2", "city", "state", "zip"):
        keypad.type(f"place_{key}_input", location.get(key, ""))
    if keypad.sighted:
        keypad.last_input_done()  # in the page's last input: Next
    else:
        keypad.next()
    assert window.wizard.currentId() == PageId.WHAT

    for item in report["items"]:
        keypad.activate("add_item_button")
        for key in ("description", "brand", "model", "serial_number", "value"):
            if item.get(key):
                keypad.type(f"item_{key}_input", str(item[key]))
        if keypad.sighted:
            keypad.last_input_done()  # in the item form's last input: Save item
        else:
            keypad.activate("save_item_button")
    keypad.next()
    assert window.wizard.currentId() == PageId.HOW

    keypad.type("narrative_input", incident["narrative"])
    keypad.next()
    assert window.wizard.currentId() == PageId.REVIEW
    keypad.activate("attestation_button")
    keypad.press(K.Key_Right)  # Next on the review page: the focus to Submit, which sends nothing yet
    assert window.wizard.currentId() == PageId.REVIEW
    assert keypad.focus() is Visitor(window).find("submit_button")
    keypad.press(K.Key_Return)


class MouseCounter(QObject):
    """Counts the mouse presses and touches anything in the application receives."""

    def __init__(self) -> None:
        super().__init__()
        self.presses = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            self.presses += 1
        return False


@pytest.mark.parametrize("sighted", [False, True], ids=["listening", "sighted"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_a_lost_property_report_with_the_six_keys(make_window, config, reports, qapp, qtbot, language, sighted):
    window = make_window()
    keypad = Keypad(window, sighted)
    report = load_sample("lost-wallet")
    mice = MouseCounter()
    qapp.installEventFilter(mice)
    try:
        if language != "en":
            keypad.activate(window.header.language_buttons[language].objectName())
        fill_report(keypad, report, config.kiosk.zone)
        qtbot.waitUntil(lambda: window.wizard.currentId() == PageId.DONE)
    finally:
        qapp.removeEventFilter(mice)
    stored = reports.get(TrackingNumber.parse(window.current_page().tracking_label.text()))
    assert stored["language"] == language
    assert stored["reporter"]["email"] == report["reporter"]["email"]
    assert stored["incident"]["narrative"] == report["incident"]["narrative"]
    assert stored["incident"]["occurred_from"] == report["incident"]["occurred_from"]
    assert stored["items"][0]["description"] == report["items"][0]["description"]
    assert mice.presses == 0
    navigation = keypad.keys - keypad.typed
    who = "sighted" if sighted else "listening"
    print(f"\nkeypad only, lost property, {language}, {who}: {keypad.keys} keys ({keypad.typed} typed characters, "
          f"{navigation} keypad keys of which {keypad.moves} Up or Down)")
