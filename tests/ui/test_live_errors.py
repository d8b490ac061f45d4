"""Errors follow the visitor's corrections: a problem shown under a field is updated or removed a moment after the
field is changed (without Next, without moving the focus), and a field that shows nothing is not told off before
Next. The jurisdiction refusal is said once, at the address block's full width. The officer's decision dialogs and
"Check a report" do the same. The focus stays where the visitor is after a language switch, goes to the edited page's
first field after Review → Edit, and a focused switch never looks switched on."""

from __future__ import annotations

import pytest
from officer_ui_support import click, type_into
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from ui.walkthrough import Visitor
from ui.wizard.page_ids import PageId

pytestmark = pytest.mark.gui

WAIT_MS = 3000  # the live check runs ~300 ms after the last change; generous for a busy machine
HOME = {"first_name": "Dana", "last_name": "Whitfield", "date_of_birth": "1979-06-14",
        "address": {"line1": "41 Farmington Ave", "city": "Hartford", "state": "CT", "zip": "06105"},
        "phone": "", "email": "dana@example.org", "contact_preference": "email"}
OUTSIDE = {"place_type": "street", "line1": "1 Main St", "city": "West Hartford", "state": "CT", "zip": "06107"}
NOT_IN_CITY = "This place is not in Hartford"


def activate(window: QWidget) -> None:
    window.activateWindow()
    QTest.qWaitForWindowActive(window, 2000)


def focused(window: QWidget) -> QWidget | None:
    return QApplication.focusWidget() or window.focusWidget()


def to_who_page(visitor: Visitor) -> None:
    visitor.start()
    activate(visitor.window)  # building the wizard on first use leaves the offscreen window inactive
    visitor.screening()
    visitor.category("larceny")


def visible_texts(page: QWidget) -> list[str]:
    return [label.text() for label in page.findChildren(QLabel) if label.isVisible() and label.text()]


# -- the wizard's pages ------------------------------------------------------------------------------------------------


def test_a_corrected_field_loses_its_problem_without_next_and_keeps_the_focus(window, visitor, qtbot):
    to_who_page(visitor)
    visitor.next()
    who = window.current_page()
    assert who.first_name.error.text() == "First name is required."
    visitor.type("first_name_input", "Marta")

    qtbot.waitUntil(lambda: not who.first_name.error.isVisible(), timeout=WAIT_MS)
    assert who.first_name.input.property("invalid") is False
    assert who.last_name.error.isVisible(), "a field not corrected keeps its problem"
    assert focused(window) is who.first_name.input
    assert window.wizard.currentId() == PageId.WHO


def test_a_changed_problem_is_updated_and_fields_without_one_stay_quiet(window, visitor, qtbot):
    to_who_page(visitor)
    visitor.type("email_input", "not-an-address")
    qtbot.wait(600)
    who = window.current_page()
    assert not who.email.error.isVisible(), "no problem before Next"

    visitor.type("email_input", "dana@example.org", replace=True)
    visitor.next()
    assert who.first_name.error.text() == "First name is required."
    visitor.type("first_name_input", "M4")
    qtbot.waitUntil(lambda: "only letters" in who.first_name.error.text(), timeout=WAIT_MS)
    assert who.first_name.error.isVisible()

    visitor.type("email_input", "dana@", replace=True)  # it showed no problem: it gets none before Next
    qtbot.wait(600)
    assert not who.email.error.isVisible()
    assert focused(window) is who.email.input


@pytest.mark.parametrize(("size", "large"), [((1280, 800), False), ((800, 800), False), ((800, 800), True)])
def test_the_jurisdiction_problem_is_said_once_at_full_width(window, visitor, qtbot, size, large):
    window.resize(*size)
    if large:
        window.header.large_text_button.click()
    to_who_page(visitor)
    visitor.about_me(HOME)
    visitor.next()
    visitor.next()  # the time frame: now
    visitor.place(OUTSIDE)
    visitor.next()
    where = window.current_page()
    assert window.wizard.currentId() == PageId.WHERE

    shown = where.findChild(QLabel, "place_address_error")
    assert shown.isVisible() and shown.text().startswith(NOT_IN_CITY)
    assert sum(text.count(NOT_IN_CITY) for text in visible_texts(where)) == 1
    for key in ("city", "zip"):
        assert not where.findChild(QLabel, f"place_{key}_error").isVisible()
        assert where.findChild(QWidget, f"place_{key}_input").property("invalid") is True
    assert not where.findChild(QWidget, "place_state_input").property("invalid")
    # As wide as the address block, wrapped at that width, never cut.
    line1 = where.findChild(QWidget, "place_line1_field")
    assert shown.width() >= line1.width() - 40
    assert shown.height() >= shown.heightForWidth(shown.width())
    # Five lines at most (large text at 800 px, beside a scroll bar); squeezed beside the ZIP box it took nine.
    assert shown.heightForWidth(shown.width()) < 6 * shown.fontMetrics().lineSpacing()
    viewport = where.holder.viewport()
    top = shown.mapTo(viewport, QPoint(0, 0)).y()
    assert 0 <= top and top + shown.height() <= viewport.height(), "the problem is scrolled into view"

    visitor.type("place_city_input", "Hartford", replace=True)
    qtbot.waitUntil(lambda: where.findChild(QWidget, "place_city_input").property("invalid") is False,
                    timeout=WAIT_MS)
    assert shown.isVisible() and shown.text().startswith(NOT_IN_CITY), "the ZIP code is still outside"
    visitor.type("place_zip_input", "06105", replace=True)
    qtbot.waitUntil(lambda: not shown.isVisible(), timeout=WAIT_MS)


