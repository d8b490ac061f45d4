"""The item list editor by keys only (issue 21: nothing only by touch): add two items to a theft report (stolen or
damaged chosen by keys, the quantity stepped up), edit the first, remove the second, cancel an edit; after each the
focus is on a control of the list (not lost, not in the header), so the next key does what the visitor expects."""

from __future__ import annotations

import pytest
from helpers import load_sample
from PySide6.QtCore import Qt
from test_keyboard_only import Keyboard, MouseCounter

from ui.fields.moment import floor_to_step
from ui.walkthrough import Visitor
from ui.wizard.page_ids import PageId

pytestmark = [pytest.mark.gui, pytest.mark.slow]


def to_what_page(window, config) -> None:
    """Up to the "What" page by taps (this test is about the list)."""
    visitor = Visitor(window)
    report = load_sample("larceny-bicycle")
    visitor.start()
    visitor.screening()
    visitor.category("larceny")
    visitor.about_me(report["reporter"])
    visitor.next()
    visitor.next()
    visitor.place(report["incident"]["location"], report["reporter"]["address"])
    visitor.next()
    assert window.wizard.currentId() == PageId.WHAT
    window.activateWindow()  # a tap sent by Qt Test leaves an offscreen window inactive


def test_the_item_list_by_keys_only(make_window, config, qapp):
    window = make_window()
    to_what_page(window, config)
    keyboard = Keyboard(window)
    page = window.current_page()
    mice = MouseCounter()
    qapp.installEventFilter(mice)
    try:
        for description, disposition, quantity in (("Red bicycle", "stolen", 1), ("Bike locks", "damaged", 2)):
            keyboard.activate("add_item_button")
            keyboard.activate(f"item_disposition_{disposition}_button")
            keyboard.type("item_description_input", description)
            for _ in range(quantity - 1):
                keyboard.activate("item_quantity_plus_button")
            keyboard.type("item_value_input", "120")
            keyboard.enter()  # the form's last input: Save item
            assert not page.editing(), f"{description}: not saved"
            assert keyboard.focus() is Visitor(window).find("add_item_button"), "after Save: Add an item, next"
        assert [item["description"] for item in page.items] == ["Red bicycle", "Bike locks"]
        assert page.items[1]["quantity"] == 2

        keyboard.activate("item_0_edit_button")
        keyboard.type("item_description_input", "Red mountain bicycle")
        keyboard.activate("save_item_button")  # Enter here would move on to the next input
        assert page.items[0]["description"] == "Red mountain bicycle"

        keyboard.activate("item_1_edit_button")
        keyboard.activate("cancel_item_button")
        assert not page.editing()
        assert keyboard.focus() is Visitor(window).find("item_1_edit_button"), "after Cancel: the item's own Edit"

        keyboard.activate("item_0_remove_button")
        assert [item["description"] for item in page.items] == ["Bike locks"]
        assert keyboard.focus() is Visitor(window).find("item_0_edit_button"), "after Remove: the item now there"
        keyboard.activate("item_0_remove_button")
        assert page.items == []
        assert keyboard.focus() is Visitor(window).find("add_item_button"), "after the last Remove: Add an item"
    finally:
        qapp.removeEventFilter(mice)
    assert keyboard.unreachable == []
    assert mice.presses == 0
    assert keyboard.focus() is not None and not window.header.isAncestorOf(keyboard.focus())
    print(f"\nthe item list by keys: {keyboard.keys} keys ({keyboard.typed} typed)")


def test_the_time_picker_by_keys(make_window, config, clock):
    """One press a day, an hour, five minutes; the pickers start at today's date, at the current time."""
    window = make_window()
    to_what_page(window, config)
    keyboard = Keyboard(window)
    window.wizard.back()
    window.wizard.back()
    assert window.wizard.currentId() == PageId.WHEN
    window.activateWindow()
    picker = Visitor(window).find("occurred_from_picker")
    start = picker.moment()
    now = clock.now().astimezone(config.kiosk.zone).replace(tzinfo=None)
    assert start == floor_to_step(now), "today, at the current time (to five minutes)"
    keyboard.activate("occurred_from_day_earlier_button")
    keys = keyboard.keys
    for _ in range(2):
        keyboard.press(Qt.Key.Key_Space)
    assert (start - picker.moment()).days == 3
    assert keyboard.keys - keys == 2, "one press per day"
    keyboard.activate("occurred_from_hour_earlier_button")
    assert (start - picker.moment()).total_seconds() == 3 * 86400 + 3600
    keyboard.activate("occurred_from_minute_earlier_button")
    assert (start - picker.moment()).total_seconds() == 3 * 86400 + 3600 + 300
