"""A labelled one-line text input with its hint and its problem, and the multi-line version for the narrative."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.widgets import KioskLineEdit, KioskTextEdit, error_label, repolish, set_error_text, text_label

# Input method hints: which layout of the on-screen keyboard (Qt Virtual Keyboard) an input gets, as seen under Xvfb
# (tests/ui/test_keyboard_keys.py). ImhFormattedNumbersOnly would give a calculator pad (( ) ÷ × ^ √ %) and
# ImhPreferNumbers the symbols page of the letter keyboard: neither is right for a visitor.
_H = Qt.InputMethodHint
# The digit pad: 0-9, the keyboard language's decimal key ("." in US English, "," in Spain's Spanish), space, ↵.
DIGITS = _H.ImhDigitsOnly
# The dial pad: 0-9, * and #.
PHONE = _H.ImhDialableCharactersOnly
# Money gets the digit pad too (see MoneyField for its decimal key).
MONEY = _H.ImhDigitsOnly
# Letters with @ and no capital letter to start with.
EMAIL = _H.ImhEmailCharactersOnly | _H.ImhNoAutoUppercase | _H.ImhNoPredictiveText
# Letters, a capital letter first.
NAME = _H.ImhNoPredictiveText
# Officer usernames: lower case from the first letter.
USERNAME = _H.ImhNoAutoUppercase | _H.ImhPreferLowercase | _H.ImhNoPredictiveText
# Passwords: lower case from the first letter (Shift only when the officer taps it), nothing shown, learnt or offered.
PASSWORD = _H.ImhHiddenText | _H.ImhSensitiveData | _H.ImhNoAutoUppercase | _H.ImhNoPredictiveText


class _LabelledField(QWidget):
    """Label above, input in the middle, hint and problem below. ``name`` makes the objectNames: ``<name>_label``,
    ``<name>_input``, ``<name>_hint``, ``<name>_error``."""

    def __init__(self, name: str, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}_field")
        self.name = name
        self.label = text_label(f"{name}_label", "field", centred=False)
        self.label.setBuddy(editor)
        self.hint = text_label(f"{name}_hint", "hint", centred=False)
        self.hint.hide()
        self.error = error_label(f"{name}_error")
        self.editor = editor
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.label)
        layout.addWidget(self.hint)
        layout.addWidget(editor)
        layout.addWidget(self.error)
        layout.addStretch(1)  # beside a taller field, the extra room goes below, not between label and input

    def set_texts(self, label: str, hint: str | None = None) -> None:
        self.label.setText(label)
        self.editor.setAccessibleName(label)
        self.hint.setText(hint or "")
        self.hint.setVisible(bool(hint))

    def set_error(self, text: str | None) -> None:
        set_error_text(self.error, text)
        self.editor.setAccessibleDescription(text or "")
        if bool(self.editor.property("invalid")) != bool(text):
            self.editor.setProperty("invalid", bool(text))
            repolish(self.editor)

    def focus_target(self) -> QWidget:
        return self.editor

    def labels(self) -> list[QLabel]:
        return [self.label, self.hint, self.error]


class TextField(_LabelledField):
    """One line of text. ``hints`` picks the on-screen keyboard layout (digits for ZIP codes, a dial pad for phones)."""

    edited = Signal(str)

    def __init__(self, name: str, *, max_length: int = 100, hints: Qt.InputMethodHint | None = None,
                 parent: QWidget | None = None) -> None:
        self.input = KioskLineEdit(f"{name}_input")
        self.input.setMaxLength(max_length)
        if hints is not None:
            self.input.setInputMethodHints(hints)
        super().__init__(name, self.input, parent)
        self.input.textEdited.connect(self.edited)

    def value(self) -> str:
        return self.input.text()

    def set_value(self, text: str) -> None:
        """Fill in a value the kiosk knows (a default, a copy of another address); clears the undo history."""
        self.input.setText(text)

    def wipe(self) -> None:
        self.input.wipe()
        self.set_error(None)


class MoneyField(TextField):
    """An amount in dollars on the digit pad (digits and a decimal key, no calculator keys).

    The kiosk writes amounts with a decimal point in both languages ("125.00", as the problem messages say), but the
    digit pad's decimal key follows the keyboard's language: a comma in Spain's Spanish. A comma typed while the
    keyboard's decimal key is a comma is that key, so it becomes a point: "12,50" stays twelve dollars fifty, never
    1250 (the report rules read a comma as a thousands separator).
    """

    def __init__(self, name: str, *, max_length: int = 14, parent: QWidget | None = None) -> None:
        super().__init__(name, max_length=max_length, hints=MONEY, parent=parent)
        self.input.textEdited.connect(self._decimal_point)

    def _decimal_point(self, text: str) -> None:
        if "," not in text or QGuiApplication.inputMethod().locale().decimalPoint() != ",":
            return
        cursor = self.input.cursorPosition()
        self.input.setText(text.replace(",", "."))
        self.input.setCursorPosition(cursor)


class TextAreaField(_LabelledField):
    """Several lines of text (the narrative)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        self.input = KioskTextEdit(f"{name}_input")
        super().__init__(name, self.input, parent)

    def value(self) -> str:
        return self.input.toPlainText()

    def wipe(self) -> None:
        self.input.wipe()
        self.set_error(None)
