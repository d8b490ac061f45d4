"""The sync engine against the real reference server (a subprocess on 127.0.0.1, real sockets, SQLite and, when
P2C_TEST_POSTGRES_URL is set, PostgreSQL): reports then events acknowledged and never sent twice; a wrong token;
a report the server already has with other content set aside as a conflict; batches too large; resuming after a
restart; official numbers and decisions coming back from the server."""

from __future__ import annotations

import json

import pytest
from fault_proxy import FaultProxy
from helpers import NOW, load_sample
from review_support import ReviewWorld, fill_reports
from server_support import (
    ServerProcess,
    add_kiosk,
    database_kinds,
    decide,
    fresh_database_url,
    server_conflicts,
    server_events,
    server_reports,
)
from sync_support import (
    import_standalone_numbers,
    open_sync_kiosk,
    pending,
    report_data,
    stored_conflicts,
    sync_keyring,
    sync_kiosk,
    synced_numbers,
)

from kiosk.clock import ManualClock
from kiosk.sync import state
from kiosk.sync.client import BatchTooLarge, ItemsRefused, TokenRefused, client_for
from kiosk.sync.protocol import API_PREFIX, MAX_BATCH, MAX_BODY_BYTES, content_hash


@pytest.fixture
def server_db(tmp_path):
    return fresh_database_url("sqlite", tmp_path)


@pytest.fixture
def server(server_db):
    with ServerProcess(server_db) as running:
        yield running


@pytest.fixture
def token(server_db):
    return add_kiosk(server_db, "Lobby North", 1)


def local_events(kiosk):
    return kiosk.store.db.execute_sql("SELECT COUNT(*) FROM report_event").fetchone()[0]


@pytest.mark.parametrize("db_kind", database_kinds())
def test_reports_then_events_are_acknowledged_once(db_kind, tmp_path):
    db_url = fresh_database_url(db_kind, tmp_path)
    token = add_kiosk(db_url, "Lobby North", 1)
    with ServerProcess(db_url) as server, sync_kiosk(tmp_path / "kiosk", server.url, token, batch_size=7,
                                                      purge_after_days=0, purge_rejected_after_days=0) as kiosk:
        filled = fill_reports(kiosk.store, 30, seed=11, kiosks=(1,))
        import_standalone_numbers(kiosk, db_url)  # numbered while standalone
        mine = kiosk.reports.submit(load_sample("larceny-bicycle")).tracking_number
        assert pending(kiosk) == (31, 0)
        run = kiosk.sync.run_once()
        assert run.error is None and not run.skipped and run.conflicts == 0
        assert run.reports_pushed == 31 and run.events_pushed == local_events(kiosk)
        assert pending(kiosk) == (0, 0)
        held = {r["tracking_number"]: r for r in server_reports(db_url)}
        assert set(held) == {*filled.tracking_numbers, mine} == synced_numbers(kiosk)
        for tracking in held:  # the very content the kiosk holds
            document = json.loads(kiosk.store.db.execute_sql("SELECT data FROM report WHERE tracking_number = ?",
                                                             (tracking,)).fetchone()[0])
            assert held[tracking]["content_hash"] == content_hash(document)
        events = server_events(db_url)
        assert len(events) == local_events(kiosk) and len({e["event_id"] for e in events}) == len(events)
        # Approvals numbered while standalone keep their numbers at the server.
        local = dict(kiosk.store.db.execute_sql(
            "SELECT tracking_number, official_number FROM report WHERE status = 'approved'").fetchall())
        assert local and all(held[t]["official_number"] == number for t, number in local.items())
        assert {t: held[t]["status"] for t in held} == dict(kiosk.store.db.execute_sql(
            "SELECT tracking_number, status FROM report").fetchall())
        # A second run sends nothing and the server holds the same.
        again = kiosk.sync.run_once()
        assert (again.error, again.reports_pushed, again.events_pushed, again.decisions_pulled) == (None, 0, 0, 0)
        assert len(server_reports(db_url)) == 31 and len(server_events(db_url)) == len(events)
        status = kiosk.sync.status()
        assert status.last_success_at == kiosk.clock.now() and status.failures == 0 and status.last_error is None
        assert status.pending_reports == status.pending_events == 0 and status.conflicts == []


