"""The server's own schema versions (server.migrations): every earlier version, and every layout made before
versions, comes to the models' schema with its rows; a backup is taken first; a failing step leaves nothing half done;
a database newer than the server is refused."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import peewee as pw
import psycopg
import pytest
from server_support import database_kinds, fresh_database_url, server_events, server_reports

from server.cli import main
from server.db import DatabaseUrlError, ServerDatabase, make_database, open_database
from server.migrations import LATEST, STEPS, MigrationError, Step, migrate, schema_version
from server.models import build_models

pytestmark = pytest.mark.parametrize("db_kind", database_kinds())

TRACKING = "T26-01-00001-5"
# (event id, action): the first release's events, without versions; their versions once numbered.
EVENTS = [("K01-1", "submitted"), ("K01-2", "review_started"), ("S-3", "info_requested"),
          ("K01-4", "receipt_reprinted"), ("K01-5", "supplemented")]
NUMBERED = [0, 1, 2, 2, 3]
FIRST_RELEASE_TABLES = ("Kiosk", "Report", "Event", "OfficialSequence", "Conflict")


def _shape(db: pw.Database) -> dict[str, object]:
    """Each of the server's tables: its columns (name, type, null, primary key, default) and its indexes."""
    shape: dict[str, object] = {}
    with db.connection_context():
        for table in sorted(db.get_tables()):
            if table == "schema_version":
                continue
            columns = sorted((c.name, c.data_type.lower(), c.null, c.primary_key, c.default)
                             for c in db.get_columns(table))
            indexes = sorted((i.name, tuple(i.columns), i.unique) for i in db.get_indexes(table))
            shape[table] = (columns, indexes)
    return shape


def _models_shape(kind: str, tmp_path: Path) -> dict[str, object]:
    db = make_database(fresh_database_url(kind, tmp_path))
    with db.connection_context():
        db.create_tables(build_models(db).all)
    try:
        return _shape(db)
    finally:
        db.close_all()


def _layout(url: str, tables: tuple[str, ...] | None, with_version_column: bool) -> None:
    """A database as a release from before versions left it: ``tables`` (model names; all when None) made by
    create_tables, ``event.version`` dropped unless ``with_version_column``, and a report with five events."""
    db = make_database(url)
    models = build_models(db)
    chosen = [getattr(models, name) for name in tables] if tables else models.all
    with db.connection_context():
        db.create_tables(chosen)
        if not with_version_column:
            db.execute_sql('ALTER TABLE "event" DROP COLUMN "version"')
        db.execute_sql(f'INSERT INTO "report" (tracking_number, kiosk_number, content_hash, submitted_at, body, '
                       f"status, received_at) VALUES ({db.param}, 1, 'h', 'x', '{{}}', 'in_review', 'x')", (TRACKING,))
        for event_id, action in EVENTS:
            db.execute_sql('INSERT INTO "event" (event_id, tracking_number, kiosk_number, at, actor, action, status, '
                           f"received_at) VALUES ({db.param}, {db.param}, 1, 'x', 'a', {db.param}, 's', 'x')",
                           (event_id, TRACKING, action))
    db.close_all()


def _versioned(url: str, version: int) -> None:
    """A database left at ``version`` by this code's own earlier steps, holding a report with five events."""
    database = open_database(url, migrate_schema=False)
    try:
        migrate(database, STEPS[:version])
    finally:
        database.close()
    _layout(url, None, with_version_column=True)  # every table is there already: adds the rows only
    if version < 3:  # create_tables in _layout made version 3's index too
        db = make_database(url)
        with db.connection_context():
            db.execute_sql('DROP INDEX IF EXISTS "lookup_failure_at"')
        db.close_all()


def _earlier(url: str, name: str) -> None:
    if name == "first release":
        _layout(url, FIRST_RELEASE_TABLES, with_version_column=False)
    elif name == "before versions":
        _layout(url, None, with_version_column=True)
    else:
        _versioned(url, int(name.removeprefix("version ")))


EARLIER = ["first release", "before versions", *[f"version {step.version}" for step in STEPS[:-1]]]


def test_an_empty_database_gets_the_models_schema_at_the_latest_version(db_kind, tmp_path):
    url = fresh_database_url(db_kind, tmp_path)
    database = open_database(url)
    try:
        with database.db.connection_context():
            assert schema_version(database.db) == LATEST
        assert _shape(database.db) == _models_shape(db_kind, tmp_path)
    finally:
        database.close()
    if db_kind == "sqlite":  # nothing to back up in an empty database
        assert not (Path(url.removeprefix("sqlite:///")).parent / "backups").exists()


@pytest.mark.parametrize("earlier", EARLIER)
def test_every_earlier_version_comes_to_the_latest_with_its_rows_and_a_backup_first(db_kind, earlier, tmp_path):
    url = fresh_database_url(db_kind, tmp_path)
    _earlier(url, earlier)
    out = io.StringIO()
    assert main(["--db", url, "migrate"], stdout=out) == 0
    text = out.getvalue()
    assert f"to {LATEST}." in text and "Backup taken before: " in text, text
    backup = text.split("Backup taken before: ")[1].strip()

    database = open_database(url)
    try:
        assert _shape(database.db) == _models_shape(db_kind, tmp_path)
    finally:
        database.close()
    assert [r["tracking_number"] for r in server_reports(url)] == [TRACKING]
    events = server_events(url)
    assert [e["event_id"] for e in events] == [event_id for event_id, _ in EVENTS]
    if earlier == "first release":
        assert [e["version"] for e in events] == NUMBERED

    # The backup holds the rows as they were before the first step.
    if db_kind == "sqlite":
        assert Path(backup).parent.name == "backups" and Path(backup).stat().st_mode & 0o777 == 0o600
        with sqlite3.connect(backup) as copy:
            assert [row[0] for row in copy.execute("SELECT event_id FROM event ORDER BY id")] == \
                [event_id for event_id, _ in EVENTS]
    else:
        assert backup.startswith("p2c_backup_v")
        with psycopg.connect(url) as conn:
            rows = conn.execute(f'SELECT event_id FROM "{backup}"."event" ORDER BY id').fetchall()
        assert [row[0] for row in rows] == [event_id for event_id, _ in EVENTS]

    again = io.StringIO()
    assert main(["--db", url, "migrate"], stdout=again) == 0
    assert "nothing to do" in again.getvalue() and "Backup" not in again.getvalue()


