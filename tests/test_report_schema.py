"""docs/report-format.schema.json against the code that implements p2c-report/1.

The schema is for outside tools; the kiosk itself validates with :func:`kiosk.rules.validate_report`. These tests
keep the two in step: every key, every required list and every enumeration must agree, the fixtures in
tests/fixtures/reports must pass both, and a stored report read back through the real service must match the
schema's ``$defs/stored_report``. The types the core's signatures use for a report (kiosk.report_document, and the
shape reader's partial types) must name the same keys with the same JSON types, and what the service gives back must
fit them.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import NoneType, UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints, is_typeddict

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from kiosk.clock import ManualClock
from kiosk.config import config_from_mapping
from kiosk.home import Kiosk
from kiosk.report_document import ReportDocument, StoredReport
from kiosk.reports import ReportService
from kiosk.rules import CATEGORIES, DISPOSITIONS, PLACE_TYPES, fields, validate_report
from kiosk.rules.report import CONTACT_PREFERENCES, TEXT_LIMITS
from kiosk.rules.shape import FORMAT, OUTPUT_KEYS, REPORT, Key, PartialReport
from kiosk.storage.database import open_store
from kiosk.storage.models import STATUSES
from kiosk.sync.purge import purge_report
from kiosk.translation import LANGUAGE_CODE

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = ROOT / "docs" / "report-format.schema.json"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reports"
VALID = sorted(FIXTURES.glob("*.json"))
INVALID = sorted((FIXTURES / "invalid").glob("*.json"))
NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
CONFIG = config_from_mapping({})
SCHEMA: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
JSON_TYPES = {"str": "string", "bool": "boolean", "int": "integer", "obj": "object", "list": "array"}
PYTHON_TYPES: dict[str, Any] = {"str": str, "bool": bool, "int": int, "any": object}
# The keys a purged report keeps of its document (kiosk.sync.purge), and the one it gains.
PURGE_KEPT = ("format", "category", "language")


def _validator(pointer: str = "") -> Draft202012Validator:
    """A validator for the root schema, or for the subschema at ``pointer`` (such as ``/$defs/stored_report``)."""
    if not pointer:
        return Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
    registry = Registry().with_resource(SCHEMA["$id"], Resource.from_contents(SCHEMA))
    wrapper = {"$schema": SCHEMA["$schema"], "$ref": f"{SCHEMA['$id']}#{pointer}"}
    return Draft202012Validator(wrapper, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _schema_errors(document: Any, pointer: str = "") -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in _validator(pointer).iter_errors(document)]


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    """Follow local ``$ref``s (``#/...``); keywords beside a ``$ref`` are kept and win over the target's."""
    while "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), f"only local references are expected, not {ref}"
        target: Any = SCHEMA
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _codes(document: Any) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in validate_report(document, CONFIG, NOW).problems}


def _walk_spec(spec: dict[str, Key], path: str = "") -> Iterator[tuple[str, str, Key]]:
    """(parent path, key name, Key) for every key of the shape spec; list elements are written ``items[0]``."""
    for name, key in spec.items():
        yield path, name, key
        child = f"{path}.{name}" if path else name
        if key.kind == "obj":
            yield from _walk_spec(key.spec or {}, child)
        elif key.kind == "list":
            yield from _walk_spec(key.spec or {}, f"{child}[0]")


def _get(document: dict[str, Any], path: str) -> Any:
    node: Any = document
    for part in path.split(".") if path else []:
        if part.endswith("[0]"):
            node = node[part[:-3]][0]
        else:
            node = node[part]
    return node


def _larceny() -> dict[str, Any]:
    return _load(FIXTURES / "larceny-bicycle.json")


# -- the schema itself ------------------------------------------------------------------------------------------


def test_fixtures_are_present() -> None:
    assert [p.name for p in VALID] == ["identity-theft.json", "larceny-bicycle.json", "lost-wallet.json",
                                       "vandalism-car-es.json"]
    assert [p.name for p in INVALID] == ["many-problems.json", "outside-city.json"]


def test_schema_is_valid_draft_2020_12() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(SCHEMA)


