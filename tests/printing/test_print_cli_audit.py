"""``p2c-kiosk receipt``, ``copy`` and ``print`` write an audit entry, as officer mode's prints do (issue 16, part 3:
the copy holds every personal field, and the README says every print is audited); the chain still verifies."""

from __future__ import annotations

import io
import json

import pytest
from helpers import FIXTURES

from kiosk.cli_common import EXIT_NOT_PRINTED, current_user
from kiosk.home import open_kiosk
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
    return home, json.loads(out)["tracking_number"]


def audit_entries(home):
    kiosk = open_kiosk(home)
    try:
        assert kiosk.audit.verify().ok
        return [(e.actor, e.action, e.subject, e.details) for e in reversed(kiosk.audit.entries())]
    finally:
        kiosk.close()


def test_a_copy_written_from_the_command_line_is_audited(submitted, tmp_path):
    home, tracking = submitted
    output = tmp_path / "copy.pdf"
    code, _, err = cli(home, "copy", tracking, "-o", str(output))
    assert code == 0, err
    assert audit_entries(home)[-1] == (f"cli:{current_user()}", "copy_printed", tracking,
                                       {"via": "cli", "file": str(output)})


def test_a_receipt_written_from_the_command_line_is_audited(submitted, tmp_path):
    home, tracking = submitted
    output = tmp_path / "receipt.pdf"
    code, _, err = cli(home, "receipt", tracking, "-o", str(output), "--actor", "officer:0042")
    assert code == 0, err
    assert audit_entries(home)[-1] == ("officer:0042", "receipt_reprinted", tracking,
                                       {"via": "cli", "file": str(output)})


def test_a_receipt_printed_from_the_command_line_is_audited(submitted):
    home, tracking = submitted
    code, _, _ = cli(home, "print", tracking)  # no printer set up: spooled, the new code given, still audited
    assert code == EXIT_NOT_PRINTED
    assert audit_entries(home)[-1] == (f"cli:{current_user()}", "receipt_reprinted", tracking, {"via": "cli"})


def test_a_refused_print_writes_no_entry(submitted, tmp_path):
    home, _ = submitted
    before = audit_entries(home)
    assert cli(home, "copy", str(TrackingNumber(26, 1, 99999)), "-o", str(tmp_path / "x.pdf"))[0] != 0
    assert audit_entries(home) == before
