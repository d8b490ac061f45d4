"""Schema v4 (the officer queue at a million reports): a file of every earlier version, holding reports of every
status and category (one purged), is backed up (encrypted, under the store's key) and migrated; afterwards the kept
counts equal COUNT(*) and every name token carries its report's time, status and category, and a new file gets the
same schema."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import peewee as pw
import pytest
from helpers import VALID_SAMPLES, load_sample
from kept_rows import assert_kept_rows_agree, counted

from kiosk.report_keys import report_keys
from kiosk.storage.database import open_store
from kiosk.storage.encrypt import FileState, connect, file_state
from kiosk.storage.migrations import LATEST, MIGRATIONS, current_version
from kiosk.tracking import TrackingNumber

STATUSES = ("submitted", "in_review", "needs_info", "approved", "rejected")
START = datetime(2026, 10, 1, 12, tzinfo=UTC)


def _file_at(path, version: int, reports: int = 12) -> None:
    """A plaintext file at schema ``version`` (as the kiosk wrote them before encryption) with ``reports`` reports,
    their history and (from version 2) their search keys; from version 3 the last report is purged as
    kiosk.sync.purge leaves one."""
    db = pw.SqliteDatabase(str(path), pragmas={"foreign_keys": 1})
    db.connect()
    db.execute_sql("CREATE TABLE schema_version (id INTEGER PRIMARY KEY, version INTEGER NOT NULL, "
                   "applied_at TEXT NOT NULL)")
    for number, _, step in MIGRATIONS[:version]:
        with db.atomic():
            step(db)
            db.execute_sql("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                           (number, datetime.now(UTC).isoformat()))
    for index in range(reports):
        document = load_sample(VALID_SAMPLES[index % len(VALID_SAMPLES)])
        document["reporter"]["last_name"] = ("Whitfield", "Ortiz", "Nguyen")[index % 3]
        at = (START + timedelta(hours=index)).isoformat(timespec="microseconds")
        db.execute_sql(
            "INSERT INTO report (id, tracking_number, kiosk_number, year, sequence, category, language, status, "
            "submitted_at, access_code_hash, location_summary, data) VALUES (?, ?, 1, 26, ?, ?, ?, ?, ?, 'x', ?, ?)",
            (index + 1, TrackingNumber(26, 1, index + 1), index + 1, document["category"], document["language"],
             STATUSES[index % len(STATUSES)], at, "Hartford", json.dumps(document)))
        db.execute_sql("INSERT INTO report_event (report_id, at, actor, action, status) "
                       "VALUES (?, ?, 'citizen', 'submitted', 'submitted')", (index + 1, at))
        if version >= 2:
            for token in sorted(report_keys(document).name_tokens):
                db.execute_sql("INSERT INTO report_name_token (token, report_id) VALUES (?, ?)", (token, index + 1))
    if version >= 3:
        db.execute_sql("UPDATE report SET purged_at = ?, data = '{}', reporter_name = '' WHERE id = ?",
                       (START.isoformat(timespec="microseconds"), reports))
        db.execute_sql("DELETE FROM report_name_token WHERE report_id = ?", (reports,))
    db.close()


def test_the_latest_schema_is_version_4():
    assert LATEST == 4 and MIGRATIONS[3][0] == 4


@pytest.mark.parametrize("version", [1, 2, 3])
def test_a_file_of_each_earlier_version_is_backed_up_and_migrated_with_its_counts_and_tokens(tmp_path, version):
    path = tmp_path / "kiosk.sqlite3"
    _file_at(path, version)
    store = open_store(path)
    try:
        db = store.db
        assert current_version(db) == LATEST
        assert_kept_rows_agree(db)
        everything = counted(db)
        assert sum(everything.values()) == 12
        assert {status for status, _, _ in everything} == set(STATUSES)
        assert {purged for _, _, purged in everything} == ({0, 1} if version >= 3 else {0})
        (tokens,) = db.execute_sql("SELECT COUNT(*) FROM report_name_token").fetchone()
        assert tokens >= 11 * 2  # first and last name of every report still holding its personal data
        backups = list((tmp_path / "backups").iterdir())
        assert len(backups) == 1 and f"-v{version}-" in backups[0].name
        assert file_state(backups[0]) is FileState.ENCRYPTED
        # The backup opens with the store's key, at the version it was taken.
        copy = connect(backups[0], store.key)
        try:
            assert copy.execute("SELECT MAX(version) FROM schema_version").fetchone() == (version,)
        finally:
            copy.close()
    finally:
        store.close()


def test_the_triggers_keep_the_migrated_rows_right_afterwards(tmp_path):
    path = tmp_path / "kiosk.sqlite3"
    _file_at(path, 3)
    store = open_store(path)
    try:
        db = store.db
        with db.atomic():
            db.execute_sql("UPDATE report SET status = 'approved' WHERE status = 'in_review'")
            db.execute_sql("UPDATE report SET category = 'vandalism' WHERE id = 2")
            db.execute_sql("UPDATE report SET purged_at = ? WHERE id = 3", (START.isoformat(),))
            db.execute_sql("DELETE FROM report_name_token WHERE report_id = 3")
        assert_kept_rows_agree(db)
        (approved,) = db.execute_sql("SELECT SUM(reports) FROM report_count WHERE status = 'approved'").fetchone()
        assert approved == db.execute_sql("SELECT COUNT(*) FROM report WHERE status = 'approved'").fetchone()[0]
    finally:
        store.close()


def test_a_new_file_starts_with_empty_counts(tmp_path):
    store = open_store(tmp_path / "kiosk.sqlite3")
    try:
        assert current_version(store.db) == LATEST
        assert store.db.execute_sql("SELECT COUNT(*) FROM report_count").fetchone() == (0,)
        assert_kept_rows_agree(store.db)
    finally:
        store.close()
