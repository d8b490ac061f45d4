"""The citizen's "Check a report": the status of a report for whoever holds its tracking number and access code, and
the citizen's answer when an officer asked for more information.

Guessing is made useless in three ways:

- An unknown tracking number and a wrong access code get the very same refusal, so numbers cannot be probed.
- Every wrong code is stored (``lookup_failure``, by tracking number, known or not). Five wrong codes for one
  tracking number within an hour lock look-ups for it for an hour from the fifth; while locked, every try is refused
  with the minutes left, the right code too, and the refusal never says whether the code was right.
- The audit log records each look-up, failure and lock with the tracking number, never the code that was typed.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import peewee as pw

from kiosk.access_codes import ALPHABET, LENGTH, hash_access_code, normalise, verify_access_code
from kiosk.clock import Clock
from kiosk.config import Config
from kiosk.lifecycle import next_status
from kiosk.messages import Problem, render
from kiosk.rules.fields import clean_block
from kiosk.storage import StoreError
from kiosk.storage.database import Store
from kiosk.tracking import TrackingNumber, TrackingNumberError
from kiosk.translation import SOURCE_LANGUAGE
from kiosk.vocabulary import EventAction, RejectionReason, Status, parse_qr_payload

if TYPE_CHECKING:
    from kiosk.audit import AuditLog
    from kiosk.storage.models import Report as ReportRow
    from kiosk.storage.models import ReportEvent as EventRow

log = logging.getLogger(__name__)

ACTOR = "citizen"
LOCK_AFTER_FAILURES = 5
FAILURE_WINDOW = timedelta(hours=1)
LOCK_DURATION = timedelta(hours=1)
ANSWER_MIN_CHARS = 10
REASON_CODES: tuple[RejectionReason, ...] = tuple(RejectionReason)
# The one language of officer mode's screens (docs/officer-screens.md): what an officer writes may be in it.
OFFICER_MODE_LANGUAGE = SOURCE_LANGUAGE
_CODE_CHARS = re.compile(f"^[{ALPHABET}]{{{LENGTH}}}$")
# Verified against when the tracking number is unknown, so an unknown number costs the same time as a known one.
_NO_REPORT_HASH = hash_access_code("AAAA-AAAA")


class LookupRefused(Exception):
    """The look-up (or the answer) was refused; ``problem`` names the field and says how to fix it."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


class LookupLocked(Exception):
    """Too many wrong access codes for this tracking number: look-ups are paused for ``minutes`` more minutes."""

    def __init__(self, minutes: int) -> None:
        super().__init__(f"locked for {minutes} more minute(s)")
        self.minutes = minutes
        self.problem = Problem("access_code", "lookup.locked", {"minutes": minutes})


@dataclass(frozen=True)
class CitizenStatus:
    """What the citizen may see of their report."""

    tracking_number: TrackingNumber
    status: str
    official_number: str | None  # when approved
    reason_code: str | None  # when rejected
    next_steps: str | None  # when rejected: what to do next, as the officer wrote it
    question: str | None  # when needs_info: the officer's question
    submitted_at: datetime  # aware, in the kiosk's time zone
    can_answer: bool  # needs_info: the citizen can answer at the kiosk
    # Approved at a kiosk that syncs, and the department's server has not given the official number yet
    # (docs/sync.md, "Official numbers"): show "official number pending" instead of a number.
    official_number_pending: bool = False
    # The report's language, which the officer's texts above were stored with (the officer may have written them in
    # it or in English, officer mode's language); set only when the status carries such texts (a question, or next
    # steps). explain() says when they are shown untranslated.
    written_in: str | None = None
    # Rejected for ``other``: the officer's own words, which also open ``next_steps``.
    officer_message: str | None = None
    # Rejected, and the stored next steps are exactly the reason's default text (the officer did not change them):
    # that default in every kiosk language, as (language, text) pairs, so explain() can show it in the visitor's.
    # Empty when the officer wrote their own next steps.
    default_next_steps: tuple[tuple[str, str], ...] = ()


