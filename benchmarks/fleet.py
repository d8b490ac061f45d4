"""Fleet benchmark: many kiosks syncing to the reference server on PostgreSQL at once, over loopback.

    .venv/bin/python benchmarks/fleet.py [--kiosks 1,10,50,100,200] [--reports 200] [--batch-size 50]
                                         [--workers 1] [--repeats 3] [--restart-postgres] [--status-every 2]
                                         [--interval 0]

The world, made once: a template kiosk (``tests/review_support.fill_reports``, ``--pool`` realistic reports of kiosk 1
with their 1–3 history events each) read out as the wire items its sync engine sends
(``kiosk.sync.state.pending_reports`` / ``pending_events``). Each simulated kiosk gets its own copies, renumbered as
its own (tracking numbers ``T26-kk-sssss-d``, event ids ``Kkk-n``, content hashes computed again; approvals carry no
official number, the server gives it), serialised before the clock starts so the driver spends little CPU while the
server is measured.

The server: a fresh database per department on a PostgreSQL cluster of this benchmark's own
(``scripts/start-postgres.sh`` on ``--postgres-port``, 54339 unless given, so a restart does not reach the cluster the
tests share), every kiosk registered with its own token and number, and ``p2c-server serve`` as a real subprocess on
127.0.0.1 (``tests/server_support.ServerProcess``), with ``--workers N`` when ``serve`` offers it. A kiosk number is
1–99 (two digits of the tracking number), so one department holds at most 99 kiosks: K > 99 is split evenly over
ceil(K / 99) departments, each its own database and server process (as a county of several departments would be).

The kiosks: one asyncio task each, all in this process (httpx.AsyncClient, one kept-alive connection per kiosk). Each
cycle is what a kiosk's sync run does: push a batch of ``--batch-size`` reports, push those reports' events (at most
200 a push), pull decisions after its cursor until there are no more, send a heartbeat; and every ``--status-every``
cycles (0: never) a citizen's status look-up (:func:`status_lookup`): the kiosk first pushes the access code's
verifier of the cycle's first report (``POST /api/v1/access-codes``, kind "access_codes"), then a citizen with a
browser's cookies of its own gets the form (``GET /status``, for its CSRF token) and posts that tracking number and
access code (``POST /status``, kind "status", timed alone; every status page POST takes at least
``server.status_page.POST_FLOOR_SECONDS``, 0.25 s, by design). A look-up that does not show the report's status is an
error. Cycles run back to back (the most the server can take: the latencies are then a queue's), or with
``--interval S`` one every S seconds per kiosk, out of step (an offered load of K x batch / S reports/s). A failed
request (connection refused or reset, time-out, 5xx) is sent again with the same body after a back-off (0.1 s
doubling to 2 s), as the kiosk's engine does; every failed attempt is counted.

The anchor, measured in the same run: the same kiosks send the same bodies, in the same order, to a bare FastAPI
application (one ``def`` endpoint that parses the JSON body into a dict and answers ``{}``; run by this file with
``--bare-port``) in a uvicorn subprocess of the same kind and number. Printed: reports/s in total, as a ratio to the
anchor's; p50 / p95 / p99 round trip of each request kind; errors; and, from the database at the end, how many
reports and events each department holds against how many were sent: lost, and duplicates.

``--restart-postgres``: once about half of the reports are in, the cluster is restarted (``pg_ctl restart -m fast``);
the kiosks retry, and the end shows that every report is there exactly once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Not this folder: benchmarks/queue.py would stand in for the standard library's queue module.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # review_support, server_support and sync_support live there

import httpx  # noqa: E402

API = "/api/v1"
MAX_KIOSKS_PER_DEPARTMENT = 99  # a kiosk number is two digits of the tracking number
MAX_PUSH = 200  # kiosk.sync.protocol.MAX_BATCH
FLEET_POSTGRES_PORT = 54339
YEAR = 26
KINDS = ("reports", "events", "decisions", "heartbeat", "access_codes", "status")
CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


# -- the bare anchor --------------------------------------------------------------------------------------------------

def bare_app() -> Any:
    """The anchor: a FastAPI application that parses each JSON body into a dict and answers at once."""
    from fastapi import FastAPI
    from starlette.requests import Request
    from starlette.responses import Response

    app = FastAPI()

    @app.post(API + "/{kind}")
    def post(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        return {}

    @app.get(API + "/{kind}")
    def get(kind: str) -> dict[str, Any]:
        return {"decisions": [], "next_cursor": 0, "more": False, "status": "ok", "api_version": 1}

    # The status page's two requests, as plain Starlette routes (the form's body read, never parsed).
    async def status_page(request: Request) -> Response:
        await request.body()
        return Response('<input type="hidden" name="csrf" value="00">', media_type="text/html")

    app.router.add_route("/status", status_page, methods=["GET", "POST"])
    return app


def serve_bare(port: int, workers: int) -> None:
    import uvicorn

    if workers > 1:
        # Worker processes import the application by name: benchmarks.fleet, from the checkout (BareProcess puts it
        # on PYTHONPATH; not the benchmarks folder itself, whose queue.py would stand in for the standard library's).
        uvicorn.run("benchmarks.fleet:bare_app", factory=True, host="127.0.0.1", port=port, workers=workers,
                    log_level="warning")
    else:
        uvicorn.run(bare_app(), host="127.0.0.1", port=port, log_level="warning")


class BareProcess:
    """``fleet.py --bare-port P`` as a subprocess, started and stopped like ServerProcess."""

    def __init__(self, workers: int) -> None:
        from server_support import free_port

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> BareProcess:
        self.process = subprocess.Popen([sys.executable, __file__, "--bare-port", str(self.port), "--workers",
                                         str(self.workers)], cwd=ROOT, stdin=subprocess.DEVNULL,
                                        env={**os.environ, "PYTHONPATH": str(ROOT)})
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + API + "/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("the bare application did not start")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)


# -- the server -------------------------------------------------------------------------------------------------------

def serve_has_workers() -> bool:
    """Whether ``p2c-server serve`` offers ``--workers`` (its help names it once it is supported)."""
    found = subprocess.run([sys.executable, "-m", "server.cli", "serve", "--help"], cwd=ROOT, capture_output=True,
                           text=True, timeout=60)
    return "--workers" in found.stdout


def server_process(db_url: str, workers: int) -> Any:
    from server_support import ServerProcess

    class FleetServer(ServerProcess):
        def command(self) -> list[str]:
            command = super().command()
            return [*command, "--workers", str(workers)] if workers > 1 else command

    return FleetServer(db_url, start_timeout=60)


@dataclass
class Cluster:
    """This benchmark's own PostgreSQL cluster (scripts/start-postgres.sh on another port)."""

    port: int
    folder: Path
    url: str = ""

    def environment(self) -> dict[str, str]:
        return {**os.environ, "P2C_POSTGRES_PORT": str(self.port), "P2C_POSTGRES_DIR": str(self.folder)}

    def start(self) -> str:
        found = subprocess.run(["bash", str(ROOT / "scripts" / "start-postgres.sh")], capture_output=True, text=True,
                               timeout=180, env=self.environment())
        self.url = found.stdout.strip()
        if not self.url:
            raise SystemExit(f"PostgreSQL could not start: {found.stderr.strip()}")
        return self.url

    def restart(self) -> float:
        """``pg_ctl restart -m fast``; returns the seconds it took (the cluster was away for about that long)."""
        bindir = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))[-1]
        command = [str(bindir / "pg_ctl"), "-D", str(self.folder / "data"), "-l", str(self.folder / "log"),
                   "-m", "fast", "-w", "restart"]
        if os.getuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        started = time.perf_counter()
        # Its output to the log file: the new postmaster would hold a pipe open for as long as it runs.
        subprocess.run(command, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=120)
        return time.perf_counter() - started


