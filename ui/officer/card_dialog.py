"""The cards officer mode asks and tells with, as overlays over its screens (no separate top-level window).

:class:`CardDialog` is every dialog's base: a title, a subtitle, the fields (each a caption, an optional hint, the
input and the input's error line), a general error line, and Cancel / confirm. A dialog only declares its fields
(:meth:`CardDialog.add_text_field`, :meth:`~CardDialog.add_line_field`, :meth:`~CardDialog.add_field` for any other
input), what they hold (:meth:`~CardDialog.values`) and, if it likes, what it checks before the core is asked
(:meth:`~CardDialog.check`). The screen that opened it calls the core on ``submitted(values)`` and hands a refusal
back with :meth:`~CardDialog.show_problems`, which puts each problem beside its field.

:class:`MessageCard` says one thing, with one OK button.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.messages import Problem
from kiosk.translation import N_
from ui.forms import enter_submits
from ui.officer.common import OfficerOverlay, Value, button, label, line_edit, on_language_change, problem_text, tr
from ui.widgets import KioskLineEdit, KioskTextEdit

# Errors already shown are checked again this long after the officer stops changing a field.
LIVE_CHECK_MS = 300


def text_box(object_name: str, accessible: str, lines: int = 3) -> KioskTextEdit:
    """A box of ``lines`` lines; ``accessible`` (English, marked by the caller) follows the language."""
    box = KioskTextEdit(object_name)
    on_language_change(box, lambda: box.setAccessibleName(tr(accessible)))
    box.setFixedHeight(34 * lines + 20)
    return box


class CardDialog(OfficerOverlay):
    """Title, fields, a general error line and Cancel / confirm. ``submitted(values)`` fires on confirm.

    With ``live_check``, the errors shown beside the fields follow the officer's corrections: a moment after a field
    changes, :meth:`check` runs again and each error shown is updated, or removed once its field was changed and
    passes (an error the core gave is removed when its field is changed: the core checks again on confirm). A field
    that shows no error gets none before confirm.
    """

    submitted = Signal(dict)
    live_check = False

    def __init__(self, name: str, title: str, confirm: str, parent: QWidget, *, confirm_role: str = "officer_primary"):
        """``title`` and ``confirm`` are English, marked by the caller (``N_``), shown in the officer's language."""
        super().__init__(name, parent)
        self.title = label(f"{name}_title_label", title, "officer_title")
        self.subtitle = label(f"{name}_subtitle_label", "", "officer_body")
        self.body_layout.addWidget(self.title)
        self.body_layout.addWidget(self.subtitle)
        self.fields = QWidget()
        self.fields_layout = QVBoxLayout(self.fields)
        self.fields_layout.setContentsMargins(0, 0, 0, 0)
        self.fields_layout.setSpacing(8)
        self.body_layout.addWidget(self.fields)
        self.error = label(f"{name}_error_label", "", "officer_error")
        self.error.hide()
        self.body_layout.addWidget(self.error)
        self.cancel_button = button(f"{name}_cancel_button", N_("Cancel"), "officer")
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
        self._captions: dict[str, QLabel] = {}
        self._changed: set[str] = set()  # fields changed since their errors were shown
        self._live_timer = QTimer(self)
        self._live_timer.setSingleShot(True)
        self._live_timer.setInterval(LIVE_CHECK_MS)
        self._live_timer.timeout.connect(self._check_shown_errors)

    # -- declaring the fields ---------------------------------------------------------------------------------------

    def title_text(self) -> str:
        return self.title.text()

    def add_field(self, field: str, caption: str, widget: QWidget, hint: str = "") -> QLabel:
        """A caption, an optional hint, the input and the input's error line (hidden until there is one). ``field``
        is the name the core's problems use for it; ``caption`` and ``hint`` are English, marked by the caller.
        Returns the caption."""
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
        self._captions[field] = caption_label
        if self.live_check:
            self._watch(field, widget)
        return caption_label

    def error_label(self, field: str) -> QLabel:
        """The line beside ``field`` where its problem is said (hidden while there is none): what the officer reads,
        and what a test checks."""
        return self._field_errors[field]

    def add_text_field(self, field: str, object_name: str, caption: str, *, accessible: str | None = None,
                       lines: int = 3, hint: str = "") -> KioskTextEdit:
        """A box of ``lines`` lines for text in the officer's words (its accessible name is the caption unless
        given)."""
        box = text_box(object_name, accessible or caption, lines)
        self.add_field(field, caption, box, hint)
        return box

    def add_line_field(self, field: str, object_name: str, caption: str, *, accessible: str | None = None,
                       placeholder: str = "", hint: str = "") -> KioskLineEdit:
        """A one-line input (its accessible name is the caption unless given)."""
        edit = line_edit(object_name, accessible or caption, placeholder)
        self.add_field(field, caption, edit, hint)
        return edit

    def caption(self, field: str) -> QLabel:
        """The caption of a field declared with :meth:`add_field` (a dialog shows or hides it with its input)."""
        return self._captions[field]

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

    # -- what a dialog says about its fields ------------------------------------------------------------------------

    def values(self) -> Mapping[str, object]:
        """What the fields hold, for ``submitted`` (a dialog without fields hands an empty dict; a dialog with fields
        says what it hands with a TypedDict)."""
        return {}

    def check(self) -> dict[str, str]:
        """Problems found before asking the core (field -> text); the core checks again."""
        return {}

    # -- opening, confirming, refusals, closing ---------------------------------------------------------------------

    def open(self) -> None:
        self.subtitle.setVisible(bool(self.subtitle.text()))
        super().open()
        # Reading order for the keys: the fields (added after the buttons were made), then Cancel, then the confirm
        # button; the first field takes the keys, so an officer at a keyboard types at once.
        fields = [widget for widget in self.tab_chain() if widget not in (self.cancel_button, self.confirm_button)]
        if fields:
            QWidget.setTabOrder(fields[-1], self.cancel_button)
            QWidget.setTabOrder(self.cancel_button, self.confirm_button)
            fields[0].setFocus(Qt.FocusReason.TabFocusReason)

    def _confirm(self) -> None:
        self.clear_problems()
        local = self.check()
        if local:
            self.show_texts(local)
            return
        self.submitted.emit(self.values())

    def show_problems(self, problems: list[Problem]) -> None:
        texts: dict[str, str] = {}
        for problem in problems:
            text = problem_text(problem)
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
        if texts:  # every problem at once, in the card's order, for screen readers (Qt's announcement)
            from ui import narrator

            narrator.announce(self.card, "\n".join(texts.values()))

    def clear_problems(self) -> None:
        for target in (*self._field_errors.values(), self.error):
            target.setText("")
            target.hide()

    def close_dialog(self) -> None:
        self.clear_problems()
        self.hide()


