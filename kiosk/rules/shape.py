"""Reading the shape of a ``p2c-report/1`` document: which keys exist, which are required, and their JSON types.

The reader walks the document once, in the format's own order, and records a :class:`~kiosk.messages.Problem` for
every missing, unknown or mistyped key. What it returns holds only keys that were present with the right type, so
the field rules can work on it without checking types again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypedDict, cast

from kiosk.messages import Problem
from kiosk.vocabulary import ScreeningQuestion

FORMAT = "p2c-report/1"

# Keys a stored report gains on output (show --json, export). A new report must not carry them.
OUTPUT_KEYS = ("tracking_number", "status", "submitted_at", "official_number", "history")


@dataclass(frozen=True)
class Key:
    kind: str  # "str", "bool", "int", "obj", "list", "any"
    required: bool = True
    spec: dict[str, Key] | None = None  # for "obj", and for each element of a "list"


ADDRESS = {
    "line1": Key("str"),
    "line2": Key("str", required=False),
    "city": Key("str"),
    "state": Key("str"),
    "zip": Key("str"),
}

ITEM = {
    "disposition": Key("str"),
    "description": Key("str"),
    "brand": Key("str", required=False),
    "model": Key("str", required=False),
    "serial_number": Key("str", required=False),
    "institution": Key("str", required=False),
    "account_last4": Key("str", required=False),
    "quantity": Key("int", required=False),
    "value": Key("any", required=False),  # a decimal string; the item rules explain a wrong value
}

REPORT = {
    "format": Key("str"),
    "category": Key("str"),
    "language": Key("str"),
    "screening": Key("obj", spec={question.value: Key("bool") for question in ScreeningQuestion}),
    "reporter": Key("obj", spec={
        "first_name": Key("str"),
        "last_name": Key("str"),
        "date_of_birth": Key("str"),
        "address": Key("obj", spec=ADDRESS),
        "phone": Key("str", required=False),
        "email": Key("str", required=False),
        "contact_preference": Key("str"),
    }),
    "incident": Key("obj", spec={
        "occurred_from": Key("str"),
        "occurred_to": Key("str"),
        "location": Key("obj", spec={**ADDRESS, "place_type": Key("str")}),
        "narrative": Key("str"),
    }),
    "items": Key("list", spec=ITEM),
    "attested": Key("bool"),
}

_TYPE_CODES = {"str": "shape.type_string", "bool": "shape.type_bool", "int": "shape.type_int"}


# What read_shape returns, as types: the spec above with every key optional (only keys present with the right JSON
# type are kept). tests/test_report_schema.py checks that these and the spec name the same keys with the same kinds.
class PartialAddress(TypedDict, total=False):
    line1: str
    line2: str
    city: str
    state: str
    zip: str


class PartialLocation(PartialAddress, total=False):
    place_type: str


class PartialScreening(TypedDict, total=False):
    emergency: bool
    in_city: bool
    suspect_or_evidence: bool


class PartialReporter(TypedDict, total=False):
    first_name: str
    last_name: str
    date_of_birth: str
    address: PartialAddress
    phone: str
    email: str
    contact_preference: str


class PartialIncident(TypedDict, total=False):
    occurred_from: str
    occurred_to: str
    location: PartialLocation
    narrative: str


class PartialItem(TypedDict, total=False):
    disposition: str
    description: str
    brand: str
    model: str
    serial_number: str
    institution: str
    account_last4: str
    quantity: int
    value: object  # kind "any": the item rules read it


class PartialReport(TypedDict, total=False):
    format: str
    category: str
    language: str
    screening: PartialScreening
    reporter: PartialReporter
    incident: PartialIncident
    items: list[PartialItem]
    attested: bool


def read_shape(data: object, problems: list[Problem]) -> PartialReport:
    """Return the well-typed part of ``data``; append a problem for everything else."""
    if not isinstance(data, dict):
        problems.append(Problem("", "shape.not_object"))
        return {}
    # The walk keeps a key only when the spec has it and its value has the spec's kind, which PartialReport spells.
    return cast(PartialReport, _read_object(data, REPORT, "", problems, top=True))


def _read_object(data: dict[object, object], spec: dict[str, Key], path: str, problems: list[Problem],
                 top: bool = False) -> dict[str, object]:
    out: dict[str, object] = {}
    for name, key in spec.items():
        child = f"{path}.{name}" if path else name
        if name not in data:
            if key.required:
                problems.append(Problem(child, "shape.required"))
            continue
        value = _read_value(data[name], key, child, problems)
        if value is not _BAD:
            out[name] = value
    for unknown in data:
        if unknown in spec:
            continue
        child = f"{path}.{unknown}" if path else str(unknown)
        code = "shape.output_only" if top and unknown in OUTPUT_KEYS else "shape.unknown_key"
        problems.append(Problem(child, code, {"key": unknown}))
    return out


_BAD = object()
# Whether a value has a scalar kind (JSON's true and false are not numbers here, though Python's bool is an int).
_IS_KIND: dict[str, Callable[[object], bool]] = {
    "str": lambda value: isinstance(value, str),
    "bool": lambda value: isinstance(value, bool),
    "int": lambda value: isinstance(value, int) and not isinstance(value, bool),
}


def _read_value(value: object, key: Key, path: str, problems: list[Problem]) -> object:
    if key.kind == "any":
        return value
    if key.kind == "obj":
        if not isinstance(value, dict):
            problems.append(Problem(path, "shape.not_object"))
            return _BAD
        return _read_object(value, key.spec or {}, path, problems)
    if key.kind == "list":
        if not isinstance(value, list):
            problems.append(Problem(path, "shape.not_list"))
            return _BAD
        items: list[dict[str, object]] = []
        for index, element in enumerate(value):
            element_path = f"{path}[{index}]"
            if not isinstance(element, dict):
                problems.append(Problem(element_path, "shape.not_object"))
                items.append({})
                continue
            items.append(_read_object(element, key.spec or {}, element_path, problems))
        return items
    if not _IS_KIND[key.kind](value):
        problems.append(Problem(path, _TYPE_CODES[key.kind]))
        return _BAD
    return value
