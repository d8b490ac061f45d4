"""Every rule of kiosk.rules, driven by the report fixtures: each refusal names its field and says what to fix."""

from __future__ import annotations

import string
from datetime import UTC, datetime

import pytest
from helpers import NOW, REMOVE, VALID_SAMPLES, edited, load_invalid, load_sample
from translations import extract  # scripts/

from kiosk.config import config_from_mapping
from kiosk.messages import CATALOG, LABELS, TERMS, render
from kiosk.rules import validate_report
from kiosk.rules.fields import display_phone
from kiosk.translation import SOURCE_LANGUAGE, catalogues, translation


def problems_of(report, config=None, now=NOW):
    return validate_report(report, config or config_from_mapping({}), now).problems


def codes(report, **kwargs):
    return {(p.field, p.code) for p in problems_of(report, **kwargs)}


@pytest.mark.parametrize("name", VALID_SAMPLES)
def test_valid_samples_pass(name):
    assert problems_of(load_sample(name)) == []


def test_many_problems_lists_every_problem_with_its_field():
    found = codes(load_invalid("many-problems"))
    assert found >= {
        ("category", "category.unknown"),
        ("language", "language.unknown"),
        ("screening.suspect_or_evidence", "screening.suspect"),
        ("reporter.first_name", "shape.required"),
        ("reporter.date_of_birth", "dob.future"),
        ("reporter.address.line1", "shape.required"),
        ("reporter.address.zip", "zip.invalid"),
        ("reporter.phone", "phone.invalid"),
        ("reporter.email", "email.invalid"),
        ("reporter.contact_preference", "contact.preference_unknown"),
        ("incident.occurred_to", "time.order"),
        ("incident.location.line1", "shape.required"),
        ("incident.narrative", "narrative.too_short"),
        ("items[0].description", "shape.required"),
        ("items[0].quantity", "item.quantity_range"),
        ("items[0].value", "item.value_range"),
        ("attested", "attested.required"),
    }


def test_outside_city_names_city_and_zip():
    assert codes(load_invalid("outside-city")) == {
        ("incident.location.city", "location.outside"),
        ("incident.location.zip", "location.outside"),
    }


LARCENY = "larceny-bicycle"

# (path, new value or REMOVE, the (field, code) that must be reported)
REFUSALS = [
    ("format", "p2c-report/2", ("format", "format.unknown")),
    ("category", "burglary", ("category", "category.unknown")),
    ("language", "fr", ("language", "language.unknown")),
    ("screening.emergency", True, ("screening.emergency", "screening.emergency")),
    ("screening.in_city", False, ("screening.in_city", "screening.outside_city")),
    ("screening.suspect_or_evidence", True, ("screening.suspect_or_evidence", "screening.suspect")),
    ("screening.emergency", "no", ("screening.emergency", "shape.type_bool")),
    ("reporter.first_name", "   ", ("reporter.first_name", "shape.required")),
    ("reporter.first_name", "R2-D2", ("reporter.first_name", "name.chars")),
    ("reporter.last_name", "<script>", ("reporter.last_name", "name.chars")),
    ("reporter.last_name", "A" * 51, ("reporter.last_name", "text.too_long")),
    ("reporter.last_name", REMOVE, ("reporter.last_name", "shape.required")),
    ("reporter.date_of_birth", "14/06/1979", ("reporter.date_of_birth", "date.format")),
    ("reporter.date_of_birth", "1979-02-30", ("reporter.date_of_birth", "date.format")),
    ("reporter.date_of_birth", "2026-11-24", ("reporter.date_of_birth", "dob.future")),
    ("reporter.date_of_birth", "2010-01-01", ("reporter.date_of_birth", "dob.too_young")),
    ("reporter.date_of_birth", "1890-01-01", ("reporter.date_of_birth", "dob.too_old")),
    ("reporter.address.state", "Connecticut", ("reporter.address.state", "state.invalid")),
    ("reporter.address.zip", "0610", ("reporter.address.zip", "zip.invalid")),
    ("reporter.address.city", "", ("reporter.address.city", "shape.required")),
    ("reporter.phone", "555-0142", ("reporter.phone", "phone.invalid")),
    ("reporter.email", "dana@", ("reporter.email", "email.invalid")),
    ("reporter.email", "", ("reporter.email", "contact.preference_email_missing")),
    ("reporter.contact_preference", "fax", ("reporter.contact_preference", "contact.preference_unknown")),
    ("reporter.address", "41 Farmington Ave", ("reporter.address", "shape.not_object")),
    ("incident.occurred_from", "2026-11-18 22:00", ("incident.occurred_from", "time.format")),
    ("incident.occurred_from", "2026-11-18T22:00:00", ("incident.occurred_from", "time.format")),
    ("incident.occurred_to", "2026-11-25T09:00:00-05:00", ("incident.occurred_to", "time.future")),
    ("incident.occurred_to", "2026-11-18T21:00:00-05:00", ("incident.occurred_to", "time.order")),
    ("incident.occurred_from", "2019-01-01T00:00:00-05:00", ("incident.occurred_from", "time.too_old")),
    ("incident.location.city", "West Hartford", ("incident.location.city", "location.outside")),
    ("incident.location.zip", "06107", ("incident.location.zip", "location.outside")),
    ("incident.location.state", "MA", ("incident.location.state", "location.outside")),
    ("incident.location.place_type", "spaceship", ("incident.location.place_type", "place_type.unknown")),
    ("incident.narrative", "Bike gone.", ("incident.narrative", "narrative.too_short")),
    ("incident.narrative", "x" * 5001, ("incident.narrative", "narrative.too_long")),
    ("items", [], ("items", "items.needs_stolen")),
    ("items", "a bicycle", ("items", "shape.not_list")),
    ("items[0].disposition", "lost", ("items[0].disposition", "item.disposition_wrong")),
    ("items[0].disposition", "borrowed", ("items[0].disposition", "item.disposition_unknown")),
    ("items[0].description", "", ("items[0].description", "shape.required")),
    ("items[0].quantity", 0, ("items[0].quantity", "item.quantity_range")),
    ("items[0].quantity", 1000, ("items[0].quantity", "item.quantity_range")),
    ("items[0].quantity", "1", ("items[0].quantity", "shape.type_int")),
    ("items[0].value", "-5", ("items[0].value", "item.value_range")),
    ("items[0].value", "100000.01", ("items[0].value", "item.value_range")),
    ("items[0].value", "six hundred", ("items[0].value", "item.value_format")),
    ("items[0].value", "650.001", ("items[0].value", "item.value_format")),
    ("items[0].value", 650, ("items[0].value", "item.value_format")),
    ("items[0].value", "1e3", ("items[0].value", "item.value_format")),
    ("items[0].value", "NaN", ("items[0].value", "item.value_format")),
    ("items[0].account_last4", "12345", ("items[0].account_last4", "item.account_last4")),
    ("items[0].colour", "blue", ("items[0].colour", "shape.unknown_key")),
    ("attested", False, ("attested", "attested.required")),
    ("attested", REMOVE, ("attested", "shape.required")),
    ("tracking_number", "T26-01-00042-1", ("tracking_number", "shape.output_only")),
    ("emial", "x@example.org", ("emial", "shape.unknown_key")),
]


