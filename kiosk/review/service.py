"""The review service: the queue, a report's detail, and the officer's decisions.

Every decision runs in ONE transaction (``BEGIN IMMEDIATE``): the report is read again under the write lock; if its
newest history event is not the one the officer saw (``expected_version``) or the lifecycle forbids the action,
:class:`ReviewConflict` says who acted and when, and nothing is stored. Otherwise the history event, the report's
new status, the e-mail notice (outbox) and the audit entry commit together.

At a kiosk that syncs (``[sync] server_url``) the department server's log is the one order of decisions
(kiosk.sync.order): a decision's e-mail waits until the server has acknowledged it (the sync engine queues it then),
and a decision the server's order did not keep is listed in :attr:`ReportDetail.overruled` with the one that took its
place.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from kiosk import lifecycle, nibrs
from kiosk.clock import Clock
from kiosk.config import Config
from kiosk.lifecycle import REJECT_REASONS
from kiosk.messages import Problem, render
from kiosk.report_document import ReportDocument, StoredReport
from kiosk.reports import ReportNotFound, ReportService
from kiosk.review import notes
from kiosk.review.duplicates import find_duplicates
from kiosk.review.model import (
    Decision,
    QueueFilter,
    QueueRow,
    ReportDetail,
    ReviewConflict,
    ReviewInputError,
)
from kiosk.review.queue import ReviewQueue
from kiosk.rules.fields import display_phone
from kiosk.storage.database import Store
from kiosk.tracking import TrackingNumber
from kiosk.translation import SOURCE_LANGUAGE
from kiosk.vocabulary import Category, EventAction, NoticeKind, RejectionReason, Status

if TYPE_CHECKING:
    from kiosk.audit import AuditLog
    from kiosk.notices.outbox import NoticeOutbox
    from kiosk.officers import OfficerSession
    from kiosk.storage.models import Report as ReportRow
    from kiosk.storage.models import ReportEvent as EventRow
    from kiosk.sync.order import Overruled

log = logging.getLogger(__name__)

# Longest texts an officer may write, in characters.
MAX_QUESTION = 2000
MAX_MESSAGE = 2000
MAX_NEXT_STEPS = 1000
MAX_PHONE_NOTE = 500
_NOTICE_KIND: dict[str, NoticeKind] = {EventAction.APPROVED: NoticeKind.APPROVED,
                                       EventAction.INFO_REQUESTED: NoticeKind.NEEDS_INFO,
                                       EventAction.REJECTED: NoticeKind.REJECTED}


def default_next_steps(reason: str, language: str, config: Config) -> str:
    """What the citizen should do next after a rejection for ``reason``, in ``language`` (the officer may edit
    it), with the department's phone numbers from the configuration."""
    if reason not in REJECT_REASONS:
        raise ValueError(f"unknown rejection reason {reason!r}")
    department = config.department
    params = {"phone": department.non_emergency_phone, "desk": department.desk_phone,
              "emergency": department.emergency_number, "city": config.jurisdiction.city_names[0]}
    return render(Problem("", f"review.next_steps.{reason}", params), language)


