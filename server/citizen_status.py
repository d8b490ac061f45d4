"""The citizen's status at the department server: what the status page (``GET /status``, server/status_page) shows
for a tracking number and access code, and the citizen's answer when an officer asked for more information.

Qt-free; the only thing the page calls. The kiosk's rules hold (kiosk/lookup.py, docs/lookup.md), with the
status texts and checks taken from there:

- A malformed tracking number or access code is refused on its field and not counted.
- An unknown tracking number, a wrong code, and a report whose kiosk has not pushed its verifier yet
  (``POST /api/v1/access-codes``) get the same refusal (``lookup.mismatch``) and cost the same: a code is checked
  against a dummy verifier when there is no real one.
- Every wrong code is stored in ``lookup_failure`` with the tracking number and the client key (an HMAC-SHA-256 of the
  visitor's address keyed with the server's secret, never the address), in the database, so every worker process
  and machine counts the same failures. Per tracking number: five wrong within an hour lock it for an hour from the
  fifth (the kiosk's :func:`kiosk.lookup.lock_end`). Per client: :data:`CLIENT_LOCK_AFTER` wrong within an hour,
  whatever the numbers, lock that client for an hour from the last. Tries during a lock are refused with the minutes
  left (the right code too) and are not stored. Failures older than both windows are deleted as new ones come.
- The check and its failure row run in one transaction that holds two locks, taken in this order: one keyed on the
  tracking number, one on the client key (PostgreSQL transaction advisory locks, :func:`_counting`), so concurrent
  guesses at one number or from one client, from any worker or machine, are counted one after the other, while
  look-ups of other numbers, and the kiosks' pushes, do not wait for them. SQLite has one writer at a time anyway:
  there the transaction is ``BEGIN IMMEDIATE`` (server.db.write_transaction). An answer writes an event, so it also
  takes the server's writers' lock (server.db.write_transaction) first, then the same two.
- An answer is taken only in ``needs_info`` (one answer per question: the report then goes back to ``in_review``),
  10 to ``rules.narrative_max_chars`` characters as :func:`kiosk.lookup.clean_answer` leaves it; an answer holding
  control characters other than line breaks and tabs is refused with ``lookup.answer_control_characters``. It is
  stored as a ``supplemented`` event made at the server (``origin`` NULL, event id ``S-<cursor>``, actor
  ``citizen:web``, status ``in_review``) with the report's next version, like ``p2c-server decide``; the decisions
  feed carries it to the kiosk that holds the report.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import math
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import peewee as pw

from kiosk import lifecycle
from kiosk.access_codes import hash_access_code, verify_access_code
from kiosk.config import Config
from kiosk.lookup import (
    FAILURE_WINDOW,
    LOCK_DURATION,
    CitizenStatus,
    LookupRefused,
    answer_problem,
    citizen_status,
    clean_answer,
    lock_end,
    read_access_code,
    read_tracking_number,
)
from kiosk.messages import Problem
from kiosk.storage.timestamps import utc_text
from kiosk.sync.protocol import WEB_ANSWER_ACTOR
from kiosk.tracking import TrackingNumber
from kiosk.translation import SOURCE_LANGUAGE
from kiosk.vocabulary import EventAction, Status
from server.db import ServerDatabase, write_transaction
from server.models import Report as ReportRow
from server.push_events import report_versions

__all__ = ["CLIENT_LOCK_AFTER", "CitizenStatus", "StatusLocked", "StatusRefused", "answer", "check", "client_key",
           "report_language", "server_secret"]

log = logging.getLogger(__name__)

# Wrong codes from one client (any tracking numbers) within FAILURE_WINDOW that lock the client for LOCK_DURATION.
# Twenty: a family checking a few receipts and mistyping each code a few times stays far below it, while a guesser
# gets twenty tries an hour from one address (the code space is 30^8).
CLIENT_LOCK_AFTER = 20
# How long the failures are kept: an active lock's failures all lie in the last two hours.
_KEPT = FAILURE_WINDOW + LOCK_DURATION
# Checked when the report is unknown or has no verifier yet, so every refusal costs the same.
_NO_VERIFIER = hash_access_code("AAAA-AAAA")
# The first key of the two-key advisory locks (pg_advisory_xact_lock(int, int)) on a tracking number and on a client
# key: "P2CT" and "P2CC" in ASCII. The server's writers' lock (server.db.WRITE_LOCK_KEY) is a one-key lock, which
# PostgreSQL keeps apart from the two-key ones.
TRACKING_LOCK_CLASS = 0x50324354
CLIENT_LOCK_CLASS = 0x50324343
# Old failures deleted at most this many at a time by one look-up (the oldest first, by the index on ``at``).
_CLEAN_UP_AT_ONCE = 500
# Line breaks and tabs are part of an answer; every other control character is refused.
_ALLOWED_CONTROLS = frozenset("\n\r\t")
# An answer longer than this many times the limit is refused without being cleaned first.
_RAW_FACTOR = 4


class StatusRefused(Exception):
    """The look-up (or the answer) was refused; ``problem`` names the field and the message code (kiosk.messages),
    rendered in the visitor's language with ``kiosk.messages.render(problem, language)``."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


