"""Enter (the on-screen keyboard's ↵) works for the visitor: in a one-line input it moves on to the next input in tab
order, and on the last one it presses the form's button (the wizard's Next, Save item, Check, Log in, a dialog's
confirm); a multi-line box keeps Enter for a new line; boxes for a fixed number of digits (date of birth, the last 4
digits of an account) move on by themselves once full. Each input asks for the right keyboard.

Offscreen, keys typed as Qt Test key events go where the visitor's keys go: to the input that has the focus.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from helpers import load_sample
from officer_ui_support import ADMIN, OFFICER, PASSWORD, click, log_in
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from ui.fields.text_field import DIGITS, EMAIL, PHONE, USERNAME
from ui.fields.text_field import PASSWORD as PASSWORD_HINTS
from ui.wizard.page_ids import PageId

pytestmark = pytest.mark.gui

H = Qt.InputMethodHint
WHO_ORDER_EN = ("first_name_input", "last_name_input", "date_of_birth_month_input", "date_of_birth_day_input",
                "date_of_birth_year_input", "home_line1_input", "home_line2_input", "home_city_input",
                "home_state_input", "home_zip_input", "phone_input", "email_input")


def focused(window) -> QWidget | None:
    """What has the focus in the window (the window itself need not be the active one offscreen)."""
    return window.focusWidget()


def focused_name(window) -> str:
    widget = focused(window)
    return widget.objectName() if widget is not None else ""


def press_enter(window, settle) -> None:
    QTest.keyClick(focused(window), Qt.Key.Key_Return)
    settle()


def type_keys(window, text: str, settle) -> None:
    """Type key by key into whatever has the focus, as the on-screen keyboard does."""
    for char in text:
        QTest.keyClick(focused(window), char)
    settle()


def to_who_page(visitor, category: str = "larceny") -> None:
    visitor.start()
    visitor.screening()
    visitor.category(category)


def to_what_page(visitor, config, sample: str):
    report = load_sample(sample)
    zone = config.kiosk.zone
    to_who_page(visitor, report["category"])
    visitor.about_me(report["reporter"])
    visitor.next()
    incident = report["incident"]
    start = datetime.fromisoformat(incident["occurred_from"]).astimezone(zone).replace(tzinfo=None)
    end = datetime.fromisoformat(incident["occurred_to"]).astimezone(zone).replace(tzinfo=None)
    visitor.time_frame(start, end)
    visitor.next()
    visitor.place(incident["location"], report["reporter"]["address"])
    visitor.next()
    assert visitor.window.wizard.currentId() == PageId.WHAT
    return report


# -- the wizard ------------------------------------------------------------------------------------------------------

def test_enter_goes_through_about_you_in_reading_order_and_presses_next_on_the_last(window, visitor, settle):
    report = load_sample("lost-wallet")
    to_who_page(visitor, report["category"])
    visitor.about_me(report["reporter"])
    visitor.tap("first_name_input")
    seen = [focused_name(window)]
    for _ in WHO_ORDER_EN[1:]:
        press_enter(window, settle)
        seen.append(focused_name(window))
    assert tuple(seen) == WHO_ORDER_EN
    assert window.wizard.currentId() == PageId.WHO
    press_enter(window, settle)  # in the e-mail address, the last input: Next
    assert window.wizard.currentId() == PageId.WHEN


def test_enter_on_the_last_input_of_an_empty_page_presses_next_which_shows_the_problems(window, visitor, settle):
    to_who_page(visitor)
    visitor.tap("email_input")
    press_enter(window, settle)
    who = window.current_page()
    assert window.wizard.currentId() == PageId.WHO
    assert who.first_name.error.text() == "First name is required."
    assert focused(window) is who.first_name.input


def test_a_full_date_of_birth_box_moves_on_to_the_next_in_english_order(window, visitor, settle):
    to_who_page(visitor)
    visitor.tap("date_of_birth_month_input")
    type_keys(window, "1", settle)
    assert focused_name(window) == "date_of_birth_month_input", "one digit may be all of a month"
    type_keys(window, "1", settle)
    assert focused_name(window) == "date_of_birth_day_input"
    type_keys(window, "02", settle)
    assert focused_name(window) == "date_of_birth_year_input"
    type_keys(window, "199", settle)
    assert focused_name(window) == "date_of_birth_year_input"
    type_keys(window, "5", settle)
    assert focused_name(window) == "home_line1_input"
    assert window.current_page().date_of_birth.value() == "1995-11-02"


def test_a_full_date_of_birth_box_moves_on_in_spanish_order_day_first(window, visitor, settle):
    visitor.choose_language("es")
    to_who_page(visitor)
    visitor.tap("date_of_birth_day_input")
    type_keys(window, "02", settle)
    assert focused_name(window) == "date_of_birth_month_input"
    type_keys(window, "11", settle)
    assert focused_name(window) == "date_of_birth_year_input"
    type_keys(window, "1995", settle)
    assert focused_name(window) == "home_line1_input"
    assert window.current_page().date_of_birth.value() == "1995-11-02"


def test_a_corrected_date_box_is_typed_over_after_the_box_before_it_fills(window, visitor, settle):
    to_who_page(visitor)
    visitor.type("date_of_birth_day_input", "15")
    visitor.tap("date_of_birth_month_input")
    type_keys(window, "03", settle)
    assert focused_name(window) == "date_of_birth_day_input"
    type_keys(window, "04", settle)  # the day it held is selected on arrival, so the new one replaces it
    assert window.current_page().date_of_birth.inputs["day"].text() == "04"


def test_enter_in_the_narrative_starts_a_new_line(window, visitor, config, settle):
    report = to_what_page(visitor, config, "lost-wallet")
    for item in report["items"]:
        visitor.add_item(item, choose_disposition=False)
    visitor.next()
    assert window.wizard.currentId() == PageId.HOW
    visitor.type("narrative_input", "First line")
    press_enter(window, settle)
    type_keys(window, "second line", settle)
    assert window.current_page().narrative.value() == "First line\nsecond line"
    assert window.wizard.currentId() == PageId.HOW
    assert focused_name(window) == "narrative_input"


def test_enter_goes_through_the_item_form_and_saves_the_item_on_the_last_input(window, visitor, config, settle):
    to_what_page(visitor, config, "larceny-bicycle")
    visitor.tap("add_item_button")
    visitor.tap("item_disposition_stolen_button")
    visitor.type("item_description_input", "Blue bicycle")
    seen = [focused_name(window)]
    for _ in range(4):
        press_enter(window, settle)
        seen.append(focused_name(window))
    assert seen == ["item_description_input", "item_brand_input", "item_model_input", "item_serial_number_input",
                    "item_value_input"]
    type_keys(window, "350.50", settle)
    press_enter(window, settle)  # the last input: Save item
    what = window.current_page()
    assert not what.editor.isVisible()
    assert what.items == [{"disposition": "stolen", "quantity": 1, "description": "Blue bicycle", "brand": "",
                           "model": "", "serial_number": "", "value": "350.50"}]
    assert window.wizard.currentId() == PageId.WHAT


def test_the_last_4_digits_move_on_to_the_amount_and_enter_there_saves(window, visitor, config, settle):
    to_what_page(visitor, config, "identity-theft")
    visitor.tap("add_item_button")
    visitor.type("item_description_input", "Charges I did not make")
    press_enter(window, settle)
    assert focused_name(window) == "item_institution_input"
    type_keys(window, "First Bank", settle)
    press_enter(window, settle)
    assert focused_name(window) == "item_account_last4_input"
    type_keys(window, "4821", settle)
    assert focused_name(window) == "item_value_input"
    type_keys(window, "1,250", settle)  # a US English keyboard: the comma is a thousands separator and stays one
    assert what_value(window) == "1,250"
    press_enter(window, settle)
    assert not window.current_page().editor.isVisible(), "saved: the rules read 1,250 as an amount"
    assert window.current_page().items[0]["account_last4"] == "4821"
    assert window.current_page().items[0]["value"] == "1,250"


def what_value(window) -> str:
    return window.current_page().editor.inputs["value"].value()


def test_enter_on_the_last_address_input_of_where_presses_next(window, visitor, config, settle):
    report = load_sample("lost-wallet")
    to_who_page(visitor, report["category"])
    visitor.about_me(report["reporter"])
    visitor.next()
    visitor.next()  # When: the time frame as it starts is a valid one
    assert window.wizard.currentId() == PageId.WHERE
    visitor.place(report["incident"]["location"], report["reporter"]["address"])
    visitor.tap("place_zip_input")
    press_enter(window, settle)
    assert window.wizard.currentId() == PageId.WHAT


# -- officer mode ----------------------------------------------------------------------------------------------------

def test_enter_goes_through_add_an_officer_and_confirms_on_the_last_input(qtbot, kiosk, kit, settle):
    window, controller = kiosk
    log_in(qtbot, window, controller, ADMIN)
    click(qtbot, controller.mode.admin_button)
    admin = controller.mode.admin
    click(qtbot, admin.add_button)
    dialog = admin.add_dialog
    assert QApplication.focusWidget() is dialog.username
    for text, following in (("det.rivera", dialog.display_name), ("Det. Ana Rivera", dialog.badge),
                            ("3150", dialog.password), ("lantern quietly 8 harbor", dialog.password_again)):
        qtbot.keyClicks(QApplication.focusWidget(), text)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        assert QApplication.focusWidget() is following
    qtbot.keyClicks(dialog.password_again, "lantern quietly 8 harbor")
    qtbot.keyClick(dialog.password_again, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert "det.rivera" in [account.username for account in admin.accounts]


def test_enter_in_the_duplicate_number_moves_to_what_to_do_next_and_rejects_nothing(qtbot, kit,
                                                                                    officer_mode, settle):
    tracking = kit.submit()
    original = kit.submit("lost-wallet")
    mode = officer_mode()
    view = mode.queue
    qtbot.mouseClick(view.search_edit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(view.search_edit, tracking)
    qtbot.keyClick(view.search_edit, Qt.Key.Key_Return)
    assert mode.focusWidget() is view.search_edit, "outside a form Enter only searches"
    view.apply_filter()
    rect = view.table.visualRect(view.model.index(0, 1))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    detail = mode.detail
    click(qtbot, detail.reject_button)
    dialog = detail.reject_dialog
    click(qtbot, dialog.reason_buttons["duplicate"])
    dialog.duplicate_of.clear()
    qtbot.mouseClick(dialog.duplicate_of, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.duplicate_of, original)
    qtbot.keyClick(dialog.duplicate_of, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert mode.focusWidget() is dialog.next_steps_edit
    before = dialog.next_steps_edit.toPlainText()
    qtbot.keyClick(dialog.next_steps_edit, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(dialog.next_steps_edit, Qt.Key.Key_Return)
    assert dialog.next_steps_edit.toPlainText() == before + "\n", "Enter in a multi-line box is a new line"
    assert kit.reports.get(tracking)["status"] == "in_review"


def test_enter_in_the_login_form_goes_from_username_to_password_to_log_in(qtbot, kiosk, kit):
    window, controller = kiosk
    window.officer_requested.emit()
    login = controller.login
    click(qtbot, login.notice.accept_button)
    form = login.form
    qtbot.keyClicks(form.username, OFFICER)
    qtbot.keyClick(form.username, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is form.password
    qtbot.keyClicks(form.password, PASSWORD)
    qtbot.keyClick(form.password, Qt.Key.Key_Return)
    assert controller.mode is not None and controller.mode.session.username == OFFICER


# -- which keyboard each input asks for ----------------------------------------------------------------------------

def hints(widget: QWidget) -> H:
    return widget.inputMethodHints()


def test_each_citizen_input_asks_for_its_keyboard(window, visitor, config):
    to_what_page(visitor, config, "identity-theft")
    wizard = window.wizard
    who, where, what = (wizard.page(page) for page in (PageId.WHO, PageId.WHERE, PageId.WHAT))
    for part in ("month", "day", "year"):
        assert hints(who.date_of_birth.inputs[part]) == DIGITS
    assert hints(who.address.fields["zip"].input) == DIGITS
    assert hints(where.address.fields["zip"].input) == DIGITS
    assert hints(who.phone.input) == PHONE
    assert hints(who.email.input) == EMAIL and hints(who.email.input) & H.ImhNoAutoUppercase
    last4, value = what.editor.inputs["account_last4"].input, what.editor.inputs["value"].input
    assert hints(last4) == DIGITS
    # The digit pad, never the calculator pad that ImhFormattedNumbersOnly brings.
    assert hints(value) & H.ImhDigitsOnly and not hints(value) & H.ImhFormattedNumbersOnly


def test_each_officer_password_and_username_starts_the_keyboard_in_lower_case(qtbot, kiosk, kit):
    window, controller = kiosk
    window.officer_requested.emit()
    form = controller.login.form
    assert hints(form.username) == USERNAME
    assert hints(form.password) == PASSWORD_HINTS
    log_in(qtbot, window, controller, ADMIN)
    mode = controller.mode
    admin_dialog = mode.admin.add_dialog
    passwords = [form.password, admin_dialog.password, admin_dialog.password_again, mode.password_dialog.current,
                 mode.password_dialog.password, mode.password_dialog.password_again]
    for edit in passwords:
        wanted = H.ImhHiddenText | H.ImhSensitiveData | H.ImhNoAutoUppercase | H.ImhNoPredictiveText
        assert hints(edit) & wanted == wanted, edit.objectName()
    assert hints(admin_dialog.username) & H.ImhNoAutoUppercase
