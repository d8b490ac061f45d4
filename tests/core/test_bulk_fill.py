"""benchmarks/bulk_fill.py, which the officer-queue benchmark fills a million reports with, writes what a kiosk would
have: valid, unique tracking numbers in time order per kiosk and year, names that the name search finds, history
copied with its report, official numbers per year, and the kept counts and token copies of schema v4 right."""

from __future__ import annotations

import sys
from pathlib import Path

from helpers import NOW
from kept_rows import assert_kept_rows_agree

from kiosk.clock import ManualClock
from kiosk.config import config_from_mapping
from kiosk.report_keys import words
from kiosk.review import QueueFilter
from kiosk.review.queue import ReviewQueue
from kiosk.storage.database import open_store
from kiosk.tracking import TrackingNumber

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from bulk_fill import fill_by_copy


def test_a_copied_fill_is_consistent(tmp_path):
    store = open_store(tmp_path / "bulk" / "kiosk.sqlite3")
    try:
        filled = fill_by_copy(store, 3000, seed=5, template=200)
        db = store.db
        assert len(filled.tracking_numbers) == len(set(filled.tracking_numbers)) == 3000
        assert all(TrackingNumber.parse(number) == number for number in filled.tracking_numbers)
        rows = db.execute_sql("SELECT id, tracking_number, kiosk_number, year, sequence, submitted_at, "
                              "reporter_name FROM report ORDER BY id").fetchall()
        assert [row[1] for row in rows] == filled.tracking_numbers
        assert [row[5] for row in rows] == sorted(row[5] for row in rows)  # ids in time order
        for (_, number, kiosk, year, sequence, _, name), (first, last) in zip(rows, filled.names, strict=True):
            assert TrackingNumber(year, kiosk, sequence) == number
            assert words(name) == words(f"{first} {last}")
        (events, first_at) = db.execute_sql(
            "SELECT COUNT(*), MIN(e.at >= r.submitted_at) FROM report_event AS e JOIN report AS r "
            "ON r.id = e.report_id").fetchone()
        assert events >= 3000 and first_at == 1
        (approved, numbered, distinct) = db.execute_sql(
            "SELECT SUM(status = 'approved'), COUNT(official_number), COUNT(DISTINCT official_number) "
            "FROM report").fetchone()
        assert approved == numbered == distinct > 0
        assert_kept_rows_agree(db)
        assert not (tmp_path / "bulk" / "kiosk-template.sqlite3").exists()
    finally:
        store.close()
    # The queue finds a copied report by its name, through the real review service.
    reopened = open_store(tmp_path / "bulk" / "kiosk.sqlite3")
    try:
        queue = ReviewQueue(reopened, config_from_mapping({}), ManualClock(NOW))
        last = filled.names[1234][1].split()[0]
        found = queue.page(QueueFilter(search=last), limit=3000)
        assert filled.tracking_numbers[1234] in {row.tracking_number for row in found}
    finally:
        reopened.close()
