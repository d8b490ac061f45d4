"""The Review page (and the item list) show the visitor's phone number and amounts the way the kiosk writes them
elsewhere, in both languages: ``(860) 555-0142`` and ``$1,240.50`` as on the printed report copy, not as typed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from helpers import edited, load_sample

from printing.texts import format_amount
from ui.walkthrough import Visitor
from ui.wizard.display import amount_shown, phone_shown
from ui.wizard.page_ids import PageId

pytestmark = pytest.mark.gui


@pytest.mark.parametrize(("language", "phone_line"), [("en", "Phone: (860) 555-0142"),
                                                       ("es", "Teléfono: (860) 555-0142")])
def test_review_shows_the_phone_and_the_amount_as_the_kiosk_writes_them(make_window, config, settle, language,
                                                                        phone_line, tmp_path):
    window = make_window()
    visitor = Visitor(window)
    if language != "en":
        visitor.choose_language(language)
    report = edited(edited(load_sample("larceny-bicycle"), "reporter.phone", "8605550142"),
                    "items[0].value", "1240.50")
    visitor.report(report, config.kiosk.zone)
    settle()
    review = window.wizard.page(PageId.REVIEW)
    assert window.current_page() is review or review.isVisible()

    who = review.sections[PageId.WHO].answers.text().splitlines()
    items = review.sections[PageId.WHAT].answers.text()
    assert phone_line in who
    assert "8605550142" not in review.sections[PageId.WHO].answers.text()
    assert "$1,240.50" in items and "$35.00" in items
    assert "$1240.50" not in items
    assert window.wizard.page(PageId.WHAT).rows[0].details.text().endswith("$1,240.50")
    assert window.grab().save(str(tmp_path / f"review_{language}.png"))
    assert review.sections[PageId.WHAT].grab().save(str(tmp_path / f"review_items_{language}.png"))


@pytest.mark.parametrize("typed", ["1240.50", "$1,240.50", "1240.5", " 1240.50 "])
@pytest.mark.parametrize("language", ["en", "es"])
def test_an_amount_is_written_as_the_printed_report_copy_writes_it(typed, language):
    assert amount_shown(typed, language) == format_amount(Decimal("1240.50"), language) == "$1,240.50"


def test_a_phone_number_the_core_cannot_read_is_shown_as_typed():
    assert phone_shown("(860) 555-0142") == "(860) 555-0142"
    assert phone_shown("+1 860 555 0199") == "(860) 555-0199"
    assert phone_shown("+44 20 7946 0958") == "+44 20 7946 0958"  # as the printed report copy writes it
    assert phone_shown("555") == "555"
    assert amount_shown("about 40", "en") == "about 40"
