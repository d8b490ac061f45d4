"""Receipts on real IPP printers that fail the way receipt printers do: out of paper, jammed, cover open.

Each printer is CUPS's ippeveprinter behind a CUPS queue (scripts/start-ipp-printer.sh); its print command writes
``STATE: +media-empty-error`` (or media-jam-error, cover-open-error) to stderr and fails, as a printer's driver does.
A receipt sent to it never counts as printed, whatever CUPS makes of the job (cancelled, stuck waiting for paper, or
even "completed": CUPS's ipp backend marks some of these jobs completed), the kiosk knows within 5 s, keeps the
receipt in its spool folder for the Done page's QR code and the desk, and leaves no job behind to come out later.
The doctor's printer line and the welcome page's readiness say the same, with what the desk should do.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import load_sample
from print_helpers import HELD_PRINTER, IPP_COVER, IPP_EMPTY, IPP_JAM, IPP_LOW, IPP_OK, STOPPED_PRINTER, unavailable
from reportlab.pdfgen.canvas import Canvas

from kiosk.config import config_from_mapping
from kiosk.doctor import Level
from kiosk.home import Kiosk
from kiosk.receipts import PrintOutcome
from printing import ipp
from printing.cups import CupsDispatcher
from printing.doctor import check_printer, check_queue
from printing.ipp import IppClient, IppResponse
from printing.kiosk_printer import KioskReceiptPrinter
from printing.printer_state import Problem
from printing.readiness import kiosk_printer_readiness, printer_readiness

DETECTED_WITHIN = 5.0  # seconds: the promise for each fault
FAULTS = [(IPP_EMPTY, Problem.PAPER_OUT, "paper"), (IPP_JAM, Problem.PAPER_JAM, "jam"),
          (IPP_COVER, Problem.COVER_OPEN, "cover")]


def receipt_printer(store, tmp_path, clock, dispatcher, queue):
    kiosk = Kiosk(tmp_path, config_from_mapping({"printer": {"name": queue}}), clock=clock, store=store,
                  receipt_printer=None)
    return KioskReceiptPrinter(kiosk.reports, kiosk.config, kiosk.spool_folder, dispatcher, clock), kiosk


def queued(queue: str) -> str:
    return subprocess.run(["lpstat", "-o", queue], capture_output=True, text=True, timeout=10).stdout.strip()


@pytest.mark.parametrize(("queue", "problem", "word"), FAULTS)
def test_a_receipt_on_a_faulty_printer_is_never_printed_and_the_fault_is_known_within_5_s(
        store, tmp_path, clock, ipp_printers, queue, problem, word):
    printer, kiosk = receipt_printer(store, tmp_path, clock, ipp_printers, queue)
    # Two receipts: the first finds the fault as the printer reports it during the job; the second is sent to a
    # printer that CUPS already knows to be faulty (whichever of the two a fresh printer gives first).
    for sample in ("lost-wallet", "vandalism-car-es"):
        submitted = kiosk.reports.submit(load_sample(sample))
        started = time.monotonic()

        outcome = printer.print_receipt(submitted.tracking_number, submitted.access_code)

        elapsed = time.monotonic() - started
        assert outcome.printed is False, f"{queue}: a receipt that did not come out counted as printed"
        assert outcome.reason == "printer_stopped"
        assert elapsed < DETECTED_WITHIN, f"{queue}: the fault took {elapsed:.1f} s to be known"
        assert outcome.spooled_pdf is not None and outcome.spooled_pdf.read_bytes().startswith(b"%PDF")
        assert queued(queue) == ""  # nothing left to come out later, in the next visitor's hands

    readiness = kiosk_printer_readiness(kiosk)
    assert readiness.can_print is False and readiness.problem is problem
    finding = check_printer(kiosk)
    assert finding.level is Level.FAULT
    assert finding.says.startswith(f"{queue}: ") and problem.says in finding.says
    assert word in finding.todo


@pytest.mark.parametrize("queue", [IPP_OK, IPP_LOW])
def test_a_healthy_printer_or_one_with_little_paper_left_prints(store, tmp_path, clock, ipp_printers, queue):
    printer, kiosk = receipt_printer(store, tmp_path, clock, ipp_printers, queue)
    submitted = kiosk.reports.submit(load_sample("larceny-bicycle"))

    outcome = printer.print_receipt(submitted.tracking_number, submitted.access_code)

    assert outcome == PrintOutcome(printed=True)
    assert list(kiosk.spool_folder.glob("*.pdf")) == []
    readiness = kiosk_printer_readiness(kiosk)
    finding = check_printer(kiosk)
    assert readiness.can_print is True
    if queue == IPP_OK:
        assert readiness.problem is None and readiness.status == "printer: ready"
        assert finding.level is Level.OK and finding.says.endswith("completed"), finding.line()
    else:  # the print command said media-low-warning: a warning, and the desk is told to have paper ready
        assert readiness.problem is Problem.PAPER_LOW and readiness.status == "printer: paper low"
        assert finding.level is Level.WARNING and "paper" in finding.todo


def test_a_job_cups_calls_completed_while_the_printer_reports_a_jam_is_not_printed(tmp_path, ipp_printers):
    """CUPS's ipp backend marks completed some jobs that the printer itself aborted (about one in three on a fresh
    ippeveprinter): the job-state says 9, the printer says media-jam. This replays those two answers from the
    scheduler around a real job (sent to a healthy queue, then answered for by the recording)."""
    real = IppClient()

    class Recorded:
        def __init__(self) -> None:
            self.printer_answers = [["none"], ["media-jam-report"]]

        def printer_attributes(self, printer: str, names: tuple[str, ...]) -> IppResponse:
            reasons = self.printer_answers.pop(0) if len(self.printer_answers) > 1 else self.printer_answers[0]
            return IppResponse(0, {"printer-state": [ipp.PRINTER_IDLE], "printer-is-accepting-jobs": [True],
                                   "printer-state-reasons": list(reasons)})

        def job_attributes(self, job_id: int, names: tuple[str, ...]) -> IppResponse:
            real.job_attributes(job_id, names)  # the job exists
            return IppResponse(0, {"job-state": [ipp.JOB_COMPLETED], "job-state-reasons": ["processing-to-stop-point"]})

    pdf = tmp_path / "receipt.pdf"
    page = Canvas(str(pdf))
    page.drawString(72, 720, "P2C replay")
    page.save()
    result = CupsDispatcher(Recorded()).print_pdf(pdf, IPP_OK, "", "P2C replay", 10)

    assert result.printed is False and result.reason == "printer_stopped"
    assert "paper jam" in result.detail


def test_the_doctor_warns_when_the_last_job_did_not_complete(ipp_printers, tmp_path):
    pdf = tmp_path / "page.pdf"
    page = Canvas(str(pdf))
    page.drawString(72, 720, "held, then cancelled")
    page.save()
    submitted = subprocess.run(["lp", "-d", HELD_PRINTER, str(pdf)], capture_output=True, text=True, timeout=10)
    job = submitted.stdout.split()[3]  # "request id is P2C-TEST-HELD-12 (1 file(s))"
    subprocess.run(["cancel", job], check=True, timeout=10)

    finding = check_queue(HELD_PRINTER)

    assert finding.level is Level.WARNING
    assert finding.says == f"{HELD_PRINTER}: ready; its last job ({job.rsplit('-', 1)[1]}) was cancelled"
    assert "spool folder" in finding.todo


def test_the_doctor_and_the_readiness_of_a_stopped_queue(ipp_printers):
    done = subprocess.run(["cupsdisable", "-r", "test", STOPPED_PRINTER], capture_output=True, text=True, timeout=10)
    if done.returncode != 0:
        unavailable(f"cannot stop {STOPPED_PRINTER} (root or the lpadmin group is needed): {done.stderr.strip()}")
    try:
        finding = check_queue(STOPPED_PRINTER)
        readiness = printer_readiness(STOPPED_PRINTER)
    finally:
        subprocess.run(["cupsenable", STOPPED_PRINTER], check=True, timeout=10)
    assert finding.level is Level.FAULT and f"sudo cupsenable {STOPPED_PRINTER}" in finding.todo
    assert readiness.can_print is False and readiness.problem is Problem.STOPPED


def test_a_missing_queue_no_print_system_and_no_printer(ipp_printers, tmp_path):
    missing = check_queue("P2C-NO-SUCH-PRINTER")
    assert missing.level is Level.FAULT and "lpstat -p" in missing.todo
    assert printer_readiness("P2C-NO-SUCH-PRINTER").problem is Problem.PRINTER_MISSING

    dead = IppClient(str(tmp_path / "no-cupsd.sock"), timeout=1)
    assert check_queue(IPP_OK, dead).level is Level.FAULT
    assert printer_readiness(IPP_OK, dead).problem is Problem.NO_PRINT_SYSTEM

    none = check_queue("")
    assert none.level is Level.OK and "on screen" in none.says
    assert printer_readiness("").can_print is False and printer_readiness("").problem is Problem.NO_PRINTER


def test_the_readiness_is_cheap_enough_for_a_timer(ipp_printers):
    printer_readiness(IPP_EMPTY)
    started = time.perf_counter()
    for _ in range(20):
        printer_readiness(IPP_EMPTY)
    assert (time.perf_counter() - started) / 20 < 0.05  # a few ms each here


def test_the_doctor_finds_the_printer_check_through_its_entry_point():
    from importlib.metadata import entry_points

    found = {entry.name: entry.value for entry in entry_points(group="p2c_kiosk.doctor")}
    assert found.get("printer") == "printing.doctor:check_printer"


def test_the_welcome_page_readiness_loads_no_qt_and_no_reportlab():
    code = ("import sys; from printing.readiness import printer_readiness; from printing.doctor import check_queue; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'PySide6', 'reportlab', 'ui'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
