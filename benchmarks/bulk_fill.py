"""A million reports in a couple of minutes: a template of realistic reports copied in SQL.

``fill_by_copy(store, count, seed)`` writes ``template`` reports with ``tests/review_support.fill_reports`` (varied
names, categories, statuses, dates, history, search keys) into a plaintext scratch file beside the store, then fills
the store with ``count`` reports by ``INSERT ... SELECT`` from that template, attached to the store's connection.

Report ``j`` of ``count`` (oldest first) is a copy of template report ``j * template // count``: the copies keep the
template's order in time, so the newest reports are mostly waiting and the older mostly decided, as in
``fill_reports``. Each copy gets its own id (in time order), submission time (uniform over ``days``), valid tracking
number (per kiosk and year, in time order), official number (approved reports, per year) and history and
``updated_at`` shifted with it; the document, name, search keys and name tokens are the template's, so a name search
finds what the row's ``reporter_name`` says. Everything goes through the schema's own triggers and indexes, inside
one transaction.

Only what the queue and the store read differs from a kiosk's real data: a document's own incident dates are the
template's, and the copies share the template's access-code hash.
"""

from __future__ import annotations

import bisect
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "tests") not in sys.path:
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # review_support and helpers live beside the tests

from helpers import NOW  # noqa: E402
from review_support import Filled, fill_reports  # noqa: E402

from kiosk.storage.database import Store, open_store  # noqa: E402
from kiosk.tracking import TrackingNumber, damm_check_digit  # noqa: E402

TEMPLATE = 10_000
# A stored time moved by the copy's offset (days, as julianday differences), back in the canonical text form
# (kiosk.storage.timestamps: microseconds and +00:00; julianday keeps milliseconds, which a history needs no finer).
_SHIFTED = "strftime('%Y-%m-%dT%H:%M:%f', julianday({col}) + p.shift) || '000+00:00'"
_SUBMITTED = "strftime('%Y-%m-%dT%H:%M:%f', p.submitted_jd) || '000+00:00'"  # a copy's submission time, as stored

_REPORT_COLUMNS = ("id, tracking_number, kiosk_number, year, sequence, category, language, status, submitted_at, "
                   "official_number, access_code_hash, location_summary, data, nibrs_code, updated_at, reporter_name, "
                   "person_key, home_address_key, location_key")


def fill_by_copy(store: Store, count: int, seed: int, *, template: int = TEMPLATE, now: datetime = NOW,
                 days: int = 1095, short_name: str = "HPD", zone_name: str = "America/New_York",
                 log: bool = False) -> Filled:
    """Write ``count`` reports (into an empty store) submitted over the ``days`` before ``now``; returns their
    tracking numbers and names, oldest first."""
    if store.path is None:
        raise ValueError("fill_by_copy needs a store in a file")
    (existing,) = store.db.execute_sql("SELECT COUNT(*) FROM report").fetchone()
    if existing:
        raise ValueError("fill_by_copy fills an empty store")
    template = max(1, min(template, count))
    started = time.perf_counter()
    scratch = store.path.with_name(store.path.stem + "-template.sqlite3")
    template_store = open_store(scratch, key=None)
    try:
        source = fill_reports(template_store, template, seed, now=now, days=days, short_name=short_name,
                              zone_name=zone_name)
        rows = template_store.db.execute_sql("SELECT id, kiosk_number, status, julianday(submitted_at) FROM report "
                                             "ORDER BY id").fetchall()
    finally:
        template_store.close()
    if log:
        print(f"    template of {template:,} reports (fill_reports): {time.perf_counter() - started:.1f} s")
    plan, filled = _plan(rows, source, count, seed, now, days, short_name, ZoneInfo(zone_name))
    if log:
        print(f"    plan of {count:,} copies: {time.perf_counter() - started:.1f} s")
    db = store.db
    try:
        db.execute_sql(f"ATTACH DATABASE '{scratch}' AS tpl KEY ''")  # plaintext: an empty key
        db.execute_sql("PRAGMA main.journal_mode = OFF")
        db.execute_sql("PRAGMA synchronous = OFF")
        db.execute_sql("PRAGMA cache_size = -400000")
        db.execute_sql("CREATE TEMP TABLE plan (id INTEGER PRIMARY KEY, template_id INTEGER NOT NULL, "
                       "tracking_number TEXT NOT NULL, kiosk_number INTEGER NOT NULL, year INTEGER NOT NULL, "
                       "sequence INTEGER NOT NULL, submitted_jd REAL NOT NULL, official_number TEXT, "
                       "shift REAL NOT NULL)")
        with db.atomic("IMMEDIATE"):
            db.cursor().executemany("INSERT INTO temp.plan VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", plan)
            del plan
            # The copies of one template report have consecutive ids, in the template's order: walking the template's
            # keys in order and each one's copies by id gives the rows in key order, appended without a sort.
            db.execute_sql("CREATE INDEX temp.plan_template ON plan (template_id, id)")
            db.execute_sql(
                f"INSERT INTO main.report ({_REPORT_COLUMNS}) SELECT p.id, p.tracking_number, p.kiosk_number, p.year, "
                f"p.sequence, t.category, t.language, t.status, {_SUBMITTED}, p.official_number, t.access_code_hash, "
                "t.location_summary, t.data, t.nibrs_code, "
                f"CASE WHEN t.updated_at IS NULL THEN NULL ELSE {_SHIFTED.format(col='t.updated_at')} END, "
                "t.reporter_name, t.person_key, t.home_address_key, t.location_key "
                "FROM temp.plan AS p JOIN tpl.report AS t ON t.id = p.template_id ORDER BY p.id")
            if log:
                print(f"    reports copied: {time.perf_counter() - started:.1f} s")
            db.execute_sql(
                "INSERT INTO main.report_event (report_id, at, actor, action, status, reason_code, message) "
                f"SELECT p.id, {_SHIFTED.format(col='e.at')}, e.actor, e.action, e.status, e.reason_code, e.message "
                "FROM temp.plan AS p JOIN tpl.report_event AS e ON e.report_id = p.template_id ORDER BY p.id, e.id")
            if log:
                print(f"    history copied: {time.perf_counter() - started:.1f} s")
            # The name tokens with their copies of the report's columns (schema v4), given here so that the trigger
            # that fills them from the report has nothing to do.
            for table, columns, values in (
                    ("report_name_token", "token, report_id, submitted_at, status, category",
                     f"n.token, p.id, {_SUBMITTED}, n.status, n.category"),
                    ("report_serial", "serial_key, report_id", "n.serial_key, p.id")):
                db.execute_sql(f"INSERT INTO main.{table} ({columns}) SELECT {values} FROM tpl.{table} AS n "
                               "CROSS JOIN temp.plan AS p ON p.template_id = n.report_id")
                if log:
                    print(f"    {table} copied: {time.perf_counter() - started:.1f} s")
            db.execute_sql(
                "INSERT INTO main.official_sequence (year, last) SELECT 2000 + year, COUNT(*) FROM temp.plan "
                "WHERE official_number IS NOT NULL GROUP BY year")
        if log:
            print(f"    history, name tokens, serials copied and committed: {time.perf_counter() - started:.1f} s")
    finally:
        db.execute_sql("DROP TABLE IF EXISTS temp.plan")
        db.execute_sql("DETACH DATABASE tpl")
        db.execute_sql("PRAGMA main.journal_mode = WAL")
        db.execute_sql("PRAGMA synchronous = FULL")
        db.execute_sql("PRAGMA cache_size = -2000")
        scratch.unlink(missing_ok=True)
    return filled


