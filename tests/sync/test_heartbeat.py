"""The kiosk's heartbeat (kiosk.sync.heartbeat) against the reference server as a real process on 127.0.0.1 (SQLite
and PostgreSQL), through the real fault proxy: every run that reached the server ends with one heartbeat the server
keeps; an older server's 404 never fails a run and is not asked again; a run that could not reach the server sends
nothing, and the next heartbeat carries its error as a code with its time.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fault_proxy import FaultProxy
from helpers import NOW
from review_support import fill_reports
from server_support import ServerProcess, add_kiosk, database_kinds, fresh_database_url, server_kiosks
from sync_support import engine_for, open_sync_kiosk, pending, sync_keyring, sync_kiosk, write_sync_home

import kiosk as kiosk_package
from kiosk.clock import ManualClock
from kiosk.home import Kiosk
from kiosk.storage.timestamps import utc_text

pytestmark = pytest.mark.slow

HEARTBEAT = "/api/v1/heartbeat"
SMALL = {"timeout_seconds": 1, "batch_size": 10, "interval_seconds": 10, "max_backoff_seconds": 60}


@pytest.fixture(params=database_kinds())
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return fresh_database_url(request.param, tmp_path)


@pytest.fixture
def server(db_url: str) -> Iterator[ServerProcess]:
    with ServerProcess(db_url) as running:
        yield running


@pytest.fixture
def proxy(server: ServerProcess) -> Iterator[FaultProxy]:
    with FaultProxy(server.port) as running:
        yield running


@pytest.fixture
def token(db_url: str) -> str:
    return add_kiosk(db_url, "Lobby North", 1)


@pytest.fixture
def kiosk(tmp_path: Path, proxy: FaultProxy, token: str) -> Iterator[Kiosk]:
    with sync_kiosk(tmp_path / "kiosk1", proxy.url, token, kiosk_number=1, clock=ManualClock(NOW), **SMALL) as opened:
        yield opened


def sent(proxy: FaultProxy) -> list[str]:
    return [record.outcome for record in proxy.records(HEARTBEAT)]


def test_a_run_ends_with_a_heartbeat_the_server_keeps(kiosk, db_url, proxy):
    fill_reports(kiosk.store, 12, seed=3, kiosks=(1,))
    assert server_kiosks(db_url)[1]["heartbeat_at"] is None

    run = kiosk.sync.run_once(force=True)

    assert run.ok and pending(kiosk) == (0, 0)
    assert sent(proxy) == ["passed"]
    row = server_kiosks(db_url)[1]
    assert row["heartbeat_at"] is not None and row["state"] == "ok"
    assert row["version"] == kiosk_package.__version__
    assert (row["reports_waiting"], row["events_waiting"]) == (0, 0)  # the backlog after the run
    assert row["kiosk_clock"] == utc_text(NOW)  # sent_at is the engine's clock (a ManualClock here)
    free = shutil.disk_usage(kiosk.home).free
    assert abs(row["disk_free_bytes"] - free) < 256 * 1024 * 1024
    assert 0 <= row["uptime_seconds"] < 600
    assert (row["printer_state"], row["printer_message"]) == ("none", None)  # [printer] name = "": no printer
    assert (row["last_error_code"], row["last_error_at"]) == (None, None)


def test_an_older_server_404_is_not_a_failure_and_is_not_asked_again(kiosk, db_url, proxy, caplog):
    proxy.fail_with(404, count=None, path=HEARTBEAT)
    fill_reports(kiosk.store, 5, seed=5, kiosks=(1,))

    with caplog.at_level(logging.INFO, logger="kiosk.sync.heartbeat"):
        first = kiosk.sync.run_once(force=True)
        fill_reports(kiosk.store, 3, seed=6, kiosks=(1,))
        second = kiosk.sync.run_once(force=True)

    assert first.ok and second.ok and pending(kiosk) == (0, 0)
    assert sent(proxy) == ["error 404"]  # asked once in this process, never again
    notes = [r for r in caplog.records if "does not take heartbeats" in r.getMessage()]
    assert len(notes) == 1 and notes[0].levelno == logging.INFO
    status = kiosk.sync.status()
    assert status.last_error is None and status.failures == 0 and status.next_attempt_at is None
    assert server_kiosks(db_url)[1]["heartbeat_at"] is None


def test_an_unreachable_server_gets_nothing_and_the_next_heartbeat_carries_the_error(kiosk, db_url, proxy):
    clock = kiosk.clock
    proxy.refuse()
    failed = kiosk.sync.run_once(force=True)
    assert not failed.ok
    assert server_kiosks(db_url)[1]["heartbeat_at"] is None  # nothing reached the server
    failed_at = utc_text(clock.now())

    clock.advance(minutes=5)
    proxy.accept()
    assert kiosk.sync.run_once(force=True).ok

    assert sent(proxy) == ["passed"]
    row = server_kiosks(db_url)[1]
    assert row["last_error_code"] == "sync_unreachable"  # a code, never the error's words
    assert row["last_error_at"] == failed_at
    assert row["kiosk_clock"] == utc_text(clock.now())


def test_a_printer_check_that_fails_is_unknown_and_never_fails_the_run(kiosk, db_url, proxy):
    def broken() -> dict[str, str]:
        raise OSError("the printing face fell over")

    assert engine_for(kiosk, printer=broken).run_once(force=True).ok
    assert server_kiosks(db_url)[1]["printer_state"] == "unknown"


def test_a_configured_printer_is_read_through_the_printing_face(tmp_path, db_url, proxy, token):
    """A queue that CUPS does not have (or a CUPS that is not running): the printing face's real check says so."""
    import tomlkit

    folder = write_sync_home(tmp_path / "kiosk1", proxy.url, kiosk_number=1, **SMALL)
    config = folder / "kiosk.toml"
    document = tomlkit.parse(config.read_text(encoding="utf-8"))
    document["printer"]["name"] = "no-such-queue-18"
    config.write_text(tomlkit.dumps(document), encoding="utf-8")
    with sync_keyring(proxy.url, token):
        opened = open_sync_kiosk(folder, ManualClock(NOW))
        try:
            assert opened.config.printer.name == "no-such-queue-18"
            assert opened.sync.run_once(force=True).ok
        finally:
            opened.close()
    row = server_kiosks(db_url)[1]
    assert row["printer_state"] not in (None, "ok", "none", "unknown")
    assert row["printer_message"]



