"""Fixtures for the reference server's tests: one real server process per database kind for the whole package
(SQLite always, PostgreSQL when P2C_TEST_POSTGRES_URL is set), and a fresh kiosk, with its own number and token,
for each test that asks for one, so tests never see each other's reports."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from server_client_support import KioskClient
from server_support import ServerProcess, add_kiosk, database_kinds, fresh_database_url


@dataclass
class ServerWorld:
    kind: str
    db_url: str
    server: ServerProcess
    _numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def url(self) -> str:
        return self.server.url

    def new_kiosk(self, name: str = "Lobby") -> KioskClient:
        number = next(self._numbers)
        assert number <= 99, "the shared server ran out of kiosk numbers; give the test its own server"
        return KioskClient(number, add_kiosk(self.db_url, f"{name} {number}", number), self.url)


@pytest.fixture(scope="session", params=database_kinds())
def server_world(request, tmp_path_factory) -> Iterator[ServerWorld]:
    kind = request.param
    db_url = fresh_database_url(kind, tmp_path_factory.mktemp(f"server-{kind}"))
    with ServerProcess(db_url) as server:
        yield ServerWorld(kind, db_url, server)


@pytest.fixture
def world(server_world) -> ServerWorld:
    assert server_world.server.running, server_world.server.log_text()
    return server_world


@pytest.fixture
def kiosk(world) -> KioskClient:
    return world.new_kiosk()
