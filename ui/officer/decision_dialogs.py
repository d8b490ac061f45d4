"""The decision dialogs (approve, request more information, reject) and a plain message card, as overlays over
officer mode. Each dialog only collects the officer's input; the detail view calls the core and hands any refusal
back with :meth:`DecisionDialog.show_problems`, which puts each problem beside its field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from kiosk.messages import render
from ui.forms import enter_submits
from ui.officer.common import OfficerOverlay, button, label, line_edit
from ui.widgets import KioskTextEdit

# Errors already shown are checked again this long after the officer stops changing a field.
LIVE_CHECK_MS = 300

REASON_NAMES = {
    "duplicate": "Duplicate report",
    "wrong_offense_type": "Wrong offense type",
    "outside_city": "Outside the city",
    "suspect_or_evidence": "Suspect or evidence exists",
    "not_eligible": "Not eligible for the kiosk",
    "other": "Other reason",
}


def text_box(object_name: str, accessible: str, lines: int = 3) -> KioskTextEdit:
    box = KioskTextEdit(object_name)
    box.setAccessibleName(accessible)
    box.setFixedHeight(34 * lines + 20)
    return box


class DecisionDialog(OfficerOverlay):
    """Title, fields, a general error line and Cancel / confirm. ``submitted(values)`` fires on confirm.

    With ``live_check``, the errors shown beside the fields follow the officer's corrections: a moment after a field
    changes, :meth:`check` runs again and each error shown is updated, or removed once its field was changed and
    passes (an error the core gave is removed when its field is changed: the core checks again on confirm). A field
    that shows no error gets none before confirm.
    """

    submitted = Signal(dict)
    live_check = False

    def __init__(self, name: str, title: str, confirm: str, parent: QWidget, *, confirm_role: str = "officer_primary"):
        super().__init__(name, parent)
        self.title = label(f"{name}_title_label", title, "officer_title")
        self.subtitle = label(f"{name}_subtitle_label", "", "officer_body")
        self.body_layout.addWidget(self.title)
        self.body_layout.addWidget(self.subtitle)
        self.fields = QWidget()
        self.fields_layout = self._column(self.fields)
        self.body_layout.addWidget(self.fields)
        self.error = label(f"{name}_error_label", "", "officer_error")
        self.error.hide()
        self.body_layout.addWidget(self.error)
        self.cancel_button = button(f"{name}_cancel_button", "Cancel", "officer")
        self.confirm_button = button(f"{name}_confirm_button", confirm, confirm_role)
        self.cancel_button.clicked.connect(self.close_dialog)
        self.confirm_button.clicked.connect(self._confirm)
        enter_submits(self, self.confirm_button)  # Enter in a one-line input moves on; in the last one, confirm
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.confirm_button)
        self.card_layout.addLayout(buttons)
        self._field_errors: dict[str, QLabel] = {}
        self._changed: set[str] = set()  # fields changed since their errors were shown
        self._live_timer = QTimer(self)
        self._live_timer.setSingleShot(True)
        self._live_timer.setInterval(LIVE_CHECK_MS)
        self._live_timer.timeout.connect(self._check_shown_errors)

    @staticmethod
    def _column(widget: QWidget) -> Any:
        from PySide6.QtWidgets import QVBoxLayout

        layout = QVBoxLayout(widget)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        return layout

    def add_field(self, field: str, caption: str, widget: QWidget, hint: str = "") -> QLabel:
        """A caption, an optional hint, the input and the input's error line (hidden until there is one)."""
        caption_label = label(f"{widget.objectName()}_label", caption, "officer_field")
        caption_label.setBuddy(widget)
        self.fields_layout.addWidget(caption_label)
        if hint:
            self.fields_layout.addWidget(label(f"{widget.objectName()}_hint", hint, "officer_hint"))
        self.fields_layout.addWidget(widget)
        error = label(f"{widget.objectName()}_error", "", "officer_error")
        error.hide()
        self.fields_layout.addWidget(error)
        self._field_errors[field] = error
        if self.live_check:
            self._watch(field, widget)
        return caption_label

    def _watch(self, field: str, widget: QWidget) -> None:
        for editor in (widget, *widget.findChildren(QWidget)):
            if isinstance(editor, (QLineEdit, QPlainTextEdit)):
                editor.textChanged.connect(lambda *_args, f=field: self._field_changed(f))
            elif isinstance(editor, QAbstractButton) and editor.isCheckable():
                editor.toggled.connect(lambda *_args, f=field: self._field_changed(f))

    def _field_changed(self, field: str) -> None:
        if any(not error.isHidden() for error in self._field_errors.values()):
            self._changed.add(field)
            self._live_timer.start()  # restarted by each change: one check once the officer pauses

    def _check_shown_errors(self) -> None:
        now = self.check()
        for field, error in self._field_errors.items():
            if error.isHidden():
                continue
            if field in now:
                error.setText(now[field])
            elif field in self._changed:
                error.setText("")
                error.hide()
        self._changed.clear()

    def values(self) -> dict[str, Any]:
        raise NotImplementedError

    def open(self) -> None:
        self.subtitle.setVisible(bool(self.subtitle.text()))
        super().open()

    def _confirm(self) -> None:
        self.clear_problems()
        local = self.check()
        if local:
            self.show_texts(local)
            return
        self.submitted.emit(self.values())

    def check(self) -> dict[str, str]:
        """Problems found before asking the core (field -> text); the core checks again."""
        return {}

    def show_problems(self, problems: list[Any]) -> None:
        texts: dict[str, str] = {}
        for problem in problems:
            text = render(problem, "en")
            texts[problem.field] = f"{texts[problem.field]}\n{text}" if problem.field in texts else text
        self.show_texts(texts)

    def show_texts(self, texts: dict[str, str]) -> None:
        self._changed.clear()
        general = []
        for field, text in texts.items():
            target = self._field_errors.get(field)
            if target is None:
                general.append(text)
            else:
                target.setText(text)
                target.show()
        self.error.setText("\n".join(general))
        self.error.setVisible(bool(general))

    def clear_problems(self) -> None:
        for target in (*self._field_errors.values(), self.error):
            target.setText("")
            target.hide()

    def close_dialog(self) -> None:
        self.clear_problems()
        self.hide()


