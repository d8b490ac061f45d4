"""The sync engine without a server (docs/sync.md): what is pending, read from the database; a server that cannot
be reached is an error with back-off and jitter, kept in sync_state so that it survives a restart; a kiosk without
[sync] or without a token; Kiosk.sync."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
import pytest
from helpers import NOW, load_sample
from review_support import fill_reports
from sync_support import FixedRandom, closed_port_url, engine_for, open_sync_kiosk, pending, sync_keyring, sync_kiosk

from kiosk.clock import ManualClock
from kiosk.sync import SyncEngine, SyncRun, state
from kiosk.sync.client import ServerUnreachable, SyncClient
from kiosk.sync.protocol import content_hash, event_id
from kiosk.sync.secrets import store_token


@pytest.fixture
def down(tmp_path):
    """A kiosk pointed at a port nobody listens on, with a token."""
    with sync_kiosk(tmp_path / "kiosk", closed_port_url(), "a-token", interval_seconds=60,
                    max_backoff_seconds=600) as kiosk:
        yield kiosk


def test_a_kiosk_without_a_server_never_runs(tmp_path, store, config, clock):
    engine = SyncEngine(store, config, clock, token="unused")
    assert engine.run_once(force=True) == SyncRun(skipped=True)
    status = engine.status()
    assert not status.configured and status.server_url == "" and status.failures == 0
    assert state.read_state(store) == {}  # nothing written


def test_pending_reports_are_read_from_the_database_in_wire_form(down):
    receipt = down.reports.submit(load_sample("lost-wallet"))
    fill_reports(down.store, 5, seed=3, kiosks=(1,))
    batch = state.pending_reports(down.store, 100)
    assert len(batch) == 6 and [item.id for item in batch] == sorted(item.id for item in batch)
    mine = next(item for item in batch if item.tracking_number == receipt.tracking_number)
    wire = mine.wire
    assert wire["tracking_number"] == receipt.tracking_number and wire["kiosk_number"] == 1
    assert wire["submitted_at"].startswith("2026-11-24T17:00:00") and wire["submitted_at"].endswith("+00:00")
    assert wire["content_hash"] == content_hash(wire["report"])
    assert wire["report"]["reporter"]["last_name"] == load_sample("lost-wallet")["reporter"]["last_name"]
    # Pages: by id, from after_id.
    assert [i.id for i in state.pending_reports(down.store, 2, after_id=batch[1].id)] == [batch[2].id, batch[3].id]
    # Synced or refused reports are no longer pending; their events are, once the report is synced.
    assert pending(down) == (6, 0)
    with down.store.db.atomic():
        state.mark_reports_synced(down.store, [batch[0].id, batch[1].id], NOW)
        state.mark_report_conflict(down.store, batch[2].id, "refused")
    assert [i.id for i in state.pending_reports(down.store, 100)] == [i.id for i in batch[3:]]
    events = state.pending_events(down.store, 100)
    assert {e.report_id for e in events} == {batch[0].id, batch[1].id}
    assert pending(down) == (3, len(events))


def test_pending_events_in_history_order_with_the_approval_details(down):
    fill_reports(down.store, 40, seed=5, kiosks=(1,))
    ids = [item.id for item in state.pending_reports(down.store, 100)]
    with down.store.db.atomic():
        state.mark_reports_synced(down.store, ids, NOW)
    events = state.pending_events(down.store, 1000)
    assert [e.id for e in events] == sorted(e.id for e in events)
    approved = [e for e in events if e.action == "approved"]
    assert approved, "the seed gives some approved reports"
    for event in approved:
        nibrs, number = down.store.db.execute_sql("SELECT nibrs_code, official_number FROM report WHERE id = ?",
                                                  (event.report_id,)).fetchone()
        assert event.wire["nibrs_code"] == nibrs and event.wire["official_number"] == number  # numbered standalone
        assert number and nibrs
    others = [e for e in events if e.action != "approved"]
    assert all(e.wire["nibrs_code"] is None and e.wire["official_number"] is None for e in others)
    assert events[0].wire["event_id"] == event_id(1, events[0].id) == f"K01-{events[0].id}"
    assert set(events[0].wire) == {"event_id", "tracking_number", "at", "actor", "action", "status", "reason_code",
                                   "message", "nibrs_code", "official_number", "version"}
    # A status change carries the report's version it was made on (how many status changes came before it); other
    # events carry none (kiosk.sync.order).
    for report_id in {e.report_id for e in events}:
        changes = [e for e in events if e.report_id == report_id and e.action != "submitted"]
        assert [e.wire["version"] for e in changes] == list(range(len(changes)))
    assert all(e.wire["version"] is None for e in events if e.action == "submitted")
    # Acknowledged, refused or pulled events are no longer pending.
    with down.store.db.atomic():
        state.ack_events(down.store, [(events[0].id, events[0].wire["event_id"])], NOW)
        state.mark_event_conflict(down.store, events[1].id, events[1].wire["event_id"], "refused")
    assert [e.id for e in state.pending_events(down.store, 1000)] == [e.id for e in events[2:]]
    assert state.count_pending_events(down.store) == len(events) - 2


def test_a_closed_port_is_server_unreachable():
    with SyncClient(closed_port_url(), "a-token", timeout_seconds=2) as client, pytest.raises(ServerUnreachable) as e:
        client.whoami()
    assert "cannot be reached" in str(e.value) and "a-token" not in str(e.value)


def test_a_failed_run_backs_off_with_jitter_and_keeps_everything_pending(down):
    fill_reports(down.store, 3, seed=1, kiosks=(1,))
    jitter = FixedRandom(0.0)  # factor 0.5
    engine = engine_for(down, random=jitter)
    run = engine.run_once()
    assert not run.skipped and run.error and "cannot be reached" in run.error
    assert run.reports_pushed == 0 and jitter.calls == 1
    assert run.next_attempt_at == NOW + timedelta(seconds=30)  # 60 s x 2^0 x 0.5
    assert run.next_attempt_at.tzinfo is not None and run.next_attempt_at.utcoffset() == timedelta(hours=-5)
    assert pending(down) == (3, 0)
    status = engine.status()
    assert status.failures == 1 and status.last_error == run.error and status.last_error_at == NOW
    assert status.next_attempt_at == NOW + timedelta(seconds=30) and status.last_success_at is None
    # Before the next attempt is due, a run is skipped (unless forced).
    down.clock.advance(seconds=29)
    skipped = engine.run_once()
    assert skipped.skipped and skipped.error is None and skipped.next_attempt_at == NOW + timedelta(seconds=30)
    # Then each failure doubles the wait (times the jitter), up to max_backoff_seconds.
    waits = []
    for _ in range(6):
        run = engine.run_once(force=True)
        waits.append((run.next_attempt_at - down.clock.now()).total_seconds())
    assert waits == [60, 120, 240, 300, 300, 300]  # x 0.5: 120, 240, 480, 600 (capped), ...
    assert engine.status().failures == 7


def test_the_jitter_factor_is_between_a_half_and_one(down):
    for value, expected in ((0.0, 30), (0.5, 45), (0.999, 59.97)):
        state.write_state(down.store, {state.FAILURES: 0, state.NEXT_ATTEMPT_AT: None})
        run = engine_for(down, random=FixedRandom(value)).run_once()
        assert (run.next_attempt_at - down.clock.now()).total_seconds() == pytest.approx(expected)


def test_the_back_off_survives_a_restart(tmp_path):
    url = closed_port_url()
    home = tmp_path / "kiosk"
    clock = ManualClock(NOW)
    with sync_kiosk(home, url, "a-token", clock=clock) as kiosk:
        engine_for(kiosk, random=FixedRandom(0.0)).run_once()
        engine_for(kiosk, random=FixedRandom(0.0)).run_once(force=True)  # 2 failures: next in 60 s
    with sync_keyring(url, "a-token"):
        kiosk = open_sync_kiosk(home, clock)  # the kiosk is restarted
        try:
            engine = engine_for(kiosk, random=FixedRandom(0.0))
            status = engine.status()
            assert status.failures == 2 and status.next_attempt_at == NOW + timedelta(seconds=60)
            clock.advance(seconds=59)
            assert engine.run_once().skipped  # still waiting, after the restart too
            clock.advance(seconds=1)
            run = engine.run_once()
            assert not run.skipped and run.error and engine.status().failures == 3
            assert run.next_attempt_at == clock.now() + timedelta(seconds=120)
        finally:
            kiosk.close()


def test_no_token_is_an_error_with_back_off(tmp_path):
    with sync_kiosk(tmp_path / "kiosk", closed_port_url(), None) as kiosk:
        run = kiosk.sync.run_once()
        assert run.error and "token" in run.error and "--token-stdin" in run.error
        assert kiosk.sync.status().failures == 1 and run.next_attempt_at > kiosk.clock.now()


def test_kiosk_sync_is_one_engine_reading_the_token_from_the_keyring(tmp_path):
    url = closed_port_url()
    with sync_kiosk(tmp_path / "kiosk", url, None) as kiosk:  # no token in the keyring yet
        assert kiosk.sync is kiosk.sync and kiosk.sync.configured
        assert "no sync token in the system keyring" in kiosk.sync.run_once(force=True).error
        store_token(kiosk.config, "kept-in-the-keyring")  # stored while the kiosk runs
        run = kiosk.sync.run_once(force=True)
        assert "cannot be reached" in run.error  # read at this run: it went on to the network
        assert kiosk.sync.status().server_url == url


def test_a_run_on_a_worker_thread_uses_that_threads_connection(down):
    import threading

    fill_reports(down.store, 2, seed=2, kiosks=(1,))
    results = []
    worker = threading.Thread(target=lambda: results.append(down.sync.run_once()))
    worker.start()
    worker.join(30)
    assert results and results[0].error and "cannot be reached" in results[0].error
    assert down.sync.status().failures == 1  # written on the worker's connection, read on this one


def test_an_unknown_state_key_is_refused(store):
    with pytest.raises(KeyError):
        state.write_state(store, {"cursor": 1})


def test_httpx_is_not_imported_by_kiosk_sync():
    import subprocess
    import sys

    code = "import sys, kiosk.sync; from kiosk.sync import SyncEngine; print('httpx' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True
                          ).stdout.strip() == "False"
    assert httpx  # the client itself does use it


def misbehaving_server(refuse: str, answer: str) -> httpx.MockTransport:
    """A server (at the HTTP boundary: the reference server never answers like this) that takes ``/reports`` and
    ``/events`` batches, except the ``refuse`` path, which it answers with ``answer``: "413" every time, or a 422
    naming an item that is not in the batch."""

    def handle(request: httpx.Request) -> httpx.Response:
        path = request.url.path.rsplit("/", 1)[-1]
        if path in ("audit", "access-codes"):  # a server without the audit chain or the status page: carry on
            return httpx.Response(404, json={"error": {"code": "not_found", "message": "no such path"}})
        if request.method == "GET":
            return httpx.Response(200, json={"decisions": [], "next_cursor": 0, "more": False})
        body = json.loads(request.content)
        if path == refuse and answer == "413":
            return httpx.Response(413, json={"error": {"code": "too_large", "message": "too large"}})
        if path == refuse:
            stranger = {"index": 999, "tracking_number": "T26-09-99999-9", "event_id": "K09-1", "message": "no"}
            return httpx.Response(422, json={"error": {"code": "invalid", "message": "refused", "items": [stranger]}})
        key = "tracking_number" if path == "reports" else "event_id"
        return httpx.Response(200, json={"results": [{key: item[key], "outcome": "created"} for item in body[path]]})

    return httpx.MockTransport(handle)


@pytest.mark.parametrize("refuse", ["reports", "events"])
def test_a_refusal_naming_nothing_of_the_batch_fails_the_run_and_sets_nothing_aside(down, refuse):
    down.reports.submit(load_sample("lost-wallet"))
    run = engine_for(down, transport=misbehaving_server(refuse, "422")).run_once(force=True)
    what = "report" if refuse == "reports" else "event"
    assert run.error and f"no {what} of the batch was named, so none could be set aside" in run.error
    assert run.conflicts == 0 and state.conflicts(down.store) == []
    assert pending(down)[0 if refuse == "reports" else 1] > 0  # still waiting, sent again at the next run


@pytest.mark.parametrize("refuse", ["reports", "events"])
def test_one_item_still_too_large_alone_is_set_aside_and_the_rest_goes(down, refuse):
    for sample in ("lost-wallet", "identity-theft"):
        down.reports.submit(load_sample(sample))
    run = engine_for(down, transport=misbehaving_server(refuse, "413")).run_once(force=True)
    assert run.error is None
    conflicts = state.conflicts(down.store)
    assert run.conflicts == len(conflicts) > 0 and all("too large for the server" in c.message for c in conflicts)
    assert {c.kind for c in conflicts} == {"report" if refuse == "reports" else "event"}
    assert pending(down) == (0, 0)  # nothing left waiting: each was sent or set aside
