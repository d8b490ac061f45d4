"""The review queue as a Qt table model, fed page by page from ``ReviewService.queue_page`` (keyset paging).

The model never holds more rows than the view has asked for: a reset loads the first page, and the view's
``fetchMore`` (when it scrolls near the end) asks the core for the next page after the last row held.

Counts per status: for a status and category filter they are kept by the database, and a tracking number has one
report (``kiosk.review.queue.instant_counts``): read with the page. With a date range or a name search they have to be
counted (one index entry per matching report: up to ~0.2 s at a million reports), so the page is shown first and the
counts are counted on the worker pool (ui/jobs.py) and shown when they arrive; until then they are unknown (None),
never a stale number.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from kiosk.review.queue import instant_counts
from kiosk.translation import N_
from kiosk.vocabulary import Status
from ui.jobs import run_in_background
from ui.officer.common import category_name, long_time, short_time, status_name, tr, words

if TYPE_CHECKING:
    from kiosk.review import QueueFilter, QueueRow, ReviewService
    from kiosk.tracking import TrackingNumber

PAGE_SIZE = 50
COLUMNS = (N_("Tracking number"), N_("Submitted"), N_("Category"), N_("Location"), N_("Status"), N_("Age"))
TRACKING, SUBMITTED, CATEGORY, LOCATION, STATUS, AGE = range(len(COLUMNS))

Index = QModelIndex | QPersistentModelIndex


def age_text(age: timedelta) -> str:
    """``5 min``, ``3 h``, ``2 d``: how long a report has waited, at a glance."""
    minutes = max(0, int(age.total_seconds() // 60))
    if minutes < 60:
        return words(N_("%1 min"), str(minutes))
    if minutes < 48 * 60:
        return words(N_("%1 h"), str(minutes // 60))
    return words(N_("%1 d"), str(minutes // (24 * 60)))


class QueueModel(QAbstractTableModel):
    """Rows of ``QueueRow`` for one ``QueueFilter``. ``counts_changed`` fires after a reset with (total matching
    the filter, counts per status ignoring the status filter), both None while they are being counted, and again when
    the counts arrive (``counts_pending`` is True in between)."""

    counts_changed = Signal(object, object)

    def __init__(self, review: ReviewService, page_size: int = PAGE_SIZE, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from kiosk.review import QueueFilter

        self._review = review
        self._page_size = page_size
        self._filter = QueueFilter()
        self._rows: list[QueueRow] = []
        self._exhausted = True
        self.total: int | None = 0
        self.status_counts: dict[str, int] | None = {}
        self._asked = 0  # counts asked for so far: an answer to an earlier question is dropped

    # -- the filter -------------------------------------------------------------------------------------------------

    @property
    def queue_filter(self) -> QueueFilter:
        return self._filter

    def set_filter(self, flt: QueueFilter) -> None:
        """Show the reports matching ``flt``: the model is reset and holds its first page."""
        self._filter = flt
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = self._review.queue_page(self._filter, limit=self._page_size)
        self._exhausted = len(self._rows) < self._page_size
        self.endResetModel()
        self.refresh_counts()

    @property
    def counts_pending(self) -> bool:
        """Whether the counts of the current filter are being counted (``total`` and ``status_counts`` are None)."""
        return self.status_counts is None

    def refresh_counts(self) -> None:
        """The counts per status (which ignore the status filter) and the total, added up from them: one counting
        query instead of two (``queue_count`` would give the same total). Kept counts at once; others on the worker
        pool, after the page."""
        self._asked += 1
        flt, asked = self._filter, self._asked
        if instant_counts(flt):
            self._show(asked, dict(self._review.status_counts(flt)))
            return
        self.status_counts, self.total = None, None
        self.counts_changed.emit(None, None)
        run_in_background("counting the review queue", lambda: dict(self._review.status_counts(flt)),
                          receiver=self, done=lambda counts: self._show(asked, counts), failed=lambda _exc: None)

    def _show(self, asked: int, counts: dict[str, int] | None) -> None:
        if asked != self._asked or counts is None:  # another filter since, or the counting failed (logged)
            return
        self.status_counts = counts
        wanted = self._filter.statuses or tuple(counts)
        self.total = sum(counts.get(status, 0) for status in wanted)
        self.counts_changed.emit(self.total, counts)

    def refresh_row(self, tracking_number: TrackingNumber) -> None:
        """Read one report's row again (after an officer looked at or decided it): updated in place, or removed when
        it no longer matches the filter. The counts are read again too."""
        position = self.row_of(tracking_number)
        if position is None:
            return
        probe = dataclasses.replace(self._filter, search=tracking_number)
        fresh = [row for row in self._review.queue_page(probe, limit=1) if row.tracking_number == tracking_number]
        if fresh:
            self._rows[position] = fresh[0]
            self.dataChanged.emit(self.index(position, 0), self.index(position, len(COLUMNS) - 1))
        else:
            self.beginRemoveRows(QModelIndex(), position, position)
            del self._rows[position]
            self.endRemoveRows()
        self.refresh_counts()

    def row_of(self, tracking_number: TrackingNumber) -> int | None:
        for position, row in enumerate(self._rows):
            if row.tracking_number == tracking_number:
                return position
        return None

    def row_at(self, position: int) -> QueueRow:
        return self._rows[position]

    # -- paging -----------------------------------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Every text in the officer's language again (the view asks after a language change)."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1))

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted:
            return
        after = self._rows[-1] if self._rows else None
        page = self._review.queue_page(self._filter, limit=self._page_size, after=after)
        self._exhausted = len(page) < self._page_size
        if not page:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    # -- the table --------------------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> str | None:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> str | int | None:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        if role == Qt.ItemDataRole.UserRole:
            return row.tracking_number
        if role == Qt.ItemDataRole.ToolTipRole and column == SUBMITTED:
            return long_time(row.submitted_at, long_day=True)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == AGE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _text(row: QueueRow, column: int) -> str:
        if column == TRACKING:
            return row.tracking_number
        if column == SUBMITTED:
            return short_time(row.submitted_at)
        if column == CATEGORY:
            return category_name(row.category)
        if column == LOCATION:
            return row.location
        if column == STATUS:
            if row.status == Status.APPROVED and not row.official_number:
                return words(N_("%1 · number pending"), status_name(row.status))
            return status_name(row.status)
        return age_text(row.age)
