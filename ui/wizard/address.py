"""An address block (street, line 2, city, state, ZIP) used for the home address and for where it happened."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.fields import TextField
from ui.fields.text_field import DIGITS
from ui.widgets import error_label, set_error_text
from ui.wizard.layout import side_by_side

if TYPE_CHECKING:
    from ui.wizard.base import FieldWidget

ADDRESS_KEYS = ("line1", "line2", "city", "state", "zip")
ROW_KEYS = ("city", "state", "zip")  # side by side on one row
MAX_LENGTHS = {"line1": 100, "line2": 100, "city": 60, "state": 2, "zip": 10}


class AddressFields:
    """Five text fields named ``<prefix>_line1`` ... ``<prefix>_zip``, for the field paths ``<path>.line1`` ...

    City, state and ZIP share a row, too narrow for a sentence beside each: their problems are shown once, under the
    row at the block's full width (``<prefix>_address_error``), in the row's order and each text once (a place
    outside the jurisdiction is one problem about both the city and the ZIP code). The inputs in question still get
    the red border, and each keeps its own problem as its spoken description.
    """

    def __init__(self, prefix: str, path: str) -> None:
        self.path = path
        self.fields = {
            key: TextField(f"{prefix}_{key}", max_length=MAX_LENGTHS[key],
                           hints=DIGITS if key == "zip" else None)
            for key in ADDRESS_KEYS
        }
        self.fields["state"].input.setProperty("size", "short")
        self.fields["zip"].input.setProperty("size", "short")
        self.row_error = error_label(f"{prefix}_address_error")
        self._row_texts: dict[str, str | None] = dict.fromkeys(ROW_KEYS)
        self._row_members = {key: _RowMember(self, key) for key in ROW_KEYS}

    def add_to(self, column: QVBoxLayout) -> None:
        column.addWidget(self.fields["line1"])
        column.addWidget(self.fields["line2"])
        side_by_side(column, *(self.fields[key] for key in ROW_KEYS), stretches=(5, 2, 3))
        column.addWidget(self.row_error)

    def by_path(self) -> dict[str, FieldWidget]:
        """The page's field widgets by path: the street lines themselves, the row's fields through their shared
        problem line."""
        return {f"{self.path}.{key}": self._row_members.get(key) or field for key, field in self.fields.items()}

    def value(self) -> dict[str, str]:
        return {key: field.value() for key, field in self.fields.items()}

    def set_value(self, address: dict[str, str]) -> None:
        for key, field in self.fields.items():
            field.set_value(address.get(key, ""))

    def set_texts(self, labels: dict[str, str], hints: dict[str, str] | None = None) -> None:
        for key, field in self.fields.items():
            field.set_texts(labels[key], (hints or {}).get(key))

    def set_row_error(self, key: str, text: str | None) -> None:
        """The problem of the row's field ``key`` (or None); the shared line shows each different text once."""
        self._row_texts[key] = text
        shown = dict.fromkeys(text for text in self._row_texts.values() if text)
        set_error_text(self.row_error, "\n".join(shown) or None)


class _RowMember:
    """City, state or ZIP as the page sees it: its problem marks its input and goes to the row's shared line."""

    def __init__(self, block: AddressFields, key: str) -> None:
        self._block = block
        self._key = key
        self.field = block.fields[key]
        self.error = block.row_error  # where its problem is said

    def set_error(self, text: str | None) -> None:
        self.field.set_error(text)  # the red border and the input's spoken description...
        self.field.error.hide()  # ...but the sentence is shown once, under the row
        self._block.set_row_error(self._key, text)

    def focus_target(self) -> QWidget:
        return self.field.focus_target()

    def widget(self) -> QWidget:
        """Where the inputs are (the page watches them to update shown problems as they are corrected)."""
        return self.field
