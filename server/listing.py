"""What ``p2c-server reports`` and ``p2c-server conflicts`` print, as plain dicts (tests read them too)."""

from __future__ import annotations

from typing import TypedDict

from server.db import ServerDatabase


class ReportListing(TypedDict):
    tracking_number: str
    kiosk_number: int
    content_hash: str
    submitted_at: str
    status: str
    official_number: str | None
    nibrs_code: str | None
    received_at: str
    version: int  # how many status changes its history holds (docs/sync-api.md)


class EventListing(TypedDict):
    cursor: int
    event_id: str
    tracking_number: str
    kiosk_number: int
    origin: int | None  # the kiosk that pushed it; None when made at the server
    at: str
    actor: str
    action: str
    status: str
    reason_code: str | None
    message: str | None
    nibrs_code: str | None
    official_number: str | None
    version: int  # the report's version after it


class ConflictListing(TypedDict):
    kind: str
    kiosk_number: int
    tracking_number: str
    event_id: str | None
    code: str
    message: str
    first_at: str
    last_at: str
    times: int


def list_reports(database: ServerDatabase) -> list[ReportListing]:
    """Every report the server holds, in the order it received them (no personal data: the body is left out)."""
    Report, Event = database.models.Report, database.models.Event
    with database.db.connection_context():
        db = database.db
        table = f"{db.quote[0]}{Event._meta.table_name}{db.quote[1]}"
        versions: dict[str, int | None] = dict(db.execute_sql(
            f"SELECT tracking_number, MAX(version) FROM {table} GROUP BY tracking_number").fetchall())
        return [{"tracking_number": row.tracking_number, "kiosk_number": row.kiosk_number,
                 "content_hash": row.content_hash, "submitted_at": row.submitted_at, "status": row.status,
                 "official_number": row.official_number, "nibrs_code": row.nibrs_code,
                 "received_at": row.received_at, "version": int(versions.get(row.tracking_number) or 0)}
                for row in Report.select().order_by(Report.id)]


def list_events(database: ServerDatabase) -> list[EventListing]:
    """Every history event the server holds, by cursor."""
    Event = database.models.Event
    with database.db.connection_context():
        return [{"cursor": row.id, "event_id": row.event_id, "tracking_number": row.tracking_number,
                 "kiosk_number": row.kiosk_number, "origin": row.origin, "at": row.at, "actor": row.actor,
                 "action": row.action, "status": row.status, "reason_code": row.reason_code, "message": row.message,
                 "nibrs_code": row.nibrs_code, "official_number": row.official_number, "version": row.version or 0}
                for row in Event.select().order_by(Event.id)]


def list_conflicts(database: ServerDatabase) -> list[ConflictListing]:
    Conflict = database.models.Conflict
    with database.db.connection_context():
        return [{"kind": row.kind, "kiosk_number": row.kiosk_number, "tracking_number": row.tracking_number,
                 "event_id": row.event_id, "code": row.code, "message": row.message, "first_at": row.first_at,
                 "last_at": row.last_at, "times": row.times}
                for row in Conflict.select().order_by(Conflict.last_at.desc(), Conflict.id.desc())]
