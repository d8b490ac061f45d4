"""The Settings page of officer mode, for administrators: the settings of kiosk.toml that may be changed at the kiosk
(kiosk.settings_editor.EDITABLE), laid out from their declaration.

Each setting gets its title as a label, its help as a hint (with "Takes effect after a restart." when it does), and
an input chosen by its kind: a line edit for text and whole numbers (with the on-screen keyboard its value wants), a
row of checkable buttons for a choice (one) or a list of choices (several). **Save** sends the settings that differ
from what was loaded to :meth:`SettingsEditor.change`: a refusal is shown beside each field it names (``<key with
dots as underscores>_error``) and nothing is written; a save lists what was saved and which changes take effect
after a restart. Every text is in the officer's language (the settings' titles and help as the catalogues translate
the core's declarations).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.config import ConfigError, ConfigProblem
from kiosk.officers import NotAllowed, OfficerSession
from kiosk.settings_editor import SECTION_TITLES, EditableSetting, SettingsEditor, SettingsSaved, SettingValue
from kiosk.translation import N_
from ui.fields.text_field import DIGITS
from ui.forms import enter_submits
from ui.officer.common import (
    OfficerButton,
    button,
    label,
    line_edit,
    on_language_change,
    plain_button,
    show_error_line,
    tr,
    words,
)
from ui.officer.report_sections import language_name
from ui.page_holder import PageHolder
from ui.widgets import KioskLineEdit

log = logging.getLogger(__name__)

_H = Qt.InputMethodHint
# The on-screen keyboard for each kind of input (ui/fields/text_field.py): the digit pad for whole numbers; for a
# phone number the symbols page, which has the digits and "(", ")", "-" that the dial pad lacks; for a printer's
# queue name letters without a capital first.
KEYBOARD_HINTS = {
    "digits": DIGITS,
    "phone": _H.ImhPreferNumbers | _H.ImhNoPredictiveText,
    "plain": _H.ImhNoAutoUppercase | _H.ImhNoPredictiveText,
}
CHOICE_NAMES: dict[str, str] = {"80mm": N_("80 mm receipt roll"), "letter": N_("Letter paper")}
RESTART_NOTE = N_("Takes effect after a restart.")


def object_key(key: str) -> str:
    """A dotted key as the start of an object name: ``kiosk.idle_timeout_seconds`` → ``kiosk_idle_timeout_seconds``."""
    return key.replace(".", "_")


class SettingRow(QWidget):
    """One setting: its title, its help, its input and the line that says why a value was refused."""

    def __init__(self, setting: EditableSetting, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setting = setting
        name = object_key(setting.key)
        self.setObjectName(f"{name}_row")
        self.title = label(f"{name}_label", setting.title, "officer_field")

        def help_text() -> str:
            return f"{tr(setting.help)} {tr(RESTART_NOTE)}" if setting.restart else tr(setting.help)

        self.hint = label(f"{name}_hint", "", "officer_hint")
        self.hint.say("%1", help_text)
        self.error = label(f"{name}_error", "", "officer_error")
        on_language_change(self.error, lambda: self.error.setAccessibleName(words(N_("%1: problem"),
                                                                                  tr(setting.title))))
        self.error.hide()
        self.edit: KioskLineEdit | None = None
        self.buttons: dict[str, QPushButton] = {}
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 4, 0, 4)
        column.setSpacing(4)
        column.addWidget(self.title)
        column.addWidget(self.hint)
        if setting.kind in ("text", "whole_number"):
            edit = self.edit = line_edit(f"{name}_edit", setting.title,
                                         N_("Empty: none") if setting.default == "" else "")
            self.edit.setInputMethodHints(KEYBOARD_HINTS[setting.keyboard])
            on_language_change(edit, lambda: edit.setAccessibleDescription(help_text()))
            self.edit.setMaximumWidth(560)
            self.title.setBuddy(self.edit)
            column.addWidget(self.edit)
        else:
            choices = QWidget()
            choices.setObjectName(f"{name}_choices")
            on_language_change(choices, lambda: choices.setAccessibleName(tr(setting.title)))
            row = QHBoxLayout(choices)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(10)
            self.group = QButtonGroup(self)
            self.group.setExclusive(setting.kind == "choice")
            for value in setting.choices:
                choice = plain_button(f"{name}_{value.lower()}_button", "", "officer_choice", accessible="")

                def shown(value: str = value) -> str:
                    return tr(CHOICE_NAMES[value]) if value in CHOICE_NAMES else language_name(value)

                def apply(choice: OfficerButton = choice, shown: Callable[[], str] = shown) -> None:
                    choice.say("%1", shown, accessible="%1: %2", accessible_values=(lambda: tr(setting.title), shown))
                    choice.setAccessibleDescription(help_text())

                on_language_change(choice, apply)
                choice.setCheckable(True)
                self.group.addButton(choice)
                self.buttons[value] = choice
                row.addWidget(choice)
            row.addStretch(1)
            column.addWidget(choices)
        column.addWidget(self.error)

    def show_value(self, value: object) -> None:
        if self.edit is not None:
            self.edit.setText("" if value is None else str(value))
            return
        chosen = set(value) if isinstance(value, list | tuple) else {value}
        for choice, widget in self.buttons.items():
            widget.setChecked(choice in chosen)

    def value(self) -> SettingValue | None:
        """What the input holds, as the value to check (a list for several choices; None when no choice is made)."""
        if self.edit is not None:
            return self.setting.value_from_text(self.edit.text())
        chosen = [choice for choice, widget in self.buttons.items() if widget.isChecked()]
        if self.setting.kind == "choices":
            return chosen
        return chosen[0] if chosen else None

    def show_problem(self, message: str) -> None:
        show_error_line(self.error, message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")
                        if message else "")


class SettingsPage(QWidget):
    """``editor``: the kiosk's settings (kiosk.settings_editor.SettingsEditor); ``session``: the administrator's."""

    back_requested = Signal()

    def __init__(self, editor: SettingsEditor, session: OfficerSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settings_page")
        self._editor = editor
        self._session = session
        self._loaded: Mapping[str, object] = {}
        self.back_button = button("settings_back_button", N_("‹ Back to the queue"))
        self.back_button.clicked.connect(self.back_requested)
        self.title = label("settings_title_label", N_("Settings"), "officer_title")
        self.save_button = button("save_settings_button", N_("Save"), "officer_primary",
                                  accessible=N_("Save the settings"))
        self.save_button.clicked.connect(self.save)
        self.intro = label("settings_intro_label", "", "officer_hint")
        self.intro.say(N_("What is saved goes into %1 in the kiosk's data folder, after the same checks the kiosk "
                          "makes when it starts, and is recorded in the audit log."), editor.path.name)
        self.saved = label("settings_saved_label", "", "officer_success")
        self.saved.hide()
        self.error = label("settings_error_label", "", "officer_error")
        self.error.hide()

        body = QWidget()
        body.setObjectName("settings_form")
        form = QVBoxLayout(body)
        form.setContentsMargins(0, 0, 16, 16)
        form.setSpacing(8)
        self.rows: dict[str, SettingRow] = {}
        section = None
        for setting in editor.fields():
            if setting.section != section:
                section = setting.section
                form.addWidget(label(f"settings_{section}_heading", SECTION_TITLES.get(section, section),
                                     "officer_heading"))
            row = SettingRow(setting)
            self.rows[setting.key] = row
            form.addWidget(row)
        form.addStretch(1)
        enter_submits(body, self.save_button)  # Enter moves on to the next input; on the last one it saves
        self.scroll_area = PageHolder(body)
        # It takes the focus (the arrow keys scroll it): a screen reader names it.
        on_language_change(self.scroll_area, lambda: self.scroll_area.setAccessibleName(tr("Kiosk settings")))

        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addSpacing(16)
        top.addWidget(self.title, 1)
        top.addWidget(self.save_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(20, 12, 20, 12)
        column.setSpacing(10)
        column.addLayout(top)
        column.addWidget(self.intro)
        column.addWidget(self.saved)
        column.addWidget(self.error)
        column.addWidget(self.scroll_area, 1)

    def load(self) -> None:
        """Show the values in the file now, and forget refusals and messages shown before."""
        self._show_error("")
        self.saved.hide()
        for row in self.rows.values():
            row.show_problem("")
        try:
            self._loaded = self._editor.current()
        except ConfigError as exc:
            self._loaded = {}
            self._show_error(words(N_("The settings cannot be shown: %1"), str(exc)))
            self.save_button.setEnabled(False)
            return
        self.save_button.setEnabled(True)
        for key, row in self.rows.items():
            row.show_value(self._loaded.get(key))
        self.scroll_area.scroll_to_top()

    def save(self) -> None:
        changes = {key: row.value() for key, row in self.rows.items() if row.value() != self._loaded.get(key)}
        for row in self.rows.values():
            row.show_problem("")
        self._show_error("")
        self.saved.hide()
        if not changes:
            self._show_saved(tr("Nothing to save: no setting was changed."))
            return
        try:
            result = self._editor.change(self._session, changes)
        except NotAllowed:
            self._show_error(tr("Not saved: only an administrator may change the settings."))
            return
        except ConfigError as exc:
            self._show_problems(exc.problems)
            return
        except Exception:
            log.exception("saving the settings failed")
            self._show_error(tr("Not saved: the settings file or the audit log could not be written. Nothing was "
                                "changed; try again, and if it keeps failing see the kiosk's log."))
            return
        self.load()
        self._show_saved(self._saved_text(result))

    def _saved_text(self, result: SettingsSaved) -> str:
        if not result.changed:
            return tr("Nothing to save: no setting was changed.")
        lines = [tr("Saved:")]
        for key in result.changed:
            title = tr(self.rows[key].setting.title)
            lines.append("• " + words(N_("%1: takes effect after a restart"), title) if key in result.needs_restart
                         else f"• {title}")
        return "\n".join(lines)

    def _show_problems(self, problems: list[ConfigProblem]) -> None:
        others = []
        first = None
        for problem in problems:
            row = self.rows.get(problem.key)
            if row is None:
                others.append(str(problem))
                continue
            row.show_problem(problem.message)
            first = first or row
        text = tr("Not saved: correct what is marked below.")
        if others:
            text = (words(N_("Not saved. The settings file has other problems, to correct in the file itself: %1"),
                          "; ".join(others)) if first else words(N_("Not saved. %1"), "; ".join(others)))
        self._show_error(text)
        if first is not None:
            self.scroll_area.ensureWidgetVisible(first, 0, 24)

    def _show_error(self, text: str) -> None:
        show_error_line(self.error, text)

    def _show_saved(self, text: str) -> None:
        self.saved.setText(text)
        self.saved.setVisible(bool(text))

    def field_widgets(self) -> list[QWidget]:
        """Every input of the page (line edits and choice buttons), in order."""
        widgets: list[QWidget] = []
        for row in self.rows.values():
            widgets.extend([row.edit] if row.edit is not None else row.buttons.values())
        return widgets

