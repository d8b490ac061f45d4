"""Versioned schema migrations. Each step is plain SQL run inside one transaction; before any step runs on a file
that already has a schema, the file is copied (with SQLite's online backup, which is safe in WAL mode) to
``backups/`` beside it."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import peewee as pw

log = logging.getLogger(__name__)


def _v1(db: pw.Database) -> None:
    for statement in (
        """CREATE TABLE report (
            id INTEGER PRIMARY KEY,
            tracking_number TEXT NOT NULL UNIQUE,
            kiosk_number INTEGER NOT NULL,
            year INTEGER NOT NULL,
            sequence INTEGER NOT NULL,
            category TEXT NOT NULL,
            language TEXT NOT NULL,
            status TEXT NOT NULL,
            submitted_at TEXT NOT NULL,
            official_number TEXT,
            access_code_hash TEXT NOT NULL,
            location_summary TEXT NOT NULL,
            data TEXT NOT NULL,
            UNIQUE (kiosk_number, year, sequence)
        )""",
        "CREATE INDEX report_status_submitted ON report (status, submitted_at)",
        "CREATE INDEX report_submitted ON report (submitted_at)",
        """CREATE TABLE report_event (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES report (id) ON DELETE RESTRICT,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            status TEXT NOT NULL,
            reason_code TEXT,
            message TEXT
        )""",
        "CREATE INDEX report_event_report ON report_event (report_id, id)",
        # The history is append-only: the database itself refuses to change or remove an event.
        """CREATE TRIGGER report_event_no_update BEFORE UPDATE ON report_event
           BEGIN SELECT RAISE(ABORT, 'report history is append-only'); END""",
        """CREATE TRIGGER report_event_no_delete BEFORE DELETE ON report_event
           BEGIN SELECT RAISE(ABORT, 'report history is append-only'); END""",
    ):
        db.execute_sql(statement)


# (version, what it does, the step). Append new steps; never edit a released one.
MIGRATIONS: list[tuple[int, str, Callable[[pw.Database], None]]] = [
    (1, "reports and their append-only history", _v1),
]
LATEST = MIGRATIONS[-1][0]


def current_version(db: pw.Database) -> int:
    if "schema_version" not in db.get_tables():
        return 0
    row = db.execute_sql("SELECT MAX(version) FROM schema_version").fetchone()
    return row[0] or 0


def migrate(db: pw.Database, path: Path | None, now: Callable[[], datetime]) -> int:
    """Bring the schema to :data:`LATEST`; return the number of steps applied."""
    version = current_version(db)
    pending = [step for step in MIGRATIONS if step[0] > version]
    if not pending:
        return 0
    if version > 0 and path is not None:
        backup_file(db, path, version, now())
    if version == 0:
        db.execute_sql(
            "CREATE TABLE IF NOT EXISTS schema_version "
            "(id INTEGER PRIMARY KEY, version INTEGER NOT NULL, applied_at TEXT NOT NULL)"
        )
    for number, description, step in pending:
        with db.atomic():
            step(db)
            db.execute_sql(
                "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)", (number, now().isoformat())
            )
        log.info("database migrated to version %d (%s)", number, description)
    return len(pending)


def backup_file(db: pw.Database, path: Path, version: int, moment: datetime) -> Path:
    folder = path.parent / "backups"
    folder.mkdir(exist_ok=True)
    stamp = moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{path.stem}-v{version}-{stamp}{path.suffix}"
    destination = sqlite3.connect(target)
    try:
        db.connection().backup(destination)
    finally:
        destination.close()
    log.info("database backed up to %s before migrating from version %d", target, version)
    return target
