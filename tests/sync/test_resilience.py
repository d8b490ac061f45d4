"""End-to-end sync under trouble: real kiosk databases, the reference server as a real process on 127.0.0.1 (SQLite
and PostgreSQL), and a real TCP proxy between them that refuses, fails, holds and cuts on purpose.

Every case ends with the same check (:func:`assert_nothing_lost_nothing_twice`): every report of every kiosk is on
the server with the same content hash, every history event the kiosk made is there once under its event id, the
server holds nothing else, and the kiosk has nothing pending.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fault_proxy import FaultProxy
from file_keyring import FILE_ENV, write_token
from helpers import NOW, load_sample
from review_support import ReviewWorld, fill_reports
from server_support import (
    ServerProcess,
    add_kiosk,
    database_kinds,
    decide,
    fresh_database_url,
    server_events,
    server_reports,
)
from sync_support import engine_for, import_standalone_numbers, pending, stored_conflicts, sync_kiosk

from kiosk.clock import ManualClock
from kiosk.home import Kiosk
from kiosk.notices.secrets import KEYRING_SERVICE
from kiosk.storage.key import KEY_USER
from kiosk.sync.protocol import content_hash, event_id, parse_event_id
from kiosk.sync.secrets import sync_keyring_user

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

# Small values so that faults show quickly: a held answer costs one time-out of 1 s.
SMALL = {"timeout_seconds": 1, "batch_size": 10, "interval_seconds": 10, "max_backoff_seconds": 60,
         "purge_after_days": 0, "purge_rejected_after_days": 0}
REPORTS = "/api/v1/reports"
EVENTS = "/api/v1/events"
DECISIONS = "/api/v1/decisions"


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
def kiosk(tmp_path: Path, db_url: str, proxy: FaultProxy) -> Iterator[Kiosk]:
    """Kiosk 1, syncing through the fault proxy."""
    token = add_kiosk(db_url, "Lobby North", 1)
    with sync_kiosk(tmp_path / "kiosk1", proxy.url, token, kiosk_number=1, clock=ManualClock(NOW), **SMALL) as opened:
        yield opened


# -- the check every case ends with -----------------------------------------------------------------------------------

def kiosk_reports(kiosk: Kiosk) -> dict[str, str]:
    """{tracking number: content hash} of every report the kiosk holds."""
    return {tracking: content_hash(json.loads(data))
            for tracking, data in kiosk.store.db.execute_sql("SELECT tracking_number, data FROM report")}


def kiosk_events(kiosk: Kiosk) -> set[tuple[str, str, str, str]]:
    """(event id, tracking number, action, status) of every history event this kiosk made itself (not the decisions
    it pulled from the server)."""
    number = kiosk.config.kiosk.number
    rows = kiosk.store.db.execute_sql(
        "SELECT e.id, r.tracking_number, e.action, e.status, s.remote_id FROM report_event e "
        "JOIN report r ON r.id = e.report_id LEFT JOIN event_sync s ON s.event_id = e.id")
    return {(event_id(number, eid), tracking, action, status) for eid, tracking, action, status, remote in rows
            if remote is None or parse_event_id(remote) is not None}


def assert_nothing_lost_nothing_twice(db_url: str, *kiosks: Kiosk) -> None:
    on_server = server_reports(db_url)
    server_hashes = {row["tracking_number"]: row["content_hash"] for row in on_server}
    assert len(server_hashes) == len(on_server), "a tracking number is on the server twice"
    expected: dict[str, str] = {}
    for kiosk in kiosks:
        expected |= kiosk_reports(kiosk)
        assert pending(kiosk) == (0, 0)
        assert stored_conflicts(kiosk) == {}
    assert len(on_server) == len(expected)
    assert server_hashes == expected  # the same reports, each with the same content

    events = server_events(db_url)
    ids = [event["event_id"] for event in events]
    assert len(ids) == len(set(ids)), "an event is on the server twice"
    pushed = {(e["event_id"], e["tracking_number"], e["action"], e["status"]) for e in events
              if e["origin"] is not None}
    made_here: set[tuple[str, str, str, str]] = set()
    for kiosk in kiosks:
        made_here |= kiosk_events(kiosk)
    assert pushed == made_here


def submit_samples(kiosk: Kiosk, count: int) -> list[str]:
    """``count`` reports submitted the way the kiosk's screens submit them (ReportService.submit)."""
    samples = ("larceny-bicycle", "vandalism-car-es", "lost-wallet", "identity-theft")
    return [kiosk.reports.submit(load_sample(samples[i % len(samples)])).tracking_number for i in range(count)]


