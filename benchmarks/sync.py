"""Sync benchmark: a kiosk with a backlog of reports syncing to the reference server on loopback, on SQLite and on
PostgreSQL.

    .venv/bin/python benchmarks/sync.py [--reports 10000] [--runs 2] [--batch-size 100] [--databases sqlite,postgres]
                                        [--profile FILE] [--steps]

Once: a kiosk database is filled with ``--reports`` reports (``tests/review_support.fill_reports``: realistic
reports of kiosk 1 over three years, with their 1–3 history events each), then closed; it is the template.

Each run, for each database: a copy of the template kiosk, a fresh server database (a file in the same temporary
folder, or a new database on the PostgreSQL cluster of ``P2C_TEST_POSTGRES_URL`` / ``scripts/start-postgres.sh``),
``p2c-server serve`` as a real subprocess on 127.0.0.1 (``tests/server_support.ServerProcess``), and ONE
``SyncEngine.run_once`` over real sockets that pushes the whole backlog: every report, then every event. Measured:

- reports per second, end to end: backlog / wall time of the run (the reports AND their events);
- the report phase alone (first report push to first event push) and the event phase, as reports (events) per s;
- each push's round trip (median and p95 over all batches of all runs), through a timing httpx transport;
- the server's CPU time per report: utime + stime of the server process from ``/proc/<pid>/stat``, before and
  after the run; on PostgreSQL also the CPU of the backends the server used (the postmaster's ``cutime + cstime``,
  which collects its children's time as they exit: the server opens one connection per request);
- the kiosk's CPU time per report (this process: the engine, SQLite, httpx).

Anchors, measured in the same run on the same machine: a bare HTTP round trip to ``/api/v1/health`` (one kept-alive
connection), a bare commit of one batch of the same report rows into a scratch table of the same kind of
database (SQLite WAL ``synchronous=FULL`` in the same folder; PostgreSQL in the same cluster), and the same push
bodies, in the same order, posted to a bare FastAPI endpoint (``benchmarks/fleet.py --bare-port``: one ``def`` that
parses the JSON into a dict) with the CPU time of its process. Purging is off (``purge_after_days = 0``), so the run
is the sync alone. Goals: at least 1,000 reports/s end to end; a backlog at 0.3x the bare endpoint (issue 22).

``--profile FILE``: after the first run, the same bodies are parsed and pushed in this process (the server's schemas
and push functions, a fresh database) under cProfile, which shows where a push's CPU goes; the server process itself
cannot be profiled that way, its endpoints run on a thread pool.

``--steps``: after the first run, the same bodies are parsed and pushed in this process without a profiler, a fresh
database each of 3 rounds, with each step of a push timed around the server's own functions (JSON parse, pydantic,
the checks without the database, ``kiosk.rules.validate_report``, the reads, BEGIN with the writers' lock, the write
section, COMMIT, the answer); printed in µs per report, beside the pushes' round trips over HTTP in the run.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Not this folder: benchmarks/queue.py would stand in for the standard library's queue module.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # review_support, server_support and sync_support live there

import httpx  # noqa: E402

POSTGRES_ENV = "P2C_TEST_POSTGRES_URL"
GOAL_PER_SECOND = 1000.0
GOAL_RATIO = 0.3  # issue 22: a single kiosk's backlog at 0.3x the same bodies posted to a bare endpoint
TICKS = os.sysconf("SC_CLK_TCK")


def p95(samples: list[float]) -> float:
    """The 95th percentile, nearest rank."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def cpu_seconds(pid: int, children: bool = False) -> float:
    """utime + stime of ``pid`` (with ``children``: cutime + cstime, its children that have exited)."""
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rindex(")") + 2:].split()  # after "pid (comm) "
    first = 13 if children else 11  # utime is field 14 of stat, i.e. index 11 after the comm; cutime 16
    return (int(fields[first]) + int(fields[first + 1])) / TICKS


