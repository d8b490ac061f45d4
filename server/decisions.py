"""Decisions: the feed a kiosk pulls (``GET /api/v1/decisions``) and the decisions made at the server
(``p2c-server decide``), whose messages are built exactly as the kiosk builds its own (kiosk.review.notes)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from kiosk import lifecycle, nibrs
from kiosk.config import Config
from kiosk.review import notes
from kiosk.review.service import MAX_MESSAGE, MAX_NEXT_STEPS, MAX_PHONE_NOTE, MAX_QUESTION, default_next_steps
from kiosk.storage.timestamps import utc_text
from kiosk.sync.protocol import FEED_ACTIONS
from kiosk.tracking import TrackingNumber
from kiosk.translation import SOURCE_LANGUAGE
from kiosk.vocabulary import Category, EventAction, RejectionReason, Status
from server.db import ServerDatabase, write_transaction
from server.kiosks import KioskInfo
from server.official_numbers import next_official_number
from server.push_events import report_versions
from server.schemas import Decision, DecisionsAnswer

# The CLI's words for the three decisions, and the history actions they record.
ACTIONS = {"approve": EventAction.APPROVED, "request-info": EventAction.INFO_REQUESTED, "reject": EventAction.REJECTED}


class DecisionError(ValueError):
    """A decision the server cannot make; the message says why and how to fix it."""


def decisions_page(database: ServerDatabase, kiosk: KioskInfo, after: int, limit: int) -> DecisionsAnswer:
    """The decisions on ``kiosk``'s reports it did not push itself, and the citizen's answers on the status page
    (``supplemented`` made at the server), oldest first, after cursor ``after``.

    The next cursor of a last page is the kiosk's newest event, in the feed or not: the kiosk's own pushes are most
    of its events and never in its feed, and a cursor left at its last decision made every pull read all of them
    again (a kiosk never decided elsewhere went over its whole history each time). Both reads use the event table's
    (kiosk_number, id) index: the newest event is read FIRST, then the page up to it, so the cursor never passes an
    event the page did not see: events commit one at a time in the order of their ids (server.db.write_transaction),
    so every event up to the newest one read is already committed when the page is read."""
    Event = database.models.Event
    db = database.db
    table = f"{db.quote[0]}{Event._meta.table_name}{db.quote[1]}"
    with db.connection_context():
        newest = db.execute_sql(f"SELECT id FROM {table} WHERE kiosk_number = {db.param} ORDER BY id DESC LIMIT 1",
                                (kiosk.number,)).fetchone()
        top = after if newest is None else max(after, int(newest[0]))
        rows = [] if top <= after else list(
            Event.select()
            .where((Event.kiosk_number == kiosk.number) & (Event.id > after) & (Event.id <= top)
                   & Event.action.in_(FEED_ACTIONS) & (Event.origin.is_null() | (Event.origin != kiosk.number)))
            .order_by(Event.id).limit(limit + 1))
    more = len(rows) > limit
    rows = rows[:limit]
    decisions = [Decision(cursor=row.id, event_id=row.event_id, tracking_number=row.tracking_number, at=row.at,
                          actor=row.actor, action=EventAction(row.action), status=Status(row.status),
                          reason_code=row.reason_code, message=row.message, nibrs_code=row.nibrs_code,
                          official_number=row.official_number, version=row.version or 0)
                 for row in rows]
    return DecisionsAnswer(decisions=decisions, next_cursor=rows[-1].id if more else top, more=more)


@dataclass(frozen=True)
class ServerDecision:
    event_id: str
    cursor: int
    tracking_number: str
    action: EventAction
    status: str
    actor: str
    at: str
    reason_code: str | None
    message: str | None
    nibrs_code: str | None
    official_number: str | None
    version: int  # the report's version after it


def decide(database: ServerDatabase, config: Config, tracking_number: TrackingNumber, action: str, officer: str, *,
           nibrs_code: str | None = None, reason: str | None = None, message: str = "", question: str = "",
           phone_note: str = "", duplicate_of: TrackingNumber | None = None,
           now: datetime | None = None) -> ServerDecision:
    """Decide a report at the server (actor ``server:<officer>``), as the kiosk's ReviewService would. ``action``
    is ``approve``, ``request-info`` or ``reject`` (or the history action itself). The numbers were read where they
    came in (``p2c-server decide``'s arguments). Raises DecisionError."""
    decision = ACTIONS.get(action, action)
    if decision not in lifecycle.OFFICER_DECISIONS:
        raise DecisionError(f"unknown decision {decision!r}: use approve, request-info or reject")
    action = EventAction(decision)
    officer = (officer or "").strip()
    if not officer or len(officer) > 100 or any(ch.isspace() for ch in officer):
        raise DecisionError("--officer must name who decides, in one word (such as jdoe)")
    tracking = str(tracking_number)
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    columns: dict[str, str] = {}
    reason_code = None
    message = notes.clean_text(message)
    _limit("--message", message, MAX_MESSAGE)
    if action == EventAction.APPROVED:
        code = nibrs.normalise_code(nibrs_code or "")
        if not code:
            raise DecisionError("an approval needs --nibrs CODE (the confirmed NIBRS offense code)")
        if code not in nibrs.CODES:
            raise DecisionError(f"--nibrs {code} is not a NIBRS code the kiosk knows")
        text = message or None
    elif action == EventAction.INFO_REQUESTED:
        question = notes.clean_text(question or message)
        phone_note = notes.one_paragraph(phone_note)
        if not question:
            raise DecisionError("a request for information needs --question TEXT (what the citizen should answer)")
        _limit("--question", question, MAX_QUESTION)
        _limit("--phone-note", phone_note, MAX_PHONE_NOTE)
        text = notes.info_message(question, phone_note)
    else:
        if reason not in lifecycle.REJECT_REASONS:
            raise DecisionError("a rejection needs --reason, one of " + ", ".join(lifecycle.REJECT_REASONS))
        if reason == RejectionReason.OTHER and not message:
            raise DecisionError("a rejection for reason other needs --message saying why")
        reason_code = reason
        original = ""
        if reason == RejectionReason.DUPLICATE:
            if duplicate_of is None:
                raise DecisionError("a rejection as duplicate needs --duplicate-of TRACKING (the original)")
            original = str(duplicate_of)
            if original == tracking:
                raise DecisionError("a report cannot be a duplicate of itself")
    Report, Event = database.models.Report, database.models.Event
    with database.db.connection_context(), write_transaction(database):
        row = Report.get_or_none(Report.tracking_number == tracking)
        if row is None:
            raise DecisionError(f"the server has no report {tracking} (yet); `p2c-server reports` lists them")
        if not lifecycle.can(action, row.status):
            raise DecisionError(f"report {tracking} is {row.status}; it cannot be decided again")
        report = json.loads(row.body)
        if action == EventAction.APPROVED:
            lost = report.get("category") == Category.LOST_PROPERTY
            if lost != (code == nibrs.LOST_PROPERTY):
                raise DecisionError(f"--nibrs {nibrs.LOST_PROPERTY} is for lost property, and only for it")
            columns = {"nibrs_code": code, "official_number": next_official_number(database, config, moment)}
        if action == EventAction.REJECTED:
            if original and not Report.select().where(Report.tracking_number == original).exists():
                raise DecisionError(f"--duplicate-of {original}: the server has no such report")
            steps = default_next_steps(reason or "", str(report.get("language") or SOURCE_LANGUAGE), config)
            _limit("next steps", steps, MAX_NEXT_STEPS)
            text = notes.reject_message(message, original, steps)
        status = lifecycle.next_status(action, row.status)
        version = report_versions(database, [tracking]).get(tracking, 0) + 1
        at = utc_text(moment)
        event = Event.create(event_id=f"S-pending-{tracking}", tracking_number=tracking,
                             kiosk_number=row.kiosk_number, origin=None, body_hash=None, at=at,
                             actor=f"server:{officer}", action=action, status=status, reason_code=reason_code,
                             message=text, nibrs_code=columns.get("nibrs_code"),
                             official_number=columns.get("official_number"), received_at=at, version=version)
        event_id = f"S-{event.id}"
        Event.update(event_id=event_id).where(Event.id == event.id).execute()
        Report.update(status=status, **columns).where(Report.id == row.id).execute()
    return ServerDecision(event_id, event.id, tracking, action, status, f"server:{officer}", at, reason_code, text,
                          columns.get("nibrs_code"), columns.get("official_number"), version)


def _limit(name: str, text: str, limit: int) -> None:
    if len(text) > limit:
        raise DecisionError(f"{name} is {len(text)} characters long; at most {limit} are allowed")
