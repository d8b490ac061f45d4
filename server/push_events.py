"""``POST /api/v1/events``: apply a batch of history events, all or nothing, idempotent by event id + body hash.

The server's log is the one order of a report's status changes (docs/sync-api.md, "One order of decisions"). A status
change carries the report's version it was made on (how many status changes the kiosk's history held); it is stored
only when that is the report's version at the server, and then follows the kiosk's own lifecycle (kiosk.lifecycle).
A stale one is refused (409 ``stale_version``, naming the status change the kiosk did not know), and so is every
later status change of the same report in the push (409 ``follows_refused``): they were made on top of it. Events
that do not change the status (``submitted``, ``receipt_reprinted``) are appended where they arrive.

An approval gets the department's next official number. It may carry a number of its own only when the department
imported that number for that report (a kiosk that numbered its approvals while standalone, ``p2c-server
import-numbers``); any other number is refused (403 ``official_number_not_allowed``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import peewee as pw

from kiosk import lifecycle, nibrs
from kiosk.config import Config
from kiosk.sync.protocol import content_hash, parse_event_id
from kiosk.vocabulary import EventAction
from server import models
from server.batch_sql import insert_rows, select_in, update_rows
from server.db import ServerDatabase
from server.errors import ErrorItem
from server.kiosks import KioskInfo, now_stamp
from server.official_numbers import reserve_official_numbers
from server.refusals import ConflictRecord, Refusals, all_or_nothing
from server.schemas import EventResult, Outcome, PushedEvent, tracking_of

log = logging.getLogger(__name__)


def push_events(database: ServerDatabase, config: Config, kiosk: KioskInfo,
                events: list[PushedEvent]) -> list[EventResult]:
    """Apply ``events`` pushed by ``kiosk``; raises Refused (nothing stored) when any item is refused."""
    refusals = Refusals()
    # The body hash leaves the version out: it is worked out by the kiosk when it pushes, and an event stored before
    # versions existed must still be recognised when it is sent again.
    bodies = [item.model_dump(mode="json", exclude={"version"}) for item in events]
    ok = [_check(i, item, kiosk, refusals) for i, item in enumerate(events)]
    hashes = [content_hash(body) if good else "" for body, good in zip(bodies, ok, strict=True)]  # before the lock
    with database.db.connection_context():
        results = all_or_nothing(database, refusals,
                                 lambda: _apply(database, config, kiosk, events, bodies, hashes, ok, refusals))
    log.info("kiosk %d pushed %d events (%d new)", kiosk.number, len(events),
             sum(1 for r in results if r.outcome == "stored"))
    return results


def _check(index: int, item: PushedEvent, kiosk: KioskInfo, refusals: Refusals) -> bool:
    """The checks that need no database."""
    prefix = f"events[{index}]"
    problems: list[tuple[int, str, str, str]] = []
    tracking = tracking_of(item.tracking_number)
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
    # No text_problems walk here: every string field of PushedEvent is Storable, so a NUL character or a lone
    # surrogate is refused (422 naming the field) before this runs, and the event is flat.
    if item.action == EventAction.APPROVED and item.nibrs_code is not None and not nibrs.is_known(item.nibrs_code):
        problems.append((422, "nibrs_code", "nibrs_unknown", "is not a NIBRS code the kiosk knows (kiosk.nibrs)"))
    if item.action == EventAction.APPROVED and item.nibrs_code is None:
        problems.append((422, "nibrs_code", "nibrs_required", "an approval needs the confirmed NIBRS code"))
    if item.action == EventAction.REJECTED and item.reason_code not in lifecycle.REJECT_REASONS:
        problems.append((422, "reason_code", "reason_unknown",
                         "must be one of " + ", ".join(lifecycle.REJECT_REASONS)))
    for status, field, code, message in problems:
        refusals.add(status, ErrorItem(index=index, tracking_number=item.tracking_number, event_id=item.event_id,
                                       field=f"{prefix}.{field}", code=code, message=message))
    return not problems


@dataclass
class _NewEvent:
    """An event this push adds (its official number is filled in once the batch is known to be stored)."""

    index: int
    item: PushedEvent
    body_hash: str
    kiosk_number: int
    status: str
    official_number: str | None
    needs_number: bool
    version: int  # the report's version after it


@dataclass
class _ReportState:
    """A report of the batch as the push leaves it so far (status, version, and the columns an approval sets)."""

    id: int
    kiosk_number: int
    status: str
    version: int = 0
    approval: _NewEvent | None = None  # the batch's latest approval of it: its official number and NIBRS code
    changed: bool = False
    refused: bool = False  # a status change of it was refused earlier in this push


@dataclass(frozen=True)
class _Stored:
    """An event the server already holds, as far as a push sent again needs it."""

    body_hash: str | None
    official_number: str | None
    cursor: int
    version: int


_EVENT_COLUMNS = ("event_id", "tracking_number", "kiosk_number", "origin", "body_hash", "at", "actor", "action",
                  "status", "reason_code", "message", "nibrs_code", "official_number", "received_at", "version")


def _apply(database: ServerDatabase, config: Config, kiosk: KioskInfo, events: list[PushedEvent],
           bodies: list[dict[str, Any]], hashes: list[str], ok: list[bool], refusals: Refusals) -> list[EventResult]:
    """Apply the batch in order, as if one event at a time, with one read of the events and one of the reports the
    batch names, then one insert of the new events and one update per report whose status moved."""
    Report, Event = database.models.Report, database.models.Event
    db = database.db
    wanted = [index for index, good in enumerate(ok) if good]
    stored_events = {event_id: _Stored(body_hash, official_number, cursor, version or 0)
                     for event_id, body_hash, official_number, cursor, version in
                     select_in(db, Event, ("event_id", "body_hash", "official_number", "id", "version"), "event_id",
                               (events[i].event_id for i in wanted))}
    trackings = [events[i].tracking_number for i in wanted]
    versions = report_versions(database, trackings)
    reports = {tracking: _ReportState(rid, kiosk_number, status, versions.get(tracking, 0))
               for rid, tracking, kiosk_number, status in
               select_in(db, Report, ("id", "tracking_number", "kiosk_number", "status"), "tracking_number",
                         trackings)}
    brought = [events[i] for i in wanted if events[i].action == EventAction.APPROVED and events[i].official_number]
    # Official numbers the batch's approvals bring along: each must have been imported for that very report, and
    # must not already name another report.
    holders = dict(select_in(db, Report, ("official_number", "tracking_number"), "official_number",
                             (item.official_number for item in brought)))
    imported = dict(select_in(db, database.models.ImportedNumber, ("tracking_number", "official_number"),
                              "tracking_number", (item.tracking_number for item in brought)))
    added: dict[str, _NewEvent] = {}
    # ("stored", the new event) or ("already_stored", the new event earlier in the batch or the stored one)
    outcomes: list[tuple[Outcome, _NewEvent | _Stored]] = []
    for index, item in enumerate(events):
        if not ok[index]:
            # Refused before the database was read: a later status change of its report was made on top of it.
            known = reports.get(item.tracking_number)
            if known is not None and item.action in lifecycle.TRANSITIONS:
                known.refused = True
            continue
        body_hash = hashes[index]

        def refuse(status: int, field: str, code: str, message: str, stored_hash: str | None = None,
                   index: int = index, item: PushedEvent = item, body_hash: str = body_hash) -> None:
            refusals.add(status, ErrorItem(index=index, tracking_number=item.tracking_number, event_id=item.event_id,
                                           field=f"events[{index}].{field}", code=code, message=message))
            if status == 409:
                refusals.conflicts.append(ConflictRecord(
                    "event", kiosk.number, item.tracking_number, item.event_id, code, message, stored_hash,
                    body_hash, json.dumps(bodies[index], ensure_ascii=False, sort_keys=True)))

        earlier = added.get(item.event_id)
        existing = earlier if earlier is not None else stored_events.get(item.event_id)
        if existing is not None:
            if existing.body_hash == body_hash:
                outcomes.append(("already_stored", existing))
            else:
                refuse(409, "event_id", "event_differs",
                       "the server already holds this event id with a different body", existing.body_hash)
            continue
        report = reports.get(item.tracking_number)
        if report is None:
            refuse(422, "tracking_number", "report_unknown",
                   "the server does not have this report; push the report before its events")
            continue
        status, version = report.status, report.version
        if item.action in lifecycle.TRANSITIONS:
            problem = _status_change_problem(database, item, report, added)
            if problem is not None:
                refuse(*problem)
                report.refused = True
                continue
            status, version = lifecycle.next_status(item.action, status), version + 1
        approved = item.action == EventAction.APPROVED
        if approved and item.official_number:
            if imported.get(item.tracking_number) != item.official_number:
                refuse(403, "official_number", "official_number_not_allowed",
                       "the department's server gives official numbers; a kiosk may bring one along only for an "
                       "approval it numbered while standalone, once the department imported it (p2c-server "
                       "import-numbers)")
                report.refused = True
                continue
            holder = holders.setdefault(item.official_number, item.tracking_number)
            if holder != item.tracking_number:
                refuse(409, "official_number", "official_number_taken",
                       f"the official number {item.official_number} already names report {holder}; the department "
                       "must give this report another (p2c-server decide ... approve assigns the next free one)")
                report.refused = True
                continue
        new = _NewEvent(index, item, body_hash, report.kiosk_number, status,
                        item.official_number if approved else None, approved and not item.official_number, version)
        added[item.event_id] = new
        outcomes.append(("stored", new))
        report.version = version
        if status != report.status:
            report.status, report.changed = status, True
        if approved:
            report.approval, report.changed = new, True
    if refusals:
        return []
    numbering = [new for new in added.values() if new.needs_number]
    numbers = reserve_official_numbers(database, config, [datetime.fromisoformat(n.item.at) for n in numbering],
                                       taken=frozenset(holders))
    for new, number in zip(numbering, numbers, strict=True):
        new.official_number = number
    received = now_stamp()
    cursors = dict(insert_rows(db, Event, _EVENT_COLUMNS, [
        (n.item.event_id, n.item.tracking_number, n.kiosk_number, kiosk.number, n.body_hash, n.item.at, n.item.actor,
         n.item.action, n.status, n.item.reason_code, n.item.message,
         n.item.nibrs_code if n.item.action == EventAction.APPROVED else None, n.official_number, received, n.version)
        for n in added.values()], returning=("event_id", "id")))
    _update_reports(db, Report, [r for r in reports.values() if r.changed])
    # No refusals: every item of the batch has an outcome, in order.
    results = []
    for index, (outcome, value) in zip(wanted, outcomes, strict=True):
        cursor = cursors[value.item.event_id] if isinstance(value, _NewEvent) else value.cursor
        results.append(EventResult(event_id=events[index].event_id, outcome=outcome,
                                   official_number=value.official_number, cursor=cursor, version=value.version))
    return results


def report_versions(database: ServerDatabase, tracking_numbers: Iterable[str]) -> dict[str, int]:
    """Each report's version at the server (how many status changes its history holds); a report without any is
    left out (version 0)."""
    wanted = list(dict.fromkeys(tracking_numbers))
    if not wanted:
        return {}
    db, Event = database.db, database.models.Event
    table = f"{db.quote[0]}{Event._meta.table_name}{db.quote[1]}"
    if isinstance(db, pw.PostgresqlDatabase):
        # One index look-up per report, as batch_sql.select_in does (batch_sql.pg_lookup says why): written as a join
        # with the array and GROUP BY, PostgreSQL hashed the array and scanned the whole event table for every push.
        rows = db.execute_sql(f"SELECT w.v, (SELECT MAX(e.version) FROM {table} AS e WHERE e.tracking_number = w.v) "
                              f"FROM unnest(%b::text[]) AS w(v)", [wanted]).fetchall()
        return {tracking: int(version) for tracking, version in rows if version is not None}
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        marks = ", ".join([db.param] * len(chunk))
        rows = db.execute_sql(f"SELECT tracking_number, MAX(version) FROM {table} WHERE tracking_number IN ({marks}) "
                              "GROUP BY tracking_number", chunk).fetchall()
        found.update({tracking: int(version or 0) for tracking, version in rows})
    return found


def _status_change_problem(database: ServerDatabase, item: PushedEvent, report: _ReportState,
                           added: dict[str, _NewEvent]) -> tuple[int, str, str, str] | None:
    """(status, field, code, message) when the status change ``item`` cannot be stored on ``report`` as the push
    left it so far; None when it can."""
    if report.refused:
        return (409, "version", "follows_refused",
                "an earlier status change of this report in the same push was refused, and this one was made on top "
                "of it; the server's order reaches the kiosk through the decisions feed")
    if item.version is None:
        return (422, "version", "version_required",
                "a status change must carry the report's version it was made on (how many status changes the "
                "report's history held)")
    if item.version != report.version:
        return (409, "version", "stale_version", _stale(database, item, report, added))
    if not lifecycle.can(item.action, report.status):
        return (409, "action", "decided_elsewhere",
                _decided_elsewhere(database, item.tracking_number, report.status, item.action, added))
    status = lifecycle.next_status(item.action, report.status)
    if item.status != status:
        return (422, "status", "status_mismatch", f"must be {status}, the status {item.action} leads to")
    return None


def _stale(database: ServerDatabase, item: PushedEvent, report: _ReportState, added: dict[str, _NewEvent]) -> str:
    """Why a status change made on an older version is refused, naming the one that took its place."""
    version = item.version or 0
    if version > report.version:
        return (f"this {item.action} was made on version {version} of the report, but the server's order holds "
                f"only {report.version} status changes; push the report's history in order")
    taken = next((n for n in added.values() if n.item.tracking_number == item.tracking_number
                  and n.version == version + 1 and n.item.action in lifecycle.TRANSITIONS), None)
    if taken is not None:
        who, what, when = taken.item.actor, str(taken.item.action), taken.item.at
    else:
        Event = database.models.Event
        row = (Event.select(Event.actor, Event.action, Event.at)
               .where((Event.tracking_number == item.tracking_number) & (Event.version == version + 1)
                      & Event.action.in_(list(lifecycle.TRANSITIONS)))
               .order_by(Event.id).first())
        who, what, when = (row.actor, row.action, row.at) if row is not None else ("?", "?", "?")
    return (f"stale: this {item.action} was made on version {version} of the report, but the server's order already "
            f"holds version {version + 1}: {what} by {who} at {when} (the report is at version {report.version}, "
            f"{report.status}); the server's order stands and reaches the kiosk through the decisions feed")


def _update_reports(db: pw.Database, Report: type[models.Report], changed: list[_ReportState]) -> None:
    """The status of every report whose status moved, and the official number and NIBRS code of those an approval
    of the batch set (the others keep theirs)."""
    rows = []
    for report in changed:
        approval = report.approval
        rows.append((report.status, approval.official_number if approval else None,
                     nibrs.normalise_code(approval.item.nibrs_code or "") if approval else None, report.id))
    update_rows(db, Report, ("status", "official_number", "nibrs_code"), rows,
                keep_if_null=("official_number", "nibrs_code"))


def _decided_elsewhere(database: ServerDatabase, tracking_number: str, status: str, action: str,
                       added: dict[str, _NewEvent]) -> str:
    """Why ``action`` is refused: the report is ``status``, set by the latest event with that action (one added
    earlier in this push, or one the server holds)."""
    decided: PushedEvent | models.Event | None = next((n.item for n in reversed(added.values())
                         if n.item.tracking_number == tracking_number and n.item.action == status), None)
    if decided is None:
        Event = database.models.Event
        decided = (Event.select(Event.actor, Event.at)
                   .where((Event.tracking_number == tracking_number) & (Event.action == status))
                   .order_by(Event.id.desc()).first())
    who = f" by {decided.actor} at {decided.at}" if decided is not None else ""
    return (f"the report is {status} on the server{who}, so {action} is no longer possible; "
            "the decision reaches the kiosk through the decisions feed")
