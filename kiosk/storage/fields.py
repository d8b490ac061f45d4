"""The store's own peewee column type: a time, as an aware UTC datetime in Python and canonical text in SQLite."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import peewee as pw

from kiosk.storage.timestamps import utc_from_text, utc_text

if TYPE_CHECKING:
    from typing import Literal, overload


class UtcDateTimeField(pw.TextField):
    """A ``TEXT`` column holding :func:`kiosk.storage.timestamps.utc_text`; Python sees aware UTC datetimes.

    Writing (including the right-hand side of a comparison such as ``Report.submitted_at >= moment``) takes an aware
    datetime in any zone and refuses, with TypeError, a naive datetime or text. Reading gives a datetime in UTC."""

    if TYPE_CHECKING:
        @overload
        def __new__(cls, *args: Any, null: Literal[True], **kwargs: Any) -> pw.Field[datetime | None]: ...
        @overload
        def __new__(cls, *args: Any, null: Literal[False] = ..., **kwargs: Any) -> pw.Field[datetime]: ...

    def db_value(self, value: Any) -> str | None:
        return None if value is None else utc_text(value)

    def python_value(self, value: Any) -> datetime | None:
        return None if value is None else utc_from_text(value)