def test_a_refused_heartbeat_names_its_fields_once_at_warning(kiosk, db_url, proxy, token, caplog):
    """The server is strict: a key it does not know is refused (422) naming the field; the kiosk says so once."""
    from kiosk.sync.client import SyncClient
    from kiosk.sync.heartbeat import Heartbeats

    heartbeats = Heartbeats()
    good = kiosk.sync.heartbeat()
    bad = {**good, "printer": {"state": "ok", "last_receipt": "12"}}
    with SyncClient(proxy.url, token, timeout_seconds=5) as client, caplog.at_level(logging.INFO):
        assert heartbeats.send(client, lambda: bad) is False
        assert heartbeats.send(client, lambda: bad) is False
        assert heartbeats.offered  # a 422 is not an older server: the next run tries again
        assert heartbeats.send(client, lambda: good) is True
    assert [record.upstream_status for record in proxy.records(HEARTBEAT)] == [422, 422, 200]
    warnings = [r.getMessage() for r in caplog.records
                if r.levelno == logging.WARNING and "heartbeat" in r.getMessage()]
    assert len(warnings) == 1 and "printer.last_receipt" in warnings[0]


def test_the_printer_line_is_one_printable_line_of_200_characters_at_most(kiosk, db_url, proxy):
    words = "Out of paper\n\x00load a roll " + "x" * 300
    assert engine_for(kiosk, printer=lambda: {"state": "media-empty", "message": words}).run_once(force=True).ok
    row = server_kiosks(db_url)[1]
    assert row["printer_state"] == "media-empty"
    assert row["printer_message"].startswith("Out of paper load a roll x") and len(row["printer_message"]) == 200