# The tracking number and access code from a scanned receipt QR code (``P2C:T26-01-00042-1:K7QM-2XHD``), or None
# when the text is not one: the one definition of the payload, kiosk.vocabulary's, which the receipt prints.
read_receipt_code = parse_qr_payload


def read_tracking_number(text: str) -> TrackingNumber:
    """The tracking number the visitor typed (or a scanned receipt code put) into Check a report's field: the one place
    the look-up's number is parsed. Raises LookupRefused (field ``tracking_number``) when it is empty or not a tracking
    number, with the message the look-up has always given, shown in the visitor's language."""
    if not (text or "").strip():
        raise LookupRefused(Problem("tracking_number", "lookup.tracking_required"))
    try:
        return TrackingNumber.parse(text)
    except TrackingNumberError as exc:
        raise LookupRefused(Problem("tracking_number", exc.code)) from exc


def clean_answer(text: str) -> str:
    """The citizen's answer as it is stored and counted: line breaks kept, control characters dropped, ends trimmed."""
    return clean_block(text or "")


def read_access_code(access_code: str) -> str:
    """The access code the visitor typed, normalised. Raises LookupRefused (field ``access_code``) when it is empty or
    cannot be anybody's code."""
    code = normalise(access_code or "")
    if not code:
        raise LookupRefused(Problem("access_code", "lookup.code_required"))
    if not _CODE_CHARS.match(code):
        # Not counted as a wrong code: it cannot be anybody's code, and saying so tells nothing about the number.
        raise LookupRefused(Problem("access_code", "lookup.code_format"))
    return code


def answer_problem(answer: str, limit: int) -> Problem | None:
    """What an answer (as :func:`clean_answer` left it) is refused for, with at most ``limit`` characters allowed
    (``rules.narrative_max_chars``); None when it fits."""
    if not answer:
        return Problem("answer", "lookup.answer_required", {"min": ANSWER_MIN_CHARS})
    if len(answer) < ANSWER_MIN_CHARS:
        return Problem("answer", "lookup.answer_too_short", {"min": ANSWER_MIN_CHARS, "count": len(answer)})
    if len(answer) > limit:
        return Problem("answer", "lookup.answer_too_long", {"max": limit, "count": len(answer)})
    return None


def citizen_status(config: Config, tracking: TrackingNumber, status: str, official_number: str | None,
                   submitted_at: datetime, language: str, *, question_message: str | None = None,
                   reason_code: str | None = None, reject_message: str | None = None) -> CitizenStatus:
    """What the citizen may see of a report, from what a store holds of it: its status, official number, submission
    time (aware), language, and the message of its latest ``info_requested`` event (when it needs information) or
    the reason code and message of its latest ``rejected`` event (when rejected)."""
    question = reason = next_steps = officer_message = None
    defaults: tuple[tuple[str, str], ...] = ()
    if status == Status.NEEDS_INFO:
        question = _question_from(question_message)
    elif status == Status.REJECTED and (reason_code is not None or reject_message is not None):
        reason = reason_code
        next_steps = _next_steps_from(reason, reject_message)
        officer_message = _officer_message_from(reason, reject_message)
        defaults = defaults_if_unchanged(config, reason, reject_message)
    return CitizenStatus(
        tracking_number=tracking,
        status=status,
        official_number=official_number if status == Status.APPROVED else None,
        reason_code=reason,
        next_steps=next_steps,
        question=question,
        submitted_at=submitted_at.astimezone(config.kiosk.zone),
        can_answer=status == Status.NEEDS_INFO,
        official_number_pending=status == Status.APPROVED and not official_number,
        written_in=language if (question or next_steps) else None,
        officer_message=officer_message,
        default_next_steps=defaults,
    )


