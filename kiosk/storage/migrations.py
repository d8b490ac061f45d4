"""Versioned schema migrations. Each step is plain SQL run inside one transaction; before any step runs on a file
that already has a schema, the file is copied (with SQLite's online backup, which is safe in WAL mode) to
``backups/`` beside it: encrypted under the store's key when the store is (a SQLCipher file, which opens with the same
key, so restoring is copying it back), flushed to disk before the first step runs."""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import peewee as pw
from sqlcipher3 import dbapi2 as sqlcipher  # type: ignore[import-untyped]  # (it ships no type hints)

from kiosk.storage.key import StorageKey
from kiosk.storage.timestamps import utc_text

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


def _v2(db: pw.Database) -> None:
    """Officer mode: officer accounts and failed logins, the hash-chained audit log, the e-mail outbox, citizens'
    failed status look-ups, official report numbers, the review columns of a report and its search keys."""
    from kiosk.storage.report_index import reindex_all

    for statement in (
        "ALTER TABLE report ADD COLUMN nibrs_code TEXT",
        # The time of the latest status change; NULL until an officer or the citizen acts after submitting.
        "ALTER TABLE report ADD COLUMN updated_at TEXT",
        # Search keys (kiosk.report_keys), written with the report by kiosk.storage.report_index.
        "ALTER TABLE report ADD COLUMN reporter_name TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE report ADD COLUMN person_key TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE report ADD COLUMN home_address_key TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE report ADD COLUMN location_key TEXT NOT NULL DEFAULT ''",
        "CREATE INDEX report_person ON report (person_key, submitted_at)",
        "CREATE INDEX report_home_address ON report (home_address_key, submitted_at)",
        "CREATE INDEX report_location ON report (location_key, submitted_at)",
        "CREATE INDEX report_category_submitted ON report (category, submitted_at)",
        "CREATE INDEX report_status_category_submitted ON report (status, category, submitted_at)",
        """CREATE TABLE report_name_token (
            token TEXT NOT NULL,
            report_id INTEGER NOT NULL REFERENCES report (id) ON DELETE CASCADE,
            PRIMARY KEY (token, report_id)
        ) WITHOUT ROWID""",
        "CREATE INDEX report_name_token_report ON report_name_token (report_id)",
        """CREATE TABLE report_serial (
            serial_key TEXT NOT NULL,
            report_id INTEGER NOT NULL REFERENCES report (id) ON DELETE CASCADE,
            PRIMARY KEY (serial_key, report_id)
        ) WITHOUT ROWID""",
        "CREATE INDEX report_serial_report ON report_serial (report_id)",
        # One sequence per year for official report numbers (config review.official_number_pattern).
        "CREATE TABLE official_sequence (year INTEGER PRIMARY KEY, last INTEGER NOT NULL)",
        """CREATE TABLE officer (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL,
            badge_number TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('officer', 'admin')),
            password_hash TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            locked_at TEXT,
            created_at TEXT NOT NULL,
            password_changed_at TEXT NOT NULL
        )""",
        # Failed logins, counted for the lock-out (officer_id NULL when the username matched no account).
        """CREATE TABLE login_failure (
            id INTEGER PRIMARY KEY,
            officer_id INTEGER REFERENCES officer (id),
            at TEXT NOT NULL
        )""",
        "CREATE INDEX login_failure_officer ON login_failure (officer_id, at)",
        # The audit log: append-only (triggers below) and hash-chained (kiosk.audit), so that an edit made by going
        # around the triggers is still found by `p2c-kiosk audit verify`.
        """CREATE TABLE audit_entry (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            subject TEXT NOT NULL DEFAULT '',
            details TEXT NOT NULL DEFAULT '{}',
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        )""",
        """CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
           BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
        """CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
           BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
        # The e-mail outbox: a notice is written in the transaction of the action it tells about, then delivered.
        """CREATE TABLE notice (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES report (id),
            kind TEXT NOT NULL,
            language TEXT NOT NULL,
            recipient TEXT,
            subject TEXT NOT NULL,
            body_text TEXT NOT NULL,
            body_html TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'no_email', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT,
            last_error TEXT,
            created_at TEXT NOT NULL,
            sent_at TEXT
        )""",
        "CREATE INDEX notice_due ON notice (status, next_attempt_at)",
        "CREATE INDEX notice_report ON notice (report_id, id)",
        # Wrong access codes typed at "Check a report", per tracking number, for the one-hour lock.
        """CREATE TABLE lookup_failure (
            id INTEGER PRIMARY KEY,
            tracking_number TEXT NOT NULL,
            at TEXT NOT NULL
        )""",
        "CREATE INDEX lookup_failure_tracking ON lookup_failure (tracking_number, at)",
    ):
        db.execute_sql(statement)
    reindex_all(db)


