"""Focus order = reading order (issue 21; WCAG 2.2 §2.4.3): on every page and state of a visitor's path, Tab visits the
page's controls top to bottom, and along a row from the start of the line to its end (left to right; right to left in
the right-to-left pseudo-locale), then the page's Back / Next bar, and the header's switches and languages last (they
are there on every page; a visitor who wants them reaches them with one Shift+Tab from the page's first control).

Side-by-side groups (the "From" and "To" pickers) are read one after the other, each top to bottom: two controls are
compared by the children of their nearest common parent that hold them, so a column is finished before the next.
The chain is read by pressing Tab in the window, as a keyboard does, round the page once."""

from __future__ import annotations

from itertools import pairwise

import pytest
from helpers import load_sample
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from ui.walkthrough import Visitor, settle, tour

pytestmark = [pytest.mark.gui, pytest.mark.slow]

MAX_STOPS = 120


def tab_chain(window: QWidget) -> list[QWidget]:
    """The controls Tab visits, once round, from the one that has the focus now (the window activated first: a tap
    sent by Qt Test leaves an offscreen window inactive)."""
    window.activateWindow()
    settle()
    seen: list[QWidget] = []
    for _ in range(MAX_STOPS):
        QTest.keyClick(window.windowHandle(), Qt.Key.Key_Tab)
        settle()
        focused = window.focusWidget()
        if focused is None or focused in seen:
            break
        seen.append(focused)
    return seen


def rect_in(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def holder_below(ancestor: QWidget, widget: QWidget) -> QWidget:
    """The child of ``ancestor`` that holds ``widget`` (or ``widget`` itself)."""
    while widget.parentWidget() is not ancestor:
        parent = widget.parentWidget()
        assert parent is not None
        widget = parent
    return widget


def common_parent(a: QWidget, b: QWidget) -> QWidget:
    parent = a.parentWidget()
    while parent is not None and not parent.isAncestorOf(b):
        parent = parent.parentWidget()
    assert parent is not None
    return parent


def reads_before(a: QWidget, b: QWidget, window: QWidget, right_to_left: bool) -> bool:
    """Whether ``a`` comes before ``b`` in reading order: their holders under the common parent, on one line (their
    heights overlap by half the lower one) by the line's direction, else top first."""
    parent = common_parent(a, b)
    first, second = rect_in(holder_below(parent, a), window), rect_in(holder_below(parent, b), window)
    overlap = min(first.bottom(), second.bottom()) - max(first.top(), second.top())
    if overlap > min(first.height(), second.height()) / 2:
        if right_to_left:
            return first.center().x() > second.center().x()
        return first.center().x() < second.center().x()
    return first.center().y() < second.center().y()


def from_after_the_header(chain: list[QWidget], header: QWidget) -> list[QWidget]:
    """The round of Tab stops turned to start at the first stop after the header's (the page's first control)."""
    for index, widget in enumerate(chain):
        if header.isAncestorOf(widget) and not header.isAncestorOf(chain[(index + 1) % len(chain)]):
            start = (index + 1) % len(chain)
            return chain[start:] + chain[:start]
    return chain


def out_of_order(window, chain: list[QWidget], right_to_left: bool) -> list[str]:
    header = window.header
    chain = from_after_the_header(chain, header)
    page_part = [widget for widget in chain if not header.isAncestorOf(widget)]
    header_part = chain[len(page_part):]
    page_part = chain[:len(page_part)]
    problems = []
    if any(not header.isAncestorOf(widget) for widget in header_part):
        problems.append("the header's controls are not last: " + ", ".join(w.objectName() for w in chain))
    for a, b in pairwise(page_part):
        if not reads_before(a, b, window, right_to_left):
            problems.append(f"{a.objectName()} -> {b.objectName()}")
    return problems


@pytest.mark.parametrize("right_to_left", [False, True], ids=["left_to_right", "right_to_left"])
def test_tab_follows_the_reading_order_on_every_page(make_window, config, right_to_left):
    window = make_window(check_reports=True)
    window.resize(1280, 800)
    if right_to_left:
        window.switcher.set_pseudo_locale(right_to_left=True)
        settle()
    visitor = Visitor(window)
    report = load_sample("lost-wallet")
    found: dict[str, list[str]] = {}
    stops: dict[str, int] = {}
    def check(stop: str) -> None:
        window.resize(1280, 800)
        settle()
        if right_to_left:
            assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft, f"{stop}: not laid out right to left"
        chain = tab_chain(window)
        assert chain, f"{stop}: Tab reaches nothing"
        stops[stop] = len(chain)
        problems = out_of_order(window, chain, right_to_left)
        if problems:
            found[stop] = problems

    for stop in tour(visitor, report, config.kiosk.zone):
        check(stop)
    if right_to_left:
        window.switcher.set_pseudo_locale(right_to_left=True)  # the visit's end went back to the default language
    visitor.tap("check_report_button")
    check("check_a_report")
    print("\nTab stops per page:", stops)
    assert not found, found


def test_the_first_tab_goes_to_the_page_not_the_header(make_window):
    """The window heads the Tab ring: its first Tab lands on the page's first control, on the welcome page and after
    the wizard has been built (just after the first paint; Qt puts later widgets at the end of the ring)."""
    window = make_window()
    settle()
    assert window.isActiveWindow()
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_Tab)
    settle()
    assert window.focusWidget() is Visitor(window).find("start_button")
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_Space)
    settle()
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_Tab)
    settle()
    assert window.focusWidget() is Visitor(window).find("screening_emergency_yes_button")
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    settle()
    assert window.focusWidget() is window.header.tab_stops()[-1], "Shift+Tab from the page's first control"
