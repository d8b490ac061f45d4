"""A number picked with big − and + buttons (hold to repeat), for fingers instead of tiny spin-box arrows."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from ui.i18n import fill
from ui.widgets import set_button_text, touch_button

REPEAT_DELAY_MS = 400
REPEAT_INTERVAL_MS = 120


def step_button(object_name: str, symbol: str) -> QPushButton:
    button = touch_button(object_name, "step")
    button.setText(symbol)
    button.setAutoRepeat(True)
    button.setAutoRepeatDelay(REPEAT_DELAY_MS)
    button.setAutoRepeatInterval(REPEAT_INTERVAL_MS)
    return button


class Stepper(QWidget):
    """``[−]  value  [+]`` between ``minimum`` and ``maximum``. Named ``<name>_minus_button``,
    ``<name>_value_label``, ``<name>_plus_button``."""

    changed = Signal(int)

    def __init__(self, name: str, minimum: int, maximum: int, value: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}_stepper")
        self._minimum, self._maximum, self._value = minimum, maximum, value
        self._what = ""  # what the number counts ("Quantity"), from set_names
        self.minus_button = step_button(f"{name}_minus_button", "−")
        self.plus_button = step_button(f"{name}_plus_button", "+")
        self.value_label = QLabel()
        self.value_label.setObjectName(f"{name}_value_label")
        self.value_label.setProperty("role", "value")
        self.value_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.value_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.minus_button.clicked.connect(lambda: self.set_value(self._value - 1))
        self.plus_button.clicked.connect(lambda: self.set_value(self._value + 1))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self.minus_button)
        layout.addWidget(self.value_label, 1)
        layout.addWidget(self.plus_button)
        self._show()

    def value(self) -> int:
        return self._value

    def set_value(self, value: int) -> None:
        value = max(self._minimum, min(self._maximum, value))
        if value != self._value:
            self._value = value
            self._show()
            self.changed.emit(value)

    def set_names(self, what: str) -> None:
        """Accessible names: "Fewer <what>" / "More <what>" say what the buttons do."""
        set_button_text(self.minus_button, "−", what + " −")
        set_button_text(self.plus_button, "+", what + " +")
        self.value_label.setAccessibleName(what)
        self._what = what
        self._describe()

    def _show(self) -> None:
        self.value_label.setText(str(self._value))
        self.minus_button.setEnabled(self._value > self._minimum)
        self.plus_button.setEnabled(self._value < self._maximum)
        self._describe()

    def _describe(self) -> None:
        """"Quantity +" alone does not say the number: each button's description does ("Quantity, set to 2")."""
        if not self._what:
            return
        description = fill(QCoreApplication.translate("Stepper", "%1, set to %2"), self._what, str(self._value))
        for button in (self.minus_button, self.plus_button):
            button.setAccessibleDescription(description)
