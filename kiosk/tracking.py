"""Tracking numbers: ``T`` + 2-digit year + kiosk number + per-kiosk sequence + a Damm check digit.

Shown grouped for reading, ``T26-01-00042-1``. The check digit is computed over the digits before it
(year, kiosk, sequence) with the Damm algorithm, which catches every single wrong digit and every swap of two
adjacent digits. Parsing accepts lower case and any spaces, hyphens, dots or slashes a person might type or a
scanner might add, and refuses a wrong check digit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
_COMPACT = re.compile(r"^T(\d{2})(\d{2})(\d{5,})(\d)$")


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


@dataclass(frozen=True, order=True)
class TrackingNumber:
    year: int  # two digits, 0-99
    kiosk: int  # 1-99
    sequence: int  # 1 and up

    def __post_init__(self) -> None:
        if not 0 <= self.year <= 99 or not 1 <= self.kiosk <= 99 or self.sequence < 1:
            raise ValueError("tracking number part out of range")

    @property
    def body(self) -> str:
        return f"{self.year:02d}{self.kiosk:02d}{self.sequence:0{SEQUENCE_MIN_DIGITS}d}"

    @property
    def check_digit(self) -> int:
        return damm_check_digit(self.body)

    def __str__(self) -> str:
        return f"T{self.year:02d}-{self.kiosk:02d}-{self.sequence:0{SEQUENCE_MIN_DIGITS}d}-{self.check_digit}"

    @property
    def compact(self) -> str:
        return f"T{self.body}{self.check_digit}"

    @classmethod
    def parse(cls, text: str) -> TrackingNumber:
        """Read a tracking number as a person or a scanner gives it; raise TrackingNumberError if it is not one."""
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
