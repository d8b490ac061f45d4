"""Tracking numbers: ``T`` + 2-digit year + kiosk number + per-kiosk sequence + a Damm check digit.

Shown grouped for reading, ``T26-01-00042-1``. The check digit is computed over the digits before it
(year, kiosk, sequence) with the Damm algorithm, which catches every single wrong digit and every swap of two
adjacent digits. Parsing accepts lower case and any spaces, hyphens, dots or slashes a person might type or a
scanner might add, and refuses a wrong check digit.
"""

from __future__ import annotations

import re

# The Damm quasigroup of order 10 (weakly totally anti-symmetric, zero diagonal).
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)

SEQUENCE_MIN_DIGITS = 5
_SEPARATORS = re.compile(r"[\s\-./_]+")
_COMPACT = re.compile(r"^T([0-9]{2})([0-9]{2})([0-9]{5,})([0-9])$")  # ASCII digits only, as every field
_STORED = re.compile(r"^T([0-9]{2})-([0-9]{2})-([0-9]{5,})-[0-9]$")


class TrackingNumberError(ValueError):
    """Not a tracking number; ``code`` is a message code from :mod:`kiosk.messages`."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def damm_check_digit(digits: str) -> int:
    interim = 0
    for ch in digits:
        interim = _DAMM[interim][int(ch)]
    return interim


def damm_is_valid(digits_with_check: str) -> bool:
    return damm_check_digit(digits_with_check) == 0


class TrackingNumber(str):
    """A tracking number, which is its text in the grouped form (``T26-01-00042-1``): like the vocabulary's ``StrEnum``
    members and :class:`kiosk.vocabulary.AccessCode`, it compares equal to, hashes like and serialises (``json.dumps``,
    SQL parameters, a label's text) as that text, so the database, the report format's JSON, the screens and the paper
    see exactly the strings they saw before.

    Made in three ways only: from its parts (a new report's number, ``TrackingNumber(26, 1, 42)``); by :meth:`parse`,
    at an edge where text comes in (a command's argument, a field on a screen, the sync protocol's JSON); and by
    :meth:`from_stored`, from a row of the kiosk's own database. Everything past an edge takes a ``TrackingNumber`` and
    never parses again (tests/core/test_tracking_edges.py keeps it so)."""

    __slots__ = ()

    def __new__(cls, year: int, kiosk: int, sequence: int) -> TrackingNumber:
        if not 0 <= year <= 99 or not 1 <= kiosk <= 99 or sequence < 1:
            raise ValueError("tracking number part out of range")
        body = f"{year:02d}{kiosk:02d}{sequence:0{SEQUENCE_MIN_DIGITS}d}"
        return super().__new__(cls, f"T{year:02d}-{kiosk:02d}-{sequence:0{SEQUENCE_MIN_DIGITS}d}-"
                                    f"{damm_check_digit(body)}")

    def __reduce__(self) -> tuple[object, tuple[str]]:
        # Copied and pickled by its text (str's own way would call __new__ with the text instead of the parts).
        return TrackingNumber.from_stored, (str(self),)

    def __repr__(self) -> str:
        return f"TrackingNumber({str(self)!r})"

    @property
    def year(self) -> int:
        """Two digits, 0-99."""
        return int(self[1:3])

    @property
    def kiosk(self) -> int:
        """The kiosk's number, 1-99."""
        return int(self[4:6])

    @property
    def sequence(self) -> int:
        """The kiosk's sequence number of the year, 1 and up."""
        return int(self[7:-2])

    @property
    def body(self) -> str:
        return f"{self.year:02d}{self.kiosk:02d}{self.sequence:0{SEQUENCE_MIN_DIGITS}d}"

    @property
    def check_digit(self) -> int:
        return int(self[-1])

    @property
    def compact(self) -> str:
        return f"T{self.body}{self.check_digit}"

    @classmethod
    def parse(cls, text: str) -> TrackingNumber:
        """Read a tracking number as a person or a scanner gives it; raise TrackingNumberError if it is not one.

        For the edges only, where text comes into the kiosk (tests/core/test_tracking_edges.py lists them)."""
        if not isinstance(text, str):
            raise TrackingNumberError("tracking.format")
        compact = _SEPARATORS.sub("", text.strip()).upper()
        if compact.startswith("T") is False and compact.isdigit():
            compact = "T" + compact
        match = _COMPACT.match(compact)
        if not match:
            raise TrackingNumberError("tracking.format")
        year, kiosk, sequence, _check = match.groups()
        if int(kiosk) == 0 or int(sequence) == 0:
            raise TrackingNumberError("tracking.format")
        if not damm_is_valid(year + kiosk + sequence + _check):
            raise TrackingNumberError("tracking.check_digit")
        return cls(int(year), int(kiosk), int(sequence))

    @classmethod
    def from_stored(cls, text: str) -> TrackingNumber:
        """The tracking number of a row of the kiosk's own database, which holds it as this class writes it
        (``T26-01-00042-1``). Trusted: only that form is read, and it is taken as it is, check digit included, without
        the checks :meth:`parse` makes of what a person typed. A text of another shape raises ValueError (the row is
        not one the kiosk wrote)."""
        if _STORED.match(text) is None:
            raise ValueError(f"not a stored tracking number: {text!r}")
        return super().__new__(cls, text)
