"""Versioned migrations of the server's own tables, with the kiosk's care (kiosk/storage/migrations.py): a backup
first, one step per version, each step in one transaction, and every step tested from every earlier version
(tests/server/test_server_migrations.py).

- ``schema_version`` holds one row per step that ran (``version``, ``migrated_at``); the database's version is the
  highest. A database without it and without the server's tables is empty (version 0); one with the tables but no
  ``schema_version`` was made before versions (by ``create_tables``): step 1 adopts it.
- Steps are frozen SQL, written for both databases (``{serial}`` and the like are filled in per dialect): a step
  never reads the models, which change after it was written. A new version is a new step at the end of
  :data:`STEPS`; the test that compares the migrated schema with the models fails until the step is there.
- Each step runs in :func:`server.db.write_transaction` (``BEGIN IMMEDIATE`` on SQLite, the writers' advisory lock on
  PostgreSQL) and reads the version again inside it, so several workers or machines starting at once run each step
  exactly once; the others wait, then find it done.
- The backup, before the first step on a database that has the server's tables:
  - SQLite: a copy made with SQLite's online backup into ``backups/`` beside the database file (owner-only,
    flushed to disk), named ``<name>-v<from>-<UTC time>.sqlite3``. Restoring is copying it back with the server
    stopped.
  - PostgreSQL: a schema copy, ``p2c_backup_v<from>_<UTC time>``, holding each of the server's tables as it was
    (``CREATE TABLE ... AS TABLE``: rows, not indexes), committed before the first step. It needs no client tools
    of the server's exact version and is there even when nobody ran ``pg_dump``; docs/server.md says how to put
    rows back and when to drop it. A ``pg_dump`` before an upgrade (docs/server.md) remains the off-site copy.
"""

from __future__ import annotations

import logging
import os
import secrets
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import peewee as pw

from kiosk.storage.timestamps import utc_text
from kiosk.vocabulary import EventAction
from server.db import ServerDatabase, write_transaction

log = logging.getLogger(__name__)

VERSION_TABLE = "schema_version"
BACKUP_SCHEMA_PREFIX = "p2c_backup_"
BACKUP_FOLDER = "backups"

# Column types that differ between the two databases, as peewee writes them for the server's models.
_TYPES = {
    "sqlite": {"serial": "INTEGER", "bigserial": "INTEGER", "boolean": "INTEGER", "bigint": "INTEGER"},
    "postgres": {"serial": "SERIAL", "bigserial": "BIGSERIAL", "boolean": "BOOLEAN", "bigint": "BIGINT"},
}


class MigrationError(RuntimeError):
    """The database cannot be brought to this server's schema; the message says why and what to do."""


@dataclass(frozen=True)
class Step:
    version: int
    about: str
    run: Callable[[pw.Database], None]


@dataclass(frozen=True)
class MigrationResult:
    from_version: int
    to_version: int
    backup: str | None  # the backup file (SQLite) or schema (PostgreSQL); None when nothing needed one