def defaults_if_unchanged(config: Config, reason: str | None, message: str | None) -> tuple[tuple[str, str], ...]:
    """The reason's default next steps in every kiosk language, when the stored next steps are exactly the
    default in one of them (compared with today's configuration: a default written before the department's
    phone numbers changed no longer matches and is shown as stored); otherwise empty."""
    from kiosk.review.notes import parse_note
    from kiosk.review.service import default_next_steps

    stored = parse_note(EventAction.REJECTED, message).next_steps.strip()
    if not stored or reason not in REASON_CODES:
        return ()
    defaults = tuple((language, default_next_steps(reason, language, config).strip())
                     for language in config.kiosk.languages)
    return defaults if any(stored == text for _, text in defaults) else ()


class StatusLookup:
    def __init__(self, store: Store, config: Config, clock: Clock, audit: AuditLog) -> None:
        self._store = store
        self._models = store.models
        self._config = config
        self._clock = clock
        self._audit = audit

    # -- the two actions ---------------------------------------------------------------------------------------------

    def check(self, tracking: TrackingNumber, access_code: str) -> CitizenStatus:
        """The status of the report (``tracking`` as :func:`read_tracking_number` reads the visitor's field). Raises
        LookupRefused (a malformed access code, or number and code do not match), LookupLocked or StoreError."""
        code = self._read_code(access_code)
        try:
            with self._store.db.atomic("IMMEDIATE"):
                row = self._authorise(tracking, code)
                if not isinstance(row, Exception):
                    self._audit.record(ACTOR, "status_lookup", tracking)
                    status = self._citizen_status(row)
        except pw.DatabaseError as exc:
            raise self._store_error("checking a report", exc) from exc
        if isinstance(row, Exception):
            raise row  # after the commit: the wrong code and its audit entries are stored
        log.info("report %s: status looked up (%s)", tracking, status.status)
        return status

    def answer(self, tracking: TrackingNumber, access_code: str, text: str) -> CitizenStatus:
        """Add the citizen's answer to a report that needs more information (a ``supplemented`` event; the report
        goes back to ``in_review``). The same checks as :meth:`check` come first. Raises LookupRefused (field
        ``answer`` when the report is not waiting for an answer or the text does not fit), LookupLocked or
        StoreError; nothing is stored unless everything is."""
        code = self._read_code(access_code)
        answer = clean_answer(text)
        Report, ReportEvent = self._models.Report, self._models.ReportEvent
        at = self._clock.now()
        try:
            with self._store.db.atomic("IMMEDIATE"):
                row = self._authorise(tracking, code)
                if not isinstance(row, Exception):
                    if row.status != Status.NEEDS_INFO:
                        raise LookupRefused(Problem("answer", "lookup.cannot_answer"))
                    problem = self._answer_problem(answer)
                    if problem is not None:
                        raise LookupRefused(problem)
                    status = next_status("supplemented", row.status)
                    ReportEvent.create(report=row, at=at, actor=ACTOR, action="supplemented", status=status,
                                       message=answer)
                    Report.update(status=status, updated_at=at).where(Report.id == row.id).execute()
                    self._audit.record(ACTOR, "supplemented", tracking)
                    result = self._citizen_status(Report.get_by_id(row.id))
        except pw.DatabaseError as exc:
            raise self._store_error("storing a citizen's answer", exc) from exc
        if isinstance(row, Exception):
            raise row  # after the commit: the wrong code and its audit entries are stored
        log.info("report %s: the citizen answered (now %s)", tracking, result.status)
        return result

    def answer_problem(self, text: str) -> Problem | None:
        """What :meth:`answer` would refuse ``text`` for (None when it fits): for a screen to check before sending."""
        return self._answer_problem(clean_answer(text))

    def locked_minutes(self, tracking: TrackingNumber) -> int:
        """Minutes until look-ups for this tracking number are possible again (0 when they are now)."""
        return self._minutes_left(tracking, self._clock.now())

    # -- checks ------------------------------------------------------------------------------------------------------

    _read_code = staticmethod(read_access_code)

    def _authorise(self, tracking: TrackingNumber, code: str) -> ReportRow | LookupLocked | LookupRefused:
        """The report row when ``code`` is its access code and look-ups are not locked; otherwise record what
        happened and return the exception for the caller to raise once its transaction has committed (raising
        inside it would roll the record back). Runs inside the caller's transaction."""
        now = self._clock.now()
        minutes = self._minutes_left(tracking, now)
        if minutes:
            self._audit.record(ACTOR, "status_lookup_locked", tracking, minutes=minutes)
            return LookupLocked(minutes)
        Report = self._models.Report
        row = Report.get_or_none(Report.tracking_number == tracking)
        matches = verify_access_code(code, row.access_code_hash if row is not None else _NO_REPORT_HASH)
        if row is not None and matches:
            return row
        self._models.LookupFailure.create(tracking_number=tracking, at=now)
        self._audit.record(ACTOR, "status_lookup_failed", tracking)
        minutes = self._minutes_left(tracking, now)
        if minutes:  # this was the fifth wrong code within an hour
            self._audit.record(ACTOR, "status_lookup_locked", tracking, minutes=minutes)
            return LookupLocked(minutes)
        return LookupRefused(Problem("access_code", "lookup.mismatch"))

    def _recent_failures(self, tracking: TrackingNumber, now: datetime) -> list[datetime]:
        """Wrong codes for ``tracking`` in the two hours before ``now``, oldest first (an active lock's five failures
        all lie in them)."""
        LookupFailure = self._models.LookupFailure
        since = now - FAILURE_WINDOW - LOCK_DURATION
        query = (LookupFailure.select(LookupFailure.at)
                 .where((LookupFailure.tracking_number == tracking) & (LookupFailure.at >= since))
                 .order_by(LookupFailure.at, LookupFailure.id))
        return [row.at for row in query]

    def _minutes_left(self, tracking: TrackingNumber, now: datetime) -> int:
        locked_until = lock_end(self._recent_failures(tracking, now))
        if locked_until is None or now >= locked_until:
            return 0
        return max(1, math.ceil((locked_until - now).total_seconds() / 60))

    def _answer_problem(self, answer: str) -> Problem | None:
        return answer_problem(answer, self._config.rules.narrative_max_chars)

    # -- what the citizen sees ---------------------------------------------------------------------------------------

    def _citizen_status(self, row: ReportRow) -> CitizenStatus:
        status = row.status
        question = reason = rejection = None
        if status == Status.NEEDS_INFO:
            event = self._latest_event(row, EventAction.INFO_REQUESTED)
            question = event.message if event is not None else None
        elif status == Status.REJECTED:
            event = self._latest_event(row, EventAction.REJECTED)
            if event is not None:
                reason, rejection = event.reason_code, event.message
        return citizen_status(self._config, TrackingNumber.from_stored(row.tracking_number), status,
                              row.official_number, row.submitted_at, row.language, question_message=question,
                              reason_code=reason, reject_message=rejection)

    def _latest_event(self, row: ReportRow, action: str) -> EventRow | None:
        ReportEvent = self._models.ReportEvent
        latest: EventRow | None = (ReportEvent.select()
                                   .where((ReportEvent.report == row.id) & (ReportEvent.action == action))
                                   .order_by(ReportEvent.id.desc()).first())
        return latest

    # -- helpers -----------------------------------------------------------------------------------------------------

    @staticmethod
    def _store_error(doing: str, exc: Exception) -> StoreError:
        log.error("%s failed: %s", doing, exc.__class__.__name__, exc_info=True)
        return StoreError(f"{doing} failed")


