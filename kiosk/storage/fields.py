"""The store's own peewee column type: a time, as an aware UTC datetime in Python and canonical text in SQLite."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, overload

import peewee as pw

from kiosk.storage.timestamps import utc_from_text, utc_text

_V = TypeVar("_V", datetime, datetime | None)

if TYPE_CHECKING:
    _TextColumn = pw.TextField
else:

    class _TextColumn(pw.TextField, Generic[_V]):
        """peewee's TextField, subscriptable like its type stubs' generic one."""


class UtcDateTimeField(_TextColumn[_V]):
    """A ``TEXT`` column holding :func:`kiosk.storage.timestamps.utc_text`; Python sees aware UTC datetimes.

    Writing (including the right-hand side of a comparison such as ``Report.submitted_at >= moment``) takes an aware
    datetime in any zone and refuses, with TypeError, a naive datetime or text. Reading gives a datetime in UTC."""

    @overload
    def __new__(cls, *args: Any, null: Literal[True], **kwargs: Any) -> UtcDateTimeField[datetime | None]: ...
    @overload
    def __new__(cls, *args: Any, null: Literal[False] = ..., **kwargs: Any) -> UtcDateTimeField[datetime]: ...
    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        return object.__new__(cls)

    def db_value(self, value: datetime | None) -> str | None:
        return None if value is None else utc_text(value)

    def python_value(self, value: str | None) -> datetime | None:
        if value is None:
            return None
        # Every row read passes here: the canonical text's fast path is inline, anything else goes the long way.
        moment = datetime.fromisoformat(value)
        return moment if moment.tzinfo is UTC else utc_from_text(value)
