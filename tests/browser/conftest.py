"""The status page's tests: a real server process on 127.0.0.1 (tests/server_support.py), reports pushed over HTTP
by a registered kiosk with their access-code verifiers (POST /api/v1/access-codes, what a kiosk's sync sends), and a
question asked at the server (``p2c-server decide ... request-info``)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

import httpx
import pytest
from helpers import load_sample
from server_client_support import KioskClient
from server_support import ServerProcess, add_kiosk, decide, fresh_database_url

from kiosk.access_codes import hash_access_code, new_access_code

QUESTION = "Which street was the bicycle parked on?"
QUESTION_ES = "¿En qué calle estaba estacionado el coche?"
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"


class TrustingServer(ServerProcess):
    """``p2c-server serve --trusted-proxy 127.0.0.1``: the tests name each visitor's address in X-Forwarded-For,
    so one test's wrong codes do not lock another's client."""

    def command(self) -> list[str]:
        return [*super().command(), "--trusted-proxy", "127.0.0.1"]


@dataclass
class Report:
    tracking: str
    code: str


@dataclass
class World:
    db_url: str
    server: ServerProcess
    kiosk: KioskClient
    _sequences: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _addresses: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def url(self) -> str:
        return self.server.url

    def report(self, status: str = "needs_info", sample: str = "larceny-bicycle", question: str = QUESTION,
               verifier: bool = True) -> Report:
        """A report the kiosk pushed, with its verifier, decided at the server: ``needs_info`` (a question),
        ``submitted`` (as pushed) or ``approved``."""
        sequence = next(self._sequences)
        pushed = self.kiosk.push_reports([self.kiosk.report(sequence, sample, data=load_sample(sample))])
        assert pushed.status_code == 200, pushed.text
        tracking = self.kiosk.tracking(sequence)
        code = new_access_code()
        if verifier:
            sent = self.kiosk.http.post("/access-codes", json={"access_codes": [
                {"tracking_number": tracking, "verifier": hash_access_code(code)}]})
            assert sent.status_code == 200, sent.text
        if status == "needs_info":
            decide(self.db_url, tracking, "request-info", question=question)
        elif status == "approved":
            decide(self.db_url, tracking, "approve", nibrs_code="23C")
        return Report(tracking, code)

    def visitor(self, language: str | None = None) -> httpx.Client:
        """A browser-like client with its own address (X-Forwarded-For, trusted from 127.0.0.1)."""
        address = f"198.51.100.{next(self._addresses)}"
        headers = {"X-Forwarded-For": address}
        if language:
            headers["Accept-Language"] = language
        return httpx.Client(base_url=self.url, headers=headers, timeout=30, follow_redirects=False)


def make_world(tmp_path: Path, server_class: type[ServerProcess] = TrustingServer,
               kind: str = "sqlite") -> Iterator[World]:
    url = fresh_database_url(kind, tmp_path)
    token = add_kiosk(url, "Lobby North", 1)
    with server_class(url) as server:
        yield World(url, server, KioskClient(1, token, server.url))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    yield from make_world(tmp_path_factory.mktemp("status-page"))


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert found, page
    return found.group(1)


def text_of(page: str) -> str:
    """The page's visible text, roughly: tags dropped, entities decoded, white space folded."""
    body = re.sub(r"<head>.*?</head>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def look_up(client: httpx.Client, tracking: str, code: str, **extra: str) -> httpx.Response:
    form = client.get("/status")
    assert form.status_code == 200, form.text
    return client.post("/status", data={"csrf": csrf_of(form.text), "t": tracking, "code": code, **extra})
