"""A citizen completes a report for each of the four kinds of incident, by taps and typed keys, one in Spanish.

What they typed must arrive in the store exactly as the core would have stored the same report sent as JSON.
"""

from __future__ import annotations

import pytest
from helpers import NOW, load_sample

from kiosk.rules import validate_report
from ui.wizard.page_ids import PageId

pytestmark = pytest.mark.gui

OUTPUT_KEYS = ("tracking_number", "status", "submitted_at", "official_number", "history")


@pytest.mark.parametrize("sample", ["larceny-bicycle", "vandalism-car-es", "lost-wallet", "identity-theft"])
def test_a_citizen_reports_and_the_store_holds_what_they_typed(window, visitor, reports, config, printer, qtbot,
                                                               sample):
    report = load_sample(sample)
    if report["language"] == "es":
        visitor.choose_language("es")

    visitor.report(report, config.kiosk.zone)
    assert window.wizard.currentId() == PageId.REVIEW
    review = window.wizard.page(PageId.REVIEW)
    summary = "\n".join(section.answers.text() for section in review.sections.values())
    assert report["reporter"]["last_name"] in summary
    assert report["items"][0]["description"] in summary

    visitor.attest()
    visitor.submit()

    assert window.wizard.currentId() == PageId.DONE
    done = window.wizard.page(PageId.DONE)
    tracking = done.tracking_label.text()
    assert tracking.startswith("T26-01-")
    qtbot.waitUntil(lambda: printer.calls == [(tracking, done.access_label.text())])
    qtbot.waitUntil(lambda: done.print_state == "printed")

    stored = reports.get(tracking)
    expected = validate_report(report, config, NOW).report
    assert {key: value for key, value in stored.items() if key not in OUTPUT_KEYS} == expected
    assert stored["language"] == report["language"]


def test_the_spanish_report_is_asked_in_spanish(window, visitor):
    visitor.choose_language("es")
    visitor.start()
    assert visitor.find("screening_emergency_yes_button").accessibleName().startswith("Sí")
    assert window.wizard.button(window.wizard.WizardButton.NextButton).text() == "Siguiente"