class MessageCard(OfficerOverlay):
    """A message with one OK button (a conflict, a print outcome, a changed password). Its widgets are named after
    ``prefix``: ``<prefix>_title_label``, ``<prefix>_text_label``, ``<prefix>_ok_button``."""

    closed = Signal()

    def __init__(self, parent: QWidget, name: str = "message_card", prefix: str = "message", title: str = "") -> None:
        """``title``: English, marked by the caller."""
        super().__init__(name, parent, width=820)
        self.title = label(f"{prefix}_title_label", title, "officer_title")
        self.text = label(f"{prefix}_text_label", "", "officer_body")
        self.body_layout.addWidget(self.title)
        self.body_layout.addWidget(self.text)
        self.ok_button = button(f"{prefix}_ok_button", N_("OK"), "officer_primary")
        self.ok_button.clicked.connect(self._close)
        self.card_layout.addWidget(self.ok_button, 0, Qt.AlignmentFlag.AlignRight)

    def title_text(self) -> str:
        return self.title.text()

    def show_message(self, title: str, text: str, *values: Value) -> None:
        """Say ``text`` under ``title``, both English (marked by the caller) shown in the officer's language, with
        ``values`` in ``text``'s place markers (a text already in the officer's words goes in as ``"%1"``'s
        value)."""
        self.title.say(title)
        self.text.say(text, *values)
        self.open()
        self.ok_button.setFocus(Qt.FocusReason.TabFocusReason)  # Enter closes it

    def _close(self) -> None:
        self.hide()
        self.closed.emit()
