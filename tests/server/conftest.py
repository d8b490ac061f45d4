"""Fixtures for the reference server's tests: one real server process per database kind for the whole package
(SQLite always, PostgreSQL when P2C_TEST_POSTGRES_URL is set), and a fresh kiosk, with its own number and token,
for each test that asks for one, so tests never see each other's reports."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from helpers import NOW, load_sample
from server_support import ServerProcess, add_kiosk, database_kinds, fresh_database_url

from kiosk.sync.protocol import content_hash, event_id
from kiosk.tracking import TrackingNumber


@dataclass
class KioskClient:
    """One registered kiosk talking to the server over real HTTP."""

    number: int
    token: str
    url: str
    http: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.http = httpx.Client(base_url=self.url + "/api/v1", timeout=30,
                                 headers={"Authorization": f"Bearer {self.token}"})

    def tracking(self, sequence: int, year: int = 26) -> str:
        return str(TrackingNumber(year, self.number, sequence))

    def report(self, sequence: int, sample: str = "larceny-bicycle", *, data: dict[str, Any] | None = None,
               submitted_at: datetime = NOW) -> dict[str, Any]:
        document = data if data is not None else load_sample(sample)
        return {"tracking_number": self.tracking(sequence), "kiosk_number": self.number,
                "submitted_at": submitted_at.isoformat(timespec="microseconds"),
                "content_hash": content_hash(document), "report": document}

    def event(self, local_id: int, sequence: int, action: str, status: str, *, at: datetime | None = None,
              actor: str = "officer:jdoe", **fields: Any) -> dict[str, Any]:
        moment = at or NOW + timedelta(minutes=local_id)
        body = {"event_id": event_id(self.number, local_id), "tracking_number": self.tracking(sequence),
                "at": moment.isoformat(timespec="microseconds"), "actor": actor, "action": action,
                "status": status, "reason_code": None, "message": None, "nibrs_code": None, "official_number": None}
        body.update(fields)
        return body

    def push_reports(self, reports: list[dict[str, Any]]) -> httpx.Response:
        return self.http.post("/reports", json={"reports": reports})

    def push_events(self, events: list[dict[str, Any]]) -> httpx.Response:
        return self.http.post("/events", json={"events": events})

    def stored(self, sequence: int, sample: str = "larceny-bicycle") -> str:
        """Push report ``sequence`` and its ``submitted`` event; return its tracking number."""
        assert self.push_reports([self.report(sequence, sample)]).status_code == 200
        response = self.push_events([self.event(sequence * 1000, sequence, "submitted", "submitted",
                                                actor="citizen")])
        assert response.status_code == 200, response.text
        return self.tracking(sequence)

    def decisions(self, after: int | None = None, limit: int | None = None) -> httpx.Response:
        params = {key: value for key, value in (("after", after), ("limit", limit)) if value is not None}
        return self.http.get("/decisions", params=params)


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
