"""Passwords in officer mode, through the screens: an officer changes their own password (top bar, Password), an
administrator sets a new one for another officer (Officers, Set password). Refusals beside their fields in the core's
words, nothing stored on a refusal, the change audited, and the next login through the real login form takes the new
password and refuses the old one."""

from __future__ import annotations

import pytest
from officer_ui_support import ADMIN, OFFICER, PASSWORD, click, log_in, log_in_through, type_into
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from kiosk.messages import Problem, render
from kiosk.officers import LoginRefused

pytestmark = pytest.mark.gui

NEW_PASSWORD = "lantern quietly 8 harbor"


def message(code: str) -> str:
    return render(Problem("", code), "en")


def lock(qtbot, controller):
    click(qtbot, controller.mode.lock_button)
    assert controller.mode is None


def active(qtbot, mode):
    """A mode built alone (not in the kiosk window) must be the active window for the focus checks."""
    mode.activateWindow()
    qtbot.waitUntil(mode.isActiveWindow)
    return mode


def open_change(qtbot, mode):
    click(qtbot, mode.password_button)
    dialog = mode.password_dialog
    assert dialog.isVisible()
    assert QApplication.focusWidget() is dialog.current
    return dialog


def type_change(qtbot, dialog, current, new, again=None):
    """Type into the three inputs, moving on with Enter; Enter on the last one confirms."""
    for edit, text in ((dialog.current, current), (dialog.password, new),
                       (dialog.password_again, new if again is None else again)):
        edit.wipe()
        type_into(qtbot, edit, text)
        qtbot.keyClick(edit, Qt.Key.Key_Return)


def password_entries(kit):
    return [(e.actor, e.subject) for e in reversed(kit.audit.entries(limit=1000)) if e.action == "password_changed"]


def stored_hash(kit, username):
    officer = kit.store.models.Officer
    return officer.get(officer.username == username).password_hash


