"""``p2c-kiosk notices list|send`` and ``p2c-kiosk configure --smtp-password-stdin`` on real data folders, with a
real SMTP server and in-memory or failing keyrings (and one real process without any keyring)."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys

import pytest
from helpers import FIXTURES
from notices_support import MemoryKeyring, failing_keyring, free_port, keyring_in_use, running_smtp_server

from kiosk.cli import main
from kiosk.cli_notices import mask_address
from kiosk.config import config_from_mapping
from kiosk.notices import smtp_password_from_keyring

PASSWORD = "correct horse battery staple"


def cli(home, *args, stdin=""):
    out, err = io.StringIO(), io.StringIO()
    code = main(["--home", str(home), *args], stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def write_config(home, **notices):
    home.mkdir(parents=True, exist_ok=True)
    lines = ["[notices]"] + [f"{key} = {json.dumps(value)}" for key, value in notices.items()]
    (home / "kiosk.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def submit(home, sample):
    code, out, err = cli(home, "submit", str(FIXTURES / f"{sample}.json"), "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def smtp_server():
    with running_smtp_server() as server:
        yield server


@pytest.fixture
def memory_keyring():
    with keyring_in_use(MemoryKeyring()) as backend:
        yield backend


@pytest.fixture
def no_keyring():
    with keyring_in_use(failing_keyring()):
        yield


def test_notices_list_shows_each_notice_with_the_recipient_masked(tmp_path):
    first = submit(tmp_path, "larceny-bicycle")
    second = submit(tmp_path, "vandalism-car-es")

    code, out, err = cli(tmp_path, "notices", "list")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].split()[:4] == [second["tracking_number"], "submitted", "no_email", "0"]
    assert lines[1].split()[:5] == [first["tracking_number"], "submitted", "pending", "0", "d***@example.org"]
    assert "dana.whitfield" not in out

    code, out, _ = cli(tmp_path, "notices", "list", "--status", "pending", "--json")
    assert code == 0
    [row] = [json.loads(line) for line in out.splitlines()]
    assert row["tracking_number"] == first["tracking_number"]
    assert (row["kind"], row["status"], row["recipient"], row["attempts"], row["last_error"]) == (
        "submitted", "pending", "d***@example.org", 0, None)

    with pytest.raises(SystemExit) as refused:  # argparse's own refusal
        cli(tmp_path, "notices", "list", "--status", "queued")
    assert refused.value.code == 2


def test_notices_send_delivers_what_is_due_and_prints_counts(tmp_path, smtp_server):
    write_config(tmp_path, smtp_host="127.0.0.1", smtp_port=smtp_server.port, security="none")
    receipt = submit(tmp_path, "larceny-bicycle")
    submit(tmp_path, "vandalism-car-es")

    code, out, err = cli(tmp_path, "notices", "send")
    assert code == 0, err
    assert out.strip() == "sent 1, failed 0, to retry 0, waiting 0"
    [message] = smtp_server.messages
    assert receipt["tracking_number"] in message["Subject"]
    assert receipt["access_code"] not in message.as_string()

    code, out, _ = cli(tmp_path, "notices", "send")
    assert (code, out.strip()) == (0, "sent 0, failed 0, to retry 0, waiting 0")
    assert len(smtp_server.messages) == 1
    code, out, _ = cli(tmp_path, "audit", "list")
    assert code == 0
    [entry] = out.splitlines()
    assert "system" in entry and "notice_sent" in entry and receipt["tracking_number"] in entry
    assert "dana" not in entry


def test_notices_send_with_the_server_down_exits_0_and_says_why(tmp_path):
    write_config(tmp_path, smtp_host="127.0.0.1", smtp_port=free_port(), security="none")
    submit(tmp_path, "larceny-bicycle")

    code, out, err = cli(tmp_path, "notices", "send")
    assert code == 0, err
    assert "sent 0, failed 0, to retry 1, waiting 1" in out
    assert "cannot connect to the mail server 127.0.0.1" in out
    code, out, _ = cli(tmp_path, "notices", "list")
    assert " pending " in out and "  1  " in out and "cannot connect" in out


def test_notices_send_without_a_mail_server_says_notices_wait(tmp_path):
    submit(tmp_path, "larceny-bicycle")
    code, out, err = cli(tmp_path, "notices", "send")
    assert code == 0, err
    assert "No mail server is configured (notices.smtp_host" in out and "1 notice(s) wait" in out


def test_configure_stores_the_smtp_password_in_the_keyring_without_echoing_it(tmp_path, memory_keyring):
    write_config(tmp_path, smtp_host="mail.example.gov", smtp_username="kiosk01")

    code, out, err = cli(tmp_path, "configure", "--smtp-password-stdin", stdin=PASSWORD + "\n")

    assert code == 0, err
    assert memory_keyring.passwords == {("p2c-kiosk", "smtp:kiosk01@mail.example.gov"): PASSWORD}
    assert "smtp:kiosk01@mail.example.gov" in out
    assert PASSWORD not in out + err
    config = config_from_mapping({"notices": {"smtp_host": "mail.example.gov", "smtp_username": "kiosk01"}})
    assert smtp_password_from_keyring(config)() == PASSWORD


def test_configure_without_a_keyring_says_what_to_do(tmp_path, no_keyring):
    write_config(tmp_path, smtp_host="mail.example.gov", smtp_username="kiosk01")

    code, out, err = cli(tmp_path, "configure", "--smtp-password-stdin", stdin=PASSWORD + "\n")

    assert code == 2
    assert "not stored" in err and "Secret Service" in err and "--smtp-password-stdin" in err
    assert PASSWORD not in out + err


@pytest.mark.parametrize(("notices", "stdin", "words"), [
    ({"smtp_host": "mail.example.gov"}, PASSWORD, "notices.smtp_username"),
    ({"smtp_username": "kiosk01"}, PASSWORD, "notices.smtp_host"),
    ({"smtp_host": "mail.example.gov", "smtp_username": "kiosk01"}, "", "empty line"),
])
def test_configure_refuses_what_it_cannot_use(tmp_path, memory_keyring, notices, stdin, words):
    write_config(tmp_path, **notices)
    code, _, err = cli(tmp_path, "configure", "--smtp-password-stdin", stdin=stdin)
    assert code == 2 and words in err
    assert memory_keyring.passwords == {}


def test_configure_with_nothing_to_configure_is_a_usage_error(tmp_path):
    code, _, err = cli(tmp_path, "configure")
    assert code == 2 and "--smtp-password-stdin" in err


def test_configure_in_a_real_process_on_a_machine_without_a_keyring(tmp_path):
    write_config(tmp_path, smtp_host="mail.example.gov", smtp_username="kiosk01")
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    result = subprocess.run([sys.executable, "-m", "kiosk", "--home", str(tmp_path), "configure",
                             "--smtp-password-stdin"], input=PASSWORD + "\n", capture_output=True, text=True,
                            env=env, timeout=60)
    assert result.returncode == 2
    assert "NoKeyringError" in result.stderr and "Secret Service" in result.stderr
    assert PASSWORD not in result.stdout + result.stderr


def test_reading_the_password_without_a_keyring_gives_none_and_a_clear_warning(no_keyring, caplog):
    config = config_from_mapping({"notices": {"smtp_host": "mail.example.gov", "smtp_username": "kiosk01"}})
    with caplog.at_level(logging.WARNING, logger="kiosk.notices"):
        assert smtp_password_from_keyring(config)() is None
    assert "system keyring cannot be used" in caplog.text and "--smtp-password-stdin" in caplog.text


def test_no_username_means_no_password_and_no_keyring_call(memory_keyring):
    memory_keyring.set_password("p2c-kiosk", "smtp:@mail.example.gov", "unused")
    config = config_from_mapping({"notices": {"smtp_host": "mail.example.gov"}})
    assert smtp_password_from_keyring(config)() is None


@pytest.mark.parametrize(("address", "masked"), [
    ("jane.doe@example.net", "j***@example.net"), ("x@y.org", "x***@y.org"), (None, None), ("odd", "***")])
def test_recipients_are_masked(address, masked):
    assert mask_address(address) == masked
