"""The report service: submit a report, read it back, list and export reports. Screens and the CLI call these
functions and get plain data back; none of them writes a query of its own."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from types import ModuleType
from typing import TYPE_CHECKING

from kiosk.access_codes import hash_access_code, new_access_code
from kiosk.access_codes import verify_access_code as _matches
from kiosk.clock import Clock
from kiosk.config import Config
from kiosk.lifecycle import STATUSES
from kiosk.messages import Problem
from kiosk.report_document import HistoryEvent, Location, ReportDocument, StoredReport
from kiosk.report_errors import ReportNotFound, ReportRejected
from kiosk.report_keys import report_keys
from kiosk.storage.errors import StoreError
from kiosk.storage.report_index import INSERT_EVENT, INSERT_REPORT, index_new_report
from kiosk.storage.timestamps import utc_text
from kiosk.tracking import TrackingNumber, TrackingNumberError
from kiosk.vocabulary import EventAction, Status

if TYPE_CHECKING:
    from kiosk.rules import Validation
    from kiosk.storage.database import Store
    from kiosk.storage.models import Models
    from kiosk.storage.models import Report as ReportRow
    from kiosk.storage.models import ReportEvent as EventRow

log = logging.getLogger(__name__)

PAGE_SIZE = 50
# The kiosk's last sequence number of a year (one seek to the end of the unique (kiosk, year, sequence) index).
_LAST_SEQUENCE = "SELECT MAX(sequence) FROM report WHERE kiosk_number = ? AND year = ?"
# Called as hook(report_id, report) inside the transaction that stores a report (see ReportService.add_submit_hook).
SubmitHook = Callable[[int, ReportDocument], None]


@dataclass(frozen=True)
class SubmitReceipt:
    """What the citizen is given once the report is durably stored."""

    tracking_number: TrackingNumber
    access_code: str
    submitted_at: datetime


@dataclass(frozen=True)
class ReportSummary:
    """One row of a report list."""

    tracking_number: TrackingNumber
    submitted_at: datetime
    category: str
    status: str
    location: str


class ReportService:
    def __init__(self, store: Callable[[], Store], config: Config, clock: Clock) -> None:
        """``store`` gives the store: the container's (kiosk.home.Kiosk.store), which opens it on first use. It is
        asked for at the first call that needs the database, and again at the next one if it could not be opened:
        validating needs no database, so a kiosk whose database will not open still takes a visitor's report to the
        end and then tells them to see the officer (StoreError), and takes it once the database opens again."""
        self._open_store = store
        self._opened: Store | None = None
        self._config = config
        self._clock = clock
        # Called as hook(report_id, report) inside the transaction that stores a report (the e-mail outbox adds
        # its "submitted" notice this way); an exception rolls the report back.
        self._on_submit: list[SubmitHook] = []

    @property
    def _store(self) -> Store:
        if self._opened is None:
            self._opened = self._open_store()
        return self._opened

    @property
    def _models(self) -> Models:
        return self._store.models

    def add_submit_hook(self, hook: SubmitHook) -> None:
        self._on_submit.append(hook)

    # -- submitting ---------------------------------------------------------------------------------------------

    def validate(self, data: object) -> list[Problem]:
        """The problems :meth:`submit` would refuse ``data`` for (an empty list when it would be accepted)."""
        return _validate(data, self._config, self._clock.now()).problems

    def submit(self, data: object) -> SubmitReceipt:
        """Validate and store a report; return its tracking number only after the commit.

        Raises :class:`ReportRejected` (with every problem) or :class:`StoreError`; in both cases nothing is stored.
        """
        now = self._clock.now()
        validation = _validate(data, self._config, now)
        if not validation.ok:
            raise ReportRejected(validation.problems)
        report = validation.report
        assert report is not None
        access_code = new_access_code()
        kiosk_number = self._config.kiosk.number
        year = now.astimezone(self._config.kiosk.zone).year % 100
        # What the row holds is made before the transaction: the write lock is held for the SQL alone.
        keys = report_keys(report)
        at, category, submitted = utc_text(now), report["category"], Status.SUBMITTED.value
        code_hash = hash_access_code(access_code)
        place = location_summary(report["incident"]["location"])
        data = json.dumps(report, ensure_ascii=False, separators=(",", ":"))
        db = self._store.db
        try:
            # IMMEDIATE takes the write lock at BEGIN, so two processes on one file can never pick the same number.
            with db.atomic("IMMEDIATE"):
                (last,) = db.execute_sql(_LAST_SEQUENCE, (kiosk_number, year)).fetchone()
                tracking = TrackingNumber(year, kiosk_number, (last or 0) + 1)
                report_id = db.execute_sql(INSERT_REPORT, (
                    tracking, kiosk_number, year, tracking.sequence, category, report["language"], submitted, at,
                    code_hash, place, data, keys.reporter_name, keys.person_key, keys.home_address_key,
                    keys.location_key)).lastrowid
                db.execute_sql(INSERT_EVENT, (report_id, at, "citizen", EventAction.SUBMITTED.value, submitted))
                index_new_report(db, report_id, keys, at, submitted, category)
                for hook in self._on_submit:
                    hook(report_id, report)
        except _peewee().DatabaseError as exc:
            log.error("storing a report failed: %s", exc.__class__.__name__, exc_info=True)
            raise StoreError("the report could not be stored") from exc
        log.info("report %s submitted (%s)", tracking, report["category"])
        return SubmitReceipt(tracking, access_code, now)

    # -- access codes -------------------------------------------------------------------------------------------

    def reissue_access_code(self, tracking: TrackingNumber, actor: str) -> str:
        """A new access code for a stored report, for a receipt printed again: the new code's hash replaces the old
        one (which stops working at once) and a ``receipt_reprinted`` event, status unchanged, is added to the
        history in the same transaction. Raises ReportNotFound or StoreError."""
        if not actor.strip():
            raise ValueError("actor must name who reprinted the receipt")
        Report, ReportEvent = self._models.Report, self._models.ReportEvent
        access_code = new_access_code()
        at = self._clock.now()
        try:
            with self._store.db.atomic("IMMEDIATE"):
                row = Report.get_or_none(Report.tracking_number == tracking)
                if row is None:
                    raise ReportNotFound(tracking)
                Report.update(access_code_hash=hash_access_code(access_code)).where(Report.id == row.id).execute()
                ReportEvent.create(report=row, at=at, actor=actor.strip(), action="receipt_reprinted",
                                   status=row.status)
        except _peewee().DatabaseError as exc:
            log.error("reissuing an access code failed: %s", exc.__class__.__name__, exc_info=True)
            raise StoreError("the new access code could not be stored") from exc
        log.info("report %s: access code reissued for a reprinted receipt", tracking)
        return access_code

    def verify_access_code(self, tracking: TrackingNumber, access_code: str) -> bool:
        """Whether ``access_code`` is the current code of the report (False for an unknown number)."""
        Report = self._models.Report
        row = Report.get_or_none(Report.tracking_number == tracking)
        return row is not None and _matches(access_code, row.access_code_hash)

    # -- reading ------------------------------------------------------------------------------------------------

    def get(self, tracking: TrackingNumber) -> StoredReport:
        """The stored report in the report format plus ``tracking_number``, ``status``, ``submitted_at``,
        ``official_number`` and ``history``; a purged report (kiosk.sync.purge) is a stub of ``format``, ``category``
        and ``language`` with those keys and ``purged_at`` (ISO 8601, the kiosk's time zone). Raises
        ReportNotFound."""
        Report = self._models.Report
        row = Report.get_or_none(Report.tracking_number == tracking)
        if row is None:
            raise ReportNotFound(tracking)
        return self._document(row, self._history(row.id))

    def list_reports(self, status: str | None = None, limit: int = PAGE_SIZE, offset: int = 0) -> list[ReportSummary]:
        """Reports newest first, optionally only those with ``status``."""
        if status is not None and status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        Report = self._models.Report
        query = Report.select(Report.tracking_number, Report.submitted_at, Report.category, Report.status,
                              Report.location_summary)
        if status is not None:
            query = query.where(Report.status == status)
        query = query.order_by(Report.submitted_at.desc(), Report.id.desc()).limit(limit).offset(offset)
        return [
            ReportSummary(TrackingNumber.from_stored(row.tracking_number), self._local(row.submitted_at), row.category,
                          row.status, row.location_summary)
            for row in query
        ]

    def export(self, batch: int = 500) -> Iterator[StoredReport]:
        """Every report in the report format, oldest first, read in batches so memory stays flat."""
        Report, ReportEvent = self._models.Report, self._models.ReportEvent
        last_id = 0
        while True:
            rows = list(Report.select().where(Report.id > last_id).order_by(Report.id).limit(batch))
            if not rows:
                return
            history: dict[int, list[HistoryEvent]] = {row.id: [] for row in rows}
            events = (ReportEvent.select().where(ReportEvent.report.in_(list(history)))
                      .order_by(ReportEvent.id))
            for event in events:
                history[event.report_id].append(self._event(event))
            for row in rows:
                yield self._document(row, history[row.id])
            last_id = rows[-1].id

    def _history(self, report_id: int) -> list[HistoryEvent]:
        ReportEvent = self._models.ReportEvent
        events = ReportEvent.select().where(ReportEvent.report == report_id).order_by(ReportEvent.id)
        return [self._event(event) for event in events]

    def _event(self, event: EventRow) -> HistoryEvent:
        return {
            "at": self._local(event.at).isoformat(),
            "actor": event.actor,
            "action": event.action,
            "status": event.status,
            "reason_code": event.reason_code,
            "message": event.message,
        }

    def _document(self, row: ReportRow, history: list[HistoryEvent]) -> StoredReport:
        document: StoredReport = json.loads(row.data)  # a ReportDocument, or a purged one's stub
        document["tracking_number"] = TrackingNumber.from_stored(row.tracking_number)
        document["status"] = row.status
        document["submitted_at"] = self._local(row.submitted_at).isoformat()
        document["official_number"] = row.official_number
        document["history"] = history
        if row.purged_at is not None:
            # The personal data was removed once the department's server had the report (kiosk.sync.purge): the
            # document is a stub of format, category and language, and says when. Reports not purged carry no such
            # key, so they stay exactly the stored report format.
            document["purged_at"] = self._local(row.purged_at).isoformat()
        return document

    def _local(self, stored: datetime) -> datetime:
        return stored.astimezone(self._config.kiosk.zone)


def location_summary(location: Location) -> str:
    """The short place shown in report lists: street address and city."""
    return ", ".join(part for part in (location.get("line1", ""), location.get("city", "")) if part)


__all__ = [
    "PAGE_SIZE",
    "ReportNotFound",
    "ReportRejected",
    "ReportService",
    "ReportSummary",
    "StoreError",
    "SubmitReceipt",
    "TrackingNumberError",
]


def _peewee() -> ModuleType:
    """peewee, imported on first use (see :mod:`kiosk.storage`)."""
    import peewee

    return peewee


def _validate(data: object, config: Config, now: datetime) -> Validation:
    """kiosk.rules.validate_report, its module imported on first use: phonenumbers and email-validator take ~50 ms to
    import, which the kiosk window's start-up (and every CLI command that only reads) should not pay."""
    from kiosk.rules import validate_report

    return validate_report(data, config, now)
