"""``p2c-server`` as an administrator runs it, against a real server. The first command of each test runs as a real
subprocess (the entry point works on its own); the rest call ``server.cli.main`` in this process, to keep the suite
quick."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from types import SimpleNamespace

import httpx
import pytest
from server_client_support import KioskClient
from server_support import ROOT, ServerProcess, database_kinds, fresh_database_url

from server.cli import main


def p2c_server_process(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "server.cli", "--db", db_url, *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def p2c_server(db_url: str | None, *args: str) -> SimpleNamespace:
    out, err = io.StringIO(), io.StringIO()
    argv = (["--db", db_url] if db_url else []) + list(args)
    with contextlib.redirect_stderr(err):
        try:
            code = main(argv, stdout=out, stderr=err)
        except SystemExit as exc:  # argparse
            code = exc.code
    return SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


@pytest.mark.parametrize("db_kind", database_kinds())
def test_an_administrator_registers_a_kiosk_lists_reports_and_decides(db_kind, tmp_path):
    url = fresh_database_url(db_kind, tmp_path)
    added = p2c_server_process(url, "kiosk", "add", "Lobby North", "--number", "3")
    assert added.returncode == 0, added.stderr
    token = added.stdout.splitlines()[1].strip()
    assert len(token) >= 43 and token not in p2c_server(url, "kiosk", "list").stdout
    assert "Lobby North" in p2c_server(url, "kiosk", "list").stdout
    again = p2c_server(url, "kiosk", "add", "Lobby South", "--number", "3")
    assert again.returncode == 2 and "already registered" in again.stderr

    with ServerProcess(url) as server:
        kiosk = KioskClient(3, token, server.url)
        assert kiosk.http.get("/whoami").json() == {"kiosk_name": "Lobby North", "kiosk_number": 3}
        first, second = kiosk.stored(1), kiosk.stored(2, "lost-wallet")

        listed = p2c_server_process(url, "reports", "--json")
        assert listed.returncode == 0, listed.stderr
        rows = json.loads(listed.stdout)
        assert [(r["tracking_number"], r["kiosk_number"], r["status"]) for r in rows] == [
            (first, 3, "submitted"), (second, 3, "submitted")]
        assert "report" not in rows[0] and "body" not in rows[0]

        decided = p2c_server(url, "decide", first, "approve", "--officer", "jdoe", "--nibrs", "23F")
        assert decided.returncode == 0, decided.stderr
        assert "approved as HPD-" in decided.stdout
        refused = p2c_server(url, "decide", second, "approve", "--officer", "jdoe", "--nibrs", "23F")
        assert refused.returncode == 2 and "NC-LOST" in refused.stderr
        asked = p2c_server(url, "decide", second, "request-info", "--officer", "jdoe", "--question", "Which bag?")
        assert asked.returncode == 0, asked.stderr
        again = p2c_server(url, "decide", first, "reject", "--officer", "jdoe", "--reason", "other", "--message", "x")
        assert again.returncode == 2 and "approved" in again.stderr

        pulled = kiosk.decisions().json()["decisions"]
        assert [(d["tracking_number"], d["action"], d["actor"]) for d in pulled] == [
            (first, "approved", "server:jdoe"), (second, "info_requested", "server:jdoe")]
        assert pulled[1]["message"] == "Which bag?"

        revoked = p2c_server(url, "kiosk", "revoke", "3")
        assert revoked.returncode == 0, revoked.stderr
        assert kiosk.http.get("/whoami").status_code == 401
        readded = p2c_server(url, "kiosk", "add", "Lobby North", "--number", "3")
        new_token = readded.stdout.splitlines()[1].strip()
        response = httpx.get(server.url + "/api/v1/whoami", headers={"Authorization": f"Bearer {new_token}"})
        assert response.status_code == 200 and new_token != token

    conflicts = p2c_server(url, "conflicts")
    assert conflicts.returncode == 0 and "0 conflicts" in conflicts.stdout


def test_clear_errors_exit_2(tmp_path):
    url = f"sqlite:///{tmp_path / 's.sqlite3'}"
    for args, words in ((["--db", "mysql://x/y", "reports"], "sqlite:///"),
                        (["--db", url, "kiosk", "add", "X", "--number", "100"], "1 to 99"),
                        (["--db", url, "kiosk", "revoke", "7"], "no kiosk 7"),
                        (["--db", url, "decide", "T26-01-00001-8", "approve", "--officer", "jdoe"], "--nibrs"),
                        (["--db", url, "decide", "nonsense", "reject", "--officer", "jdoe"], "tracking number"),
                        (["--db", url, "--config", str(tmp_path / "missing.toml"), "reports"], "missing.toml"),
                        (["--db", url, "frobnicate"], "invalid choice")):
        result = p2c_server(None, *args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert words in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr


def test_the_default_database_comes_from_the_environment(tmp_path):
    url = f"sqlite:///{tmp_path / 'env.sqlite3'}"
    env = {"P2C_SERVER_DB": url, "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "server.cli", "kiosk", "add", "Env", "--number", "9"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "env.sqlite3").exists()
