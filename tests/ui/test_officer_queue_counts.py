"""The queue's counts at any size: a status or category filter shows its counts with its page (kept by the database,
never counted), and so does a tracking number (one report); a date range or a name search shows its page first and
its counts once they have been counted on a worker thread, saying "Counting reports…" until then and never showing a
number of another filter."""

from __future__ import annotations

from datetime import date

import pytest
from officer_ui_support import type_into
from PySide6.QtCore import QDate, Qt
from review_support import fill_reports

from kiosk.review import QueueFilter

pytestmark = pytest.mark.gui


@pytest.fixture
def filled(kit):
    return fill_reports(kit.store, 300, seed=19)


def combo_texts(view) -> list[str]:
    return [view.status_combo.itemText(i) for i in range(view.status_combo.count())]


def test_status_and_category_counts_come_with_the_page(qtbot, kit, officer_mode, filled):
    view = officer_mode().queue
    assert not view.model.counts_pending
    counts = kit.review.status_counts(QueueFilter())
    assert f"Approved ({counts['approved']:,})" in combo_texts(view)
    view.category_combo.setCurrentIndex(view.category_combo.findData("vandalism"))
    view.apply_filter()
    assert not view.model.counts_pending  # no waiting: read with the page
    vandalism = kit.review.status_counts(QueueFilter(category="vandalism"))
    assert f"Rejected ({vandalism['rejected']:,})" in combo_texts(view)
    open_total = sum(vandalism[s] for s in ("submitted", "in_review", "needs_info"))
    assert view.total_label.text() == ("1 report" if open_total == 1 else f"{open_total:,} reports")


def test_a_name_search_shows_its_page_then_its_counts(qtbot, kit, officer_mode, filled):
    view = officer_mode().queue
    view.status_combo.setCurrentIndex(view.status_combo.findData("all"))
    view.apply_filter()
    family = filled.names[42][1].split()[0]
    type_into(qtbot, view.search_edit, family)
    qtbot.keyClick(view.search_edit, Qt.Key.Key_Return)
    # The page is there at once; the counts are being counted.
    assert view.model.rowCount() > 0
    assert view.model.counts_pending
    assert view.total_label.text() == "Counting reports…"
    assert "Approved" in combo_texts(view) and "All" in combo_texts(view)  # the names alone, no stale number
    qtbot.waitUntil(lambda: not view.model.counts_pending, timeout=3000)
    expected = kit.review.status_counts(QueueFilter(search=family))
    assert view.model.total == sum(expected.values())
    assert f"All ({sum(expected.values()):,})" in combo_texts(view)
    assert f"Approved ({expected['approved']:,})" in combo_texts(view)


def test_an_answer_for_an_earlier_filter_is_never_shown(qtbot, kit, officer_mode, filled):
    view = officer_mode().queue
    model = view.model
    view.to_edit.setDate(QDate(2024, 6, 30))  # counted on the worker pool...
    assert model.counts_pending
    view.clear_filters()  # ...but the officer cleared the filters: kept counts, at once
    assert not model.counts_pending
    kept_total = model.total
    assert kept_total != kit.review.queue_count(QueueFilter(statuses=model.queue_filter.statuses,
                                                            submitted_to=date(2024, 6, 30)))
    qtbot.wait(500)  # the earlier answer arrives meanwhile, and is dropped
    assert model.total == kept_total == kit.review.queue_count(model.queue_filter)
    assert view.total_label.text() == f"{kept_total:,} reports"


def test_a_tracking_number_counts_its_one_report_with_the_page(qtbot, kit, officer_mode, filled):
    view = officer_mode().queue
    view.status_combo.setCurrentIndex(view.status_combo.findData("all"))
    type_into(qtbot, view.search_edit, filled.tracking_numbers[7])
    qtbot.keyClick(view.search_edit, Qt.Key.Key_Return)
    assert not view.model.counts_pending
    assert view.model.rowCount() == 1 and view.total_label.text() == "1 report"


def test_a_decision_moves_the_kept_counts_at_once(qtbot, kit, officer_mode):
    tracking = kit.submit()
    view = officer_mode().queue
    assert "Submitted (1)" in combo_texts(view)
    kit.review.open_report(tracking, kit.session())  # submitted -> in review
    view.refresh_row(tracking)
    assert not view.model.counts_pending
    assert "Submitted (0)" in combo_texts(view) and "In review (1)" in combo_texts(view)


def test_the_counts_of_a_date_range_match_the_core(qtbot, kit, filled):
    from ui.officer.queue_model import QueueModel

    model = QueueModel(kit.review)
    flt = QueueFilter(submitted_from=date(2025, 6, 1), submitted_to=date(2025, 12, 31))
    model.set_filter(flt)
    assert model.counts_pending and model.total is None and model.status_counts is None
    qtbot.waitUntil(lambda: not model.counts_pending, timeout=3000)
    assert model.status_counts == kit.review.status_counts(flt)
    assert model.total == kit.review.queue_count(flt) > 0