def lock_end(failures: list[datetime], after: int = LOCK_AFTER_FAILURES) -> datetime | None:
    """When the latest lock made by ``failures`` (oldest first) ends: ``after`` (five) failures within an hour lock
    for an hour from the last of them. Failures before a lock's end do not count towards the next lock."""
    window: list[datetime] = []
    locked_until: datetime | None = None
    for failure in failures:
        if locked_until is not None and failure < locked_until:
            continue
        window = [earlier for earlier in window if failure - earlier <= FAILURE_WINDOW] + [failure]
        if len(window) >= after:
            locked_until = failure + LOCK_DURATION
            window = []
    return locked_until


def _question_from(message: str | None) -> str | None:
    """The officer's question from an ``info_requested`` event's message, without the officer's phone note."""
    from kiosk.review.notes import parse_note

    return parse_note("info_requested", message).text.strip() or None


def _next_steps_from(reason: str | None, message: str | None) -> str | None:
    """What to do next, from a ``rejected`` event's message: the next steps, after the officer's own words when the
    reason is ``other`` (as the e-mail notice says it)."""
    from kiosk.review.notes import parse_note

    note = parse_note(EventAction.REJECTED, message)
    parts = [note.text.strip()] if reason == RejectionReason.OTHER and note.text.strip() else []
    if note.next_steps.strip():
        parts.append(note.next_steps.strip())
    return "\n\n".join(parts) or None


