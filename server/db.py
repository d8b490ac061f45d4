"""Opening the server's database from a URL, and the one way the server writes to it.

- ``sqlite:///relative/path.sqlite3`` or ``sqlite:////absolute/path.sqlite3``: WAL, ``synchronous=FULL`` (a commit is
  on disk when the answer goes out) and a busy timeout so requests from several kiosks wait for each other instead
  of failing; connections are pooled (kept open between requests).
- ``postgresql://user:password@host:port/database`` (or ``postgres://``): psycopg 3 through a small connection pool.

Every write of reports, events, official numbers and kiosks runs in :func:`write_transaction`, which serializes
writers: ``BEGIN IMMEDIATE`` on SQLite, a
transaction-scoped advisory lock on PostgreSQL. So event rows commit in the order of their ids (the decisions cursor
never skips a row that commits later with a smaller id) and the official number sequence is never read twice. Both
locks live in the database, not in the process, so this holds for several worker processes and several machines on
one PostgreSQL database alike (docs/server.md, "Several workers"). A write that touches none of those (a kiosk's
own health row: server.heartbeat) does not take the lock.

Each process has its own pool (``pool_size`` connections at most, ``[server] pool_size``); opening a database brings
its tables to this version's schema (server.migrations).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import peewee as pw
from playhouse.pool import (  # type: ignore[import-untyped]  # peewee's stubs leave out its playhouse extensions
    PooledDatabase,
    PooledPostgresqlDatabase,
    PooledSqliteDatabase,
)

from kiosk.file_modes import tighten_database
from server.models import Models, build_models

DB_ENV = "P2C_SERVER_DB"
DB_FILE_ENV = "P2C_SERVER_DB_FILE"
DEFAULT_DB_URL = "sqlite:///./p2c-server.sqlite3"

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "full",
    "foreign_keys": 1,
    "busy_timeout": 30000,
}
# The most connections one process keeps open: FastAPI runs at most 40 requests at once on its thread pool (anyio's
# default), each holding one connection, so more would never be used. Across workers: workers x pool size must stay
# below PostgreSQL's max_connections (docs/server.md).
POOL_SIZE = 40
# The key of the advisory lock every PostgreSQL write transaction takes (any fixed number; "P2C" in ASCII).
WRITE_LOCK_KEY = 0x503243


# A pooled PostgreSQL connection back in the pool for less than this is handed out again without the round trip
# (``SELECT 1``) peewee's pool makes on every check-out to see that it still works.
PING_AFTER_SECONDS = 1.0


class RecentlyUsedPool(PooledPostgresqlDatabase):  # type: ignore[misc]  # playhouse is untyped
    """peewee's PostgreSQL pool, without the check-out round trip for a connection that came back in the last
    :data:`PING_AFTER_SECONDS`. A request checks a connection out two or three times (its token, then its work), so
    under load the pings were a round trip to PostgreSQL each time (≈0.2–0.3 ms on the 2-CPU machine), for a
    connection that had just worked. One that was idle longer is still pinged first; one that broke (a PostgreSQL
    restart) is closed by psycopg on its first failed statement, that request is answered 503 (server.errors) and the
    kiosk sends it again, and the pool drops the connection when it comes back."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._returned_at: dict[int, float] = {}

    def _can_reuse(self, conn: object) -> bool:  # called as the connection comes back to the pool
        reusable = bool(super()._can_reuse(conn))
        if reusable:
            self._returned_at[id(conn)] = time.monotonic()
        else:
            self._returned_at.pop(id(conn), None)
        return reusable

    def _is_closed(self, conn: object) -> bool:  # called as the connection leaves the pool
        returned = self._returned_at.pop(id(conn), None)
        if getattr(conn, "closed", True):
            return True
        if returned is not None and time.monotonic() - returned < PING_AFTER_SECONDS:
            return False
        return bool(super()._is_closed(conn))

    def _close_raw(self, conn: object) -> None:
        self._returned_at.pop(id(conn), None)
        super()._close_raw(conn)


class DatabaseUrlError(ValueError):
    """The database URL is not one the server can open; the message says what is expected."""