class StatusLocked(StatusRefused):
    """Too many wrong access codes: look-ups are paused for ``minutes`` more minutes. Field ``access_code``; code
    ``lookup.locked`` (this tracking number) or ``lookup.locked_client`` (this client, whatever the number)."""

    def __init__(self, minutes: int, code: str = "lookup.locked") -> None:
        super().__init__(Problem("access_code", code, {"minutes": minutes}))
        self.minutes = minutes


def check(database: ServerDatabase, config: Config, tracking_text: str, code_text: str, *, client: str,
          now: datetime) -> CitizenStatus:
    """The status of the report for the tracking number and access code as typed. ``client``: the visitor's
    address (never stored as such); ``now``: aware. Raises StatusRefused (StatusLocked)."""
    tracking, code = _read(tracking_text, code_text)
    with database.db.connection_context():
        key = client_key(_secret(database), client)
        with _counting(database, str(tracking), key, writes_events=False):
            row = _authorise(database, tracking, code, key, now)
            result = _status(database, config, row) if isinstance(row, ReportRow) else None
        if isinstance(row, StatusRefused):
            raise row  # after the commit: the failure row stays
    assert result is not None
    log.info("status page: report %s looked up (%s)", tracking, result.status)
    return result


def answer(database: ServerDatabase, config: Config, tracking_text: str, code_text: str, text: str, *, client: str,
           now: datetime) -> CitizenStatus:
    """Store the citizen's answer (a ``supplemented`` event made at the server, actor ``citizen:web``) and return the
    status after it; the same checks as :func:`check` come first. Raises StatusRefused (field ``answer`` when the
    report is not waiting for an answer or the text does not fit; StatusLocked). Nothing is stored unless
    everything is (a wrong code's failure row excepted)."""
    tracking, code = _read(tracking_text, code_text)
    limit = config.rules.narrative_max_chars
    problem = _raw_answer_problem(text or "", limit)
    cleaned = clean_answer(text) if problem is None else ""
    Report, Event = database.models.Report, database.models.Event
    with database.db.connection_context():
        key = client_key(_secret(database), client)
        with _counting(database, str(tracking), key, writes_events=True):
            row = _authorise(database, tracking, code, key, now)
            if isinstance(row, ReportRow):
                if row.status != Status.NEEDS_INFO:
                    raise StatusRefused(Problem("answer", "lookup.cannot_answer"))
                problem = problem or answer_problem(cleaned, limit)
                if problem is not None:
                    raise StatusRefused(problem)
                number = str(tracking)
                status = lifecycle.next_status(EventAction.SUPPLEMENTED, row.status)
                version = report_versions(database, [number]).get(number, 0) + 1
                at = utc_text(now)
                event = Event.create(event_id=f"S-pending-{number}", tracking_number=number,
                                     kiosk_number=row.kiosk_number, origin=None, body_hash=None, at=at,
                                     actor=WEB_ANSWER_ACTOR, action=EventAction.SUPPLEMENTED, status=status,
                                     reason_code=None, message=cleaned, nibrs_code=None, official_number=None,
                                     received_at=at, version=version)
                Event.update(event_id=f"S-{event.id}").where(Event.id == event.id).execute()
                Report.update(status=status).where(Report.id == row.id).execute()
                result = _status(database, config, Report.get_by_id(row.id))
        if isinstance(row, StatusRefused):
            raise row
    log.info("status page: report %s answered (now %s)", tracking, result.status)
    return result