@pytest.mark.parametrize(("path", "value", "expected"), REFUSALS, ids=[f"{r[0]}={r[1]!r}"[:60] for r in REFUSALS])
def test_each_rule_refuses_with_the_field_named(path, value, expected):
    found = codes(edited(load_sample(LARCENY), path, value))
    assert expected in found


def test_not_an_object_at_all():
    assert codes(["not", "a", "report"]) == {("", "shape.not_object")}


@pytest.mark.parametrize(("category", "items", "expected"), [
    ("vandalism", [{"disposition": "stolen", "description": "Bike"}], "item.disposition_wrong"),
    ("vandalism", [], "items.needs_damaged"),
    ("lost_property", [{"disposition": "damaged", "description": "Phone"}], "item.disposition_wrong"),
    ("lost_property", [], "items.needs_lost"),
    ("identity_theft", [{"disposition": "stolen", "description": "Card"}], "item.disposition_wrong"),
])
def test_items_must_fit_the_category(category, items, expected):
    report = edited(edited(load_sample(LARCENY), "category", category), "items", items)
    assert expected in {p.code for p in problems_of(report)}


def test_identity_theft_may_list_no_items():
    assert problems_of(edited(load_sample("identity-theft"), "items", [])) == []


def test_larceny_accepts_a_damaged_item_beside_a_stolen_one():
    report = load_sample(LARCENY)
    assert {item["disposition"] for item in report["items"]} == {"stolen", "damaged"}
    assert problems_of(report) == []


def test_too_many_items():
    report = load_sample(LARCENY)
    report["items"] = [report["items"][0]] * 26
    assert ("items", "items.too_many") in codes(report)


def test_contact_needs_phone_or_email():
    report = edited(edited(load_sample(LARCENY), "reporter.email", ""), "reporter.phone", "")
    assert ("reporter.phone", "contact.none") in codes(report)


def test_phone_preference_needs_a_phone():
    report = edited(edited(load_sample(LARCENY), "reporter.contact_preference", "phone"), "reporter.phone", "")
    assert ("reporter.phone", "contact.preference_phone_missing") in codes(report)


