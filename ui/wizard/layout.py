"""Placing fields side by side in a page's column."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget


def side_by_side(column: QVBoxLayout, *widgets: QWidget, stretches: tuple[int, ...] | None = None) -> None:
    """Put ``widgets`` on one row of ``column``, sharing the width by ``stretches``. No alignment flag: a widget
    aligned in a layout gets its size hint, too short for text wrapped at the width it really has."""
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(24)
    for index, widget in enumerate(widgets):
        stretch = stretches[index] if stretches else 1
        row.addWidget(widget, stretch)
    column.addLayout(row)