# -- the world --------------------------------------------------------------------------------------------------------

def make_pool(folder: Path, count: int, seed: int) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """``count`` reports of a filled kiosk as wire items, and each report's events (by tracking number)."""
    from review_support import fill_reports
    from sync_support import open_sync_kiosk, write_sync_home

    from kiosk.sync.state import pending_events, pending_reports

    write_sync_home(folder, "http://127.0.0.1:9", kiosk_number=1, purge_after_days=0, purge_rejected_after_days=0)
    kiosk = open_sync_kiosk(folder)
    try:
        fill_reports(kiosk.store, count, seed=seed, kiosks=(1,))
        reports = [dict(p.wire) for p in pending_reports(kiosk.store, count)]
        kiosk.store.db.execute_sql("UPDATE report SET synced_at = '2026-01-01T00:00:00+00:00'")  # events follow
        events: dict[str, list[dict[str, Any]]] = {}
        for pending in pending_events(kiosk.store, count * 10):
            events.setdefault(pending.tracking_number, []).append(dict(pending.wire))
    finally:
        kiosk.close()
    return reports, events


@dataclass
class Cycle:
    """One sync cycle of one kiosk: the bodies it sends, serialised."""

    reports: bytes
    report_count: int
    events: list[bytes]
    tracking_number: str = ""  # the cycle's first report's: the one a citizen looks up
    access_code: str = ""
    access_codes: bytes = b""  # POST /api/v1/access-codes: that report's verifier


