"""Every way the kiosk says "not here": each screening answer and "None of these" end on a referral page that says
what to do instead, with the configured numbers, and Finish goes back to a wiped welcome page."""

from __future__ import annotations

import pytest

from kiosk.config import config_from_mapping
from ui.walkthrough import Visitor
from ui.wizard.page_ids import PageId

pytestmark = pytest.mark.gui

NUMBERS = {"department": {"emergency_number": "112", "non_emergency_phone": "(555) 010-2000",
                          "desk_phone": "(555) 010-3000"}}


def page_text(page) -> str:
    return "\n".join(label.text() for label in page.texts() if label.isVisible())


@pytest.mark.parametrize(("answers", "referral", "expected"), [
    ({"emergency": True}, PageId.REFER_EMERGENCY, ["Call 112 now", "112"]),
    ({"in_city": False}, PageId.REFER_OUTSIDE_CITY, ["police department of the town where it happened", "Hartford"]),
    ({"suspect": True}, PageId.REFER_SUSPECT, ["speak to the desk officer", "(555) 010-2000"]),
])
def test_each_wrong_screening_answer_ends_on_its_referral(make_window, answers, referral, expected):
    window = make_window(config=config_from_mapping(NUMBERS))
    visitor = Visitor(window)
    visitor.start()
    visitor.screening(**answers)

    assert window.wizard.currentId() == referral
    text = page_text(window.current_page())
    for words in expected:
        assert words in text
    finish = window.wizard.button(window.wizard.WizardButton.FinishButton)
    assert finish.isVisible() and finish.text() == "Back to the start"

    visitor.finish()
    assert window.current_page() is window.welcome_page
    assert window.wizard.currentId() == PageId.SCREEN_EMERGENCY, "a fresh wizard waits for the next visitor"
    assert window.wizard.page(PageId.SCREEN_EMERGENCY).answer.value() is None


def test_none_of_these_sends_the_visitor_to_the_desk_officer(make_window):
    window = make_window(config=config_from_mapping(NUMBERS))
    visitor = Visitor(window)
    visitor.start()
    visitor.screening()
    visitor.category("none")

    assert window.wizard.currentId() == PageId.REFER_OTHER
    text = page_text(window.current_page())
    assert "speak to the desk officer" in text and "(555) 010-3000" in text


def test_a_visitor_who_tapped_the_wrong_answer_can_go_back_and_change_it(window, visitor):
    visitor.start()
    visitor.screening(emergency=True)
    assert window.wizard.currentId() == PageId.REFER_EMERGENCY

    visitor.back()
    assert window.wizard.currentId() == PageId.SCREEN_EMERGENCY
    visitor.screening()
    assert window.wizard.currentId() == PageId.CATEGORY


def test_next_without_an_answer_asks_for_one(window, visitor):
    visitor.start()
    visitor.next()
    page = window.current_page()
    assert window.wizard.currentId() == PageId.SCREEN_EMERGENCY
    assert page.answer.error.isVisible() and page.answer.error.text() == "Please choose one answer."
