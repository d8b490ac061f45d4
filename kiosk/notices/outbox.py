"""The e-mail outbox: a notice is written as a row of the ``notice`` table in the same transaction as the action it
tells about (a report submitted, approved, ...), rendered in the report's language. :class:`NoticeSender` delivers
the pending rows later, so an action never waits for, or fails because of, the mail server.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import peewee as pw

from kiosk.clock import Clock
from kiosk.config import Config
from kiosk.notices.templates import notice_language, render_notice
from kiosk.report_document import ReportDocument
from kiosk.storage.database import Store
from kiosk.storage.models import Notice as NoticeRow
from kiosk.tracking import TrackingNumber
from kiosk.translation import SOURCE_LANGUAGE
from kiosk.vocabulary import NoticeKind

log = logging.getLogger(__name__)

NOTICE_STATUSES = ("pending", "sent", "no_email", "failed")


@dataclass(frozen=True)
class NoticeStatus:
    """Where one notice stands. Times are aware, in the kiosk's time zone; ``recipient`` is None without e-mail."""

    kind: str
    status: str
    recipient: str | None
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    next_attempt_at: datetime | None
    # Not needed by the report's detail, but by lists of the whole outbox (`p2c-kiosk notices list`).
    tracking_number: str = ""
    notice_id: int = 0
    language: str = SOURCE_LANGUAGE


def recipient_of(report: Mapping[str, object]) -> str | None:
    """The citizen's e-mail address, or None when the report has none."""
    reporter = report.get("reporter")
    email = reporter.get("email") if isinstance(reporter, Mapping) else None
    return email.strip() if isinstance(email, str) and email.strip() else None


class NoticeOutbox:
    def __init__(self, store: Store, config: Config, clock: Clock) -> None:
        self._store = store
        self._config = config
        self._clock = clock
        self._Notice = store.models.Notice
        self._Report = store.models.Report

    @property
    def store(self) -> Store:
        return self._store

    def add(self, report_id: int, kind: str, report: Mapping[str, object], **values: str | None) -> None:
        """Write one notice about the report ``report_id`` (``report`` as stored or as submitted). Call it inside
        the action's transaction: it only inserts, so the notice commits or rolls back with the action. ``values``:
        ``official_number`` (approved), ``question`` (needs_info), ``reason_code`` and ``next_steps`` (rejected;
        optionally ``duplicate_of``). A report without an e-mail address gets a notice with status ``no_email``
        (kept, so the officer sees "call the citizen"); the others are ``pending`` and due at once."""
        given = report.get("tracking_number")
        tracking_number = given if isinstance(given, str) and given else self._tracking_number(report_id)
        language = notice_language(report)
        rendered = render_notice(kind, language, tracking_number, self._config.department, values,
                                 self._config.sync.status_page_url)
        recipient = recipient_of(report)
        now = self._clock.now()
        self._Notice.insert(
            report=report_id,
            kind=kind,
            language=language,
            recipient=recipient,
            subject=rendered.subject,
            body_text=rendered.text,
            body_html=rendered.html,
            status="pending" if recipient else "no_email",
            attempts=0,
            next_attempt_at=now if recipient else None,
            created_at=now,
        ).execute()
        log.info("notice %s for report %s: %s", kind, tracking_number, "pending" if recipient else "no e-mail")

    def submit_hook(self, report_id: int, report: ReportDocument) -> None:
        """For ``ReportService.add_submit_hook``: the "submitted" notice, in the submit transaction."""
        self.add(report_id, NoticeKind.SUBMITTED, report)

    def for_report(self, tracking: TrackingNumber) -> list[NoticeStatus]:
        """The notices of one report, oldest first (an empty list for an unknown number)."""
        return self._statuses(self._Report.tracking_number == tracking, newest_first=False)

    def list_notices(self, status: str | None = None, limit: int = 100) -> list[NoticeStatus]:
        """Notices of every report, newest first, optionally only those with ``status``."""
        if status is not None and status not in NOTICE_STATUSES:
            raise ValueError(f"unknown notice status {status!r}; expected one of {', '.join(NOTICE_STATUSES)}")
        condition = (self._Notice.status == status) if status else None
        return self._statuses(condition, newest_first=True, limit=limit)

    def counts(self) -> dict[str, int]:
        """How many notices have each status (every status named, zero included)."""
        result = dict.fromkeys(NOTICE_STATUSES, 0)
        for status, number in self._store.db.execute_sql("SELECT status, COUNT(*) FROM notice GROUP BY status"):
            result[status] = number
        return result

    # -- for the sender ------------------------------------------------------------------------------------------

    def due(self, now: datetime, limit: int) -> list[NoticeRow]:
        """Pending notice rows whose next attempt is due at ``now``, longest waiting first."""
        Notice = self._Notice
        return list(Notice.select(Notice, self._Report.tracking_number)
                    .join(self._Report)
                    .where((Notice.status == "pending") & (Notice.next_attempt_at <= now))
                    .order_by(Notice.next_attempt_at, Notice.id)
                    .limit(limit))

    def _tracking_number(self, report_id: int) -> str:
        row = self._Report.get_or_none(self._Report.id == report_id)
        if row is None:
            raise ValueError(f"no report with id {report_id}")
        return row.tracking_number

    def _statuses(self, condition: pw.Expression | None, *, newest_first: bool,
                  limit: int | None = None) -> list[NoticeStatus]:
        Notice, Report = self._Notice, self._Report
        query = Notice.select(Notice, Report.tracking_number).join(Report)
        if condition is not None:
            query = query.where(condition)
        query = query.order_by(Notice.id.desc() if newest_first else Notice.id)
        if limit is not None:
            query = query.limit(limit)
        return [self._status(row) for row in query]

    def _status(self, row: NoticeRow) -> NoticeStatus:
        return NoticeStatus(
            kind=row.kind,
            status=row.status,
            recipient=row.recipient,
            attempts=row.attempts,
            last_error=row.last_error,
            created_at=self._local(row.created_at),
            sent_at=self._local(row.sent_at) if row.sent_at is not None else None,
            next_attempt_at=self._local(row.next_attempt_at) if row.next_attempt_at is not None else None,
            tracking_number=row.report.tracking_number,
            notice_id=row.id,
            language=row.language,
        )

    def _local(self, stored: datetime) -> datetime:
        return stored.astimezone(self._config.kiosk.zone)