def test_an_officer_changes_their_password_and_the_next_login_takes_only_the_new_one(qtbot, kiosk, kit):
    window, controller = kiosk
    log_in(qtbot, window, controller, OFFICER)
    mode = controller.mode
    assert mode.password_button.isVisible() and mode.password_button.accessibleName() == "Change my password"
    dialog = open_change(qtbot, mode)
    # Enter moves from one input to the next; the last one confirms.
    type_into(qtbot, dialog.current, PASSWORD)
    qtbot.keyClick(dialog.current, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is dialog.password
    type_into(qtbot, dialog.password, NEW_PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is dialog.password_again
    type_into(qtbot, dialog.password_again, NEW_PASSWORD)
    qtbot.keyClick(dialog.password_again, Qt.Key.Key_Return)

    assert not dialog.isVisible()
    assert all(edit.text() == "" for edit in dialog.edits()), "no password stays in a hidden input"
    card = mode.password_changed_card
    assert card.isVisible() and OFFICER in card.text.text()
    click(qtbot, card.ok_button)
    assert not card.isVisible()
    assert password_entries(kit) == [(f"officer:{OFFICER}", OFFICER)]
    assert controller.mode is mode, "changing the password does not end the session"

    lock(qtbot, controller)
    log_in(qtbot, window, controller, OFFICER, PASSWORD)
    assert controller.mode is None and controller.login.form.error.text() == message("login.refused")
    log_in_through(qtbot, controller.login, OFFICER, NEW_PASSWORD)
    assert controller.mode is not None and controller.mode.session.username == OFFICER


def test_a_wrong_current_password_is_refused_beside_it_and_counts_as_a_failed_login(qtbot, kiosk, kit):
    window, controller = kiosk
    log_in(qtbot, window, controller, OFFICER)
    before = stored_hash(kit, OFFICER)
    dialog = open_change(qtbot, controller.mode)
    type_change(qtbot, dialog, "not my password at all", NEW_PASSWORD)

    assert dialog.isVisible()
    error = dialog.error_label("current_password")
    assert error.isVisible() and error.text() == message("password.current_wrong")
    assert dialog.current.text() == "", "a refused current password is emptied, as the login does"
    assert QApplication.focusWidget() is dialog.current
    assert dialog.password.text() == NEW_PASSWORD, "the new password is kept to try again"
    assert not dialog.error_label("password").isVisible()
    assert stored_hash(kit, OFFICER) == before and password_entries(kit) == []
    assert kit.audit.entries(limit=1)[0].action == "login_failed"

    type_into(qtbot, dialog.current, PASSWORD)
    click(qtbot, dialog.confirm_button)
    assert not dialog.isVisible() and password_entries(kit) == [(f"officer:{OFFICER}", OFFICER)]


def test_the_new_password_must_follow_the_rules_and_be_typed_twice_the_same(qtbot, officer_mode, kit):
    mode = active(qtbot, officer_mode(OFFICER))
    before = stored_hash(kit, OFFICER)
    dialog = open_change(qtbot, mode)
    rules = dialog.error_label("password")

    type_into(qtbot, dialog.password, "short")  # shown while it is typed
    assert rules.isVisible() and rules.text() == render(Problem("password", "password.too_short", {"min": 10}))
    for new, code in (("password123", "password.common"), ("xx-ofc.jones-yy", "password.is_username"),
                      (PASSWORD, "password.unchanged")):
        type_change(qtbot, dialog, PASSWORD, new)
        assert dialog.isVisible() and rules.isVisible(), new
        assert message(code) in rules.text().split("\n"), new
        assert QApplication.focusWidget() is dialog.password

    type_change(qtbot, dialog, PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "!")
    again = dialog.error_label("password_again")
    assert again.isVisible() and again.text() == message("password.mismatch")
    assert not rules.isVisible()

    dialog.current.wipe()
    type_change(qtbot, dialog, "", NEW_PASSWORD)
    current = dialog.error_label("current_password")
    assert current.isVisible() and current.text() == message("password.current_missing")

    assert stored_hash(kit, OFFICER) == before and password_entries(kit) == []
    assert "login_failed" not in kit.audit_actions(), "a missing current password is not a guess"
    click(qtbot, dialog.cancel_button)
    assert not dialog.isVisible() and all(edit.text() == "" for edit in dialog.edits())
    kit.officers.login(OFFICER, PASSWORD)  # still the old password


def test_the_password_dialog_is_masked_named_and_touch_sized(qtbot, officer_mode):
    mode = officer_mode(ADMIN)
    click(qtbot, mode.password_button)
    click(qtbot, mode.password_dialog.cancel_button)  # the dialog is modal: the top bar is out of reach while open
    click(qtbot, mode.admin_button)
    dialogs = (mode.password_dialog, mode.admin.set_password_dialog)
    names = set()
    for dialog in dialogs:
        for edit in dialog.edits():
            assert edit.echoMode() == QLineEdit.EchoMode.Password, edit.objectName()
            assert edit.inputMethodHints() & Qt.InputMethodHint.ImhSensitiveData
            assert edit.accessibleName() and edit.objectName() not in names
            assert edit.minimumHeight() >= 48
            names.add(edit.objectName())
        for button in (dialog.confirm_button, dialog.cancel_button):
            assert button.minimumHeight() >= 48 and button.accessibleName()
    assert names == {"current_password_edit", "change_new_password_edit", "change_new_password_again_edit",
                     "set_new_password_edit", "set_new_password_again_edit"}
    assert mode.password_button.objectName() == "change_password_button" and mode.password_button.height() >= 48
    assert mode.admin.set_password_button.objectName() == "set_password_button"


def test_leaving_officer_mode_empties_an_open_password_dialog(qtbot, officer_mode):
    mode = active(qtbot, officer_mode(OFFICER))
    dialog = open_change(qtbot, mode)
    type_into(qtbot, dialog.current, PASSWORD)
    type_into(qtbot, dialog.password, NEW_PASSWORD)
    mode.leave("auto_locked")
    assert not dialog.isVisible() and all(edit.text() == "" for edit in dialog.edits())


# --- an administrator sets another officer's password -----------------------------------------------------------------

def open_admin(qtbot, window, controller):
    log_in(qtbot, window, controller, ADMIN)
    click(qtbot, controller.mode.admin_button)
    return controller.mode.admin


def select(qtbot, admin, username):
    row = [account.username for account in admin.accounts].index(username)
    rect = admin.table.visualRect(admin.table.model().index(row, 0))
    qtbot.mouseClick(admin.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert admin.selected_username() == username


def test_an_administrator_sets_a_forgotten_password(qtbot, kiosk, kit):
    window, controller = kiosk
    admin = open_admin(qtbot, window, controller)
    assert not admin.set_password_button.isEnabled(), "nothing selected"
    select(qtbot, admin, ADMIN)
    assert not admin.set_password_button.isEnabled(), "their own password needs the current one (top bar)"
    select(qtbot, admin, OFFICER)
    click(qtbot, admin.set_password_button)
    dialog = admin.set_password_dialog
    assert dialog.isVisible() and OFFICER in dialog.title.text() and "Ofc. Pat Jones" in dialog.subtitle.text()
    assert QApplication.focusWidget() is dialog.password
    type_into(qtbot, dialog.password, NEW_PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    type_into(qtbot, dialog.password_again, NEW_PASSWORD)
    qtbot.keyClick(dialog.password_again, Qt.Key.Key_Return)

    assert not dialog.isVisible() and all(edit.text() == "" for edit in dialog.edits())
    assert admin.status.text() == f"New password set for {OFFICER}."
    assert admin.selected_username() == OFFICER
    assert password_entries(kit) == [(f"officer:{ADMIN}", OFFICER)]

    lock(qtbot, controller)
    log_in(qtbot, window, controller, OFFICER, PASSWORD)
    assert controller.mode is None, "the forgotten password no longer works"
    log_in_through(qtbot, controller.login, OFFICER, NEW_PASSWORD)
    assert controller.mode is not None and controller.mode.session.username == OFFICER


def test_a_set_password_that_breaks_the_rules_is_refused_and_nothing_is_stored(qtbot, kiosk, kit):
    window, controller = kiosk
    admin = open_admin(qtbot, window, controller)
    select(qtbot, admin, OFFICER)
    before = stored_hash(kit, OFFICER)
    click(qtbot, admin.set_password_button)
    dialog = admin.set_password_dialog
    rules = dialog.error_label("password")
    for new, code in (("ofc.jones2026", "password.is_username"), ("qwertyuiop", "password.common")):
        dialog.wipe()
        type_into(qtbot, dialog.password, new)
        type_into(qtbot, dialog.password_again, new)
        click(qtbot, dialog.confirm_button)
        assert dialog.isVisible() and rules.isVisible() and message(code) in rules.text().split("\n"), new
    dialog.wipe()
    type_into(qtbot, dialog.password, NEW_PASSWORD)
    type_into(qtbot, dialog.password_again, "lantern quietly 8 harbour")
    click(qtbot, dialog.confirm_button)
    assert dialog.error_label("password_again").text() == message("password.mismatch")
    assert QApplication.focusWidget() is dialog.password_again
    click(qtbot, dialog.cancel_button)
    assert stored_hash(kit, OFFICER) == before and password_entries(kit) == []
    assert admin.status.text() == ""
    kit.officers.login(OFFICER, PASSWORD)


def test_setting_the_password_of_a_locked_officer_says_to_unlock_it(qtbot, kiosk, kit):
    window, controller = kiosk
    for attempt in range(5):
        with pytest.raises(LoginRefused):
            kit.officers.login(OFFICER, f"forgotten {attempt}")
    admin = open_admin(qtbot, window, controller)
    select(qtbot, admin, OFFICER)
    click(qtbot, admin.set_password_button)
    dialog = admin.set_password_dialog
    type_into(qtbot, dialog.password, NEW_PASSWORD)
    type_into(qtbot, dialog.password_again, NEW_PASSWORD)
    click(qtbot, dialog.confirm_button)
    assert "still locked" in admin.status.text()
    with pytest.raises(LoginRefused):
        kit.officers.login(OFFICER, NEW_PASSWORD)
    click(qtbot, admin.unlock_button)
    assert kit.officers.login(OFFICER, NEW_PASSWORD).username == OFFICER


def test_an_administrator_demoted_meanwhile_is_refused(qtbot, kiosk, kit):
    window, controller = kiosk
    admin = open_admin(qtbot, window, controller)
    select(qtbot, admin, OFFICER)
    kit.officers.set_role(OFFICER, "admin", by="cli:test")
    kit.officers.set_role(ADMIN, "officer", by="cli:test")  # from the CLI, while the page is open
    click(qtbot, admin.set_password_button)
    dialog = admin.set_password_dialog
    type_into(qtbot, dialog.password, NEW_PASSWORD)
    type_into(qtbot, dialog.password_again, NEW_PASSWORD)
    click(qtbot, dialog.confirm_button)
    assert dialog.isVisible() and dialog.error.text() == message("officer.not_allowed")
    assert password_entries(kit) == []
