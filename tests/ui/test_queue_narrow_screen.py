"""The officer queue on a portrait screen: its filters reflow onto two rows instead of making officer mode wider than
the screen (1,194 px on a 1,080 px screen pushed the date filter off it)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QPushButton

pytestmark = pytest.mark.gui


def same_row(mode) -> bool:  # type: ignore[no-untyped-def]
    """Whether the To date sits beside the status drop-down (its top above the drop-down's bottom)."""
    queue = mode.queue
    status_bottom = queue.status_combo.mapTo(queue, QPoint(0, queue.status_combo.height())).y()
    return queue.to_edit.mapTo(queue, QPoint(0, 0)).y() < status_bottom


@pytest.mark.parametrize(("width", "one_row"), [(1920, True), (1280, True), (1080, False)])
def test_the_filters_fit_the_screen_on_one_row_or_two(officer_mode, qtbot, width: int, one_row: bool) -> None:
    mode = officer_mode()
    mode.resize(width, 1920 if width == 1080 else 800)
    qtbot.wait(50)
    queue = mode.queue
    assert same_row(mode) is one_row
    right = queue.to_edit.mapTo(queue, QPoint(queue.to_edit.width(), 0)).x()
    assert right <= queue.width(), f"the To date ends at {right}, past the queue's {queue.width()} px"


def test_a_report_with_duplicates_fits_a_portrait_screen(officer_mode, kit, qtbot) -> None:
    """Long duplicate lines and the items table once made the report wider than a 1080-px screen (cut at the edge)."""
    first = kit.submit()
    kit.submit()  # the same person, address and bicycle: a possible duplicate of the first
    mode = officer_mode()
    mode.resize(1080, 1920)
    mode.open_report(first)
    qtbot.wait(50)
    detail = mode.detail
    assert mode.width() == 1080
    assert detail.scroll_area.widget().width() <= detail.scroll_area.viewport().width()
    links = [w for w in detail.findChildren(QPushButton) if w.objectName().startswith("duplicate_")]
    assert links and all(link.mapTo(detail, QPoint(link.width(), 0)).x() <= detail.width() for link in links)
