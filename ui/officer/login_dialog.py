"""The door to officer mode: the system-use notice first, then username and password.

A page the controller puts in the kiosk window's page stack (not a separate top-level window, which a kiosk without
a window manager could stack under the full-screen window). ``logged_in(session)`` on success, ``cancelled`` on
Cancel (the controller then shows the citizen's welcome page). A refusal shows the core's one message, whatever the
cause (unknown user, wrong password, locked, disabled), and clears the password.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLineEdit, QStackedWidget, QVBoxLayout, QWidget

from kiosk.translation import N_
from ui.fields.text_field import PASSWORD, USERNAME
from ui.forms import enter_submits
from ui.officer.common import (
    button,
    label,
    line_edit,
    officer_style,
    on_language_change,
    problem_text,
    show_error_line,
    tr,
)
from ui.officer.system_use_notice import SystemUseNotice

if TYPE_CHECKING:
    from kiosk.officers import OfficerService

log = logging.getLogger(__name__)


class LoginForm(QWidget):
    submitted = Signal(str, str)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("login_form")
        card = QFrame()
        card.setObjectName("login_card")
        card.setProperty("role", "overlay_card")
        card.setMaximumWidth(720)
        self.title = label("login_title_label", N_("Officer login"), "officer_title")
        self.username_label = label("username_label", N_("Username"), "officer_field")
        self.username = line_edit("username_edit", N_("Username"))
        self.username.setInputMethodHints(USERNAME)
        self.password_label = label("password_label", N_("Password"), "officer_field")
        self.password = line_edit("password_edit", N_("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setInputMethodHints(PASSWORD)  # the keyboard starts in lower case
        self.username_label.setBuddy(self.username)
        self.password_label.setBuddy(self.password)
        self.error = label("login_error_label", "", "officer_error")
        on_language_change(self.error, lambda: self.error.setAccessibleName(tr("Login problem")))
        self.error.hide()
        self.login_button = button("login_button", N_("Log in"), "officer_primary")
        self.cancel_button = button("cancel_login_button", N_("Cancel"), "officer")
        self.login_button.clicked.connect(self._submit)
        self.cancel_button.clicked.connect(self.cancelled)
        enter_submits(self, self.login_button)  # Enter: username, then password, then Log in
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.login_button)
        inside = QVBoxLayout(card)
        inside.setContentsMargins(40, 32, 40, 32)
        inside.setSpacing(10)
        inside.addWidget(self.title)
        inside.addSpacing(8)
        inside.addWidget(self.username_label)
        inside.addWidget(self.username)
        inside.addSpacing(6)
        inside.addWidget(self.password_label)
        inside.addWidget(self.password)
        inside.addSpacing(6)
        inside.addWidget(self.error)
        inside.addSpacing(8)
        inside.addLayout(buttons)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 100)
        row.addStretch(1)
        # At the top of the screen: the on-screen keyboard, when it opens, covers the lower part.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 24, 32, 24)
        outer.addLayout(row)
        outer.addStretch(1)

    def _submit(self) -> None:
        self.submitted.emit(self.username.text().strip(), self.password.text())

    def show_error(self, text: str) -> None:
        show_error_line(self.error, text)

    def wipe(self) -> None:
        self.username.wipe()
        self.password.wipe()
        self.show_error("")


class LoginDialog(QStackedWidget):
    """The notice, then the form. ``officers`` is the core's OfficerService."""

    logged_in = Signal(object)  # OfficerSession
    cancelled = Signal()

    def __init__(self, officers: OfficerService, department: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("officer_login")
        self.setStyleSheet(officer_style())
        self._officers = officers
        self.notice = SystemUseNotice(department)
        self.form = LoginForm()
        self.addWidget(self.notice)
        self.addWidget(self.form)
        self.notice.accepted.connect(self._show_form)
        self.notice.cancelled.connect(self._cancel)
        self.form.cancelled.connect(self._cancel)
        self.form.submitted.connect(self._log_in)

    def restart(self) -> None:
        """Back to the notice with an empty form (each officer reads the notice before logging in)."""
        self.form.wipe()
        self.setCurrentWidget(self.notice)

    def focus_first(self) -> None:
        """Give the keys to the page shown: the notice's "Accept and continue" (Enter accepts), or the username."""
        if self.currentWidget() is self.notice:
            self.notice.accept_button.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.form.username.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_form(self) -> None:
        self.setCurrentWidget(self.form)
        self.form.username.setFocus(Qt.FocusReason.OtherFocusReason)

    def _cancel(self) -> None:
        self.form.wipe()
        self.cancelled.emit()

    def _log_in(self, username: str, password: str) -> None:
        from kiosk.officers import LoginRefused

        if not username or not password:
            self.form.show_error(tr("Enter your username and your password."))
            (self.form.username if not username else self.form.password).setFocus()
            return
        try:
            session = self._officers.login(username, password)
        except LoginRefused as exc:
            self.form.password.wipe()
            self.form.show_error(problem_text(exc.problem))
            self.form.password.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.form.wipe()
        self.logged_in.emit(session)
