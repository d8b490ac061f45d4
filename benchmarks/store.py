"""Store benchmark: submit, look-up and first-page listing on a kiosk database holding 100,000 reports.

Run with ``.venv/bin/python benchmarks/store.py [--reports 100000] [--runs 300] [--keep DIR]`` (``make bench``).
It prints figures, not pass/fail: every timing sits beside an anchor measured in the same run on the same file
system (one bare ``synchronous=FULL`` WAL commit, encrypted like the store), because a shared or virtual machine can
be twice as fast or as slow from one hour to the next, and the ratio to the anchor moves much less than the
milliseconds do.

Steps:
1. fill a fresh store to N reports with ``insert_many`` (rows shaped exactly as ``ReportService.submit`` writes
   them, one ``report_event`` each), checking a sample of the stored documents against the report rules;
2. the anchors and ``ReportService.submit`` measured interleaved (one of each per run), so that a slow spell of
   the disk hits all: a bare commit into an encrypted scratch file (SQLCipher, the store's library and key: the
   anchor the ratio is taken against, since the store is encrypted) and, for reference, into a plaintext one;
3. ``ReportService.get`` on random existing tracking numbers;
4. the first page of ``ReportService.list_reports`` for each status and unfiltered;
5. the query plans of the statements those calls really issue (captured, then ``EXPLAIN QUERY PLAN``).
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import peewee as pw

from kiosk.access_codes import ALPHABET, LENGTH, hash_access_code
from kiosk.clock import SystemClock
from kiosk.config import Config, config_from_mapping
from kiosk.home import DATABASE_FILE_NAME
from kiosk.reports import PAGE_SIZE, ReportService, location_summary
from kiosk.rules import validate_report
from kiosk.storage.database import Store, open_store
from kiosk.storage.encrypt import connect
from kiosk.storage.key import StorageKey
from kiosk.storage.models import STATUSES
from kiosk.tracking import TrackingNumber

BATCH = 1_000
SPREAD = timedelta(days=365)
# Roughly what a year of a lobby kiosk's reports looks like once officers have worked through them.
STATUS_WEIGHTS = {"submitted": 12, "in_review": 8, "needs_info": 5, "approved": 60, "rejected": 15}
CHECKED_ROWS = 200  # stored documents re-validated after the fill

# Goals (judged on the median; p95 is shown beside it).
SUBMIT_MAX_ANCHORS = 3.0  # issue 19 (was 5)
LOOKUP_MAX_MS = 2.0
FIRST_PAGE_MAX_MS = 20.0

# -- a valid report (the larceny sample's content, with names, addresses and times varied) -------------------------

FIRST_NAMES = ("Dana", "Luis", "Keisha", "Tomasz", "Priya", "Marcus", "Aaliyah", "Connor", "Mei", "Rosa", "Jamal",
               "Ingrid", "Sean", "Fatima", "Gabriel", "Nadia")
LAST_NAMES = ("Whitfield", "Ortiz", "Brown", "Kowalski", "Raman", "O'Neil", "Nguyen", "Santos", "Fitzgerald",
              "Haddad", "Morales", "Lindqvist", "Washington", "Kim", "Ferreira", "Ali-Hassan")
# (street, ZIP) inside Hartford.
STREETS = (("Farmington Ave", "06105"), ("Park St", "06106"), ("Wethersfield Ave", "06114"), ("Albany Ave", "06112"),
           ("Main St", "06103"), ("New Britain Ave", "06106"), ("Franklin Ave", "06114"), ("Asylum Ave", "06105"))
BIKES = (("Bicycle, blue hybrid", "Trek", "FX 2", "650.00"), ("Bicycle, black road bike", "Specialized", "Allez",
         "1100.00"), ("Bicycle, red commuter", "Giant", "Escape 3", "520.00"), ("Bicycle, green city bike",
         "Cannondale", "Treadwell", "780.00"))
ITEM_TEXT = ("disposition", "description", "brand", "model", "serial_number", "institution", "account_last4")
NARRATIVE = (
    "I locked my bicycle to the rack behind my building around {evening} pm. When I came down at {morning} am the "
    "lock had been cut and the bicycle was gone. Nobody saw anything and there is no camera on that side of the "
    "building. The rack is next to the dumpsters and can only be reached from the alley, which has no gate. The "
    "building manager says two other bicycles went missing from the same rack last month, but neither was "
    "reported. I have the receipt for the bicycle and a photo of it at home, and I kept the cut lock."
)


def raw_report(rng: random.Random, submitted: datetime, zone: Any) -> dict[str, Any]:
    """A report as the wizard sends it, describing an incident in the days before ``submitted``."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    street, zip_code = rng.choice(STREETS)
    line1 = f"{rng.randint(1, 999)} {street}"
    born = date(1940, 1, 1) + timedelta(days=rng.randint(0, 23_000))  # 1940 to 2002
    evening = rng.randint(8, 11)
    start = (submitted.astimezone(zone) - timedelta(days=rng.randint(2, 9))).replace(
        hour=evening + 12, minute=rng.choice((0, 15, 30, 45)), second=0, microsecond=0)
    end = (start + timedelta(hours=rng.randint(7, 10))).replace(minute=rng.choice((0, 10, 20, 30, 40, 50)))
    description, brand, model, value = rng.choice(BIKES)
    return {
        "format": "p2c-report/1",
        "category": "larceny",
        "language": "en",
        "screening": {"emergency": False, "in_city": True, "suspect_or_evidence": False},
        "reporter": {
            "first_name": first,
            "last_name": last,
            "date_of_birth": born.isoformat(),
            "address": {"line1": line1, "line2": f"Apt {rng.randint(1, 12)}", "city": "Hartford", "state": "CT",
                        "zip": zip_code},
            "phone": f"(860) 555-01{rng.randint(0, 99):02d}",
            "email": f"{first}.{last}@example.org".lower().replace("'", ""),
            "contact_preference": rng.choice(("email", "phone")),
        },
        "incident": {
            "occurred_from": start.isoformat(),
            "occurred_to": end.isoformat(),
            "location": {"line1": line1, "line2": "", "city": "Hartford", "state": "CT", "zip": zip_code,
                         "place_type": "residence"},
            "narrative": NARRATIVE.format(evening=evening, morning=f"{end.hour}:{end.minute:02d}"),
        },
        "items": [
            {"disposition": "stolen", "description": description, "brand": brand, "model": model,
             "serial_number": f"WTU{rng.randint(100, 999)}C{rng.randint(1000, 9999)}D", "quantity": 1,
             "value": value},
            {"disposition": "damaged", "description": "Cable lock, cut", "brand": "Kryptonite", "model": "",
             "serial_number": "", "quantity": 1, "value": "35.00"},
        ],
        "attested": True,
    }