def test_schema_keys_agree_with_the_shape_spec_at_every_level() -> None:
    def compare(node: dict[str, Any], spec: dict[str, Key], path: str) -> None:
        node = _resolve(node)
        where = path or "(root)"
        assert node.get("type") == "object", where
        assert node.get("additionalProperties") is False, f"{where}: unknown keys must be refused"
        assert set(node["properties"]) == set(spec), f"{where}: keys differ"
        required = {name for name, key in spec.items() if key.required}
        assert set(node.get("required", [])) == required, f"{where}: required keys differ"
        for name, key in spec.items():
            child_path = f"{path}.{name}" if path else name
            child = _resolve(node["properties"][name])
            # "any" is read as-is by the shape reader and explained by the field rules; the format says string.
            assert child.get("type") == JSON_TYPES.get(key.kind, "string"), f"{child_path}: type differs"
            if key.kind == "obj":
                compare(child, key.spec or {}, child_path)
            elif key.kind == "list":
                compare(child["items"], key.spec or {}, f"{child_path}[*]")

    compare(SCHEMA, REPORT, "")


def test_schema_enumerations_agree_with_the_code() -> None:
    props = SCHEMA["properties"]
    defs = SCHEMA["$defs"]
    assert props["format"]["const"] == FORMAT
    assert props["category"]["enum"] == list(CATEGORIES)
    assert props["language"]["pattern"] == f"^{LANGUAGE_CODE.pattern}$"  # which ones: the kiosk's catalogues
    assert props["reporter"]["properties"]["contact_preference"]["enum"] == list(CONTACT_PREFERENCES)
    assert defs["location"]["properties"]["place_type"]["enum"] == list(PLACE_TYPES)
    assert defs["item"]["properties"]["disposition"]["enum"] == list(DISPOSITIONS)
    assert defs["status"]["enum"] == list(STATUSES)
    assert set(defs["state"]["enum"]) == set(fields.US_STATES)
    assert len(defs["state"]["enum"]) == len(fields.US_STATES)


def test_schema_text_limits_agree_with_the_code() -> None:
    defs = SCHEMA["$defs"]
    for key in ("line1", "line2", "city"):
        assert defs["address"]["properties"][key]["maxLength"] == TEXT_LIMITS[key], key
    for key in ("description", "brand", "model", "serial_number", "institution"):
        assert defs["item"]["properties"][key]["maxLength"] == TEXT_LIMITS[key], key
    assert defs["person_name"]["maxLength"] == fields.NAME_MAX


def test_stored_report_is_the_input_plus_the_output_keys() -> None:
    stored = SCHEMA["$defs"]["stored_report"]
    assert stored["additionalProperties"] is False
    assert set(stored["properties"]) == set(SCHEMA["properties"]) | set(OUTPUT_KEYS)
    assert set(stored["required"]) == set(SCHEMA["required"]) | set(OUTPUT_KEYS)
    for name in SCHEMA["properties"]:
        assert stored["properties"][name]["$ref"] == f"#/properties/{name}", name


# -- the types the core's signatures use ---------------------------------------------------------------------------


def _compare_types(spec: dict[str, Key], typed: Any, path: str, *, required: Any) -> None:
    """``typed`` (a TypedDict) names the keys of ``spec`` with the same kinds, at every level; ``required(path, key)``
    says whether a key must be required."""
    where = path or "(root)"
    assert is_typeddict(typed), where
    hints = get_type_hints(typed)
    assert set(hints) == set(spec), f"{where}: keys differ"
    assert set(typed.__required_keys__) == {name for name in spec if required(path, name)}, f"{where}: required"
    for name, key in spec.items():
        child = f"{path}.{name}" if path else name
        hint = hints[name]
        if key.kind == "obj":
            _compare_types(key.spec or {}, hint, child, required=required)
        elif key.kind == "list":
            assert get_origin(hint) is list, child
            _compare_types(key.spec or {}, get_args(hint)[0], f"{child}[0]", required=required)
        else:
            assert hint is PYTHON_TYPES[key.kind] or (key.kind == "any" and hint is str), f"{child}: {hint}"


def _type_problems(value: Any, hint: Any, path: str = "") -> list[str]:
    """Where ``value`` does not fit the type ``hint`` (TypedDicts, lists, unions, str, int, bool, None, object)."""
    where = path or "(root)"
    if is_typeddict(hint):
        if not isinstance(value, dict):
            return [f"{where}: not an object"]
        hints = get_type_hints(hint)
        problems = [f"{where}: {key} missing" for key in sorted(hint.__required_keys__) if key not in value]
        problems += [f"{where}: {key} is not a key of {hint.__name__}" for key in value if key not in hints]
        for key in value:
            if key in hints:
                problems += _type_problems(value[key], hints[key], f"{path}.{key}" if path else key)
        return problems
    if get_origin(hint) is list:
        if not isinstance(value, list):
            return [f"{where}: not a list"]
        return [problem for index, element in enumerate(value)
                for problem in _type_problems(element, get_args(hint)[0], f"{path}[{index}]")]
    if get_origin(hint) in (Union, UnionType):
        return [] if any(not _type_problems(value, arm, path) for arm in get_args(hint)) else [f"{where}: {hint}"]
    if hint is object:
        return []
    if hint is NoneType:
        return [] if value is None else [f"{where}: not null"]
    fits = isinstance(value, hint) and (hint is not int or not isinstance(value, bool))
    return [] if fits else [f"{where}: {type(value).__name__}, not {hint.__name__}"]


