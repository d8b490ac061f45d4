"""Schema v7: the kiosk keeps which access-code verifier the department server holds of each report (the citizen's
status page). A file of every earlier version is backed up first, then migrated; every report it already synced
has its verifier pending (the backfill the next sync run sends), and reports not synced yet wait for their push."""

from __future__ import annotations

import pytest
from kept_rows import assert_kept_rows_agree, file_at_version

from kiosk.storage.database import open_store
from kiosk.storage.migrations import LATEST, MIGRATIONS, current_version
from kiosk.sync import state


def test_version_7_is_the_access_code_verifiers():
    assert LATEST >= 7 and MIGRATIONS[6][0] == 7 and "access-code verifier" in MIGRATIONS[6][1]


@pytest.mark.parametrize("version", [3, 4, 5, 6])
def test_a_synced_file_of_each_earlier_version_has_every_synced_verifier_pending(tmp_path, version):
    path = tmp_path / "kiosk.sqlite3"
    file_at_version(path, version, reports=9)
    import sqlite3

    raw = sqlite3.connect(path)
    raw.execute("UPDATE report SET synced_at = '2026-10-02T12:00:00.000000+00:00' WHERE id <= 6")
    raw.commit()
    raw.close()
    store = open_store(path)
    try:
        assert current_version(store.db) == LATEST
        columns = {row[1]: row for row in store.db.execute_sql("PRAGMA table_info(report)").fetchall()}
        assert columns["access_code_pushed"][2] == "TEXT" and columns["access_code_pushed"][3] == 0
        assert_kept_rows_agree(store.db)
        pending = state.pending_verifiers(store, 100)
        assert [item.id for item in pending] == [1, 2, 3, 4, 5, 6]
        assert all(item.wire == {"tracking_number": item.tracking_number, "verifier": "x"} for item in pending)
        with store.db.atomic():
            state.mark_verifiers_pushed(store, [(item.id, item.verifier) for item in pending[:4]])
        assert state.count_pending_verifiers(store) == 2
        plan = " ".join(str(row) for row in store.db.execute_sql(
            "EXPLAIN QUERY PLAN SELECT id FROM report WHERE synced_at IS NOT NULL "
            "AND access_code_pushed IS NOT access_code_hash AND id > 0 ORDER BY id LIMIT 10"))
        assert "report_access_code_pending" in plan
        backups = list((tmp_path / "backups").iterdir())
        assert len(backups) == 1 and f"-v{version}-" in backups[0].name
    finally:
        store.close()
