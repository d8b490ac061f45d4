"""Officers' accounts, for administrators: the list (username, name, badge, role, active, locked), adding an officer,
disabling, enabling, unlocking and setting a new password (e.g. a forgotten one; an administrator changes their own
with the top bar's Password). Every call goes to ``OfficerService`` with the admin's session as ``by``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypedDict

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.translation import N_, Catalogues
from ui.fields.text_field import NAME, USERNAME
from ui.officer.card_dialog import CardDialog
from ui.officer.common import MIN_TOUCH, button, label, on_language_change, problem_text, show_error_line, tr
from ui.officer.password_dialogs import (
    NewPasswordValues,
    PasswordProblems,
    SetPasswordDialog,
    password_edit,
    show_password_problems,
)

if TYPE_CHECKING:
    from kiosk.officers import OfficerAccount, OfficerService, OfficerSession

COLUMNS = (N_("Username"), N_("Name"), N_("Badge"), N_("Role"), N_("Active"), N_("Locked"), N_("Language"))


class NewOfficerValues(TypedDict):
    username: str
    display_name: str
    badge_number: str
    password: str
    role: str  # "admin" or "officer"


class AddOfficerDialog(CardDialog):
    def __init__(self, parent: QWidget) -> None:
        super().__init__("add_officer_dialog", N_("Add an officer"), N_("Add the officer"), parent)
        self._password_problems: PasswordProblems = lambda _username, _password: []
        self.username = self.add_line_field("username", "new_username_edit", N_("Username"),
                                            placeholder=N_("lower case, e.g. jsmith"))
        self.username.setInputMethodHints(USERNAME)
        self.display_name = self.add_line_field("display_name", "new_display_name_edit", N_("Name"),
                                                placeholder=N_("as shown on screen, e.g. Sgt. J. Smith"))
        self.display_name.setInputMethodHints(NAME)
        self.badge = self.add_line_field("badge_number", "new_badge_edit", N_("Badge number"))
        self.badge.setInputMethodHints(Qt.InputMethodHint.ImhPreferNumbers | Qt.InputMethodHint.ImhNoPredictiveText)
        self.password = password_edit("new_password_edit", N_("Password"))
        self.add_field("password", N_("Password"), self.password,
                       N_("At least 10 characters, not the username, not a common password."))
        self.password_again = password_edit("new_password_again_edit", N_("Password again"))
        self.add_field("password_again", N_("Password again"), self.password_again)
        self.admin_box = QCheckBox()
        self.admin_box.setObjectName("new_admin_check")
        box = self.admin_box

        def apply() -> None:
            box.setText(tr("Administrator (may manage officers)"))
            box.setAccessibleName(tr("Administrator"))

        on_language_change(box, apply)
        self.admin_box.setMinimumHeight(MIN_TOUCH)
        self.add_field("role", N_("Role"), self.admin_box)
        self.password.textEdited.connect(self._check_password)

    def prepare(self, check_password: PasswordProblems) -> None:
        self._password_problems = check_password
        for edit in (self.username, self.display_name, self.badge, self.password, self.password_again):
            edit.wipe()
        self.admin_box.setChecked(False)
        self.clear_problems()

    def _check_password(self, _text: str = "") -> None:
        """The password's problems are shown while it is typed (once it is long enough to judge)."""
        problems = self._password_problems(self.username.text(), self.password.text()) if self.password.text() else []
        show_password_problems(self._field_errors["password"], problems)

    def check(self) -> dict[str, str]:
        if self.password.text() != self.password_again.text():
            return {"password_again": tr("The two passwords are not the same. Type the password again.")}
        return {}

    def values(self) -> NewOfficerValues:
        return {"username": self.username.text().strip(), "display_name": self.display_name.text().strip(),
                "badge_number": self.badge.text().strip(), "password": self.password.text(),
                "role": "admin" if self.admin_box.isChecked() else "officer"}


