"""Collecting the refused items of one push (a push is all or nothing), and the conflict record kept for the
department."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from server.db import ServerDatabase, write_transaction
from server.errors import ErrorItem, Refused
from server.kiosks import now_stamp

T = TypeVar("T")

# When items are refused for different reasons, the answer's status is the first of these that applies.
_PRECEDENCE = (403, 422, 409)
_SUMMARY = {
    403: "some items are not this kiosk's to send; nothing of this push was stored",
    422: "some items are not valid; nothing of this push was stored",
    409: "some items conflict with what the server holds; nothing of this push was stored",
}


@dataclass
class ConflictRecord:
    kind: str
    kiosk_number: int
    tracking_number: str
    event_id: str | None
    code: str
    message: str
    stored_hash: str | None
    offered_hash: str | None
    offered_body: str | None


@dataclass
class Refusals:
    items: list[tuple[int, ErrorItem]] = field(default_factory=list)
    conflicts: list[ConflictRecord] = field(default_factory=list)

    def add(self, status: int, item: ErrorItem) -> None:
        self.items.append((status, item))

    def __bool__(self) -> bool:
        return bool(self.items)

    def error(self) -> Refused:
        statuses = {status for status, _ in self.items}
        status = next(s for s in _PRECEDENCE if s in statuses)
        ordered = sorted((item for _, item in self.items), key=lambda item: (item.index or 0, item.field or ""))
        return Refused(status, _SUMMARY[status], ordered)


def record_conflicts(database: ServerDatabase, conflicts: list[ConflictRecord]) -> None:
    """Keep each conflict (once per distinct refused body; seen again, its count goes up), in its own transaction:
    the push it came with was rolled back."""
    if not conflicts:
        return
    Conflict = database.models.Conflict
    stamp = now_stamp()
    with write_transaction(database):
        for conflict in conflicts:
            key = f"{conflict.kind}:{conflict.tracking_number}:{conflict.event_id or ''}:{conflict.offered_hash or ''}"
            updated = (Conflict.update(times=Conflict.times + 1, last_at=stamp, code=conflict.code,
                                       message=conflict.message)
                       .where(Conflict.key == key).execute())
            if not updated:
                Conflict.create(key=key, kind=conflict.kind, kiosk_number=conflict.kiosk_number,
                                tracking_number=conflict.tracking_number, event_id=conflict.event_id,
                                code=conflict.code, message=conflict.message, stored_hash=conflict.stored_hash,
                                offered_hash=conflict.offered_hash, offered_body=conflict.offered_body,
                                first_at=stamp, last_at=stamp, times=1)


class _Rollback(Exception):
    pass


def all_or_nothing(database: ServerDatabase, refusals: Refusals, apply: Callable[[], list[T]]) -> list[T]:
    """Run ``apply`` in one write transaction. When it refused anything (``refusals``), nothing of it stays: the
    transaction is rolled back, the conflicts are recorded in their own transaction and the refusal is raised."""
    results: list[T] = []
    try:
        with write_transaction(database):
            results = apply()
            if refusals:
                raise _Rollback
    except _Rollback:
        pass
    if refusals:
        record_conflicts(database, refusals.conflicts)
        raise refusals.error()
    return results
