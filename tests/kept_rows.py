"""What schema v4's triggers keep, checked against the reports themselves: the counts per status, category and purged
(``report_count``) against ``COUNT(*)``, and every name token's copies of its report's submission time, status and
category against the report's own columns. Used by the migration tests and the property test of the triggers."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import peewee as pw
from helpers import VALID_SAMPLES, load_sample

from kiosk.report_keys import report_keys
from kiosk.storage.migrations import MIGRATIONS
from kiosk.tracking import TrackingNumber

STATUSES = ("submitted", "in_review", "needs_info", "approved", "rejected")
START = datetime(2026, 10, 1, 12, tzinfo=UTC)


def counted(db: Any) -> dict[tuple[str, str, int], int]:
    """The reports counted now, by (status, category, purged), leaving out zeros."""
    rows = db.execute_sql("SELECT status, category, purged_at IS NOT NULL, COUNT(*) FROM report GROUP BY 1, 2, 3")
    return {(status, category, purged): count for status, category, purged, count in rows}


def kept(db: Any) -> dict[tuple[str, str, int], int]:
    """report_count as kept by the triggers, leaving out zeros (a row stays at 0 once its last report moved away)."""
    rows = db.execute_sql("SELECT status, category, purged, reports FROM report_count WHERE reports != 0")
    return {(status, category, purged): count for status, category, purged, count in rows}


def stale_tokens(db: Any) -> list[tuple]:
    """Name tokens whose copies differ from their report's columns (or whose report is gone): none when all is well."""
    return db.execute_sql(
        "SELECT t.token, t.report_id, t.submitted_at, t.status, t.category, r.submitted_at, r.status, r.category "
        "FROM report_name_token AS t LEFT JOIN report AS r ON r.id = t.report_id "
        "WHERE r.id IS NULL OR t.submitted_at IS NOT r.submitted_at OR t.status IS NOT r.status "
        "OR t.category IS NOT r.category").fetchall()


def assert_kept_rows_agree(db: Any) -> None:
    assert kept(db) == counted(db)
    assert db.execute_sql("SELECT COUNT(*) FROM report_count WHERE reports < 0").fetchone() == (0,)
    assert stale_tokens(db) == []


def file_at_version(path: Path, version: int, reports: int = 12, statuses: tuple[str, ...] = STATUSES) -> None:
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
             statuses[index % len(statuses)], at, "Hartford", json.dumps(document)))
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