def test_a_new_report_and_a_supplement_follow_in_the_next_run(tmp_path, server, server_db, token):
    with sync_kiosk(tmp_path / "kiosk", server.url, token) as kiosk:
        first = kiosk.reports.submit(load_sample("lost-wallet")).tracking_number
        assert kiosk.sync.run_once().reports_pushed == 1
        world = ReviewWorld(kiosk.store, kiosk.config, kiosk.clock)
        session = world.officer("jdoe")
        detail = world.review.open_report(first, session)  # review_started
        world.review.request_info(first, session, question="Which bank issued the cards?",
                                  expected_version=detail.version)
        second = kiosk.reports.submit(load_sample("larceny-bicycle")).tracking_number
        assert pending(kiosk) == (1, 2)
        run = kiosk.sync.run_once()
        assert (run.error, run.reports_pushed, run.events_pushed) == (None, 1, 3)  # the new report's "submitted" too
        assert [r["tracking_number"] for r in server_reports(server_db)] == [first, second]
        assert [r["status"] for r in server_reports(server_db)] == ["needs_info", "submitted"]
        actions = [(e["tracking_number"], e["action"]) for e in server_events(server_db)]
        assert actions == [(first, "submitted"), (first, "review_started"), (first, "info_requested"),
                           (second, "submitted")]


def test_a_wrong_token_is_an_error_and_nothing_is_sent(tmp_path, server, server_db, token):
    with sync_kiosk(tmp_path / "kiosk", server.url, "not-" + token) as kiosk:
        kiosk.reports.submit(load_sample("lost-wallet"))
        run = kiosk.sync.run_once()
        assert run.error and "401" in run.error and "--token-stdin" in run.error and token not in run.error
        assert run.reports_pushed == 0 and run.next_attempt_at > kiosk.clock.now()
        assert kiosk.sync.status().failures == 1 and pending(kiosk) == (1, 0)
        assert server_reports(server_db) == []
    with client_for(kiosk.config, "not-" + token) as client, pytest.raises(TokenRefused):
        client.whoami()
    with client_for(kiosk.config, token) as client:
        assert client.whoami() == {"kiosk_name": "Lobby North", "kiosk_number": 1}


def test_a_report_the_server_holds_with_other_content_is_set_aside(tmp_path, server, server_db, token):
    """Kiosk 1 was reinstalled with an empty database and the same token: it gives out T26-01-00001 again, for
    another citizen's report. The server refuses it (409); the kiosk sets it aside for an officer and sends the
    rest at once."""
    with sync_kiosk(tmp_path / "before", server.url, token) as before:
        original = before.reports.submit(load_sample("lost-wallet")).tracking_number
        assert before.sync.run_once().reports_pushed == 1
        first_hash = content_hash(report_data(before, original))
    with sync_kiosk(tmp_path / "after", server.url, token) as after:
        numbers = [after.reports.submit(load_sample(name)).tracking_number
                   for name in ("larceny-bicycle", "vandalism-car-es", "identity-theft")]
        assert numbers[0] == original
        run = after.sync.run_once()
        assert run.error is None and run.conflicts == 1 and run.reports_pushed == 2
        assert synced_numbers(after) == set(numbers[1:])
        assert list(stored_conflicts(after)) == [original]
        (conflict,) = after.sync.status().conflicts
        assert conflict.tracking_number == original and conflict.kind == "report" and conflict.action is None
        assert "409" in conflict.message and conflict.at.utcoffset() is not None
        assert after.sync.status().pending_reports == 0  # set aside, not pending: it is never sent again
        # The server kept the first report and recorded the conflict for the department.
        held = {r["tracking_number"]: r["content_hash"] for r in server_reports(server_db)}
        assert held[original] == first_hash != content_hash(report_data(after, original))
        assert [c["tracking_number"] for c in server_conflicts(server_db)] == [original]
        # Its events are not sent either (the server does not have this report); the next run is quiet.
        again = after.sync.run_once()
        assert (again.error, again.reports_pushed, again.conflicts) == (None, 0, 0)


def test_a_local_decision_the_server_refuses_is_an_event_conflict_and_the_servers_decision_wins(
        tmp_path, server, server_db, token):
    with sync_kiosk(tmp_path / "kiosk", server.url, token) as kiosk:
        tracking = kiosk.reports.submit(load_sample("larceny-bicycle")).tracking_number
        assert kiosk.sync.run_once().error is None
        decide(server_db, tracking, "reject", reason="not_eligible")
        world = ReviewWorld(kiosk.store, kiosk.config, kiosk.clock)
        session = world.officer("jdoe")
        detail = world.review.open_report(tracking, session)
        world.review.approve(tracking, session, nibrs_code="23H", expected_version=detail.version)
        run = kiosk.sync.run_once()
        assert run.error is None and run.conflicts >= 1 and run.decisions_pulled == 1
        conflicts = kiosk.sync.status().conflicts
        assert [(c.kind, c.action) for c in conflicts if c.action == "approved"] == [("event", "approved")]
        assert all(c.tracking_number == tracking and "409" in c.message for c in conflicts)
        assert kiosk.reports.get(tracking)["status"] == "rejected"  # the server's decision
        assert kiosk.sync.status().pending_events == 0


