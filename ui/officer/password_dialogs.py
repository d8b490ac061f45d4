"""Passwords in officer mode: **Change password** for the logged-in officer (current password, new one, the new one
again) and, on the officers' page, an administrator's **Set password** for another officer (new one, again), e.g.
when the officer forgot theirs.

The dialogs only collect the input and show the refusals beside their fields, in the core's words
(``kiosk/messages_officers.py``); the caller hands the values to ``OfficerService`` (``change_own_password`` and
``set_password``), which checks the password rules again, stores nothing on a refusal and writes the audit entry.
Password inputs are masked and emptied whenever a dialog closes; nothing typed stays in a hidden widget.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypedDict

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from kiosk.messages import Problem
from kiosk.translation import N_
from ui.fields.text_field import PASSWORD
from ui.officer.card_dialog import CardDialog, MessageCard
from ui.officer.common import line_edit, problem_text, show_error_line
from ui.widgets import KioskLineEdit

RULES_HINT = N_("At least 10 characters, not the username, not a common password. A few unrelated words work well.")

PasswordProblems = Callable[[str, str], list[Problem]]


class NewPasswordValues(TypedDict):
    password: str


class ChangePasswordValues(NewPasswordValues):
    current_password: str


def password_edit(object_name: str, accessible: str) -> KioskLineEdit:
    """A masked input whose text the on-screen keyboard neither shows, predicts nor remembers."""
    edit = line_edit(object_name, accessible)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setInputMethodHints(PASSWORD)
    return edit


def show_password_problems(error: QLabel, problems: list[Problem]) -> None:
    """A password's problems, found while it is typed, on its error line (hidden when there are none)."""
    show_error_line(error, "\n".join(problem_text(p) for p in problems))


class NewPasswordDialog(CardDialog):
    """The new password twice, its problems shown while it is typed; Enter moves on, Enter on the last confirms.
    ``submitted`` carries ``{"password": ...}`` (and what a subclass adds)."""

    def __init__(self, name: str, title: str, confirm: str, parent: QWidget, prefix: str) -> None:
        super().__init__(name, title, confirm, parent)
        self._password_problems: PasswordProblems = lambda _username, _password: []
        self.username = ""
        self.password = password_edit(f"{prefix}_new_password_edit", N_("New password"))
        self.password_again = password_edit(f"{prefix}_new_password_again_edit", N_("New password again"))
        self.password.textEdited.connect(self._check_password)
        self.inputs: dict[str, KioskLineEdit] = {"password": self.password, "password_again": self.password_again}

    def add_new_password_fields(self) -> None:
        self.add_field("password", N_("New password"), self.password, RULES_HINT)
        self.add_field("password_again", N_("New password again"), self.password_again)

    def edits(self) -> tuple[KioskLineEdit, ...]:
        return (self.password, self.password_again)

    def prepare(self, username: str, password_problems: PasswordProblems) -> None:
        self.username = username
        self._password_problems = password_problems
        self.wipe()

    def wipe(self) -> None:
        for edit in self.edits():
            edit.wipe()
        self.clear_problems()

    def close_dialog(self) -> None:
        self.wipe()
        super().close_dialog()

    def _check_password(self, _text: str = "") -> None:
        """The new password's problems are shown while it is typed (the core checks again on confirm)."""
        error = self._field_errors["password"]
        text = self.password.text()
        problems = self._password_problems(self.username, text) if text else []
        shown = error.isVisible()
        show_password_problems(error, problems)
        if shown != bool(problems):
            self._show_in_card(self.password)

    def check(self) -> dict[str, str]:
        """The two inputs must match before the core is asked; every other problem is listed with that one."""
        if self.password.text() == self.password_again.text():
            return {}
        texts = {"password_again": problem_text(Problem("password_again", "password.mismatch"))}
        problems = self._password_problems(self.username, self.password.text())
        if problems:
            texts["password"] = "\n".join(problem_text(p) for p in problems)
        return texts

    def values(self) -> NewPasswordValues:
        return {"password": self.password.text()}

    def show_texts(self, texts: dict[str, str]) -> None:
        """Each refusal beside its field; the card grows to show them, and the first field refused takes the focus."""
        super().show_texts(texts)
        first = next((field for field, error in self._field_errors.items() if not error.isHidden()), None)
        self._show_in_card(self._field_errors[first] if first is not None else self.error)
        if first in self.inputs:
            self.inputs[first].setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_in_card(self, widget: QWidget) -> None:
        if self.isVisible():
            self.open()
            self.scroll_area.ensureWidgetVisible(widget, 0, 40)


class ChangePasswordDialog(NewPasswordDialog):
    """The logged-in officer's own password: the current one first, then the new one twice."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__("change_password_dialog", N_("Change your password"), N_("Change password"), parent,
                         "change")
        self.current = password_edit("current_password_edit", N_("Current password"))
        self.add_field("current_password", N_("Current password"), self.current)
        self.add_new_password_fields()
        self.inputs["current_password"] = self.current

    def edits(self) -> tuple[KioskLineEdit, ...]:
        return (self.current, *super().edits())

    def prepare(self, username: str, password_problems: PasswordProblems) -> None:
        super().prepare(username, password_problems)
        self.subtitle.say(N_("For your account, %1. The new password is needed at your next login; the current one "
                             "stops working."), username)

    def check(self) -> dict[str, str]:
        texts = super().check()
        if texts and not self.current.text():
            texts["current_password"] = problem_text(Problem("current_password", "password.current_missing"))
        return texts

    def values(self) -> ChangePasswordValues:
        return {"current_password": self.current.text(), **super().values()}


class SetPasswordDialog(NewPasswordDialog):
    """An administrator sets a new password for another officer (the officer's current one is not needed)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__("set_password_dialog", N_("Set a new password"), N_("Set password"), parent, "set")
        self.add_new_password_fields()

    def prepare(self, username: str, password_problems: PasswordProblems, display_name: str = "") -> None:
        super().prepare(username, password_problems)
        who = f"{username} ({display_name})" if display_name else username
        self.subtitle.say(N_("For %1. Their old password stops working at once. Give them the new one in person, and "
                             "ask them to choose their own with Password in the top bar once logged in."), who)
        self.title.say(N_("Set a new password for %1"), username)


class PasswordChangedCard(MessageCard):
    """Says the password was changed, with one OK button."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, "password_changed_card", "password_changed", N_("Password changed"))

    def show_changed(self, username: str) -> None:
        self.text.say(N_("The password of %1 was changed. Use the new password the next time you log in; the old "
                         "one no longer works."), username)
        self.open()
        self.ok_button.setFocus(Qt.FocusReason.OtherFocusReason)
