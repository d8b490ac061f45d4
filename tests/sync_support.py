"""Kiosk-side fixtures for the sync tests (docs/sync.md): a kiosk data folder pointed at a sync server, its token in
an in-memory keyring, and small helpers to look at what the engine wrote.

Only tests/conftest.py may hold shared fixtures, so test modules build theirs from these:

- ``write_sync_home(folder, server_url, *, kiosk_number=1, **sync)``: a data folder whose ``kiosk.toml`` has
  ``[kiosk] number`` and a ``[sync]`` section (``server_url`` plus any other [sync] key, e.g. ``batch_size=10``).
- ``sync_keyring(server_url=None, token=None)``: a context manager putting a fresh ``MemoryKeyring``
  (tests/notices_support.py) in use, with ``token`` stored for ``server_url`` the way
  ``p2c-kiosk configure --token-stdin`` stores it (service ``p2c-kiosk``, user ``sync:<server_url>``). Yields the
  keyring (``.passwords`` is a dict).
- ``open_sync_kiosk(home, clock=None)``: ``kiosk.home.open_kiosk`` with a ``ManualClock`` at ``helpers.NOW`` unless
  one is given; ``kiosk.sync`` is its engine (token read from the keyring in use at each run). Close it with
  ``kiosk.close()``.
- ``sync_kiosk(folder, server_url, token, *, kiosk_number=1, clock=None, **sync)``: all three at once, as a context
  manager yielding the open ``Kiosk`` (the keyring stays in use until the block ends)::

      with sync_kiosk(tmp_path / "k1", server.url, token) as kiosk:
          fill_reports(kiosk.store, 50, seed=1, kiosks=(1,))
          assert kiosk.sync.run_once(force=True).error is None

- ``engine_for(kiosk, *, token=..., random=...)``: a second ``SyncEngine`` over the same kiosk with another token
  source or jitter (``FixedRandom(0.5)``), for back-off tests.
- ``closed_port_url()``: ``http://127.0.0.1:PORT`` where nobody listens (connection refused at once).
- ``pending(kiosk)``: (pending reports, pending events) as the engine counts them.
- ``synced_numbers(kiosk)``: the tracking numbers the server has acknowledged (``report.synced_at`` set).
- ``stored_conflicts(kiosk)``: {tracking number: message} of the reports the server refused.
- ``reference_server(folder, kind="sqlite")``: a fresh server database of ``kind`` (tests/server_support.py), the
  reference server running on it, and kiosk 1 ("Lobby North") added there, as a context manager yielding a
  ``SyncServer`` (``url``, ``db_url``, ``token``); a module's fixture wraps it::

      @pytest.fixture
      def sync_server(tmp_path):
          with reference_server(tmp_path) as running:
              yield running

- ``import_standalone_numbers(kiosk, db_url)``: export the official numbers the kiosk gave itself while standalone
  (``p2c-kiosk sync export-numbers``) and import them at the server (``p2c-server import-numbers``), as a department
  does before it connects such a kiosk; ``review_support.fill_reports`` makes such histories.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers import NOW
from notices_support import MemoryKeyring, keyring_in_use

from kiosk.clock import Clock, ManualClock
from kiosk.config import CONFIG_FILE_NAME, default_config_text
from kiosk.home import Kiosk, open_kiosk

TOKEN = "test-token-" + "0" * 32  # a stand-in; real tests use the one the server printed


class FixedRandom:
    """A jitter source that always gives ``value`` (in [0, 1)): the back-off factor is 0.5 + 0.5 * value."""

    def __init__(self, value: float) -> None:
        self.value = value
        self.calls = 0

    def __call__(self) -> float:
        self.calls += 1
        return self.value


def write_sync_home(folder: Path, server_url: str, *, kiosk_number: int = 1, **sync: Any) -> Path:
    """A data folder whose kiosk.toml is the documented default with the kiosk number and [sync] values set."""
    import tomlkit

    folder.mkdir(parents=True, exist_ok=True)
    document = tomlkit.parse(default_config_text())
    document["kiosk"]["number"] = kiosk_number
    document["sync"]["server_url"] = server_url
    for key, value in sync.items():
        document["sync"][key] = value
    (folder / CONFIG_FILE_NAME).write_text(tomlkit.dumps(document), encoding="utf-8")
    return folder


@contextmanager
def sync_keyring(server_url: str | None = None, token: str | None = None) -> Iterator[MemoryKeyring]:
    """A fresh in-memory keyring in use while the block runs, holding ``token`` for ``server_url`` (if given)."""
    backend = MemoryKeyring()
    with keyring_in_use(backend):
        if server_url and token:
            from kiosk.config import config_from_mapping
            from kiosk.sync.secrets import store_token

            store_token(config_from_mapping({"sync": {"server_url": server_url}}), token)
        yield backend


def open_sync_kiosk(home: Path, clock: Clock | None = None) -> Kiosk:
    return open_kiosk(home, clock or ManualClock(NOW))


@contextmanager
def sync_kiosk(folder: Path, server_url: str, token: str | None, *, kiosk_number: int = 1, clock: Clock | None = None,
               **sync: Any) -> Iterator[Kiosk]:
    """An open kiosk in ``folder`` syncing to ``server_url`` with ``token`` in an in-memory keyring."""
    write_sync_home(folder, server_url, kiosk_number=kiosk_number, **sync)
    with sync_keyring(server_url, token):
        kiosk = open_sync_kiosk(folder, clock)
        try:
            yield kiosk
        finally:
            kiosk.close()


@dataclass(frozen=True)
class SyncServer:
    """The reference server a test's kiosks sync to: its address, its database and kiosk 1's token."""

    url: str
    db_url: str
    token: str


@contextmanager
def reference_server(folder: Path, kind: str = "sqlite") -> Iterator[SyncServer]:
    """A fresh ``kind`` database, the reference server running on it, and kiosk 1 added there, while the block runs."""
    from server_support import ServerProcess, add_kiosk, fresh_database_url  # the server's parts, for server tests only

    db_url = fresh_database_url(kind, folder)
    with ServerProcess(db_url) as running:
        yield SyncServer(running.url, db_url, add_kiosk(db_url, "Lobby North", 1))


def engine_for(kiosk: Kiosk, *, token: Callable[[], str | None] | str | None = None,
               random: Callable[[], float] | None = None, **options: Any) -> Any:
    """Another engine over ``kiosk``'s store (by default the keyring's token), e.g. with a fixed jitter."""
    from kiosk.sync.engine import SyncEngine
    from kiosk.sync.secrets import token_from_keyring

    return SyncEngine(kiosk.store, kiosk.config, kiosk.clock,
                      token=token if token is not None else token_from_keyring(kiosk.config), outbox=kiosk.outbox,
                      audit=kiosk.audit, random=random, **options)


def closed_port_url() -> str:
    """The address of a port on 127.0.0.1 nobody listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def pending(kiosk: Kiosk) -> tuple[int, int]:
    from kiosk.sync import state

    return state.count_pending_reports(kiosk.store), state.count_pending_events(kiosk.store)


