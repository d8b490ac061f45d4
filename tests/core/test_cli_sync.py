"""``p2c-kiosk sync --once``, ``p2c-kiosk sync status [--json]`` and ``p2c-kiosk configure --server URL
--token-stdin`` on real data folders against the reference server (a subprocess on 127.0.0.1), with an in-memory
keyring. The token never reaches kiosk.toml, the database, the output or the log."""

from __future__ import annotations

import io
import json

import pytest
from helpers import FIXTURES
from notices_support import MemoryKeyring, failing_keyring, keyring_in_use
from server_support import ServerProcess, add_kiosk, fresh_database_url, server_reports
from sync_support import closed_port_url, sync_keyring, write_sync_home

from kiosk.cli import main
from kiosk.config import CONFIG_FILE_NAME


def cli(home, *args, stdin=""):
    out, err = io.StringIO(), io.StringIO()
    code = main(["--home", str(home), *args], stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def submit(home, sample="larceny-bicycle"):
    code, out, err = cli(home, "submit", str(FIXTURES / f"{sample}.json"), "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture(scope="module")
def department(tmp_path_factory):
    """One reference server for the module, with kiosk 1 ("Lobby North") registered: (server, db url, token)."""
    folder = tmp_path_factory.mktemp("server")
    url = fresh_database_url("sqlite", folder)
    token = add_kiosk(url, "Lobby North", 1)
    with ServerProcess(url) as server:
        yield server, url, token


@pytest.fixture
def keyring_backend():
    with keyring_in_use(MemoryKeyring()) as backend:
        yield backend


def everything_written(home):
    """Every byte the kiosk wrote in its data folder: configuration, database (and its WAL), logs."""
    return b"".join(path.read_bytes() for path in home.rglob("*") if path.is_file())


# -- sync --once and sync status ---------------------------------------------------------------------------------

def test_sync_once_sends_the_backlog_and_status_shows_it(tmp_path, department):
    server, db_url, token = department
    home = write_sync_home(tmp_path / "kiosk", server.url)
    with sync_keyring(server.url, token):
        first = submit(home)
        submit(home, "lost-wallet")
        code, out, err = cli(home, "sync", "status", "--json")
        assert code == 0, err
        before = json.loads(out)
        assert (before["configured"], before["pending_reports"], before["last_success_at"]) == (True, 2, None)

        code, out, err = cli(home, "sync", "--once")
        assert code == 0, err
        assert out.startswith("pushed 2 report(s) and 2 event(s)")
        assert first["tracking_number"] in {r["tracking_number"] for r in server_reports(db_url)}

        code, out, err = cli(home, "sync", "status", "--json")
        after = json.loads(out)
        assert (after["pending_reports"], after["pending_events"], after["failures"]) == (0, 0, 0)
        assert after["pending_verifiers"] == 0  # both receipts' codes are at the server
        assert after["last_success_at"] is not None and after["server_url"] == server.url
        code, out, _ = cli(home, "sync", "status")
        assert code == 0
        assert f"Server:            {server.url}" in out and "Pending reports:   0" in out
        assert "Pending verifiers: 0" in out


def test_sync_once_says_5_when_the_server_cannot_be_reached_or_refuses_the_token(tmp_path, department):
    server, _, token = department
    away = closed_port_url()
    home = write_sync_home(tmp_path / "away", away)
    with sync_keyring(away, token):
        submit(home)
        code, out, err = cli(home, "sync", "--once")
        assert code == 5
        assert "pushed 0 report(s)" in out and err.strip()
        status = json.loads(cli(home, "sync", "status", "--json")[1])
        assert (status["pending_reports"], status["failures"]) == (1, 1)
        assert status["last_error"] and status["next_attempt_at"]

    home = write_sync_home(tmp_path / "refused", server.url)
    with sync_keyring(server.url, "not-the-token-" + "x" * 30):
        submit(home)
        code, _, err = cli(home, "sync", "--once")
        assert code == 5
        assert err.strip()


def test_sync_once_says_2_when_sync_is_not_configured(tmp_path, keyring_backend):
    code, _, err = cli(tmp_path / "standalone", "sync", "--once")
    assert code == 2
    assert "server_url" in err and "configure --server" in err
    code, out, _ = cli(tmp_path / "standalone", "sync", "status", "--json")
    assert (code, json.loads(out)["configured"]) == (0, False)

    home = write_sync_home(tmp_path / "no-token", "http://127.0.0.1:9")
    code, _, err = cli(home, "sync", "--once")
    assert code == 2
    assert "no token" in err and "--token-stdin" in err

    code, _, err = cli(home, "sync")
    assert code == 2 and "sync --once" in err


# -- configure --server URL --token-stdin ------------------------------------------------------------------------

def test_configure_writes_the_server_keeps_the_comments_and_checks_the_token(tmp_path, department, keyring_backend):
    server, _, token = department
    home = tmp_path / "kiosk"
    submit(home)  # the data folder with its documented default kiosk.toml
    before = (home / CONFIG_FILE_NAME).read_text(encoding="utf-8")

    code, out, err = cli(home, "configure", "--server", server.url + "/", "--token-stdin", stdin=token + "\n")
    assert code == 0, err
    assert "“Lobby North” (number 1)" in out
    text = (home / CONFIG_FILE_NAME).read_text(encoding="utf-8")
    assert f'server_url = "{server.url}"' in text
    assert text.replace(f'server_url = "{server.url}"', 'server_url = ""') == before  # nothing else changed
    assert keyring_backend.passwords == {("p2c-kiosk", f"sync:{server.url}"): token}

    code, out, err = cli(home, "sync", "--once")
    assert code == 0, err
    written = everything_written(home)
    assert token.encode() not in written
    assert token not in out + err


def test_configure_the_token_alone_for_the_server_already_configured(tmp_path, department, keyring_backend):
    server, _, token = department
    home = write_sync_home(tmp_path / "kiosk", server.url)
    code, out, err = cli(home, "configure", "--token-stdin", stdin=token + "\n")
    assert code == 0, err
    assert "Lobby North" in out and token not in out + err
    assert keyring_backend.passwords[("p2c-kiosk", f"sync:{server.url}")] == token


def test_configure_with_the_server_away_is_a_warning(tmp_path, keyring_backend):
    away = closed_port_url()
    home = tmp_path / "kiosk"
    code, _, err = cli(home, "configure", "--server", away, "--token-stdin", stdin="tok-" + "a" * 40 + "\n")
    assert code == 0, err
    assert err.startswith("warning: the token could not be checked now")
    assert f'server_url = "{away}"' in (home / CONFIG_FILE_NAME).read_text(encoding="utf-8")
    assert keyring_backend.passwords[("p2c-kiosk", f"sync:{away}")] == "tok-" + "a" * 40


def test_configure_with_a_refused_token_says_5(tmp_path, department, keyring_backend):
    server, _, _ = department
    wrong = "wrong-" + "b" * 40
    code, out, err = cli(tmp_path / "kiosk", "configure", "--server", server.url, "--token-stdin", stdin=wrong)
    assert code == 5
    assert "refused the token (401)" in err
    assert wrong not in out + err
    assert wrong.encode() not in everything_written(tmp_path / "kiosk")


@pytest.mark.parametrize(("args", "stdin", "expected"), [
    (["--server", "http://records.example.gov/p2c", "--token-stdin"], "tok\n", "sync.server_url: must use https://"),
    (["--server", "ftp://127.0.0.1/", "--token-stdin"], "tok\n", "sync.server_url:"),
    (["--server", "http://127.0.0.1:9", "--token-stdin"], "\n", "standard input gave an empty line"),
    (["--server", "http://127.0.0.1:9", "--token-stdin"], "two words\n", "token: "),
    (["--token-stdin"], "tok\n", "sync.server_url: no department server"),
])
def test_configure_refuses_and_changes_nothing(tmp_path, keyring_backend, args, stdin, expected):
    home = tmp_path / "kiosk"
    cli(home, "list")  # the default kiosk.toml
    before = (home / CONFIG_FILE_NAME).read_text(encoding="utf-8")
    code, _, err = cli(home, "configure", *args, stdin=stdin)
    assert code == 2
    assert expected in err
    assert (home / CONFIG_FILE_NAME).read_text(encoding="utf-8") == before
    assert keyring_backend.passwords == {}


def test_configure_without_a_keyring_changes_nothing(tmp_path):
    home = tmp_path / "kiosk"
    cli(home, "list")
    before = (home / CONFIG_FILE_NAME).read_text(encoding="utf-8")
    with keyring_in_use(failing_keyring()):
        code, _, err = cli(home, "configure", "--server", "http://127.0.0.1:9", "--token-stdin", stdin="tok\n")
    assert code == 2
    assert "system keyring" in err
    assert (home / CONFIG_FILE_NAME).read_text(encoding="utf-8") == before
