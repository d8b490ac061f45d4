"""Schema v6: every officer account keeps the language of its own screens. A file of every earlier version is backed
up (encrypted, under the store's key) first, then migrated; the accounts it held read the source language and keep
their passwords, and the kept rows of v4 stay right."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from argon2 import PasswordHasher
from helpers import migrated_store
from kept_rows import file_at_version

from kiosk.audit import AuditLog
from kiosk.clock import ManualClock
from kiosk.officers import OfficerService
from kiosk.storage.database import open_store
from kiosk.storage.migrations import LATEST, MIGRATIONS
from kiosk.translation import SOURCE_LANGUAGE

HASHER = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
PASSWORD = "violet kettle harbour"
MOMENT = "2026-10-01T12:00:00.000000+00:00"


def test_version_6_is_the_officers_language():
    assert LATEST >= 6 and MIGRATIONS[5][0] == 6 and "language" in MIGRATIONS[5][1]


@pytest.mark.parametrize("version", [1, 2, 3, 4, 5])
def test_a_file_of_each_earlier_version_is_backed_up_and_its_officers_read_the_source_language(tmp_path, version):
    path = tmp_path / "kiosk.sqlite3"
    file_at_version(path, version)
    if version >= 2:  # officer accounts came with v2
        import sqlite3

        raw = sqlite3.connect(path)
        raw.execute("INSERT INTO officer (username, display_name, badge_number, role, password_hash, created_at, "
                    "password_changed_at) VALUES ('j.smith', 'Officer Jane Smith', '4711', 'officer', ?, ?, ?)",
                    (HASHER.hash(PASSWORD), MOMENT, MOMENT))
        raw.commit()
        raw.close()
    with migrated_store(path, version) as store:
        columns = {row[1]: row for row in store.db.execute_sql("PRAGMA table_info(officer)").fetchall()}
        assert columns["language"][2] == "TEXT" and columns["language"][3] == 1  # NOT NULL
        clock = ManualClock(datetime(2026, 11, 24, 12, tzinfo=UTC))
        officers = OfficerService(store, clock, AuditLog(store, clock), hasher=HASHER)
        if version >= 2:
            assert officers.login("j.smith", PASSWORD).officer.language == SOURCE_LANGUAGE


def test_a_new_file_has_the_column_with_its_default(tmp_path):
    store = open_store(tmp_path / "kiosk.sqlite3")
    try:
        store.db.execute_sql("INSERT INTO officer (username, display_name, badge_number, role, password_hash, "
                             "created_at, password_changed_at) VALUES ('a.b', 'A B', '1', 'officer', 'x', ?, ?)",
                             (MOMENT, MOMENT))
        assert store.db.execute_sql("SELECT language FROM officer").fetchone() == (SOURCE_LANGUAGE,)
    finally:
        store.close()