def run(kiosk: Kiosk, *, force: bool = True) -> Any:
    return kiosk.sync.run_once(force=force)


# -- the cases --------------------------------------------------------------------------------------------------------

def test_happy_path_pushes_everything_once(kiosk, db_url, proxy):
    fill_reports(kiosk.store, 45, seed=6, kiosks=(1,))
    import_standalone_numbers(kiosk, db_url)  # numbered while standalone
    submit_samples(kiosk, 3)
    first = run(kiosk)
    assert first.error is None
    assert first.reports_pushed == 48
    assert first.events_pushed == len(kiosk_events(kiosk))
    assert_nothing_lost_nothing_twice(db_url, kiosk)

    again = run(kiosk)  # nothing left to send, and nothing is sent twice
    assert (again.error, again.reports_pushed, again.events_pushed) == (None, 0, 0)
    assert_nothing_lost_nothing_twice(db_url, kiosk)
    assert proxy.outcomes(REPORTS) == ["passed"] * 5  # 48 reports in batches of 10
    assert kiosk.sync.status().last_success_at is not None


def test_server_down_backlog_grows_then_drains(kiosk, db_url, server):
    fill_reports(kiosk.store, 20, seed=7, kiosks=(1,))
    import_standalone_numbers(kiosk, db_url)  # numbered while standalone
    assert run(kiosk).error is None
    clock: ManualClock = kiosk.clock  # type: ignore[assignment]

    server.stop()
    submit_samples(kiosk, 4)  # the kiosk keeps taking reports while the server is away
    failed = run(kiosk, force=False)
    assert failed.error and failed.reports_pushed == 0
    status = kiosk.sync.status()
    assert (status.failures, status.pending_reports) == (1, 4)
    assert status.last_error and status.next_attempt_at is not None
    first_wait = status.next_attempt_at - clock.now()
    assert timedelta(seconds=5) <= first_wait <= timedelta(seconds=10)  # interval × 2^0 × [0.5, 1]
    assert run(kiosk, force=False).skipped  # backing off: no attempt before next_attempt_at

    submit_samples(kiosk, 3)
    clock.advance(seconds=11)
    assert run(kiosk, force=False).error
    status = kiosk.sync.status()
    assert (status.failures, status.pending_reports) == (2, 7)
    assert timedelta(seconds=10) <= status.next_attempt_at - clock.now() <= timedelta(seconds=20)  # doubled

    server.start()  # back on the same port
    clock.advance(seconds=21)
    drained = run(kiosk, force=False)
    assert drained.error is None and drained.reports_pushed == 7
    status = kiosk.sync.status()
    assert (status.failures, status.next_attempt_at, status.pending_reports) == (0, None, 0)
    assert_nothing_lost_nothing_twice(db_url, kiosk)


def test_network_refused_mid_run_then_drains(kiosk, db_url, proxy):
    fill_reports(kiosk.store, 30, seed=8, kiosks=(1,))
    import_standalone_numbers(kiosk, db_url)  # numbered while standalone
    proxy.refuse()  # the network is away: nothing listens
    assert run(kiosk).error
    proxy.passthrough()
    proxy.fail_with(503, count=1, path=REPORTS, skip=1)  # one batch gets through, then the server fails
    partial = run(kiosk)
    assert partial.error and partial.reports_pushed == 10
    assert len(server_reports(db_url)) == 10
    assert run(kiosk).error is None
    assert_nothing_lost_nothing_twice(db_url, kiosk)


def test_http_500s_are_retried_until_they_stop(kiosk, db_url, proxy):
    fill_reports(kiosk.store, 35, seed=9, kiosks=(1,))
    import_standalone_numbers(kiosk, db_url)  # numbered while standalone
    proxy.fail_with(500, count=2, path=REPORTS, skip=1)
    proxy.fail_with(503, count=1, path=EVENTS)
    proxy.fail_with(500, count=1, path=DECISIONS)
    outcomes = [run(kiosk) for _ in range(5)]
    assert [bool(o.error) for o in outcomes] == [True, True, True, True, False]
    assert proxy.faults_left() == 0
    assert proxy.outcomes(REPORTS).count("error 500") == 2
    assert "error 503" in proxy.outcomes(EVENTS) and "error 500" in proxy.outcomes(DECISIONS)
    assert_nothing_lost_nothing_twice(db_url, kiosk)


