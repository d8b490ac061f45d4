"""When the database refuses the report, the visitor is sent to the desk officer, nothing is stored, it is logged."""

from __future__ import annotations

import logging

import pytest
from helpers import load_sample

from ui.wizard.page_ids import PageId

pytestmark = pytest.mark.gui


def test_a_failure_to_store_says_see_the_desk_officer_and_keeps_nothing(window, visitor, config, store, reports,
                                                                       caplog):
    report = load_sample("lost-wallet")
    visitor.report(report, config.kiosk.zone)
    visitor.attest()
    store.db.execute_sql("CREATE TRIGGER refuse BEFORE INSERT ON report_event "
                         "BEGIN SELECT RAISE(ABORT, 'disk trouble'); END")

    with caplog.at_level(logging.INFO):
        visitor.submit()

    review = window.current_page()
    assert window.wizard.currentId() == PageId.REVIEW
    assert review.store_error.isVisible()
    assert "Please see the desk officer" in review.store_error.text()
    assert "Nothing was stored" in review.store_error.text()
    assert window.focusWidget() is review.store_error or review.store_error.isVisible()
    assert list(reports.list_reports()) == []
    assert any(r.levelno >= logging.ERROR and "could not be stored" in r.getMessage() for r in caplog.records)
    assert not any("Kwame" in r.getMessage() or "Mensah" in r.getMessage() for r in caplog.records), \
        "no personal data in the log"

    visitor.choose_language("es")
    assert "Hable con el oficial de recepción" in review.store_error.text()

    store.db.execute_sql("DROP TRIGGER refuse")
    visitor.choose_language("en")
    visitor.submit()
    assert window.wizard.currentId() == PageId.DONE, "once the database works again the same report goes in"
    assert len(reports.list_reports()) == 1
