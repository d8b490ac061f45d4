"""Schema v4 (the officer queue at a million reports): a file of every earlier version, holding reports of every
status and category (one purged), is backed up (encrypted, under the store's key) and migrated; afterwards the kept
counts equal COUNT(*) and every name token carries its report's time, status and category, and a new file gets the
same schema."""

from __future__ import annotations

import pytest
from helpers import migrated_store
from kept_rows import STATUSES, assert_kept_rows_agree, counted, file_at_version

from kiosk.storage.database import open_store
from kiosk.storage.migrations import LATEST, MIGRATIONS, current_version


def test_version_4_is_the_kept_counts():
    assert LATEST >= 4 and MIGRATIONS[3][0] == 4 and "counts" in MIGRATIONS[3][1]


@pytest.mark.parametrize("version", [1, 2, 3])
def test_a_file_of_each_earlier_version_is_backed_up_and_migrated_with_its_counts_and_tokens(tmp_path, version):
    path = tmp_path / "kiosk.sqlite3"
    file_at_version(path, version)
    with migrated_store(path, version) as store:
        everything = counted(store.db)
        assert sum(everything.values()) == 12
        assert {status for status, _, _ in everything} == set(STATUSES)
        assert {purged for _, _, purged in everything} == ({0, 1} if version >= 3 else {0})
        (tokens,) = store.db.execute_sql("SELECT COUNT(*) FROM report_name_token").fetchone()
        assert tokens >= 11 * 2  # first and last name of every report still holding its personal data


def test_the_triggers_keep_the_migrated_rows_right_afterwards(tmp_path):
    path = tmp_path / "kiosk.sqlite3"
    file_at_version(path, 3)
    store = open_store(path)
    try:
        db = store.db
        with db.atomic():
            db.execute_sql("UPDATE report SET status = 'approved' WHERE status = 'in_review'")
            db.execute_sql("UPDATE report SET category = 'vandalism' WHERE id = 2")
            db.execute_sql("UPDATE report SET purged_at = ? WHERE id = 3", ("2026-10-01T12:00:00.000000+00:00",))
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
