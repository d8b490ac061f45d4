"""The one print path (printing/print_or_spool.py) and the full copy printed through it (printing/copy_printer.py):
spooled first, then CUPS; the spooled file goes once the job completed and stays, with the reason, when it did not.
Real PDFs and, where a printer is needed, the local CUPS scheduler with its virtual printers (scripts/start-cups.sh);
a dispatcher is faked only to play a print system that breaks in ways CUPS cannot be made to."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from helpers import load_sample
from print_helpers import PDF_PRINTER, page_size_mm, pdf_pages

from kiosk.config import config_from_mapping
from kiosk.receipts import REASONS, PrintOutcome
from kiosk.sealed import Sealer, SealError
from kiosk.storage.errors import StoreError
from kiosk.storage.key import StorageKey
from printing.copy_printer import KioskCopyPrinter
from printing.cups import DispatchResult
from printing.print_or_spool import PrintOrSpool

PDF = b"%PDF-1.4 a test page"


class Recording:
    """A print system that answers ``result`` (or raises ``error``) and records what it was sent."""

    def __init__(self, result: DispatchResult | None = None, error: Exception | None = None) -> None:
        self.result = result or DispatchResult(True, None, "completed", 7)
        self.error = error
        self.jobs: list[tuple[Path, str, str, str, bytes]] = []

    def print_pdf(self, pdf: Path, printer: str, media: str, title: str, timeout: float) -> DispatchResult:
        self.jobs.append((pdf, printer, media, title, pdf.read_bytes()))
        if self.error is not None:
            raise self.error
        return self.result


def output(tmp_path, clock, dispatcher, **printer) -> PrintOrSpool:
    return PrintOrSpool(config_from_mapping({"printer": printer}), tmp_path / "spool", dispatcher, clock)


def spooled(tmp_path) -> list[Path]:
    return sorted((tmp_path / "spool").glob("*.pdf*"))


def test_a_document_is_spooled_before_it_is_sent_and_removed_once_it_came_out(tmp_path, clock):
    cups = Recording()
    outcome = output(tmp_path, clock, cups, name="DESK").print_pdf("copy", "T26-01-00042-1", PDF, printer="DESK",
                                                                 media="Letter")
    assert outcome == PrintOutcome(printed=True)
    (path, printer, media, title, sent), = cups.jobs
    assert sent == PDF and tmp_path not in path.parents  # handed over from memory, not from the spool folder
    assert (printer, media, title) == ("DESK", "Letter", "P2C report copy T26-01-00042-1")
    assert spooled(tmp_path) == []  # nothing of what came out stays behind


@pytest.mark.parametrize("reason", [r for r in REASONS if r != "no_printer"])
def test_a_job_that_did_not_complete_keeps_the_document_and_says_why(tmp_path, clock, reason):
    cups = Recording(DispatchResult(False, reason, "test"))
    outcome = output(tmp_path, clock, cups).print_pdf("receipt", "T26-01-00042-1", PDF, printer="DESK", media="X")
    assert (outcome.printed, outcome.reason) == (False, reason)
    assert spooled(tmp_path) == [outcome.spooled_pdf] and outcome.spooled_pdf.read_bytes() == PDF
    assert oct(outcome.spooled_pdf.stat().st_mode & 0o777) == "0o600"


def test_without_a_printer_for_the_document_nothing_is_sent(tmp_path, clock):
    cups = Recording()
    outcome = output(tmp_path, clock, cups).print_pdf("receipt", "T26-01-00042-1", PDF, printer="", media="X")
    assert (outcome.printed, outcome.reason) == (False, "no_printer") and cups.jobs == []
    assert spooled(tmp_path) == [outcome.spooled_pdf]


def test_a_print_system_that_breaks_is_a_failed_job_and_the_document_is_kept(tmp_path, clock, caplog):
    cups = Recording(error=OSError("the scheduler went away"))
    outcome = output(tmp_path, clock, cups).print_pdf("copy", "T26-01-00042-1", PDF, printer="DESK", media="X")
    assert (outcome.printed, outcome.reason) == (False, "job_failed")
    assert spooled(tmp_path) == [outcome.spooled_pdf]
    assert "printing failed unexpectedly" in caplog.text


def test_a_spool_folder_that_cannot_be_written_is_a_failed_job_with_nothing_kept(tmp_path, clock):
    (tmp_path / "spool").write_text("a file where the folder should be")
    cups = Recording()
    outcome = output(tmp_path, clock, cups).print_pdf("copy", "T26-01-00042-1", PDF, printer="DESK", media="X")
    assert outcome == PrintOutcome(printed=False, spooled_pdf=None, reason="job_failed")
    assert cups.jobs == []  # never sent a document that is not safely kept first


# -- sealed with the storage key -------------------------------------------------------------------------------------

MARKER = b"%PDF-1.4 Jane Q. Citizen, 41 Farmington Ave, 860-555-0199"


class Spooling:
    """A print system that, while it prints, notes what the spool folder holds (the document must be kept)."""

    def __init__(self, folder: Path, result: DispatchResult) -> None:
        self.folder, self.result = folder, result
        self.seen: list[tuple[Path, bytes, list[Path]]] = []

    def print_pdf(self, pdf: Path, printer: str, media: str, title: str, timeout: float) -> DispatchResult:
        self.seen.append((pdf, pdf.read_bytes(), sorted(self.folder.iterdir())))
        return self.result


@pytest.mark.parametrize("printed", [True, False], ids=["printed", "not printed"])
def test_a_sealed_kiosk_spools_only_ciphertext_and_prints_from_memory(tmp_path, clock, printed):
    sealer = Sealer(StorageKey.generate())
    cups = Spooling(tmp_path / "spool", DispatchResult(printed, None if printed else "job_failed", "test"))
    printing = PrintOrSpool(config_from_mapping({"printer": {"name": "DESK"}}), tmp_path / "spool", cups, clock,
                            lambda: sealer)
    outcome = printing.print_pdf("receipt", "T26-01-00042-1", MARKER, printer="DESK", media="X")
    (path, sent, kept), = cups.seen
    assert sent == MARKER and str(path).startswith(f"/proc/{os.getpid()}/fd/")  # a memfd: never on a disk
    (file,) = kept  # while it printed, the document was kept, sealed
    assert file.name.startswith("receipt-T26-01-00042-1-") and file.name.endswith(".pdf.sealed")
    assert outcome.printed is printed
    if printed:
        assert spooled(tmp_path) == []
    else:
        assert spooled(tmp_path) == [outcome.spooled_pdf] == [file]
        data = file.read_bytes()
        assert b"Citizen" not in data and b"%PDF" not in data and oct(file.stat().st_mode & 0o777) == "0o600"
        assert sealer.unseal_file(file) == MARKER
        with pytest.raises(SealError):
            Sealer(StorageKey.generate()).unseal_file(file)
        tampered = bytearray(data)
        tampered[-1] ^= 1
        with pytest.raises(SealError, match="changed or damaged"):
            sealer.unseal(bytes(tampered))


def test_a_sealer_that_cannot_be_had_keeps_nothing_and_prints_nothing(tmp_path, clock):
    def no_key():
        raise StoreError("the storage key cannot be had")

    cups = Recording()
    printing = PrintOrSpool(config_from_mapping({}), tmp_path / "spool", cups, clock, no_key)
    outcome = printing.print_pdf("receipt", "T26-01-00042-1", MARKER, printer="DESK", media="X")
    assert outcome == PrintOutcome(printed=False, spooled_pdf=None, reason="job_failed")
    assert cups.jobs == [] and spooled(tmp_path) == []  # never in clear instead


# -- the full copy -------------------------------------------------------------------------------------------------


def copy_printer(tmp_path, clock, dispatcher, **printer) -> KioskCopyPrinter:
    return KioskCopyPrinter(config_from_mapping({"printer": printer}), tmp_path / "spool", dispatcher, clock)


def test_a_full_copy_goes_to_a_letter_printer_rendered_in_full(service, tmp_path, clock):
    report = service.get(service.submit(load_sample("larceny-bicycle")).tracking_number)
    cups = Recording()
    outcome = copy_printer(tmp_path, clock, cups, name="DESK", paper="letter").print_copy(report)
    assert outcome == PrintOutcome(printed=True)
    (_, printer, media, title, sent), = cups.jobs
    assert (printer, media, title) == ("DESK", "na_letter_8.5x11in", f"P2C report copy {report['tracking_number']}")
    for page in pdf_pages(sent):
        assert page_size_mm(page) == (pytest.approx(215.9, abs=0.5), pytest.approx(279.4, abs=0.5))


@pytest.mark.parametrize("printer", [{"name": "ROLL", "paper": "80mm"}, {"name": "", "paper": "letter"}],
                         ids=["a receipt roll", "no printer"])
def test_a_full_copy_without_a_letter_printer_is_kept_in_the_spool(service, tmp_path, clock, printer):
    report = service.get(service.submit(load_sample("lost-wallet")).tracking_number)
    cups = Recording()
    outcome = copy_printer(tmp_path, clock, cups, **printer).print_copy(report)
    assert (outcome.printed, outcome.reason) == (False, "no_printer") and cups.jobs == []
    assert outcome.spooled_pdf.name.startswith(f"copy-{report['tracking_number']}-")
    assert outcome.spooled_pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.slow
def test_a_full_copy_prints_on_a_real_letter_printer(service, tmp_path, clock, cups, cups_pdf_folder):
    report = service.get(service.submit(load_sample("identity-theft")).tracking_number)
    outcome = copy_printer(tmp_path, clock, cups, name=PDF_PRINTER, paper="letter").print_copy(report)
    assert outcome == PrintOutcome(printed=True)
    assert spooled(tmp_path) == []
    deadline = time.monotonic() + 15
    found: list[Path] = []
    while not found and time.monotonic() < deadline:
        found = [p for p in cups_pdf_folder.glob(f"P2C_report_copy_{report['tracking_number']}*.pdf")
                 if p.stat().st_size > 0]
        time.sleep(0.1)
    assert found, "cups-pdf wrote nothing for the copy"
    for path in found:
        path.unlink(missing_ok=True)


def test_a_full_copy_for_a_printer_that_does_not_exist_is_kept(service, tmp_path, clock, cups):
    report = service.get(service.submit(load_sample("lost-wallet")).tracking_number)
    outcome = copy_printer(tmp_path, clock, cups, name="P2C-NO-SUCH-PRINTER", paper="letter").print_copy(report)
    assert (outcome.printed, outcome.reason) == (False, "printer_missing")
    assert spooled(tmp_path) == [outcome.spooled_pdf]
