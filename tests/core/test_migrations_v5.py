"""Schema v5: the two v2 indexes nothing reads since v3 are dropped, from a file of every earlier version (backed up,
encrypted, first), the kept counts and token copies of v4 stay right, and the queue's category filter still walks an
index (no sort, no full scan) without them."""

from __future__ import annotations

import pytest
from kept_rows import assert_kept_rows_agree, file_at_version

from kiosk.storage.database import open_store
from kiosk.storage.migrations import LATEST, MIGRATIONS, current_version

DROPPED = {"report_category_submitted", "report_status_category_submitted"}


def _indexes(db) -> set[str]:
    return {row[0] for row in db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'index'")}


def test_version_5_drops_the_two_indexes():
    assert LATEST >= 5 and MIGRATIONS[4][0] == 5 and "indexes" in MIGRATIONS[4][1]


@pytest.mark.parametrize("version", [1, 2, 3, 4])
def test_a_file_of_each_earlier_version_loses_the_two_indexes(tmp_path, version):
    path = tmp_path / "kiosk.sqlite3"
    file_at_version(path, version)
    store = open_store(path)
    try:
        assert current_version(store.db) == LATEST
        indexes = _indexes(store.db)
        assert not indexes & DROPPED
        assert {"report_status_live", "report_status_category_live", "report_submitted"} <= indexes
        assert_kept_rows_agree(store.db)
        backups = list((tmp_path / "backups").iterdir())
        assert len(backups) == 1 and f"-v{version}-" in backups[0].name
    finally:
        store.close()


def test_a_category_alone_is_walked_status_by_status(tmp_path, config, clock):
    from review_support import fill_reports

    from kiosk.review import QueueFilter
    from kiosk.review.queue import ReviewQueue

    store = open_store(tmp_path / "kiosk.sqlite3")
    try:
        fill_reports(store, 400, seed=3)
        queue = ReviewQueue(store, config, clock)
        flt = QueueFilter(category="identity_theft")
        plans = queue.query_plans(flt)
        page_plans = [plan for plan in plans if "report_count" not in plan]
        assert len(page_plans) == 5
        assert all("report_status_category_live" in plan and "TEMP B-TREE" not in plan for plan in page_plans)
        expected = [row[0] for row in store.db.execute_sql(
            "SELECT tracking_number FROM report WHERE category = 'identity_theft' AND purged_at IS NULL "
            "ORDER BY submitted_at DESC, id DESC LIMIT 50")]
        assert [row.tracking_number for row in queue.page(flt)] == expected
    finally:
        store.close()