def _v3(db: pw.Database) -> None:
    """Sync to the department server (docs/sync.md): what the server has acknowledged or refused, which history
    events it has, the engine's own state, and when a report's personal data was purged."""
    for statement in (
        # When the server acknowledged the report (UTC ISO 8601); NULL until then.
        "ALTER TABLE report ADD COLUMN synced_at TEXT",
        # The server's refusal of the report, shown to officers; NULL when none.
        "ALTER TABLE report ADD COLUMN sync_conflict TEXT",
        # When the report's personal data was removed (kiosk.sync.purge); NULL while it is kept.
        "ALTER TABLE report ADD COLUMN purged_at TEXT",
        # What is pending is read from here, so the index holds only the (few) reports still to send.
        "CREATE INDEX report_sync_pending ON report (id) WHERE synced_at IS NULL AND sync_conflict IS NULL",
        # The officer queue lists only reports that still have their personal data (purged_at IS NULL): with the
        # purge time right after the status, its pages and counts are answered from these indexes alone (and the
        # purge finds what is due by them too).
        "CREATE INDEX report_status_live ON report (status, purged_at, submitted_at)",
        "CREATE INDEX report_status_category_live ON report (status, purged_at, category, submitted_at)",
        # One row per history event the server has (acked_at) or refused (conflict), or that came from the server
        # (remote_id = the server's event id), so it is never pushed back.
        """CREATE TABLE event_sync (
            event_id INTEGER PRIMARY KEY REFERENCES report_event (id),
            remote_id TEXT UNIQUE,
            acked_at TEXT,
            conflict TEXT
        )""",
        # The engine's state: decisions_cursor, last_success_at, last_error, last_error_at, failures,
        # next_attempt_at.
        "CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID",
    ):
        db.execute_sql(statement)


