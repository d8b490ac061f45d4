"""Printing for real, through the local CUPS scheduler and its cups-pdf virtual printers (scripts/start-cups.sh),
and every way the paper can fail to come out: the report stays saved and the receipt is kept in the spool."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from helpers import load_sample
from print_helpers import HELD_PRINTER, PDF_PRINTER, STOPPED_PRINTER, page_size_mm, pdf_pages, unavailable

from kiosk.config import config_from_mapping
from kiosk.home import Kiosk
from kiosk.receipts import REASONS, PrintOutcome
from printing import ipp
from printing.cups import CupsDispatcher
from printing.ipp import IppClient
from printing.kiosk_printer import KioskReceiptPrinter


def printer_for(service, store, tmp_path, clock, dispatcher, **printer):
    """The kiosk's receipt printer on the test's store, with this ``[printer]`` configuration and ``dispatcher``."""
    kiosk = Kiosk(tmp_path, config_from_mapping({"printer": printer}), clock=clock, store=store, receipt_printer=None)
    return KioskReceiptPrinter(kiosk.reports, kiosk.config, kiosk.spool_folder, dispatcher, clock), kiosk.reports


def wait_for_output(folder: Path, tracking: str, timeout: float = 15) -> Path:
    """The PDF cups-pdf wrote for this receipt's job (named after the job title)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = sorted(folder.glob(f"P2C_receipt_{tracking}*.pdf"), key=lambda p: p.stat().st_mtime)
        if found and found[-1].stat().st_size > 0:
            return found[-1]
        time.sleep(0.1)
    raise AssertionError(f"cups-pdf wrote nothing for {tracking} in {folder}")


def assert_spooled(outcome: PrintOutcome, reason: str, spool: Path) -> None:
    assert outcome.printed is False and outcome.reason == reason and reason in REASONS
    assert outcome.spooled_pdf is not None and outcome.spooled_pdf.parent == spool
    assert outcome.spooled_pdf.read_bytes().startswith(b"%PDF")
    assert oct(outcome.spooled_pdf.stat().st_mode & 0o777) == "0o600"  # it carries the access code


@pytest.mark.slow
@pytest.mark.parametrize(("paper", "size"), [("80mm", None), ("letter", (215.9, 279.4))])
def test_a_receipt_job_completes_and_lands_as_a_pdf_of_the_right_size(service, store, tmp_path, clock, cups,
                                                                       cups_pdf_folder, paper, size):
    printer, reports = printer_for(service, store, tmp_path, clock, cups, name=PDF_PRINTER, paper=paper)
    submitted = reports.submit(load_sample("lost-wallet"))

    outcome = printer.print_receipt(submitted.tracking_number, submitted.access_code)

    assert outcome == PrintOutcome(printed=True)
    assert list((tmp_path / "spool").glob("*.pdf")) == []  # no copy of a receipt that came out
    output = wait_for_output(cups_pdf_folder, submitted.tracking_number)
    try:
        (width, height), = [page_size_mm(page) for page in pdf_pages(output.read_bytes())]
        if size is None:  # the roll: 80 mm wide and as long as the receipt, from media=Custom.80xLENGTHmm
            assert width == pytest.approx(80, abs=0.5)
            assert 150 < height < 400
        else:
            assert (width, height) == (pytest.approx(size[0], abs=0.5), pytest.approx(size[1], abs=0.5))
    finally:
        output.unlink(missing_ok=True)
    assert reports.get(submitted.tracking_number)["status"] == "submitted"


def test_a_printer_that_does_not_exist_keeps_the_receipt(service, store, tmp_path, clock, cups, caplog):
    printer, reports = printer_for(service, store, tmp_path, clock, cups, name="P2C-NO-SUCH-PRINTER")
    submitted = reports.submit(load_sample("larceny-bicycle"))

    with caplog.at_level("INFO"):
        outcome = printer.print_receipt(submitted.tracking_number, submitted.access_code)

    assert_spooled(outcome, "printer_missing", tmp_path / "spool")
    assert reports.get(submitted.tracking_number)["tracking_number"] == submitted.tracking_number
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any(submitted.tracking_number in m and "printer_missing" in m for m in warnings)
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert submitted.access_code not in logged and "Whitfield" not in logged  # no codes or personal data in logs


