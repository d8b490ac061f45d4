"""Plain SQL for the pushes: read a batch's rows in one ``IN (...)`` query, insert a batch's rows with one
``executemany``. Building a statement through the ORM costs more than running it (≈0.3 ms per row in peewee), and a
push touches hundreds of rows, so the pushes use these instead. Call with a connection open (inside
:func:`server.db.write_transaction` for writes); works on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import peewee as pw


def _name(db: pw.Database, name: str) -> str:
    return f"{db.quote[0]}{name}{db.quote[1]}"


def select_in(db: pw.Database, model: type[pw.Model], columns: Sequence[str], key: str,
              values: Iterable[object]) -> list[tuple[Any, ...]]:
    """The ``columns`` of every row of ``model``'s table whose ``key`` is one of ``values`` (any order). The values
    come back as the database driver gives them (Any: the caller knows its columns)."""
    wanted = list(dict.fromkeys(values))
    if not wanted:
        return []
    if isinstance(db, pw.PostgresqlDatabase):
        table, array = _name(db, model._meta.table_name), _pg_array(model, key)
        sql = (f"SELECT {', '.join('t.' + _name(db, c) for c in columns)} FROM unnest(%b::{array}) AS w(v) "
               f"CROSS JOIN LATERAL ({pg_lookup(db, table, columns, key, 'w.v')}) AS t")
        return list(db.execute_sql(sql, [wanted]).fetchall())
    marks = ", ".join([db.param] * len(wanted))
    sql = (f"SELECT {', '.join(_name(db, c) for c in columns)} FROM {_name(db, model._meta.table_name)} "
           f"WHERE {_name(db, key)} IN ({marks})")
    return list(db.execute_sql(sql, wanted).fetchall())


def pg_lookup(db: pw.Database, table: str, columns: Sequence[str], key: str, value: str) -> str:
    """A PostgreSQL subquery for a ``LATERAL`` join: the ``columns`` of ``table``'s rows whose ``key`` is ``value``
    (an outer column), so one index look-up per value of the batch whatever the plan.

    Written as a plain join with the array of values (or "key IN (...)", "key = ANY(...)"), PostgreSQL may hash the
    array and scan the whole table instead: on a table without statistics yet (a new department's, or one growing
    faster than autovacuum analyses it), and in the generic plan it switches to once psycopg prepares a statement
    run five times; the time of every push then grows with the table (2–5 ms a look-up at 30,000 events, measured).
    ``OFFSET 0`` keeps the planner from flattening the subquery into such a join."""
    return (f"SELECT {', '.join(_name(db, c) for c in columns)} FROM {table} "
            f"WHERE {_name(db, key)} = {value} OFFSET 0")


# Rows per INSERT statement on SQLite: 200 rows of 14 columns stay far below its 32,766 parameters per statement.
INSERT_CHUNK = 200
# PostgreSQL array types of the peewee field types the server's tables use.
_PG_ARRAYS = {"TEXT": "text[]", "INT": "integer[]", "BIGINT": "bigint[]", "BOOL": "boolean[]"}
_PG_KEYS = {"AUTO": "INT", "BIGAUTO": "BIGINT"}


def _pg_array(model: type[pw.Model], column: str) -> str:
    """The PostgreSQL array type of ``column``'s values."""
    field_type = model._meta.fields[column].field_type
    return _PG_ARRAYS[_PG_KEYS.get(field_type, field_type)]


def insert_rows(db: pw.Database, model: type[pw.Model], columns: Sequence[str],
                rows: Sequence[Sequence[object]], returning: Sequence[str] = ()) -> list[tuple[Any, ...]]:
    """INSERT ``rows`` (values in ``columns`` order) into ``model``'s table, in order (ids follow the order). With
    ``returning``, those columns of the inserted rows come back (in no particular order), in the same round trip:
    a push needs the ids the database gave without a second query.

    SQLite: one multi-row ``VALUES`` statement per :data:`INSERT_CHUNK` rows. PostgreSQL: one statement whatever the
    number of rows, one array parameter per column (``unnest ... WITH ORDINALITY``, inserted in that order), which
    psycopg sends far faster than thousands of single parameters."""
    if not rows:
        return []
    table = _name(db, model._meta.table_name)
    names = ", ".join(_name(db, c) for c in columns)
    tail = f" RETURNING {', '.join(_name(db, c) for c in returning)}" if returning else ""
    if isinstance(db, pw.PostgresqlDatabase):
        arrays = ", ".join(f"%b::{_PG_ARRAYS[model._meta.fields[c].field_type]}" for c in columns)
        aliases = ", ".join(f"c{i}" for i in range(len(columns)))
        cursor = db.execute_sql(f"INSERT INTO {table} ({names}) SELECT {aliases} FROM unnest({arrays}) WITH "
                                f"ORDINALITY AS u({aliases}, ord) ORDER BY ord{tail}",
                                [list(column) for column in zip(*rows, strict=True)])
        return list(cursor.fetchall()) if returning else []
    one = "(" + ", ".join([db.param] * len(columns)) + ")"
    found: list[tuple[Any, ...]] = []
    for start in range(0, len(rows), INSERT_CHUNK):
        chunk = rows[start:start + INSERT_CHUNK]
        cursor = db.execute_sql(f"INSERT INTO {table} ({names}) VALUES " + ", ".join([one] * len(chunk)) + tail,
                                [value for row in chunk for value in row])
        if returning:
            found += cursor.fetchall()
    return found


def update_rows(db: pw.Database, model: type[pw.Model], columns: Sequence[str], rows: Sequence[Sequence[object]],
                keep_if_null: Sequence[str] = ()) -> None:
    """UPDATE ``model``'s table: each row is the new values of ``columns`` and then the id of the row to change; a
    column in ``keep_if_null`` keeps its value where the new one is None. SQLite: one statement run per row (its
    ``executemany`` loops in C); PostgreSQL: one statement for all rows, from one array parameter per column."""
    if not rows:
        return
    table = _name(db, model._meta.table_name)

    def value(column: str, new: str) -> str:
        return f"COALESCE({new}, {table}.{_name(db, column)})" if column in keep_if_null else new

    if isinstance(db, pw.PostgresqlDatabase):
        types = [model._meta.fields[c].field_type for c in [*columns, "id"]]  # the rows are found by id
        arrays = ", ".join(f"%b::{_PG_ARRAYS[_PG_KEYS.get(t, t)]}" for t in types)
        aliases = [f"c{i}" for i in range(len(columns))]
        sets = ", ".join(f"{_name(db, c)} = {value(c, f'u.{a}')}" for c, a in zip(columns, aliases, strict=True))
        db.execute_sql(f"UPDATE {table} SET {sets} FROM unnest({arrays}) AS u({', '.join(aliases)}, row_id) "
                       f"WHERE {table}.id = u.row_id", [list(column) for column in zip(*rows, strict=True)])
        return
    sets = ", ".join(f"{_name(db, c)} = {value(c, db.param)}" for c in columns)
    execute_many(db, f"UPDATE {table} SET {sets} WHERE id = {db.param}", rows)


def execute_many(db: pw.Database, sql: str, rows: Sequence[Sequence[object]]) -> None:
    """Run one statement once per row of parameters (``db.param`` marks them)."""
    cursor = db.cursor()
    try:
        cursor.executemany(sql, rows)
    finally:
        cursor.close()