def test_time_out_after_the_server_stored_the_batch(kiosk, db_url, proxy):
    fill_reports(kiosk.store, 25, seed=10, kiosks=(1,))
    import_standalone_numbers(kiosk, db_url)  # numbered while standalone
    proxy.hold_responses(count=1, seconds=5, path=REPORTS, skip=1)
    timed_out = run(kiosk)
    assert timed_out.error and timed_out.reports_pushed == 10
    held = proxy.records(REPORTS)[-1]
    assert held.outcome == "held" and held.upstream_status == 200
    assert len(server_reports(db_url)) == 20  # the server stored the second batch; the kiosk never heard
    assert pending(kiosk)[0] == 15

    assert run(kiosk).error is None
    retried = json.loads(proxy.records(REPORTS)[2].answer)["results"]
    assert [r["outcome"] for r in retried] == ["already_stored"] * 10
    assert_nothing_lost_nothing_twice(db_url, kiosk)


def test_time_out_on_an_approval_keeps_one_official_number(kiosk, db_url, proxy):
    first, second = submit_samples(kiosk, 2)
    assert run(kiosk).error is None
    world = ReviewWorld(kiosk.store, kiosk.config, kiosk.clock)
    session = world.officer("jdoe")
    for tracking in (first, second):
        version = world.review.open_report(tracking, session).version
        decision = world.review.approve(tracking, session, nibrs_code="23H" if tracking == first else "290",
                                        expected_version=version)
        assert decision.official_number is None  # pending until the server answers
    proxy.hold_responses(count=1, seconds=5, path=EVENTS)
    assert run(kiosk).error
    held = json.loads(proxy.records(EVENTS)[-1].answer)["results"]
    given = [r["official_number"] for r in held if r["official_number"]]
    assert len(given) == 2  # the server numbered both approvals; the kiosk did not hear it
    assert all(kiosk.reports.get(t)["official_number"] is None for t in (first, second))

    assert run(kiosk).error is None
    numbers = [kiosk.reports.get(t)["official_number"] for t in (first, second)]
    assert numbers == given  # the retry got the same numbers, not new ones
    assert numbers == ["HPD-2026-000001", "HPD-2026-000002"]
    assert {r["tracking_number"]: r["official_number"] for r in server_reports(db_url)} == dict(
        zip((first, second), numbers, strict=True))
    assert [n.kind for n in kiosk.outbox.for_report(first)].count("approved") == 1  # the e-mail, once
    assert_nothing_lost_nothing_twice(db_url, kiosk)


def test_connection_cut_in_the_middle_of_the_answer(kiosk, db_url, proxy):
    fill_reports(kiosk.store, 30, seed=11, kiosks=(1,))
    import_standalone_numbers(kiosk, db_url)  # numbered while standalone
    proxy.cut_responses(count=1, path=REPORTS, skip=1)
    proxy.cut_responses(count=1, after_bytes=20, path=EVENTS)
    proxy.cut_responses(count=1, path=DECISIONS)
    outcomes = [run(kiosk) for _ in range(4)]
    assert [bool(o.error) for o in outcomes] == [True, True, True, False]
    assert proxy.outcomes().count("cut") == 3
    assert all(r.upstream_status == 200 for r in proxy.requests if r.outcome == "cut")
    assert_nothing_lost_nothing_twice(db_url, kiosk)