# Version 1: the tables as they were when versions began (the same as `create_tables` made them then).
_V1_TABLES = (
    """CREATE TABLE IF NOT EXISTS "kiosk" ("id" {serial} NOT NULL PRIMARY KEY, "number" INTEGER NOT NULL,
       "name" TEXT NOT NULL, "token_hash" TEXT NOT NULL, "active" {boolean} NOT NULL, "created_at" TEXT NOT NULL)""",
    'CREATE UNIQUE INDEX IF NOT EXISTS "kiosk_number" ON "kiosk" ("number")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "kiosk_token_hash" ON "kiosk" ("token_hash")',
    """CREATE TABLE IF NOT EXISTS "report" ("id" {serial} NOT NULL PRIMARY KEY, "tracking_number" TEXT NOT NULL,
       "kiosk_number" INTEGER NOT NULL, "content_hash" TEXT NOT NULL, "submitted_at" TEXT NOT NULL,
       "body" TEXT NOT NULL, "status" TEXT NOT NULL, "official_number" TEXT, "nibrs_code" TEXT,
       "received_at" TEXT NOT NULL)""",
    'CREATE UNIQUE INDEX IF NOT EXISTS "report_tracking_number" ON "report" ("tracking_number")',
    'CREATE INDEX IF NOT EXISTS "report_kiosk_number" ON "report" ("kiosk_number")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "report_official_number" ON "report" ("official_number")',
    """CREATE TABLE IF NOT EXISTS "event" ("id" {bigserial} NOT NULL PRIMARY KEY, "event_id" TEXT NOT NULL,
       "tracking_number" TEXT NOT NULL, "kiosk_number" INTEGER NOT NULL, "origin" INTEGER, "body_hash" TEXT,
       "at" TEXT NOT NULL, "actor" TEXT NOT NULL, "action" TEXT NOT NULL, "status" TEXT NOT NULL,
       "reason_code" TEXT, "message" TEXT, "nibrs_code" TEXT, "official_number" TEXT, "received_at" TEXT NOT NULL,
       "version" INTEGER)""",
    'CREATE UNIQUE INDEX IF NOT EXISTS "event_event_id" ON "event" ("event_id")',
    'CREATE INDEX IF NOT EXISTS "event_tracking_number" ON "event" ("tracking_number")',
    'CREATE INDEX IF NOT EXISTS "event_kiosk_number_id" ON "event" ("kiosk_number", "id")',
    'CREATE TABLE IF NOT EXISTS "official_sequence" ("year" INTEGER NOT NULL PRIMARY KEY, "last" INTEGER NOT NULL)',
    """CREATE TABLE IF NOT EXISTS "conflict" ("id" {serial} NOT NULL PRIMARY KEY, "key" TEXT NOT NULL,
       "kind" TEXT NOT NULL, "kiosk_number" INTEGER NOT NULL, "tracking_number" TEXT NOT NULL, "event_id" TEXT,
       "code" TEXT NOT NULL, "message" TEXT NOT NULL, "stored_hash" TEXT, "offered_hash" TEXT, "offered_body" TEXT,
       "first_at" TEXT NOT NULL, "last_at" TEXT NOT NULL, "times" INTEGER NOT NULL)""",
    'CREATE UNIQUE INDEX IF NOT EXISTS "conflict_key" ON "conflict" ("key")',
    """CREATE TABLE IF NOT EXISTS "kiosk_health" ("kiosk_number" INTEGER NOT NULL PRIMARY KEY,
       "last_seen_at" TEXT NOT NULL, "heartbeat_at" TEXT, "kiosk_clock" TEXT, "clock_skew_seconds" REAL,
       "version" TEXT, "uptime_seconds" {bigint}, "reports_waiting" INTEGER, "events_waiting" INTEGER,
       "printer_state" TEXT, "printer_message" TEXT, "disk_free_bytes" {bigint}, "last_error_code" TEXT,
       "last_error_at" TEXT)""",
    """CREATE TABLE IF NOT EXISTS "imported_number" ("tracking_number" TEXT NOT NULL PRIMARY KEY,
       "kiosk_number" INTEGER NOT NULL, "official_number" TEXT NOT NULL, "imported_at" TEXT NOT NULL)""",
    'CREATE UNIQUE INDEX IF NOT EXISTS "imported_number_official_number" ON "imported_number" ("official_number")',
    """CREATE TABLE IF NOT EXISTS "audit_entry" ("id" {bigserial} NOT NULL PRIMARY KEY,
       "kiosk_number" INTEGER NOT NULL, "entry_id" {bigint} NOT NULL, "at" TEXT NOT NULL, "actor" TEXT NOT NULL,
       "action" TEXT NOT NULL, "subject" TEXT NOT NULL, "details" TEXT NOT NULL, "prev_hash" TEXT NOT NULL,
       "hash" TEXT NOT NULL, "received_at" TEXT NOT NULL)""",
    """CREATE UNIQUE INDEX IF NOT EXISTS "audit_entry_kiosk_number_entry_id"
       ON "audit_entry" ("kiosk_number", "entry_id")""",
    """CREATE TABLE IF NOT EXISTS "audit_chain" ("kiosk_number" INTEGER NOT NULL PRIMARY KEY,
       "head_id" {bigint} NOT NULL, "head_hash" TEXT NOT NULL, "last_push_at" TEXT, "mismatch_at" TEXT,
       "mismatch" TEXT)""",
)
# The history actions that change a report's status (kiosk.lifecycle.TRANSITIONS when version 1 was written).
# Named through the vocabulary (a code is written once); the values are the ones version 1 stored.
_V1_STATUS_ACTIONS = (EventAction.REVIEW_STARTED, EventAction.APPROVED, EventAction.INFO_REQUESTED,
                      EventAction.REJECTED, EventAction.SUPPLEMENTED)


