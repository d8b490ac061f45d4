"""The kiosk's scanner reads both receipt QR codes (docs/lookup.md): the status page's link that receipts carry when
``[sync] status_page_url`` is set (the tracking number is filled in, the access code field is emptied and takes the
focus: the link never holds the code), and the ``P2C:<tracking>:<code>`` of older receipts (both filled, checked at
once). Driven the way a scanner does it: its characters typed into the focused field, then Enter."""

from __future__ import annotations

import pytest
from helpers import load_sample
from PySide6.QtCore import Qt
from test_check_report import LEFT, open_check_page

from kiosk.reports import SubmitReceipt
from kiosk.tracking import TrackingNumber
from kiosk.vocabulary import qr_payload
from ui.shell import KioskWindow

pytestmark = pytest.mark.gui

PAGE = "https://police.example.gov/status"


@pytest.fixture
def kiosk_window(open_window) -> KioskWindow:
    return open_window()


@pytest.fixture
def receipt(reports) -> SubmitReceipt:
    return reports.submit(load_sample("larceny-bicycle"))


def scan(qtbot, widget, text: str) -> None:
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


@pytest.mark.parametrize("field", ["tracking", "access_code"])
def test_a_scanned_status_page_link_fills_the_tracking_number_and_asks_for_the_code(kiosk_window, receipt, qtbot,
                                                                                    settle, field):
    window = kiosk_window
    open_check_page(window, qtbot)
    page = window.lookup_flow.check_page
    target = getattr(page, field).input
    qtbot.mouseClick(target, LEFT)
    link = qr_payload(TrackingNumber.parse(receipt.tracking_number), receipt.access_code, PAGE)
    assert link == f"{PAGE}?t={receipt.tracking_number}" and receipt.access_code not in link
    scan(qtbot, target, link)
    settle()
    assert window.current_page() is page  # nothing to check yet: the code is not in the link
    assert (page.tracking.value(), page.access_code.value()) == (receipt.tracking_number, "")
    assert window.focusWidget() is page.access_code.input
    assert not page.access_code.error.isVisible()
    qtbot.keyClicks(page.access_code.input, receipt.access_code)
    qtbot.keyClick(page.access_code.input, Qt.Key.Key_Return)
    settle()
    assert window.current_page() is window.lookup_flow.status_page
    assert receipt.tracking_number in window.lookup_flow.status_page.tracking_label.text()


def test_a_scanner_typing_in_capitals_still_gives_the_tracking_number(kiosk_window, receipt, qtbot, settle):
    window = kiosk_window
    open_check_page(window, qtbot)
    page = window.lookup_flow.check_page
    scan(qtbot, page.tracking.input, f"{PAGE}?t={receipt.tracking_number}".upper())
    settle()
    assert page.tracking.value() == receipt.tracking_number and window.focusWidget() is page.access_code.input


def test_an_old_receipts_code_still_fills_both_and_checks(kiosk_window, receipt, qtbot, settle):
    window = kiosk_window
    open_check_page(window, qtbot)
    page = window.lookup_flow.check_page
    old = qr_payload(TrackingNumber.parse(receipt.tracking_number), receipt.access_code)
    assert old == f"P2C:{receipt.tracking_number}:{receipt.access_code}"
    scan(qtbot, page.tracking.input, old)
    settle()
    assert window.current_page() is window.lookup_flow.status_page
