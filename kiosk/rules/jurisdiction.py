"""Is an offense location inside the department's jurisdiction? City name, state, ZIP list and an optional street
list, all from the configuration."""

from __future__ import annotations

import re

from kiosk.config import JurisdictionConfig
from kiosk.messages import Problem

_STREET_WORDS = {
    "st": "street", "ave": "avenue", "av": "avenue", "rd": "road", "blvd": "boulevard", "dr": "drive", "ln": "lane",
    "ct": "court", "pl": "place", "ter": "terrace", "pkwy": "parkway", "hwy": "highway", "sq": "square",
    "n": "north", "s": "south", "e": "east", "w": "west",
}


def normalise_city(name: str) -> str:
    """``West  Hartford`` and ``west-hartford`` compare equal; ``Hartford`` and ``West Hartford`` do not."""
    return re.sub(r"[^0-9a-z]+", " ", name.casefold()).strip()


def normalise_street(line: str) -> str:
    """The street name of an address line, without the house number and with common abbreviations spelled out."""
    words = re.sub(r"[^0-9a-z]+", " ", line.casefold()).split()
    while words and any(ch.isdigit() for ch in words[0]):
        words.pop(0)
    return " ".join(_STREET_WORDS.get(word, word) for word in words)


def check_location(location: dict[str, str], rules: JurisdictionConfig, path: str, problems: list[Problem]) -> None:
    """Append a problem on each field that puts the location outside the jurisdiction."""
    city_label = rules.city_names[0]
    cities = {normalise_city(name) for name in rules.city_names}
    if "city" in location and normalise_city(location["city"]) not in cities:
        problems.append(Problem(f"{path}.city", "location.outside", {"city": city_label}))
    if "state" in location and location["state"] != rules.state:
        problems.append(Problem(f"{path}.state", "location.outside", {"city": city_label}))
    if "zip" in location and location["zip"][:5] not in rules.zips:
        problems.append(Problem(f"{path}.zip", "location.outside", {"city": city_label}))
    if rules.streets and "line1" in location:
        streets = {normalise_street(street) for street in rules.streets}
        if normalise_street(location["line1"]) not in streets:
            problems.append(Problem(f"{path}.line1", "location.street_unknown", {"city": city_label}))
