"""Digits are ASCII (issue 16, part 3): a field with a pattern (ZIP codes, the last four digits of an account, an
amount, a date, a time, a phone number) refuses a digit of any other Unicode class (the digits of other scripts,
full-width, superscript, circled, fractions...) with the field's own message, in the rules every face shares (the
wizard, the CLI, the reference server); a report the rules accept matches the JSON Schema (docs/report-format.schema
.json), whose patterns say [0-9]. Decided: refuse, not normalise (docs/decisions.md)."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import jsonschema
import pytest
from helpers import NOW, edited, load_sample
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.config import config_from_mapping
from kiosk.rules import validate_report
from kiosk.tracking import TrackingNumber, TrackingNumberError

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "report-format.schema.json").read_text())
CONFIG = config_from_mapping({})

# (sample, field, a valid ASCII value of it)
FIELDS = [
    ("identity-theft", "reporter.address.zip", "06103"),
    ("identity-theft", "incident.location.zip", "06103-1234"),
    ("identity-theft", "items[0].account_last4", "4417"),
    ("identity-theft", "items[0].value", "1289.40"),
    ("identity-theft", "reporter.phone", "860-555-0183"),
    ("identity-theft", "reporter.date_of_birth", "1969-08-30"),
    ("identity-theft", "incident.occurred_from", "2026-10-01T00:00:00-04:00"),
]

# Every character Python reads as a digit or a number, outside ASCII: Nd (decimal digits of every script), No
# (superscripts, circled, fractions), Nl (Roman numerals and the like).
OTHER_DIGITS = st.characters(categories=("Nd", "No", "Nl")).filter(
    lambda ch: not ch.isascii() and (ch.isdigit() or ch.isnumeric()))


def same_script(digit: str, ascii_value: str) -> str:
    """``ascii_value`` written with the digits of ``digit``'s script (one for one, when it is a decimal digit with
    nine siblings beside it), else with ``digit`` in place of every ASCII digit."""
    zero = ord(digit) - unicodedata.decimal(digit, 0)
    family = [chr(zero + n) for n in range(10)]
    if all(unicodedata.decimal(ch, -1) == n for n, ch in enumerate(family)):
        return "".join(family[int(ch)] if ch.isdigit() else ch for ch in ascii_value)
    return "".join(digit if ch.isdigit() else ch for ch in ascii_value)


def problem_fields(report):
    return {problem.field for problem in validate_report(report, CONFIG, NOW).problems}


def test_the_ascii_values_are_accepted_and_match_the_schema():
    for sample, path, value in FIELDS:
        report = edited(load_sample(sample), path, value)
        validation = validate_report(report, CONFIG, NOW)
        assert validation.ok, (path, validation.problems)
        jsonschema.validate(validation.report, SCHEMA)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(FIELDS), digit=OTHER_DIGITS, everywhere=st.booleans(), position=st.integers(0, 20))
def test_a_digit_of_any_other_class_is_refused_on_its_field(field, digit, everywhere, position):
    sample, path, value = field
    if everywhere:
        typed = same_script(digit, value)
    else:  # one ASCII digit replaced
        places = [i for i, ch in enumerate(value) if ch.isdigit()]
        at = places[position % len(places)]
        typed = value[:at] + digit + value[at + 1:]
    report = edited(load_sample(sample), path, typed)
    assert path in problem_fields(report), typed


@settings(max_examples=200, deadline=None)
@given(digit=OTHER_DIGITS, everywhere=st.booleans())
def test_a_tracking_number_with_a_digit_of_another_class_is_refused(digit, everywhere):
    typed = same_script(digit, "T26-01-00042-1") if everywhere else "T26-01-0004" + digit + "-1"
    assert str(TrackingNumber.parse("T26-01-00042-1")) == "T26-01-00042-1"
    with pytest.raises(TrackingNumberError):
        TrackingNumber.parse(typed)
