"""Every printed word is in every shipped catalogue, and dates and amounts are written the way each reader expects
(CLDR, through Babel)."""

from __future__ import annotations

import string
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from kiosk.rules import CATEGORIES, DISPOSITIONS, PLACE_TYPES
from kiosk.storage.models import STATUSES
from kiosk.translation import SOURCE_LANGUAGE, UnknownLanguage, catalogues
from printing import texts

NEW_YORK = ZoneInfo("America/New_York")
TABLES = [texts.TEXTS, texts.STATUS_NAMES, texts.ACTION_NAMES, texts.ACTOR_NAMES, texts.PLACE_TYPES,
          texts.CONTACT_PREFERENCES]
TRANSLATED = [code for code in catalogues().installed() if code != SOURCE_LANGUAGE]


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _catalogue(language: str) -> Catalog:
    """A shipped language's catalogue as written (the .po beside its compiled .mo): what a translator wrote, so that a
    translation equal to its English ("No" in Spanish) still counts as one."""
    with (catalogues().directory / language / "LC_MESSAGES" / "p2c.po").open("rb") as file:
        return read_po(file)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_printed_text_is_translated_with_the_same_placeholders(language):
    catalogue = _catalogue(language)
    for table in TABLES:
        for code, english in table.items():
            assert english.strip(), code
            message = catalogue.get(english)
            assert message is not None and message.string and not message.fuzzy, (code, language)
            assert _placeholders(message.string) == _placeholders(english), (code, language)
            assert texts.name_of(table, code, language) == message.string, (code, language)  # compiled as written


def test_every_code_a_report_can_hold_has_a_printed_name():
    assert set(PLACE_TYPES) <= set(texts.PLACE_TYPES)
    assert set(STATUSES) <= set(texts.STATUS_NAMES)
    for language in catalogues().installed():
        for category in CATEGORIES:
            assert texts.category_name(category, language) != category
        for disposition in DISPOSITIONS:
            assert texts.disposition_name(disposition, language) != disposition


def test_category_names_come_from_the_core_terms_and_read_as_headings():
    assert texts.category_name("larceny", "en") == "Theft"
    assert texts.category_name("identity_theft", "es") == "Robo de identidad o fraude"


def test_an_unknown_code_is_shown_as_it_is():
    assert texts.name_of(texts.ACTION_NAMES, "approved_by_captain", "en") == "approved_by_captain"


# Dates, times and amounts follow CLDR (Babel) for the language as written in the kiosk's territory (es -> es_US):
# the expectations below are CLDR's, read once and written out, so that a change of Babel's data shows up here. They
# need no catalogue: a language's formats come with Babel, its words with the catalogue.
@pytest.mark.parametrize(("moment", "language", "expected", "time"), [
    (datetime(2026, 11, 24, 12, 0, tzinfo=NEW_YORK), "en", "November 24, 2026, 12:00 PM EST", "12:00 PM EST"),
    (datetime(2026, 11, 24, 12, 0, tzinfo=NEW_YORK), "es", "24 de noviembre de 2026, 12:00 p.m. EST",
     "12:00 p.m. EST"),
    (datetime(2026, 7, 4, 0, 5, tzinfo=NEW_YORK), "en", "July 4, 2026, 12:05 AM EDT", "12:05 AM EDT"),
    (datetime(2026, 7, 4, 23, 59, tzinfo=NEW_YORK), "es", "4 de julio de 2026, 11:59 p.m. EDT", "11:59 p.m. EDT"),
    (datetime(2026, 11, 24, 12, 0, tzinfo=NEW_YORK), "pt_BR", "24 de novembro de 2026 12:00 EST", "12:00 EST"),
    (datetime(2026, 11, 24, 12, 0, tzinfo=NEW_YORK), "zh_CN", "2026年11月24日 12:00 EST", "12:00 EST"),
])
def test_dates_and_times_are_written_for_each_language(moment, language, expected, time):
    written = texts.format_datetime(moment, language)
    assert written.replace("\u00a0", " ") == expected
    assert time.replace(" ", "\u00a0") in written  # the time never breaks across lines


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "February 29, 1988"), ("es", "29 de febrero de 1988"), ("pt_BR", "29 de fevereiro de 1988"),
    ("zh_CN", "1988年2月29日"),
])
def test_dates_of_birth(language, expected):
    assert texts.format_date(date(1988, 2, 29), language) == expected


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "$1,289.40"), ("es", "$1,289.40"), ("pt_BR", "US$ 1.289,40"), ("zh_CN", "US$1,289.40"),
])
def test_amounts_in_dollars(language, expected):
    assert texts.format_amount(Decimal("1289.4"), language).replace("\u00a0", " ") == expected


def test_a_language_name_is_written_in_the_reader_s_language():
    assert texts.language_name("es", "en") == "Spanish"
    assert texts.language_name("es", "pt_BR") == "Espanhol"
    assert texts.language_name("es", "zh_CN") == "西班牙语"


def test_a_language_without_a_catalogue_is_refused():
    with pytest.raises(UnknownLanguage, match="fr"):
        texts.text("receipt.title", "fr")
