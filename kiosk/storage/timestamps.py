"""Times as the kiosk stores and sends them, declared once.

A stored time is an aware :class:`~datetime.datetime` in UTC. As text (database columns, the sync protocol, the audit
log's hashes) it has one canonical form: ISO 8601 in UTC with microseconds and the offset written out,
``2026-11-24T17:05:00.000000+00:00``. Every such text has the same width, so text order is time order, which the
indexes on these columns rely on.

The peewee column type is :class:`kiosk.storage.fields.UtcDateTimeField`; code that reads or writes text itself
(plain SQL, the sync wire format, ``sync_state``) uses the two functions here. Standard library only: the reference
server uses them too.
"""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["utc_from_text", "utc_text"]


def utc_text(moment: datetime) -> str:
    """The canonical text of ``moment``, which must be a timezone-aware datetime (any zone; it is converted to UTC).

    Raises TypeError for anything else (a naive datetime, a date, text)."""
    if not isinstance(moment, datetime):
        raise TypeError(f"a stored time must be a timezone-aware datetime, not {type(moment).__name__}")
    if moment.utcoffset() is None:
        raise TypeError(f"a stored time must be timezone-aware, not naive: {moment.isoformat()}")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def utc_from_text(text: str) -> datetime:
    """The aware UTC datetime that ``text`` (ISO 8601 with a UTC offset; the canonical form or any other) names.

    Raises ValueError when ``text`` is not ISO 8601 or carries no offset."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is UTC:  # the canonical text (fromisoformat gives the UTC singleton for +00:00)
        return moment
    if moment.utcoffset() is None:
        raise ValueError(f"a stored time must carry a UTC offset: {text!r}")
    return moment.astimezone(UTC)
