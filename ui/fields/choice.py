"""Big buttons for choosing one answer out of a few (Yes/No, a kind of place, how to reach you)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QVBoxLayout, QWidget

from ui.fields.tile import TileButton
from ui.widgets import error_label, set_error_text, text_label


class ChoiceGroup(QWidget):
    """A question (optional label), one checkable button per answer in a grid, and the problem below.

    Buttons are named ``<name>_<key>_button``. ``chosen`` fires with the key when the visitor taps one.
    """

    chosen = Signal(str)

    def __init__(self, name: str, keys: Sequence[str], *, columns: int = 2, with_label: bool = True,
                 with_texts: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}_field")
        self.name = name
        self.label = text_label(f"{name}_label", "field", centred=False)
        self.error = error_label(f"{name}_error")
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, TileButton] = {}
        self._grid = grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(12)
        for key in keys:
            button = TileButton(f"{name}_{key}", "choice", with_text=with_texts)
            button.clicked.connect(lambda _checked=False, k=key: self.chosen.emit(k))
            self.group.addButton(button)
            self.buttons[key] = button
        self._columns = 0
        self.set_columns(columns)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.label)
        layout.addLayout(grid)
        layout.addWidget(self.error)
        # Only now that it has a parent: a parentless label made visible is a window of its own for a moment.
        self.label.setVisible(with_label)

    def set_columns(self, columns: int) -> None:
        """Lay the answers out in ``columns`` columns (fewer for large text)."""
        if columns == self._columns:
            return
        for button in self.buttons.values():
            self._grid.removeWidget(button)
        for index, button in enumerate(self.buttons.values()):
            self._grid.addWidget(button, index // columns, index % columns)
        for column in range(max(columns, self._columns)):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)
        self._columns = columns

    def set_texts(self, label: str | None, answers: dict[str, str], spoken: dict[str, str] | None = None,
                  sentences: dict[str, str] | None = None) -> None:
        """The question and each answer's words (and a sentence under each, for tiles); ``spoken`` gives longer
        accessible names where a word alone is unclear out of context ("Yes, someone is hurt" rather than "Yes")."""
        if label is not None:
            self.label.setText(label)
        for key, text in answers.items():
            self.buttons[key].set_texts(text, (sentences or {}).get(key), (spoken or {}).get(key))

    def value(self) -> str | None:
        for key, button in self.buttons.items():
            if button.isChecked():
                return key
        return None

    def select(self, key: str | None) -> None:
        """Choose an answer for the visitor (a sensible default). ``None`` leaves no answer chosen."""
        if key is None:
            self.group.setExclusive(False)
            for button in self.buttons.values():
                button.setChecked(False)
            self.group.setExclusive(True)
        else:
            self.buttons[key].setChecked(True)

    def set_error(self, text: str | None) -> None:
        set_error_text(self.error, text)
        self.setAccessibleDescription(text or "")

    def focus_target(self) -> QWidget:
        return next(iter(self.buttons.values()))
