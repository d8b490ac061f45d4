"""Rows of controls that take two lines on a narrow screen (a portrait 1080-px touchscreen) instead of making the
window wider than the screen: the header bar, officer mode's queue filters and a report's action buttons."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QBoxLayout, QLayout


class RowsThatWrap(QBoxLayout):
    """Lays ``rows`` (layouts) side by side while the width it gets holds them all at their minimum widths (a wrapped
    label may wrap), one above the other otherwise.

    Its minimum width is the widest row's, so whatever holds it may be as narrow as that.
    """

    def __init__(self, *rows: QLayout, spacing: int = 10, trailing_stretch: bool = True) -> None:
        super().__init__(QBoxLayout.Direction.LeftToRight)
        self.setContentsMargins(0, 0, 0, 0)
        self.setSpacing(spacing)
        self._rows = rows
        for row in rows:
            self.addLayout(row)
        if trailing_stretch:  # on one line, what is left over goes after the rows
            self.addStretch(1)

    def one_line_width(self) -> int:
        return sum(row.minimumSize().width() for row in self._rows) + self.spacing() * (len(self._rows) - 1)

    def setGeometry(self, rect: QRect) -> None:
        margins = self.contentsMargins()
        wide = rect.width() - margins.left() - margins.right() >= self.one_line_width()
        wanted = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self.direction() != wanted:
            self.setDirection(wanted)  # also asks the parent for a new layout: one row is shorter than two
        super().setGeometry(rect)

    def minimumSize(self) -> QSize:
        size = super().minimumSize()
        return QSize(max(row.minimumSize().width() for row in self._rows), size.height())