@pytest.mark.parametrize(("path", "typed", "stored"), [
    ("reporter.phone", "(860) 555-0142", "+18605550142"),
    ("reporter.phone", "+1 860 555 0142", "+18605550142"),
    ("reporter.email", "Dana.Whitfield@EXAMPLE.org", "Dana.Whitfield@example.org"),
    ("reporter.address.zip", "06105 1234", "06105-1234"),
    ("reporter.address.state", "ct", "CT"),
    ("reporter.first_name", "  Dana   Marie ", "Dana Marie"),
    ("items[0].value", "$1,250.5", "1250.50"),
    ("items[0].value", "-0", "0.00"),
    ("items[0].value", "7", "7.00"),
])
def test_values_are_normalised(path, typed, stored):
    validation = validate_report(edited(load_sample(LARCENY), path, typed), config_from_mapping({}), NOW)
    assert validation.ok, validation.problems
    target = validation.report
    for part in path.replace("[0]", ".0").split("."):
        target = target[int(part)] if part.isdigit() else target[part]
    assert target == stored


@pytest.mark.parametrize(("stored", "shown"), [
    ("+18605550142", "(860) 555-0142"),
    ("+442079460958", "+44 20 7946 0958"),  # another country's number as people there write it
    ("", "-"),
    ("not a number", "not a number"),
])
def test_a_stored_phone_number_is_shown_and_printed_one_way(stored, shown):
    assert display_phone(stored) == shown


@pytest.mark.parametrize(("city", "zip_code"), [
    ("HARTFORD", "06105"), ("hartford ", "06105-2233"), (" Hartford", "061052233"), ("Hartford", "06105 2233"),
])
def test_jurisdiction_accepts_case_space_and_zip4_variations(city, zip_code):
    report = edited(edited(load_sample(LARCENY), "incident.location.city", city), "incident.location.zip", zip_code)
    assert problems_of(report) == []


def test_jurisdiction_comes_from_configuration():
    config = config_from_mapping({"jurisdiction": {"city_names": ["West Hartford"], "zips": ["06107"]}})
    assert problems_of(load_invalid("outside-city"), config=config) == []
    assert ("incident.location.city", "location.outside") in codes(load_sample(LARCENY), config=config)


def test_optional_street_list():
    config = config_from_mapping({"jurisdiction": {"streets": ["Farmington Avenue", "Main Street"]}})
    assert problems_of(load_sample(LARCENY), config=config) == []  # "41 Farmington Ave" is on the list
    moved = edited(load_sample(LARCENY), "incident.location.line1", "9 Nowhere Rd")
    assert ("incident.location.line1", "location.street_unknown") in codes(moved, config=config)


def test_minimum_age_is_configurable():
    report = edited(load_sample(LARCENY), "reporter.date_of_birth", "2009-01-01")  # 17 at NOW
    assert ("reporter.date_of_birth", "dob.too_young") in codes(report)
    assert problems_of(report, config=config_from_mapping({"rules": {"minimum_age": 16}})) == []


def test_a_time_frame_ending_now_is_accepted():
    end = NOW.astimezone(UTC).isoformat()
    assert problems_of(edited(load_sample(LARCENY), "incident.occurred_to", end)) == []


def test_validation_uses_the_kiosk_time_zone_for_age():
    # Born 2008-11-24: 18 on 2026-11-24 in New York. At 01:00 UTC on the 24th it is still the 23rd in New York.
    report = edited(load_sample(LARCENY), "reporter.date_of_birth", "2008-11-24")
    early = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
    assert ("reporter.date_of_birth", "dob.too_young") in codes(report, now=early)
    assert problems_of(report, now=datetime(2026, 11, 24, 6, 0, tzinfo=UTC)) == []


def test_messages_render_in_spanish_with_translated_labels_and_terms():
    report = edited(edited(load_sample(LARCENY), "items[0].disposition", "lost"), "reporter.first_name", "")
    rendered = {p.field: render(p, "es") for p in problems_of(report)}
    assert rendered["reporter.first_name"] == "El campo «Nombre» es obligatorio."
    assert "«perdido»" in rendered["items[0].disposition"] and "robo" in rendered["items[0].disposition"]
    assert "lost" not in rendered["items[0].disposition"]


def _placeholders(template):
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


TRANSLATED = [code for code in catalogues().installed() if code != SOURCE_LANGUAGE]


@pytest.mark.parametrize("code", sorted(CATALOG))
def test_every_message_is_translated_with_the_same_placeholders(code):
    english = CATALOG[code]
    assert english.strip()
    for language in TRANSLATED:
        translated = translation(language).gettext(english)
        assert translated.strip(), language  # the same word can be right ("Item" in Portuguese); the catalogue
        assert _placeholders(translated) == _placeholders(english), language  # checks say whether it is translated


def test_every_label_and_term_is_in_the_template():
    template = {message.id for message in extract() if message.id}
    for english in [*LABELS.values(), *TERMS.values()]:
        assert english.strip() and english in template, english


def test_every_message_code_the_rules_can_give_is_in_the_catalog():
    # Walk every refusal above and the invalid fixtures: each code renders in both languages without KeyError.
    reports = [edited(load_sample(LARCENY), p, v) for p, v, _ in REFUSALS]
    reports += [load_invalid("many-problems"), load_invalid("outside-city")]
    for report in reports:
        for problem in problems_of(report):
            assert render(problem, "en") and render(problem, "es")
