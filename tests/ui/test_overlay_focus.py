"""Overlays are modal for real: with an officer dialog or the kiosk's "Start over?" / "Are you still there?" open, Tab
and Shift+Tab go round the card only, nothing behind the card answers a tap or a key, and closing the card gives the
focus back to where it was. Driven with real key presses and taps at window positions."""

from __future__ import annotations

import pytest
from officer_ui_support import click
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from ui.timings import Timings

pytestmark = pytest.mark.gui

PRESSES = 25


def focused(widget: QWidget) -> QWidget | None:
    return QApplication.focusWidget() or widget.window().focusWidget()


def press(widget: QWidget, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed on whatever has the focus in ``widget``'s window."""
    target = focused(widget)
    assert target is not None, "nothing has the focus"
    QTest.keyClick(target, key, modifier)
    QApplication.processEvents()


def tap_window_at(widget: QWidget) -> None:
    """A tap where ``widget`` is on the screen, delivered to the window (Qt finds what is on top there)."""
    window = widget.window()
    point = widget.mapTo(window, QPoint(widget.width() // 2, widget.height() // 2))
    QTest.mouseClick(window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    QApplication.processEvents()


def tab_round(card: QWidget, *, backwards: bool = False) -> set[str]:
    """Tab (or Shift+Tab) PRESSES times; every stop must be inside the card. Returns the names of the stops."""
    stops: set[str] = set()
    for _ in range(PRESSES):
        if backwards:
            press(card, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        else:
            press(card, Qt.Key.Key_Tab)
        now = focused(card)
        assert now is not None and card.isAncestorOf(now), f"the focus left the card: {now and now.objectName()}"
        stops.add(now.objectName())
    return stops


def open_detail(mode, tracking: str):
    mode.open_report(tracking)
    mode.activateWindow()
    QTest.qWaitForWindowActive(mode, 2000)
    return mode.detail


# -- officer dialogs --------------------------------------------------------------------------------------------------


def test_tab_and_shift_tab_stay_in_the_request_info_dialog(qtbot, kit, officer_mode):
    detail = open_detail(officer_mode(), kit.submit())
    click(qtbot, detail.request_info_button)
    dialog = detail.request_info_dialog
    assert dialog.isVisible()
    expected = {"question_edit", "phone_note_edit", "request_info_dialog_cancel_button",
                "request_info_dialog_confirm_button"}
    assert tab_round(dialog.card) == expected
    assert tab_round(dialog.card, backwards=True) == expected


def test_nothing_behind_an_officer_dialog_answers_a_tap_or_space(qtbot, kit, officer_mode):
    detail = open_detail(officer_mode(), kit.submit())
    click(qtbot, detail.request_info_button)
    reject = detail.reject_button
    assert not reject.isEnabled() and not detail.back_button.isEnabled()

    tap_window_at(reject)
    QTest.keyClick(reject, Qt.Key.Key_Space)
    reject.click()  # even a click the program makes: a disabled button does not fire
    QApplication.processEvents()
    assert not detail.reject_dialog.isVisible()
    assert detail.request_info_dialog.isVisible()

    click(qtbot, detail.request_info_dialog.cancel_button)
    assert reject.isEnabled() and detail.back_button.isEnabled()
    tap_window_at(reject)
    assert detail.reject_dialog.isVisible(), "after closing, the button behind works again"


def test_closing_an_officer_dialog_gives_the_focus_back(qtbot, kit, officer_mode):
    detail = open_detail(officer_mode(), kit.submit())
    detail.request_info_button.setFocus(Qt.FocusReason.TabFocusReason)  # reached with Tab, then Space
    press(detail, Qt.Key.Key_Space)
    dialog = detail.request_info_dialog
    assert dialog.isVisible()
    now = focused(detail)
    assert now is dialog.card or (now is not None and dialog.card.isAncestorOf(now))
    for _ in range(3):
        press(detail, Qt.Key.Key_Tab)
    QTest.keyClick(dialog.cancel_button, Qt.Key.Key_Space)
    QApplication.processEvents()
    assert not dialog.isVisible()
    assert focused(detail) is detail.request_info_button


# -- the kiosk's own overlays -----------------------------------------------------------------------------------------


@pytest.fixture
def who_page(make_window):
    """The kiosk on the "About you" page with "Dana" typed in the first name (its input has the focus)."""
    from ui.walkthrough import Visitor

    window = make_window(timings=Timings(idle_timeout_ms=600_000))
    visitor = Visitor(window)
    visitor.start()
    window.activateWindow()
    QTest.qWaitForWindowActive(window, 2000)
    visitor.screening()
    visitor.category("vandalism")
    visitor.type("first_name_input", "Dana")
    page = window.current_page()
    assert focused(window) is page.first_name.input
    return window, visitor, page


def test_start_over_traps_the_focus_and_gives_it_back(who_page):
    window, visitor, page = who_page
    visitor.tap("start_over_button")
    overlay = window.start_over_overlay
    assert overlay.isVisible()
    assert tab_round(overlay.card) == {"confirm_start_over_button", "keep_going_button"}
    assert tab_round(overlay.card, backwards=True) == {"confirm_start_over_button", "keep_going_button"}

    # Nothing behind reacts: typing does not reach the first name, a tap on Next or a language does nothing.
    assert not page.first_name.input.isEnabled()
    QTest.keyClicks(page.first_name.input, "xyz")
    tap_window_at(window.wizard.button(window.wizard.WizardButton.NextButton))
    tap_window_at(window.header.language_buttons["es"])
    QApplication.processEvents()
    assert page.first_name.value() == "Dana"
    assert window.current_page() is page and window.switcher.language == "en"
    assert overlay.isVisible()

    visitor.tap(overlay.keep_button)
    assert not overlay.isVisible()
    assert page.first_name.input.isEnabled()
    assert focused(window) is page.first_name.input


def test_are_you_still_there_over_start_over_gives_each_back_in_turn(who_page):
    window, visitor, page = who_page
    visitor.tap("start_over_button")
    start_over = window.start_over_overlay
    press(window, Qt.Key.Key_Tab)
    in_start_over = focused(window)
    assert in_start_over in (start_over.confirm_button, start_over.keep_button)

    idle = window.idle_overlay
    idle.start()  # the visitor walked away with "Start over?" open
    QApplication.processEvents()
    assert not start_over.confirm_button.isEnabled() and not start_over.keep_button.isEnabled()
    assert tab_round(idle.card) == {"more_time_button"}

    visitor.tap(idle.more_time_button)
    assert not idle.isVisible() and start_over.isVisible()
    assert start_over.keep_button.isEnabled()
    assert focused(window) is in_start_over
    assert not page.first_name.input.isEnabled(), "Start over? still covers the page"

    visitor.tap(start_over.keep_button)
    assert focused(window) is page.first_name.input