def _officer_message_from(reason: str | None, message: str | None) -> str | None:
    """The officer's own words that open the next steps (reason ``other`` only), or None."""
    from kiosk.review.notes import parse_note

    return (parse_note(EventAction.REJECTED, message).text.strip() or None) if reason == RejectionReason.OTHER else None


def explain(status: CitizenStatus, language: str) -> str:
    """The status in plain words, in ``language``, for the citizen. Next steps the officer left as the reason's
    default are shown in ``language``; the officer's own words (a question, a message, next steps they wrote) are
    shown as written, followed by a sentence saying so unless they can only be in ``language`` (see
    :func:`_as_written_note`)."""
    if status.status == Status.APPROVED:
        if status.official_number_pending or not status.official_number:
            return render(Problem("", "lookup.status.approved_pending"), language)
        return render(Problem("", "lookup.status.approved", {"official_number": status.official_number or ""}),
                      language)
    if status.status == Status.NEEDS_INFO:
        if status.question:
            text = render(Problem("", "lookup.status.needs_info", {"question": status.question}), language)
            return text + _as_written_note(status, language)
        return render(Problem("", "lookup.status.needs_info_no_question"), language)
    if status.status == Status.REJECTED:
        reason = render(Problem("", f"lookup.reason.{_known_reason(status.reason_code)}"), language)
        next_steps = _next_steps_in(status, language)
        if next_steps:
            text = render(Problem("", "lookup.status.rejected", {"reason": reason, "next_steps": next_steps}),
                          language)
            own_words = status.officer_message is not None or not status.default_next_steps
            return text + (_as_written_note(status, language) if own_words else "")
        return render(Problem("", "lookup.status.rejected_no_steps", {"reason": reason}), language)
    if status.status in (Status.SUBMITTED, Status.IN_REVIEW):
        return render(Problem("", f"lookup.status.{status.status}"), language)
    return status.status


def _next_steps_in(status: CitizenStatus, language: str) -> str | None:
    """The next steps to show a visitor reading ``language``: the reason's default in that language when the officer
    left the default (after the officer's own words, for ``other``), else the next steps as stored."""
    translated = dict(status.default_next_steps).get(language)
    if not translated:
        return status.next_steps
    return "\n\n".join(([status.officer_message] if status.officer_message else []) + [translated])


def _as_written_note(status: CitizenStatus, language: str) -> str:
    """A sentence saying the officer's words are shown untranslated, unless they can only be in the visitor's
    language; else nothing. One sentence on the same line, so the status page still fits the screen with its answer
    box.

    Nothing records the language an officer wrote in. Officer mode is in English only, so an officer may write in
    English whatever the report's language, or in the report's language (their screen offers the reason's default next
    steps in it for editing, and they may write to a Spanish speaker in Spanish). The words can only be in the
    visitor's language when the visitor reads the page in officer mode's language and the report is in it too: then
    the sentence is left out; in every other case it follows them."""
    if not status.written_in or language == status.written_in == OFFICER_MODE_LANGUAGE:
        return ""
    return " " + render(Problem("", "lookup.officer_words_as_written"), language)


def _known_reason(code: str | None) -> str:
    return code if code in REASON_CODES else RejectionReason.OTHER
