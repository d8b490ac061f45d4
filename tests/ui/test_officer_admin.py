"""Officers' administration through the screens: lock-out after five wrong logins at the login and the unlock by an
administrator, adding an officer (password problems shown while typing), disabling and enabling."""

from __future__ import annotations

import pytest
from officer_ui_support import ADMIN, OFFICER, PASSWORD, click, log_in, log_in_through, type_into
from PySide6.QtCore import Qt

pytestmark = pytest.mark.gui


def open_admin(qtbot, window, controller):
    log_in(qtbot, window, controller, ADMIN)
    mode = controller.mode
    assert mode is not None
    click(qtbot, mode.admin_button)
    assert mode.pages.currentWidget() is mode.admin
    return mode.admin


def select(qtbot, admin, username):
    row = [account.username for account in admin.accounts].index(username)
    rect = admin.table.visualRect(admin.table.model().index(row, 0))
    qtbot.mouseClick(admin.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert admin.selected_username() == username


def row_text(admin, username):
    row = [account.username for account in admin.accounts].index(username)
    return [admin.table.item(row, col).text() for col in range(admin.table.columnCount())]


def test_five_wrong_logins_lock_the_account_until_an_admin_unlocks_it(qtbot, kiosk, kit):
    window, controller = kiosk
    window.officer_requested.emit()
    login = controller.login
    for attempt in range(5):
        log_in_through(qtbot, login, OFFICER, f"not the password {attempt}")
        assert controller.mode is None
    refusal = login.form.error.text()
    log_in_through(qtbot, login, OFFICER, PASSWORD)  # the right password no longer opens it
    assert controller.mode is None and login.form.error.text() == refusal
    assert kit.officers.find(OFFICER).locked
    click(qtbot, login.form.cancel_button)

    admin = open_admin(qtbot, window, controller)
    assert row_text(admin, OFFICER)[5] == "LOCKED"
    select(qtbot, admin, OFFICER)
    assert admin.unlock_button.isEnabled()
    click(qtbot, admin.unlock_button)
    assert row_text(admin, OFFICER)[5] == "No"
    assert "account_unlocked" in kit.audit_actions()
    click(qtbot, controller.mode.lock_button)

    log_in(qtbot, window, controller, OFFICER)
    assert controller.mode is not None and controller.mode.session.username == OFFICER


def test_add_an_officer_with_the_password_rules_shown(qtbot, kiosk, kit):
    window, controller = kiosk
    admin = open_admin(qtbot, window, controller)
    click(qtbot, admin.add_button)
    dialog = admin.add_dialog
    assert dialog.isVisible()
    type_into(qtbot, dialog.username, "det.rivera")
    type_into(qtbot, dialog.display_name, "Det. Ana Rivera")
    type_into(qtbot, dialog.badge, "3150")
    type_into(qtbot, dialog.password, "short")
    error = dialog.error_label("password")
    assert error.isVisible() and "10" in error.text()  # shown while typing
    dialog.password.clear()
    type_into(qtbot, dialog.password, "det.rivera-2026!")
    assert error.isVisible()  # holds the username
    dialog.password.clear()
    type_into(qtbot, dialog.password, "lantern quietly 8 harbor")
    assert not error.isVisible()
    type_into(qtbot, dialog.password_again, "lantern quietly 8 harbour")
    click(qtbot, dialog.confirm_button)
    assert dialog.error_label("password_again").isVisible()
    dialog.password_again.clear()
    type_into(qtbot, dialog.password_again, "lantern quietly 8 harbor")
    click(qtbot, dialog.confirm_button)
    assert not dialog.isVisible()
    assert row_text(admin, "det.rivera")[:5] == ["det.rivera", "Det. Ana Rivera", "3150", "Officer", "Yes"]
    click(qtbot, controller.mode.lock_button)
    log_in(qtbot, window, controller, "det.rivera", "lantern quietly 8 harbor")
    assert controller.mode is not None and controller.mode.name_label.text() == "Det. Ana Rivera"


def test_adding_a_taken_username_is_refused_beside_the_field(qtbot, kiosk, kit):
    window, controller = kiosk
    admin = open_admin(qtbot, window, controller)
    click(qtbot, admin.add_button)
    dialog = admin.add_dialog
    good = "lantern quietly 8 harbor"
    for edit, text in ((dialog.username, OFFICER), (dialog.display_name, "Someone"), (dialog.badge, "9"),
                       (dialog.password, good), (dialog.password_again, good)):
        type_into(qtbot, edit, text)
    click(qtbot, dialog.confirm_button)
    assert dialog.isVisible() and dialog.error_label("username").isVisible()
    assert len(kit.officers.list_officers()) == 2


def test_disable_and_enable_an_officer(qtbot, kiosk, kit):
    window, controller = kiosk
    admin = open_admin(qtbot, window, controller)
    select(qtbot, admin, ADMIN)
    assert not admin.disable_button.isEnabled()  # an admin cannot lock themselves out here
    select(qtbot, admin, OFFICER)
    click(qtbot, admin.disable_button)
    assert row_text(admin, OFFICER)[4] == "No (disabled)"
    click(qtbot, controller.mode.lock_button)
    log_in(qtbot, window, controller, OFFICER)
    assert controller.mode is None and controller.login.form.error.isVisible()
    click(qtbot, controller.login.form.cancel_button)

    admin = open_admin(qtbot, window, controller)
    select(qtbot, admin, OFFICER)
    click(qtbot, admin.enable_button)
    assert row_text(admin, OFFICER)[4] == "Yes"
    click(qtbot, controller.mode.lock_button)
    log_in(qtbot, window, controller, OFFICER)
    assert controller.mode is not None