def synced_numbers(kiosk: Kiosk) -> set[str]:
    return {row[0] for row in kiosk.store.db.execute_sql(
        "SELECT tracking_number FROM report WHERE synced_at IS NOT NULL")}


def stored_conflicts(kiosk: Kiosk) -> dict[str, str]:
    return dict(kiosk.store.db.execute_sql(
        "SELECT tracking_number, sync_conflict FROM report WHERE sync_conflict IS NOT NULL").fetchall())


def import_standalone_numbers(kiosk: Kiosk, db_url: str) -> int:
    """The documented path for the official numbers a kiosk gave itself while standalone (``review_support.
    fill_reports`` makes such histories): ``p2c-kiosk sync export-numbers`` at the kiosk, ``p2c-server import-numbers``
    at the server. Returns how many were imported."""
    import io

    from server_support import import_numbers

    from kiosk.cli import main
    from server.official_numbers import read_numbers_file

    out, err = io.StringIO(), io.StringIO()
    assert main(["--home", str(kiosk.home), "sync", "export-numbers"], stdout=out, stderr=err) == 0, err.getvalue()
    number, pairs = read_numbers_file(out.getvalue())
    assert number == kiosk.config.kiosk.number
    return import_numbers(db_url, number, pairs)


def report_data(kiosk: Kiosk, tracking_number: str) -> dict[str, Any]:
    (data,) = kiosk.store.db.execute_sql("SELECT data FROM report WHERE tracking_number = ?",
                                         (tracking_number,)).fetchone()
    return json.loads(data)
