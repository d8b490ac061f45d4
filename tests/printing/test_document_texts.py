"""Every printed word is in every shipped catalogue, and dates and amounts are written the way each reader expects
(CLDR, through Babel)."""

from __future__ import annotations

import string
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from kiosk.rules import CATEGORIES, DISPOSITIONS, PLACE_TYPES
from kiosk.storage.models import STATUSES
from kiosk.translation import SOURCE_LANGUAGE, UnknownLanguage, catalogues, translation
from printing import texts

NEW_YORK = ZoneInfo("America/New_York")
TABLES = [texts.TEXTS, texts.STATUS_NAMES, texts.ACTION_NAMES, texts.ACTOR_NAMES, texts.PLACE_TYPES,
          texts.CONTACT_PREFERENCES]
TRANSLATED = [code for code in catalogues().installed() if code != SOURCE_LANGUAGE]


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(texts.TEXTS))
def test_every_text_is_translated_with_the_same_placeholders(key):
    english = texts.TEXTS[key]
    assert english.strip()
    for language in TRANSLATED:
        translated = texts.text(key, language) if not _placeholders(english) else translation(language).gettext(english)
        assert translated.strip() and translated != english, (key, language)
        assert _placeholders(translated) == _placeholders(english), (key, language)


def test_every_name_is_translated():
    for table in TABLES:
        for code, english in table.items():
            assert english.strip(), code
            for language in TRANSLATED:
                assert texts.name_of(table, code, language) != english, (code, language)


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


@pytest.mark.parametrize(("moment", "language", "expected"), [
    (datetime(2026, 11, 24, 12, 0, tzinfo=NEW_YORK), "en", "November 24, 2026, 12:00 PM EST"),
    (datetime(2026, 11, 24, 12, 0, tzinfo=NEW_YORK), "es", "24 de noviembre de 2026, 12:00 p.m. EST"),
    (datetime(2026, 7, 4, 0, 5, tzinfo=NEW_YORK), "en", "July 4, 2026, 12:05 AM EDT"),
    (datetime(2026, 7, 4, 23, 59, tzinfo=NEW_YORK), "es", "4 de julio de 2026, 11:59 p.m. EDT"),
])
def test_dates_and_times_are_written_for_each_language(moment, language, expected):
    written = texts.format_datetime(moment, language)
    assert written.replace("\u00a0", " ") == expected
    assert " " not in written.split(", ")[-1]  # the time never breaks across lines


def test_dates_of_birth_in_both_languages():
    assert texts.format_date(date(1988, 2, 29), "en") == "February 29, 1988"
    assert texts.format_date(date(1988, 2, 29), "es") == "29 de febrero de 1988"


def test_amounts_in_dollars():
    assert texts.format_amount(Decimal("1289.4"), "en") == "$1,289.40"
    assert texts.format_amount(Decimal("0"), "es") == "$0.00"


def test_a_language_without_a_catalogue_is_refused():
    with pytest.raises(UnknownLanguage, match="fr"):
        texts.text("receipt.title", "fr")