def test_a_failing_step_is_rolled_back_and_the_version_stays(db_kind, tmp_path):
    url = fresh_database_url(db_kind, tmp_path)
    open_database(url).close()

    def broken(db: pw.Database) -> None:
        db.execute_sql('CREATE TABLE "half_done" ("id" INTEGER)')
        db.execute_sql('ALTER TABLE "no_such_table" ADD COLUMN "x" INTEGER')

    database = open_database(url)
    try:
        with pytest.raises(MigrationError, match=f"schema step {LATEST + 1} .* rolled back"):
            migrate(database, (*STEPS, Step(LATEST + 1, "a broken step", broken)))
        with database.db.connection_context():
            assert schema_version(database.db) == LATEST
            assert not database.db.table_exists("half_done")
    finally:
        database.close()


def test_a_database_from_a_newer_server_is_refused(db_kind, tmp_path):
    url = fresh_database_url(db_kind, tmp_path)
    database = open_database(url)
    with database.db.connection_context():
        database.db.execute_sql("INSERT INTO schema_version (version, migrated_at) VALUES "
                                f"({database.db.param}, 'x')", (LATEST + 1,))
    database.close()
    with pytest.raises(DatabaseUrlError, match=f"schema version {LATEST + 1}, newer than this p2c-server"):
        open_database(url)
    err = io.StringIO()
    assert main(["--db", url, "reports"], stdout=io.StringIO(), stderr=err) == 2
    assert "newer than this p2c-server" in err.getvalue()


def test_version_2_adds_the_status_pages_column_and_tables_and_a_secret_of_its_own(db_kind, tmp_path):
    """From version 1: every report keeps its rows with no verifier yet, and each database gets its own random
    secret, which opening it again never changes."""
    url = fresh_database_url(db_kind, tmp_path)
    _versioned(url, 1)
    secrets_seen = []
    for _ in range(2):
        database = open_database(url)
        try:
            with database.db.connection_context():
                assert schema_version(database.db) == LATEST >= 2
                Report, ServerSecret = database.models.Report, database.models.ServerSecret
                assert [(r.tracking_number, r.access_code_verifier) for r in Report.select()] == [(TRACKING, None)]
                assert database.models.LookupFailure.select().count() == 0
                rows = list(ServerSecret.select())
                assert len(rows) == 1 and len(bytes.fromhex(rows[0].secret)) == 32
                secrets_seen.append(rows[0].secret)
        finally:
            database.close()
    assert secrets_seen[0] == secrets_seen[1]
    other = open_database(fresh_database_url(db_kind, tmp_path))
    try:
        with other.db.connection_context():
            assert other.models.ServerSecret.get_by_id(1).secret != secrets_seen[0]
    finally:
        other.close()


def _cleanup_plan(database: ServerDatabase) -> str:
    """The query plan of the failures' clean-up as server.citizen_status runs it (PostgreSQL told to avoid a full scan
    where it can, since a near-empty table is scanned whole anyway)."""
    LookupFailure = database.models.LookupFailure
    old = (LookupFailure.select(LookupFailure.id).where(LookupFailure.at < "2026-01-01T00:00:00+00:00")
           .order_by(LookupFailure.at).limit(500))
    query = LookupFailure.delete().where(LookupFailure.id.in_(old))
    sql, params = query.sql()
    with database.db.atomic():
        if database.is_postgres:
            database.db.execute_sql("SET LOCAL enable_seqscan = off")
            rows = database.db.execute_sql("EXPLAIN " + sql, params).fetchall()
        else:
            rows = database.db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    return "\n".join(str(row[-1]) for row in rows)


def test_version_3_indexes_the_failures_time_and_the_clean_up_reads_it_not_the_whole_table(db_kind, tmp_path):
    """From version 2 (the status page's first release): the failures keep their rows, and the clean-up's query
    finds the old failures through the new index."""
    url = fresh_database_url(db_kind, tmp_path)
    _versioned(url, 2)
    database = open_database(url, migrate_schema=False)
    try:
        with database.db.connection_context():
            assert "lookup_failure_at" not in _cleanup_plan(database)
            database.models.LookupFailure.create(tracking_number=TRACKING, client_key="k" * 64,
                                                 at="2025-12-31T00:00:00+00:00")
    finally:
        database.close()
    database = open_database(url)
    try:
        with database.db.connection_context():
            assert schema_version(database.db) == LATEST >= 3
            assert "lookup_failure_at" in {index.name for index in database.db.get_indexes("lookup_failure")}
            assert "lookup_failure_at" in _cleanup_plan(database)
            assert [row.tracking_number for row in database.models.LookupFailure.select()] == [TRACKING]
    finally:
        database.close()
