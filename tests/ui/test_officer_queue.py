"""The review queue: paged from the core (never all rows), filters and search change the rows, a tap opens one."""

from __future__ import annotations

from datetime import date

import pytest
from officer_ui_support import click, type_into
from PySide6.QtCore import QDate, Qt
from review_support import fill_reports

from kiosk.report_keys import fold
from kiosk.review import QueueFilter
from ui.officer.queue_model import PAGE_SIZE, QueueModel, age_text
from ui.officer.queue_view import NO_DATE

pytestmark = pytest.mark.gui


@pytest.fixture
def filled(kit):
    return fill_reports(kit.store, 500, seed=7)


def choose(qtbot, combo, data: str) -> None:
    """Pick an entry of a combo box with the keys, as a keyboard user would (each key press is an "activated")."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentData() == data:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() == data


def statuses_shown(view) -> set[str]:
    model = view.model
    return {model.data(model.index(row, 4)) for row in range(model.rowCount())}


def test_the_model_fetches_page_by_page(kit, filled):
    model = QueueModel(kit.review)
    model.set_filter(QueueFilter())
    assert model.rowCount() == PAGE_SIZE and model.total == 500
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 2 * PAGE_SIZE
    seen = [model.row_at(row).tracking_number for row in range(model.rowCount())]
    assert len(set(seen)) == len(seen), "keyset paging must not repeat a row"
    newest_first = [model.row_at(row).key for row in range(model.rowCount())]
    assert newest_first == sorted(newest_first, reverse=True)
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 500
    assert {model.row_at(row).tracking_number for row in range(500)} == set(filled.tracking_numbers)


def test_the_view_holds_one_page_until_it_scrolls(qtbot, officer_mode, filled):
    mode = officer_mode()
    view = mode.queue
    choose(qtbot, view.status_combo, "all")  # the default is the open reports
    assert view.model.rowCount() == PAGE_SIZE
    assert view.total_label.text() == "500 reports"
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: view.model.rowCount() > PAGE_SIZE, timeout=3000)
    assert view.model.rowCount() == 2 * PAGE_SIZE


def test_status_filter_shows_counts_and_changes_the_rows(qtbot, kit, officer_mode, filled):
    mode = officer_mode()
    view = mode.queue
    counts = kit.review.status_counts(QueueFilter())
    assert statuses_shown(view) <= {"Submitted", "In review", "Needs info"}
    texts = [view.status_combo.itemText(i) for i in range(view.status_combo.count())]
    assert f"Approved ({counts['approved']:,})" in texts
    assert f"All ({sum(counts.values()):,})" in texts
    choose(qtbot, view.status_combo, "rejected")
    assert statuses_shown(view) == {"Rejected"}
    assert view.total_label.text() == f"{counts['rejected']:,} reports"


def test_category_and_dates_filter(qtbot, kit, officer_mode, filled):
    view = officer_mode().queue
    choose(qtbot, view.status_combo, "all")
    choose(qtbot, view.category_combo, "lost_property")
    model = view.model
    assert {model.data(model.index(row, 2)) for row in range(model.rowCount())} == {"Lost property"}
    lost = model.total
    view.from_edit.setDate(QDate(2026, 1, 1))
    view.to_edit.setDate(QDate(2026, 3, 31))
    assert view.total_label.text() == "Counting reports…"  # a date range is counted after the page is shown
    qtbot.waitUntil(lambda: not model.counts_pending, timeout=3000)
    assert 0 < model.total < lost
    assert view.total_label.text() == f"{model.total:,} reports"
    days = {model.row_at(row).submitted_at.date() for row in range(model.rowCount())}
    assert min(days) >= date(2026, 1, 1) and max(days) <= date(2026, 3, 31)
    click(qtbot, view.clear_button)
    assert view.from_edit.date() == NO_DATE and view.category_combo.currentData() == ""


def test_search_by_tracking_number_and_by_name(qtbot, kit, officer_mode, filled):
    view = officer_mode().queue
    wanted = filled.tracking_numbers[123]
    type_into(qtbot, view.search_edit, wanted)
    qtbot.keyClick(view.search_edit, Qt.Key.Key_Return)
    choose(qtbot, view.status_combo, "all")
    assert view.model.rowCount() == 1 and view.model.row_at(0).tracking_number == wanted

    view.search_edit.clear()
    _first, last = filled.names[200]
    type_into(qtbot, view.search_edit, last[:4])  # no Enter: the search runs after a short pause in typing
    qtbot.waitUntil(lambda: view.model.queue_filter.search == last[:4], timeout=2000)
    assert view.model.rowCount() > 0
    prefix = fold(last[:4])
    expected = {number for number, (first, family) in zip(filled.tracking_numbers, filled.names, strict=True)
                if any(word.startswith(prefix) for word in fold(f"{first} {family}").replace("'", " ").split())}
    shown = {view.model.row_at(row).tracking_number for row in range(view.model.rowCount())}
    assert shown <= expected
    qtbot.waitUntil(lambda: not view.model.counts_pending, timeout=3000)
    assert view.model.total == len(expected)


def test_a_tap_on_a_row_opens_the_report(qtbot, kit, officer_mode):
    tracking = kit.submit()
    mode = officer_mode()
    view = mode.queue
    assert view.model.rowCount() == 1
    rect = view.table.visualRect(view.model.index(0, 0))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert mode.pages.currentWidget() is mode.detail
    assert mode.detail.tracking_number == tracking
    click(qtbot, mode.detail.back_button)
    assert mode.pages.currentWidget() is view
    assert view.model.data(view.model.index(0, 4)) == "In review"  # the row was read again


def test_enter_on_a_row_opens_the_report(qtbot, kit, officer_mode):
    kit.submit()
    second = kit.submit("lost-wallet")
    mode = officer_mode()
    view = mode.queue
    view.table.setFocus()
    view.table.selectRow(0)
    view.table.setCurrentIndex(view.model.index(0, 0))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert mode.pages.currentWidget() is mode.detail
    assert mode.detail.tracking_number == second  # newest first


@pytest.mark.parametrize(("minutes", "text"), [(5, "5 min"), (180, "3 h"), (60 * 47, "47 h"), (60 * 24 * 9, "9 d")])
def test_age_is_short(minutes, text):
    from datetime import timedelta

    assert age_text(timedelta(minutes=minutes)) == text


def test_the_total_matches_the_core_count_for_every_kind_of_filter(qtbot, kit, filled):
    model = QueueModel(kit.review)
    for flt in (QueueFilter(), QueueFilter(statuses=("approved",)), QueueFilter(statuses=("submitted", "needs_info")),
                QueueFilter(category="larceny", statuses=("rejected",)), QueueFilter(search=filled.names[3][1]),
                QueueFilter(submitted_from=date(2026, 1, 1), submitted_to=date(2026, 6, 30))):
        model.set_filter(flt)
        qtbot.waitUntil(lambda: not model.counts_pending, timeout=3000)
        assert model.total == kit.review.queue_count(flt), flt
