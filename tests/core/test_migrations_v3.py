"""Schema v3 (sync, docs/sync.md): a version 2 file is backed up and migrated with its reports kept; the new columns
and tables match the peewee models; the pending-reports index is the one a pending query uses."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import peewee as pw
import pytest
from helpers import load_sample

from kiosk.storage.database import open_store
from kiosk.storage.migrations import LATEST, MIGRATIONS, current_version


def _version_2_file(path):
    db = pw.SqliteDatabase(str(path), pragmas={"foreign_keys": 1})
    db.connect()
    db.execute_sql("CREATE TABLE schema_version (id INTEGER PRIMARY KEY, version INTEGER NOT NULL, "
                   "applied_at TEXT NOT NULL)")
    for number, _, step in MIGRATIONS[:2]:
        with db.atomic():
            step(db)
            db.execute_sql("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                           (number, datetime.now(UTC).isoformat()))
    report = load_sample("lost-wallet")
    db.execute_sql(
        "INSERT INTO report (tracking_number, kiosk_number, year, sequence, category, language, status, submitted_at,"
        " access_code_hash, location_summary, data) VALUES (?, 1, 26, 1, ?, ?, 'submitted', ?, 'x', ?, ?)",
        ("T26-01-00001-8", report["category"], report["language"], "2026-11-20T15:00:00.000000+00:00",
         "Hartford", json.dumps(report)))
    db.execute_sql("INSERT INTO report_event (report_id, at, actor, action, status) "
                   "VALUES (1, '2026-11-20T15:00:00.000000+00:00', 'citizen', 'submitted', 'submitted')")
    db.close()


def _columns(store, table):
    return {row[1] for row in store.db.execute_sql(f"PRAGMA table_info({table})")}


def test_the_latest_schema_is_version_3_or_later():
    assert LATEST >= 3 and MIGRATIONS[2][0] == 3


def test_a_version_2_file_is_backed_up_and_migrated_keeping_its_reports(tmp_path):
    path = tmp_path / "kiosk.sqlite3"
    _version_2_file(path)
    store = open_store(path)
    try:
        assert current_version(store.db) == LATEST
        assert {"synced_at", "sync_conflict", "purged_at"} <= _columns(store, "report")
        assert _columns(store, "event_sync") == {"event_id", "remote_id", "acked_at", "conflict"}
        assert _columns(store, "sync_state") == {"key", "value"}
        # The old report is kept and is pending: never acknowledged, never refused, never purged.
        row = store.db.execute_sql("SELECT tracking_number, synced_at, sync_conflict, purged_at FROM report"
                                   ).fetchone()
        assert row == ("T26-01-00001-8", None, None, None)
        backups = list((tmp_path / "backups").iterdir())
        assert len(backups) == 1 and "-v2-" in backups[0].name
    finally:
        store.close()


def test_the_models_match_the_new_tables(tmp_path):
    store = open_store(tmp_path / "kiosk.sqlite3")
    m = store.models
    try:
        assert m.EventSync in m.all() and m.SyncState in m.all()
        assert m.EventSync._meta.table_name == "event_sync" and m.SyncState._meta.table_name == "sync_state"
        m.SyncState.create(key="failures", value="2")
        assert m.SyncState.get_by_id("failures").value == "2"
        store.db.execute_sql(
            "INSERT INTO report (tracking_number, kiosk_number, year, sequence, category, language, status,"
            " submitted_at, access_code_hash, location_summary, data) VALUES"
            " ('T26-01-00001-8', 1, 26, 1, 'lost_property', 'en', 'submitted', '2026-11-24T16:00:00.000000+00:00',"
            " 'x', 'x', '{}')")
        at = datetime(2026, 11, 24, 17, tzinfo=UTC)
        event = m.ReportEvent.create(report=1, at=at, actor="citizen", action="submitted", status="submitted")
        m.EventSync.create(event=event.id, acked_at=at)
        assert m.EventSync.get_by_id(event.id).acked_at == at
        assert m.Report.get_by_id(1).synced_at is None
        # A pulled event's remote id is unique: the same server event can never be inserted twice.
        second = m.ReportEvent.create(report=1, at=at, actor="server:x", action="rejected", status="rejected")
        third = m.ReportEvent.create(report=1, at=at, actor="server:x", action="rejected", status="rejected")
        m.EventSync.create(event=second.id, remote_id="S-1")
        with pytest.raises(pw.IntegrityError):
            m.EventSync.create(event=third.id, remote_id="S-1")
        # An event_sync row must belong to a real history event.
        with pytest.raises(pw.IntegrityError):
            m.EventSync.create(event=999, acked_at=at)
    finally:
        store.close()


def test_the_pending_reports_query_uses_the_partial_index(tmp_path):
    store = open_store(tmp_path / "kiosk.sqlite3")
    try:
        plan = " ".join(str(row) for row in store.db.execute_sql(
            "EXPLAIN QUERY PLAN SELECT id FROM report WHERE synced_at IS NULL AND sync_conflict IS NULL ORDER BY id"))
        assert "report_sync_pending" in plan
    finally:
        store.close()
