"""The purge of personal data once the server has a report (kiosk.sync.purge, docs/sync.md "Purge"): when a report
is due and when it is not, what is removed and what is kept, that the citizen's status look-up still works and the
officer queue no longer lists it. Real SQLite files and a ManualClock."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from helpers import NOW, load_sample
from review_support import ReviewWorld, fill_reports
from storage_keyring import decrypted_bytes

from kiosk.config import config_from_mapping
from kiosk.lookup import StatusLookup, explain
from kiosk.review import QueueFilter, default_next_steps
from kiosk.sync import purge as purge_module
from kiosk.sync.apply import record_official_number
from kiosk.sync.purge import purge_due

SERVER = "http://127.0.0.1:8765"
PERSONAL = ("Dana", "Whitfield", "whitfield", "Farmington", "dana.whitfield@example.org", "5550142", "1979-06-14",
            "WTU321C4567D", "Trek")


def sync_config(**sync):
    return config_from_mapping({"sync": {"server_url": SERVER, **sync}})


@pytest.fixture
def world(store, clock):
    return ReviewWorld(store, sync_config(), clock)


def ack_everything(world):
    """What the engine does once the server has a report and its history: synced_at, and an acknowledged event_sync
    row for each event (the numbers given for approvals, with their e-mails)."""
    db = world.store.db
    db.execute_sql("UPDATE report SET synced_at = ? WHERE synced_at IS NULL", (NOW.isoformat(),))
    db.execute_sql("INSERT INTO event_sync (event_id, remote_id, acked_at) SELECT e.id, 'K01-' || e.id, ? "
                   "FROM report_event AS e WHERE NOT EXISTS (SELECT 1 FROM event_sync s WHERE s.event_id = e.id)",
                   (NOW.isoformat(),))
    pending_numbers = db.execute_sql("SELECT id FROM report WHERE status = 'approved' AND official_number IS NULL")
    for number, (report_id,) in enumerate(pending_numbers.fetchall(), start=1):
        record_official_number(world.store, world.config, world.clock, world.outbox, world.audit, report_id,
                               f"HPD-2026-{number:06d}")


def send_notices(world):
    """Stand-in for a delivery run: the e-mails have left (the purge waits for that)."""
    world.store.db.execute_sql("UPDATE notice SET status = 'sent', sent_at = ? WHERE status = 'pending'",
                               (NOW.isoformat(),))


def approved(world, sample="larceny-bicycle"):
    receipt = world.reports.submit(load_sample(sample))
    jdoe = world.officer("jdoe")
    detail = world.review.open_report(receipt.tracking_number, jdoe)
    world.review.approve(receipt.tracking_number, jdoe, nibrs_code=detail.nibrs.code, expected_version=detail.version)
    return receipt.tracking_number, receipt.access_code


def rejected(world, sample="larceny-bicycle"):
    receipt = world.reports.submit(load_sample(sample))
    jdoe = world.officer("jdoe")
    detail = world.review.open_report(receipt.tracking_number, jdoe)
    world.review.reject(receipt.tracking_number, jdoe, reason="outside_city", expected_version=detail.version)
    return receipt.tracking_number, receipt.access_code


def purge(world):
    return purge_due(world.store, world.config, world.clock)


def row_of(world, tracking):
    return world.store.db.execute_sql(
        "SELECT data, reporter_name, person_key, home_address_key, location_key, location_summary, purged_at, "
        "official_number, status, access_code_hash FROM report WHERE tracking_number = ?", (tracking,)).fetchone()


def test_an_approved_report_loses_its_personal_data_after_the_configured_days(world, clock):
    tracking, _ = approved(world)
    ack_everything(world)
    send_notices(world)
    before = row_of(world, tracking)

    clock.advance(days=29, hours=23)
    assert purge(world) == 0
    clock.advance(hours=1)
    assert purge(world) == 1

    data, name, person, home, place, summary, purged_at, number, status, code_hash = row_of(world, tracking)
    assert json.loads(data) == {"format": "p2c-report/1", "category": "larceny", "language": "en"}
    assert (name, person, home, place, summary) == ("", "", "", "", "")
    assert purged_at is not None
    assert (number, status, code_hash) == (before[7], "approved", before[9])  # what the look-up needs stays
    db = world.store.db
    report_id = db.execute_sql("SELECT id FROM report WHERE tracking_number = ?", (tracking,)).fetchone()[0]
    for table in ("report_name_token", "report_serial"):
        assert db.execute_sql(f"SELECT COUNT(*) FROM {table} WHERE report_id = ?", (report_id,)).fetchone() == (0,)
    for recipient, text, html_body in db.execute_sql(
            "SELECT recipient, body_text, body_html FROM notice WHERE report_id = ?", (report_id,)):
        assert (recipient, text, html_body) == (None, "", "")

    document = world.reports.get(tracking)
    assert document["purged_at"] == f"{clock.now().astimezone(world.config.kiosk.zone).isoformat()}"
    assert (document["status"], document["official_number"]) == ("approved", before[7])
    assert "reporter" not in document and [e["action"] for e in document["history"]][-1] == "approved"

    assert purge(world) == 0  # once


def test_nothing_personal_is_left_in_the_database_files(world, clock, tmp_path):
    tracking, _ = approved(world)
    ack_everything(world)
    send_notices(world)
    clock.advance(days=31)
    assert purge(world) == 1

    files = b"".join(decrypted_bytes(path) for path in tmp_path.glob("kiosk.sqlite3*"))  # every page's plaintext
    assert tracking.encode() in files
    for personal in PERSONAL:
        assert personal.encode() not in files, personal


def test_the_status_lookup_still_works_on_a_purged_report(world, clock):
    tracking, code = rejected(world)
    ack_everything(world)
    send_notices(world)
    clock.advance(days=7)
    assert purge(world) == 1

    status = StatusLookup(world.store, world.config, clock, world.audit).check(tracking, code)
    assert (status.tracking_number, status.status, status.reason_code) == (tracking, "rejected", "outside_city")
    assert status.next_steps == default_next_steps("outside_city", "en", world.config)
    assert status.next_steps in explain(status, "en")


def test_the_officer_queue_no_longer_lists_purged_reports(world, clock):
    kept, _ = approved(world)
    ack_everything(world)
    send_notices(world)
    clock.advance(days=31)
    purged_number, _ = approved(world, "lost-wallet")  # approved now: not due yet
    world.store.db.execute_sql("UPDATE report SET updated_at = ? WHERE tracking_number = ?",
                               ("2026-10-01T00:00:00.000000+00:00", kept))
    ack_everything(world)
    send_notices(world)
    assert purge(world) == 1

    everything = QueueFilter(statuses=("approved",))
    listed = [row.tracking_number for row in world.review.queue_page(everything)]
    assert listed == [purged_number]
    assert world.review.status_counts(QueueFilter())["approved"] == 1
    assert world.review.queue_count(QueueFilter(search=kept)) == 0
    assert world.review.queue_count(QueueFilter(search="whitfield")) == 0


@pytest.mark.parametrize("hold", ["not_synced", "event_pending", "event_refused", "notice_pending", "needs_info"])
def test_a_report_is_kept_while_the_server_or_the_citizen_may_still_need_it(world, clock, hold):
    tracking, _ = approved(world)
    ack_everything(world)
    send_notices(world)
    db = world.store.db
    if hold == "not_synced":
        db.execute_sql("UPDATE report SET synced_at = NULL")
    elif hold == "event_pending":
        db.execute_sql("DELETE FROM event_sync WHERE event_id = (SELECT MAX(id) FROM report_event)")
    elif hold == "event_refused":
        db.execute_sql("UPDATE event_sync SET acked_at = NULL, conflict = 'decided elsewhere' "
                       "WHERE event_id = (SELECT MAX(id) FROM report_event)")
    elif hold == "notice_pending":
        db.execute_sql("UPDATE notice SET status = 'pending' WHERE kind = 'approved'")
    elif hold == "needs_info":
        db.execute_sql("UPDATE report SET status = 'needs_info'")
    clock.advance(days=400)
    assert purge(world) == 0
    assert row_of(world, tracking)[6] is None


def test_a_refused_event_followed_by_the_servers_decision_no_longer_holds_the_report(world, clock):
    from kiosk.sync.apply import apply_decision

    tracking, _ = approved(world)
    db = world.store.db
    db.execute_sql("UPDATE report SET synced_at = ?", (NOW.isoformat(),))
    approval = db.execute_sql("SELECT MAX(id) FROM report_event").fetchone()[0]
    db.execute_sql("INSERT INTO event_sync (event_id, remote_id, acked_at) SELECT id, 'K01-' || id, ? "
                   "FROM report_event WHERE id < ?", (NOW.isoformat(), approval))
    db.execute_sql("INSERT INTO event_sync (event_id, remote_id, conflict) VALUES (?, ?, 'decided elsewhere')",
                   (approval, f"K01-{approval}"))
    assert apply_decision(world.store, world.config, clock, world.outbox, world.audit, {
        "event_id": "S-3", "tracking_number": tracking, "at": NOW.isoformat(), "actor": "server:sgt",
        "action": "rejected", "status": "rejected", "reason_code": "duplicate", "message": None})
    send_notices(world)
    clock.advance(days=8)
    assert purge(world) == 1


def test_zero_days_means_never_and_rejected_reports_go_sooner(store, clock):
    world = ReviewWorld(store, sync_config(purge_after_days=0, purge_rejected_after_days=2), clock)
    kept, _ = approved(world)
    gone, _ = rejected(world, "lost-wallet")
    ack_everything(world)
    send_notices(world)
    clock.advance(days=2)
    assert purge(world) == 1
    assert row_of(world, gone)[6] is not None and row_of(world, kept)[6] is None
    clock.advance(days=5000)
    assert purge(world) == 0


def test_a_backlog_is_purged_in_batches_and_at_most_so_many_per_run(world, clock, monkeypatch):
    fill_reports(world.store, 700, seed=7, kiosks=(1,), days=300)
    ack_everything(world)
    send_notices(world)
    clock.advance(days=31)
    now = clock.now()
    due = sum(1 for status, updated in world.store.db.execute_sql("SELECT status, updated_at FROM report")
              if (status == "approved" and datetime.fromisoformat(updated) <= now - timedelta(days=30))
              or (status == "rejected" and datetime.fromisoformat(updated) <= now - timedelta(days=7)))
    assert due > 400  # more than two batches
    monkeypatch.setattr(purge_module, "MAX_PER_RUN", 300)  # a small cap, so the backlog takes several runs
    assert [purge(world) for _ in range(due // 300 + 2)] == [300] * (due // 300) + [due % 300, 0]
    assert world.store.db.execute_sql("SELECT COUNT(*) FROM report_name_token t JOIN report r ON r.id = t.report_id "
                                      "WHERE r.purged_at IS NOT NULL").fetchone() == (0,)


def test_show_prints_the_stub_of_a_purged_report_and_nothing_personal(world, clock, tmp_path):
    import io

    from kiosk.cli import main

    tracking, _ = approved(world)
    ack_everything(world)
    send_notices(world)
    clock.advance(days=30)
    assert purge(world) == 1

    out, err = io.StringIO(), io.StringIO()
    assert main(["--home", str(tmp_path), "show", tracking], stdout=out, stderr=err) == 0, err.getvalue()
    text = out.getvalue()
    assert f"Tracking number  {tracking}" in text
    assert "Official number  HPD-2026-000001" in text
    assert "Purged" in text and "approved by officer:jdoe" in text
    for personal in PERSONAL:
        assert personal not in text, personal