def normalised(raw: dict[str, Any]) -> dict[str, Any]:
    """What the report rules turn :func:`raw_report`'s output into (checked on a sample after the fill): the phone
    number in E.164 and every item field present. Building it directly keeps the fill fast."""
    reporter = dict(raw["reporter"])
    reporter["phone"] = "+1" + "".join(ch for ch in reporter["phone"] if ch.isdigit())
    items = [
        {key: item.get(key, "") for key in ITEM_TEXT} | {"quantity": item["quantity"], "value": item["value"]}
        for item in raw["items"]
    ]
    return {**raw, "reporter": reporter, "items": items}


# -- measuring ------------------------------------------------------------------------------------------------------


def p95(samples: list[float]) -> float:
    """The 95th percentile, nearest rank."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f}"


def series(operation: Callable[[], object], runs: int, warmup: int) -> list[float]:
    """Time ``operation`` ``runs`` times after ``warmup`` untimed calls. The collector stays on, as in the kiosk,
    but starts each series empty."""
    for _ in range(warmup):
        operation()
    gc.collect()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        operation()
        samples.append(time.perf_counter() - start)
    return samples


class Anchor:
    """One small INSERT and one commit into a scratch SQLite file, WAL and ``synchronous=FULL`` like the store:
    encrypted under ``key`` with the store's own library (SQLCipher, sqlcipher3), or, with no key, plaintext through
    the standard library's sqlite3 (the anchor of the figures before the store was encrypted)."""

    def __init__(self, path: Path, key: StorageKey | None = None) -> None:
        self._db: Any = sqlite3.connect(path, isolation_level=None) if key is None else connect(path, key)
        self._db.execute("PRAGMA journal_mode=wal")
        self._db.execute("PRAGMA synchronous=full")
        self._db.execute("CREATE TABLE scratch (id INTEGER PRIMARY KEY, at TEXT NOT NULL, note TEXT NOT NULL)")

    def commit_once(self) -> None:
        self._db.execute("BEGIN")
        self._db.execute("INSERT INTO scratch (at, note) VALUES (?, ?)", (datetime.now(UTC).isoformat(), "anchor"))
        self._db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()