# -- focus after a language switch and after Review → Edit -------------------------------------------------------------


def test_a_language_switch_leaves_the_focus_where_it_was(window, visitor):
    to_who_page(visitor)
    visitor.type("first_name_input", "Marta")
    who = window.current_page()
    assert focused(window) is who.first_name.input
    visitor.choose_language("es")
    assert who.first_name.label.text() == "Nombre"
    assert focused(window) is who.first_name.input
    visitor.choose_language("en")
    assert focused(window) is who.first_name.input
    assert not window.header.large_text_button.hasFocus()


def test_edit_on_the_review_page_focuses_the_edited_pages_first_field(window, visitor):
    to_who_page(visitor)
    visitor.about_me(HOME)
    visitor.next()
    visitor.next()
    visitor.place({**OUTSIDE, "city": "Hartford", "zip": "06105", "place_type": "residence"})
    visitor.next()
    visitor.add_item({"disposition": "stolen", "description": "Bicycle", "quantity": 1, "value": "300"},
                     choose_disposition=True)
    visitor.next()
    visitor.narrative("My bicycle was taken from the rack behind my building overnight.")
    visitor.next()
    assert window.wizard.currentId() == PageId.REVIEW

    visitor.tap("review_who_edit_button")
    who = window.current_page()
    assert window.wizard.currentId() == PageId.WHO
    assert focused(window) is who.first_name.input
    visitor.next()
    assert window.wizard.currentId() == PageId.REVIEW

    visitor.tap("review_how_edit_button")
    assert focused(window) is window.current_page().findChild(QWidget, "narrative_input")
    assert not window.header.large_text_button.hasFocus()


# -- a focused switch does not look switched on ------------------------------------------------------------------------


def fill(button: QWidget) -> QColor:
    """The colour inside the button, away from its border and its words."""
    image = button.grab().toImage()
    return image.pixelColor(10, button.height() // 2)


@pytest.mark.parametrize("contrast", [False, True])
def test_a_focused_switch_keeps_the_fill_of_its_state(window, visitor, contrast):
    header = window.header
    if contrast:
        header.high_contrast_button.click()
    activate(window)
    toggle = header.large_text_button
    assert not toggle.isChecked()
    off = fill(toggle)
    toggle.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    assert toggle.hasFocus()
    assert fill(toggle) == off, "a focused switch that is off looks off"

    language = header.language_buttons["en"]
    assert language.isChecked()
    on = fill(language)
    language.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    assert fill(language) == on, "a focused language that is in use looks in use"
    assert on != off


# -- officer dialogs ---------------------------------------------------------------------------------------------------


def open_dialog(qtbot, kit, officer_mode, which: str):
    mode = officer_mode()
    mode.open_report(kit.submit())
    click(qtbot, getattr(mode.detail, f"{which}_button"))
    return getattr(mode.detail, f"{which}_dialog")


def test_the_question_error_goes_once_the_question_is_written(qtbot, kit, officer_mode):
    dialog = open_dialog(qtbot, kit, officer_mode, "request_info")
    click(qtbot, dialog.confirm_button)
    error = dialog.findChild(QLabel, "question_edit_error")
    assert error.isVisible()
    type_into(qtbot, dialog.question, "What colour is the frame?")
    qtbot.waitUntil(lambda: not error.isVisible(), timeout=WAIT_MS)
    assert dialog.isVisible() and dialog.question.hasFocus()


def test_the_reject_reason_error_goes_when_a_reason_is_chosen(qtbot, kit, officer_mode):
    dialog = open_dialog(qtbot, kit, officer_mode, "reject")
    click(qtbot, dialog.confirm_button)
    reason_error = dialog.findChild(QLabel, "reject_reasons_error")
    assert reason_error.isVisible()
    click(qtbot, dialog.reason_buttons["other"])
    qtbot.waitUntil(lambda: not reason_error.isVisible(), timeout=WAIT_MS)
    qtbot.wait(400)
    assert not dialog.findChild(QLabel, "other_reason_edit_error").isVisible(), "no error before confirm"


# -- Check a report ----------------------------------------------------------------------------------------------------


@pytest.fixture
def check_page(make_window, qtbot):
    window = make_window(check_reports=True)
    qtbot.mouseClick(window.welcome_page.check_button, Qt.MouseButton.LeftButton)
    return window.lookup_flow.check_page


def check(qtbot, page, tracking: str, code: str) -> None:
    for field, text in ((page.tracking, tracking), (page.access_code, code)):
        field.input.setFocus()
        field.input.selectAll()
        qtbot.keyClicks(field.input, text)
    qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)


def test_a_corrected_tracking_number_loses_its_problem(check_page, qtbot):
    page = check_page
    check(qtbot, page, "T26-01-00001-9", "K7QM-2XHD")
    assert page.tracking.error.text().startswith("This tracking number has a typing mistake")
    qtbot.keyClick(page.tracking.input, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: not page.tracking.error.isVisible(), timeout=WAIT_MS)


def test_a_mismatch_goes_when_either_number_is_changed(check_page, reports, qtbot):
    from helpers import load_sample

    receipt = reports.submit(load_sample("larceny-bicycle"))
    page = check_page
    check(qtbot, page, receipt.tracking_number, "ZZZZ-ZZZZ")
    assert page.access_code.error.isVisible()
    qtbot.keyClick(page.tracking.input, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: not page.access_code.error.isVisible(), timeout=WAIT_MS)
