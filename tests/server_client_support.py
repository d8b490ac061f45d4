"""A kiosk talking to the reference server over real HTTP (httpx), for the server's tests: pushes built from the
sample reports with the right tracking numbers, event ids and content hashes. Imported by tests/server/conftest.py and
by test modules (a module of its own: ``from conftest import ...`` would pick whichever conftest was imported first)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
from helpers import NOW, load_sample

from kiosk import lifecycle
from kiosk.sync.protocol import content_hash, event_id
from kiosk.tracking import TrackingNumber


@dataclass
class KioskClient:
    """One registered kiosk talking to the server over real HTTP."""

    number: int
    token: str
    url: str
    http: httpx.Client = field(init=False)
    # The version each report is at as far as this kiosk knows: a status change built by event() carries it and
    # moves it on, unless the test gives ``version=`` itself (docs/sync-api.md, "One order of decisions").
    versions: dict[str, int] = field(default_factory=dict)

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
        tracking = self.tracking(sequence)
        if action in lifecycle.TRANSITIONS and "version" not in fields:
            fields["version"] = self.versions.get(tracking, 0)
            self.versions[tracking] = fields["version"] + 1
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