def _v1(db: pw.Database) -> None:
    """Adopt a database made before versions, or start an empty one: every table and index that is missing, and
    ``event.version`` (added after the first release) filled in for the events already there: each event gets the
    count of status changes of its report up to it, in the server's order."""
    types = _TYPES[_dialect(db)]
    for statement in _V1_TABLES:
        db.execute_sql(statement.format(**types))
    if "version" not in {column.name for column in db.get_columns("event")}:
        db.execute_sql('ALTER TABLE "event" ADD COLUMN "version" INTEGER')
        actions = ", ".join(f"'{action}'" for action in _V1_STATUS_ACTIONS)
        db.execute_sql(
            'UPDATE "event" SET "version" = numbered.n FROM (SELECT "id", SUM(CASE WHEN "action" IN '
            f'({actions}) THEN 1 ELSE 0 END) OVER (PARTITION BY "tracking_number" ORDER BY "id") AS n '
            'FROM "event") AS numbered WHERE "event"."id" = numbered."id"')


# Version 2 (issue 22, the citizen's status page): each report's access-code verifier as its kiosk pushed it, the
# status page's wrong codes (by tracking number and by client key) and the server's random secret (one row).
# Written to find them already there (a database made by ``create_tables`` of these models, as tests make one).
_V2_STATEMENTS = (
    """CREATE TABLE IF NOT EXISTS "lookup_failure" ("id" {bigserial} NOT NULL PRIMARY KEY,
       "tracking_number" TEXT NOT NULL, "client_key" TEXT NOT NULL, "at" TEXT NOT NULL)""",
    'CREATE INDEX IF NOT EXISTS "lookup_failure_tracking_number_at" ON "lookup_failure" ("tracking_number", "at")',
    'CREATE INDEX IF NOT EXISTS "lookup_failure_client_key_at" ON "lookup_failure" ("client_key", "at")',
    'CREATE TABLE IF NOT EXISTS "server_secret" ("id" INTEGER NOT NULL PRIMARY KEY, "secret" TEXT NOT NULL)',
)
# The length of the server's secret, in bytes (stored as hex).
SECRET_BYTES = 32


def _v2(db: pw.Database) -> None:
    """The status page's columns and tables, and a fresh random secret."""
    types = _TYPES[_dialect(db)]
    if "access_code_verifier" not in {column.name for column in db.get_columns("report")}:
        db.execute_sql('ALTER TABLE "report" ADD COLUMN "access_code_verifier" TEXT')
    for statement in _V2_STATEMENTS:
        db.execute_sql(statement.format(**types))
    if db.execute_sql('SELECT COUNT(*) FROM "server_secret"').fetchone()[0] == 0:
        db.execute_sql(f'INSERT INTO "server_secret" ("id", "secret") VALUES (1, {db.param})',
                       (secrets.token_hex(SECRET_BYTES),))


# Version 3: an index on the failures' time, so the clean-up of old failures (server.citizen_status) reads only the
# old ones instead of the whole table.
_V3_STATEMENTS = ('CREATE INDEX IF NOT EXISTS "lookup_failure_at" ON "lookup_failure" ("at")',)


def _v3(db: pw.Database) -> None:
    """The index on ``lookup_failure.at``."""
    for statement in _V3_STATEMENTS:
        db.execute_sql(statement)


STEPS: tuple[Step, ...] = (
    Step(1, "the server's tables as versions began; event.version filled in", _v1),
    Step(2, "the status page: report.access_code_verifier, lookup_failure, server_secret", _v2),
    Step(3, "an index on lookup_failure.at, for the clean-up of old failures", _v3),
)
LATEST = STEPS[-1].version


