"""Opening the kiosk database: pragmas for durability, models bound to this file, migrations at start-up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import peewee as pw

from kiosk.storage.errors import StoreError
from kiosk.storage.migrations import migrate
from kiosk.storage.models import Models, build_models

# WAL with synchronous=FULL: a transaction is on disk when COMMIT returns, so a tracking number shown after the
# commit survives a power cut. busy_timeout lets a CLI call and the kiosk share the file.
PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "full",
    "foreign_keys": 1,
    "busy_timeout": 5000,
}


@dataclass
class Store:
    db: pw.SqliteDatabase
    models: Models
    path: Path | None

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()


def open_store(path: Path | str, now: Callable[[], datetime] | None = None) -> Store:
    """Open (creating if needed) the SQLite file at ``path`` and migrate it to the latest schema."""
    clock = now or (lambda: datetime.now(UTC))
    file_path = None if str(path) == ":memory:" else Path(path)
    if file_path is not None:
        file_path.parent.mkdir(parents=True, exist_ok=True)
    db = pw.SqliteDatabase(str(path), pragmas=PRAGMAS)
    try:
        db.connect()
        migrate(db, file_path, clock)
    except pw.DatabaseError as exc:
        db.close()
        raise StoreError(f"cannot open the database {path}: {exc}") from exc
    return Store(db=db, models=build_models(db), path=file_path)