def _v4(db: pw.Database) -> None:
    """Kept counts and name tokens that carry what the queue sorts and filters by, both maintained by triggers inside
    the transaction that changes a report, so they are never wrong (the officer queue at a million reports)."""
    for statement in (
        # Reports per status, category and purged (0: the report keeps its personal data and the queue lists it).
        """CREATE TABLE report_count (
            status TEXT NOT NULL,
            category TEXT NOT NULL,
            purged INTEGER NOT NULL,
            reports INTEGER NOT NULL,
            PRIMARY KEY (status, category, purged)
        ) WITHOUT ROWID""",
        """INSERT INTO report_count (status, category, purged, reports)
           SELECT status, category, purged_at IS NOT NULL, COUNT(*) FROM report GROUP BY 1, 2, 3""",
        """CREATE TRIGGER report_count_insert AFTER INSERT ON report BEGIN
               INSERT INTO report_count (status, category, purged, reports)
               VALUES (NEW.status, NEW.category, NEW.purged_at IS NOT NULL, 1)
               ON CONFLICT (status, category, purged) DO UPDATE SET reports = reports + 1;
           END""",
        """CREATE TRIGGER report_count_update AFTER UPDATE OF status, category, purged_at ON report
           WHEN OLD.status IS NOT NEW.status OR OLD.category IS NOT NEW.category
                OR (OLD.purged_at IS NULL) <> (NEW.purged_at IS NULL)
           BEGIN
               UPDATE report_count SET reports = reports - 1
               WHERE status = OLD.status AND category = OLD.category AND purged = (OLD.purged_at IS NOT NULL);
               INSERT INTO report_count (status, category, purged, reports)
               VALUES (NEW.status, NEW.category, NEW.purged_at IS NOT NULL, 1)
               ON CONFLICT (status, category, purged) DO UPDATE SET reports = reports + 1;
           END""",
        """CREATE TRIGGER report_count_delete AFTER DELETE ON report BEGIN
               UPDATE report_count SET reports = reports - 1
               WHERE status = OLD.status AND category = OLD.category AND purged = (OLD.purged_at IS NOT NULL);
           END""",
        # A name token carries its report's submission time, status and category (NULL only inside the statement
        # that inserts it: the trigger below fills them from the report).
        "ALTER TABLE report_name_token ADD COLUMN submitted_at TEXT",
        "ALTER TABLE report_name_token ADD COLUMN status TEXT",
        "ALTER TABLE report_name_token ADD COLUMN category TEXT",
        """UPDATE report_name_token SET (submitted_at, status, category) = (r.submitted_at, r.status, r.category)
           FROM report AS r WHERE r.id = report_name_token.report_id""",
        """CREATE TRIGGER report_name_token_copy AFTER INSERT ON report_name_token
           WHEN NEW.submitted_at IS NULL OR NEW.status IS NULL OR NEW.category IS NULL
           BEGIN
               UPDATE report_name_token SET (submitted_at, status, category) =
                   (SELECT submitted_at, status, category FROM report WHERE id = NEW.report_id)
               WHERE token = NEW.token AND report_id = NEW.report_id;
           END""",
        """CREATE TRIGGER report_name_token_follow AFTER UPDATE OF submitted_at, status, category ON report
           WHEN OLD.submitted_at IS NOT NEW.submitted_at OR OLD.status IS NOT NEW.status
                OR OLD.category IS NOT NEW.category
           BEGIN
               UPDATE report_name_token
               SET (submitted_at, status, category) = (NEW.submitted_at, NEW.status, NEW.category)
               WHERE report_id = NEW.id;
           END""",
    ):
        db.execute_sql(statement)


def _v5(db: pw.Database) -> None:
    """Two indexes of schema v2 that nothing reads since v3 (the officer queue walks ``report_status_live`` and
    ``report_status_category_live``, which leave purged reports out): every submit wrote them for nothing."""
    db.execute_sql("DROP INDEX report_status_category_submitted")
    db.execute_sql("DROP INDEX report_category_submitted")


def _v6(db: pw.Database) -> None:
    """Officer mode in the officer's language: each account keeps the language of its own screens (the source
    language for every account that existed before)."""
    db.execute_sql("ALTER TABLE officer ADD COLUMN language TEXT NOT NULL DEFAULT 'en'")


def _v7(db: pw.Database) -> None:
    """The citizen's status page on the department server (docs/sync.md): which access-code verifier the server
    holds for each report. A report whose stored verifier differs (never sent, or the officer reissued the code) is
    sent by the next sync run; every report of an earlier version is sent once (the backfill)."""
    for statement in (
        # The verifier (access_code_hash) the server acknowledged; NULL until then.
        "ALTER TABLE report ADD COLUMN access_code_pushed TEXT",
        # Only the reports whose verifier is still to send (few, once the backfill is done).
        "CREATE INDEX report_access_code_pending ON report (id) "
        "WHERE synced_at IS NOT NULL AND access_code_pushed IS NOT access_code_hash",
    ):
        db.execute_sql(statement)


# (version, what it does, the step). Append new steps; never edit a released one.
MIGRATIONS: list[tuple[int, str, Callable[[pw.Database], None]]] = [
    (1, "reports and their append-only history", _v1),
    (2, "officer mode: accounts, audit log, outbox, look-up locks, search keys", _v2),
    (3, "sync: acknowledgements, conflicts, event sync rows, sync state, purge time", _v3),
    (4, "officer queue: counts per status and category, name tokens with the report's time, status, category", _v4),
    (5, "two indexes nothing reads any more dropped (a submit writes two pages fewer)", _v5),
    (6, "officer accounts: the language of the officer's own screens", _v6),
    (7, "sync: the access-code verifier the server holds for each report (the status page)", _v7),
]
LATEST = MIGRATIONS[-1][0]


