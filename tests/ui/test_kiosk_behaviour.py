"""Kiosk behaviour around the wizard: the language switch mid-report, large text and high contrast, the officer
gesture, the on-screen keyboard's layouts, and the None reference guard."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from helpers import load_sample
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from kiosk.translation import catalogues
from ui.keyboard import enable_virtual_keyboard
from ui.timings import Timings
from ui.walkthrough import Visitor
from ui.wizard.page_ids import PageId

pytestmark = pytest.mark.gui


def test_switching_language_mid_report_keeps_what_was_typed(window, visitor, config, settle):
    report = load_sample("lost-wallet")
    visitor.start()
    visitor.screening()
    visitor.category("lost_property")
    visitor.about_me(report["reporter"])
    who = window.current_page()
    english_heading = who.heading.text()

    visitor.choose_language("es")
    settle()
    assert window.wizard.currentId() == PageId.WHO
    assert who.heading.text() == "Sus datos" != english_heading
    assert who.first_name.label.text() == "Nombre"
    assert who.first_name.value() == "Kwame" and who.email.value() == "kmensah@example.com"
    assert who.date_of_birth.value() == "1995-11-02"
    assert who.contact.value() == "email"
    assert window.wizard.button(window.wizard.WizardButton.NextButton).text() == "Siguiente"

    visitor.next()
    assert window.wizard.currentId() == PageId.WHEN
    assert window.current_page().heading.text() == "¿Cuándo ocurrió?"
    visitor.back()
    visitor.choose_language("en")
    settle()
    assert who.heading.text() == english_heading and who.last_name.value() == "Mensah"


def test_large_text_and_high_contrast_are_on_every_page_and_change_the_look(window, visitor, settle):
    visitor.start()
    visitor.screening()
    visitor.category("vandalism")
    who = window.current_page()
    label: QLabel = who.first_name.label
    edit: QLineEdit = who.first_name.input
    normal_size = label.font().pointSizeF()
    normal_background = edit.palette().color(edit.backgroundRole()).name()

    visitor.tap(window.header.large_text_button)
    settle()
    assert window.header.large_text_button.isChecked()
    assert label.font().pointSizeF() >= normal_size * 1.25
    visitor.tap(window.header.high_contrast_button)
    settle()
    assert edit.palette().color(edit.backgroundRole()).name() == "#000000" != normal_background
    assert who.first_name.value() == ""  # nothing lost, nothing invented

    visitor.tap(window.header.large_text_button)
    visitor.tap(window.header.high_contrast_button)
    settle()
    assert label.font().pointSizeF() == normal_size


def test_the_officer_gesture_is_a_long_press_on_the_department_name_or_ctrl_alt_o(make_window, qtbot):
    window = make_window(timings=Timings(officer_hold_ms=200))
    name = window.welcome_page.department_label

    qtbot.mousePress(name, Qt.MouseButton.LeftButton)
    qtbot.wait(50)
    qtbot.mouseRelease(name, Qt.MouseButton.LeftButton)
    with qtbot.assertNotEmitted(window.officer_requested, wait=300):
        pass  # a short press is just a touch

    with qtbot.waitSignal(window.officer_requested, timeout=2000):
        qtbot.mousePress(name, Qt.MouseButton.LeftButton)
    qtbot.mouseRelease(name, Qt.MouseButton.LeftButton)

    Visitor(window).start()
    with qtbot.waitSignal(window.officer_requested, timeout=2000):
        qtbot.mousePress(window.header.department_label, Qt.MouseButton.LeftButton)
    qtbot.mouseRelease(window.header.department_label, Qt.MouseButton.LeftButton)

    with qtbot.waitSignal(window.officer_requested, timeout=1000):
        qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)


def test_reset_to_welcome_wipes_and_returns_in_the_default_language(window, visitor):
    visitor.choose_language("es")
    visitor.start()
    visitor.screening()
    visitor.category("larceny")
    visitor.type("first_name_input", "Dana")
    window.reset_to_welcome()
    assert window.current_page() is window.welcome_page
    assert window.switcher.language == "en"
    assert window.wizard.page(PageId.WHO).first_name.value() == ""


def test_phone_zip_and_money_fields_ask_for_number_keyboards(window, visitor):
    visitor.start()
    visitor.screening()
    visitor.category("larceny")
    hints = {name: visitor.find(name).inputMethodHints() for name in
             ("phone_input", "home_zip_input", "date_of_birth_year_input", "email_input")}
    assert hints["phone_input"] & Qt.InputMethodHint.ImhDialableCharactersOnly
    assert hints["home_zip_input"] & Qt.InputMethodHint.ImhDigitsOnly
    assert hints["date_of_birth_year_input"] & Qt.InputMethodHint.ImhDigitsOnly
    assert hints["email_input"] & Qt.InputMethodHint.ImhEmailCharactersOnly
    visitor.tap("contact_preference_email_button")
    editor = window.wizard.page(PageId.WHAT).editor
    value_hints = editor.inputs["value"].input.inputMethodHints()  # the digit pad, not the calculator pad
    assert value_hints & Qt.InputMethodHint.ImhDigitsOnly
    assert not value_hints & Qt.InputMethodHint.ImhFormattedNumbersOnly
    assert editor.inputs["account_last4"].input.inputMethodHints() & Qt.InputMethodHint.ImhDigitsOnly


@pytest.mark.parametrize(("environ", "wanted"), [
    ({"DISPLAY": ":0"}, True),
    ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, False),
    ({"WAYLAND_DISPLAY": "wayland-0"}, True),
    ({"DISPLAY": ":0", "QT_IM_MODULE": "ibus"}, False),
])
def test_the_virtual_keyboard_is_asked_for_only_under_a_real_display(environ, wanted):
    env = dict(environ)
    assert enable_virtual_keyboard(env) is wanted
    assert (env.get("QT_IM_MODULE") == "qtvirtualkeyboard") is wanted


def test_many_qt_calls_do_not_wear_out_none():
    """PySide6 6.12.0 on Python 3.11 took a reference from None on every void call and aborted the process after a
    few thousand (hence the pin to 6.11.3). Run in a child process: the failure is an abort, not an exception."""
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication, QLabel\n"
        "app = QApplication([]); label = QLabel(); before = sys.getrefcount(None)\n"
        "for _ in range(20_000): label.setText('x')\n"
        "print(sys.getrefcount(None) - before)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr[-500:]
    assert int(result.stdout.strip()) > -100


LANGUAGE_PAIRS = [(first, then) for first in catalogues().installed() for then in catalogues().installed()
                  if first != then]


@pytest.mark.parametrize(("first", "then"), LANGUAGE_PAIRS, ids=[f"{a}-to-{b}" for a, b in LANGUAGE_PAIRS])
def test_switching_language_on_the_review_page_keeps_every_typed_value(window, visitor, config, settle, first, then):
    report = load_sample("larceny-bicycle")
    if first != "en":
        visitor.choose_language(first)
    visitor.report(report, config.kiosk.zone)
    assert window.wizard.currentId() == PageId.REVIEW
    draft = window.wizard.draft()
    review = window.current_page()
    answers = [section.answers.text() for section in review.sections.values()]

    visitor.choose_language(then)
    settle()
    assert window.switcher.language == then
    assert window.wizard.currentId() == PageId.REVIEW
    assert window.wizard.draft() == {**draft, "language": then}
    shown = "\n".join(section.answers.text() for section in review.sections.values())
    assert report["reporter"]["last_name"] in shown and report["items"][0]["serial_number"] in shown
    assert [section.answers.text() for section in review.sections.values()] != answers  # the labels moved
    visitor.back()
    visitor.back()
    assert window.wizard.draft() == {**draft, "language": then}
