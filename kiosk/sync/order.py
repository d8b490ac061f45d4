"""One order of decisions per report, the server's (docs/sync.md, "One order of decisions").

The department server's log is the arbiter. At a kiosk that syncs, a report's history holds three kinds of status
change (the events of :data:`kiosk.lifecycle.TRANSITIONS`):

- **agreed**: the server has it in its order: a local event it acknowledged, or a decision pulled from its feed;
- **pending**: a local event not sent yet; it was made on top of everything before it in the history;
- **refused**: a local event the server refused (``event_sync.conflict``), and every later local status change of
  the same report, which was made on top of it. A refused decision was *overruled* when a status change of the
  server's order took its place.

A pushed status change carries the report's **version** it was made on: how many agreed or pending status changes
came before it in the history (:data:`VERSION_SQL`). The server stores it only when that is its own count, so the
agreed status changes, in the kiosk's history order, are the server's order (a decision pulled later is always
later in both). The report's status, official number and NIBRS code are those of the agreed and pending status
changes, replayed in order (:func:`replay`).

E-mail: a decision's citizen e-mail goes out only once the decision is final in the server's order: a decision made
at a syncing kiosk is e-mailed when the server acknowledges it (:func:`on_acknowledged`, the approval with the
server's official number), a pulled one at once; an overruled one never. A standalone kiosk is its own order and
e-mails at once.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from kiosk import lifecycle
from kiosk.config import Config
from kiosk.storage.database import Store
from kiosk.storage.timestamps import utc_from_text
from kiosk.sync.protocol import event_id
from kiosk.translation import SOURCE_LANGUAGE
from kiosk.vocabulary import EventAction, NoticeKind, RejectionReason, Status

if TYPE_CHECKING:
    from kiosk.audit import AuditLog
    from kiosk.notices.outbox import NoticeOutbox
    from kiosk.review.model import DecisionNote

log = logging.getLogger(__name__)

# The history actions that change a report's status, in SQL.
_TRANSITIONS_SQL = "(" + ", ".join(f"'{action}'" for action in lifecycle.TRANSITIONS) + ")"

# The version a status change ``e`` (an alias of report_event) was made on: the agreed and pending status changes
# before it in its report's history (refused ones are not part of any order).
VERSION_SQL = (
    "(SELECT COUNT(*) FROM report_event p LEFT JOIN event_sync ps ON ps.event_id = p.id "
    f"WHERE p.report_id = e.report_id AND p.id < e.id AND p.action IN {_TRANSITIONS_SQL} AND ps.conflict IS NULL)"
)

# Refusal codes that mean "the server's order has another status change in this one's place".
OVERRULED_CODES = frozenset({"stale_version", "follows_refused", "decided_elsewhere"})

# The audit entry of a local decision that did not stand (actor "sync").
OVERRULED_AUDIT = "decision_overruled"
SYNC_ACTOR = "sync"

NOTICE_OF: dict[str, NoticeKind] = {EventAction.APPROVED: NoticeKind.APPROVED,
                                    EventAction.INFO_REQUESTED: NoticeKind.NEEDS_INFO,
                                    EventAction.REJECTED: NoticeKind.REJECTED}


@dataclass(frozen=True)
class Overruled:
    """A status change made at this kiosk that is not in the server's order (officer mode shows it on the report).
    ``by_*``: the status change of the server's order that took its place (None when the server refused it for
    another reason, then ``reason`` says why)."""

    action: str
    actor: str
    at: datetime  # aware, UTC
    reason: str  # the server's words
    by_action: str | None = None
    by_actor: str | None = None
    by_at: datetime | None = None


def is_transition(action: str) -> bool:
    return action in lifecycle.TRANSITIONS


def refuse_followers(store: Store, report_id: int, after_event_id: int, reason: str) -> list[int]:
    """Mark every pending status change of the report after ``after_event_id`` as refused too (each was made on top
    of the refused one); returns their ids. Call inside a transaction."""
    rows = store.db.execute_sql(
        "SELECT e.id, r.kiosk_number FROM report_event e JOIN report r ON r.id = e.report_id "
        f"WHERE e.report_id = ? AND e.id > ? AND e.action IN {_TRANSITIONS_SQL} "
        "AND NOT EXISTS (SELECT 1 FROM event_sync s WHERE s.event_id = e.id) ORDER BY e.id",
        (report_id, after_event_id)).fetchall()
    for local_id, kiosk_number in rows:
        store.db.execute_sql("INSERT INTO event_sync (event_id, remote_id, conflict) VALUES (?, ?, ?)",
                             (local_id, event_id(kiosk_number, local_id), reason[:1000]))
    return [row[0] for row in rows]


def overrule_pending(store: Store, report_id: int, reason: str) -> list[int]:
    """A status change of the server's order the kiosk did not know arrived: every pending local status change of the
    report was made without it, so it cannot stand (the server would refuse it as stale). Marks them refused and
    returns their ids. Call inside a transaction."""
    return refuse_followers(store, report_id, 0, reason)


def replay(store: Store, report_id: int) -> str:
    """Set the report's status from its agreed and pending status changes, in history order (``submitted`` when there
    are none); a report that is not approved then holds no official number and no NIBRS code. Returns the status.
    Call inside a transaction."""
    row = store.db.execute_sql(
        "SELECT e.status FROM report_event e LEFT JOIN event_sync s ON s.event_id = e.id "
        f"WHERE e.report_id = ? AND e.action IN {_TRANSITIONS_SQL} AND s.conflict IS NULL "
        "ORDER BY e.id DESC LIMIT 1", (report_id,)).fetchone()
    status = row[0] if row else Status.SUBMITTED
    store.db.execute_sql(
        "UPDATE report SET status = ?, official_number = CASE WHEN ? = 'approved' THEN official_number END, "
        "nibrs_code = CASE WHEN ? = 'approved' THEN nibrs_code END WHERE id = ?",
        (status, status, status, report_id))
    return str(status)


def overruled(store: Store, report_id: int) -> list[Overruled]:
    """The report's status changes made here that are not in the server's order, oldest first, each with the status
    change that took its place."""
    rows = store.db.execute_sql(
        "SELECT e.id, e.action, e.actor, e.at, s.conflict FROM report_event e "
        "LEFT JOIN event_sync s ON s.event_id = e.id "
        f"WHERE e.report_id = ? AND e.action IN {_TRANSITIONS_SQL} ORDER BY e.id", (report_id,)).fetchall()
    agreed = [row for row in rows if row[4] is None]
    found = []
    for local_id, action, actor, at, conflict in rows:
        if conflict is None:
            continue
        before = sum(1 for row in agreed if row[0] < local_id)
        # The status change of the server's order in this one's place: the first agreed one after it (a decision
        # pulled later, or one the server acknowledged).
        taker = agreed[before] if before < len(agreed) else None
        found.append(Overruled(action, actor, utc_from_text(at), conflict.strip(),
                               taker[1] if taker else None, taker[2] if taker else None,
                               utc_from_text(taker[3]) if taker else None))
    return found


# -- the e-mail of a decision that is final in the server's order ----------------------------------------------------

def on_acknowledged(store: Store, config: Config, outbox: NoticeOutbox, audit: AuditLog, local_id: int,
                    official_number: str | None) -> None:
    """The server acknowledged the local event ``local_id``: its decision is final in the server's order. An approval
    takes the server's official number (audit ``official_number_received``); a decision's citizen e-mail is queued
    now, unless one was queued when it was made (a standalone kiosk's decision, pushed once it was connected). Call
    inside the acknowledgement's transaction."""
    row = store.db.execute_sql(
        "SELECT e.action, e.reason_code, e.message, r.id, r.tracking_number, r.data, r.official_number, "
        "r.status FROM report_event e JOIN report r ON r.id = e.report_id WHERE e.id = ?", (local_id,)).fetchone()
    if row is None:
        return
    action, reason, message, report_id, tracking, data, held_number, status = row
    if action not in NOTICE_OF:
        return
    number = (official_number or "").strip() or None
    if action == EventAction.APPROVED:
        if number is None:
            log.warning("sync: the server acknowledged the approval of %s without an official number; no e-mail yet",
                        tracking)
            return
        if held_number != number:
            if held_number:
                # A number the kiosk gave itself while standalone and the server did not keep: the server's stands.
                log.warning("sync: report %s had official number %s; the server gave %s", tracking, held_number,
                            number)
            if status == Status.APPROVED:
                store.db.execute_sql("UPDATE report SET official_number = ? WHERE id = ?", (number, report_id))
            audit.record(SYNC_ACTOR, "official_number_received", tracking, official_number=number)
    if _notice_queued(store, report_id, action):
        return
    document = _document(data, tracking)
    try:
        with store.db.atomic():  # a savepoint: a notice that cannot be written leaves the acknowledgement whole
            queue_notice(outbox, config, report_id, action, reason, message, document, number)
    except ValueError as exc:
        # A decision whose history cannot make its e-mail (a request without a question): never a reason to keep
        # the acknowledgement from being stored, which would send the event again and again.
        log.warning("sync: no e-mail for the %s of %s: %s", action, tracking, exc)


def _notice_queued(store: Store, report_id: int, action: str) -> bool:
    """Whether the report already has as many e-mails of ``action``'s kind as decisions of that action stood in the
    server's order (this one included): a standalone kiosk queued its decision's e-mail when it was made."""
    (notices,) = store.db.execute_sql("SELECT COUNT(*) FROM notice WHERE report_id = ? AND kind = ?",
                                      (report_id, NOTICE_OF[action])).fetchone()
    (stood,) = store.db.execute_sql(
        "SELECT COUNT(*) FROM report_event e JOIN event_sync s ON s.event_id = e.id WHERE e.report_id = ? "
        "AND e.action = ? AND s.conflict IS NULL AND s.acked_at IS NOT NULL", (report_id, action)).fetchone()
    return int(notices) >= int(stood)


def queue_notice(outbox: NoticeOutbox, config: Config, report_id: int, action: str, reason: str | None,
                 message: str | None, document: Mapping[str, object], official_number: str | None) -> str | None:
    """Queue the citizen's e-mail of a decision from its history event (action, reason code, message): the approval
    with its number, the question, or the rejection with its next steps (the reason's default when the message holds
    none). Returns the message as the history should hold it (a rejection's, with its next steps)."""
    if action == EventAction.APPROVED:
        outbox.add(report_id, NoticeKind.APPROVED, document, official_number=official_number)
        return message
    if action == EventAction.INFO_REQUESTED:
        outbox.add(report_id, NoticeKind.NEEDS_INFO, document, question=_note(action, message).text or "")
        return message
    stored, notice = rejection_notice(reason or RejectionReason.OTHER, message, document, config)
    outbox.add(report_id, NoticeKind.REJECTED, document, **notice)
    return stored


def rejection_notice(reason: str, message: str | None, document: Mapping[str, object],
                     config: Config) -> tuple[str | None, dict[str, str]]:
    """The history message of a rejection (with the next steps, the reason's default ones when the message holds
    none, so the status look-up says what the e-mail says) and the rejected notice's values."""
    from kiosk.review.notes import reject_message
    from kiosk.review.service import default_next_steps

    note = _note(EventAction.REJECTED, message)
    language = document.get("language", SOURCE_LANGUAGE)
    steps = note.next_steps.strip() or default_next_steps(reason, str(language), config)
    text = note.text.strip()
    own_words = reason == RejectionReason.OTHER and text
    notice = {"reason_code": reason, "next_steps": f"{text}\n\n{steps}" if own_words else steps}
    if note.duplicate_of:
        notice["duplicate_of"] = note.duplicate_of
    stored = message if note.next_steps.strip() else reject_message(text, note.duplicate_of, steps)
    return stored, notice


def _note(action: str, message: str | None) -> DecisionNote:
    from kiosk.review.notes import parse_note

    return parse_note(action, message)


def _document(data: str, tracking: str) -> dict[str, object]:
    document: dict[str, object] = json.loads(data)
    document["tracking_number"] = tracking
    return document