@dataclass
class SimKiosk:
    department: int
    number: int
    token: str = ""
    cycles: list[Cycle] = field(default_factory=list)
    tracking_numbers: list[str] = field(default_factory=list)
    event_count: int = 0


def build_kiosk(kiosk: SimKiosk, pool: list[dict[str, Any]], events: dict[str, list[dict[str, Any]]],
                reports: int, batch_size: int, offset: int) -> None:
    """Kiosk ``kiosk.number``'s own ``reports`` reports, from the pool starting at ``offset``, cut into cycles."""
    from kiosk.access_codes import hash_access_code, new_access_code
    from kiosk.sync.protocol import content_hash
    from kiosk.tracking import TrackingNumber

    number, next_event = kiosk.number, 1
    for start in range(0, reports, batch_size):
        batch, batch_events = [], []
        for sequence in range(start + 1, min(start + batch_size, reports) + 1):
            source = pool[(offset + sequence) % len(pool)]
            tracking = str(TrackingNumber(YEAR, number, sequence))
            report = source["report"]
            batch.append({**source, "tracking_number": tracking, "kiosk_number": number,
                          "content_hash": content_hash(report)})
            kiosk.tracking_numbers.append(tracking)
            for event in events.get(source["tracking_number"], []):
                batch_events.append({**event, "event_id": f"K{number:02d}-{next_event}", "tracking_number": tracking,
                                     "official_number": None})
                next_event += 1
        kiosk.event_count += len(batch_events)
        code = new_access_code()
        verifier = {"tracking_number": batch[0]["tracking_number"], "verifier": hash_access_code(code)}
        kiosk.cycles.append(Cycle(json.dumps({"reports": batch}).encode(), len(batch),
                                  [json.dumps({"events": batch_events[i:i + MAX_PUSH]}).encode()
                                   for i in range(0, len(batch_events), MAX_PUSH)],
                                  batch[0]["tracking_number"], code,
                                  json.dumps({"access_codes": [verifier]}).encode()))


def heartbeat_body(cycle: int, left: int) -> bytes:
    return json.dumps({"sent_at": datetime.now(UTC).isoformat(), "version": "1.0.0", "uptime_seconds": 60 + cycle,
                       "backlog": {"reports": left, "events": 0}, "printer": {"state": "ok", "message": None},
                       "disk_free_bytes": 40 * 10**9, "last_error": None}).encode()


# -- driving the kiosks -----------------------------------------------------------------------------------------------

@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    failed_attempts: Counter[str] = field(default_factory=Counter)  # retried: "reports 503", "events ConnectError"
    errors: Counter[str] = field(default_factory=Counter)  # not retried (4xx) or given up
    already_stored: int = 0  # items a push answered "already_stored" (a retry of a push that had been stored)
    reports_done: int = 0


