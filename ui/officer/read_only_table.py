"""Read-only tables in a report's detail (its items, its history): as tall as all their rows, so that the page
scrolls and never the table."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem


def read_only_table(name: str, headers: list[str], rows: list[list[str]]) -> FittedTable:
    table = FittedTable(len(rows), len(headers))
    table.setObjectName(name)
    table.setProperty("role", "officer_table")
    table.setAccessibleName(name.replace("_", " "))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.setAlternatingRowColors(True)
    table.setWordWrap(True)
    table.verticalHeader().hide()
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    # Wider than the room (a portrait screen): the table scrolls sideways rather than widening the page.
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.fill_with(len(headers) - 1)
    return table


class FittedTable(QTableWidget):
    """A read-only table as tall as all its rows (the page scrolls, not the table); rows are measured again at each
    new width, since wrapped text needs more lines when the table is narrower."""

    def __init__(self, rows: int, columns: int) -> None:
        super().__init__(rows, columns)
        self._fitted_width = -1
        self._filler = -1
        # The header lays its sections out after a resize: measure the rows once it has.
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self.fit)
        self.horizontalHeader().sectionResized.connect(lambda *_: self._refit.start())

    def fill_with(self, column: int) -> None:
        """``column`` takes the width the other columns leave, but never less than its heading needs (a stretched
        column would cut a long heading; wider than the room, the table scrolls sideways)."""
        header = self.horizontalHeader()
        if self._filler >= 0:
            header.setSectionResizeMode(self._filler, QHeaderView.ResizeMode.ResizeToContents)
        self._filler = column
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        self._fill()

    def _fill(self) -> None:
        header = self.horizontalHeader()
        if not 0 <= self._filler < header.count():
            return
        others = sum(header.sectionSize(column) for column in range(header.count())
                     if column != self._filler and not header.isSectionHidden(column))
        width = max(self.viewport().width() - others, header.sectionSizeHint(self._filler))
        if header.sectionSize(self._filler) != width:
            header.resizeSection(self._filler, width)

    def fit(self) -> None:
        self._fill()
        self.resizeRowsToContents()
        height = self.horizontalHeader().height() + 2 * self.frameWidth()
        for row in range(self.rowCount()):
            height += self.rowHeight(row)
        if self.horizontalHeader().length() > self.viewport().width():  # it scrolls sideways: room for the bar
            height += self.horizontalScrollBar().sizeHint().height()
        self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != self._fitted_width:
            self._fitted_width = event.size().width()
            self._fill()
            self._refit.start()
