"""The review queue: filters (status with counts, category, dates, search) above a table of reports.

``open_requested(tracking_number)`` fires on a tap, a double-click or Enter on a row, with the row's
:class:`kiosk.tracking.TrackingNumber`. The search box is read by :func:`kiosk.review.model.read_search`: a tracking
number in any spelling finds that report, other text the reporters' names.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QLocale, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kiosk.lifecycle import STATUSES
from kiosk.translation import N_
from kiosk.vocabulary import Status
from ui.officer.common import (
    CATEGORY_NAMES,
    MIN_TOUCH,
    button,
    category_name,
    label,
    line_edit,
    on_language_change,
    screen_language,
    status_name,
    tr,
)
from ui.officer.queue_model import AGE, CATEGORY, LOCATION, PAGE_SIZE, STATUS, SUBMITTED, TRACKING, QueueModel
from ui.officer.touch_combo import touch_combo
from ui.rows import RowsThatWrap

if TYPE_CHECKING:
    from kiosk.review import QueueFilter, ReviewService
    from kiosk.tracking import TrackingNumber

SEARCH_PAUSE_MS = 300
ROW_HEIGHT = 52
OPEN_STATUSES = (Status.SUBMITTED, Status.IN_REVIEW, Status.NEEDS_INFO)
ALL, OPEN = "all", "open"
NO_DATE = QDate(2000, 1, 1)  # the date edits' "Any date" (their minimum, shown as special text)
COLUMN_WIDTHS = {TRACKING: 200, SUBMITTED: 190, CATEGORY: 215, STATUS: 145, AGE: 80}
COUNTING = N_("Counting reports…")  # the total while a date range's or a name search's counts are counted


def date_edit(object_name: str, accessible: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setObjectName(object_name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(NO_DATE)
    edit.setDate(NO_DATE)

    def apply() -> None:
        edit.setAccessibleName(tr(accessible))
        for inner in edit.findChildren(QLineEdit):  # the part that takes the typing (and the focus) has the name too
            inner.setAccessibleName(tr(accessible))
        edit.setSpecialValueText(tr("Any date"))
        # Room for "Any date" in the officer's language beside the calendar button.
        edit.setMinimumWidth(max(190, edit.fontMetrics().horizontalAdvance(tr("Any date")) + 72))

    on_language_change(edit, apply)
    edit.setMinimumHeight(MIN_TOUCH)
    edit.setMinimumWidth(190)
    calendar = edit.calendarWidget()
    calendar.setObjectName(f"{object_name}_calendar")
    calendar.setMinimumSize(460, 380)  # day cells a finger can hit
    calendar.setGridVisible(True)
    return edit


class QueueView(QWidget):
    open_requested = Signal(object)  # a TrackingNumber (a str signal would hand the slot a plain str)

    def __init__(self, review: ReviewService, *, page_size: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queue_view")
        self.model = QueueModel(review, page_size or PAGE_SIZE)
        self.model.counts_changed.connect(self._show_counts)

        self.title = label("queue_title_label", N_("Reports to review"), "officer_title")
        self.total_label = label("queue_total_label", "", "officer_body", wrap=False)
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # Room for the longest text it shows, so the title beside it does not move while counts are counted.
        on_language_change(self.total_label, lambda: self.total_label.setMinimumWidth(
            self.total_label.fontMetrics().horizontalAdvance(tr(COUNTING)) + 8))
        self.status_combo = touch_combo(QComboBox())
        self.status_combo.setObjectName("status_filter_combo")

        self.status_combo.setMinimumHeight(MIN_TOUCH)
        self.status_combo.setMinimumWidth(300)
        for key in (OPEN, ALL, *STATUSES):
            self.status_combo.addItem("", key)
        self.category_combo = touch_combo(QComboBox())
        self.category_combo.setObjectName("category_filter_combo")

        self.category_combo.setMinimumHeight(MIN_TOUCH)
        for code in ("", *CATEGORY_NAMES):
            self.category_combo.addItem("", code)
        self._per_status: dict[str, int] | None = None
        self._counts_shown = False
        self.from_edit = date_edit("submitted_from_edit", N_("Submitted from"))
        self.to_edit = date_edit("submitted_to_edit", N_("Submitted to"))
        self.search_edit = line_edit("queue_search_edit", N_("Search by tracking number or reporter name"),
                                     N_("Tracking number or name"))
        self.search_edit.setClearButtonEnabled(True)
        self.clear_button = button("clear_filters_button", N_("Clear filters"))
        self.refresh_button = button("refresh_queue_button", N_("Refresh"))

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_PAUSE_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search_edit.textEdited.connect(lambda _text: self._search_timer.start())
        self.search_edit.returnPressed.connect(self.apply_filter)
        self.status_combo.activated.connect(lambda _i: self.apply_filter())
        self.category_combo.activated.connect(lambda _i: self.apply_filter())
        self.from_edit.dateChanged.connect(lambda _d: self.apply_filter())
        self.to_edit.dateChanged.connect(lambda _d: self.apply_filter())
        self.clear_button.clicked.connect(self.clear_filters)
        self.refresh_button.clicked.connect(self.model.reload)

        self.table = QTableView()
        self.table.setObjectName("queue_table")
        on_language_change(self.table, lambda: self.table.setAccessibleName(tr("Reports")))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Up and Down choose a report; Tab leaves the list
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        header = self.table.horizontalHeader()
        header.setMinimumHeight(MIN_TOUCH)
        header.setHighlightSections(False)
        header.setSectionsClickable(False)
        for section, width in COLUMN_WIDTHS.items():
            header.resizeSection(section, width)
        header.setSectionResizeMode(LOCATION, QHeaderView.ResizeMode.Stretch)
        self.table.clicked.connect(self._open)
        self.table.activated.connect(self._open)

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.total_label)
        # The drop-downs and the dates share one row on a wide screen and take two on a narrow one (a portrait
        # screen is 1080 px wide: one row needs about 1,150).
        choices = QHBoxLayout()
        choices.setSpacing(10)
        choices.addWidget(self.status_combo)
        choices.addWidget(self.category_combo)
        dates = QHBoxLayout()
        dates.setSpacing(10)
        dates.addWidget(label("from_label", N_("From"), "officer_field", wrap=False))
        dates.addWidget(self.from_edit)
        dates.addWidget(label("to_label", N_("To"), "officer_field", wrap=False))
        dates.addWidget(self.to_edit)
        dates.addStretch(1)  # on a row of their own, the dates stay beside their labels
        filters = RowsThatWrap(choices, dates)
        search = QHBoxLayout()
        search.setSpacing(10)
        search.addWidget(self.search_edit, 1)
        search.addWidget(self.clear_button)
        search.addWidget(self.refresh_button)
        self.empty_label = label("queue_empty_label", N_("No reports match these filters."), "officer_hint")
        self.empty_label.hide()
        column = QVBoxLayout(self)
        column.setContentsMargins(20, 12, 20, 12)
        column.setSpacing(10)
        column.addLayout(top)
        column.addLayout(filters)
        column.addLayout(search)
        column.addWidget(self.table, 1)
        column.addWidget(self.empty_label)
        on_language_change(self, self._retranslate_filters)

    # -- filtering --------------------------------------------------------------------------------------------------

    def current_filter(self) -> QueueFilter:
        from kiosk.review.model import QueueFilter, read_search

        choice = self.status_combo.currentData()
        statuses: tuple[str, ...] = () if choice == ALL else OPEN_STATUSES if choice == OPEN else (choice,)
        return QueueFilter(
            statuses=statuses,
            category=self.category_combo.currentData() or None,
            submitted_from=self._date(self.from_edit),
            submitted_to=self._date(self.to_edit),
            search=read_search(self.search_edit.text()),
        )

    @staticmethod
    def _date(edit: QDateEdit) -> date | None:
        chosen = edit.date()
        return None if chosen == NO_DATE else date(chosen.year(), chosen.month(), chosen.day())

    def apply_filter(self) -> None:
        self._search_timer.stop()
        flt = self.current_filter()
        if flt != self.model.queue_filter or self.model.rowCount() == 0:
            self.model.set_filter(flt)
            self.table.scrollToTop()

    def clear_filters(self) -> None:
        for widget in (self.status_combo, self.category_combo, self.from_edit, self.to_edit):
            widget.blockSignals(True)
        self.status_combo.setCurrentIndex(0)
        self.category_combo.setCurrentIndex(0)
        self.from_edit.setDate(NO_DATE)
        self.to_edit.setDate(NO_DATE)
        for widget in (self.status_combo, self.category_combo, self.from_edit, self.to_edit):
            widget.blockSignals(False)
        self.search_edit.setText("")
        self.apply_filter()

    def load(self) -> None:
        """Read the queue for the current filters (first page)."""
        self.model.set_filter(self.current_filter())

    def refresh_row(self, tracking_number: TrackingNumber) -> None:
        self.model.refresh_row(tracking_number)

    def _retranslate_filters(self) -> None:
        """The filters' names and the counts in the officer's language (now, and at every language change)."""
        self.status_combo.setAccessibleName(tr("Status"))
        self.category_combo.setAccessibleName(tr("Category"))
        for index in range(self.category_combo.count()):
            code = self.category_combo.itemData(index)
            self.category_combo.setItemText(index, category_name(code) if code else tr("All categories"))
        if self._counts_shown:
            self._show_counts(self.model.total, self._per_status)
        else:
            for index in range(self.status_combo.count()):
                key = self.status_combo.itemData(index)
                self.status_combo.setItemText(index, tr("Open") if key == OPEN else tr("All") if key == ALL
                                              else status_name(key))
        self.model.retranslate()
        self._fit_headings()

    def _fit_headings(self) -> None:
        """Each column wide enough for its name in the officer's language, as the header measures it: with the style
        sheet's font and padding, which apply only once the header is polished (so again when the queue is shown)."""
        header = self.table.horizontalHeader()
        for section, width in COLUMN_WIDTHS.items():
            header.resizeSection(section, max(width, header.sectionSizeHint(section)))

    def showEvent(self, event: QShowEvent) -> None:
        self._fit_headings()
        super().showEvent(event)

    def _show_counts(self, total: int | None, per_status: dict[str, int] | None) -> None:
        """The total and the counts in the status list; while a date range's or a name search's counts are being
        counted (None) the page is already there: the list shows the names alone and the total says so."""
        self._per_status, self._counts_shown = per_status, True
        self.empty_label.setVisible(self.model.rowCount() == 0)
        if total is None or per_status is None:
            self.total_label.say(COUNTING)
        elif total == 1:
            self.total_label.say(N_("1 report"))
        else:
            self.total_label.say(N_("%1 reports"), QLocale(screen_language()).toString(total))
        for index in range(self.status_combo.count()):
            key = self.status_combo.itemData(index)
            name = tr("Open") if key == OPEN else tr("All") if key == ALL else status_name(key)
            if per_status is None:
                self.status_combo.setItemText(index, name)
                continue
            counts = {OPEN: sum(per_status.get(status, 0) for status in OPEN_STATUSES), ALL: sum(per_status.values())}
            count = QLocale(screen_language()).toString(counts.get(key, per_status.get(key, 0)))
            self.status_combo.setItemText(index, f"{name} ({count})")

    def focus_table(self) -> None:
        """Give the keys to the list of reports, a row chosen (the first, unless one is), so that Enter opens it."""
        if not self.table.currentIndex().isValid() and self.model.rowCount() > 0:
            self.table.setCurrentIndex(self.model.index(0, 0))
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.model.row_at(index.row()).tracking_number)
