"""An address block (street, line 2, city, state, ZIP) used for the home address and for where it happened."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QVBoxLayout

from ui.fields import TextField
from ui.fields.text_field import DIGITS
from ui.wizard.layout import side_by_side

ADDRESS_KEYS = ("line1", "line2", "city", "state", "zip")
MAX_LENGTHS = {"line1": 100, "line2": 100, "city": 60, "state": 2, "zip": 10}


class AddressFields:
    """Five text fields named ``<prefix>_line1`` ... ``<prefix>_zip``, for the field paths ``<path>.line1`` ..."""

    def __init__(self, prefix: str, path: str) -> None:
        self.path = path
        self.fields = {
            key: TextField(f"{prefix}_{key}", max_length=MAX_LENGTHS[key],
                           hints=DIGITS if key == "zip" else None)
            for key in ADDRESS_KEYS
        }
        self.fields["state"].input.setProperty("size", "short")
        self.fields["zip"].input.setProperty("size", "short")

    def add_to(self, column: QVBoxLayout) -> None:
        column.addWidget(self.fields["line1"])
        column.addWidget(self.fields["line2"])
        side_by_side(column, self.fields["city"], self.fields["state"], self.fields["zip"], stretches=(5, 2, 3))

    def by_path(self) -> dict[str, TextField]:
        return {f"{self.path}.{key}": field for key, field in self.fields.items()}

    def value(self) -> dict[str, Any]:
        return {key: field.value() for key, field in self.fields.items()}

    def set_value(self, address: dict[str, str]) -> None:
        for key, field in self.fields.items():
            field.set_value(address.get(key, ""))

    def set_texts(self, labels: dict[str, str], hints: dict[str, str] | None = None) -> None:
        for key, field in self.fields.items():
            field.set_texts(labels[key], (hints or {}).get(key))
