"""What the server knows of each kiosk's health: when it last heard from it and its latest heartbeat
(``POST /api/v1/heartbeat``), kept in ``kiosk_health``, one row per kiosk; and the listing of ``p2c-server kiosks``.

Last seen is written by every authenticated request, but at most once per :data:`LAST_SEEN_RESOLUTION` for each
kiosk (a sync run makes several requests; one write a minute is enough to tell a silent kiosk, whose limit is two
minutes at least). A heartbeat always writes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Literal, TypedDict

from kiosk.storage.timestamps import utc_from_text, utc_text
from server import models
from server.db import ServerDatabase
from server.kiosks import KioskInfo
from server.schemas import Heartbeat

LAST_SEEN_RESOLUTION = timedelta(seconds=60)

Clock = Callable[[], datetime]
KioskState = Literal["ok", "silent", "never_seen", "revoked"]


class LastSeen:
    """Records that a kiosk was heard from, writing at most once per ``resolution`` for each kiosk (this process's
    memory of its own writes; a restart writes again on the first request)."""

    def __init__(self, database: ServerDatabase, clock: Clock, resolution: timedelta = LAST_SEEN_RESOLUTION) -> None:
        self._database = database
        self._clock = clock
        self._resolution = resolution
        self._written: dict[tuple[int, str], datetime] = {}
        self._lock = threading.Lock()

    def seen(self, kiosk: KioskInfo) -> None:
        """``kiosk`` made an authenticated request now (call with a connection open)."""
        now = self._clock()
        key = (kiosk.number, kiosk.created_at)  # a number added again after a revocation is another kiosk
        with self._lock:
            last = self._written.get(key)
            if last is not None and timedelta(0) <= now - last < self._resolution:
                return
            self._written[key] = now
        try:
            _upsert(self._database, kiosk.number, {"last_seen_at": utc_text(now)})
        except Exception:
            with self._lock:
                self._written.pop(key, None)  # try again on the next request
            raise

    def heartbeat(self, kiosk: KioskInfo, beat: Heartbeat) -> datetime:
        """Keep ``beat`` as ``kiosk``'s latest heartbeat (call with a connection open); returns the server's time."""
        now = self._clock()
        record_heartbeat(self._database, kiosk.number, beat, now)
        with self._lock:
            self._written[(kiosk.number, kiosk.created_at)] = now
        return now


def record_heartbeat(database: ServerDatabase, number: int, beat: Heartbeat, now: datetime) -> None:
    """Replace kiosk ``number``'s heartbeat with ``beat``, received at ``now``; it was seen then too."""
    stamp = utc_text(now)
    skew = (utc_from_text(beat.sent_at) - now).total_seconds()
    error = beat.last_error
    _upsert(database, number, {
        "last_seen_at": stamp, "heartbeat_at": stamp, "kiosk_clock": beat.sent_at,
        "clock_skew_seconds": round(skew, 3), "version": beat.version, "uptime_seconds": beat.uptime_seconds,
        "reports_waiting": beat.backlog.reports, "events_waiting": beat.backlog.events,
        "printer_state": beat.printer.state, "printer_message": beat.printer.message,
        "disk_free_bytes": beat.disk_free_bytes, "last_error_code": None if error is None else error.code,
        "last_error_at": None if error is None else utc_text(utc_from_text(error.at)),
    })


def _upsert(database: ServerDatabase, number: int, values: dict[str, object]) -> None:
    KioskHealth = database.models.KioskHealth
    columns = {getattr(KioskHealth, name): value for name, value in values.items()}
    # Not write_transaction: the writers' lock orders the event log and the official numbers, and this touches only
    # the kiosk's own health row (one upsert, atomic by itself), so a heartbeat need not queue behind every push of
    # every kiosk. On SQLite it still waits for the one writer under way, as any write does there.
    with database.db.atomic():
        (KioskHealth.insert(kiosk_number=number, **values)
         .on_conflict(conflict_target=[KioskHealth.kiosk_number], update=columns)
         .execute())


class KioskHealthListing(TypedDict):
    """One kiosk as ``p2c-server kiosks --json`` shows it. Times are UTC text; the heartbeat's fields are None until
    the kiosk sends one."""

    number: int
    name: str
    state: KioskState
    registered_at: str
    last_seen_at: str | None
    seen_seconds_ago: int | None
    heartbeat_at: str | None
    version: str | None
    uptime_seconds: int | None
    reports_waiting: int | None
    events_waiting: int | None
    printer_state: str | None
    printer_message: str | None
    disk_free_bytes: int | None
    last_error_code: str | None
    last_error_at: str | None
    kiosk_clock: str | None
    clock_skew_seconds: float | None


def kiosk_health(database: ServerDatabase, silent_after: timedelta, now: datetime) -> list[KioskHealthListing]:
    """Every registered kiosk, by number, with its state at ``now``: ``revoked``; ``never_seen`` (no authenticated
    request yet); ``silent`` (nothing heard for longer than ``silent_after``); else ``ok``."""
    Kiosk, KioskHealth = database.models.Kiosk, database.models.KioskHealth
    with database.db.connection_context():
        kiosks = list(Kiosk.select().order_by(Kiosk.number))
        health = {row.kiosk_number: row for row in KioskHealth.select()}
    listing: list[KioskHealthListing] = []
    for kiosk in kiosks:
        row = health.get(kiosk.number)
        seen = None if row is None else utc_from_text(row.last_seen_at)
        ago = None if seen is None else max(0, int((now - seen).total_seconds()))
        state: KioskState
        if not kiosk.active:
            state = "revoked"
        elif seen is None:
            state = "never_seen"
        elif now - seen > silent_after:
            state = "silent"
        else:
            state = "ok"
        def kept(column: str, row: models.KioskHealth | None = row) -> Any:
            return None if row is None else getattr(row, column)

        listing.append({
            "number": kiosk.number, "name": kiosk.name, "state": state, "registered_at": kiosk.created_at,
            "last_seen_at": kept("last_seen_at"), "seen_seconds_ago": ago, "heartbeat_at": kept("heartbeat_at"),
            "version": kept("version"), "uptime_seconds": kept("uptime_seconds"),
            "reports_waiting": kept("reports_waiting"), "events_waiting": kept("events_waiting"),
            "printer_state": kept("printer_state"), "printer_message": kept("printer_message"),
            "disk_free_bytes": kept("disk_free_bytes"), "last_error_code": kept("last_error_code"),
            "last_error_at": kept("last_error_at"), "kiosk_clock": kept("kiosk_clock"),
            "clock_skew_seconds": kept("clock_skew_seconds"),
        })
    return listing
