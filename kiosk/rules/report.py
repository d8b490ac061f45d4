"""The rules a report must pass before it is stored, in one place for the wizard, the CLI and the server.

:func:`validate_report` reads a ``p2c-report/1`` document (a dict parsed from JSON), checks every rule, and returns
either the normalised report or every problem found, each naming its field path. A report with any problem is not
stored at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Literal, cast

from kiosk.config import Config
from kiosk.messages import Problem
from kiosk.report_document import ReportDocument
from kiosk.rules import fields
from kiosk.rules.jurisdiction import check_location
from kiosk.rules.shape import (
    FORMAT,
    PartialAddress,
    PartialIncident,
    PartialItem,
    PartialLocation,
    PartialReport,
    PartialReporter,
    PartialScreening,
    read_shape,
)
from kiosk.vocabulary import Category, ContactPreference, PlaceType, ScreeningQuestion

CATEGORIES: tuple[Category, ...] = tuple(Category)
CONTACT_PREFERENCES: tuple[ContactPreference, ...] = tuple(ContactPreference)
PLACE_TYPES: tuple[PlaceType, ...] = tuple(PlaceType)
DISPOSITIONS = ("stolen", "damaged", "lost", "fraud")
# Which item dispositions fit each category, and which one a category needs at least once (None: items optional).
ALLOWED_DISPOSITIONS: dict[str, tuple[str, ...]] = {
    Category.VANDALISM: ("damaged",),
    Category.LARCENY: ("stolen", "damaged"),
    Category.LOST_PROPERTY: ("lost",),
    Category.IDENTITY_THEFT: ("fraud",),
}
NEEDED_DISPOSITION: dict[str, str | None] = {Category.VANDALISM: "damaged", Category.LARCENY: "stolen",
                                              Category.LOST_PROPERTY: "lost", Category.IDENTITY_THEFT: None}
# A report may end this far ahead of the kiosk's clock (a visitor picking "now" on a slow screen).
CLOCK_SLACK = timedelta(minutes=2)
TEXT_LIMITS = {"line1": 100, "line2": 100, "city": 60, "description": 200, "brand": 60, "model": 60,
               "serial_number": 64, "institution": 100}
# An item's optional texts ("" when not given).
_ITEM_TEXTS: tuple[Literal["brand", "model", "serial_number", "institution"], ...] = (
    "brand", "model", "serial_number", "institution")
_VALUE_CHARS = str.maketrans("", "", "$, ")
_MONEY = re.compile(r"^-?[0-9]{1,9}(\.[0-9]{0,2})?$")  # ASCII digits only (kiosk.rules.fields)


@dataclass
class Validation:
    """The outcome of :func:`validate_report`: the normalised report when ``ok``, else the problems."""

    problems: list[Problem] = field(default_factory=list)
    report: ReportDocument | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def validate_report(data: object, config: Config, now: datetime) -> Validation:
    """Check ``data`` against every rule. ``now`` must be timezone-aware (the kiosk's clock)."""
    problems: list[Problem] = []
    doc = read_shape(data, problems)
    local_now = now.astimezone(config.kiosk.zone)

    if "format" in doc and doc["format"] != FORMAT:
        problems.append(Problem("format", "format.unknown"))
    category = doc.get("category")
    if category is not None and category not in CATEGORIES:
        problems.append(Problem("category", "category.unknown"))
        category = None
    if "language" in doc and doc["language"] not in config.kiosk.languages:
        problems.append(Problem("language", "language.unknown",
                                {"languages": ", ".join(config.kiosk.languages)}))
    _screening(doc.get("screening", {}), config, problems)

    reporter = _reporter(doc.get("reporter"), config, local_now.date(), problems)
    incident = _incident(doc.get("incident"), config, local_now, problems)
    items = _items(doc.get("items"), category, config, problems)

    if "attested" in doc and doc["attested"] is not True:
        problems.append(Problem("attested", "attested.required"))

    if problems:
        return Validation(problems=problems)
    report: PartialReport = {
        "format": FORMAT,
        "category": doc["category"],
        "language": doc["language"],
        "screening": doc["screening"].copy(),
        "reporter": reporter,
        "incident": incident,
        "items": items,
        "attested": True,
    }
    # No problem means every key the format requires was there and passed its rule (each rule fills in the optional
    # keys it left out), so the partial document is whole.
    return Validation(report=cast(ReportDocument, report))


def _screening(screening: PartialScreening, config: Config, problems: list[Problem]) -> None:
    dep = config.department
    if screening.get(ScreeningQuestion.EMERGENCY) is True:
        problems.append(Problem("screening.emergency", "screening.emergency", {"emergency": dep.emergency_number}))
    if screening.get(ScreeningQuestion.IN_CITY) is False:
        problems.append(Problem("screening.in_city", "screening.outside_city",
                                {"department": dep.name, "city": config.jurisdiction.city_names[0]}))
    if screening.get(ScreeningQuestion.SUSPECT_OR_EVIDENCE) is True:
        problems.append(Problem("screening.suspect_or_evidence", "screening.suspect",
                                {"phone": dep.non_emergency_phone}))


def _address(raw: PartialAddress, path: str, problems: list[Problem]) -> PartialLocation:
    out: PartialLocation = {}
    if "line1" in raw:
        out["line1"] = fields.text(raw["line1"], f"{path}.line1", problems, max_len=TEXT_LIMITS["line1"],
                                   required=True)
    out["line2"] = fields.text(raw.get("line2", ""), f"{path}.line2", problems, max_len=TEXT_LIMITS["line2"],
                               required=False)
    if "city" in raw:
        out["city"] = fields.text(raw["city"], f"{path}.city", problems, max_len=TEXT_LIMITS["city"], required=True)
    if "state" in raw:
        out["state"] = fields.us_state(raw["state"], f"{path}.state", problems)
    if "zip" in raw:
        out["zip"] = fields.zip_code(raw["zip"], f"{path}.zip", problems)
    return out


def _reporter(raw: PartialReporter | None, config: Config, today: date, problems: list[Problem]) -> PartialReporter:
    if raw is None:
        return {}
    out: PartialReporter = {}
    if "first_name" in raw:
        out["first_name"] = fields.person_name(raw["first_name"], "reporter.first_name", problems)
    if "last_name" in raw:
        out["last_name"] = fields.person_name(raw["last_name"], "reporter.last_name", problems)
    if "date_of_birth" in raw:
        born = fields.iso_date(raw["date_of_birth"], "reporter.date_of_birth", problems)
        if born is not None:
            _check_birth(born, today, config.rules.minimum_age, problems)
            out["date_of_birth"] = born.isoformat()
    if "address" in raw:
        out["address"] = _address(raw["address"], "reporter.address", problems)
    out["phone"] = fields.phone_number(raw.get("phone", ""), "reporter.phone", problems)
    out["email"] = fields.email_address(raw.get("email", ""), "reporter.email", problems)
    preference = raw.get("contact_preference")
    if preference is not None:
        out["contact_preference"] = preference
        if not out["phone"] and not out["email"]:
            problems.append(Problem("reporter.phone", "contact.none"))
        elif preference not in CONTACT_PREFERENCES:
            problems.append(Problem("reporter.contact_preference", "contact.preference_unknown"))
        elif not out["email" if preference == ContactPreference.EMAIL else "phone"]:
            problems.append(Problem(f"reporter.{preference}", f"contact.preference_{preference}_missing"))
    return out


def _check_birth(born: date, today: date, minimum_age: int, problems: list[Problem]) -> None:
    path = "reporter.date_of_birth"
    if born >= today:
        problems.append(Problem(path, "dob.future"))
        return
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if age > 120:
        problems.append(Problem(path, "dob.too_old"))
    elif age < minimum_age:
        problems.append(Problem(path, "dob.too_young", {"age": minimum_age}))


def _incident(raw: PartialIncident | None, config: Config, now: datetime, problems: list[Problem]) -> PartialIncident:
    if raw is None:
        return {}
    out: PartialIncident = {}
    start = _moment(raw.get("occurred_from"), "incident.occurred_from", now, problems)
    if start is not None:
        out["occurred_from"] = start.isoformat()
    end = _moment(raw.get("occurred_to"), "incident.occurred_to", now, problems)
    if end is not None:
        out["occurred_to"] = end.isoformat()
    if start and end and end < start:
        problems.append(Problem("incident.occurred_to", "time.order"))
    oldest = config.rules.oldest_incident_days
    if start and start < now - timedelta(days=oldest):
        problems.append(Problem("incident.occurred_from", "time.too_old", {"days": oldest}))

    if "location" in raw:
        raw_location = raw["location"]
        location = _address(raw_location, "incident.location", problems)
        valid = {key: value for key, value in location.items() if key in raw_location and isinstance(value, str)}
        check_location(_well_formed(valid, problems), config.jurisdiction, "incident.location", problems)
        if "place_type" in raw_location:
            location["place_type"] = raw_location["place_type"]
            if raw_location["place_type"] not in PLACE_TYPES:
                problems.append(Problem("incident.location.place_type", "place_type.unknown"))
        out["location"] = location
    if "narrative" in raw:
        out["narrative"] = _narrative(raw["narrative"], config, problems)
    return out


def _moment(raw: str | None, path: str, now: datetime, problems: list[Problem]) -> datetime | None:
    """One of the incident's times, read; None when it is missing or unreadable."""
    if raw is None:
        return None
    moment = fields.iso_datetime(raw, path, problems)
    if moment is not None and moment > now + CLOCK_SLACK:
        problems.append(Problem(path, "time.future"))
    return moment


def _well_formed(location: dict[str, str], problems: list[Problem]) -> dict[str, str]:
    """The location fields that have no problem of their own yet (so one field gets one clear message)."""
    flagged = {p.field.rsplit(".", 1)[-1] for p in problems if p.field.startswith("incident.location.")}
    return {key: value for key, value in location.items() if key not in flagged and value}


def _narrative(raw: str, config: Config, problems: list[Problem]) -> str:
    text = fields.clean_block(raw)
    rules = config.rules
    if len(text) < rules.narrative_min_chars:
        problems.append(Problem("incident.narrative", "narrative.too_short", {"min": rules.narrative_min_chars}))
    elif len(text) > rules.narrative_max_chars:
        problems.append(Problem("incident.narrative", "narrative.too_long",
                                {"max": rules.narrative_max_chars, "count": len(text)}))
    return text


def _items(raw: list[PartialItem] | None, category: str | None, config: Config,
           problems: list[Problem]) -> list[PartialItem]:
    if raw is None:
        return []
    rules = config.rules
    if len(raw) > rules.max_items:
        problems.append(Problem("items", "items.too_many", {"max": rules.max_items}))
    out = [_item(element, index, category, config, problems) for index, element in enumerate(raw)]
    needed = NEEDED_DISPOSITION.get(category) if category else None
    if needed and not any(item.get("disposition") == needed for item in out):
        problems.append(Problem("items", f"items.needs_{needed}"))
    return out


def _item(raw: PartialItem, index: int, category: str | None, config: Config, problems: list[Problem]) -> PartialItem:
    path = f"items[{index}]"
    out: PartialItem = {}
    disposition = raw.get("disposition")
    if disposition is not None:
        out["disposition"] = disposition
        if disposition not in DISPOSITIONS:
            problems.append(Problem(f"{path}.disposition", "item.disposition_unknown"))
        elif category and disposition not in ALLOWED_DISPOSITIONS[category]:
            problems.append(Problem(f"{path}.disposition", "item.disposition_wrong",
                                    {"disposition": disposition, "category": category},
                                    term_params=("disposition", "category")))
    if "description" in raw:
        out["description"] = fields.text(raw["description"], f"{path}.description", problems,
                                         max_len=TEXT_LIMITS["description"], required=True)
    else:
        out["description"] = ""
    for key in _ITEM_TEXTS:
        out[key] = fields.text(raw.get(key, ""), f"{path}.{key}", problems, max_len=TEXT_LIMITS[key], required=False)
    last4 = fields.clean_line(raw.get("account_last4", ""))
    if last4 and not (len(last4) == 4 and fields.ascii_digits(last4)):
        problems.append(Problem(f"{path}.account_last4", "item.account_last4"))
    out["account_last4"] = last4
    quantity = raw.get("quantity", 1)
    if not 1 <= quantity <= config.rules.max_item_quantity:
        problems.append(Problem(f"{path}.quantity", "item.quantity_range", {"max": config.rules.max_item_quantity}))
    out["quantity"] = quantity
    if "value" in raw:
        out["value"] = _money(raw["value"], f"{path}.value", config.rules.max_item_value, problems)
    return out


def _money(raw: object, path: str, maximum: Decimal, problems: list[Problem]) -> str:
    """A dollar amount as a string with two decimals (``"650.00"``); ``$`` and thousands commas are accepted."""
    if not isinstance(raw, str):
        problems.append(Problem(path, "item.value_format"))
        return ""
    compact = raw.translate(_VALUE_CHARS)
    if not _MONEY.match(compact):
        problems.append(Problem(path, "item.value_format"))
        return compact
    amount = Decimal(compact)
    if amount < 0 or amount > maximum:
        problems.append(Problem(path, "item.value_range", {"max": f"{maximum:,.2f}"}))
    return f"{abs(amount) if amount == 0 else amount:.2f}"