def _dialect(db: pw.Database) -> str:
    return "postgres" if isinstance(db, pw.PostgresqlDatabase) else "sqlite"


def schema_version(db: pw.Database) -> int:
    """The database's schema version (call with a connection open): 0 when it has no ``schema_version`` table
    (empty, or made before versions)."""
    if not db.table_exists(VERSION_TABLE):
        return 0
    row = db.execute_sql(f'SELECT MAX("version") FROM "{VERSION_TABLE}"').fetchone()
    return int(row[0] or 0)


def _has_tables(db: pw.Database) -> bool:
    return db.table_exists("kiosk") or db.table_exists("report")


def migrate(database: ServerDatabase, steps: Sequence[Step] = STEPS) -> MigrationResult:
    """Bring ``database`` to the last of ``steps`` (tests hand in their own): a backup first when it holds the server's
    tables and is behind, then each missing step in its own transaction. MigrationError when the database is newer
    than these steps, or a step fails (that step's changes are rolled back; earlier steps stay)."""
    db = database.db
    latest = steps[-1].version if steps else 0
    with db.connection_context():
        found = schema_version(db)
        if found > latest:
            raise MigrationError(f"the database is at schema version {found}, newer than this p2c-server knows "
                                 f"({latest}): run the newer p2c-server, or restore the backup taken before the "
                                 "upgrade (docs/server.md)")
        if found == latest:
            return MigrationResult(found, found, None)
        backup = _backup(database, found) if _has_tables(db) else None
        for step in steps:
            if step.version <= found:
                continue
            try:
                with write_transaction(database):
                    if schema_version(db) >= step.version:
                        continue  # another process ran it meanwhile
                    step.run(db)
                    db.execute_sql(f'CREATE TABLE IF NOT EXISTS "{VERSION_TABLE}" '
                                   '("version" INTEGER NOT NULL PRIMARY KEY, "migrated_at" TEXT NOT NULL)')
                    db.execute_sql(f'INSERT INTO "{VERSION_TABLE}" ("version", "migrated_at") '
                                   f"VALUES ({db.param}, {db.param})", (step.version, _now_text()))
            except pw.DatabaseError as exc:
                raise MigrationError(f"schema step {step.version} ({step.about}) failed and was rolled back: "
                                     f"{exc.__class__.__name__}: {exc}; the backup taken before is "
                                     f"{backup or 'not needed (the database was empty)'}") from exc
            log.info("server database migrated to schema version %s: %s", step.version, step.about)
        return MigrationResult(found, latest, backup)


def _now_text() -> str:
    return utc_text(datetime.now(UTC))


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def _backup(database: ServerDatabase, version: int) -> str:
    if database.is_postgres:
        return _backup_postgres(database.db, version)
    return _backup_sqlite(Path(database.db.database), version)


def _backup_sqlite(path: Path, version: int) -> str:
    folder = path.parent / BACKUP_FOLDER
    folder.mkdir(mode=0o700, exist_ok=True)
    target = folder / f"{path.stem}-v{version}-{_stamp()}.sqlite3"
    source = sqlite3.connect(str(path))
    try:
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    os.chmod(target, 0o600)
    with open(target, "rb") as handle:
        os.fsync(handle.fileno())
    log.info("server database backed up before migrating from schema version %s: %s", version, target)
    return str(target)


def _backup_postgres(db: pw.Database, version: int) -> str:
    schema = f"{BACKUP_SCHEMA_PREFIX}v{version}_{_stamp()}".lower()
    tables = [name for name in db.get_tables() if not name.startswith(BACKUP_SCHEMA_PREFIX)]
    with db.atomic():
        db.execute_sql(f'CREATE SCHEMA "{schema}"')
        for table in tables:
            db.execute_sql(f'CREATE TABLE "{schema}"."{table}" AS TABLE "{table}"')
    log.info("server database backed up before migrating from schema version %s: schema %s (%s tables)", version,
             schema, len(tables))
    return schema