class ReviewService:
    def __init__(self, store: Store, config: Config, clock: Clock, audit: AuditLog, reports: ReportService,
                 outbox: NoticeOutbox) -> None:
        self._store = store
        self._db = store.db
        self._models = store.models
        self._config = config
        self._clock = clock
        self._audit = audit
        self._reports = reports
        self._outbox = outbox
        self._queue = ReviewQueue(store, config, clock)

    # -- the queue -----------------------------------------------------------------------------------------------

    def queue_page(self, flt: QueueFilter, limit: int = 50, after: QueueRow | None = None) -> list[QueueRow]:
        return self._queue.page(flt, limit, after)

    def queue_count(self, flt: QueueFilter) -> int:
        return self._queue.count(flt)

    def status_counts(self, flt: QueueFilter) -> dict[str, int]:
        return self._queue.status_counts(flt)

    def query_plans(self, flt: QueueFilter, after: QueueRow | None = None) -> list[str]:
        return self._queue.query_plans(flt, after)

    # -- one report ----------------------------------------------------------------------------------------------

    def open_report(self, tracking: TrackingNumber, session: OfficerSession) -> ReportDetail:
        """The report with everything the detail screen shows. Audited (``report_opened``); a ``submitted`` report
        moves to ``in_review`` (history event and audit entry ``review_started``). Raises ReportNotFound."""
        with self._db.atomic("IMMEDIATE"):
            row = self._row(tracking)
            self._audit.record(session.actor, "report_opened", tracking, status=row.status)
            if lifecycle.can("review_started", row.status):
                self._start_review(row, session.actor)
            report = self._reports.get(tracking)
            version = self._version(row.id)
            duplicates = find_duplicates(self._db, row.id, self._config.kiosk.zone,
                                         self._config.review.duplicate_window_days)
        return ReportDetail(
            report=report,
            version=version,
            items_total=items_total(report),
            duplicates=duplicates,
            nibrs=nibrs.suggest(report),
            notices=list(self._outbox.for_report(tracking)),
            contact=contact_text(report),
            decisions=lifecycle.decisions_allowed(report["status"]),
            overruled=self._overruled(row.id),
        )

    # -- decisions -----------------------------------------------------------------------------------------------

    def approve(self, tracking: TrackingNumber, session: OfficerSession, *, nibrs_code: str, expected_version: int,
                message: str = "") -> Decision:
        """Approve with the confirmed NIBRS code. A standalone kiosk gives the next official report number of the
        year and queues the "approved" e-mail at once; a kiosk that syncs (``sync.server_url``) stores the approval
        with no number ("official number pending"; the Decision's ``official_number`` is None) and the server's
        number, with the e-mail, follows when the server acknowledges the approval
        (:func:`kiosk.sync.order.on_acknowledged`)."""
        code = nibrs.normalise_code(nibrs_code or "")
        message = notes.clean_text(message)
        problems = _too_long("message", message, MAX_MESSAGE)
        if not code:
            problems.append(Problem("nibrs_code", "review.nibrs_required"))
        elif code not in nibrs.CODES:
            problems.append(Problem("nibrs_code", "review.nibrs_unknown", {"code": code}))
        _refuse(problems)
        with self._db.atomic("IMMEDIATE"):
            row = self._checked(tracking, EventAction.APPROVED, expected_version, session)
            if row.category == Category.LOST_PROPERTY and code != nibrs.LOST_PROPERTY:
                _refuse([Problem("nibrs_code", "review.nibrs_lost_property", {"lost": nibrs.LOST_PROPERTY})])
            if row.category != Category.LOST_PROPERTY and code == nibrs.LOST_PROPERTY:
                _refuse([Problem("nibrs_code", "review.nibrs_not_lost",
                                 {"lost": nibrs.LOST_PROPERTY, "category": row.category}, ("category",))])
            # A kiosk that syncs gets the number from the department's server (one sequence for the department):
            # the approval is stored without one, and its e-mail waits for it (kiosk.sync.apply).
            official_number = None if self._syncs() else self._next_official_number()
            self._decide(row, session, EventAction.APPROVED, message=message or None,
                         columns={"official_number": official_number, "nibrs_code": code},
                         notice={"official_number": official_number} if official_number else None,
                         audit={"official_number": official_number, "nibrs_code": code})
        log.info("report %s approved as %s (%s)", tracking, official_number or "(number pending)", code)
        return Decision(tracking, Status.APPROVED, official_number)

    def request_info(self, tracking: TrackingNumber, session: OfficerSession, *, question: str, phone_note: str = "",
                     expected_version: int) -> Decision:
        """Ask the citizen a question (e-mailed; answered at the kiosk). ``phone_note``: a note of a phone call,
        kept in the history only (see :mod:`kiosk.review.notes`)."""
        question = notes.clean_text(question)
        phone_note = notes.one_paragraph(phone_note)
        problems = []
        if not question:
            problems.append(Problem("question", "review.question_required"))
        problems += _too_long("question", question, MAX_QUESTION) + _too_long("phone_note", phone_note,
                                                                              MAX_PHONE_NOTE)
        _refuse(problems)
        with self._db.atomic("IMMEDIATE"):
            row = self._checked(tracking, "info_requested", expected_version, session)
            self._decide(row, session, "info_requested", message=notes.info_message(question, phone_note),
                         notice={"question": question}, audit={"phone_note": 1 if phone_note else 0})
        log.info("report %s: more information requested", tracking)
        return Decision(tracking, Status.NEEDS_INFO, None)

    def reject(self, tracking: TrackingNumber, session: OfficerSession, *, reason: str, next_steps: str | None = None,
               duplicate_of: TrackingNumber | None = None, message: str = "", expected_version: int) -> Decision:
        """Reject for one of :data:`REJECT_REASONS`. ``duplicate`` names the original (``duplicate_of``, read where
        the officer typed it); ``other`` needs ``message``; ``next_steps`` left out (or blank) takes
        :func:`default_next_steps` in the report's language."""
        message = notes.clean_text(message)
        steps = notes.one_paragraph(next_steps or "")
        original: TrackingNumber | None = None
        problems = _too_long("message", message, MAX_MESSAGE) + _too_long("next_steps", steps, MAX_NEXT_STEPS)
        if reason not in REJECT_REASONS:
            problems.append(Problem("reason", "review.reason_unknown"))
        if reason == RejectionReason.OTHER and not message:
            problems.append(Problem("message", "review.message_required"))
        if reason == RejectionReason.DUPLICATE:
            if duplicate_of is None:
                problems.append(Problem("duplicate_of", "review.duplicate_of_required"))
            else:
                original = duplicate_of
        _refuse(problems)
        if original == tracking:
            _refuse([Problem("duplicate_of", "review.duplicate_of_self")])
        with self._db.atomic("IMMEDIATE"):
            row = self._checked(tracking, EventAction.REJECTED, expected_version, session)
            Report = self._models.Report
            if original is not None and not Report.select().where(Report.tracking_number == original).exists():
                _refuse([Problem("duplicate_of", "review.duplicate_of_unknown", {"tracking": original})])
            steps = steps or default_next_steps(reason, row.language, self._config)
            own_words = reason == RejectionReason.OTHER
            notice = {"reason_code": reason, "next_steps": f"{message}\n\n{steps}" if own_words else steps}
            if original is not None:
                notice["duplicate_of"] = original
            self._decide(row, session, EventAction.REJECTED, reason_code=reason,
                         message=notes.reject_message(message, original or "", steps), notice=notice,
                         audit={"reason": reason, "duplicate_of": original})
        log.info("report %s rejected (%s)", tracking, reason)
        return Decision(tracking, Status.REJECTED, None)

    # -- prints --------------------------------------------------------------------------------------------------

    def reprint_receipt(self, tracking: TrackingNumber, session: OfficerSession) -> str:
        """A new access code for a receipt printed again (the old code stops working); audited."""
        with self._db.atomic("IMMEDIATE"):
            code = self._reports.reissue_access_code(tracking, session.actor)
            self._audit.record(session.actor, "receipt_reprinted", tracking)
        return code

    def record_copy_printed(self, tracking: TrackingNumber, session: OfficerSession) -> None:
        with self._db.atomic("IMMEDIATE"):
            self._row(tracking)
            self._audit.record(session.actor, "copy_printed", tracking)

    # -- inside the transaction ----------------------------------------------------------------------------------

    def _row(self, tracking: TrackingNumber) -> ReportRow:
        Report = self._models.Report
        row = Report.get_or_none(Report.tracking_number == tracking)
        if row is None:
            raise ReportNotFound(tracking)
        return row

    def _version(self, report_id: int) -> int:
        (version,) = self._db.execute_sql("SELECT MAX(id) FROM report_event WHERE report_id = ?",
                                          (report_id,)).fetchone()
        return int(version)

    def _checked(self, tracking: TrackingNumber, action: str, expected_version: int,
                 session: OfficerSession) -> ReportRow:
        """The report, read under the write lock, when ``action`` may still be taken on what the officer saw."""
        row = self._row(tracking)
        ReportEvent = self._models.ReportEvent
        newest = (ReportEvent.select().where(ReportEvent.report == row.id).order_by(ReportEvent.id.desc()).first())
        if newest.id != expected_version:
            code = (f"review.conflict.{newest.action}"
                    if newest.action in (EventAction.APPROVED, EventAction.REJECTED, EventAction.INFO_REQUESTED,
                                          EventAction.SUPPLEMENTED)
                    else "review.conflict.changed")
            raise ReviewConflict(self._conflict(code, tracking, newest))
        if not lifecycle.can(action, row.status):
            decided = (ReportEvent.select().where((ReportEvent.report == row.id)
                                                  & (ReportEvent.action == row.status))
                       .order_by(ReportEvent.id.desc()).first()) or newest
            code = f"review.final.{row.status}" if row.status in lifecycle.FINAL else "review.conflict.changed"
            raise ReviewConflict(self._conflict(code, tracking, decided))
        if row.status == Status.SUBMITTED:
            # Decided without being opened (the CLI): the history still shows the review starting.
            self._start_review(row, session.actor)
            row = self._row(tracking)
        return row

    def _conflict(self, code: str, tracking: TrackingNumber, event: EventRow) -> Problem:
        at = event.at.astimezone(self._config.kiosk.zone)
        today = self._clock.now().astimezone(self._config.kiosk.zone).date()
        when = f"{at:%H:%M}" if at.date() == today else f"{at:%Y-%m-%d %H:%M}"
        who = event.actor.removeprefix("officer:")
        return Problem("status", code, {"tracking": tracking, "who": who, "at": when})

    def _start_review(self, row: ReportRow, actor: str) -> None:
        status = lifecycle.next_status("review_started", row.status)
        at = self._clock.now()
        self._models.ReportEvent.create(report=row.id, at=at, actor=actor, action="review_started", status=status)
        Report = self._models.Report
        Report.update(status=status, updated_at=at).where(Report.id == row.id).execute()
        self._audit.record(actor, "review_started", row.tracking_number)

    def _decide(self, row: ReportRow, session: OfficerSession, action: str, *, message: str | None,
                notice: Mapping[str, str | None] | None, audit: dict[str, str | int | None],
                reason_code: str | None = None, columns: dict[str, str | None] | None = None) -> None:
        status = lifecycle.next_status(action, row.status)
        at = self._clock.now()
        self._models.ReportEvent.create(report=row.id, at=at, actor=session.actor, action=action, status=status,
                                        reason_code=reason_code, message=message)
        Report = self._models.Report
        Report.update(status=status, updated_at=at, **(columns or {})).where(Report.id == row.id).execute()
        # At a kiosk that syncs the e-mail waits until the decision is final in the server's order: the sync engine
        # queues it with the server's acknowledgement (kiosk.sync.order.on_acknowledged).
        if notice is not None and not self._syncs():
            report = self._reports.get(TrackingNumber.from_stored(row.tracking_number))
            self._outbox.add(row.id, _NOTICE_KIND[action], report, **notice)
        self._audit.record(session.actor, action, row.tracking_number, **audit)

    def _overruled(self, report_id: int) -> tuple[Overruled, ...]:
        """The report's status changes made here that the server's order did not keep (none when standalone)."""
        if not self._syncs():
            return ()
        from kiosk.sync.order import overruled

        return tuple(overruled(self._store, report_id))

    def _syncs(self) -> bool:
        """Whether this kiosk sends its reports to a department server (``[sync] server_url``)."""
        return bool(self._config.sync.server_url)

    def _next_official_number(self) -> str:
        year = self._clock.now().astimezone(self._config.kiosk.zone).year
        self._db.execute_sql("INSERT INTO official_sequence (year, last) VALUES (?, 1) "
                             "ON CONFLICT (year) DO UPDATE SET last = last + 1", (year,))
        (sequence,) = self._db.execute_sql("SELECT last FROM official_sequence WHERE year = ?", (year,)).fetchone()
        return self._config.review.official_number_pattern.format(
            year=year, yy=f"{year % 100:02d}", seq=sequence, short_name=self._config.department.short_name)


def items_total(report: ReportDocument | StoredReport) -> Decimal:
    total = Decimal("0.00")
    for item in report.get("items", []):
        try:
            total += Decimal(str(item.get("value") or "0"))
        except InvalidOperation:
            continue
    return total.quantize(Decimal("0.01"))


def contact_text(report: ReportDocument | StoredReport) -> str:
    reporter = report.get("reporter")
    email = (reporter.get("email") or "").strip() if reporter else ""
    if email:
        return email
    phone = (reporter.get("phone") or "") if reporter else ""
    return render(Problem("", "review.call_citizen", {"phone": display_phone(phone)}), SOURCE_LANGUAGE)


def _too_long(field: str, text: str, limit: int) -> list[Problem]:
    if len(text) > limit:
        return [Problem(field, "review.text_too_long", {"max": limit, "count": len(text)})]
    return []


def _refuse(problems: list[Problem]) -> None:
    if problems:
        raise ReviewInputError(problems)
