"""Check a report in the visitor's language: next steps the officer left as the reason's default are shown in the
language the visitor chose, whatever the report's language; the officer's own words (next steps they wrote, a message,
a question) are shown as written, with a sentence in the visitor's language saying so. Real SQLite, the real review
service deciding the reports."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from helpers import load_sample
from review_support import ReviewWorld

from kiosk.config import config_from_mapping
from kiosk.lookup import CitizenStatus, StatusLookup, explain
from kiosk.messages import render
from kiosk.review import default_next_steps

AS_WRITTEN = {"en": "The officer's words are not translated.",
              "es": "Las palabras del oficial no están traducidas."}
QUESTION = "What colour is the bicycle, and does it have a bell?"


@pytest.fixture
def world(store, config, clock):
    return ReviewWorld(store, config, clock)


def submitted(world: ReviewWorld, sample: str = "larceny-bicycle") -> tuple[str, str]:
    """A fixture report (larceny-bicycle is in English, vandalism-car-es in Spanish): tracking number, access code."""
    receipt = world.reports.submit(load_sample(sample))
    return receipt.tracking_number, receipt.access_code


def reject(world: ReviewWorld, tracking: str, **choices) -> None:
    officer = world.officer("jdoe")
    version = world.review.open_report(tracking, officer).version
    world.review.reject(tracking, officer, expected_version=version, **choices)


def check(world: ReviewWorld, tracking: str, code: str, config=None) -> CitizenStatus:
    return StatusLookup(world.store, config or world.config, world.clock, world.audit).check(tracking, code)


def test_default_next_steps_of_an_english_report_are_shown_in_spanish_to_a_spanish_visitor(world, config):
    tracking, code = submitted(world)
    reject(world, tracking, reason="outside_city")
    status = check(world, tracking, code)

    english = default_next_steps("outside_city", "en", config)
    spanish = default_next_steps("outside_city", "es", config)
    assert status.next_steps == english, "the stored text is unchanged: the report's language"
    assert explain(status, "es") == f"No aceptado: ocurrió fuera de la ciudad. Qué hacer ahora: {spanish}"
    assert explain(status, "en") == f"Not accepted: it happened outside the city. What to do next: {english}"
    assert AS_WRITTEN["es"] not in explain(status, "es"), "nothing of the officer's own is shown"


def test_default_next_steps_of_a_spanish_report_are_shown_in_english_to_an_english_visitor(world, config):
    tracking, code = submitted(world, "vandalism-car-es")
    reject(world, tracking, reason="not_eligible")
    status = check(world, tracking, code)

    assert status.next_steps == default_next_steps("not_eligible", "es", config)
    assert explain(status, "en").endswith(f"What to do next: {default_next_steps('not_eligible', 'en', config)}")
    assert explain(status, "es").endswith(f"Qué hacer ahora: {default_next_steps('not_eligible', 'es', config)}")


def test_the_default_the_officer_screen_fills_in_and_the_officer_keeps_counts_as_the_default(world, config):
    # The officer's screen offers the default (in the report's language) for editing; sent back unchanged it is
    # still the default.
    tracking, code = submitted(world)
    reject(world, tracking, reason="duplicate", duplicate_of=submitted(world, "lost-wallet")[0],
           next_steps=default_next_steps("duplicate", "en", config) + "\n")
    assert explain(check(world, tracking, code), "es").endswith(default_next_steps("duplicate", "es", config))


def test_next_steps_the_officer_wrote_are_shown_as_written_and_the_visitor_is_told(world):
    tracking, code = submitted(world)
    own = "Report it to the West Hartford police, 860-523-5203."
    reject(world, tracking, reason="outside_city", next_steps=own)
    status = check(world, tracking, code)

    assert explain(status, "es") == (f"No aceptado: ocurrió fuera de la ciudad. Qué hacer ahora: {own} "
                                     f"{AS_WRITTEN['es']}")
    assert explain(status, "en") == f"Not accepted: it happened outside the city. What to do next: {own}"


def test_an_edited_default_is_the_officers_own_words(world, config):
    tracking, code = submitted(world)
    edited = default_next_steps("outside_city", "en", config) + " Ask for Sergeant Ruiz."
    reject(world, tracking, reason="outside_city", next_steps=edited)
    text = explain(check(world, tracking, code), "es")
    assert edited in text and text.endswith(AS_WRITTEN["es"])
    assert default_next_steps("outside_city", "es", config) not in text


def test_a_message_for_another_reason_stays_as_written_and_the_default_steps_follow_in_the_visitors_language(
        world, config):
    tracking, code = submitted(world)
    reject(world, tracking, reason="other", message="The bicycle was found at the station.")
    status = check(world, tracking, code)

    assert status.officer_message == "The bicycle was found at the station."
    assert explain(status, "es") == ("No aceptado: un oficial no pudo aceptarlo así como está. Qué hacer ahora: The "
                                     "bicycle was found at the station.\n\n"
                                     f"{default_next_steps('other', 'es', config)} {AS_WRITTEN['es']}")
    english = default_next_steps("other", "en", config)
    assert explain(status, "en") == ("Not accepted: an officer could not accept it as it is. What to do next: The "
                                     f"bicycle was found at the station.\n\n{english}")


def test_the_officers_question_is_shown_as_written_and_the_visitor_is_told(world):
    tracking, code = submitted(world)
    officer = world.officer("jdoe")
    version = world.review.open_report(tracking, officer).version
    world.review.request_info(tracking, officer, question=QUESTION, phone_note="Called, no answer.",
                              expected_version=version)
    status = check(world, tracking, code)

    assert explain(status, "es") == (f"Un oficial necesita más información: «{QUESTION}» Puede responder aquí. "
                                     f"{AS_WRITTEN['es']}")
    assert explain(status, "en") == f"An officer needs more information: “{QUESTION}” You can answer here."


def test_a_visitor_reading_an_english_report_in_english_is_not_told_anything_more(world):
    # Officer mode is in English only: an officer's words on a Spanish report may be English, so a Spanish visitor
    # of a Spanish report is told too (tests/core/test_lookup_officer_words.py).
    tracking, code = submitted(world)
    reject(world, tracking, reason="outside_city", next_steps="Call the West Hartford police.")
    assert AS_WRITTEN["en"] not in explain(check(world, tracking, code), "en")
    assert explain(check(world, tracking, code), "es").endswith(AS_WRITTEN["es"])


def test_a_default_written_before_the_phone_number_changed_is_shown_as_stored(world, config):
    # The default is recognised with today's configuration; an older one cannot be told from the officer's own
    # words, so it is shown as stored (it holds the number that was right when the report was decided).
    tracking, code = submitted(world, "lost-wallet")
    reject(world, tracking, reason="not_eligible")
    moved = config_from_mapping({"department": {"non_emergency_phone": "(860) 555-0100"}})
    status = check(world, tracking, code, moved)

    old_english = default_next_steps("not_eligible", "en", config)
    assert status.default_next_steps == ()
    assert explain(status, "es").endswith(f"{old_english} {AS_WRITTEN['es']}")


def test_a_status_made_without_the_new_fields_reads_as_before():
    status = CitizenStatus(tracking_number="T26-01-00042-1", status="rejected", official_number=None,
                           reason_code="outside_city", next_steps="Call us.", question=None,
                           submitted_at=datetime(2026, 11, 24, 17, 0, tzinfo=UTC), can_answer=False)
    assert explain(status, "es") == "No aceptado: ocurrió fuera de la ciudad. Qué hacer ahora: Call us."


def test_the_new_sentence_is_in_the_catalogue_in_both_languages():
    from kiosk.messages import Problem

    for language, text in AS_WRITTEN.items():
        assert render(Problem("", "lookup.officer_words_as_written"), language) == text
