"""What schema v4's triggers keep, checked against the reports themselves: the counts per status, category and purged
(``report_count``) against ``COUNT(*)``, and every name token's copies of its report's submission time, status and
category against the report's own columns. Used by the migration tests and the property test of the triggers."""

from __future__ import annotations

from typing import Any


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