def report_language(database: ServerDatabase, tracking_text: str) -> str | None:
    """The report's own language (from the report body as the kiosk sent it), or None when the tracking number is
    malformed or unknown. Tells whether a number exists: call it only after a successful :func:`check`."""
    try:
        tracking = read_tracking_number(tracking_text)
    except LookupRefused:
        return None
    Report = database.models.Report
    with database.db.connection_context():
        row = Report.select(Report.body).where(Report.tracking_number == str(tracking)).first()
    if row is None:
        return None
    try:
        language = json.loads(row.body).get("language")
    except (ValueError, AttributeError):
        return None
    return language if isinstance(language, str) and language else SOURCE_LANGUAGE


def server_secret(database: ServerDatabase) -> bytes:
    """The server's random secret (made by the schema migration, version 2; the same for every worker and machine on
    one database), for keyed hashes: the client keys here, and the page's CSRF tokens."""
    with database.db.connection_context():
        row = database.models.ServerSecret.get_by_id(1)
    return bytes.fromhex(row.secret)


def client_key(secret: bytes, client: str) -> str:
    """The key the failures of ``client`` (an address) are counted under: HMAC-SHA-256 with the server's secret."""
    return hmac.new(secret, ("client:" + client).encode("utf-8", "replace"), hashlib.sha256).hexdigest()


# -- checks ----------------------------------------------------------------------------------------------------------

def _read(tracking_text: str, code_text: str) -> tuple[TrackingNumber, str]:
    try:
        return read_tracking_number(tracking_text or ""), read_access_code(code_text or "")
    except LookupRefused as exc:
        raise StatusRefused(exc.problem) from None


def _raw_answer_problem(text: str, limit: int) -> Problem | None:
    """What the answer as sent is refused for before it is cleaned: far too long, or control characters."""
    if len(text) > limit * _RAW_FACTOR:
        return Problem("answer", "lookup.answer_too_long", {"max": limit, "count": len(text)})
    if any(unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS for ch in text):
        return Problem("answer", "lookup.answer_control_characters")
    return None


@contextmanager
def _counting(database: ServerDatabase, number: str, key: str, *, writes_events: bool) -> Iterator[None]:
    """One transaction in which the failures of tracking number ``number`` and of client key ``key`` are read and
    written by nobody else. PostgreSQL: transaction advisory locks on the number, then on the client key (always in
    this order, so two look-ups never wait for each other in a circle), after the writers' lock when
    ``writes_events`` (an answer: event rows commit in the order of their ids). SQLite: its one writer."""
    db = database.db
    if not database.is_postgres or writes_events:
        with write_transaction(database):
            if database.is_postgres:
                _take_locks(db, number, key)
            yield
        return
    with db.atomic():
        _take_locks(db, number, key)
        yield


def _take_locks(db: pw.Database, number: str, key: str) -> None:
    # Two statements: the tracking number's lock is held before the client's is asked for.
    db.execute_sql("SELECT pg_advisory_xact_lock(%s, %s)", (TRACKING_LOCK_CLASS, _lock_key("tracking:" + number)))
    db.execute_sql("SELECT pg_advisory_xact_lock(%s, %s)", (CLIENT_LOCK_CLASS, _lock_key(key)))


