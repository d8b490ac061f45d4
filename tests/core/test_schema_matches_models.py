"""The schema is described twice: the SQL of the migrations (what a kiosk's file really holds) and the peewee models
(what the code reads and writes through). Both are built here, each in an empty SQLite file, and compared table by
table: columns with their types, NOT NULL and SQL defaults, CHECK constraints, foreign keys, indexes (named ones by
name; UNIQUE and primary keys by their columns), partial-index conditions, WITHOUT ROWID and the append-only
triggers. A column, index or constraint added to one and not the other fails this test."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import peewee as pw
import pytest

from kiosk.storage.migrations import LATEST, migrate
from kiosk.storage.models import KEEPING_TRIGGERS, build_models

# The models as a store binds them (to a database never opened here): the tables, their names and options.
MODELS = build_models(pw.SqliteDatabase(":memory:")).all()


def migrated_file(path: Path) -> Path:
    db = pw.SqliteDatabase(str(path))
    db.connect()
    assert migrate(db, path, lambda: datetime(2026, 11, 24, 12, tzinfo=UTC)) == LATEST
    db.close()
    return path


def models_file(path: Path) -> Path:
    db = pw.SqliteDatabase(str(path))
    db.connect()
    db.create_tables(build_models(db).all())
    # The append-only triggers are the migrations' business; the models say which tables have them.
    db.close()
    return path


def _words(sql: str) -> str:
    """SQL text compared loosely: lower case, without quotes, brackets or spaces."""
    return re.sub(r"[\s\"()`\[\]]", "", sql).lower()


def _checks(create_sql: str) -> list[str]:
    """The CHECK constraints of a CREATE TABLE statement, each as :func:`_words`."""
    found = []
    for match in re.finditer(r"\bCHECK\s*\(", create_sql, re.IGNORECASE):
        depth, start = 1, match.end()
        index = start
        while depth:
            depth += {"(": 1, ")": -1}.get(create_sql[index], 0)
            index += 1
        found.append(_words(create_sql[start:index - 1]))
    return sorted(found)


def schema(path: Path) -> dict[str, Any]:
    """Everything about the file's tables that the models must agree with, in comparable form."""
    con = sqlite3.connect(path)
    try:
        tables: dict[str, Any] = {}
        listed = {row[1]: row for row in con.execute("PRAGMA table_list") if row[0] == "main"}
        for name, create_sql in con.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"):
            without_rowid = bool(listed[name][4])
            columns = con.execute(f"PRAGMA table_info({name})").fetchall()
            pk_columns = [c for c in columns if c[5]]
            # An INTEGER PRIMARY KEY (the rowid) and every primary-key column of a WITHOUT ROWID table can never be
            # NULL, whether or not NOT NULL is written.
            never_null = {c[1] for c in pk_columns if without_rowid or (len(pk_columns) == 1 and c[2] == "INTEGER")}
            index_sql = dict(con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
                                         (name,)).fetchall())
            indexes = []
            for _seq, index_name, unique, origin, partial in con.execute(f"PRAGMA index_list({name})"):
                keys = tuple((row[2], row[3]) for row in con.execute(f"PRAGMA index_xinfo({index_name})") if row[5])
                where = ""
                if partial:
                    where = _words(re.split(r"\bWHERE\b", index_sql[index_name], flags=re.IGNORECASE)[1])
                # A UNIQUE column or table constraint and a CREATE UNIQUE INDEX are the same constraint; only
                # indexes made by name are compared by name.
                label = index_name if origin == "c" and not unique else ("primary key" if origin == "pk" else "")
                indexes.append((label, bool(unique), keys, where))
            tables[name] = {
                "columns": {c[1]: {"type": c[2], "not null": bool(c[3]) or c[1] in never_null, "default": c[4],
                                   "primary key position": c[5]} for c in columns},
                "checks": _checks(create_sql),
                "foreign keys": sorted((row[2], row[3], row[4], row[5], row[6]) for row in
                                       con.execute(f"PRAGMA foreign_key_list({name})")),
                "indexes": sorted(indexes),
                "without rowid": without_rowid,
                "autoincrement": "AUTOINCREMENT" in create_sql.upper(),
            }
        triggers = sorted(con.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'").fetchall())
        return {"tables": tables, "triggers": triggers}
    finally:
        con.close()


def append_only_triggers() -> list[tuple[str, str]]:
    """The triggers the models' ``append_only`` option stands for."""
    return sorted((f"{model._meta.table_name}_{verb}", model._meta.table_name)
                  for model in MODELS if model._meta.append_only for verb in ("no_update", "no_delete"))


def expected_triggers() -> list[tuple[str, str]]:
    """The append-only triggers and those the models name in KEEPING_TRIGGERS (kept counts and copies)."""
    keeping = [(name, table) for table, names in KEEPING_TRIGGERS.items() for name in names]
    return sorted(append_only_triggers() + keeping)


@pytest.fixture(scope="module")
def schemas(tmp_path_factory) -> tuple[dict[str, Any], dict[str, Any]]:
    folder = tmp_path_factory.mktemp("schemas")
    return schema(migrated_file(folder / "migrated.sqlite3")), schema(models_file(folder / "models.sqlite3"))


def test_the_models_have_every_table_of_the_migrations_and_no_other(schemas):
    migrated, modelled = schemas
    assert sorted(modelled["tables"]) == sorted(migrated["tables"])


@pytest.mark.parametrize("table", sorted(m._meta.table_name for m in MODELS))
def test_each_table_is_described_alike_by_the_migrations_and_the_models(schemas, table):
    migrated, modelled = schemas
    assert modelled["tables"][table] == migrated["tables"][table]


def test_the_append_only_tables_are_those_the_models_name(schemas):
    migrated, _ = schemas
    assert migrated["triggers"] == expected_triggers()
    assert {table for _, table in append_only_triggers()} == {"report_event", "audit_entry"}


def test_the_comparison_sees_a_drift(tmp_path):
    """The comparison itself: a column the migrations do not make, and an index they make that the models do not
    declare, are both found."""
    migrated = schema(migrated_file(tmp_path / "migrated.sqlite3"))
    con = sqlite3.connect(migrated_file(tmp_path / "drifted.sqlite3"))
    con.execute("ALTER TABLE notice ADD COLUMN opened_at TEXT")
    con.execute("DROP INDEX notice_due")
    con.close()
    drifted = schema(tmp_path / "drifted.sqlite3")
    assert "opened_at" in drifted["tables"]["notice"]["columns"]
    assert drifted["tables"]["notice"]["columns"] != migrated["tables"]["notice"]["columns"]
    assert drifted["tables"]["notice"]["indexes"] != migrated["tables"]["notice"]["indexes"]
    assert drifted["tables"]["report"] == migrated["tables"]["report"]
