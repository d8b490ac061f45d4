"""A stateful property test of server.citizen_status against a simple model: look-ups with right and wrong codes from
two clients, on known reports (with and without a verifier) and an unknown number, answers, and the passing of time.
The model keeps, per tracking number and per client, the failures of the last hour and when a pause ends, as
docs/server.md ("The status page's data") states the rules; the service must refuse, pause and count exactly so."""

from __future__ import annotations

import itertools
import json
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from kiosk.access_codes import hash_access_code
from kiosk.lookup import LOCK_AFTER_FAILURES
from kiosk.storage.timestamps import utc_text
from kiosk.tracking import TrackingNumber
from server.citizen_status import CLIENT_LOCK_AFTER, StatusLocked, StatusRefused, answer, check
from server.db import ServerDatabase, open_database
from server.settings import load_department_config

CONFIG = load_department_config(None)
CODE, WRONG = "K7QM-2XHD", "ABCD-EFGH"
HOUR = timedelta(hours=1)
KIOSK = 7
_sequences = itertools.count(1)
_examples = itertools.count(1)


class Pause:
    """Failures of one key (a tracking number or a client) and when its pause ends."""

    def __init__(self, after: int) -> None:
        self.after = after
        self.window: list[datetime] = []
        self.until: datetime | None = None

    def minutes(self, now: datetime) -> int:
        if self.until is None or now >= self.until:
            return 0
        return max(1, math.ceil((self.until - now) / timedelta(minutes=1)))

    def fail(self, now: datetime) -> None:
        self.window = [t for t in self.window if now - t <= HOUR] + [now]
        if len(self.window) >= self.after:
            self.until, self.window = now + HOUR, []


class StatusPage(RuleBasedStateMachine):
    database: ServerDatabase

    @initialize()
    def reports(self) -> None:
        example = next(_examples)
        self.now = datetime(2027, 1, 1, tzinfo=UTC) + timedelta(days=example)
        self.clients = [f"198.51.100.{example % 250}-{example}-a", f"198.51.100.{example % 250}-{example}-b"]
        numbers = [str(TrackingNumber(27, KIOSK, next(_sequences))) for _ in range(3)]
        Report = self.database.models.Report
        with self.database.db.connection_context():
            for index, number in enumerate(numbers[:2]):  # the third stays unknown
                Report.create(tracking_number=number, kiosk_number=KIOSK, content_hash="sha256:" + "0" * 64,
                              submitted_at=utc_text(self.now), body=json.dumps({"language": "en"}),
                              status="needs_info", received_at=utc_text(self.now),
                              access_code_verifier=hash_access_code(CODE) if index == 0 else None)
        self.numbers = numbers
        self.status = {numbers[0]: "needs_info"}  # the one report a right code opens
        self.by_number = {number: Pause(LOCK_AFTER_FAILURES) for number in numbers}
        self.by_client = {client: Pause(CLIENT_LOCK_AFTER) for client in self.clients}
        self.failure_times: dict[str, list[datetime]] = {number: [] for number in numbers}

    @rule(minutes=st.integers(min_value=0, max_value=40))
    def time_passes(self, minutes: int) -> None:
        self.now += timedelta(minutes=minutes, seconds=7)  # never exactly on an hour's edge

    @rule(which=st.integers(0, 2), right=st.booleans(), client=st.integers(0, 1),
          answering=st.booleans())
    def try_code(self, which: int, right: bool, client: int, answering: bool) -> None:
        number, address = self.numbers[which], self.clients[client]
        code = CODE if right else WRONG
        expected = self._expected(number, address, right)
        try:
            if answering:
                result = answer(self.database, CONFIG, number, code, "It was red, with a basket.", client=address,
                                now=self.now)
            else:
                result = check(self.database, CONFIG, number, code, client=address, now=self.now)
            got = ("ok", result.status)
        except StatusLocked as exc:
            got = (exc.problem.code, exc.minutes)
        except StatusRefused as exc:
            got = (exc.problem.code, None)
        if expected == ("ok", None):  # the right code: the status, or the answer refused when not waiting for one
            waiting = self.status[number] == "needs_info"
            if answering and waiting:
                self.status[number] = "in_review"
                expected = ("ok", "in_review")
            elif answering:
                expected = ("lookup.cannot_answer", None)
            else:
                expected = ("ok", self.status[number])
        assert got == expected, (number, address, right, answering, self.now)

    @rule(client=st.integers(0, 1), count=st.integers(1, 8))
    def guesser_walks_through_numbers(self, client: int, count: int) -> None:
        """Codes tried on numbers nobody holds, a new one each time (so no number's own pause stops the count)."""
        address = self.clients[client]
        for _ in range(count):
            number = str(TrackingNumber(27, KIOSK, next(_sequences)))
            self.by_number[number] = Pause(LOCK_AFTER_FAILURES)
            self.failure_times[number] = []
            expected = self._expected(number, address, False)
            try:
                check(self.database, CONFIG, number, CODE, client=address, now=self.now)
                got: tuple[str, int | None] = ("ok", None)
            except StatusLocked as exc:
                got = (exc.problem.code, exc.minutes)
            except StatusRefused as exc:
                got = (exc.problem.code, None)
            assert got == expected, (number, address, self.now)

    def _expected(self, number: str, client: str, right: bool) -> tuple[str, int | None]:
        for key, pause in (("lookup.locked", self.by_number[number]), ("lookup.locked_client", self.by_client[client])):
            if pause.minutes(self.now):
                return key, pause.minutes(self.now)
        if right and number in self.status:
            return "ok", None
        self.by_number[number].fail(self.now)
        self.by_client[client].fail(self.now)
        self.failure_times[number].append(self.now)
        for key, pause in (("lookup.locked", self.by_number[number]), ("lookup.locked_client", self.by_client[client])):
            if pause.minutes(self.now):
                return key, pause.minutes(self.now)
        return "lookup.mismatch", None

    @invariant()
    def every_counted_failure_is_stored(self) -> None:
        """The failures of the last two hours are in the database, no more and no fewer (older ones may be gone)."""
        if not hasattr(self, "numbers"):
            return
        LookupFailure = self.database.models.LookupFailure
        since = self.now - 2 * HOUR
        with self.database.db.connection_context():
            for number in self.failure_times:
                stored = (LookupFailure.select()
                          .where((LookupFailure.tracking_number == number) & (LookupFailure.at >= utc_text(since)))
                          .count())
                assert stored == sum(1 for t in self.failure_times[number] if t >= since), number


@pytest.fixture(scope="module")
def model_database(tmp_path_factory):
    database = open_database(f"sqlite:///{Path(tmp_path_factory.mktemp('model')) / 'server.sqlite3'}")
    try:
        yield database
    finally:
        database.close()


def test_the_status_service_follows_the_model(model_database):
    StatusPage.database = model_database
    runner = StatusPage.TestCase
    runner.settings = settings(max_examples=25, stateful_step_count=30, deadline=None,
                               suppress_health_check=[HealthCheck.too_slow])
    runner().runTest()