async def status_lookup(client: httpx.AsyncClient, citizen: httpx.AsyncClient, cycle: Cycle, tally: Tally,
                        bare: bool) -> None:
    """A citizen looks the cycle's first report up from home (issue 22, part 1), once its kiosk pushed the verifier:
    ``GET /status`` for the form's CSRF token (and its cookie), then ``POST /status`` with the tracking number and
    the access code, timed as kind "status". Sent again like the kiosk's requests when it fails for a reason a retry
    can mend; a page that does not show the report (a refusal) is an error."""
    await send(client, "access_codes", "POST", API + "/access-codes", cycle.access_codes, tally, bare)
    citizen.cookies.clear()  # a new visitor
    delay = 0.1
    for _attempt in range(60):
        try:
            form = await citizen.get("/status")
            token = CSRF.search(form.text) if form.status_code == 200 else None
            if token is None:
                tally.failed_attempts[f"status form {form.status_code}"] += 1
            else:
                started = time.perf_counter()
                page = await citizen.post("/status", data={"csrf": token.group(1), "t": cycle.tracking_number,
                                                           "code": cycle.access_code})
                took = time.perf_counter() - started
                if page.status_code == 200 and (bare or cycle.tracking_number in page.text):
                    tally.latencies["status"].append(took)
                    return
                if page.status_code < 500:
                    tally.errors[f"status {page.status_code}"] += 1
                    return
                tally.failed_attempts[f"status {page.status_code}"] += 1
        except httpx.TransportError as exc:
            tally.failed_attempts[f"status {exc.__class__.__name__}"] += 1
        await asyncio.sleep(delay * (0.5 + random.random() / 2))
        delay = min(delay * 2, 2.0)
    tally.errors["status gave up after 60 attempts"] += 1


async def send(client: httpx.AsyncClient, kind: str, method: str, path: str, body: bytes | None, tally: Tally,
               bare: bool) -> Any:
    """One request, sent again after a back-off while it fails for a reason a retry can mend; its JSON answer."""
    delay = 0.1
    for _attempt in range(60):
        started = time.perf_counter()
        try:
            response = await client.request(method, path, content=body)
        except httpx.TransportError as exc:
            tally.failed_attempts[f"{kind} {exc.__class__.__name__}"] += 1
        else:
            if response.status_code < 300:
                tally.latencies[kind].append(time.perf_counter() - started)
                return None if bare else response.json()
            if response.status_code < 500 and response.status_code != 408:
                tally.errors[f"{kind} {response.status_code} {response.text[:200]}"] += 1
                return None
            tally.failed_attempts[f"{kind} {response.status_code}"] += 1
        await asyncio.sleep(delay * (0.5 + random.random() / 2))
        delay = min(delay * 2, 2.0)
    tally.errors[f"{kind} gave up after 60 attempts"] += 1
    return None


async def run_kiosk(base_url: str, kiosk: SimKiosk, tally: Tally, bare: bool, status_every: int,
                    start: asyncio.Event, interval: float) -> None:
    headers = {"Authorization": f"Bearer {kiosk.token}", "Content-Type": "application/json"}
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    # The citizen: a browser of its own (cookies, no token), made once (an httpx client costs ≈20 ms of CPU to make).
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=120, limits=limits) as client, \
            httpx.AsyncClient(base_url=base_url, timeout=120, limits=limits) as citizen:
        await start.wait()
        cursor, left = 0, sum(c.report_count for c in kiosk.cycles)
        began = time.perf_counter() + (random.random() * interval if interval else 0.0)  # kiosks out of step
        for index, cycle in enumerate(kiosk.cycles):
            if interval:  # paced: cycle n starts at began + n * interval, or at once when the last one ran late
                await asyncio.sleep(max(0.0, began + index * interval - time.perf_counter()))
            answer = await send(client, "reports", "POST", API + "/reports", cycle.reports, tally, bare)
            if answer is not None:
                tally.already_stored += sum(1 for r in answer["results"] if r["outcome"] == "already_stored")
            for body in cycle.events:
                answer = await send(client, "events", "POST", API + "/events", body, tally, bare)
                if answer is not None:
                    tally.already_stored += sum(1 for r in answer["results"] if r["outcome"] == "already_stored")
            more = True
            while more:
                page = await send(client, "decisions", "GET", f"{API}/decisions?after={cursor}&limit=500", None,
                                  tally, bare)
                more = bool(page and page["more"])
                if page:
                    cursor = page["next_cursor"]
            left -= cycle.report_count
            await send(client, "heartbeat", "POST", API + "/heartbeat", heartbeat_body(index, left), tally, bare)
            if status_every and (index + 1) % status_every == 0:
                await status_lookup(client, citizen, cycle, tally, bare)
            tally.reports_done += cycle.report_count