def current_version(db: pw.Database) -> int:
    if "schema_version" not in db.get_tables():
        return 0
    row = db.execute_sql("SELECT MAX(version) FROM schema_version").fetchone()
    return row[0] or 0


def migrate(db: pw.Database, path: Path | None, now: Callable[[], datetime], key: StorageKey | None = None) -> int:
    """Bring the schema to :data:`LATEST`; return the number of steps applied. ``key``: the store's key (the backup
    is encrypted with it), None for a plaintext store.

    Two processes may start on the same file at once (the kiosk window and a CLI call after an upgrade, or two CLI
    calls on a new data folder): the steps run under SQLite's write lock (BEGIN IMMEDIATE), and the version is read
    again once the lock is held, so the second process finds the steps done and applies none."""
    if current_version(db) >= MIGRATIONS[-1][0]:  # (read here: a test appends a step)
        return 0
    applied: list[tuple[int, str]] = []
    with _write_lock(db):
        version = current_version(db)
        pending = [step for step in MIGRATIONS if step[0] > version]
        if not pending:
            return 0
        if version > 0 and path is not None:
            backup_file(db, path, version, now(), key)
        if version == 0:
            db.execute_sql(
                "CREATE TABLE IF NOT EXISTS schema_version "
                "(id INTEGER PRIMARY KEY, version INTEGER NOT NULL, applied_at TEXT NOT NULL)"
            )
        for number, description, step in pending:
            with db.atomic():  # a savepoint inside the locked transaction: a failed step undoes every step
                step(db)
                db.execute_sql(
                    "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)", (number, utc_text(now()))
                )
            applied.append((number, description))
    for number, description in applied:
        log.info("database migrated to version %d (%s)", number, description)
    return len(applied)


# How long a start waits for another process's migration (the lock is retried past SQLite's busy_timeout: a
# migration of a large file can take longer than that).
LOCK_WAIT_SECONDS = 600.0


@contextmanager
def _write_lock(db: pw.Database) -> Iterator[None]:
    """One transaction that holds the database's write lock from its first statement (BEGIN IMMEDIATE)."""
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    told = False
    while True:
        try:
            transaction = db.atomic("IMMEDIATE")
            transaction.__enter__()
            break
        except pw.OperationalError as exc:
            if ("locked" not in str(exc) and "busy" not in str(exc)) or time.monotonic() > deadline:
                raise
            if not told:
                log.info("waiting for another process to finish migrating the database")
                told = True
            time.sleep(0.1)
    try:
        yield
    except BaseException:
        transaction.__exit__(*sys.exc_info())
        raise
    transaction.__exit__(None, None, None)


BACKUP_FOLDER = "backups"


def backup_file(db: pw.Database, path: Path, version: int, moment: datetime, key: StorageKey | None = None) -> Path:
    """Copy the open database ``db`` (the file ``path``) to ``backups/``, under ``key`` when given (the copy is then
    a SQLCipher file with the same key), and flush it to disk."""
    folder = path.parent / BACKUP_FOLDER
    folder.mkdir(mode=0o700, exist_ok=True)
    stamp = moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{path.stem}-v{version}-{stamp}{path.suffix}"
    # The copy is read through a connection of its own: ``db`` may hold the write lock (migrate), and SQLite's backup
    # from a connection inside its own write transaction never finishes. A reader sees the last commit.
    if isinstance(db.connection(), sqlcipher.Connection):
        source = sqlcipher.connect(str(path))
        destination = sqlcipher.connect(str(target))
        if key is not None:
            source.execute(f'PRAGMA key = "{key.sqlcipher_key()}"')
            destination.execute(f'PRAGMA key = "{key.sqlcipher_key()}"')
    elif key is None:
        source = sqlite3.connect(path)
        destination = sqlite3.connect(target)
    else:
        raise ValueError("an encrypted backup needs a SQLCipher connection")
    try:
        source.backup(destination)
    finally:
        destination.close()
        source.close()
    os.chmod(target, 0o600)  # owner only, whatever the umask (kiosk.file_modes)
    with open(target, "rb") as handle:
        os.fsync(handle.fileno())
    log.info("database backed up to %s before migrating from version %d%s", target.name, version,
             " (encrypted)" if key is not None else "")
    return target