@dataclass
class ServerDatabase:
    db: pw.Database
    models: Models
    url: str

    @property
    def is_postgres(self) -> bool:
        return isinstance(self.db, pw.PostgresqlDatabase)

    def close(self) -> None:
        if isinstance(self.db, PooledDatabase):
            self.db.close_all()
        elif not self.db.is_closed():
            self.db.close()


def default_database_url(environ: Mapping[str, str] | None = None) -> str:
    """``$P2C_SERVER_DB``; else the first line of the file named by ``$P2C_SERVER_DB_FILE`` (a systemd credential or
    a container secret, so a password is in neither the environment nor the command line); else the default."""
    env = os.environ if environ is None else environ
    if env.get(DB_ENV):
        return env[DB_ENV]
    if env.get(DB_FILE_ENV):
        try:
            lines = Path(env[DB_FILE_ENV]).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise DatabaseUrlError(f"${DB_FILE_ENV}: cannot read {env[DB_FILE_ENV]} "
                                   f"({exc.__class__.__name__})") from None
        if not lines or not lines[0].strip():
            raise DatabaseUrlError(f"${DB_FILE_ENV}: {env[DB_FILE_ENV]} is empty; write the database URL in it")
        return lines[0].strip()
    return DEFAULT_DB_URL


def make_database(url: str, pool_size: int = POOL_SIZE) -> pw.Database:
    """A peewee database for ``url`` (not connected yet); DatabaseUrlError when the URL is not understood."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        if parts.netloc or not parts.path.startswith("/") or len(parts.path) < 2:
            raise DatabaseUrlError(f"{_safe(url)}: a SQLite URL is sqlite:///relative/path or sqlite:////absolute/path")
        path = Path(unquote(parts.path[1:]))
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # a folder made here is the server's alone
        # Pooled: a request's connection goes back to the pool instead of being closed (closing the last connection
        # of a WAL database checkpoints it, and opening one sets the pragmas again: ≈1 ms per request).
        sqlite: pw.SqliteDatabase = PooledSqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, max_connections=pool_size,
                                                         stale_timeout=300, timeout=30, check_same_thread=False)
        return sqlite
    if parts.scheme in ("postgresql", "postgres"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise DatabaseUrlError(f"{_safe(url)}: a PostgreSQL URL names the database: postgresql://user@host:port/db")
        params: dict[str, object] = {"host": parts.hostname or "localhost", "port": parts.port or 5432}
        if parts.username:
            params["user"] = unquote(parts.username)
        if parts.password:
            params["password"] = unquote(parts.password)
        postgres: pw.PostgresqlDatabase = RecentlyUsedPool(name, max_connections=pool_size, stale_timeout=300,
                                                          timeout=30, prefer_psycopg3=True, **params)
        return postgres
    raise DatabaseUrlError(f"{_safe(url)}: the database URL must start with sqlite:/// or postgresql://")


def open_database(url: str, pool_size: int = POOL_SIZE, migrate_schema: bool = True) -> ServerDatabase:
    """Open the database at ``url`` and bring its tables to this server's schema version (server.migrations: a
    backup first, one step per version, each in a transaction; ``migrate_schema=False`` leaves that to the caller).
    ``pool_size``: the most connections this process keeps open (PostgreSQL and SQLite alike). DatabaseUrlError
    when the database cannot be opened or migrated."""
    from server.migrations import MigrationError, migrate

    db = make_database(url, pool_size)
    models = build_models(db)
    database = ServerDatabase(db=db, models=models, url=url)
    try:
        with db.connection_context():  # connects: a wrong host or database is said here
            if isinstance(db, pw.SqliteDatabase):  # owner only, whatever the umask; repaired with a log line
                tighten_database(Path(db.database))
        if migrate_schema:
            migrate(database)
    except (pw.DatabaseError, MigrationError) as exc:
        database.close()
        raise DatabaseUrlError(f"{_safe(url)}: cannot open the database ({exc.__class__.__name__}: {exc})") from exc
    return database


@contextmanager
def write_transaction(database: ServerDatabase) -> Iterator[None]:
    """One write transaction; writers run one at a time (see the module docstring)."""
    db = database.db
    if database.is_postgres:
        with db.atomic():
            db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
            yield
    else:
        with db.atomic("IMMEDIATE"):
            yield


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(":" + parts.password + "@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url