# -- filling --------------------------------------------------------------------------------------------------------


def fill(store: Store, config: Config, count: int, now: datetime, rng: random.Random) -> tuple[list[str], float]:
    """Insert ``count`` reports submitted over the year before ``now``; return their tracking numbers and the
    seconds spent in ``insert_many`` and the commits (the rest is building the rows)."""
    Report, ReportEvent = store.models.Report, store.models.ReportEvent
    zone, kiosk = config.kiosk.zone, config.kiosk.number
    oldest = now - SPREAD
    span_us = int(SPREAD.total_seconds() * 1_000_000)
    moments = sorted(oldest + timedelta(microseconds=rng.randrange(span_us)) for _ in range(count))
    statuses = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()), k=count)
    report_fields = [Report.id, Report.tracking_number, Report.kiosk_number, Report.year, Report.sequence,
                     Report.category, Report.language, Report.status, Report.submitted_at, Report.access_code_hash,
                     Report.location_summary, Report.data]
    event_fields = [ReportEvent.report, ReportEvent.at, ReportEvent.actor, ReportEvent.action, ReportEvent.status]
    sequences: Counter[int] = Counter()
    numbers: list[str] = []
    inserting = 0.0
    for first in range(0, count, BATCH):
        reports, events = [], []
        for index in range(first, min(first + BATCH, count)):
            moment = moments[index]
            year = moment.astimezone(zone).year % 100  # as submit: the kiosk's local year
            sequences[year] += 1
            tracking = str(TrackingNumber(year, kiosk, sequences[year]))
            numbers.append(tracking)
            report = normalised(raw_report(rng, moment, zone))
            row_id = index + 1
            reports.append((row_id, tracking, kiosk, year, sequences[year], report["category"], report["language"],
                            statuses[index], moment, access_hash(rng),
                            location_summary(report["incident"]["location"]),
                            json.dumps(report, ensure_ascii=False, separators=(",", ":"))))
            events.append((row_id, moment, "citizen", "submitted", "submitted"))
        started = time.perf_counter()
        with store.db.atomic():
            Report.insert_many(reports, fields=report_fields).execute()
            ReportEvent.insert_many(events, fields=event_fields).execute()
        inserting += time.perf_counter() - started
    return numbers, inserting


def access_hash(rng: random.Random) -> str:
    """A stored access-code hash as submit makes it (the code itself drawn from the seeded generator: faster than
    ``secrets``, and nobody needs these codes)."""
    code = "".join(rng.choices(ALPHABET, k=LENGTH))
    return hash_access_code(f"{code[:4]}-{code[4:]}")


def check_sample(store: Store, config: Config, rng: random.Random, count: int) -> None:
    """Re-validate stored documents: each must pass the rules and come out unchanged, as submit would store it."""
    Report = store.models.Report
    ids = rng.sample(range(1, count + 1), min(CHECKED_ROWS, count))
    for row in Report.select(Report.data, Report.submitted_at).where(Report.id.in_(ids)):
        stored = json.loads(row.data)
        validation = validate_report(stored, config, row.submitted_at)
        if not validation.ok or validation.report != stored:
            sys.exit(f"benchmark bug: a filled row is not what submit would store: {validation.problems}")


# -- query plans ----------------------------------------------------------------------------------------------------


@contextmanager
def captured(db: pw.Database) -> Iterator[list[tuple[str, Any]]]:
    """The SQL statements ``db`` runs inside the block."""
    statements: list[tuple[str, Any]] = []
    original = db.execute_sql

    def recording(sql: str, params: Any = None) -> Any:
        statements.append((sql, params))
        return original(sql, params)

    db.execute_sql = recording  # type: ignore[method-assign]
    try:
        yield statements
    finally:
        del db.execute_sql  # back to the class's method