def test_two_kiosks_sync_at_the_same_time(tmp_path, db_url, server):
    tokens = {number: add_kiosk(db_url, f"Lobby {number}", number) for number in (1, 2)}
    with ExitStack() as stack:
        kiosks = [stack.enter_context(sync_kiosk(tmp_path / f"kiosk{n}", server.url, tokens[n], kiosk_number=n,
                                                 clock=ManualClock(NOW), **SMALL)) for n in (1, 2)]
        for number, kiosk in zip((1, 2), kiosks, strict=True):
            # Approvals numbered while standalone, each kiosk with its own prefix (with one pattern for both, the
            # server would refuse the second HPD-2026-000001 as official_number_taken: test_server_events.py).
            fill_reports(kiosk.store, 60, seed=number, kiosks=(number,), short_name=f"HPD-K{number}")
            import_standalone_numbers(kiosk, db_url)  # numbered while standalone
        # Each engine has its own token (the keyring holds one per server address).
        engines = [engine_for(kiosk, token=tokens[n]) for n, kiosk in zip((1, 2), kiosks, strict=True)]
        start = threading.Barrier(2)
        results: dict[int, Any] = {}

        def sync(index: int) -> None:
            start.wait()
            results[index] = engines[index].run_once(force=True)

        threads = [threading.Thread(target=sync, args=(i,)) for i in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert [results[i].error for i in (0, 1)] == [None, None]
        assert [results[i].reports_pushed for i in (0, 1)] == [60, 60]
        assert_nothing_lost_nothing_twice(db_url, *kiosks)
        assert {r["kiosk_number"] for r in server_reports(db_url)} == {1, 2}


def test_a_decision_made_at_the_server_reaches_the_kiosk(kiosk, db_url, proxy):
    rejected, approved, asked = submit_samples(kiosk, 3)
    assert run(kiosk).error is None
    decide(db_url, rejected, "reject", officer="sgt", reason="outside_city", message="Report it to West Hartford.")
    decide(db_url, approved, "approve", officer="sgt", nibrs="23H")
    decide(db_url, asked, "request-info", officer="sgt", question="What colour was the bicycle?")
    proxy.cut_responses(count=1, path=DECISIONS)  # the first pull is lost on the way
    assert run(kiosk).error
    pulled = run(kiosk)
    assert pulled.error is None and pulled.decisions_pulled == 3

    report = kiosk.reports.get(rejected)
    assert report["status"] == "rejected"
    assert report["history"][-1]["actor"] == "server:sgt"
    assert kiosk.reports.get(approved)["status"] == "approved"
    assert kiosk.reports.get(approved)["official_number"] == "HPD-2026-000001"
    assert kiosk.reports.get(asked)["status"] == "needs_info"
    for tracking, kind in ((rejected, "rejected"), (approved, "approved"), (asked, "needs_info")):
        assert kind in [notice.kind for notice in kiosk.outbox.for_report(tracking)]

    again = run(kiosk)  # applied once; the pulled decisions are never pushed back
    assert (again.error, again.decisions_pulled, again.events_pushed) == (None, 0, 0)
    assert sum(1 for e in server_events(db_url) if e["origin"] is None) == 3
    assert_nothing_lost_nothing_twice(db_url, kiosk)


def test_the_kiosk_process_killed_mid_sync_resumes(tmp_path, db_url, proxy):
    """``p2c-kiosk sync --once`` as a real process, killed (SIGKILL) while the server has stored a batch whose answer
    it waits for; the next run sends that batch again and finishes."""
    token = add_kiosk(db_url, "Lobby North", 1)
    home = tmp_path / "cli-kiosk"
    options = {**SMALL, "timeout_seconds": 30}  # it must still be waiting when it is killed
    with sync_kiosk(home, proxy.url, token, kiosk_number=1, clock=ManualClock(NOW), **options) as kiosk:
        fill_reports(kiosk.store, 50, seed=12, kiosks=(1,))
        import_standalone_numbers(kiosk, db_url)  # numbered while standalone
        keys = tmp_path / "keyring.json"
        write_token(keys, KEYRING_SERVICE, sync_keyring_user(kiosk.config), token)
        write_token(keys, KEYRING_SERVICE, KEY_USER, kiosk.store.key.as_text())  # the database's key, as on a kiosk
        env = {**os.environ, "PYTHON_KEYRING_BACKEND": "file_keyring.FileKeyring", FILE_ENV: str(keys),
               "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])}
        command = [sys.executable, "-m", "kiosk", "--home", str(home), "sync", "--once"]

        proxy.hold_responses(count=1, seconds=60, path=REPORTS, skip=2)
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 30
            while "held" not in proxy.outcomes(REPORTS):
                assert child.poll() is None, child.communicate()
                assert time.monotonic() < deadline, "the third batch never reached the server"
                time.sleep(0.02)
        finally:
            child.kill()
            child.communicate()
        assert child.returncode == -signal.SIGKILL
        assert len(server_reports(db_url)) == 30  # three batches stored, the kiosk acknowledged two
        assert pending(kiosk)[0] == 30

        proxy.passthrough()
        again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert again.returncode == 0, again.stderr
        assert "pushed 30 report(s)" in again.stdout
        assert_nothing_lost_nothing_twice(db_url, kiosk)
