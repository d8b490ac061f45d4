"""Back and Edit never lose what was typed; Edit on the review page goes to the page and Next comes back."""

from __future__ import annotations

import pytest
from helpers import load_sample

from ui.wizard.page_ids import PageId

pytestmark = pytest.mark.gui


def test_back_keeps_every_answer(window, visitor, config):
    report = load_sample("larceny-bicycle")
    visitor.report(report, config.kiosk.zone)
    assert window.wizard.currentId() == PageId.REVIEW

    for expected in (PageId.HOW, PageId.WHAT, PageId.WHERE, PageId.WHEN, PageId.WHO):
        visitor.back()
        assert window.wizard.currentId() == expected
    who = window.current_page()
    assert who.first_name.value() == "Dana"
    assert who.email.value() == "dana.whitfield@example.org"
    assert who.date_of_birth.value() == "1979-06-14"

    for _ in range(5):
        visitor.next()
    assert window.wizard.currentId() == PageId.REVIEW
    assert window.wizard.page(PageId.WHAT).items[0]["description"] == "Bicycle, blue hybrid"
    assert "bicycle" in window.wizard.page(PageId.HOW).narrative.value()


def test_edit_jumps_to_the_page_and_next_returns_to_the_review(window, visitor, config, reports, qtbot):
    visitor.report(load_sample("lost-wallet"), config.kiosk.zone)
    review = window.wizard.page(PageId.REVIEW)

    visitor.tap(review.sections[PageId.WHO].edit_button)
    assert window.wizard.currentId() == PageId.WHO
    next_button = window.wizard.button(window.wizard.WizardButton.NextButton)
    assert next_button.text() == "Back to review"
    visitor.type("phone_input", "860-555-0199", replace=True)
    visitor.next()

    assert window.wizard.currentId() == PageId.REVIEW
    assert "Phone: (860) 555-0199" in review.sections[PageId.WHO].answers.text()  # typed 860-555-0199
    assert "Kwame" in review.sections[PageId.WHO].answers.text()
    assert next_button.text() == "Next"

    visitor.tap(review.sections[PageId.WHAT].edit_button)
    visitor.tap("item_0_edit_button")
    visitor.type("item_value_input", "75", replace=True)
    visitor.next()
    assert window.wizard.currentId() == PageId.REVIEW
    assert "$75" in review.sections[PageId.WHAT].answers.text()

    visitor.attest()
    visitor.submit()
    stored = reports.get(window.wizard.page(PageId.DONE).tracking_label.text())
    assert stored["reporter"]["phone"] == "+18605550199"
    assert stored["items"][0]["value"] == "75.00"
    assert stored["incident"]["narrative"].startswith("I was walking through Bushnell Park")


def test_a_changed_category_stops_at_the_items_that_no_longer_fit(window, visitor, config, reports):
    visitor.report(load_sample("larceny-bicycle"), config.kiosk.zone)
    review = window.wizard.page(PageId.REVIEW)
    visitor.tap(review.sections[PageId.CATEGORY].edit_button)
    visitor.category("lost_property")

    # On the way back to the review, the items page stops the visitor: a stolen bicycle is not lost property.
    assert window.wizard.currentId() == PageId.WHAT
    what = window.current_page()
    assert "does not belong in a lost property report" in what.rows[0].error.text()
    assert "tap Edit" in what.rows[0].error.text()

    visitor.tap("item_0_edit_button")
    visitor.tap("save_item_button")  # saved again, as lost property
    visitor.tap("item_1_remove_button")  # the cut lock was damaged, not lost
    visitor.next()
    assert window.wizard.currentId() == PageId.REVIEW
    assert not any(section.error.isVisible() for section in review.sections.values())
    visitor.attest()
    visitor.submit()
    stored = reports.get(window.wizard.page(PageId.DONE).tracking_label.text())
    assert stored["category"] == "lost_property"
    assert [item["disposition"] for item in stored["items"]] == ["lost"]