class ApproveDialog(DecisionDialog):
    """``number_from_server``: a department server is configured, so the official number comes from it (after the
    next sync), not from the kiosk."""

    live_check = True

    def __init__(self, parent: QWidget, *, number_from_server: bool = False) -> None:
        super().__init__("approve_dialog", "Approve this report", "Approve", parent)
        self.number_from_server = number_from_server
        self.nibrs_label = label("approve_nibrs_label", "", "officer_value")
        self.add_field("nibrs_code", "NIBRS offense code", self.nibrs_label)
        self.message = text_box("approve_message_edit", "Message (optional)", 2)
        self.add_field("message", "Message to the file (optional)", self.message)
        self._code = ""

    def prepare(self, tracking_number: str, code: str, title: str) -> None:
        self._code = code
        if self.number_from_server:
            self.subtitle.setText(f"{tracking_number} gets its official report number from the department server "
                                  "at the next sync (\"official number pending\" until then). The citizen is told "
                                  "by e-mail once it has come (or, without one, must be called).")
        else:
            self.subtitle.setText(f"{tracking_number} gets its official report number now. The citizen is told by "
                                  "e-mail (or, without one, must be called).")
        self.nibrs_label.setText(f"{code} — {title}" if title else code)
        self.message.wipe()
        self.clear_problems()

    def values(self) -> dict[str, Any]:
        return {"nibrs_code": self._code, "message": self.message.toPlainText().strip()}


class RequestInfoDialog(DecisionDialog):
    live_check = True

    def __init__(self, parent: QWidget) -> None:
        super().__init__("request_info_dialog", "Request more information", "Send the request", parent)
        self.question = text_box("question_edit", "Question to the citizen", 4)
        self.add_field("question", "Question to the citizen (required)", self.question,
                       "Sent in the citizen's e-mail, and shown when they check the report at the kiosk.")
        self.phone_note = text_box("phone_note_edit", "Note of a phone call (optional)", 2)
        self.add_field("phone_note", "Note of a phone call (optional)", self.phone_note,
                       "If you phoned the citizen: when, and what was said.")

    def prepare(self, tracking_number: str) -> None:
        self.subtitle.setText(f"Report {tracking_number} waits for the citizen's answer.")
        self.question.wipe()
        self.phone_note.wipe()
        self.clear_problems()

    def check(self) -> dict[str, str]:
        if not self.question.toPlainText().strip():
            return {"question": "Write the question to the citizen."}
        return {}

    def values(self) -> dict[str, Any]:
        return {"question": self.question.toPlainText().strip(), "phone_note": self.phone_note.toPlainText().strip()}


