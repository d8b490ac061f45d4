"""The heartbeat (``POST /api/v1/heartbeat``) and ``p2c-server kiosks`` on a real server, SQLite and PostgreSQL: the
latest heartbeat per kiosk is kept and shown, last-seen comes from any authenticated request, a revoked kiosk is
refused, a silent one is flagged (by a clock the test gives the command, never by waiting), a malformed heartbeat is
refused naming its field, and no field but the declared ones gets in."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from server_client_support import KioskClient
from server_support import (
    ROOT,
    ServerProcess,
    add_kiosk,
    database_kinds,
    fresh_database_url,
    server_kiosks,
    writers_lock_held,
)

from kiosk.storage.timestamps import utc_from_text
from server.cli import main
from server.db import make_database, open_database
from server.heartbeat import LastSeen
from server.kiosks import KioskInfo, revoke_kiosk
from server.models import build_models


def beat(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "sent_at": datetime.now(UTC).isoformat(timespec="microseconds"),
        "version": "0.1.0",
        "uptime_seconds": 7200,
        "backlog": {"reports": 3, "events": 5},
        "printer": {"state": "media-empty", "message": "Out of paper"},
        "disk_free_bytes": 12_345_678_901,
        "last_error": {"code": "sync_unreachable", "at": "2026-12-07T09:00:00.000000+00:00"},
    }
    body.update(changes)
    return body


def send(kiosk: KioskClient, body: object) -> httpx.Response:
    return kiosk.http.post("/heartbeat", json=body)


def p2c_server(db_url: str, *args: str, now: datetime | None = None, config: str | None = None) -> tuple[int, str,
                                                                                                          str]:
    out, err = io.StringIO(), io.StringIO()
    argv = ["--db", db_url, *(["--config", config] if config else []), *args]
    with contextlib.redirect_stderr(err):
        code = main(argv, stdout=out, stderr=err, clock=None if now is None else (lambda: now))
    return code, out.getvalue(), err.getvalue()


def listed(db_url: str, number: int, now: datetime | None = None, config: str | None = None) -> dict[str, Any]:
    code, out, err = p2c_server(db_url, "kiosks", "--json", now=now, config=config)
    assert code == 0, err
    rows = {row["number"]: row for row in json.loads(out)}
    return rows[number]


def text_line(db_url: str, number: int, now: datetime | None = None, config: str | None = None) -> str:
    code, out, err = p2c_server(db_url, "kiosks", now=now, config=config)
    assert code == 0, err
    return next(line for line in out.splitlines() if line.startswith(f"{number:>2}  "))


def health_rows(db_url: str, number: int) -> int:
    database = open_database(db_url)
    try:
        with database.db.connection_context():
            KioskHealth = database.models.KioskHealth
            return KioskHealth.select().where(KioskHealth.kiosk_number == number).count()
    finally:
        database.close()


def test_a_heartbeat_is_stored_and_shown(world, kiosk):
    before = datetime.now(UTC)
    response = send(kiosk, beat())
    assert response.status_code == 200, response.text
    answer = response.json()
    assert set(answer) == {"received_at", "silent_after_seconds"}
    assert answer["silent_after_seconds"] == 15 * 60
    received = utc_from_text(answer["received_at"])
    assert before - timedelta(seconds=5) <= received <= datetime.now(UTC) + timedelta(seconds=5)

    # The first look is the real command, as an administrator runs it.
    process = subprocess.run([sys.executable, "-m", "server.cli", "--db", world.db_url, "kiosks", "--json"], cwd=ROOT,
                             capture_output=True, text=True, timeout=60)
    assert process.returncode == 0, process.stderr
    row = next(r for r in json.loads(process.stdout) if r["number"] == kiosk.number)
    assert row["name"] == f"Lobby {kiosk.number}" and row["state"] == "ok"
    assert row["last_seen_at"] == row["heartbeat_at"] == answer["received_at"]
    assert (row["version"], row["uptime_seconds"], row["reports_waiting"], row["events_waiting"]) == ("0.1.0", 7200,
                                                                                                       3, 5)
    assert (row["printer_state"], row["printer_message"]) == ("media-empty", "Out of paper")
    assert row["disk_free_bytes"] == 12_345_678_901
    assert (row["last_error_code"], row["last_error_at"]) == ("sync_unreachable", "2026-12-07T09:00:00.000000+00:00")
    assert abs(row["clock_skew_seconds"]) < 5

    line = text_line(world.db_url, kiosk.number)
    for words in (f"Lobby {kiosk.number}  OK", "(just now)", "version 0.1.0", "up 2 h",
                  "backlog 3 reports, 5 events", "printer media-empty (Out of paper)", "disk 12.3 GB free",
                  "last error sync_unreachable at 2026-12-07 09:00"):
        assert words in line, line
    assert "clock" not in line  # within two seconds: not worth a word


def test_a_second_heartbeat_replaces_the_first_and_the_clock_skew_is_shown(world, kiosk):
    assert send(kiosk, beat()).status_code == 200
    ahead = datetime.now(UTC) + timedelta(minutes=10, seconds=30)
    second = beat(sent_at=ahead.isoformat(), version="0.2.0", uptime_seconds=30, backlog={"reports": 0, "events": 0},
                  printer={"state": "ok"}, disk_free_bytes=5_000_000, last_error=None)
    response = send(kiosk, second)
    assert response.status_code == 200, response.text
    row = listed(world.db_url, kiosk.number)
    assert row["heartbeat_at"] == response.json()["received_at"]
    assert (row["version"], row["uptime_seconds"], row["reports_waiting"], row["events_waiting"]) == ("0.2.0", 30, 0,
                                                                                                       0)
    assert (row["printer_state"], row["printer_message"]) == ("ok", None)
    assert (row["last_error_code"], row["last_error_at"]) == (None, None)
    assert 620 < row["clock_skew_seconds"] <= 630
    assert health_rows(world.db_url, kiosk.number) == 1
    line = text_line(world.db_url, kiosk.number)
    assert "clock 10 min ahead" in line and "last error" not in line and "disk 5.0 MB free" in line


def test_any_authenticated_request_counts_as_seen_and_others_do_not(world, kiosk):
    assert listed(world.db_url, kiosk.number)["state"] == "never_seen"
    assert "NEVER SEEN" in text_line(world.db_url, kiosk.number)
    assert httpx.get(world.url + "/api/v1/whoami", headers={"Authorization": "Bearer not-this-kiosks"}
                     ).status_code == 401
    assert httpx.get(world.url + "/api/v1/health").status_code == 200
    assert health_rows(world.db_url, kiosk.number) == 0

    assert kiosk.http.get("/whoami").status_code == 200  # a kiosk of an older version: no heartbeat, still seen
    row = listed(world.db_url, kiosk.number)
    assert row["state"] == "ok" and row["last_seen_at"] is not None and row["heartbeat_at"] is None
    assert row["version"] is None and row["printer_state"] is None
    assert "no heartbeat yet" in text_line(world.db_url, kiosk.number)


def test_a_revoked_kiosk_is_refused_and_listed_as_revoked(world, kiosk):
    assert send(kiosk, beat()).status_code == 200
    kept = listed(world.db_url, kiosk.number)
    database = open_database(world.db_url)
    try:
        revoke_kiosk(database, kiosk.number)
    finally:
        database.close()
    response = send(kiosk, beat(version="9.9.9"))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert response.headers["www-authenticate"].startswith("Bearer")
    row = listed(world.db_url, kiosk.number, now=datetime.now(UTC) + timedelta(days=2))
    assert row["state"] == "revoked"  # not "silent": a revoked kiosk is expected to be quiet
    assert {key: row[key] for key in row if key != "state" and key != "seen_seconds_ago"} == {
        key: kept[key] for key in kept if key != "state" and key != "seen_seconds_ago"}
    assert "REVOKED" in text_line(world.db_url, kiosk.number)

    # Registered again (a new machine, a new token): what the old one said is not its health.
    token = add_kiosk(world.db_url, "Lobby replaced", kiosk.number)
    assert listed(world.db_url, kiosk.number)["state"] == "never_seen"
    again = KioskClient(kiosk.number, token, world.url)
    assert again.http.get("/whoami").status_code == 200
    assert listed(world.db_url, kiosk.number)["state"] == "ok"


def test_a_silent_kiosk_is_flagged_after_the_configured_limit(world, kiosk, tmp_path):
    assert send(kiosk, beat()).status_code == 200
    seen = utc_from_text(listed(world.db_url, kiosk.number)["last_seen_at"])

    row = listed(world.db_url, kiosk.number, now=seen + timedelta(minutes=15))
    assert row["state"] == "ok" and row["seen_seconds_ago"] == 15 * 60
    row = listed(world.db_url, kiosk.number, now=seen + timedelta(minutes=15, seconds=1))
    assert row["state"] == "silent" and row["seen_seconds_ago"] == 15 * 60 + 1
    assert row["version"] == "0.1.0"  # its last heartbeat is still shown
    code, out, _ = p2c_server(world.db_url, "kiosks", now=seen + timedelta(hours=3))
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith(f"{kiosk.number:>2}  "))
    assert "SILENT" in line and "(3 h ago)" in line
    assert "silent (nothing heard for more than 15 min)" in out.splitlines()[-1]

    config = tmp_path / "server.toml"
    config.write_text("[server]\nsilent_after_minutes = 5\n", encoding="utf-8")
    assert listed(world.db_url, kiosk.number, now=seen + timedelta(minutes=5), config=str(config))["state"] == "ok"
    assert listed(world.db_url, kiosk.number, now=seen + timedelta(minutes=6),
                  config=str(config))["state"] == "silent"
    assert listed(world.db_url, kiosk.number, now=seen + timedelta(minutes=6))["state"] == "ok"  # the default: 15


def test_the_server_tells_a_kiosk_its_configured_limit(tmp_path):
    url = fresh_database_url("sqlite", tmp_path)
    token = add_kiosk(url, "Lobby", 5)
    config = tmp_path / "server.toml"
    config.write_text("[server]\nsilent_after_minutes = 6\n", encoding="utf-8")
    with ServerProcess(url, config_path=config) as server:
        response = send(KioskClient(5, token, server.url), beat())
    assert response.status_code == 200, response.text
    assert response.json()["silent_after_seconds"] == 360


def _set(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    body = copy.deepcopy(body)
    *parents, last = path.split(".")
    target = body
    for part in parents:
        target = target[part]
    if value is _MISSING:
        del target[last]
    else:
        target[last] = value
    return body


_MISSING = object()
MALFORMED = [
    ("version", _MISSING, "missing"),
    ("version", "0.1 beta", "value_error"),
    ("version", "", "string_too_short"),
    ("sent_at", "2026-12-07T10:00:00", "value_error"),  # no UTC offset
    ("sent_at", "yesterday", "value_error"),
    ("uptime_seconds", "7200", "int_type"),  # strict: a number written as text is refused
    ("uptime_seconds", -1, "greater_than_equal"),
    ("disk_free_bytes", True, "int_type"),
    ("disk_free_bytes", 1.5, "int_type"),
    ("disk_free_bytes", 2**63, "less_than_equal"),
    ("backlog.reports", -3, "greater_than_equal"),
    ("backlog.events", 10**10, "less_than_equal"),
    ("backlog", [3, 5], "model_attributes_type"),
    ("printer.state", "Media Empty", "value_error"),
    ("printer.state", "x" * 65, "string_too_long"),
    ("printer.message", "paper\nout", "value_error"),
    ("printer.message", "p" * 201, "too_long"),
    ("printer", _MISSING, "missing"),
    ("last_error.code", "", "string_too_short"),
    ("last_error.at", "2026-13-40T00:00:00+00:00", "value_error"),
]


def test_a_malformed_heartbeat_is_refused_naming_the_field(world, kiosk):
    for path, value, code in MALFORMED:
        response = send(kiosk, _set(beat(), path, value))
        assert response.status_code == 422, (path, value, response.text)
        error = response.json()["error"]
        assert error["code"] == "invalid"
        assert [(item["field"], item["code"]) for item in error["items"]] == [(path, code)], (path, value)
    response = kiosk.http.post("/heartbeat", content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 422 and response.json()["error"]["items"][0]["field"] == "body"
    assert listed(world.db_url, kiosk.number)["heartbeat_at"] is None  # seen (it had the token), nothing kept


PERSONAL = [
    ("", "reporter_name", "Jane Doe"),
    ("", "email", "jane@example.com"),
    ("", "phone", "555-0100"),
    ("", "tracking_number", "T26-01-00042-1"),
    ("", "report", {"narrative": "my bike"}),
    ("printer", "last_receipt", "Jane Doe, 12 Main St"),
    ("backlog", "names", ["Jane Doe"]),
    ("last_error", "message", "could not send the report of Jane Doe"),
]


def test_no_personal_field_is_accepted(world, kiosk):
    for parent, key, value in PERSONAL:
        body = beat()
        (body[parent] if parent else body)[key] = value
        response = send(kiosk, body)
        assert response.status_code == 422, (key, response.text)
        field = f"{parent}.{key}" if parent else key
        assert [(item["field"], item["code"]) for item in response.json()["error"]["items"]] == [
            (field, "extra_forbidden")]
    # The codes have no room for words: free text in a code is refused.
    for path, text in (("last_error.code", "Jane Doe 555-0100"), ("printer.state", "jane@example.com")):
        response = send(kiosk, _set(beat(), path, text))
        assert response.status_code == 422
        assert [item["field"] for item in response.json()["error"]["items"]] == [path]
    assert listed(world.db_url, kiosk.number)["heartbeat_at"] is None


def test_last_seen_is_written_at_most_once_a_minute(world, kiosk):
    database = open_database(world.db_url)
    now = [datetime(2026, 12, 7, 10, 0, tzinfo=UTC)]
    info = KioskInfo(kiosk.number, "Lobby", True, "2026-12-07T09:00:00.000000+00:00")
    try:
        last_seen = LastSeen(database, lambda: now[0])
        with database.db.connection_context():
            last_seen.seen(info)
            now[0] += timedelta(seconds=59)
            last_seen.seen(info)
        assert listed(world.db_url, kiosk.number, now=now[0])["last_seen_at"] == "2026-12-07T10:00:00.000000+00:00"
        now[0] += timedelta(seconds=1)
        with database.db.connection_context():
            last_seen.seen(info)
        assert listed(world.db_url, kiosk.number, now=now[0])["last_seen_at"] == "2026-12-07T10:01:00.000000+00:00"
        # Registered again (another created_at): written at once.
        now[0] += timedelta(seconds=1)
        with database.db.connection_context():
            last_seen.seen(KioskInfo(kiosk.number, "Lobby", True, "2026-12-07T10:00:30.000000+00:00"))
        assert listed(world.db_url, kiosk.number, now=now[0])["last_seen_at"] == "2026-12-07T10:01:01.000000+00:00"
    finally:
        database.close()


@pytest.mark.parametrize("db_kind", database_kinds())
def test_a_database_from_before_the_heartbeat_gains_its_table(db_kind, tmp_path):
    url = fresh_database_url(db_kind, tmp_path)
    old = make_database(url)
    models = build_models(old)
    with old.connection_context():
        old.create_tables([model for model in models.all if model is not models.KioskHealth])
        assert not old.table_exists("kiosk_health")
    old.close_all()
    token = add_kiosk(url, "Lobby", 7)  # opening the database the server's way creates the missing table
    with ServerProcess(url) as server:
        response = send(KioskClient(7, token, server.url), beat())
        assert response.status_code == 200, response.text
    assert listed(url, 7)["version"] == "0.1.0"
    assert server_kiosks(url)[7]["version"] == "0.1.0"
    assert server_kiosks(url, now=datetime.now(UTC) + timedelta(minutes=16))[7]["state"] == "silent"
    database = open_database(url)
    try:
        with database.db.connection_context():
            assert database.db.table_exists("kiosk_health")
    finally:
        database.close()


@pytest.mark.postgres_only  # SQLite has one writer at a time: any write waits for the one under way there
def test_a_heartbeat_does_not_wait_for_the_writers_lock_on_postgres(world):
    """A push holds the writers' lock (server.db.write_transaction); a heartbeat and a last-seen write touch only the
    kiosk's own health row, so they go ahead meanwhile instead of queueing behind every push of every kiosk."""
    assert world.kind == "postgres"
    kiosk = world.new_kiosk()
    database = open_database(world.db_url)
    try:
        with writers_lock_held(database):
            started = time.monotonic()
            assert send(kiosk, beat(uptime_seconds=42)).status_code == 200
            info = KioskInfo(kiosk.number, "Lobby", True, "2026-12-07T09:00:00.000000+00:00")
            with database.db.connection_context():
                LastSeen(database, lambda: datetime(2026, 12, 7, 10, 0, tzinfo=UTC)).seen(info)
            assert time.monotonic() - started < 5
    finally:
        database.close()
    assert listed(world.db_url, kiosk.number)["uptime_seconds"] == 42
