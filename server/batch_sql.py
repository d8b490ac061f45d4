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


def select_in(db: pw.Database, model: Any, columns: Sequence[str], key: str, values: Iterable[Any]) -> list[tuple]:
    """The ``columns`` of every row of ``model``'s table whose ``key`` is one of ``values`` (any order)."""
    wanted = list(dict.fromkeys(values))
    if not wanted:
        return []
    marks = ", ".join([db.param] * len(wanted))
    sql = (f"SELECT {', '.join(_name(db, c) for c in columns)} FROM {_name(db, model._meta.table_name)} "
           f"WHERE {_name(db, key)} IN ({marks})")
    return list(db.execute_sql(sql, wanted).fetchall())


def insert_rows(db: pw.Database, model: Any, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """INSERT ``rows`` (values in ``columns`` order) into ``model``'s table, in order (ids follow the order)."""
    if not rows:
        return
    marks = ", ".join([db.param] * len(columns))
    sql = (f"INSERT INTO {_name(db, model._meta.table_name)} ({', '.join(_name(db, c) for c in columns)}) "
           f"VALUES ({marks})")
    execute_many(db, sql, rows)


def execute_many(db: pw.Database, sql: str, rows: Sequence[Sequence[Any]]) -> None:
    """Run one statement once per row of parameters (``db.param`` marks them)."""
    cursor = db.cursor()
    try:
        cursor.executemany(sql, rows)
    finally:
        cursor.close()