def test_the_partial_types_are_the_shape_spec() -> None:
    """What the shape reader returns (PartialReport): the spec's keys and kinds, none required."""
    _compare_types(REPORT, PartialReport, "", required=lambda path, name: False)


def test_report_document_is_the_spec_with_every_key_present_but_an_items_value() -> None:
    """The normalised form: on output every key of the format is present except ``items[].value``."""
    _compare_types(REPORT, ReportDocument, "", required=lambda path, name: (path, name) != ("items[0]", "value"))


def test_stored_report_is_the_document_plus_the_output_keys() -> None:
    document, stored = get_type_hints(ReportDocument), get_type_hints(StoredReport)
    assert set(stored) == set(document) | set(OUTPUT_KEYS) | {"purged_at"}
    assert set(StoredReport.__required_keys__) == set(PURGE_KEPT) | set(OUTPUT_KEYS)
    for name in document:
        assert stored[name] == document[name], name
    for name in OUTPUT_KEYS:
        json_type = _resolve(SCHEMA["$defs"]["stored_report"]["properties"][name]).get("type")
        python = {"string": str, "array": list, ("string", "null"): str | None}[
            tuple(json_type) if isinstance(json_type, list) else json_type or "string"]
        hint = stored[name]
        if isinstance(hint, type) and issubclass(hint, str):
            hint = str  # a value written as its text in the JSON (tracking_number: kiosk.tracking.TrackingNumber)
        assert (get_origin(hint) or hint) == (get_origin(python) or python), name


def test_the_type_check_of_this_module_finds_what_does_not_fit() -> None:
    document = _larceny()
    assert _type_problems(document, PartialReport) == []
    document["items"][0]["quantity"] = True
    document["reporter"]["address"]["zip"] = 6105
    document["screening"]["extra"] = False
    assert _type_problems(document, PartialReport) == [
        "screening: extra is not a key of PartialScreening", "reporter.address.zip: int, not str",
        "items[0].quantity: bool, not int"]
    assert "(root): tracking_number missing" in _type_problems(_larceny(), StoredReport)


# -- fixtures -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_fixture_passes_the_schema_and_the_rules(path: Path) -> None:
    document = _load(path)
    assert _schema_errors(document) == []
    validation = validate_report(document, CONFIG, NOW)
    assert [str(p) for p in validation.problems] == []


def test_invalid_fixtures_are_refused_by_the_rules() -> None:
    many = _codes(_load(FIXTURES / "invalid" / "many-problems.json"))
    assert {("category", "category.unknown"), ("language", "language.unknown"),
            ("screening.suspect_or_evidence", "screening.suspect"), ("reporter.date_of_birth", "dob.future"),
            ("reporter.address.zip", "zip.invalid"), ("incident.occurred_to", "time.order"),
            ("items[0].quantity", "item.quantity_range"), ("items[0].value", "item.value_range"),
            ("attested", "attested.required")} <= many
    outside = _codes(_load(FIXTURES / "invalid" / "outside-city.json"))
    assert outside == {("incident.location.city", "location.outside"), ("incident.location.zip", "location.outside")}


def test_schema_refuses_what_it_can_and_says_it_cannot_check_jurisdiction() -> None:
    assert _schema_errors(_load(FIXTURES / "invalid" / "many-problems.json"))
    # A place outside the city is well formed: only the kiosk's rules (with its configuration) can refuse it.
    assert _schema_errors(_load(FIXTURES / "invalid" / "outside-city.json")) == []
    assert "cannot check every rule" in SCHEMA["description"]


# -- unknown and missing keys -------------------------------------------------------------------------------------


@pytest.mark.parametrize("parent", ["", "screening", "reporter", "reporter.address", "incident", "incident.location",
                                    "items[0]"])
def test_unknown_key_is_refused_by_both(parent: str) -> None:
    document = _larceny()
    _get(document, parent)["nickname"] = "x"
    assert _schema_errors(document)
    path = f"{parent}.nickname" if parent else "nickname"
    assert (path, "shape.unknown_key") in _codes(document)