def test_too_many_items_or_bytes_are_refused_with_413(tmp_path, server, server_db, token):
    with sync_kiosk(tmp_path / "kiosk", server.url, token) as kiosk:
        fill_reports(kiosk.store, MAX_BATCH + 1, seed=4, kiosks=(1,))
        import_standalone_numbers(kiosk, server_db)  # numbered while standalone
        batch = state.pending_reports(kiosk.store, MAX_BATCH + 1)
        with client_for(kiosk.config, token) as client:
            with pytest.raises(BatchTooLarge, match="413"):
                client.push_reports([item.wire for item in batch])
            huge = dict(batch[0].wire, report=dict(batch[0].wire["report"], narrative="x" * MAX_BODY_BYTES))
            with pytest.raises(BatchTooLarge, match="413"):
                client.push_reports([huge])
            # A refused batch stores nothing; a valid one with an invalid field names it (422).
            bad = dict(batch[0].wire, content_hash="sha256:" + "0" * 64)
            with pytest.raises(ItemsRefused) as refused:
                client.push_reports([batch[1].wire, bad])
            assert refused.value.status == 422 and refused.value.items[0].index == 1
            assert refused.value.items[0].field == "reports[1].content_hash"
        assert server_reports(server_db) == []


def test_a_batch_too_large_is_halved_until_it_fits(tmp_path, server, server_db, token):
    """A report too large for any batch (its stored document over the server's body limit) is halved down to
    itself and set aside; the others go in smaller batches."""
    with sync_kiosk(tmp_path / "kiosk", server.url, token, batch_size=8) as kiosk:
        fill_reports(kiosk.store, 6, seed=8, kiosks=(1,))
        import_standalone_numbers(kiosk, server_db)  # numbered while standalone
        (third,) = kiosk.store.db.execute_sql("SELECT id FROM report ORDER BY id LIMIT 1 OFFSET 2").fetchone()
        (data,) = kiosk.store.db.execute_sql("SELECT data FROM report WHERE id = ?", (third,)).fetchone()
        document = json.loads(data)
        document["narrative"] = "x" * (MAX_BODY_BYTES + 10)
        kiosk.store.db.execute_sql("UPDATE report SET data = ? WHERE id = ?", (json.dumps(document), third))
        run = kiosk.sync.run_once()
        assert run.error is None and run.reports_pushed == 5 and run.conflicts == 1
        assert len(server_reports(server_db)) == 5
        (conflict,) = kiosk.sync.status().conflicts
        assert "too large" in conflict.message and "413" in conflict.message


def test_the_backlog_is_sent_after_a_restart_once_the_server_is_back(tmp_path, server_db, token):
    clock = ManualClock(NOW)
    home = tmp_path / "kiosk"
    server = ServerProcess(server_db)  # not started: the server is away
    with sync_kiosk(home, server.url, token, clock=clock) as kiosk:
        fill_reports(kiosk.store, 12, seed=6, kiosks=(1,))
        import_standalone_numbers(kiosk, server_db)  # numbered while standalone
        failed = kiosk.sync.run_once()
        assert failed.error and "cannot be reached" in failed.error
        kiosk.reports.submit(load_sample("lost-wallet"))  # the kiosk keeps taking reports
        assert pending(kiosk) == (13, 0)
    with server, sync_keyring(server.url, token):
        kiosk = open_sync_kiosk(home, clock)  # restarted
        try:
            assert kiosk.sync.run_once().skipped  # the back-off holds across the restart
            clock.advance(seconds=kiosk.config.sync.interval_seconds)
            run = kiosk.sync.run_once()
            assert run.error is None and run.reports_pushed == 13 and pending(kiosk) == (0, 0)
            assert len(server_reports(server_db)) == 13
            assert kiosk.sync.status().failures == 0 and kiosk.sync.status().next_attempt_at is None
        finally:
            kiosk.close()