class TimingTransport(httpx.HTTPTransport):
    """Real sockets; records (path, items sent, start, seconds) of every request."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[tuple[str, int, float, float]] = []
        self.bodies: list[tuple[str, bytes]] = []  # every push's (path, body), for the bare anchor

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        start = time.perf_counter()
        response = super().handle_request(request)
        response.read()
        items = 0
        if request.method == "POST":
            body = json.loads(request.content)
            items = len(body.get("reports") or body.get("events") or [])
            if request.url.path.endswith(("/reports", "/events")):
                self.bodies.append((request.url.path, request.content))
        self.requests.append((request.url.path, items, start, time.perf_counter() - start))
        return response


@dataclass
class RunFigures:
    reports: int
    events: int
    wall: float
    report_phase: float
    event_phase: float
    server_cpu: float
    postgres_cpu: float | None
    kiosk_cpu: float
    report_batches: list[float] = field(default_factory=list)
    event_batches: list[float] = field(default_factory=list)
    bare_report_batches: list[float] = field(default_factory=list)  # the same bodies, posted to the bare endpoint
    bare_event_batches: list[float] = field(default_factory=list)
    bare_cpu: float = 0.0  # CPU seconds of the bare endpoint's process for all the bodies


# -- the template kiosk ---------------------------------------------------------------------------------------------

def make_template(folder: Path, count: int, seed: int, batch_size: int) -> tuple[int, int]:
    """A kiosk data folder holding ``count`` reports of kiosk 1; returns (reports, events)."""
    from review_support import fill_reports
    from sync_support import open_sync_kiosk, write_sync_home

    write_sync_home(folder, "http://127.0.0.1:9", kiosk_number=1, batch_size=batch_size, timeout_seconds=60,
                    purge_after_days=0, purge_rejected_after_days=0)
    kiosk = open_sync_kiosk(folder)
    try:
        fill_reports(kiosk.store, count, seed=seed, kiosks=(1,))
        (events,) = kiosk.store.db.execute_sql("SELECT COUNT(*) FROM report_event").fetchone()
        kiosk.store.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        kiosk.close()
    return count, events


def kiosk_copy(template: Path, folder: Path, server_url: str) -> Path:
    import tomlkit

    shutil.copytree(template, folder)
    config = folder / "kiosk.toml"
    document = tomlkit.parse(config.read_text(encoding="utf-8"))
    document["sync"]["server_url"] = server_url
    config.write_text(tomlkit.dumps(document), encoding="utf-8")
    return folder


# -- anchors ----------------------------------------------------------------------------------------------------------

def sample_rows(template: Path, batch_size: int) -> list[tuple[str, str]]:
    from kiosk.storage.encrypt import connect
    from kiosk.storage.key import KeyringKeys
    from kiosk.sync.protocol import canonical_json

    db = connect(template / "kiosk.sqlite3", KeyringKeys().current())  # the key the template was made under
    try:
        rows = db.execute("SELECT tracking_number, data FROM report ORDER BY id LIMIT ?", (batch_size,)).fetchall()
    finally:
        db.close()
    return [(tracking, canonical_json(json.loads(data)).decode()) for tracking, data in rows]


def sqlite_batch_anchor(folder: Path, rows: list[tuple[str, str]], repeats: int) -> list[float]:
    """Seconds to INSERT one batch of report rows and commit, in a scratch WAL file with synchronous=FULL."""
    db = sqlite3.connect(folder / "anchor.sqlite3", isolation_level=None)
    db.execute("PRAGMA journal_mode=wal")
    db.execute("PRAGMA synchronous=full")
    db.execute("CREATE TABLE scratch (id INTEGER PRIMARY KEY, tracking_number TEXT UNIQUE, body TEXT)")
    samples = []
    for run in range(repeats):
        batch = [(f"{tracking}#{run}", body) for tracking, body in rows]
        start = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.executemany("INSERT INTO scratch (tracking_number, body) VALUES (?, ?)", batch)
        db.execute("COMMIT")
        samples.append(time.perf_counter() - start)
    db.close()
    return samples


def postgres_batch_anchor(db_url: str, rows: list[tuple[str, str]], repeats: int) -> list[float]:
    """The same on PostgreSQL: one connection, one transaction per batch (the server's database, a scratch table)."""
    import psycopg

    samples = []
    with psycopg.connect(db_url) as conn:
        conn.execute("CREATE TABLE bench_scratch (id BIGSERIAL PRIMARY KEY, tracking_number TEXT UNIQUE, body TEXT)")
        conn.commit()
        for run in range(repeats):
            batch = [(f"{tracking}#{run}", body) for tracking, body in rows]
            start = time.perf_counter()
            with conn.cursor() as cursor:
                cursor.executemany("INSERT INTO bench_scratch (tracking_number, body) VALUES (%s, %s)", batch)
            conn.commit()
            samples.append(time.perf_counter() - start)
        conn.execute("DROP TABLE bench_scratch")
        conn.commit()
    return samples


def health_anchor(url: str, repeats: int) -> list[float]:
    samples = []
    with httpx.Client(base_url=url, timeout=10) as client:
        for _ in range(20):
            client.get("/api/v1/health")
        for _ in range(repeats):
            start = time.perf_counter()
            client.get("/api/v1/health").raise_for_status()
            samples.append(time.perf_counter() - start)
    return samples


def bare_anchor(bodies: list[tuple[str, bytes]]) -> tuple[list[float], list[float], float]:
    """Seconds of each push's round trip when the same bodies, in the same order, go to a bare FastAPI endpoint (one
    ``def`` that parses the JSON body into a dict and answers ``{}``: ``benchmarks/fleet.py --bare-port``) in a uvicorn
    subprocess, over one kept-alive connection; (report pushes, event pushes, the bare server's CPU seconds)."""
    from server_support import free_port

    port = free_port()
    process = subprocess.Popen([sys.executable, str(ROOT / "benchmarks" / "fleet.py"), "--bare-port", str(port)],
                               cwd=ROOT, stdin=subprocess.DEVNULL)
    reports: list[float] = []
    events: list[float] = []
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30,
                          headers={"Content-Type": "application/json"}) as client:
            deadline = time.monotonic() + 20
            while True:
                try:
                    client.get("/api/v1/health").raise_for_status()
                    break
                except httpx.HTTPError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
            cpu_before = cpu_seconds(process.pid)
            for path, body in bodies:
                start = time.perf_counter()
                client.post(path, content=body).raise_for_status()
                (reports if path.endswith("/reports") else events).append(time.perf_counter() - start)
            cpu = cpu_seconds(process.pid) - cpu_before
    finally:
        process.terminate()
        process.wait(10)
    return reports, events, cpu


