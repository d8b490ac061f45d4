"""What ``p2c-server reports`` and ``p2c-server conflicts`` print, as plain dicts (tests read them too)."""

from __future__ import annotations

from typing import Any

from server.db import ServerDatabase


def list_reports(database: ServerDatabase) -> list[dict[str, Any]]:
    """Every report the server holds, in the order it received them (no personal data: the body is left out)."""
    Report = database.models.Report
    with database.db.connection_context():
        return [{"tracking_number": row.tracking_number, "kiosk_number": row.kiosk_number,
                 "content_hash": row.content_hash, "submitted_at": row.submitted_at, "status": row.status,
                 "official_number": row.official_number, "nibrs_code": row.nibrs_code,
                 "received_at": row.received_at}
                for row in Report.select().order_by(Report.id)]


def list_events(database: ServerDatabase) -> list[dict[str, Any]]:
    """Every history event the server holds, by cursor."""
    Event = database.models.Event
    with database.db.connection_context():
        return [{"cursor": row.id, "event_id": row.event_id, "tracking_number": row.tracking_number,
                 "kiosk_number": row.kiosk_number, "origin": row.origin, "at": row.at, "actor": row.actor,
                 "action": row.action, "status": row.status, "reason_code": row.reason_code, "message": row.message,
                 "nibrs_code": row.nibrs_code, "official_number": row.official_number}
                for row in Event.select().order_by(Event.id)]


def list_conflicts(database: ServerDatabase) -> list[dict[str, Any]]:
    Conflict = database.models.Conflict
    with database.db.connection_context():
        return [{"kind": row.kind, "kiosk_number": row.kiosk_number, "tracking_number": row.tracking_number,
                 "event_id": row.event_id, "code": row.code, "message": row.message, "first_at": row.first_at,
                 "last_at": row.last_at, "times": row.times}
                for row in Conflict.select().order_by(Conflict.last_at.desc(), Conflict.id.desc())]
