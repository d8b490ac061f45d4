"""Officer mode's drop-down lists under a finger: one tap does what it shows, and every entry is a touch target.

The taps are real touch events handed to Qt's window system layer (``QTest.touchEvent``), so they go the way a
touchscreen's do: through the open list's popup grab, Qt's mouse synthesis and its popup routing. (``qtbot.mouseClick``
sends straight to a widget and would walk past the open list.)
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QWidget

from ui.officer.common import MIN_TOUCH
from ui.officer.queue_model import LOCATION

# An open list is a popup window: the offscreen plugin says it cannot raise it or grab the keyboard for it.
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")]

QUICK_TAP_MS = 80
SLOW_TAP_MS = 700  # longer than Qt's double-click interval (400 ms), within which Qt ignores the opening release


@pytest.fixture(scope="module")
def finger():
    return QTest.createTouchDevice()


def tap(qtbot, finger, widget: QWidget, pos: QPoint | None = None, *, hold_ms: int = QUICK_TAP_MS) -> None:
    """A finger down on ``widget`` (its centre unless ``pos``), held ``hold_ms``, then lifted."""
    window = widget.window()
    point = widget.mapTo(window, pos if pos is not None else widget.rect().center())
    QTest.touchEvent(window, finger).press(0, point, window).commit()
    qtbot.wait(hold_ms)
    QTest.touchEvent(window, finger).release(0, point, window).commit()
    qtbot.wait(50)


def open_list(qtbot, finger, combo: QComboBox, *, hold_ms: int = QUICK_TAP_MS) -> QWidget:
    tap(qtbot, finger, combo, hold_ms=hold_ms)
    popup = combo.view()
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    qtbot.wait(450)  # the officer reads the list (and Qt's guard against the opening tap's release runs out)
    return popup


def row_centre(view, row: int) -> QPoint:
    """The middle of a row's Location cell (to the right of where the filter lists open)."""
    return view.table.visualRect(view.model.index(row, LOCATION)).center()


def test_a_tap_on_a_report_while_the_status_list_is_open_opens_it(qtbot, kit, officer_mode, finger):
    kit.submit()
    wanted = kit.submit("lost-wallet")
    mode = officer_mode()
    view = mode.queue
    popup = open_list(qtbot, finger, view.status_combo)  # to read the counts, without picking
    assert view.model.row_at(0).tracking_number == wanted
    assert not popup.window().geometry().contains(view.table.viewport().mapToGlobal(row_centre(view, 0)))

    tap(qtbot, finger, view.table.viewport(), row_centre(view, 0))

    qtbot.waitUntil(lambda: mode.pages.currentWidget() is mode.detail, timeout=2000)
    assert not popup.isVisible()
    assert mode.detail.tracking_number == wanted
    assert view.status_combo.currentData() == "open", "the tap chose no status"


def test_after_picking_a_status_one_tap_on_a_report_opens_it(qtbot, kit, officer_mode, finger):
    kit.submit()
    mode = officer_mode()
    view = mode.queue
    combo = view.status_combo
    popup = open_list(qtbot, finger, combo)
    everything = combo.findData("all")
    tap(qtbot, finger, popup.viewport(), popup.visualRect(combo.model().index(everything, 0)).center())
    qtbot.waitUntil(lambda: not popup.isVisible(), timeout=2000)
    assert combo.currentData() == "all"

    tap(qtbot, finger, view.table.viewport(), row_centre(view, 0))

    qtbot.waitUntil(lambda: mode.pages.currentWidget() is mode.detail, timeout=2000)


def test_a_slow_tap_opens_the_list_and_leaves_it_open(qtbot, kit, officer_mode, finger):
    kit.submit()
    mode = officer_mode()
    combo = mode.queue.status_combo
    activated = []
    combo.activated.connect(activated.append)
    popup = open_list(qtbot, finger, combo, hold_ms=SLOW_TAP_MS)
    assert popup.isVisible(), "the finger lifted on the entry under it, which picked it and closed the list"
    assert activated == []
    combo.hidePopup()


def combos_of(widget: QWidget) -> list[QComboBox]:
    return [combo for combo in widget.findChildren(QComboBox) if combo.isVisibleTo(widget.window())]


def item_heights(qtbot, combo: QComboBox) -> dict[str, int]:
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible, timeout=2000)
    heights = {combo.itemText(row): view.visualRect(combo.model().index(row, 0)).height()
               for row in range(combo.count())}
    combo.hidePopup()
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=2000)
    return heights


def test_every_entry_of_every_officer_drop_down_is_a_touch_target(qtbot, kit, officer_mode):
    tracking = kit.submit()
    mode = officer_mode()
    found = {}
    for combo in combos_of(mode.queue):
        found[combo.objectName()] = item_heights(qtbot, combo)
    mode.open_report(tracking)
    qtbot.waitUntil(lambda: mode.pages.currentWidget() is mode.detail, timeout=2000)
    for combo in combos_of(mode.detail):
        found[combo.objectName()] = item_heights(qtbot, combo)

    assert set(found) == {"status_filter_combo", "category_filter_combo", "nibrs_combo"}
    low = {name: {text: height for text, height in heights.items() if height < MIN_TOUCH}
           for name, heights in found.items()}
    assert {name: texts for name, texts in low.items() if texts} == {}
