"""Reading the shape of a ``p2c-report/1`` document: which keys exist, which are required, and their JSON types.

The reader walks the document once, in the format's own order, and records a :class:`~kiosk.messages.Problem` for
every missing, unknown or mistyped key. What it returns holds only keys that were present with the right type, so
the field rules can work on it without checking types again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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


def read_shape(data: Any, problems: list[Problem]) -> dict[str, Any]:
    """Return the well-typed part of ``data``; append a problem for everything else."""
    if not isinstance(data, dict):
        problems.append(Problem("", "shape.not_object"))
        return {}
    return _read_object(data, REPORT, "", problems, top=True)


def _read_object(data: dict, spec: dict[str, Key], path: str, problems: list[Problem], top: bool = False) -> dict:
    out: dict[str, Any] = {}
    for name, key in spec.items():
        child = f"{path}.{name}" if path else name
        if name not in data:
            if key.required:
                problems.append(Problem(child, "shape.required"))
            continue
        value = _read_value(data[name], key, child, problems)
        if value is not _BAD:
            out[name] = value
    for name in data:
        if name in spec:
            continue
        child = f"{path}.{name}" if path else str(name)
        code = "shape.output_only" if top and name in OUTPUT_KEYS else "shape.unknown_key"
        problems.append(Problem(child, code, {"key": name}))
    return out


_BAD = object()


def _read_value(value: Any, key: Key, path: str, problems: list[Problem]) -> Any:
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
        items = []
        for index, element in enumerate(value):
            element_path = f"{path}[{index}]"
            if not isinstance(element, dict):
                problems.append(Problem(element_path, "shape.not_object"))
                items.append({})
                continue
            items.append(_read_object(element, key.spec or {}, element_path, problems))
        return items
    ok = {
        "str": isinstance(value, str),
        "bool": isinstance(value, bool),
        "int": isinstance(value, int) and not isinstance(value, bool),
    }[key.kind]
    if not ok:
        problems.append(Problem(path, _TYPE_CODES[key.kind]))
        return _BAD
    return value