async def drive(urls: list[str], kiosks: list[SimKiosk], bare: bool, status_every: int, interval: float,
                halfway: Callable[[], float] | None) -> tuple[Tally, float, float | None]:
    """All kiosks at once; (tally, wall seconds, seconds the PostgreSQL restart took, when one was asked for)."""
    tally = Tally()
    start = asyncio.Event()
    tasks = [asyncio.create_task(run_kiosk(urls[k.department], k, tally, bare, status_every, start, interval))
             for k in kiosks]
    total = sum(len(k.tracking_numbers) for k in kiosks)
    await asyncio.sleep(0.2)  # every client made
    began = time.perf_counter()
    start.set()
    restart_took = None
    if halfway is not None:
        while tally.reports_done < total / 2 and not all(t.done() for t in tasks):
            await asyncio.sleep(0.05)
        restart_took = await asyncio.to_thread(halfway)
    await asyncio.gather(*tasks)
    return tally, time.perf_counter() - began, restart_took


# -- one run ----------------------------------------------------------------------------------------------------------

@dataclass
class Outcome:
    kiosks: int
    reports: int
    events: int
    wall: float
    bare_wall: float
    tally: Tally
    bare: Tally
    lost: int
    duplicates: int
    events_lost: int
    events_duplicated: int
    restart_took: float | None
    database_bytes: int  # all departments' databases at the end


def check_database(db_url: str, kiosks: list[SimKiosk]) -> tuple[int, int, int, int, int]:
    """(reports lost, reports held more than once, events lost, events held more than once, the database's size in
    bytes) of one department."""
    import psycopg

    sent = {t for k in kiosks for t in k.tracking_numbers}
    with psycopg.connect(db_url) as conn:
        held = Counter(row[0] for row in conn.execute("SELECT tracking_number FROM report"))
        events = Counter(row[0] for row in conn.execute("SELECT event_id FROM event"))
        size_row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
    lost = len(sent - set(held))
    duplicates = sum(n - 1 for n in held.values() if n > 1)
    expected_events = sum(k.event_count for k in kiosks)
    return (lost, duplicates, max(0, expected_events - len(events)), sum(n - 1 for n in events.values() if n > 1),
            int(size_row[0]) if size_row else 0)