@pytest.fixture
def stopped_printer(cups):
    done = subprocess.run(["cupsdisable", "-r", "out of paper (test)", STOPPED_PRINTER], capture_output=True,
                          text=True, timeout=10)
    if done.returncode != 0:
        unavailable(f"cannot stop {STOPPED_PRINTER} (root or the lpadmin group is needed): {done.stderr.strip()}")
    yield STOPPED_PRINTER
    subprocess.run(["cupsenable", STOPPED_PRINTER], check=True, timeout=10)


def test_a_stopped_printer_keeps_the_receipt_and_gets_no_job(service, store, tmp_path, clock, cups, stopped_printer):
    printer, reports = printer_for(service, store, tmp_path, clock, cups, name=stopped_printer)
    submitted = reports.submit(load_sample("vandalism-car-es"))

    outcome = printer.print_receipt(submitted.tracking_number, submitted.access_code)

    assert_spooled(outcome, "printer_stopped", tmp_path / "spool")
    assert cups.printer_status(stopped_printer).stopped
    queued = subprocess.run(["lpstat", "-o", stopped_printer], capture_output=True, text=True, timeout=10).stdout
    assert queued.strip() == ""  # nothing waits to come out later in someone else's hands
    assert reports.get(submitted.tracking_number)["status"] == "submitted"


@pytest.mark.slow
def test_a_job_that_does_not_complete_in_time_is_cancelled_and_the_receipt_kept(service, store, tmp_path, clock,
                                                                                 cups):
    printer, reports = printer_for(service, store, tmp_path, clock, cups, name=HELD_PRINTER, job_timeout_seconds=3)
    submitted = reports.submit(load_sample("identity-theft"))

    started = time.monotonic()
    outcome = printer.print_receipt(submitted.tracking_number, submitted.access_code)

    assert 2.5 < time.monotonic() - started < 10
    assert_spooled(outcome, "job_failed", tmp_path / "spool")
    queued = subprocess.run(["lpstat", "-o", HELD_PRINTER], capture_output=True, text=True, timeout=10).stdout
    assert queued.strip() == ""  # cancelled, not left to print later


def test_without_a_print_system_the_printer_is_missing(service, store, tmp_path, clock):
    dead = CupsDispatcher(IppClient(str(tmp_path / "no-cupsd.sock"), timeout=1))
    printer, reports = printer_for(service, store, tmp_path, clock, dead, name=PDF_PRINTER)
    submitted = reports.submit(load_sample("lost-wallet"))

    outcome = printer.print_receipt(submitted.tracking_number, submitted.access_code)

    assert_spooled(outcome, "printer_missing", tmp_path / "spool")


def test_with_no_printer_configured_the_receipt_is_spooled(service, store, tmp_path, clock):
    class NeverCalled:
        def print_pdf(self, *args, **kwargs):
            raise AssertionError("no printer is configured: nothing may be sent")

    printer, reports = printer_for(service, store, tmp_path, clock, NeverCalled(), name="")
    submitted = reports.submit(load_sample("lost-wallet"))

    outcome = printer.print_receipt(submitted.tracking_number, submitted.access_code)

    assert_spooled(outcome, "no_printer", tmp_path / "spool")
    assert outcome.spooled_pdf.name.startswith(f"receipt-{submitted.tracking_number}-")


def test_the_printer_state_is_read_exactly(cups):
    status = cups.printer_status(PDF_PRINTER)
    assert status.exists and status.accepting and not status.stopped
    assert status.state in (ipp.PRINTER_IDLE, ipp.PRINTER_PROCESSING)
    assert not cups.printer_status("P2C-NO-SUCH-PRINTER").exists


def test_the_done_page_can_print_from_a_worker_thread(service, store, tmp_path, clock):
    import threading

    printer, reports = printer_for(service, store, tmp_path, clock, CupsDispatcher(), name="")
    submitted = reports.submit(load_sample("lost-wallet"))
    outcomes: list[PrintOutcome] = []
    worker = threading.Thread(target=lambda: outcomes.append(
        printer.print_receipt(submitted.tracking_number, submitted.access_code)))
    worker.start()
    worker.join(timeout=30)
    assert len(outcomes) == 1
    assert_spooled(outcomes[0], "no_printer", tmp_path / "spool")