def _lock_key(text: str) -> int:
    """A signed 32-bit key for ``text`` (two texts sharing one only wait for each other)."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:4], "big", signed=True)


def _authorise(database: ServerDatabase, tracking: TrackingNumber, code: str, key: str,
               now: datetime) -> ReportRow | StatusRefused:
    """The report row when ``code`` is its access code and nothing is locked; otherwise the refusal to raise once
    the transaction has committed (a wrong code's row is stored first). Runs inside :func:`_counting`."""
    number = str(tracking)
    locked = _lock(database, number, key, now)
    if locked is not None:
        return locked
    Report = database.models.Report
    row = Report.get_or_none(Report.tracking_number == number)
    verifier = row.access_code_verifier if row is not None else None
    matches = verify_access_code(code, verifier or _NO_VERIFIER)
    if row is not None and verifier and matches:
        return row
    _clean_up(database, now)
    LookupFailure = database.models.LookupFailure
    LookupFailure.create(tracking_number=number, client_key=key, at=utc_text(now))
    log.info("status page: a wrong access code for %s", number)
    return _lock(database, number, key, now) or StatusRefused(Problem("access_code", "lookup.mismatch"))


def _clean_up(database: ServerDatabase, now: datetime) -> None:
    """Delete failures older than both windows, the oldest first, at most _CLEAN_UP_AT_ONCE (the index on ``at``
    finds them without reading the table). On PostgreSQL rows another look-up is deleting are skipped, not waited
    for: look-ups that hold other numbers' locks never wait for each other here."""
    LookupFailure = database.models.LookupFailure
    old = (LookupFailure.select(LookupFailure.id).where(LookupFailure.at < utc_text(now - _KEPT))
           .order_by(LookupFailure.at).limit(_CLEAN_UP_AT_ONCE))
    if database.is_postgres:
        old = old.for_update(skip_locked=True)
    LookupFailure.delete().where(LookupFailure.id.in_(old)).execute()


def _secret(database: ServerDatabase) -> bytes:
    return bytes.fromhex(database.models.ServerSecret.get_by_id(1).secret)


def _lock(database: ServerDatabase, number: str, key: str, now: datetime) -> StatusLocked | None:
    LookupFailure = database.models.LookupFailure
    since = utc_text(now - _KEPT)

    def failures(where: object) -> list[datetime]:
        query = (LookupFailure.select(LookupFailure.at).where(where & (LookupFailure.at >= since))
                 .order_by(LookupFailure.at, LookupFailure.id))
        return [datetime.fromisoformat(row.at) for row in query]

    minutes = _minutes_left(lock_end(failures(LookupFailure.tracking_number == number)), now)
    if minutes:
        return StatusLocked(minutes)
    minutes = _minutes_left(client_lock_end(failures(LookupFailure.client_key == key)), now)
    if minutes:
        return StatusLocked(minutes, "lookup.locked_client")
    return None


def client_lock_end(failures: list[datetime]) -> datetime | None:
    """When the latest client lock made by ``failures`` (oldest first) ends: the kiosk's rule
    (:func:`kiosk.lookup.lock_end`) with :data:`CLIENT_LOCK_AFTER` failures."""
    return lock_end(failures, CLIENT_LOCK_AFTER)


def _minutes_left(locked_until: datetime | None, now: datetime) -> int:
    if locked_until is None or now >= locked_until:
        return 0
    return max(1, math.ceil((locked_until - now) / timedelta(minutes=1)))


# -- what the citizen sees -------------------------------------------------------------------------------------------

def _status(database: ServerDatabase, config: Config, row: ReportRow) -> CitizenStatus:
    Event = database.models.Event
    question = reason = rejection = None
    if row.status in (Status.NEEDS_INFO, Status.REJECTED):
        action = EventAction.INFO_REQUESTED if row.status == Status.NEEDS_INFO else EventAction.REJECTED
        event = (Event.select(Event.reason_code, Event.message)
                 .where((Event.tracking_number == row.tracking_number) & (Event.action == action))
                 .order_by(Event.id.desc()).first())
        if event is not None and action == EventAction.INFO_REQUESTED:
            question = event.message
        elif event is not None:
            reason, rejection = event.reason_code, event.message
    try:
        language = json.loads(row.body).get("language") or SOURCE_LANGUAGE
    except (ValueError, AttributeError):
        language = SOURCE_LANGUAGE
    return citizen_status(config, TrackingNumber.from_stored(row.tracking_number), row.status, row.official_number,
                          datetime.fromisoformat(row.submitted_at), str(language), question_message=question,
                          reason_code=reason, reject_message=rejection)
