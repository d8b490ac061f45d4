"""The reference department server for tests: fresh databases, a real server process on 127.0.0.1, and direct access
to what the server holds. The kiosk engine tests, the resilience tests, the benchmark and the UI tests import this.

    from server_support import (ServerProcess, add_kiosk, database_kinds, decide, fresh_database_url,
                                server_events, server_reports)

    @pytest.mark.parametrize("db_kind", database_kinds())
    def test_something(db_kind, tmp_path):
        url = fresh_database_url(db_kind, tmp_path)
        token = add_kiosk(url, "Lobby North", 1)
        with ServerProcess(url) as server:        # started; stopped (SIGTERM) on leaving
            httpx.get(server.url + "/api/v1/whoami", headers={"Authorization": f"Bearer {token}"})
            server.kill(); server.start()         # a crash and a restart on the same port
        assert server_reports(url)[0]["status"] == "submitted"

- ``database_kinds()``: pytest params ``"sqlite"`` (always) and ``"postgres"`` (skipped with a reason when
  P2C_TEST_POSTGRES_URL is unset; when CI=true it is not skipped and ``fresh_database_url`` fails the test).
- ``fresh_database_url(kind, tmp_path)``: ``sqlite:////<tmp_path>/server-<hex>.sqlite3``, or a NEW empty PostgreSQL
  database ``p2c_t_<hex>`` on the P2C_TEST_POSTGRES_URL cluster. The PostgreSQL databases are dropped when the test
  process exits (atexit, ``DROP DATABASE ... WITH (FORCE)``), or earlier with ``drop_database(url)``.
- ``ServerProcess(db_url, config_path=None, port=None)``: ``python -m server.cli --db URL [--config FILE] serve
  --host 127.0.0.1 --port P`` as a real subprocess. The port is picked once (a free one unless given) and kept, so
  ``restart()`` and ``stop()`` + ``start()`` come back on the same ``url``. ``start()`` returns once
  ``/api/v1/health`` answers (RuntimeError with the server's log when it does not within ``start_timeout``);
  ``stop()`` sends SIGTERM and waits; ``kill()`` sends SIGKILL; ``pid``; ``url`` (``http://127.0.0.1:P``);
  ``log_text()`` (the server's stdout and stderr). A context manager (starts on enter, stops on exit).
- ``add_kiosk(db_url, name, number) -> token``: registers a kiosk through the server's own code.
- ``import_numbers(db_url, kiosk_number, [(tracking, official number)])``: ``p2c-server import-numbers``.
- ``server_reports(db_url) -> list[dict]``: each report the server holds, in the order received: tracking_number,
  kiosk_number, content_hash, submitted_at, status, official_number, nibrs_code, received_at, version.
- ``server_events(db_url) -> list[dict]``: each history event, by cursor: cursor, event_id, tracking_number,
  kiosk_number, origin (the pushing kiosk's number, None for server-made), at, actor, action, status,
  reason_code, message, nibrs_code, official_number, version (the report's, after the event).
- ``server_conflicts(db_url) -> list[dict]``: what ``p2c-server conflicts`` lists.
- ``server_kiosks(db_url, now=None, silent_after_minutes=15) -> dict[int, dict]``: what ``p2c-server kiosks --json``
  lists, by kiosk number: state (ok, silent, never_seen, revoked at ``now``, default the real time), last_seen_at,
  heartbeat_at, version, uptime_seconds, reports_waiting, events_waiting, printer_state, printer_message,
  disk_free_bytes, last_error_code, last_error_at, kiosk_clock, clock_skew_seconds (None until a heartbeat came).
- ``decide(db_url, tracking_number, action, officer="sgt", **kw) -> dict``: a decision made at the server, exactly
  what ``p2c-server decide`` does. ``action``: ``approve``, ``request-info`` or ``reject`` (or ``approved``,
  ``info_requested``, ``rejected``); keywords:
  ``nibrs_code`` (or ``nibrs``; needed to approve), ``question``, ``phone_note``, ``reason``, ``message``,
  ``duplicate_of``, ``config_path``. Returns the
  event: event_id, cursor, tracking_number, action, status, actor, at, reason_code, message, nibrs_code,
  official_number. Raises server.decisions.DecisionError when the server refuses.
- ``writers_lock_held(database)``: a context manager holding the server's writers' lock (``server.db.
  write_transaction``, as a push does) in a thread of its own while the block runs.
"""

from __future__ import annotations

import atexit
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from kiosk.tracking import TrackingNumber
from server.db import ServerDatabase, open_database, write_transaction
from server.decisions import decide as _decide
from server.heartbeat import kiosk_health
from server.kiosks import add_kiosk as _add_kiosk
from server.listing import list_conflicts, list_events, list_reports
from server.official_numbers import import_numbers as _import_numbers
from server.settings import load_department_config

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ENV = "P2C_TEST_POSTGRES_URL"

_created_databases: list[str] = []


def _ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def database_kinds() -> list[Any]:
    """``pytest.mark.parametrize("db_kind", database_kinds())``: sqlite, and postgres when it can run."""
    if os.environ.get(POSTGRES_ENV) or _ci():
        postgres = pytest.param("postgres", id="postgres")
    else:
        postgres = pytest.param("postgres", id="postgres", marks=pytest.mark.skip(
            reason=f"{POSTGRES_ENV} is not set (make test sets it; bash scripts/start-postgres.sh prints one)"))
    return [pytest.param("sqlite", id="sqlite"), postgres]


