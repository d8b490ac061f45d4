"""What the sync engine reads from and writes to the kiosk database (schema v3, docs/sync.md). All of the engine's
SQL is here; :mod:`kiosk.sync.engine` decides what to do with it.

What is pending is read from the database; there is no separate queue to lose:

- a report is pending while ``synced_at IS NULL AND sync_conflict IS NULL`` (the partial index
  ``report_sync_pending`` holds exactly these);
- a history event is pending while it has no ``event_sync`` row and its report is synced.

The writers do not open a transaction of their own: the engine wraps each acknowledgement in one (with the official
number the server gave, :func:`kiosk.sync.apply.record_official_number`), so it is stored whole or not at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from kiosk.audit import SERVER_MISMATCH_KEY
from kiosk.storage.database import Store
from kiosk.storage.timestamps import utc_from_text, utc_text
from kiosk.sync.order import VERSION_SQL, is_transition
from kiosk.sync.protocol import AccessCodeItem, EventItem, ReportItem, event_id
from kiosk.tracking import TrackingNumber
from kiosk.vocabulary import EventAction

# The keys of the sync_state table.
DECISIONS_CURSOR = "decisions_cursor"
LAST_SUCCESS_AT = "last_success_at"
LAST_ERROR = "last_error"
LAST_ERROR_AT = "last_error_at"
LAST_ERROR_CODE = "last_error_code"  # the heartbeat's code for LAST_ERROR (kiosk.sync.heartbeat), never its words
FAILURES = "failures"
NEXT_ATTEMPT_AT = "next_attempt_at"
AUDIT_MISMATCH = SERVER_MISMATCH_KEY  # the server's words when this kiosk's audit log no longer matches its chain
STATE_KEYS = (DECISIONS_CURSOR, LAST_SUCCESS_AT, LAST_ERROR, LAST_ERROR_AT, LAST_ERROR_CODE, FAILURES, NEXT_ATTEMPT_AT,
              AUDIT_MISMATCH)


@dataclass(frozen=True)
class PendingReport:
    id: int
    tracking_number: str
    wire: ReportItem  # the item of POST /reports


@dataclass(frozen=True)
class PendingEvent:
    id: int
    report_id: int
    tracking_number: str
    action: str
    wire: EventItem  # the item of POST /events


@dataclass(frozen=True)
class PendingVerifier:
    id: int
    tracking_number: str
    verifier: str  # the stored access_code_hash, exactly
    wire: AccessCodeItem  # the item of POST /access-codes


@dataclass(frozen=True)
class StoredConflict:
    tracking_number: TrackingNumber
    kind: str  # "report" or "event"
    action: str | None
    message: str
    at: datetime  # UTC: when the refused report was submitted or the refused event happened


_PENDING_REPORTS = (
    "SELECT id, tracking_number, kiosk_number, submitted_at, data FROM report "
    "WHERE synced_at IS NULL AND sync_conflict IS NULL AND id > ? ORDER BY id LIMIT ?"
)

_PENDING_EVENTS = (
    "SELECT e.id, e.report_id, r.tracking_number, r.kiosk_number, e.at, e.actor, e.action, e.status, e.reason_code,"
    " e.message, r.nibrs_code, r.official_number, " + VERSION_SQL + " "
    "FROM report_event e JOIN report r ON r.id = e.report_id "
    "WHERE e.id > ? AND r.synced_at IS NOT NULL "
    "AND NOT EXISTS (SELECT 1 FROM event_sync s WHERE s.event_id = e.id) "
    "ORDER BY e.id LIMIT ?"
)


def pending_reports(store: Store, limit: int, after_id: int = 0) -> list[PendingReport]:
    """Up to ``limit`` pending reports with an id above ``after_id``, oldest first, in the form the server takes."""
    from kiosk.sync.protocol import content_hash

    found = []
    for rid, tracking, kiosk_number, submitted_at, data in store.db.execute_sql(_PENDING_REPORTS, (after_id, limit)):
        report = json.loads(data)
        found.append(PendingReport(rid, tracking, {
            "tracking_number": tracking,
            "kiosk_number": kiosk_number,
            "submitted_at": submitted_at,
            "content_hash": content_hash(report),
            "report": report,
        }))
    return found


def pending_events(store: Store, limit: int, after_id: int = 0) -> list[PendingEvent]:
    """Up to ``limit`` pending history events with an id above ``after_id``, in history order. An ``approved`` event
    carries the report's NIBRS code and, when the kiosk numbered it itself (before it was connected), its official
    number. A status change carries the report's version it was made on (kiosk.sync.order)."""
    found = []
    for (eid, report_id, tracking, kiosk_number, at, actor, action, status, reason_code, message, nibrs_code,
         official_number, version) in store.db.execute_sql(_PENDING_EVENTS, (after_id, limit)):
        approved = action == EventAction.APPROVED
        found.append(PendingEvent(eid, report_id, tracking, action, {
            "event_id": event_id(kiosk_number, eid),
            "tracking_number": tracking,
            "at": at,
            "actor": actor,
            "action": action,
            "status": status,
            "reason_code": reason_code,
            "message": message,
            "nibrs_code": nibrs_code if approved else None,
            "official_number": official_number if approved else None,
            "version": int(version) if is_transition(action) else None,
        }))
    return found


_PENDING_VERIFIERS = (
    "SELECT id, tracking_number, access_code_hash FROM report "
    "WHERE synced_at IS NOT NULL AND access_code_pushed IS NOT access_code_hash AND id > ? ORDER BY id LIMIT ?"
)


