"""``POST /api/v1/events``: apply a batch of history events, all or nothing, idempotent by event id + body hash.

Status changes follow the kiosk's own lifecycle (kiosk.lifecycle). An approval without an official number gets the
department's next one; an approval that carries one (a kiosk that numbered its reports before it was connected)
keeps it.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from kiosk import lifecycle, nibrs
from kiosk.config import Config
from kiosk.review.model import REJECT_REASONS
from kiosk.sync.protocol import content_hash, parse_event_id
from kiosk.tracking import TrackingNumber
from server.db import ServerDatabase, write_transaction
from server.errors import ErrorItem
from server.input_checks import text_problems
from server.kiosks import KioskInfo, now_stamp
from server.official_numbers import next_official_number
from server.refusals import ConflictRecord, Refusals, record_conflicts
from server.schemas import EventResult, PushedEvent

log = logging.getLogger(__name__)


class _Rollback(Exception):
    pass


def push_events(database: ServerDatabase, config: Config, kiosk: KioskInfo,
                events: list[PushedEvent]) -> list[EventResult]:
    """Apply ``events`` pushed by ``kiosk``; raises Refused (nothing stored) when any item is refused."""
    refusals = Refusals()
    bodies = [item.model_dump(mode="json") for item in events]
    ok = [_check(i, item, bodies[i], kiosk, refusals) for i, item in enumerate(events)]
    results: list[EventResult] = []
    with database.db.connection_context():
        try:
            with write_transaction(database):
                results = _apply(database, config, kiosk, events, bodies, ok, refusals)
                if refusals:
                    raise _Rollback
        except _Rollback:
            pass
        if refusals:
            record_conflicts(database, refusals.conflicts)
            raise refusals.error()
    log.info("kiosk %d pushed %d events (%d new)", kiosk.number, len(events),
             sum(1 for r in results if r.outcome == "stored"))
    return results


def _check(index: int, item: PushedEvent, body: dict[str, Any], kiosk: KioskInfo, refusals: Refusals) -> bool:
    """The checks that need no database."""
    prefix = f"events[{index}]"
    problems: list[tuple[int, str, str, str]] = []
    tracking = TrackingNumber.parse(item.tracking_number)
    parsed = parse_event_id(item.event_id)
    if tracking.kiosk != kiosk.number:
        problems.append((403, "tracking_number", "other_kiosk",
                         f"this report belongs to kiosk {tracking.kiosk}; this token is kiosk {kiosk.number}'s"))
    if parsed is None:
        problems.append((422, "event_id", "event_id_format",
                         "must be K<kiosk number, 2 digits>-<row id>, such as K01-123 (kiosk.sync.protocol.event_id)"))
    elif parsed[0] != kiosk.number:
        problems.append((403, "event_id", "other_kiosk",
                         f"this event id is kiosk {parsed[0]}'s; this token is kiosk {kiosk.number}'s"))
    for field, code, message in text_problems(body, ""):
        problems.append((422, field, code, message))
    if item.action == "approved" and item.nibrs_code is not None and not nibrs.is_known(item.nibrs_code):
        problems.append((422, "nibrs_code", "nibrs_unknown", "is not a NIBRS code the kiosk knows (kiosk.nibrs)"))
    if item.action == "approved" and item.nibrs_code is None:
        problems.append((422, "nibrs_code", "nibrs_required", "an approval needs the confirmed NIBRS code"))
    if item.action == "rejected" and item.reason_code not in REJECT_REASONS:
        problems.append((422, "reason_code", "reason_unknown", "must be one of " + ", ".join(REJECT_REASONS)))
    for status, field, code, message in problems:
        refusals.add(status, ErrorItem(index=index, tracking_number=item.tracking_number, event_id=item.event_id,
                                       field=f"{prefix}.{field}", code=code, message=message))
    return not problems


def _apply(database: ServerDatabase, config: Config, kiosk: KioskInfo, events: list[PushedEvent],
           bodies: list[dict[str, Any]], ok: list[bool], refusals: Refusals) -> list[EventResult]:
    Report, Event = database.models.Report, database.models.Event
    received = now_stamp()
    results: list[EventResult] = []
    for index, item in enumerate(events):
        if not ok[index]:
            continue
        body_hash = content_hash(bodies[index])

        def refuse(status: int, field: str, code: str, message: str, stored_hash: str | None = None,
                   index: int = index, item: PushedEvent = item, body_hash: str = body_hash) -> None:
            refusals.add(status, ErrorItem(index=index, tracking_number=item.tracking_number, event_id=item.event_id,
                                           field=f"events[{index}].{field}", code=code, message=message))
            if status == 409:
                refusals.conflicts.append(ConflictRecord(
                    "event", kiosk.number, item.tracking_number, item.event_id, code, message, stored_hash,
                    body_hash, json.dumps(bodies[index], ensure_ascii=False, sort_keys=True)))

        existing = Event.get_or_none(Event.event_id == item.event_id)
        if existing is not None:
            if existing.body_hash == body_hash:
                results.append(EventResult(event_id=item.event_id, outcome="already_stored",
                                           official_number=existing.official_number))
            else:
                refuse(409, "event_id", "event_differs",
                       "the server already holds this event id with a different body", existing.body_hash)
            continue
        report = Report.get_or_none(Report.tracking_number == item.tracking_number)
        if report is None:
            refuse(422, "tracking_number", "report_unknown",
                   "the server does not have this report; push the report before its events")
            continue
        status = report.status
        if item.action in lifecycle.TRANSITIONS:
            if not lifecycle.can(item.action, status):
                refuse(409, "action", "decided_elsewhere", _decided_elsewhere(database, report, item.action))
                continue
            status = lifecycle.next_status(item.action, status)
            if item.status != status:
                refuse(422, "status", "status_mismatch", f"must be {status}, the status {item.action} leads to")
                continue
        official_number = item.official_number
        columns: dict[str, Any] = {}
        if item.action == "approved":
            if official_number is None:
                official_number = next_official_number(database, config, datetime.fromisoformat(item.at))
            columns = {"official_number": official_number, "nibrs_code": nibrs.normalise_code(item.nibrs_code or "")}
        else:
            official_number = None
        Event.create(event_id=item.event_id, tracking_number=item.tracking_number, kiosk_number=report.kiosk_number,
                     origin=kiosk.number, body_hash=body_hash, at=item.at, actor=item.actor, action=item.action,
                     status=status, reason_code=item.reason_code, message=item.message,
                     nibrs_code=item.nibrs_code if item.action == "approved" else None,
                     official_number=official_number, received_at=received)
        if status != report.status or columns:
            Report.update(status=status, **columns).where(Report.id == report.id).execute()
        results.append(EventResult(event_id=item.event_id, outcome="stored", official_number=official_number))
    return results


def _decided_elsewhere(database: ServerDatabase, report: Any, action: str) -> str:
    Event = database.models.Event
    decided = (Event.select().where((Event.tracking_number == report.tracking_number)
                                    & (Event.action == report.status))
               .order_by(Event.id.desc()).first())
    who = f" by {decided.actor} at {decided.at}" if decided is not None else ""
    return (f"the report is {report.status} on the server{who}, so {action} is no longer possible; "
            "the decision reaches the kiosk through the decisions feed")
