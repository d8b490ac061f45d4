"""The sentence saying the officer's words are not translated follows them unless they can only be in the visitor's
language. Officer mode is in English only and nothing records the language an officer wrote in, so an officer's
words may be in English or in the report's language: they are certainly in the visitor's language only when the
visitor reads English and the report is in English. Real SQLite, the real review service deciding the reports."""

from __future__ import annotations

import pytest
from helpers import load_sample
from review_support import ReviewWorld

from kiosk.lookup import OFFICER_MODE_LANGUAGE, CitizenStatus, StatusLookup, explain
from kiosk.review import default_next_steps

NOT_TRANSLATED = {"en": "The officer's words are not translated.",
                  "es": "Las palabras del oficial no están traducidas."}
ENGLISH_QUESTION = "Which window was broken, the driver's or the passenger's?"


@pytest.fixture
def world(store, config, clock):
    return ReviewWorld(store, config, clock)


def submitted(world: ReviewWorld, sample: str) -> tuple[str, str]:
    receipt = world.reports.submit(load_sample(sample))
    return receipt.tracking_number, receipt.access_code


def check(world: ReviewWorld, tracking: str, code: str) -> CitizenStatus:
    return StatusLookup(world.store, world.config, world.clock, world.audit).check(tracking, code)


def ask(world: ReviewWorld, tracking: str, question: str) -> None:
    officer = world.officer("jdoe")
    version = world.review.open_report(tracking, officer).version
    world.review.request_info(tracking, officer, question=question, expected_version=version)


def reject(world: ReviewWorld, tracking: str, **choices) -> None:
    officer = world.officer("jdoe")
    version = world.review.open_report(tracking, officer).version
    world.review.reject(tracking, officer, expected_version=version, **choices)


def test_an_english_question_on_a_spanish_report_read_in_spanish_carries_the_sentence(world):
    tracking, code = submitted(world, "vandalism-car-es")  # the visitor wrote in Spanish
    ask(world, tracking, ENGLISH_QUESTION)  # officer mode is in English
    status = check(world, tracking, code)
    assert status.written_in == "es"

    assert explain(status, "es") == (f"Un oficial necesita más información: «{ENGLISH_QUESTION}» Puede responder "
                                     f"aquí. {NOT_TRANSLATED['es']}")


def test_spanish_next_steps_on_a_spanish_report_read_in_spanish_carry_it_too(world):
    # The officer may have written in Spanish or in English: nothing says which, and the sentence is true either way.
    tracking, code = submitted(world, "vandalism-car-es")
    reject(world, tracking, reason="outside_city", next_steps="Llame a la policía de West Hartford.")
    assert explain(check(world, tracking, code), "es").endswith(
        f"Llame a la policía de West Hartford. {NOT_TRANSLATED['es']}")


@pytest.mark.parametrize(("sample", "visitor", "told"), [
    ("larceny-bicycle", "en", False),  # English report, English visitor: the officer's words can only be English
    ("larceny-bicycle", "es", True),
    ("vandalism-car-es", "es", True),
    ("vandalism-car-es", "en", True),
])
def test_the_sentence_is_left_out_only_when_the_words_can_only_be_in_the_visitors_language(world, sample, visitor,
                                                                                          told):
    tracking, code = submitted(world, sample)
    ask(world, tracking, ENGLISH_QUESTION)
    text = explain(check(world, tracking, code), visitor)
    assert ENGLISH_QUESTION in text
    assert text.endswith(NOT_TRANSLATED[visitor]) is told
    assert OFFICER_MODE_LANGUAGE == "en"


@pytest.mark.parametrize("visitor", ["en", "es"])
def test_default_next_steps_are_the_kiosks_words_and_never_carry_it(world, config, visitor):
    tracking, code = submitted(world, "vandalism-car-es")
    reject(world, tracking, reason="not_eligible")
    text = explain(check(world, tracking, code), visitor)
    assert text.endswith(default_next_steps("not_eligible", visitor, config))
    assert NOT_TRANSLATED[visitor] not in text
