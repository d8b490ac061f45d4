"""The Done page: tracking number and access code large, the receipt printed off the UI thread, or the plain-words
fallback when it cannot be, and back to the welcome page on its own after a while."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading

import pytest
from helpers import load_sample
from printer_fakes import BrokenPrinter, FakePrinter

from kiosk.config import config_from_mapping
from kiosk.receipts import PrintOutcome
from kiosk.tracking import TrackingNumber
from ui.timings import Timings
from ui.walkthrough import Visitor
from ui.wizard.page_ids import PageId

pytestmark = pytest.mark.gui


def submit_a_report(window, config) -> Visitor:
    visitor = Visitor(window)
    visitor.report(load_sample("identity-theft"), config.kiosk.zone)
    visitor.attest()
    visitor.submit()
    assert window.wizard.currentId() == PageId.DONE
    return visitor


def test_the_receipt_is_printed_off_the_ui_thread_while_the_page_says_printing(make_window, config, qtbot):
    printer = FakePrinter()
    printer.release.clear()  # the printer is slow: it waits until the test lets it go
    window = make_window(printer=printer)
    submit_a_report(window, config)
    done = window.current_page()

    assert done.receipt_label.text() == "Printing your receipt…"
    assert done.tracking_label.text().startswith("T26-01-")
    assert len(done.access_label.text()) == 9
    assert "watch your email and your phone" in done.next_label.text().lower()
    printer.release.set()
    qtbot.waitUntil(lambda: done.print_state == "printed")
    assert done.receipt_label.text() == "Take your receipt from the printer."
    assert not done.qr_code.isVisible()
    assert printer.calls == [(done.tracking_label.text(), done.access_label.text())]
    assert printer.threads and printer.threads[0] is not threading.main_thread()


def test_the_page_keeps_the_tracking_number_as_a_value_not_as_its_label(make_window, config, qtbot):
    """The label only shows the number: the printer, the late-answer check and the QR code take the value."""
    printer = FakePrinter()
    printer.release.clear()
    window = make_window(printer=printer)
    submit_a_report(window, config)
    done = window.current_page()
    shown = done.tracking_label.text()
    assert isinstance(done.tracking_number, TrackingNumber) and done.tracking_number == shown
    assert done.tracking_label.accessibleName() == " ".join(done.tracking_number.compact)
    done.tracking_label.setText("something else")  # what a label says decides nothing
    printer.release.set()
    qtbot.waitUntil(lambda: done.print_state == "printed")
    [(printed, _code)] = printer.calls
    assert isinstance(printed, TrackingNumber) and printed == shown
    done.wipe()
    assert done.tracking_number is None and done.access_code is None


@pytest.mark.parametrize("printer", [None, FakePrinter(PrintOutcome(printed=False, reason="printer_stopped")),
                                     BrokenPrinter()], ids=["no printer", "not printed", "printer raises"])
def test_when_no_receipt_comes_out_the_page_says_so_plainly(make_window, config, qtbot, printer):
    window = make_window(printer=printer)
    submit_a_report(window, config)
    done = window.current_page()
    qtbot.waitUntil(lambda: done.print_state == "not_printed")
    assert "could not be printed" in done.receipt_label.text()
    assert "write down these two numbers or take a photo" in done.receipt_label.text()
    assert done.tracking_label.isVisible() and done.access_label.isVisible()
    assert done.qr_code.isVisible() and done.qr_code.height() >= 200


def zbarimg() -> str:
    found = shutil.which("zbarimg")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("zbarimg (zbar-tools, scripts/debian-packages/printing.txt) is missing in CI")
        pytest.skip("zbarimg (Debian's zbar-tools) is not installed")
    return found


def decoded_on_screen(done, tmp_path) -> str:
    shot = tmp_path / "qr.png"
    assert done.qr_code.grab().save(str(shot))
    decoded = subprocess.run([zbarimg(), "--raw", "-q", str(shot)], capture_output=True, text=True, timeout=30)
    return decoded.stdout.strip()


def test_the_qr_code_on_screen_decodes_to_the_receipt_payload(make_window, config, qtbot, tmp_path):
    zbarimg()
    window = make_window(printer=None)
    submit_a_report(window, config)
    done = window.current_page()
    qtbot.waitUntil(lambda: done.qr_code.isVisible())
    assert decoded_on_screen(done, tmp_path) == f"P2C:{done.tracking_label.text()}:{done.access_label.text()}"
    done.wipe()
    assert not done.qr_code.has_code() and not done.qr_code.isVisible()


def test_finish_and_the_timeout_both_return_to_a_wiped_welcome_page(make_window, config, qtbot):
    window = make_window(timings=Timings(done_return_ms=300))
    visitor = submit_a_report(window, config)
    visitor.finish()
    assert window.current_page() is window.welcome_page

    submit_a_report(window, config)
    qtbot.waitUntil(lambda: window.current_page() is window.welcome_page, timeout=3000)
    assert window.wizard.currentId() == PageId.SCREEN_EMERGENCY


def test_with_a_status_page_the_qr_code_on_screen_opens_it_as_the_receipts_would(make_window, config, qtbot,
                                                                                   tmp_path):
    """A phone photographing the screen opens the status page with the tracking number filled in (the access code is
    never in the link: it stays on the screen beside it)."""
    zbarimg()
    with_page = config_from_mapping({"sync": {"status_page_url": "https://police.example.gov/status"}})
    window = make_window(printer=None, config=with_page)
    submit_a_report(window, with_page)
    done = window.current_page()
    qtbot.waitUntil(lambda: done.qr_code.isVisible())
    link = decoded_on_screen(done, tmp_path)
    assert link == f"https://police.example.gov/status?t={done.tracking_label.text()}"
    assert done.access_label.text().replace("-", "") not in link.replace("-", "")