class OfficersAdmin(QWidget):
    back_requested = Signal()

    def __init__(self, officers: OfficerService, session: OfficerSession, parent: QWidget | None = None, *,
                 catalogues: Catalogues | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("officers_admin")
        self._catalogues = catalogues or Catalogues()
        self.accounts: list[OfficerAccount] = []
        self._officers = officers
        self._session = session
        self.back_button = button("admin_back_button", N_("‹ Back to the queue"))
        self.back_button.clicked.connect(self.back_requested)
        self.title = label("admin_title_label", N_("Officers"), "officer_title")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("officers_table")
        self.table.setProperty("role", "officer_table")
        on_language_change(self.table, self._retranslate_table)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(52)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.add_button = button("add_officer_button", N_("Add an officer"), "officer_primary")
        self.disable_button = button("disable_officer_button", N_("Disable"), "officer_danger")
        self.enable_button = button("enable_officer_button", N_("Enable"))
        self.unlock_button = button("unlock_officer_button", N_("Unlock"))
        self.set_password_button = button("set_password_button", N_("Set password"),
                                          accessible=N_("Set a new password for the selected officer"))
        self.add_button.clicked.connect(self._ask_add)
        self.disable_button.clicked.connect(lambda: self._act(self._officers.disable))
        self.enable_button.clicked.connect(lambda: self._act(self._officers.enable))
        self.unlock_button.clicked.connect(lambda: self._act(self._officers.unlock))
        self.set_password_button.clicked.connect(self._ask_set_password)
        self.error = label("admin_error_label", "", "officer_error")
        self.error.hide()
        self.status = label("admin_status_label", "", "officer_hint")
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addSpacing(16)
        top.addWidget(self.title, 1)
        top.addWidget(self.add_button)
        actions = QHBoxLayout()
        actions.addWidget(label("admin_selected_hint", N_("Selected officer:"), "officer_field", wrap=False))
        actions.addWidget(self.unlock_button)
        actions.addWidget(self.set_password_button)
        actions.addWidget(self.enable_button)
        actions.addWidget(self.disable_button)
        actions.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(20, 12, 20, 12)
        column.setSpacing(10)
        column.addLayout(top)
        column.addWidget(self.table, 1)
        column.addWidget(self.error)
        column.addWidget(self.status)
        column.addLayout(actions)
        self.add_dialog = AddOfficerDialog(self)
        self.add_dialog.submitted.connect(self._add)
        self.set_password_dialog = SetPasswordDialog(self)
        self.set_password_dialog.submitted.connect(self._set_password)

    def _retranslate_table(self) -> None:
        self.table.setAccessibleName(tr("Officers"))
        self.table.setHorizontalHeaderLabels([tr(column) for column in COLUMNS])
        if self.accounts:
            self._fill_table()

    def load(self) -> None:
        selected = self.selected_username()
        self.accounts = self._officers.list_officers()
        self._fill_table()
        if selected:
            self.select(selected)
        self._selection_changed()

    def _fill_table(self) -> None:
        self.table.setRowCount(len(self.accounts))
        for row, account in enumerate(self.accounts):
            values = (account.username, account.display_name, account.badge_number,
                      tr("Administrator") if account.role == "admin" else tr("Officer"),
                      tr("Yes") if account.active else tr("No (disabled)"),
                      tr("LOCKED") if account.locked else tr("No"),
                      self._catalogues.get(account.language).own_name if self._catalogues.has(account.language)
                      else account.language)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, account.username)
                self.table.setItem(row, column, item)

    def select(self, username: str) -> None:
        for row, account in enumerate(self.accounts):
            if account.username == username:
                self.table.selectRow(row)
                return

    def selected_username(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.accounts[rows[0].row()].username if rows and rows[0].row() < len(self.accounts) else None

    def _selected(self) -> OfficerAccount | None:
        name = self.selected_username()
        return next((a for a in self.accounts if a.username == name), None)

    def _selection_changed(self) -> None:
        account = self._selected()
        self.unlock_button.setEnabled(account is not None and account.locked)
        self.enable_button.setEnabled(account is not None and not account.active)
        self.disable_button.setEnabled(account is not None and account.active
                                       and account.username != self._session.username)
        # Their own password needs the current one: the top bar's Password, not this.
        self.set_password_button.setEnabled(account is not None and account.username != self._session.username)

    def _act(self, action: Callable[..., None]) -> None:
        from kiosk.officers import NotAllowed, OfficerError

        account = self._selected()
        if account is None:
            return
        self._show_error("")
        try:
            action(account.username, by=self._session)
        except (OfficerError, NotAllowed) as exc:
            self._show_error(problem_text(exc.problem))
            self.load()
            return
        self.status.say(N_("%1: done."), account.username)
        self.load()

    def _ask_add(self) -> None:
        self.add_dialog.prepare(self._officers.password_problems)
        self.add_dialog.open()
        self.add_dialog.username.setFocus()

    def _add(self, values: NewOfficerValues) -> None:
        from kiosk.officers import NotAllowed, OfficerError

        try:
            account = self._officers.add(values["username"], values["display_name"], values["badge_number"],
                                         values["password"], role=values["role"], by=self._session)
        except OfficerError as exc:
            self.add_dialog.show_problems(exc.problems)
            return
        except NotAllowed as exc:
            self.add_dialog.show_problems([exc.problem])
            return
        self.add_dialog.close_dialog()
        self.status.say(N_("Officer %1 added."), account.username)
        self.load()
        self.select(account.username)

    def _ask_set_password(self) -> None:
        account = self._selected()
        if account is None:
            return
        self._show_error("")
        self.set_password_dialog.prepare(account.username, self._officers.password_problems, account.display_name)
        self.set_password_dialog.open()
        self.set_password_dialog.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def _set_password(self, values: NewPasswordValues) -> None:
        from kiosk.officers import NotAllowed, OfficerError

        username = self.set_password_dialog.username
        try:
            self._officers.set_password(username, values["password"], by=self._session)
        except OfficerError as exc:
            self.set_password_dialog.show_problems(exc.problems)
            return
        except NotAllowed as exc:
            self.set_password_dialog.show_problems([exc.problem])
            return
        self.set_password_dialog.close_dialog()
        account = self._officers.find(username)
        if account is not None and account.locked:
            self.status.say(N_("New password set for %1. The account is still locked: Unlock it so the new password "
                               "can be used."), username)
        elif account is not None and not account.active:
            self.status.say(N_("New password set for %1. The account is still disabled: Enable it so the new "
                               "password can be used."), username)
        else:
            self.status.say(N_("New password set for %1."), username)
        self.load()
        self.select(username)

    def _show_error(self, text: str) -> None:
        show_error_line(self.error, text)
