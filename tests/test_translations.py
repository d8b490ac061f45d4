"""Every shipped catalogue is complete and consistent (issue 20): nothing untranslated or fuzzy, the same place
markers as the English source, and each glossary term of docs/translations.md translated one way."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from translation_checks import Term, glossary, problems
from translations import extract, languages

from kiosk.translation import SOURCE_LANGUAGE

SHIPPED = languages()


@pytest.fixture(scope="module")
def template() -> Catalog:
    return extract()


def test_the_shipped_languages_are_there():
    assert SOURCE_LANGUAGE not in SHIPPED
    assert {"es", "pt_BR", "zh_CN"} <= set(SHIPPED)


@pytest.mark.parametrize("language", SHIPPED)
def test_a_shipped_catalogue_is_complete_and_consistent(language, template):
    found = problems([language], template)
    assert not found, "\n".join(found[:40]) + (f"\n... and {len(found) - 40} more" if len(found) > 40 else "")


def test_the_glossary_has_terms_for_every_shipped_language():
    terms = glossary()
    for language in SHIPPED:
        assert len([term for term in terms if term.language == language]) >= 8, language


def _catalogue(tmp_path: Path, entries: list[tuple[str, str, bool]]) -> Path:
    catalogue = Catalog(locale="eo", domain="p2c")
    for english, translated, fuzzy in entries:
        catalogue.add(english, translated, flags=("fuzzy",) if fuzzy else ())
    folder = tmp_path / "eo" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "p2c.po").open("wb") as file:
        write_po(file, catalogue)
    return tmp_path


def test_the_checks_catch_each_kind_of_mistake(tmp_path):
    template = Catalog(domain="p2c")
    for english in ("Your tracking number is {number}.", "Call %1 now.", "Print the receipt", "Hello", "Gone"):
        template.add(english)
    template.add("Forgotten")
    locale_dir = _catalogue(tmp_path, [
        ("Your tracking number is {number}.", "Via spurnumero estas {numero}.", False),  # marker renamed
        ("Call %1 now.", "Voku nun.", False),  # marker dropped
        ("Print the receipt", "Presu la kvitancon", True),  # fuzzy
        ("Hello", "", False),  # untranslated
        ("Gone", "For", False),
        ("Removed from the code", "Forigita", False),  # obsolete
    ])
    template.delete("Gone")
    template.add("Gone")
    terms = [Term("tracking number", "eo", ("spurnumero",)), Term("receipt", "eo", ("kvitanco", "ricevilo"))]
    found = problems(["eo"], template, locale_dir, terms)
    text = "\n".join(found)
    assert "'Your tracking number is {number}.': place markers" in text
    assert "'Call %1 now.': place markers" in text
    assert "'Print the receipt': fuzzy" in text
    assert "'Hello': not translated" in text
    assert "'Removed from the code': not in the code any more" in text
    assert "'Forgotten': missing" in text
    assert not any("'Gone'" in line for line in found)
    assert not any("glossary" in line for line in found)  # "spurnumero" and "kvitancon" hold allowed forms


def test_the_glossary_check_catches_a_term_translated_another_way(tmp_path):
    template = Catalog(domain="p2c")
    template.add("Keep this receipt.")
    template.add("Print the receipt again")
    locale_dir = _catalogue(tmp_path, [("Keep this receipt.", "Konservu ĉi tiun kvitancon.", False),
                                       ("Print the receipt again", "Presu la kvitlibron denove", False)])
    found = problems(["eo"], template, locale_dir, [Term("receipt", "eo", ("kvitanco",))])
    assert found == ["eo: 'Print the receipt again': the glossary says “receipt” is “kvitanco”"]


def test_fill_replaces_qt_place_markers():
    from ui.i18n import fill

    assert fill("call %1", "911") == "call 911"
    assert fill("%2 then %1", "a", "b") == "b then a"
    assert fill("%1 and %10", *[str(n) for n in range(1, 11)]) == "1 and 10"
