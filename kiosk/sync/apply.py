"""What the server's answers change at the kiosk (docs/sync.md): a decision pulled from the decisions feed, and the
official number the server gives an approval that was made while the kiosk waited for it.

Both run inside one transaction with everything that follows from them (the history event and its ``event_sync``
row, the report's columns, the citizen's e-mail notice, the audit entry), so a decision is applied once, whole, or
not at all. The sync engine (:mod:`kiosk.sync.engine`) calls them; they never talk to the network.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, cast

from kiosk.clock import Clock
from kiosk.config import Config
from kiosk.lifecycle import REJECT_REASONS
from kiosk.storage.database import Store
from kiosk.storage.timestamps import utc_from_text
from kiosk.sync.protocol import FEED_ACTIONS, WEB_ANSWER_ACTOR, DecisionItem
from kiosk.tracking import TrackingNumber, TrackingNumberError
from kiosk.vocabulary import EventAction, NoticeKind, RejectionReason, Status

if TYPE_CHECKING:
    from kiosk.audit import AuditLog
    from kiosk.notices.outbox import NoticeOutbox
    from kiosk.review.model import DecisionNote
    from kiosk.storage.models import Report as ReportRow

log = logging.getLogger(__name__)

# The status a decision leaves a report in, and the e-mail notice it sends (kiosk.notices.templates.KINDS).
STATUS_OF: dict[str, Status] = {EventAction.APPROVED: Status.APPROVED, EventAction.INFO_REQUESTED: Status.NEEDS_INFO,
                                 EventAction.REJECTED: Status.REJECTED, EventAction.SUPPLEMENTED: Status.IN_REVIEW}
NOTICE_OF: dict[str, NoticeKind] = {EventAction.APPROVED: NoticeKind.APPROVED,
                                    EventAction.INFO_REQUESTED: NoticeKind.NEEDS_INFO,
                                    EventAction.REJECTED: NoticeKind.REJECTED}
# Who the audit log names for what the sync engine stored on the server's word.
SYNC_ACTOR = "sync"
# The audit entry of a citizen's answer given on the status page (``source=web``; the kiosk's own answer is audited
# ``supplemented`` by kiosk.lookup).
WEB_ANSWER_AUDIT = "supplemented"


def apply_decision(store: Store, config: Config, clock: Clock, outbox: NoticeOutbox, audit: AuditLog,
                   decision: object) -> bool:
    """Apply one item of the decisions feed (docs/sync-api.md, "Pull decisions"). Returns True when it was applied;
    False when this kiosk already has it (its ``event_id`` is known), when the tracking number is not on this kiosk,
    or when the item is not a decision the kiosk can read (each logged, without personal data).

    The server's order is the one order (kiosk.sync.order): every local status change of the report not sent yet
    was made without this decision and is overruled first (audited ``decision_overruled``); the report takes the
    decision's status, official number and NIBRS code whatever its local status was, and the citizen's e-mail of the
    decision is queued (it is final in the server's order).

    A ``supplemented`` item is the citizen's answer given on the status page (actor ``citizen:web``): it is stored as
    the kiosk's own answer is (a history event holding the answer, the report back ``in_review``) and audited with
    ``source=web``; the citizen gets no e-mail (the kiosk sends none for its own answer either: the page has just
    told them it arrived). A kiosk answer still pending is overruled like any other local status change, and stays
    in the history with its words for the officer (kiosk.review's ``overruled``)."""
    read = _read(decision)
    if isinstance(read, str):
        log.warning("sync: decision %r skipped: %s", _safe_id(decision), read)
        return False
    decision, tracking = read
    remote_id = decision["event_id"]
    action = decision["action"]
    models = store.models
    Report, ReportEvent, EventSync = models.Report, models.ReportEvent, models.EventSync
    now = clock.now()
    with store.db.atomic("IMMEDIATE"):
        if EventSync.select().where(EventSync.remote_id == remote_id).exists():
            log.info("sync: decision %s on %s already applied", remote_id, tracking)
            return False
        row = Report.get_or_none(Report.tracking_number == tracking)
        if row is None:
            log.warning("sync: decision %s names %s, which is not on this kiosk; skipped", remote_id, tracking)
            return False
        from kiosk.sync import order

        overruled = order.overrule_pending(
            store, row.id, f"overruled: the department's order has {action} by {decision['actor']} first")
        for local_id in overruled:
            audit.record(order.SYNC_ACTOR, order.OVERRULED_AUDIT, tracking, event=local_id, by=remote_id)
        document = _document(row)
        at = _when(decision.get("at"), now)
        status = STATUS_OF[action]
        reason = decision.get("reason_code") if action == EventAction.REJECTED else None
        message = decision.get("message")
        notice: dict[str, str] = {}
        if action == EventAction.SUPPLEMENTED:
            return _apply_web_answer(store, audit, row, decision, tracking, at, now)
        if action == "info_requested":
            notice["question"] = _note("info_requested", message).text or ""
        elif action == EventAction.REJECTED:
            reason = reason if reason in REJECT_REASONS else RejectionReason.OTHER
            message, notice = _rejection(reason, message, document, config)
        official_number = (decision.get("official_number") or None) if action == EventAction.APPROVED else None
        event = ReportEvent.create(report=row.id, at=at, actor=decision["actor"], action=action, status=status,
                                   reason_code=reason, message=message)
        EventSync.create(event=event.id, remote_id=remote_id, acked_at=now)
        Report.update(status=status, official_number=official_number, nibrs_code=decision.get("nibrs_code") or None,
                      updated_at=at).where(Report.id == row.id).execute()
        if action == EventAction.APPROVED:
            if official_number:
                outbox.add(row.id, NoticeKind.APPROVED, document, official_number=official_number)
            else:
                log.warning("sync: approval %s of %s came without an official number; no e-mail yet", remote_id,
                            tracking)
        else:
            outbox.add(row.id, NOTICE_OF[action], document, **notice)
        audit.record(decision["actor"], "decision_received", tracking, decision=action, event_id=remote_id,
                     official_number=official_number, reason=reason)
    log.info("sync: decision %s applied: %s %s", remote_id, tracking, status)
    return True


def _apply_web_answer(store: Store, audit: AuditLog, row: ReportRow, decision: DecisionItem, tracking: TrackingNumber,
                      at: datetime, now: datetime) -> bool:
    """The citizen's answer from the status page (inside apply_decision's transaction): see apply_decision."""
    from kiosk.rules.fields import clean_block

    models = store.models
    remote_id = decision["event_id"]
    answer = clean_block(decision.get("message") or "")  # as kiosk.lookup.clean_answer stores the kiosk's own
    event = models.ReportEvent.create(report=row.id, at=at, actor=WEB_ANSWER_ACTOR, action=EventAction.SUPPLEMENTED,
                                      status=Status.IN_REVIEW, message=answer)
    models.EventSync.create(event=event.id, remote_id=remote_id, acked_at=now)
    models.Report.update(status=Status.IN_REVIEW, official_number=None, nibrs_code=None,
                         updated_at=at).where(models.Report.id == row.id).execute()
    audit.record(WEB_ANSWER_ACTOR, WEB_ANSWER_AUDIT, tracking, source="web", event_id=remote_id)
    log.info("sync: the citizen's answer %s from the status page applied: %s in_review", remote_id, tracking)
    return True


def record_official_number(store: Store, config: Config, clock: Clock, outbox: NoticeOutbox, audit: AuditLog,
                           report_id: int, official_number: str) -> None:
    """Store the official number the server gave the report's approval and queue the "approved" e-mail that was held
    back for it (audit ``official_number_received``). Called inside the engine's transaction for the server's
    acknowledgement of the ``approved`` event. Idempotent: a number the report already has changes nothing (a kiosk
    that numbered its approvals itself before it was connected gets its own number back)."""
    official_number = (official_number or "").strip()
    if not official_number:
        raise ValueError("official_number must not be empty")
    Report = store.models.Report
    with store.db.atomic("IMMEDIATE"):
        row = Report.get_or_none(Report.id == report_id)
        if row is None:
            raise ValueError(f"no report with id {report_id}")
        if row.official_number == official_number:
            return
        if row.official_number:
            # Not expected (the server keeps a number the kiosk sent); the server's number is the department's.
            log.warning("sync: report %s had official number %s; the server gave %s", row.tracking_number,
                        row.official_number, official_number)
        Report.update(official_number=official_number).where(Report.id == row.id).execute()
        if row.status == Status.APPROVED and not row.official_number:
            outbox.add(row.id, NoticeKind.APPROVED, _document(row), official_number=official_number)
        audit.record(SYNC_ACTOR, "official_number_received", row.tracking_number, official_number=official_number)
    log.info("sync: report %s has official number %s", row.tracking_number, official_number)


# -- helpers ---------------------------------------------------------------------------------------------------------

def _read(decision: object) -> tuple[DecisionItem, TrackingNumber] | str:
    """The decision and its tracking number, read from the server's JSON: the one place a pulled decision's number is
    parsed. Else what makes ``decision`` unreadable."""
    if not isinstance(decision, dict):
        return "not an object"
    for key in ("event_id", "tracking_number", "action", "actor"):
        if not isinstance(decision.get(key), str) or not decision[key].strip():
            return f"{key} missing"
    if decision["action"] not in FEED_ACTIONS:
        return f"action {decision['action']!r} is not a decision"
    if decision["action"] == "info_requested" and not (decision.get("message") or "").strip():
        return "an info_requested decision without a question"
    if decision["action"] == EventAction.SUPPLEMENTED:
        if decision["actor"] != WEB_ANSWER_ACTOR:
            return f"a supplemented item from {decision['actor'][:40]!r}, not the status page"
        if not isinstance(decision.get("message"), str) or not decision["message"].strip():
            return "a citizen's answer without its text"
    try:
        tracking = TrackingNumber.parse(decision["tracking_number"])
    except TrackingNumberError:
        return "tracking_number malformed"
    for key in ("message", "reason_code", "nibrs_code", "official_number", "at"):
        if decision.get(key) is not None and not isinstance(decision[key], str):
            return f"{key} is not text"
    return cast(DecisionItem, decision), tracking  # every key DecisionItem names was found above, of its type


def _safe_id(decision: object) -> str:
    value = decision.get("event_id") if isinstance(decision, dict) else None
    return value[:40] if isinstance(value, str) else "?"


def _document(row: ReportRow) -> dict[str, object]:
    """The stored report as the outbox reads it (language, the citizen's e-mail address, the tracking number)."""
    document: dict[str, object] = json.loads(row.data)
    document["tracking_number"] = row.tracking_number
    return document


def _note(action: str, message: str | None) -> DecisionNote:
    from kiosk.review.notes import parse_note

    return parse_note(action, message)


def _rejection(reason: str, message: str | None, document: Mapping[str, object],
               config: Config) -> tuple[str | None, dict[str, str]]:
    """The history message and the rejected notice's values of a rejection the server sent (kiosk.sync.order)."""
    from kiosk.sync.order import rejection_notice

    return rejection_notice(reason, message, document, config)


def _when(text: str | None, fallback: datetime) -> datetime:
    """The decision's time (ISO 8601 with an offset, as the server sends it); ``fallback`` when missing, unreadable
    or without an offset."""
    if not text:
        return fallback
    try:
        return utc_from_text(text)
    except ValueError:
        return fallback
