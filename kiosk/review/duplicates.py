"""Possible duplicates of a report: other reports by the same person, from the same home address, at the same
place, or listing an item with the same serial number, submitted within ``review.duplicate_window_days`` before or
after it. Each key is looked up with its own index (``report_person``, ``report_home_address``, ``report_location``:
key and time; ``report_serial``: serial then report), so the look-up costs the same with 100,000 reports."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import peewee as pw

from kiosk.review.model import DUPLICATE_REASONS, PossibleDuplicate
from kiosk.storage.timestamps import utc_from_text, utc_text
from kiosk.tracking import TrackingNumber

LIMIT = 20
_KEY_COLUMNS = (("person_key", "same_person"), ("home_address_key", "same_home_address"),
                ("location_key", "same_location"))
_EMPTY_PERSON = "||"
# id, tracking number, submitted_at (UTC, as stored), status, category
_Match = tuple[int, str, str, str, str]


def find_duplicates(db: pw.Database, report_id: int, zone: ZoneInfo, window_days: int,
                    limit: int = LIMIT) -> list[PossibleDuplicate]:
    """Up to ``limit`` possible duplicates of report ``report_id``, newest first, each with every reason found."""
    row = db.execute_sql("SELECT submitted_at, person_key, home_address_key, location_key FROM report WHERE id = ?",
                         (report_id,)).fetchone()
    if row is None:
        return []
    submitted_at, *keys = row
    moment = utc_from_text(submitted_at)
    window = timedelta(days=window_days)
    low, high = utc_text(moment - window), utc_text(moment + window)
    reasons: dict[int, set[str]] = {}
    found: dict[int, _Match] = {}
    columns = "id, tracking_number, submitted_at, status, category"
    for (column, reason), key in zip(_KEY_COLUMNS, keys, strict=True):
        if not key or key == _EMPTY_PERSON:
            continue
        # Capped per key: a busy place (a mall's parking lot) must not read hundreds of rows.
        for match in db.execute_sql(
                f"SELECT {columns} FROM report WHERE {column} = ? AND submitted_at BETWEEN ? AND ? AND id != ? "
                f"ORDER BY submitted_at DESC LIMIT ?", (key, low, high, report_id, limit)):
            found[match[0]] = match
            reasons.setdefault(match[0], set()).add(reason)
    for match in db.execute_sql(
            f"SELECT DISTINCT {', '.join('r.' + c.strip() for c in columns.split(','))} "
            "FROM report_serial AS mine JOIN report_serial AS other ON other.serial_key = mine.serial_key "
            "JOIN report AS r ON r.id = other.report_id "
            "WHERE mine.report_id = ? AND other.report_id != ? AND r.submitted_at BETWEEN ? AND ? LIMIT ?",
            (report_id, report_id, low, high, limit)):
        found[match[0]] = match
        reasons.setdefault(match[0], set()).add("same_serial")
    ordered = sorted(found.values(), key=lambda m: (m[2], m[0]), reverse=True)[:limit]
    return [
        PossibleDuplicate(tracking_number=TrackingNumber.from_stored(m[1]),
                          submitted_at=utc_from_text(m[2]).astimezone(zone), status=m[3], category=m[4],
                          reasons=tuple(r for r in DUPLICATE_REASONS if r in reasons[m[0]]))
        for m in ordered
    ]
