"""``p2c-kiosk receipt``, ``copy`` and ``print`` driven as an officer's script would, on a real data folder."""

from __future__ import annotations

import io
import json

import pytest
from helpers import FIXTURES
from print_helpers import PDF_PRINTER, page_size_mm, pdf_pages, pdf_text
from storage_keyring import storage_key

from kiosk.cli_common import EXIT_NOT_PRINTED
from kiosk.config import CONFIG_FILE_NAME, ensure_config_file
from kiosk.home import open_kiosk
from kiosk.sealed import Sealer
from kiosk.tracking import TrackingNumber
from p2c_kiosk import main


def cli(home, *args):
    out, err = io.StringIO(), io.StringIO()
    code = main(["--home", str(home), *args], stdin=io.StringIO(""), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def submitted(tmp_path):
    home = tmp_path / "home"
    code, out, err = cli(home, "submit", str(FIXTURES / "larceny-bicycle.json"), "--json")
    assert code == 0, err
    answer = json.loads(out)
    return home, answer["tracking_number"], answer["access_code"]


def code_works(home, tracking, code):
    kiosk = open_kiosk(home)
    try:
        return kiosk.reports.verify_access_code(tracking, code)
    finally:
        kiosk.close()


def history(home, tracking):
    kiosk = open_kiosk(home)
    try:
        return kiosk.reports.get(tracking)["history"]
    finally:
        kiosk.close()


@pytest.mark.parametrize(("paper", "width"), [("80mm", 80), ("letter", 215.9)])
def test_receipt_writes_a_pdf_with_a_new_access_code(submitted, tmp_path, paper, width):
    home, tracking, old_code = submitted
    output = tmp_path / "receipt.pdf"

    code, out, err = cli(home, "receipt", tracking.lower().replace("-", ""), "-o", str(output), "--paper", paper,
                         "--actor", "officer:0042")

    assert code == 0, err
    new_code = out.splitlines()[0].removeprefix("Access code: ")
    assert new_code != old_code
    assert page_size_mm(pdf_pages(output.read_bytes())[0])[0] == pytest.approx(width, abs=0.1)
    assert new_code in pdf_text(output.read_bytes()) and tracking in pdf_text(output.read_bytes())
    assert code_works(home, tracking, new_code) and not code_works(home, tracking, old_code)
    assert history(home, tracking)[-1] | {"at": None} == {
        "at": None, "actor": "officer:0042", "action": "receipt_reprinted", "status": "submitted",
        "reason_code": None, "message": None}


def test_receipt_to_a_folder_that_does_not_exist_keeps_the_old_code(submitted, tmp_path):
    home, tracking, old_code = submitted
    code, _, err = cli(home, "receipt", tracking, "-o", str(tmp_path / "missing" / "r.pdf"))
    assert code == 2 and "cannot write" in err
    assert code_works(home, tracking, old_code)
    assert [event["action"] for event in history(home, tracking)] == ["submitted"]


def test_copy_writes_the_full_report_in_the_chosen_language(submitted, tmp_path):
    home, tracking, old_code = submitted
    output = tmp_path / "copy.pdf"
    code, _, err = cli(home, "copy", tracking, "-o", str(output), "--lang", "es")
    assert code == 0, err
    words = pdf_text(output.read_bytes())
    assert "Autoinforme: copia completa" in words and "Whitfield" in words and "Página 1 de" in words
    assert old_code not in words
    assert code_works(home, tracking, old_code)  # a copy issues no new code


COMMANDS = [("receipt", ["-o", "x.pdf"]), ("copy", ["-o", "x.pdf"]), ("print", [])]


@pytest.mark.parametrize(("command", "extra"), COMMANDS)
def test_an_unknown_tracking_number_is_refused(submitted, tmp_path, command, extra):
    home, _, _ = submitted
    output = [str(tmp_path / e) if e.endswith(".pdf") else e for e in extra]
    code, _, err = cli(home, command, str(TrackingNumber(26, 1, 99)), *output)
    assert code == 1 and err.startswith("tracking_number: No report has this tracking number")
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize(("command", "extra"), COMMANDS)
@pytest.mark.parametrize(("tracking", "says"), [("T26-01-00001-9", "typing mistake"), ("hello", "")])
def test_a_malformed_tracking_number_is_refused_before_the_kiosk_is_opened(submitted, tmp_path, capsys, command,
                                                                           extra, tracking, says):
    home, _, _ = submitted
    output = [str(tmp_path / e) if e.endswith(".pdf") else e for e in extra]
    with pytest.raises(SystemExit) as refused:  # argparse's refusal, with the kiosk's words for it
        cli(home, command, tracking, *output)
    assert refused.value.code == 2
    err = capsys.readouterr().err
    assert "argument tracking_number: " in err and says in err
    assert not (tmp_path / "x.pdf").exists()


def test_print_without_a_printer_says_so_and_keeps_the_receipt(submitted):
    home, tracking, old_code = submitted
    code, out, err = cli(home, "print", tracking)
    assert code == EXIT_NOT_PRINTED
    assert "this kiosk has no printer set up" in err and "can be printed again later" in err
    spooled = list((home / "spool").glob(f"receipt-{tracking}-*.pdf.sealed"))  # sealed with the storage key
    assert len(spooled) == 1
    new_code = out.strip().removeprefix("Access code: ")
    assert new_code in pdf_text(Sealer(storage_key()).unseal_file(spooled[0]))
    assert code_works(home, tracking, new_code) and not code_works(home, tracking, old_code)


def test_print_messages_in_spanish(submitted):
    home, tracking, _ = submitted
    code, _, err = cli(home, "print", tracking, "--lang", "es")
    assert code == EXIT_NOT_PRINTED and "este quiosco no tiene una impresora configurada" in err


@pytest.mark.slow
def test_print_on_the_configured_printer(submitted, cups, cups_pdf_folder):
    home, tracking, _ = submitted
    config = ensure_config_file(home)
    assert config.name == CONFIG_FILE_NAME
    config.write_text(config.read_text(encoding="utf-8").replace('name = ""', f'name = "{PDF_PRINTER}"', 1),
                      encoding="utf-8")
    code, out, err = cli(home, "print", tracking)
    assert code == 0, err
    assert out.strip() == "The receipt was printed."
    assert list((home / "spool").glob("*.pdf*")) == []  # sealed or not
    for output in cups_pdf_folder.glob(f"P2C_receipt_{tracking}*.pdf"):
        output.unlink()