def postmaster_pid() -> int | None:
    """The PostgreSQL postmaster of scripts/start-postgres.sh's cluster, when this process can see it."""
    port = os.environ.get("P2C_POSTGRES_PORT", "54329")
    pid_file = Path(os.environ.get("P2C_POSTGRES_DIR", f"/tmp/p2c-postgres-{port}")) / "data" / "postmaster.pid"
    try:
        return int(pid_file.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


# -- one run ----------------------------------------------------------------------------------------------------------

def one_run(kind: str, template: Path, folder: Path, reports: int, events: int,
            profile: Path | None = None, steps: bool = False) -> tuple[RunFigures, dict]:
    from server_support import ServerProcess, add_kiosk, drop_database, fresh_database_url, server_reports

    from kiosk.clock import SystemClock
    from kiosk.home import open_kiosk
    from kiosk.sync.engine import SyncEngine

    folder.mkdir()
    db_url = fresh_database_url(kind, folder)
    token = add_kiosk(db_url, "Bench", 1)
    anchors: dict[str, list[float]] = {}
    try:
        with ServerProcess(db_url) as server:
            anchors["health"] = health_anchor(server.url, 200)
            kiosk = open_kiosk(kiosk_copy(template, folder / "kiosk", server.url), SystemClock())
            # The template's approvals were numbered while standalone: the department imports those numbers first
            # (p2c-kiosk sync export-numbers, p2c-server import-numbers), or the server refuses them.
            from sync_support import import_standalone_numbers

            import_standalone_numbers(kiosk, db_url)
            transport = TimingTransport()
            engine = SyncEngine(kiosk.store, kiosk.config, kiosk.clock, token=token, outbox=kiosk.outbox,
                                audit=kiosk.audit, transport=transport)
            assert server.pid is not None
            postmaster = postmaster_pid() if kind == "postgres" else None
            server_before = cpu_seconds(server.pid)
            pg_before = cpu_seconds(postmaster, children=True) if postmaster else 0.0
            kiosk_before = time.process_time()
            start = time.perf_counter()
            result = engine.run_once(force=True)
            wall = time.perf_counter() - start
            kiosk_cpu = time.process_time() - kiosk_before
            server_cpu = cpu_seconds(server.pid) - server_before
            kiosk.close()
        # The server has stopped: its database connections are closed, so their backends have exited and the
        # postmaster has collected their CPU time.
        time.sleep(0.3)
        postgres_cpu = cpu_seconds(postmaster, children=True) - pg_before if postmaster else None
        if result.error or result.reports_pushed != reports or result.events_pushed != events:
            raise SystemExit(f"the run did not push everything: {result}")
        if len(server_reports(db_url)) != reports:
            raise SystemExit("the server does not hold every report")
        report_pushes = [r for r in transport.requests if r[0].endswith("/reports")]
        event_pushes = [r for r in transport.requests if r[0].endswith("/events")]
        pulls = [r for r in transport.requests if r[0].endswith("/decisions")]
        report_phase = event_pushes[0][2] - report_pushes[0][2]
        event_phase = (pulls[0][2] if pulls else start + wall) - event_pushes[0][2]
        figures = RunFigures(reports, events, wall, report_phase, event_phase, server_cpu, postgres_cpu, kiosk_cpu,
                             [r[3] for r in report_pushes], [r[3] for r in event_pushes],
                             *bare_anchor(transport.bodies))
        if profile is not None:
            profile_pushes(transport.bodies, kind, folder, profile)
        if steps:
            time_steps(transport.bodies, kind, folder, reports, (sum(figures.report_batches),
                                                                  sum(figures.event_batches)))
        if kind == "sqlite":
            anchors["batch"] = sqlite_batch_anchor(folder, sample_rows(template, report_pushes[0][1]), 50)
        else:
            anchors["batch"] = postgres_batch_anchor(db_url, sample_rows(template, report_pushes[0][1]), 50)
        return figures, anchors
    finally:
        drop_database(db_url)


def profile_pushes(bodies: list[tuple[str, bytes]], kind: str, folder: Path, out: Path) -> None:
    """Where a push's CPU goes: the same bodies, parsed by the server's schemas and pushed by its push functions
    in this process (a fresh database of the same kind), under cProfile; the statistics go to ``out`` and the top
    of them to stdout. (cProfile of the server process itself would miss the endpoints: they run on its thread
    pool.) The HTTP layer is what the bare anchor measures."""
    import cProfile
    import pstats

    from server_support import add_kiosk, drop_database, fresh_database_url, import_numbers

    from server.db import open_database
    from server.kiosks import kiosk_for_token
    from server.push_events import push_events
    from server.push_reports import push_reports
    from server.schemas import EventsPush, ReportsPush
    from server.settings import load_department_config

    db_url = fresh_database_url(kind, folder)
    token = add_kiosk(db_url, "Profile", 1)
    # As in the run: the official numbers the template's approvals brought from standalone days are imported first.
    import_numbers(db_url, 1, [(event["tracking_number"], event["official_number"]) for path, body in bodies
                               if path.endswith("/events") for event in json.loads(body)["events"]
                               if event.get("official_number")])
    database = open_database(db_url)
    config = load_department_config(None)
    try:
        with database.db.connection_context():
            kiosk = kiosk_for_token(database, token)
        assert kiosk is not None
        profiler = cProfile.Profile()
        profiler.enable()
        for path, body in bodies:
            if path.endswith("/reports"):
                push_reports(database, config, kiosk, ReportsPush.model_validate_json(body).reports)
            else:
                push_events(database, config, kiosk, EventsPush.model_validate_json(body).events)
        profiler.disable()
        profiler.dump_stats(out)
        print(f"\n== {kind}: the pushes in-process under cProfile ({out}) ==")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    finally:
        database.close()
        drop_database(db_url)


class StepClock:
    """Seconds spent in each named step, summed over the pushes (``wrap`` times a module's function in place)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._undo: list[tuple[object, str, object]] = []

    def add(self, step: str, seconds: float) -> None:
        self.seconds[step] = self.seconds.get(step, 0.0) + seconds

    def wrap(self, module: object, name: str, step: str) -> None:
        original = getattr(module, name)

        def timed(*args: object, **kwargs: object) -> object:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.add(step, time.perf_counter() - start)

        self._undo.append((module, name, original))
        setattr(module, name, timed)

    def wrap_transaction(self, module: object, name: str, enter: str, leave: str) -> None:
        """Time a context manager's entry (BEGIN and the lock) and exit (COMMIT) apart."""
        from contextlib import contextmanager

        original = getattr(module, name)

        @contextmanager
        def timed(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]  # a benchmark's stand-in
            manager = original(*args, **kwargs)
            start = time.perf_counter()
            manager.__enter__()
            self.add(enter, time.perf_counter() - start)
            try:
                yield
            except BaseException as exc:
                if not manager.__exit__(type(exc), exc, exc.__traceback__):
                    raise
            else:
                start = time.perf_counter()
                manager.__exit__(None, None, None)
                self.add(leave, time.perf_counter() - start)

        self._undo.append((module, name, original))
        setattr(module, name, timed)

    def restore(self) -> None:
        for module, name, original in reversed(self._undo):
            setattr(module, name, original)
        self._undo.clear()


def time_steps(bodies: list[tuple[str, bytes]], kind: str, folder: Path, reports: int,
               round_trips: tuple[float, float], repeats: int = 3) -> None:
    """The server's time per report for each step of a push, unprofiled: the same bodies parsed and pushed in this
    process (the server's schemas and push functions, a fresh database each round), each step timed with
    ``perf_counter`` around the server's own functions. Printed in µs per report (reports and their events), the
    median of ``repeats`` rounds, beside the pushes' round trips measured over HTTP (``round_trips``: the sums of
    the report and the event pushes' round trips of the run, seconds)."""
    from server_support import add_kiosk, drop_database, fresh_database_url, import_numbers

    import server.push_events as events_module
    import server.push_reports as reports_module
    import server.refusals as refusals_module
    from server.db import open_database
    from server.kiosks import kiosk_for_token
    from server.schemas import EventsAnswer, EventsPush, ReportsAnswer, ReportsPush
    from server.settings import load_department_config

    numbers = [(event["tracking_number"], event["official_number"]) for path, body in bodies
               if path.endswith("/events") for event in json.loads(body)["events"] if event.get("official_number")]
    config = load_department_config(None)
    rounds: list[dict[str, float]] = []
    for _ in range(repeats):
        db_url = fresh_database_url(kind, folder)
        token = add_kiosk(db_url, "Steps", 1)
        import_numbers(db_url, 1, numbers)
        database = open_database(db_url)
        clock = StepClock()
        try:
            with database.db.connection_context():
                kiosk = kiosk_for_token(database, token)
            assert kiosk is not None
            clock.wrap(reports_module, "_check", "reports: checks (canonical JSON, storable, SHA-256)")
            clock.wrap(reports_module, "select_in", "reports: stored hashes read (before + under the lock)")
            clock.wrap(reports_module, "_validate", "reports: kiosk.rules.validate_report")
            clock.wrap(reports_module, "_store", "reports: write section (hashes read again, INSERT)")
            clock.wrap_transaction(refusals_module, "write_transaction", "both: BEGIN + write lock", "both: COMMIT")
            clock.wrap(events_module, "_check", "events: checks without the database")
            clock.wrap(events_module, "content_hash", "events: body hash")
            clock.wrap(events_module, "_apply", "events: write section (reads, apply, INSERT, UPDATE)")
            for path, body in bodies:
                is_reports = path.endswith("/reports")
                prefix = "reports" if is_reports else "events"
                start = time.perf_counter()
                parsed = json.loads(body)
                middle = time.perf_counter()
                clock.add(f"{prefix}: JSON parse (as FastAPI: request.json())", middle - start)
                if is_reports:
                    push = ReportsPush.model_validate(parsed)
                    clock.add("reports: pydantic (ReportsPush from the dict)", time.perf_counter() - middle)
                    start = time.perf_counter()
                    answer: ReportsAnswer | EventsAnswer = ReportsAnswer(
                        results=reports_module.push_reports(database, config, kiosk, push.reports))
                    clock.add("reports: push_reports in all", time.perf_counter() - start)
                else:
                    events_push = EventsPush.model_validate(parsed)
                    clock.add("events: pydantic (EventsPush from the dict)", time.perf_counter() - middle)
                    start = time.perf_counter()
                    answer = EventsAnswer(
                        results=events_module.push_events(database, config, kiosk, events_push.events))
                    clock.add("events: push_events in all", time.perf_counter() - start)
                start = time.perf_counter()
                answer.model_dump_json()
                clock.add(f"{prefix}: answer to JSON", time.perf_counter() - start)
        finally:
            clock.restore()
            database.close()
            drop_database(db_url)
        rounds.append(clock.seconds)
    print(f"\n== {kind}: where a push's time goes, µs per report ({reports:,} reports and their events; "
          f"median [range] of {repeats} rounds in-process) ==")
    for step in rounds[0]:
        values = [r.get(step, 0.0) / reports * 1e6 for r in rounds]
        print(f"  {step:<66}{statistics.median(values):>8.1f}  [{min(values):.1f}–{max(values):.1f}]")
    report_trips, event_trips = round_trips
    print(f"  {'over HTTP in the run: report pushes round trips':<66}{report_trips / reports * 1e6:>8.1f}")
    print(f"  {'over HTTP in the run: event pushes round trips':<66}{event_trips / reports * 1e6:>8.1f}")


# -- the report -------------------------------------------------------------------------------------------------------

def describe(kind: str, runs: list[RunFigures], anchors: dict[str, list[float]], batch_size: int) -> None:
    reports = runs[0].reports
    end_to_end = [r.reports / r.wall for r in runs]
    report_rate = [r.reports / r.report_phase for r in runs]
    event_rate = [r.events / r.event_phase for r in runs]
    report_batches = [s for r in runs for s in r.report_batches]
    event_batches = [s for r in runs for s in r.event_batches]
    health = statistics.median(anchors["health"])
    batch_anchor = statistics.median(anchors["batch"])
    print(f"\n== {kind}: {reports:,} reports and {runs[0].events:,} events, batches of {batch_size}, "
          f"{len(runs)} run(s) ==")
    print(f"{'figure':<52}{'median':>12}{'p95':>12}")
    print(f"{'reports/s end to end (reports + their events)':<52}{statistics.median(end_to_end):>12.0f}"
          f"{min(end_to_end):>12.0f}   (p95 = slowest run)")
    print(f"{'reports/s, report phase':<52}{statistics.median(report_rate):>12.0f}{min(report_rate):>12.0f}")
    print(f"{'events/s, event phase':<52}{statistics.median(event_rate):>12.0f}{min(event_rate):>12.0f}")
    print(f"{'wall time of the run, s':<52}{statistics.median(r.wall for r in runs):>12.2f}"
          f"{max(r.wall for r in runs):>12.2f}")
    print(f"{'report push round trip, ms (per batch)':<52}{statistics.median(report_batches) * 1000:>12.1f}"
          f"{p95(report_batches) * 1000:>12.1f}")
    print(f"{'event push round trip, ms (per batch)':<52}{statistics.median(event_batches) * 1000:>12.1f}"
          f"{p95(event_batches) * 1000:>12.1f}")
    print(f"{'anchor: /api/v1/health round trip, ms':<52}{health * 1000:>12.3f}{p95(anchors['health']) * 1000:>12.3f}")
    print(f"{'anchor: bare commit of one batch of reports, ms':<52}{batch_anchor * 1000:>12.2f}"
          f"{p95(anchors['batch']) * 1000:>12.2f}")
    per_report = lambda seconds: seconds / reports * 1000  # noqa: E731
    server = [per_report(r.server_cpu) for r in runs]
    kiosk = [per_report(r.kiosk_cpu) for r in runs]
    print(f"{'server CPU per report (its events included), ms':<52}{statistics.median(server):>12.3f}"
          f"{max(server):>12.3f}")
    if runs[0].postgres_cpu is not None:
        postgres = [per_report(r.postgres_cpu or 0.0) for r in runs]
        print(f"{'PostgreSQL backends CPU per report, ms':<52}{statistics.median(postgres):>12.3f}"
              f"{max(postgres):>12.3f}")
    print(f"{'kiosk CPU per report (engine, SQLite, httpx), ms':<52}{statistics.median(kiosk):>12.3f}"
          f"{max(kiosk):>12.3f}")
    print(f"report push round trip / bare batch commit: {statistics.median(report_batches) / batch_anchor:.1f}x; "
          f"/ health round trip: {statistics.median(report_batches) / health:.0f}x")
    bare = [r.reports / (sum(r.bare_report_batches) + sum(r.bare_event_batches)) for r in runs]
    pushes = [r.reports / (sum(r.report_batches) + sum(r.event_batches)) for r in runs]
    print(f"anchor: the same bodies to a bare FastAPI endpoint: {statistics.median(bare):,.0f} reports/s "
          f"[{min(bare):,.0f}–{max(bare):,.0f}]; its push round trips, ms: reports "
          f"{statistics.median(s for r in runs for s in r.bare_report_batches) * 1000:.1f}, events "
          f"{statistics.median(s for r in runs for s in r.bare_event_batches) * 1000:.1f}")
    # CPU is what the machine's other work disturbs least: the bare endpoint's per report against the server's (and,
    # on PostgreSQL, its backends').
    cpu_ratios = [r.bare_cpu / (r.server_cpu + (r.postgres_cpu or 0.0)) for r in runs]
    print(f"bare endpoint CPU per report, ms: {statistics.median(per_report(r.bare_cpu) for r in runs):.3f}; "
          f"CPU ratio (bare / server{' + PostgreSQL' if runs[0].postgres_cpu is not None else ''}): "
          f"{statistics.median(cpu_ratios):.3f} [{min(cpu_ratios):.3f}–{max(cpu_ratios):.3f}]")
    ratios = [e / b for e, b in zip(end_to_end, bare, strict=True)]
    server_ratios = [p / b for p, b in zip(pushes, bare, strict=True)]
    print(f"ratio to the bare endpoint, end to end (the kiosk's part included): {statistics.median(ratios):.3f} "
          f"[{min(ratios):.3f}–{max(ratios):.3f}]; the pushes' round trips alone: "
          f"{statistics.median(server_ratios):.3f} [{min(server_ratios):.3f}–{max(server_ratios):.3f}]"
          f" (goal: at least {GOAL_RATIO})")
    verdict = "met" if statistics.median(end_to_end) >= GOAL_PER_SECOND else "NOT met"
    print(f"goal: at least {GOAL_PER_SECOND:,.0f} reports/s end to end: {verdict}")


def postgres_url() -> tuple[str | None, str]:
    url = os.environ.get(POSTGRES_ENV)
    if url:
        return url, f"{POSTGRES_ENV} is set"
    try:
        found = subprocess.run(["bash", str(ROOT / "scripts" / "start-postgres.sh")], capture_output=True, text=True,
                               timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"scripts/start-postgres.sh could not run ({exc})"
    url = found.stdout.strip()
    return (url or None), (found.stderr.strip() or "scripts/start-postgres.sh gave no URL")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=100, help="reports or events per push (1–200)")
    parser.add_argument("--databases", default="sqlite,postgres", help="comma-separated: sqlite, postgres")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--profile", type=Path, default=None,
                        help="after the first run, push the same bodies in-process under cProfile; stats to this file")
    parser.add_argument("--steps", action="store_true",
                        help="after the first run, time each step of the pushes in-process (µs per report)")
    args = parser.parse_args(argv)
    kinds = [kind.strip() for kind in args.databases.split(",") if kind.strip()]
    if "postgres" in kinds:
        url, why = postgres_url()
        if url:
            os.environ[POSTGRES_ENV] = url
        else:
            print(f"PostgreSQL: skipped ({why})")
            kinds.remove("postgres")
    folder = Path(tempfile.mkdtemp(prefix="p2c-bench-sync-"))
    try:
        started = time.perf_counter()
        reports, events = make_template(folder / "template", args.reports, args.seed, args.batch_size)
        print(f"template kiosk: {reports:,} reports, {events:,} events, filled in "
              f"{time.perf_counter() - started:.1f} s; Python {sys.version.split()[0]}, "
              f"SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs")
        for kind in kinds:
            runs, anchors = [], {"health": [], "batch": []}
            for index in range(args.runs):
                profile = args.profile.with_suffix(f".{kind}.prof") if args.profile and index == 0 else None
                figures, measured = one_run(kind, folder / "template", folder / f"{kind}-{index}", reports, events,
                                            profile, args.steps and index == 0)
                runs.append(figures)
                for key, samples in measured.items():
                    anchors[key] += samples
                print(f"{kind} run {index + 1}: {figures.wall:.2f} s, {reports / figures.wall:.0f} reports/s",
                      flush=True)
            describe(kind, runs, anchors, args.batch_size)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