@pytest.mark.parametrize("name", OUTPUT_KEYS)
def test_output_key_in_a_new_report_is_refused_by_both(name: str) -> None:
    document = _larceny()
    document[name] = "T26-01-00042-1" if name == "tracking_number" else None
    assert _schema_errors(document)
    assert (name, "shape.output_only") in _codes(document)


REQUIRED_PATHS = [(parent, name) for parent, name, key in _walk_spec(REPORT) if key.required]


@pytest.mark.parametrize(("parent", "name"), REQUIRED_PATHS,
                         ids=[f"{p}.{n}" if p else n for p, n in REQUIRED_PATHS])
def test_missing_required_key_is_refused_by_both(parent: str, name: str) -> None:
    document = _larceny()
    del _get(document, parent)[name]
    assert _schema_errors(document)
    path = f"{parent}.{name}" if parent else name
    assert (path, "shape.required") in _codes(document)


OPTIONAL_PATHS = [(parent, name) for parent, name, key in _walk_spec(REPORT) if not key.required]


@pytest.mark.parametrize(("parent", "name"), OPTIONAL_PATHS,
                         ids=[f"{p}.{n}" if p else n for p, n in OPTIONAL_PATHS])
def test_optional_key_may_be_absent_for_both(parent: str, name: str) -> None:
    document = _larceny()
    document["reporter"]["contact_preference"] = "phone" if name == "email" else "email"
    _get(document, parent).pop(name, None)
    assert _schema_errors(document) == []
    assert _codes(document) == set()


def test_schema_patterns_refuse_malformed_values() -> None:
    bad = {
        "reporter.date_of_birth": "06/14/1979",
        "reporter.address.zip": "6105",
        "incident.occurred_from": "2026-11-18T22:00:00",
        "items[0].value": "six fifty",
        "items[0].account_last4": "12345",
        "items[0].quantity": 0,
    }
    for path, value in bad.items():
        document = _larceny()
        parent, _, name = path.rpartition(".")
        _get(document, parent)[name] = value
        assert _schema_errors(document), path
        assert _codes(document), path


# -- stored reports -----------------------------------------------------------------------------------------------


@pytest.fixture
def service(tmp_path: Path) -> Iterator[ReportService]:
    clock = ManualClock(NOW)
    store = open_store(tmp_path / "kiosk.sqlite3", now=clock.now)
    try:
        yield Kiosk(tmp_path, CONFIG, clock=clock, store=store, receipt_printer=None).reports
    finally:
        store.close()


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_stored_report_matches_stored_report_schema(service: ReportService, path: Path) -> None:
    receipt = service.submit(_load(path))
    stored = service.get(receipt.tracking_number)
    assert _schema_errors(stored, "/$defs/stored_report") == []
    assert stored["tracking_number"] == receipt.tracking_number
    assert stored["status"] == "submitted"
    assert stored["official_number"] is None
    assert [event["action"] for event in stored["history"]] == ["submitted"]
    # Without the output keys a stored report is a valid new report, and the kiosk leaves it as it is.
    body = {key: value for key, value in stored.items() if key not in OUTPUT_KEYS}
    assert _schema_errors(body) == []
    assert validate_report(copy.deepcopy(body), CONFIG, NOW).report == body
    assert _type_problems(stored, StoredReport) == []
    assert _type_problems(body, ReportDocument) == []
    assert _type_problems(validate_report(_load(path), CONFIG, NOW).report, ReportDocument) == []


def test_an_exported_and_a_purged_report_fit_stored_report(service: ReportService, tmp_path: Path) -> None:
    numbers = [service.submit(_load(path)).tracking_number for path in VALID]
    store = open_store(tmp_path / "kiosk.sqlite3")
    try:
        (report_id,) = store.db.execute_sql("SELECT id FROM report WHERE tracking_number = ?",
                                            (numbers[0],)).fetchone()
        with store.db.atomic():
            purge_report(store, report_id, NOW)
    finally:
        store.close()
    exported = list(service.export())
    assert [report["tracking_number"] for report in exported] == numbers
    assert [_type_problems(report, StoredReport) for report in exported] == [[]] * len(VALID)
    purged = service.get(numbers[0])
    assert set(purged) == set(PURGE_KEPT) | set(OUTPUT_KEYS) | {"purged_at"}


def test_stored_report_schema_refuses_a_new_report(service: ReportService) -> None:
    assert _schema_errors(_larceny(), "/$defs/stored_report")
