"""The item form's fields placed side by side keep their inputs on one line at any width: in portrait (1080 px wide)
the "Last 4 digits of the account" label wraps to two lines beside the one-line "Bank or company", and its box sat
lower than the bank's."""

from __future__ import annotations

from datetime import datetime

import pytest
from helpers import load_sample
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QWidget

from ui.walkthrough import Visitor

pytestmark = pytest.mark.gui

SIZES = [(1080, 1920), (1280, 800)]


def top(widget: QWidget, page: QWidget) -> int:
    return widget.mapTo(page, QPoint(0, 0)).y()


def item_form(window, config, sample: str, language: str) -> Visitor:
    """The visitor's way to the item form of ``sample``'s kind of incident, in ``language``."""
    visitor = Visitor(window)
    if language != "en":
        visitor.choose_language(language)
    report = load_sample(sample)
    visitor.start()
    visitor.screening()
    visitor.category(report["category"])
    visitor.about_me(report["reporter"])
    visitor.next()
    zone = config.kiosk.zone
    incident = report["incident"]
    start = datetime.fromisoformat(incident["occurred_from"]).astimezone(zone).replace(tzinfo=None)
    end = datetime.fromisoformat(incident["occurred_to"]).astimezone(zone).replace(tzinfo=None)
    visitor.time_frame(start, end, day_only=True)
    visitor.next()
    visitor.place(incident["location"], report["reporter"]["address"])
    visitor.next()
    visitor.tap("add_item_button")
    return visitor


@pytest.mark.parametrize("size", SIZES, ids=["portrait_1080", "landscape_1280"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_bank_and_last_4_boxes_line_up(make_window, config, settle, size, language, tmp_path):
    window = make_window()
    window.resize(*size)
    settle()
    visitor = item_form(window, config, "identity-theft", language)
    settle()
    page = visitor.page()
    bank, last4 = visitor.find("item_institution_input"), visitor.find("item_account_last4_input")
    assert bank.isVisible() and last4.isVisible()
    assert top(bank, page) == top(last4, page)
    assert bank.height() == last4.height()
    label = visitor.find("item_account_last4_label")
    assert top(label, page) + label.height() <= top(last4, page), "the label stays above its box"
    assert window.grab().save(str(tmp_path / f"item_form_{language}_{size[0]}.png"))


@pytest.mark.parametrize("size", SIZES, ids=["portrait_1080", "landscape_1280"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_property_rows_line_up_too(make_window, config, settle, size, language):
    window = make_window()
    window.resize(*size)
    settle()
    visitor = item_form(window, config, "larceny-bicycle", language)
    settle()
    page = visitor.page()
    assert top(visitor.find("item_brand_input"), page) == top(visitor.find("item_model_input"), page)
    assert top(visitor.find("item_serial_number_input"), page) == top(visitor.find("item_quantity_minus_button"),
                                                                         page)


def test_the_boxes_follow_the_text_size_and_the_language(make_window, config, settle):
    window = make_window()
    window.resize(1080, 1920)
    settle()
    visitor = item_form(window, config, "identity-theft", "en")
    visitor.tap(window.header.large_text_button)
    settle()
    page = visitor.page()
    bank, last4 = visitor.find("item_institution_input"), visitor.find("item_account_last4_input")
    assert top(bank, page) == top(last4, page)
    visitor.choose_language("es")
    settle()
    assert top(bank, page) == top(last4, page)
