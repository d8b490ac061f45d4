"""``p2c-server serve --workers N``: several worker processes on one database serve many kiosks at once, and the
database stays the one truth: every report exactly once, every official number given once and in one unbroken
sequence, each request's worker named in the log, and a worker that dies is replaced."""

from __future__ import annotations

import os
import re
import signal
import socket
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import httpx
import pytest
from server_client_support import KioskClient
from server_support import ServerProcess, add_kiosk, database_kinds, fresh_database_url, server_events, server_reports

KIOSKS = 6
REPORTS = 8  # per kiosk, pushed two at a time, each then approved
WORKERS = 2
HEADER_TIMEOUT = 2  # seconds ([server] header_timeout_seconds; the default is 10)
T = TypeVar("T")


class WorkersProcess(ServerProcess):
    """``p2c-server serve --workers N``."""

    def __init__(self, db_url: str, workers: int, config_path: Path | None = None) -> None:
        super().__init__(db_url, config_path=config_path)
        self.workers = workers

    def command(self) -> list[str]:
        return [*super().command(), "--workers", str(self.workers)]


def _children(pid: int) -> set[int]:
    """The worker processes under ``pid`` (multiprocessing's resource tracker is a child too, not a worker)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                command = Path(f"/proc/{child}/cmdline").read_bytes()
            except OSError:
                continue  # gone meanwhile
            if b"spawn_main" in command:
                found.add(int(child))
    return found


def _wait_for(condition: Callable[[], T], seconds: float = 20.0) -> T:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


def _sync(client: KioskClient) -> list[str]:
    """What a kiosk's sync does: push its reports in batches, then their histories ending in an approval; each batch
    pushed twice (the first answer "lost"); returns the official numbers it was given."""
    numbers = []
    for first in range(1, REPORTS + 1, 2):
        batch = [client.report(sequence) for sequence in (first, first + 1)]
        for _ in range(2):
            response = client.push_reports(batch)
            assert response.status_code == 200, response.text
        events = []
        for sequence in (first, first + 1):
            events += [client.event(sequence * 10, sequence, "submitted", "submitted", actor="citizen"),
                       client.event(sequence * 10 + 1, sequence, "review_started", "in_review"),
                       client.event(sequence * 10 + 2, sequence, "approved", "approved", nibrs_code="23F")]
        answers = [client.push_events(events) for _ in range(2)]
        for response in answers:
            assert response.status_code == 200, response.text
        first_numbers = [r["official_number"] for r in answers[0].json()["results"] if r["official_number"]]
        assert [r["official_number"] for r in answers[1].json()["results"] if r["official_number"]] == first_numbers
        numbers += first_numbers
    return numbers


@pytest.mark.parametrize("db_kind", database_kinds())
def test_two_workers_serve_one_database_without_duplicates_or_a_number_given_twice(db_kind, tmp_path):
    url = fresh_database_url(db_kind, tmp_path)
    tokens = {number: add_kiosk(url, f"Lobby {number}", number) for number in range(1, KIOSKS + 1)}
    config = tmp_path / "server.toml"
    config.write_text(f"[server]\nheader_timeout_seconds = {HEADER_TIMEOUT}\n", encoding="utf-8")
    with WorkersProcess(url, WORKERS, config) as server:
        assert server.pid is not None
        workers = _wait_for(lambda: (found := _children(server.pid)) and len(found) == WORKERS and found)
        clients = []
        for number, token in tokens.items():
            client = KioskClient(number, token, server.url)
            # A new connection for every request, so the kernel hands them to both workers, not one per kiosk.
            client.http.headers["Connection"] = "close"
            clients.append(client)
        with ThreadPoolExecutor(KIOSKS) as pool:
            given = [number for numbers in pool.map(_sync, clients) for number in numbers]

        # Each worker served pushes (the log names the process of each line, and never the client's address).
        pushes = re.findall(r"\[(\d+)\] \"POST /api/v1/(?:reports|events) ", server.log_text())
        assert {int(pid) for pid in pushes} == workers, server.log_text()[-2000:]

        # The configured header time-out holds in the workers (it travels to them in uvicorn's configuration).
        for _ in range(WORKERS * 2):
            with socket.create_connection(("127.0.0.1", server.port), timeout=HEADER_TIMEOUT + 5) as stalled:
                stalled.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")
                started = time.monotonic()
                assert stalled.recv(100).startswith(b"HTTP/1.1 408")
                assert time.monotonic() - started < HEADER_TIMEOUT + 2

        # A worker that dies is replaced, and the server keeps answering.
        os.kill(min(workers), signal.SIGKILL)
        replaced = _wait_for(lambda: (found := _children(server.pid)) and len(found) == WORKERS
                             and min(workers) not in found and found)
        assert len(replaced) == WORKERS
        for _ in range(4):
            assert httpx.get(server.url + "/api/v1/health", headers={"Connection": "close"}).status_code == 200

    reports = server_reports(url)
    assert len(reports) == KIOSKS * REPORTS
    assert len({r["tracking_number"] for r in reports}) == KIOSKS * REPORTS
    assert {r["status"] for r in reports} == {"approved"}
    events = server_events(url)
    assert len(events) == len({e["event_id"] for e in events}) == KIOSKS * REPORTS * 3
    # One department sequence, each number once, none skipped.
    official = sorted(r["official_number"] for r in reports)
    assert sorted(given) == official
    assert [int(n.rsplit("-", 1)[1]) for n in official] == list(range(1, KIOSKS * REPORTS + 1))


def test_workers_must_be_a_sensible_number(tmp_path):
    from server.cli import main

    url = fresh_database_url("sqlite", tmp_path)
    for value in ("0", "65"):
        assert main(["--db", url, "serve", "--workers", value]) == 2


def test_workers_do_not_outlive_a_killed_supervisor(tmp_path):
    """The supervisor killed outright (the OOM killer, kill -9): its workers stop too instead of holding the port, so
    a new server can start on it at once."""
    url = fresh_database_url("sqlite", tmp_path)
    server = WorkersProcess(url, WORKERS)
    with server:
        assert server.pid is not None
        pid = server.pid
        workers = _wait_for(lambda: (found := _children(pid)) and len(found) == WORKERS and found)
        server.kill()
        _wait_for(lambda: not any(Path(f"/proc/{worker}").exists() for worker in workers), seconds=10)
        server.start()  # the same port
        assert httpx.get(server.url + "/api/v1/health").status_code == 200


def test_a_worker_answers_at_once_not_after_the_clients_delayed_acknowledgement(tmp_path):
    """uvicorn's worker processes got sockets without TCP_NODELAY, so an answer written in two parts waited for the
    client's delayed ACK: ~44 ms a request on a kept-alive connection (uvicorn issue #3149). 30 requests took 1.3 s
    before the fix and ~0.05 s after; the bound leaves ten times the room for a busy machine."""
    url = fresh_database_url("sqlite", tmp_path)
    with WorkersProcess(url, WORKERS) as server, httpx.Client(base_url=server.url) as client:
        assert client.get("/api/v1/health").status_code == 200  # the connection is open, the worker warm
        start = time.perf_counter()
        for _ in range(30):
            assert client.get("/api/v1/health").status_code == 200
        assert time.perf_counter() - start < 0.9
