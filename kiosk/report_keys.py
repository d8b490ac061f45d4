"""Search and matching keys derived from a stored report, kept in columns and side tables so that the officer's
queue can search by name and find possible duplicates with an index instead of reading every report.

All keys are lower case, without accents and without punctuation, so that "José  O'Brien" and "jose obrien" match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.report_document import ReportDocument

_WORD = re.compile(r"[a-z0-9]+")
# Street words written in more than one way on forms; both sides of a comparison are reduced to the short form.
_STREET_WORDS = {
    "street": "st", "avenue": "ave", "av": "ave", "road": "rd", "drive": "dr", "boulevard": "blvd",
    "lane": "ln", "place": "pl", "court": "ct", "terrace": "ter", "parkway": "pkwy", "square": "sq",
    "north": "n", "south": "s", "east": "e", "west": "w", "apartment": "apt", "unit": "apt", "suite": "ste",
}


def fold(text: str) -> str:
    """Lower case, accents removed (é → e, ñ → n)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Apostrophes join a name's parts ("O'Brien", "O’Brien" → "obrien"), whichever apostrophe a keyboard typed.
_APOSTROPHES = str.maketrans("", "", "'’ʼ‘`´")


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text).translate(_APOSTROPHES))


def name_tokens(first_name: str, last_name: str) -> set[str]:
    """The words of a person's name, each searchable by prefix ("lop" finds "López")."""
    return set(words(first_name)) | set(words(last_name))


def person_key(first_name: str, last_name: str, date_of_birth: str) -> str:
    return "|".join(("".join(words(last_name)), "".join(words(first_name)), date_of_birth.strip()))


def address_key(address: Mapping[str, object]) -> str:
    """Street line and ZIP code (5 digits); line 2 (apartment) is left out so that a unit written differently still
    matches the building. Empty when there is no street line."""
    street = [_STREET_WORDS.get(word, word) for word in words(str(address.get("line1", "")))]
    if not street:
        return ""
    return " ".join(street) + "|" + str(address.get("zip", ""))[:5]


def serial_key(serial: str) -> str:
    """Serial numbers compared without case, spaces or dashes."""
    return "".join(words(serial))


@dataclass(frozen=True)
class ReportKeys:
    reporter_name: str
    person_key: str
    home_address_key: str
    location_key: str
    name_tokens: frozenset[str]
    serial_keys: frozenset[str]


def report_keys(report: ReportDocument) -> ReportKeys:
    """The keys of one report in the p2c-report/1 format."""
    reporter = report["reporter"]
    first, last = reporter.get("first_name", ""), reporter.get("last_name", "")
    serials = {serial_key(str(item.get("serial_number") or "")) for item in report.get("items", [])}
    serials.discard("")
    return ReportKeys(
        reporter_name=f"{first} {last}".strip(),
        person_key=person_key(first, last, reporter.get("date_of_birth", "")),
        home_address_key=address_key(reporter["address"]),
        location_key=address_key(report["incident"]["location"]),
        name_tokens=frozenset(name_tokens(first, last)),
        serial_keys=frozenset(serials),
    )