def fresh_database_url(kind: str, tmp_path: Path) -> str:
    """A new, empty database of ``kind`` (``sqlite`` or ``postgres``) for one server."""
    if kind == "sqlite":
        return f"sqlite:///{Path(tmp_path).resolve() / f'server-{secrets.token_hex(4)}.sqlite3'}"
    if kind != "postgres":
        raise ValueError(f"unknown database kind {kind!r}")
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        message = f"{POSTGRES_ENV} is not set; bash scripts/start-postgres.sh prints a URL for it"
        if _ci():
            pytest.fail(f"CI=true but {message}")
        pytest.skip(message)
    import psycopg

    name = f"p2c_t_{secrets.token_hex(6)}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(base)
    url = urlunsplit(parts._replace(path="/" + name))
    _created_databases.append(url)
    return url


def drop_database(url: str) -> None:
    """Drop a PostgreSQL database made by :func:`fresh_database_url` (a no-op for SQLite)."""
    if not url.startswith(("postgresql:", "postgres:")):
        return
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    base = os.environ.get(POSTGRES_ENV) or urlunsplit(urlsplit(url)._replace(path="/postgres"))
    try:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except psycopg.Error:
        pass
    if url in _created_databases:
        _created_databases.remove(url)


@atexit.register
def _drop_created() -> None:
    for url in list(_created_databases):
        drop_database(url)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """``p2c-server serve`` on 127.0.0.1 as a real subprocess; see the module docstring."""

    def __init__(self, db_url: str, config_path: str | os.PathLike[str] | None = None, port: int | None = None,
                 start_timeout: float = 20.0) -> None:
        self.db_url = db_url
        self.config_path = None if config_path is None else str(config_path)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.start_timeout = start_timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._log_dir = tempfile.TemporaryDirectory(prefix="p2c-server-log-")
        self.log_path = Path(self._log_dir.name) / "server.log"

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def command(self) -> list[str]:
        command = [sys.executable, "-m", "server.cli", "--db", self.db_url]
        if self.config_path:
            command += ["--config", self.config_path]
        return [*command, "serve", "--host", "127.0.0.1", "--port", str(self.port)]

    def start(self) -> ServerProcess:
        if self.running:
            return self
        log = open(self.log_path, "ab")  # the child process writes to it
        try:
            self._process = subprocess.Popen(self.command(), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                             stdin=subprocess.DEVNULL)
        finally:
            log.close()
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"the server exited with {self._process.returncode}:\n{self.log_text()}")
            try:
                if httpx.get(self.url + "/api/v1/health", timeout=1.0).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"the server did not answer within {self.start_timeout} s:\n{self.log_text()}")

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM (uvicorn finishes the requests under way) and wait; SIGKILL after ``timeout``."""
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None

    def kill(self) -> None:
        """SIGKILL: a crash, nothing finishes."""
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._process = None

    def restart(self) -> ServerProcess:
        self.stop()
        return self.start()

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __del__(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()


def _open(db_url: str) -> ServerDatabase:
    return open_database(db_url)


def add_kiosk(db_url: str, name: str, number: int) -> str:
    database = _open(db_url)
    try:
        return _add_kiosk(database, name, number)
    finally:
        database.close()


def import_numbers(db_url: str, kiosk_number: int, pairs: list[tuple[str, str]]) -> int:
    """``p2c-server import-numbers``: let kiosk ``kiosk_number`` bring these (tracking number, official number)
    pairs along with its approvals. Raises server.official_numbers.NumbersImportError when the server refuses."""
    database = _open(db_url)
    try:
        return _import_numbers(database, kiosk_number, pairs)
    finally:
        database.close()


def server_reports(db_url: str) -> list[dict[str, Any]]:
    database = _open(db_url)
    try:
        return list_reports(database)
    finally:
        database.close()


def server_events(db_url: str) -> list[dict[str, Any]]:
    database = _open(db_url)
    try:
        return list_events(database)
    finally:
        database.close()


def server_conflicts(db_url: str) -> list[dict[str, Any]]:
    database = _open(db_url)
    try:
        return list_conflicts(database)
    finally:
        database.close()


def server_kiosks(db_url: str, now: datetime | None = None,
                  silent_after_minutes: int = 15) -> dict[int, dict[str, Any]]:
    database = _open(db_url)
    try:
        rows = kiosk_health(database, timedelta(minutes=silent_after_minutes), now or datetime.now(UTC))
    finally:
        database.close()
    return {row["number"]: dict(row) for row in rows}


def decide(db_url: str, tracking_number: str, action: str, officer: str = "sgt", **kw: Any) -> dict[str, Any]:
    config = load_department_config(kw.pop("config_path", None))
    if "nibrs" in kw:
        kw["nibrs_code"] = kw.pop("nibrs")
    if "duplicate_of" in kw:
        kw["duplicate_of"] = TrackingNumber.parse(kw["duplicate_of"])
    database = _open(db_url)
    try:
        return asdict(_decide(database, config, TrackingNumber.parse(tracking_number), action, officer, **kw))
    finally:
        database.close()


@contextmanager
def writers_lock_held(database: ServerDatabase) -> Iterator[None]:
    """A push's hold on the server's writers' lock (server.db.write_transaction), taken in a thread of its own for
    the block's length: what a test does inside runs beside it."""
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with database.db.connection_context(), write_transaction(database):
            holding.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(10)
        yield
    finally:
        release.set()
        holder.join()