def one_run(cluster: Cluster, pool: list[dict[str, Any]], events: dict[str, list[dict[str, Any]]], count: int,
            reports: int, batch_size: int, workers: int, status_every: int, restart: bool,
            interval: float = 0.0) -> Outcome:
    from server_support import drop_database, fresh_database_url

    from server.db import open_database
    from server.kiosks import add_kiosk

    departments = math.ceil(count / MAX_KIOSKS_PER_DEPARTMENT)
    kiosks = [SimKiosk(index % departments, index // departments + 1) for index in range(count)]
    for index, kiosk in enumerate(kiosks):
        build_kiosk(kiosk, pool, events, reports, batch_size, offset=index * 37)
    urls = [fresh_database_url("postgres", Path(tempfile.gettempdir())) for _ in range(departments)]
    try:
        for department, url in enumerate(urls):
            database = open_database(url)
            try:
                for kiosk in kiosks:
                    if kiosk.department == department:
                        kiosk.token = add_kiosk(database, f"Lobby {kiosk.number}", kiosk.number)
            finally:
                database.close()
        bare_processes = [BareProcess(workers) for _ in urls]
        for process in bare_processes:
            process.__enter__()
        try:
            bare, bare_wall, _ = asyncio.run(drive([p.url for p in bare_processes], kiosks, True, status_every,
                                                   interval, None))
        finally:
            for process in bare_processes:
                process.__exit__()
        servers = [server_process(url, workers) for url in urls]
        try:
            for server in servers:
                server.start()
            tally, wall, restart_took = asyncio.run(drive([s.url for s in servers], kiosks, False, status_every,
                                                          interval, cluster.restart if restart else None))
        finally:
            for server in servers:
                server.stop()
        lost = duplicates = events_lost = events_duplicated = size = 0
        for department, url in enumerate(urls):
            found = check_database(url, [k for k in kiosks if k.department == department])
            lost, duplicates = lost + found[0], duplicates + found[1]
            events_lost, events_duplicated = events_lost + found[2], events_duplicated + found[3]
            size += found[4]
    finally:
        for url in urls:
            drop_database(url)
    return Outcome(count, count * reports, sum(k.event_count for k in kiosks), wall, bare_wall, tally, bare, lost,
                   duplicates, events_lost, events_duplicated, restart_took, size)


# -- the report -------------------------------------------------------------------------------------------------------

def percentile(samples: list[float], share: float) -> float:
    """Nearest rank."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def spread(values: list[float], digits: int = 0) -> str:
    """The median, and the range when there are several runs."""
    middle = f"{statistics.median(values):,.{digits}f}"
    if len(values) < 2:
        return middle
    return f"{middle} [{min(values):,.{digits}f}–{max(values):,.{digits}f}]"


def describe(runs: list[Outcome]) -> dict[str, Any]:
    first = runs[0]
    rates = [r.reports / r.wall for r in runs]
    bare_rates = [r.reports / r.bare_wall for r in runs]
    ratios = [r.reports / r.wall / (r.reports / r.bare_wall) for r in runs]
    print(f"\n== K = {first.kiosks} kiosks ({math.ceil(first.kiosks / MAX_KIOSKS_PER_DEPARTMENT)} department(s)): "
          f"{first.reports:,} reports and {first.events:,} events, {len(runs)} run(s) ==")
    print(f"reports/s in total: {spread(rates)}; bare endpoint, same bodies: {spread(bare_rates)}; "
          f"ratio {spread(ratios, 3)}")
    print(f"{'round trip, ms':<22}{'p50':>9}{'p95':>9}{'p99':>9}{'count':>9}   {'bare p50':>9}{'bare p99':>9}")
    figures: dict[str, Any] = {"kiosks": first.kiosks, "rate": rates, "bare_rate": bare_rates, "ratio": ratios}
    for kind in KINDS:
        samples = [s for r in runs for s in r.tally.latencies[kind]]
        bare = [s for r in runs for s in r.bare.latencies[kind]]
        if not samples:
            continue
        print(f"{kind:<22}{percentile(samples, .5) * 1000:>9.1f}{percentile(samples, .95) * 1000:>9.1f}"
              f"{percentile(samples, .99) * 1000:>9.1f}{len(samples):>9}   {percentile(bare, .5) * 1000:>9.1f}"
              f"{percentile(bare, .99) * 1000:>9.1f}")
        figures[f"p99_{kind}"] = percentile(samples, .99)
        figures[f"p50_{kind}"] = percentile(samples, .5)
    errors = sum(sum(r.tally.errors.values()) for r in runs)
    failed = sum(sum(r.tally.failed_attempts.values()) for r in runs)
    print(f"errors (not retried, or given up): {errors}; failed attempts sent again: {failed}; items answered "
          f"already_stored: {sum(r.tally.already_stored for r in runs)}; status look-ups that showed the report: "
          f"{sum(len(r.tally.latencies['status']) for r in runs)}")
    for run in runs:
        for what, times in (run.tally.errors + run.tally.failed_attempts).most_common(6):
            print(f"    {times} x {what}")
    print("at the end, in the database: " + "; ".join(
        f"run {i + 1}: {r.reports - r.lost:,} of {r.reports:,} reports held, {r.lost} lost, {r.duplicates} twice; "
        f"{r.events - r.events_lost:,} of {r.events:,} events, {r.events_lost} lost, {r.events_duplicated} twice"
        for i, r in enumerate(runs)))
    print(f"database size at the end: {statistics.median(r.database_bytes / r.reports for r in runs):,.0f} bytes per "
          f"report (the databases' size over the reports: their events, indexes and an empty database's own)")
    for index, run in enumerate(runs):
        if run.restart_took is not None:
            exact = run.lost == 0 and run.duplicates == 0 and run.events_lost == 0 and run.events_duplicated == 0
            print(f"run {index + 1}: PostgreSQL was restarted half-way ({run.restart_took:.1f} s); every report is "
                  f"there exactly once: {'YES' if exact else 'NO'}")
    figures["errors"], figures["duplicates"] = errors, sum(r.duplicates + r.events_duplicated for r in runs)
    figures["lost"] = sum(r.lost + r.events_lost for r in runs)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--kiosks", default="1,10,50,100,200", help="comma-separated values of K")
    parser.add_argument("--reports", type=int, default=200, help="reports each kiosk pushes")
    parser.add_argument("--batch-size", type=int, default=50, help="reports per push (1–200)")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes (p2c-server serve --workers)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--restart-postgres", action="store_true", help="restart PostgreSQL half-way through each run")
    parser.add_argument("--status-every", type=int, default=2, help="a status look-up every N cycles (0: none)")
    parser.add_argument("--interval", type=float, default=0.0,
                        help="seconds between the starts of a kiosk's cycles (0: each cycle as soon as the last ends, "
                             "the most the server can take; else an offered load of K x batch / interval reports/s)")
    parser.add_argument("--pool", type=int, default=500, help="distinct report documents to draw from")
    parser.add_argument("--postgres-port", type=int, default=FLEET_POSTGRES_PORT)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--bare-port", type=int, default=None, help=argparse.SUPPRESS)  # runs the anchor
    args = parser.parse_args(argv)
    if args.bare_port is not None:
        serve_bare(args.bare_port, args.workers)
        return 0
    if not 1 <= args.batch_size <= MAX_PUSH:
        parser.error(f"--batch-size must be 1–{MAX_PUSH}")
    counts = [int(k) for k in args.kiosks.split(",") if k.strip()]
    workers = args.workers
    if workers > 1 and not serve_has_workers():
        print(f"p2c-server serve has no --workers yet: the server runs 1 worker process, not {workers}")
        workers = 1
    cluster = Cluster(args.postgres_port, Path(tempfile.gettempdir()) / f"p2c-postgres-fleet-{args.postgres_port}")
    os.environ["P2C_TEST_POSTGRES_URL"] = cluster.start()  # server_support makes its databases there
    folder = Path(tempfile.mkdtemp(prefix="p2c-bench-fleet-"))
    try:
        started = time.perf_counter()
        pool, events = make_pool(folder / "template", args.pool, args.seed)
        print(f"pool: {len(pool)} reports, {sum(len(e) for e in events.values())} events, made in "
              f"{time.perf_counter() - started:.1f} s; {os.cpu_count()} CPUs, load average "
              f"{os.getloadavg()[0]:.1f}; {workers} server worker(s) per department; batches of {args.batch_size}, "
              f"{args.reports} reports per kiosk; "
              + (f"a cycle every {args.interval:g} s per kiosk; " if args.interval else "cycles back to back; ")
              + f"PostgreSQL {cluster.url}")
        table = []
        for count in counts:
            runs = []
            for index in range(args.repeats):
                outcome = one_run(cluster, pool, events, count, args.reports, args.batch_size, workers,
                                  args.status_every, args.restart_postgres, args.interval)
                runs.append(outcome)
                print(f"K = {count} run {index + 1}: {outcome.reports / outcome.wall:,.0f} reports/s "
                      f"(bare {outcome.reports / outcome.bare_wall:,.0f}/s), {outcome.wall:.1f} s", flush=True)
            table.append(describe(runs))
        print("\n| K | reports/s | ratio to bare | p99 report push, ms | p99 events push, ms | look-up p50 / p99, ms "
              "| errors | lost | twice |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for row in table:
            print(f"| {row['kiosks']} | {spread(row['rate'])} | {spread(row['ratio'], 3)} | "
                  f"{row['p99_reports'] * 1000:,.0f} | {row.get('p99_events', math.nan) * 1000:,.0f} | "
                  f"{row.get('p50_status', math.nan) * 1000:,.0f} / {row.get('p99_status', math.nan) * 1000:,.0f} | "
                  f"{row['errors']} | {row['lost']} | {row['duplicates']} |")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