def _plan(rows: list[tuple[int, int, str, float]], source: Filled, count: int, seed: int, now: datetime, days: int,
          short_name: str, zone: ZoneInfo) -> tuple[list[tuple], Filled]:
    """One row of the temporary ``plan`` table per copy: (id, template id, tracking number, kiosk, year, sequence,
    submission time as a julian day, official number, shift in days from the template's submission)."""
    rng = random.Random(seed)
    span = days * 86400.0
    start = now - timedelta(seconds=span)
    offsets = sorted(rng.uniform(0, span - 60) for _ in range(count))
    # The local new years in the span, to give each copy its local year without converting every moment.
    first_year = start.astimezone(zone).year
    cuts = [(datetime(y, 1, 1, tzinfo=zone) - start).total_seconds() for y in range(first_year + 1, now.year + 2)]
    numbers = _TrackingNumbers()
    official: dict[int, int] = {}
    plan: list[tuple] = []
    filled = Filled()
    template = len(rows)
    start_jd = start.timestamp() / 86400 + 2440587.5
    for j, offset in enumerate(offsets):
        t = j * template // count
        template_id, kiosk, status, template_jd = rows[t]
        year4 = first_year + bisect.bisect_right(cuts, offset)
        tracking, sequence = numbers.next(year4 % 100, kiosk)
        number = None
        if status == "approved":
            official[year4] = official.get(year4, 0) + 1
            number = f"{short_name}-{year4}-{official[year4]:06d}"
        jd = start_jd + offset / 86400
        plan.append((j + 1, template_id, tracking, kiosk, year4 % 100, sequence, jd, number, jd - template_jd))
        filled.tracking_numbers.append(tracking)
        filled.names.append(source.names[t])
    return plan, filled


class _TrackingNumbers:
    """Each kiosk's next tracking number of a year, the Damm check digit taken two digits at a time (the same
    numbers ``TrackingNumber(year, kiosk, sequence)`` makes, about five times sooner)."""

    def __init__(self) -> None:
        self._last: dict[tuple[int, int], int] = {}
        self._state: dict[tuple[int, int], int] = {}
        self._pairs = [[damm_state(s, f"{n:02d}") for n in range(100)] for s in range(10)]

    def next(self, year: int, kiosk: int) -> tuple[TrackingNumber, int]:
        sequence = self._last.get((year, kiosk), 0) + 1
        self._last[(year, kiosk)] = sequence
        if sequence >= 100_000:  # a sixth digit: the plain way
            return TrackingNumber(year, kiosk, sequence), sequence
        state = self._state.get((year, kiosk))
        if state is None:
            state = self._state[(year, kiosk)] = damm_state(0, f"{year:02d}{kiosk:02d}")
        pairs = self._pairs
        state = pairs[pairs[state][sequence // 1000]][sequence // 10 % 100]
        check = damm_state(state, str(sequence % 10))
        text = f"T{year:02d}-{kiosk:02d}-{sequence:05d}-{check}"
        return TrackingNumber.from_stored(text), sequence


# The digit that takes the Damm state from 0 to each state (the first row of the quasigroup is a permutation).
_LEAD = {damm_check_digit(str(digit)): str(digit) for digit in range(10)}


def damm_state(state: int, digits: str) -> int:
    """The Damm state after ``digits``, starting from ``state``."""
    return damm_check_digit(_LEAD[state] + digits)