class RejectDialog(DecisionDialog):
    """One reason from REJECT_REASONS as large choices; duplicate asks for the original's tracking number, other for
    the reason in words; "what to do next" is prefilled for the reason (in the report's language) and editable."""

    live_check = True

    def __init__(self, parent: QWidget, reasons: tuple[str, ...], next_steps: Callable[[str, str], str]) -> None:
        super().__init__("reject_dialog", "Reject this report", "Reject", parent, confirm_role="officer_danger")
        self._next_steps = next_steps
        self._language = "en"
        self._prefilled = ""
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.reason_buttons: dict[str, Any] = {}
        choices = QWidget()
        choices.setObjectName("reject_reasons")
        grid = QGridLayout(choices)  # two columns: the fields for the chosen reason stay in view below
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        for position, reason in enumerate(reasons):
            choice = button(f"reason_{reason}_button", REASON_NAMES.get(reason, reason), "officer_choice")
            choice.setCheckable(True)
            choice.setProperty("reason", reason)
            self.group.addButton(choice)
            grid.addWidget(choice, position // 2, position % 2)
            self.reason_buttons[reason] = choice
        self.group.buttonToggled.connect(self._reason_changed)
        self.add_field("reason", "Reason", choices)
        self.duplicate_of = line_edit("duplicate_of_edit", "Tracking number of the original report", "T26-01-...")
        self.duplicate_caption = self.add_field("duplicate_of", "Tracking number of the original report",
                                                self.duplicate_of)
        self.other_text = text_box("other_reason_edit", "The reason, in your words", 2)
        self.other_caption = self.add_field("message", "The reason, in your words", self.other_text)
        self.next_steps_edit = text_box("next_steps_edit", "What the citizen should do next", 4)
        self.next_steps_caption = self.add_field("next_steps", "What the citizen should do next", self.next_steps_edit,
                                                 "Sent to the citizen in their language; edit it if needed.")
        self._show_reason_fields("")

    def prepare(self, tracking_number: str, language: str, duplicate_hint: str = "") -> None:
        self._language = language
        self.subtitle.setText(f"Report {tracking_number}. The citizen is told the reason and what to do next.")
        self.group.setExclusive(False)
        for choice in self.reason_buttons.values():
            choice.setChecked(False)
        self.group.setExclusive(True)
        self.duplicate_of.setText(duplicate_hint)
        self.other_text.wipe()
        self.next_steps_edit.wipe()
        self._prefilled = ""
        self._show_reason_fields("")
        self.clear_problems()

    def reason(self) -> str:
        checked = self.group.checkedButton()
        return "" if checked is None else str(checked.property("reason"))

    def choose(self, reason: str) -> None:
        self.reason_buttons[reason].click()

    def _reason_changed(self, choice: Any, checked: bool) -> None:
        if not checked:
            return
        reason = str(choice.property("reason"))
        self._show_reason_fields(reason)
        current = self.next_steps_edit.toPlainText()
        if not current.strip() or current == self._prefilled:  # never overwrite what the officer wrote
            self._prefilled = self._next_steps(reason, self._language)
            self.next_steps_edit.setPlainText(self._prefilled)

    def _show_reason_fields(self, reason: str) -> None:
        for widget, wanted in ((self.duplicate_of, "duplicate"), (self.duplicate_caption, "duplicate"),
                               (self.other_text, "other"), (self.other_caption, "other")):
            widget.setVisible(reason == wanted)
        for widget in (self.next_steps_edit, self.next_steps_caption):
            widget.setVisible(bool(reason))
        if self.isVisible():
            self.open()  # fit the card to the fields now shown
            shown = {"duplicate": self.duplicate_of, "other": self.other_text}.get(reason, self.next_steps_edit)
            self.scroll.ensureWidgetVisible(shown, 0, 40)

    def check(self) -> dict[str, str]:
        reason = self.reason()
        if not reason:
            return {"reason": "Choose the reason for rejecting the report."}
        if reason == "duplicate" and not self.duplicate_of.text().strip():
            return {"duplicate_of": "Enter the tracking number of the original report."}
        if reason == "other" and not self.other_text.toPlainText().strip():
            return {"message": "Write the reason for rejecting the report."}
        return {}

    def values(self) -> dict[str, Any]:
        reason = self.reason()
        return {
            "reason": reason,
            "duplicate_of": self.duplicate_of.text().strip() if reason == "duplicate" else None,
            "message": self.other_text.toPlainText().strip() if reason == "other" else "",
            "next_steps": self.next_steps_edit.toPlainText().strip() or None,
        }


class MessageCard(OfficerOverlay):
    """A message with one OK button (a conflict, a print outcome)."""

    closed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__("message_card", parent, width=820)
        self.title = label("message_title_label", "", "officer_title")
        self.text = label("message_text_label", "", "officer_body")
        self.body_layout.addWidget(self.title)
        self.body_layout.addWidget(self.text)
        self.ok_button = button("message_ok_button", "OK", "officer_primary")
        self.ok_button.clicked.connect(self._close)
        self.card_layout.addWidget(self.ok_button, 0, Qt.AlignmentFlag.AlignRight)

    def show_message(self, title: str, text: str) -> None:
        self.title.setText(title)
        self.text.setText(text)
        self.open()

    def _close(self) -> None:
        self.hide()
        self.closed.emit()
