"""Nothing secret or personal reaches the application log (logs/kiosk.log) while officer mode is used: not a
password (right or wrong), not an access code (right or wrong), not what the citizen typed."""

from __future__ import annotations

import io
import json
import logging

import pytest
from helpers import load_sample

from kiosk.cli import main
from kiosk.home import configure_logging, open_kiosk
from kiosk.lookup import LookupLocked, LookupRefused

PASSWORD = "quartz-meadow-lantern"
WRONG_PASSWORD = "not-the-password-7"
WRONG_CODE = "ZZZZ-ZZZZ"


def cli(home, *args: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--home", str(home), *args], stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def _detach_log_handlers():
    """configure_logging adds a file handler to the root logger; take it off again after the test."""
    before = list(logging.getLogger().handlers)
    yield
    for handler in logging.getLogger().handlers:
        if handler not in before:
            logging.getLogger().removeHandler(handler)
            handler.close()


def test_passwords_access_codes_and_citizen_text_never_reach_the_log(tmp_path):
    home = tmp_path / "home"
    report = load_sample("identity-theft")
    code, out, err = cli(home, "submit", "-", "--json", stdin=json.dumps(report))
    assert code == 0, err
    receipt = json.loads(out)
    assert cli(home, "officer", "add", "dreyes", "--name", "Sgt. Dana Reyes", "--badge", "1047", "--admin",
               "--password-stdin", stdin=PASSWORD + "\n")[0] == 0
    assert cli(home, "review", receipt["tracking_number"], "approve", "--officer", "dreyes",
               stdin=WRONG_PASSWORD + "\n")[0] == 2
    for _ in range(5):  # enough wrong logins to lock the account
        cli(home, "review", receipt["tracking_number"], "approve", "--officer", "dreyes", stdin=WRONG_PASSWORD + "\n")
    assert cli(home, "officer", "unlock", "dreyes")[0] == 0
    code, _out, err = cli(home, "review", receipt["tracking_number"], "request-info", "--officer", "dreyes",
                          "--message", "Which card was it?", stdin=PASSWORD + "\n")
    assert code == 0, err

    configure_logging(home)
    kiosk = open_kiosk(home)
    try:
        for _ in range(6):
            with pytest.raises((LookupRefused, LookupLocked)):
                kiosk.lookup.check(receipt["tracking_number"], WRONG_CODE)
        status = kiosk.lookup.check  # the right code is refused while locked; the lock is logged
        with pytest.raises(LookupLocked):
            status(receipt["tracking_number"], receipt["access_code"])
    finally:
        kiosk.close()
    for handler in logging.getLogger().handlers:
        handler.flush()

    log = (home / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert receipt["tracking_number"] in log, "the log is written (tracking numbers are allowed in it)"
    reporter = report["reporter"]
    secrets = [PASSWORD, WRONG_PASSWORD, receipt["access_code"], receipt["access_code"].replace("-", ""),
               WRONG_CODE, reporter["first_name"] + " " + reporter["last_name"], reporter["last_name"],
               reporter["email"], reporter["phone"], reporter["address"]["line1"], report["incident"]["narrative"][:30]]
    assert [secret for secret in secrets if secret in log] == []
