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
    the report. Written for every schema from v2 (its migration uses it): from v4 a trigger fills the tokens' copies
    of the report's columns."""
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


# A new report's row with its search keys in one statement, and its history's first event: plain SQL written once,
# which SQLite prepares once per connection (the statement cache) rather than the ORM building it on every submit.
INSERT_REPORT = (
    "INSERT INTO report (tracking_number, kiosk_number, year, sequence, category, language, status, submitted_at, "
    "access_code_hash, location_summary, data, reporter_name, person_key, home_address_key, location_key) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
INSERT_EVENT = "INSERT INTO report_event (report_id, at, actor, action, status) VALUES (?, ?, ?, ?, ?)"


def index_new_report(db: pw.Database, report_id: int, keys: ReportKeys, submitted_at: str, status: str,
                     category: str) -> None:
    """Store the name tokens and serials of a report just inserted with its key columns (``INSERT_REPORT``): nothing
    to replace, and each token carries its copies of the report's columns already (schema v4). One statement for the
    tokens and one for the serials. Call inside the transaction that writes the report."""
    tokens = sorted(keys.name_tokens)
    if tokens:
        db.execute_sql("INSERT INTO report_name_token (token, report_id, submitted_at, status, category) VALUES "
                       + ", ".join(["(?, ?, ?, ?, ?)"] * len(tokens)),
                       [value for token in tokens for value in (token, report_id, submitted_at, status, category)])
    serials = sorted(keys.serial_keys)
    if serials:
        db.execute_sql("INSERT INTO report_serial (serial_key, report_id) VALUES "
                       + ", ".join(["(?, ?)"] * len(serials)),
                       [value for serial in serials for value in (serial, report_id)])


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