def query_plans(store: Store, service: ReportService, submit_data: dict, number: str) -> list[str]:
    lines = []
    calls: list[tuple[str, Callable[[], object]]] = [
        ("submit", lambda: service.submit(submit_data)),
        ("get", lambda: service.get(number)),
        ("list_reports(status='needs_info')", lambda: service.list_reports(status="needs_info")),
        ("list_reports()", lambda: service.list_reports()),
    ]
    for label, call in calls:
        with captured(store.db) as statements:
            call()
        for sql, params in statements:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            plan = store.db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
            details = "; ".join(row[-1] for row in plan)
            lines.append(f"{label}: {sql}")
            lines.append(f"    plan: {details}")
            if label.startswith("list_reports"):
                sorted_by_index = "TEMP B-TREE" not in details
                index = "report_status_submitted" if "status" in label else "report_submitted"
                verdict = "uses " + index if index in details else "does NOT use " + index
                lines.append(f"    -> {verdict}; {'no' if sorted_by_index else 'a'} temp B-tree for ORDER BY")
    return lines


# -- the run --------------------------------------------------------------------------------------------------------


def machine_info(folder: Path) -> list[str]:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    fs = "?"
    try:
        best = ""
        resolved = str(folder.resolve())
        for line in Path("/proc/mounts").read_text().splitlines():
            _dev, mount, kind = line.split()[:3]
            if (resolved == mount or resolved.startswith(mount.rstrip("/") + "/")) and len(mount) >= len(best):
                best, fs = mount, f"{kind} on {mount}"
    except OSError:
        pass
    return [
        f"date        {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"python      {platform.python_version()} ({platform.python_implementation()})",
        f"sqlite      {sqlite3.sqlite_version} (peewee {pw.__version__})",
        f"cpus        {os.cpu_count()} x {cpu}",
        f"system      {platform.platform()}",
        f"folder      {folder} ({fs})",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--reports", type=int, default=100_000, help="reports in the database (default 100000)")
    parser.add_argument("--runs", type=int, default=300, help="timed runs per operation (default 300)")
    parser.add_argument("--keep", metavar="DIR", type=Path,
                        help="work in DIR (new or empty) and keep the database there afterwards")
    parser.add_argument("--seed", type=int, default=2026, help="random seed for the filled data (default 2026)")
    args = parser.parse_args(argv)
    if args.reports < 1 or args.runs < 20:
        parser.error("--reports must be at least 1 and --runs at least 20")

    if args.keep:
        folder = args.keep.resolve()
        folder.mkdir(parents=True, exist_ok=True)
        if any(folder.iterdir()):
            parser.error(f"--keep {folder}: the folder must be new or empty")
    else:
        folder = Path(tempfile.mkdtemp(prefix="p2c-bench-store-"))
    try:
        run(folder, args.reports, args.runs, args.seed)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


def run(folder: Path, count: int, runs: int, seed: int) -> None:
    rng = random.Random(seed)
    config = config_from_mapping({})
    clock = SystemClock()
    warmup = max(5, runs // 10)
    print("P2C store benchmark")
    for line in machine_info(folder):
        print("  " + line)
    print(f"  reports     {count:,}; {runs} timed runs per operation after {warmup} warm-up runs\n")

    # 1. Fill.
    path = folder / DATABASE_FILE_NAME
    key = StorageKey.generate()  # encrypted, as on a kiosk (docs/encryption.md); given here, not from a keyring
    store = open_store(path, key=key)
    started = time.perf_counter()
    numbers, inserting = fill(store, config, count, clock.now(), rng)
    filled = time.perf_counter() - started
    check_sample(store, config, rng, count)
    store.close()
    size = sum(p.stat().st_size for p in folder.glob(DATABASE_FILE_NAME + "*"))
    reader = connect(path, key)
    statuses = dict(reader.execute("SELECT status, COUNT(*) FROM report GROUP BY status").fetchall())
    data_size = reader.execute("SELECT AVG(LENGTH(CAST(data AS BLOB))) FROM report").fetchone()[0]
    reader.close()
    print(f"fill        {count:,} reports + {count:,} events in {filled:.1f} s "
          f"({count / filled:,.0f} reports/s); {inserting:.1f} s of it in insert_many x {BATCH:,} + commit per batch, "
          f"the rest building the rows")
    print(f"            file {size / 1e6:.0f} MB, data JSON {data_size:,.0f} bytes on average")
    print(f"            statuses {statuses}; {CHECKED_ROWS} stored documents re-validated unchanged")

    started = time.perf_counter()
    store = open_store(path, key=key)  # a fresh connection, as the kiosk has after a restart
    opened = time.perf_counter() - started
    print(f"open        open_store on the filled file: {opened * 1000:.1f} ms\n")
    service = ReportService(lambda: store, config, clock)

    # 2 + 3. The anchors and submit, interleaved. The store is encrypted (SQLCipher): its anchor is a bare commit into
    # an encrypted scratch file (same library, same key); the plaintext commit is shown beside it.
    anchor = Anchor(folder / "anchor.sqlite3", key)
    plain_anchor = Anchor(folder / "anchor-plain.sqlite3")
    submissions = iter([raw_report(rng, clock.now(), config.kiosk.zone) for _ in range(runs + warmup + 2)])
    anchor_samples: list[float] = []
    plain_samples: list[float] = []
    submit_samples: list[float] = []
    submit_cpu: list[float] = []
    for index in range(runs + warmup):
        if index == warmup:
            gc.collect()
        data = next(submissions)
        start = time.perf_counter()
        anchor.commit_once()
        middle = time.perf_counter()
        plain_anchor.commit_once()
        before = time.perf_counter()
        cpu = time.process_time()
        service.submit(data)
        cpu = time.process_time() - cpu
        end = time.perf_counter()
        if index >= warmup:
            anchor_samples.append(middle - start)
            plain_samples.append(before - middle)
            submit_samples.append(end - before)
            submit_cpu.append(cpu)
    anchor.close()
    plain_anchor.close()
    validate_data = next(submissions)
    validate_samples = series(lambda: service.validate(validate_data), runs, warmup)

    # 4. Look-up of random existing reports.
    picks = iter([rng.choice(numbers) for _ in range(runs + warmup)])
    get_samples = series(lambda: service.get(next(picks)), runs, warmup)

    # 5. First pages.
    list_samples = {}
    for status in (*STATUSES, None):
        list_samples[status] = series(lambda status=status: service.list_reports(status=status), runs, warmup)

    anchor_median = statistics.median(anchor_samples)
    rows: list[tuple[str, list[float], bool]] = [
        ("anchor: bare WAL commit (synchronous=FULL), encrypted (SQLCipher)", anchor_samples, True),
        ("  bare WAL commit, plaintext (sqlite3), for reference", plain_samples, True),
        ("submit (validate + commit + tracking number)", submit_samples, True),
        ("  of which: CPU (process time)", submit_cpu, True),
        ("  of which: validate only (no store)", validate_samples, True),
        ("get by tracking number", get_samples, False),
    ]
    for status, samples in list_samples.items():
        rows.append((f"list_reports({'status=' + repr(status) if status else ''}) first {PAGE_SIZE}", samples, False))

    print("| operation | median ms | p95 ms | x anchor (median) |")
    print("| --- | ---: | ---: | ---: |")
    for label, samples, ratio in rows:
        median = statistics.median(samples)
        times = f"{median / anchor_median:.1f}" if ratio else ""
        print(f"| {label} | {ms(median)} | {ms(p95(samples))} | {times} |")

    submit_median = statistics.median(submit_samples)
    get_median = statistics.median(get_samples)
    worst_label, worst = max(((s or "unfiltered", statistics.median(v)) for s, v in list_samples.items()),
                             key=lambda pair: pair[1])
    goals = [
        (f"submit median within {SUBMIT_MAX_ANCHORS:g}x the bare encrypted commit",
         f"{submit_median / anchor_median:.1f}x", submit_median <= SUBMIT_MAX_ANCHORS * anchor_median),
        (f"look-up (get) median under {LOOKUP_MAX_MS:g} ms", f"{ms(get_median)} ms", get_median < LOOKUP_MAX_MS / 1000),
        (f"first page median under {FIRST_PAGE_MAX_MS:g} ms (slowest list: {worst_label})", f"{ms(worst)} ms",
         worst < FIRST_PAGE_MAX_MS / 1000),
    ]
    print("\nGoals (judged on the median)")
    for goal, figure, met in goals:
        print(f"  {goal}: {figure} -> {'met' if met else 'NOT met'}")

    print("\nQuery plans (the statements the calls issue, EXPLAIN QUERY PLAN)")
    for line in query_plans(store, service, next(submissions), rng.choice(numbers)):
        print("  " + line)
    store.close()


if __name__ == "__main__":
    sys.exit(main())
