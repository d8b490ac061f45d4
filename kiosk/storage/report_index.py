"""Writing a report's search keys (see :mod:`kiosk.report_keys`) into its columns and side tables. Plain SQL, so
that the schema migration that added them can use it on old rows too."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from kiosk.report_keys import ReportKeys, report_keys

if TYPE_CHECKING:
    import peewee as pw


def index_report(db: pw.Database, report_id: int, keys: ReportKeys) -> None:
    """Store ``keys`` for report ``report_id`` (replacing what was there). Call inside the transaction that writes
    the report."""
    db.execute_sql(
        "UPDATE report SET reporter_name = ?, person_key = ?, home_address_key = ?, location_key = ? WHERE id = ?",
        (keys.reporter_name, keys.person_key, keys.home_address_key, keys.location_key, report_id),
    )
    db.execute_sql("DELETE FROM report_name_token WHERE report_id = ?", (report_id,))
    db.execute_sql("DELETE FROM report_serial WHERE report_id = ?", (report_id,))
    for token in sorted(keys.name_tokens):
        db.execute_sql("INSERT INTO report_name_token (token, report_id) VALUES (?, ?)", (token, report_id))
    for serial in sorted(keys.serial_keys):
        db.execute_sql("INSERT INTO report_serial (serial_key, report_id) VALUES (?, ?)", (serial, report_id))


def reindex_all(db: pw.Database, batch: int = 1000) -> int:
    """Recompute the keys of every report (used by the migration that introduced them); returns the count."""
    last_id, count = 0, 0
    while True:
        rows = db.execute_sql("SELECT id, data FROM report WHERE id > ? ORDER BY id LIMIT ?",
                              (last_id, batch)).fetchall()
        if not rows:
            return count
        for report_id, data in rows:
            index_report(db, report_id, report_keys(json.loads(data)))
        count += len(rows)
        last_id = rows[-1][0]
