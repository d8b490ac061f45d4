"""Problems appear next to their field, in the visitor's language, from the core's rules; Next stays available and
the first problem (top to bottom) gets the focus."""

from __future__ import annotations

import pytest

from ui.wizard.page_ids import PageId

pytestmark = pytest.mark.gui


def to_who_page(visitor) -> None:
    visitor.start()
    visitor.screening()
    visitor.category("larceny")


def test_next_on_an_empty_page_shows_each_problem_by_its_field_and_focuses_the_first(window, visitor):
    to_who_page(visitor)
    next_button = window.wizard.button(window.wizard.WizardButton.NextButton)
    visitor.next()

    who = window.current_page()
    assert window.wizard.currentId() == PageId.WHO
    assert next_button.isEnabled()
    assert who.first_name.error.text() == "First name is required."
    assert who.last_name.error.text() == "Last name is required."
    assert "month, day and the year" in who.date_of_birth.error.text()
    assert who.address.row_error.isVisible()  # city, state and ZIP share one line under their row
    assert who.address.fields["zip"].input.property("invalid") is True
    assert who.contact.error.text() == "How to reach you is required."
    assert not who.phone.error.isVisible()
    assert window.focusWidget() is who.first_name.input
    assert who.first_name.input.property("invalid") is True


def test_problems_follow_the_rules_and_clear_when_fixed(window, visitor):
    to_who_page(visitor)
    who = window.current_page()
    visitor.type("first_name_input", "Dana3")
    visitor.type("email_input", "not-an-address")
    visitor.tap("contact_preference_phone_button")
    visitor.next()
    assert "only letters" in who.first_name.error.text()
    assert "not a valid email address" in who.email.error.text()
    assert "You chose phone" in who.phone.error.text()

    visitor.type("first_name_input", "Dana", replace=True)
    visitor.next()
    assert not who.first_name.error.isVisible()
    assert window.focusWidget() is who.last_name.input


def test_problems_are_shown_in_spanish_and_switch_language_in_place(window, visitor, settle):
    visitor.choose_language("es")
    to_who_page(visitor)
    who = window.current_page()
    visitor.next()
    assert who.first_name.error.text() == "El campo «Nombre» es obligatorio."

    visitor.choose_language("en")
    settle()
    assert who.first_name.error.text() == "First name is required."


def test_the_jurisdiction_check_explains_a_refusal(window, visitor, config):
    to_who_page(visitor)
    who = window.current_page()
    visitor.about_me({"first_name": "Dana", "last_name": "Whitfield", "date_of_birth": "1979-06-14",
                      "address": {"line1": "41 Farmington Ave", "city": "Hartford", "state": "CT", "zip": "06105"},
                      "phone": "", "email": "dana@example.org", "contact_preference": "email"})
    visitor.next()
    assert not who.problems()
    visitor.next()  # the time frame: now
    visitor.place({"place_type": "street", "line1": "1 Main St", "city": "West Hartford", "state": "CT",
                   "zip": "06107"})
    visitor.next()
    where = window.current_page()
    assert window.wizard.currentId() == PageId.WHERE
    assert "This place is not in Hartford" in where.address.row_error.text()
    assert "report it to the police of the town where it happened" in where.address.row_error.text()


def test_an_item_is_checked_when_saved(window, visitor):
    to_who_page(visitor)
    window.wizard.page(PageId.WHO)
    visitor.about_me({"first_name": "Dana", "last_name": "Whitfield", "date_of_birth": "1979-06-14",
                      "address": {"line1": "41 Farmington Ave", "city": "Hartford", "state": "CT", "zip": "06105"},
                      "phone": "", "email": "dana@example.org", "contact_preference": "email"})
    visitor.next()
    visitor.next()
    visitor.place({"place_type": "street", "line1": "41 Farmington Ave", "city": "Hartford", "state": "CT",
                   "zip": "06105"})
    visitor.next()
    what = window.current_page()
    visitor.next()
    assert what.list_error.label.text() == "A theft report needs at least one stolen item."

    visitor.tap("add_item_button")
    visitor.tap("item_disposition_stolen_button")
    visitor.type("item_value_input", "12.345")
    visitor.tap("save_item_button")
    editor = what.editor
    assert editor.isVisible(), "an item with problems is not saved"
    assert editor.inputs["description"].error.text() == "Description is required."
    assert editor.inputs["value"].error.text() == "Enter an amount in dollars, for example 125.00."

    visitor.type("item_description_input", "Phone")
    visitor.type("item_value_input", "300", replace=True)
    visitor.tap("item_quantity_plus_button")
    visitor.tap("save_item_button")
    assert not editor.isVisible()
    assert what.items == [{"disposition": "stolen", "quantity": 2, "description": "Phone", "brand": "",
                           "model": "", "serial_number": "", "value": "300"}]
    visitor.tap("item_0_remove_button")
    assert what.items == []