def test_a_run_cut_short_resumes_where_it_stopped(tmp_path, server, server_db, token):
    """The server fails between the reports and the events (a real proxy in front of it answers the events with
    503): the acknowledged reports stay acknowledged, and the next run sends only the events."""
    with FaultProxy(server.port) as proxy, sync_kiosk(tmp_path / "kiosk", proxy.url, token, batch_size=5) as kiosk:
        fill_reports(kiosk.store, 10, seed=9, kiosks=(1,))
        import_standalone_numbers(kiosk, server_db)  # numbered while standalone
        proxy.fail_with(503, count=None, path=f"{API_PREFIX}/events")  # every push of events, until cleared
        broken = kiosk.sync.run_once()
        assert broken.reports_pushed == 10 and broken.error and pending(kiosk) == (0, local_events(kiosk))
        assert proxy.outcomes(f"{API_PREFIX}/reports") == ["passed"] * 2
        assert proxy.outcomes(f"{API_PREFIX}/events") == ["error 503"]
        assert server_events(server_db) == []
        proxy.passthrough()
        run = kiosk.sync.run_once(force=True)
        assert run.error is None and run.reports_pushed == 0 and run.events_pushed == local_events(kiosk)
        assert len(server_reports(server_db)) == 10 and len(server_events(server_db)) == local_events(kiosk)


def test_an_approval_gets_its_official_number_from_the_server(tmp_path, server, server_db, token):
    with sync_kiosk(tmp_path / "kiosk", server.url, token) as kiosk:
        world = ReviewWorld(kiosk.store, kiosk.config, kiosk.clock)
        tracking = world.submit("larceny-bicycle")
        kiosk.sync.run_once()
        session = world.officer("jdoe")
        detail = world.review.open_report(tracking, session)
        decision = world.review.approve(tracking, session, nibrs_code="23H", expected_version=detail.version)
        assert decision.official_number is None  # pending: the server gives it
        assert [n.kind for n in world.outbox.for_report(tracking)] == ["submitted"]
        run = kiosk.sync.run_once()
        assert run.error is None and run.events_pushed == 2
        number = kiosk.reports.get(tracking)["official_number"]
        server_number = {r["tracking_number"]: r["official_number"] for r in server_reports(server_db)}[tracking]
        assert number == server_number and number.startswith("HPD-2026-")
        assert [n.kind for n in world.outbox.for_report(tracking)] == ["submitted", "approved"]
        assert ("sync", "official_number_received", tracking) in world.audit_actions()
        # The answer is stored once: another run changes nothing.
        assert kiosk.sync.run_once().events_pushed == 0
        assert [n.kind for n in world.outbox.for_report(tracking)] == ["submitted", "approved"]


def test_a_decision_made_at_the_server_reaches_the_kiosk_once(tmp_path, server, server_db, token):
    with sync_kiosk(tmp_path / "kiosk", server.url, token) as kiosk:
        first = kiosk.reports.submit(load_sample("larceny-bicycle")).tracking_number
        second = kiosk.reports.submit(load_sample("lost-wallet")).tracking_number
        kiosk.sync.run_once()
        decide(server_db, first, "approve", nibrs="23H")
        decide(server_db, second, "reject", reason="not_eligible")
        run = kiosk.sync.run_once()
        assert run.error is None and run.decisions_pulled == 2 and run.events_pushed == 0
        assert kiosk.reports.get(first)["status"] == "approved"
        assert kiosk.reports.get(first)["official_number"] == server_reports(server_db)[0]["official_number"]
        assert kiosk.reports.get(second)["status"] == "rejected"
        cursor = int(state.read_state(kiosk.store)[state.DECISIONS_CURSOR])
        assert cursor == max(e["cursor"] for e in server_events(server_db))
        again = kiosk.sync.run_once()
        assert again.decisions_pulled == 0 and again.events_pushed == 0  # pulled events are never pushed back
        assert len(server_events(server_db)) == 4


def test_two_runs_at_once_on_two_threads_send_each_report_once(tmp_path, server, server_db, token):
    """The window's timer and the "Sync now" button may start runs together: they take turns."""
    import threading

    with sync_kiosk(tmp_path / "kiosk", server.url, token, batch_size=10) as kiosk:
        fill_reports(kiosk.store, 60, seed=12, kiosks=(1,))
        import_standalone_numbers(kiosk, server_db)  # numbered while standalone
        runs = []
        threads = [threading.Thread(target=lambda: runs.append(kiosk.sync.run_once(force=True))) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert len(runs) == 2 and all(run.error is None for run in runs)
        assert sorted(run.reports_pushed for run in runs) == [0, 60]  # the second found nothing left
        assert sorted(run.events_pushed for run in runs) == [0, local_events(kiosk)]
        assert len(server_reports(server_db)) == 60 and len(server_events(server_db)) == local_events(kiosk)
