"""The date of birth as three small number boxes (month, day, year; day first in Spanish), each with its name."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk.translation import SOURCE_LANGUAGE
from ui.fields.text_field import DIGITS
from ui.i18n import date_order
from ui.widgets import KioskLineEdit, Translatable, error_label, repolish, set_error_text, text_label

PARTS = ("month", "day", "year")
LENGTHS = {"month": 2, "day": 2, "year": 4}


class DateOfBirthField(Translatable, QWidget):
    """``value()`` is ``YYYY-MM-DD`` (what the report format wants), ``""`` when nothing was typed, or the typed
    parts joined with ``-`` when they are not numbers, so the core's date rule explains the problem."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}_field")
        self.name = name
        self.label = text_label(f"{name}_label", "field", centred=False)
        self.error = error_label(f"{name}_error")
        self.inputs: dict[str, KioskLineEdit] = {}
        self.part_labels = {}
        for part in PARTS:
            edit = KioskLineEdit(f"{name}_{part}_input")
            edit.setMaxLength(LENGTHS[part])
            edit.setInputMethodHints(DIGITS)
            edit.set_moves_on_when_full(True)  # a full box hands over to the next one in reading order
            edit.setProperty("size", "short")
            self.inputs[part] = edit
            label = text_label(f"{name}_{part}_label", "hint", centred=False)
            label.setBuddy(edit)
            self.part_labels[part] = label
        self._grid = QGridLayout()
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(16)
        self._grid.setVerticalSpacing(4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.label)
        layout.addLayout(self._grid)
        layout.addWidget(self.error)
        self._order: tuple[str, ...] = ()
        self._arrange(SOURCE_LANGUAGE)
        self.retranslate()

    def _arrange(self, language: str) -> None:
        order = date_order(language)
        if order == self._order:
            return
        for column, part in enumerate(order):
            self._grid.addWidget(self.part_labels[part], 0, column)
            self._grid.addWidget(self.inputs[part], 1, column)
            self._grid.setColumnStretch(column, 2 if part == "year" else 1)
        self._grid.setColumnStretch(3, 2)
        # Tab, Enter (the on-screen keyboard's ↵) and a full box go through the boxes in reading order.
        for first, second in pairwise(order):
            QWidget.setTabOrder(self.inputs[first], self.inputs[second])
        self._order = order

    def set_language(self, code: str) -> None:
        self._arrange(code)

    def retranslate(self) -> None:
        names = {"month": self.tr("Month"), "day": self.tr("Day"), "year": self.tr("Year")}
        examples = {"month": self.tr("MM"), "day": self.tr("DD"), "year": self.tr("YYYY")}
        for part in PARTS:
            self.part_labels[part].setText(names[part])
            self.inputs[part].setPlaceholderText(examples[part])
            self.inputs[part].setAccessibleName(f"{self.label.text()}: {names[part]}")

    def set_label(self, text: str) -> None:
        self.label.setText(text)
        self.retranslate()

    def value(self) -> str:
        parts = {part: self.inputs[part].text().strip() for part in PARTS}
        if not any(parts.values()):
            return ""
        if all(p.isdigit() for p in parts.values()):
            return f"{parts['year']:0>4}-{parts['month']:0>2}-{parts['day']:0>2}"
        return "-".join(parts[p] for p in ("year", "month", "day"))

    def display(self) -> str:
        """The date as typed, in the order of the visitor's language (for the review page)."""
        return "/".join(self.inputs[part].text().strip() for part in self._order)

    def set_error(self, text: str | None) -> None:
        set_error_text(self.error, text)
        for edit in self.inputs.values():
            if bool(edit.property("invalid")) != bool(text):
                edit.setProperty("invalid", bool(text))
                repolish(edit)

    def focus_target(self) -> QWidget:
        return self.inputs[self._order[0]]

    def wipe(self) -> None:
        for edit in self.inputs.values():
            edit.wipe()
        self.set_error(None)
