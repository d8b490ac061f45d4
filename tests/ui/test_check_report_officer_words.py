"""A Spanish-speaking visitor checks their Spanish report and finds the officer's question, written in English (officer
mode is English only): the status page shows it as written and says, in Spanish, that it is not translated."""

from __future__ import annotations

import pytest
from helpers import load_sample
from PySide6.QtCore import Qt
from review_support import ReviewWorld
from test_check_report import check_with, open_check_page

pytestmark = pytest.mark.gui

QUESTION = "Which window was broken, the driver's or the passenger's?"


def test_an_english_question_on_a_spanish_report_is_marked_as_not_translated(
        open_window, store, config, clock, qtbot, settle, tmp_path):
    world = ReviewWorld(store, config, clock)
    receipt = world.reports.submit(load_sample("vandalism-car-es"))
    officer = world.officer("jdoe")
    version = world.review.open_report(receipt.tracking_number, officer).version
    world.review.request_info(receipt.tracking_number, officer, question=QUESTION, expected_version=version)

    window = open_window()
    qtbot.mouseClick(window.header.language_buttons["es"], Qt.MouseButton.LeftButton)
    settle()
    open_check_page(window, qtbot)
    check_with(window, qtbot, receipt.tracking_number, receipt.access_code, settle)

    status_page = window.lookup_flow.status_page
    assert window.current_page() is status_page
    assert status_page.status_label.text() == (f"Un oficial necesita más información: «{QUESTION}» Puede responder "
                                               "aquí. Las palabras del oficial no están traducidas.")
    assert status_page.answer.isVisible()
    assert window.grab().save(str(tmp_path / "status_es.png"))
