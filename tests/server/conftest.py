"""Fixtures for the reference server's tests: one real server process per database kind shared by the package
(SQLite always, PostgreSQL when P2C_TEST_POSTGRES_URL is set), and a fresh kiosk, with its own number and token,
for each test that asks for one, so tests never see each other's reports. A kiosk number is 01-99: when fewer than
:data:`NUMBERS_PER_TEST` are left before a test, the test gets a new server on a fresh database."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from server_client_support import KioskClient
from server_support import ServerProcess, add_kiosk, database_kinds, fresh_database_url

MAX_KIOSK_NUMBER = 99
NUMBERS_PER_TEST = 12  # more kiosks than any one test makes


@dataclass
class ServerWorld:
    kind: str
    folder: Path
    stack: ExitStack
    db_url: str = ""
    server: ServerProcess | None = None
    _used: int = 0
    _next: int = 1
    _numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def url(self) -> str:
        assert self.server is not None
        return self.server.url

    def start(self) -> None:
        """A server on a fresh database (the one before, if any, stopped), its kiosk numbers from 1 again."""
        self.stack.close()
        self._used += 1
        self.db_url = fresh_database_url(self.kind, self.folder / f"db{self._used}")
        self.server = self.stack.enter_context(ServerProcess(self.db_url))
        self._numbers = itertools.count(1)
        self._next = 1

    def numbers_left(self) -> int:
        return MAX_KIOSK_NUMBER - self._next + 1

    def new_kiosk(self, name: str = "Lobby") -> KioskClient:
        number = next(self._numbers)
        self._next = number + 1
        assert number <= MAX_KIOSK_NUMBER, "the shared server ran out of kiosk numbers; give the test its own server"
        return KioskClient(number, add_kiosk(self.db_url, f"{name} {number}", number), self.url)


def pytest_collection_modifyitems(config, items) -> None:
    """A ``postgres_only`` test is about what PostgreSQL allows at once (SQLite has one writer, so it has nothing to
    show there): its SQLite case is left out of the run rather than run as a skip."""
    kept, left_out = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_sqlite = callspec is not None and callspec.params.get("server_world") == "sqlite"
        (left_out if on_sqlite and item.get_closest_marker("postgres_only") else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


@pytest.fixture(scope="session", params=database_kinds())
def server_world(request, tmp_path_factory) -> Iterator[ServerWorld]:
    with ExitStack() as stack:
        world = ServerWorld(request.param, tmp_path_factory.mktemp(f"server-{request.param}"), stack)
        world.start()
        yield world


@pytest.fixture
def world(server_world) -> ServerWorld:
    if server_world.numbers_left() < NUMBERS_PER_TEST:
        server_world.start()
    assert server_world.server is not None and server_world.server.running, server_world.server.log_text()
    return server_world


@pytest.fixture
def kiosk(world) -> KioskClient:
    return world.new_kiosk()