def pending_verifiers(store: Store, limit: int, after_id: int = 0) -> list[PendingVerifier]:
    """Up to ``limit`` reports the server has whose access-code verifier it does not hold yet (never sent, sent
    before an officer reissued the code, or a report from before schema v7), oldest first."""
    return [PendingVerifier(rid, tracking, verifier, {"tracking_number": tracking, "verifier": verifier})
            for rid, tracking, verifier in store.db.execute_sql(_PENDING_VERIFIERS, (after_id, limit))]


def count_pending_verifiers(store: Store) -> int:
    (count,) = store.db.execute_sql(
        "SELECT COUNT(*) FROM report WHERE synced_at IS NOT NULL AND access_code_pushed IS NOT access_code_hash"
    ).fetchone()
    return int(count)


def mark_verifiers_pushed(store: Store, pushed: list[tuple[int, str]]) -> None:
    """The server holds these verifiers: (report id, the verifier sent). A report whose code was reissued while its
    old verifier was on the wire keeps the new one pending. Call inside a transaction."""
    cursor = store.db.cursor()
    try:
        cursor.executemany("UPDATE report SET access_code_pushed = ? WHERE id = ?",
                           [(verifier, rid) for rid, verifier in pushed])
    finally:
        cursor.close()


def count_pending_reports(store: Store) -> int:
    (count,) = store.db.execute_sql(
        "SELECT COUNT(*) FROM report WHERE synced_at IS NULL AND sync_conflict IS NULL").fetchone()
    return int(count)


def count_pending_events(store: Store) -> int:
    (count,) = store.db.execute_sql(
        "SELECT COUNT(*) FROM report_event e JOIN report r ON r.id = e.report_id WHERE r.synced_at IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM event_sync s WHERE s.event_id = e.id)").fetchone()
    return int(count)


def mark_reports_synced(store: Store, report_ids: list[int], at: datetime) -> None:
    """The server has these reports (since ``at``). Call inside a transaction."""
    stamp = utc_text(at)
    for chunk in _chunks(report_ids):
        marks = ",".join("?" * len(chunk))
        store.db.execute_sql(f"UPDATE report SET synced_at = ? WHERE synced_at IS NULL AND id IN ({marks})",
                             (stamp, *chunk))


def mark_report_conflict(store: Store, report_id: int, message: str) -> None:
    """The server refused this report; it is no longer pending and officers see ``message``."""
    store.db.execute_sql("UPDATE report SET sync_conflict = ? WHERE id = ?", (message, report_id))


def ack_events(store: Store, acks: list[tuple[int, str]], at: datetime) -> None:
    """The server has these events: (local id, wire event id) pairs. Call inside a transaction."""
    stamp = utc_text(at)
    cursor = store.db.cursor()  # one statement run for every pair (sqlite3 loops in C)
    try:
        cursor.executemany(
            "INSERT INTO event_sync (event_id, remote_id, acked_at) VALUES (?, ?, ?) "
            "ON CONFLICT (event_id) DO UPDATE SET acked_at = excluded.acked_at, conflict = NULL",
            [(local_id, remote_id, stamp) for local_id, remote_id in acks])
    finally:
        cursor.close()


def mark_event_conflict(store: Store, local_id: int, remote_id: str, message: str) -> None:
    """The server refused this event; it is no longer pending and officers see ``message``."""
    store.db.execute_sql(
        "INSERT INTO event_sync (event_id, remote_id, conflict) VALUES (?, ?, ?) "
        "ON CONFLICT (event_id) DO UPDATE SET conflict = excluded.conflict", (local_id, remote_id, message))


def official_number_of(store: Store, report_id: int) -> str | None:
    row = store.db.execute_sql("SELECT official_number FROM report WHERE id = ?", (report_id,)).fetchone()
    return row[0] if row else None


def conflicts(store: Store) -> list[StoredConflict]:
    """Every refusal officers should see: refused reports, then refused events, oldest first."""
    found = [StoredConflict(TrackingNumber.from_stored(tracking), "report", None, message, utc_from_text(submitted_at))
             for tracking, message, submitted_at in
             store.db.execute_sql("SELECT tracking_number, sync_conflict, submitted_at FROM report "
                                  "WHERE sync_conflict IS NOT NULL ORDER BY id")]
    found += [StoredConflict(TrackingNumber.from_stored(tracking), "event", action, message, utc_from_text(at))
              for tracking, action, message, at in
              store.db.execute_sql(
                  "SELECT r.tracking_number, e.action, s.conflict, e.at FROM event_sync s "
                  "JOIN report_event e ON e.id = s.event_id JOIN report r ON r.id = e.report_id "
                  "WHERE s.conflict IS NOT NULL ORDER BY e.id")]
    return found


def read_state(store: Store) -> dict[str, str]:
    """The engine's state (keys in :data:`STATE_KEYS`); a key never written is missing."""
    return {key: value for key, value in store.db.execute_sql("SELECT key, value FROM sync_state")
            if value is not None}


def write_state(store: Store, values: dict[str, str | int | None]) -> None:
    """Set (or, with None, remove) state keys, in one transaction."""
    with store.db.atomic("IMMEDIATE"):
        for key, value in values.items():
            if key not in STATE_KEYS:
                raise KeyError(f"unknown sync state key {key!r}")
            if value is None:
                store.db.execute_sql("DELETE FROM sync_state WHERE key = ?", (key,))
            else:
                store.db.execute_sql("INSERT INTO sync_state (key, value) VALUES (?, ?) "
                                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, str(value)))


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    return [ids[i:i + size] for i in range(0, len(ids), size)]
