"""A visitor at the welcome page: what it says, Start, and switching between English and Spanish."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from kiosk.config import config_from_mapping
from kiosk.resources import resource_path
from ui.i18n import fill
from ui.wizard.page_ids import PageId

pytestmark = pytest.mark.gui

LEFT = Qt.MouseButton.LeftButton


def visible_texts(widget: QWidget) -> dict[str, str]:
    """objectName -> text of every label and button the visitor can see in ``widget``."""
    widgets = [*widget.findChildren(QLabel), *widget.findChildren(QAbstractButton)]
    return {w.objectName(): w.text() for w in widgets if w.isVisible()}


def accessible_names(widget: QWidget) -> dict[str, str]:
    return {b.objectName(): b.accessibleName() for b in widget.findChildren(QAbstractButton) if b.isVisible()}


def spanish_catalog(values: list[str]) -> set[str]:
    """Every translation in the Spanish catalogue, with its %1 filled in by each of ``values``."""
    texts = set()
    with resource_path("locale", "es", "LC_MESSAGES", "p2c.po").open("rb") as file:
        for message in read_po(file):
            translation = message.string if isinstance(message.string, str) else ""
            texts.update(fill(translation, value) for value in values)
    return texts


def test_welcome_page_shows_the_configured_department_and_emergency_number(make_window):
    config = config_from_mapping({"department": {"name": "Springfield Police Department", "emergency_number": "112"}})
    window = make_window(config=config)

    page = window.welcome_page
    assert window.current_page() is page
    assert page.department_label.text() == "Springfield Police Department"
    assert page.emergency_label.text() == "If this is an emergency, call 112"
    assert "vandalism" in page.eligible_label.text()
    assert page.start_button.isVisible()
    assert not window.header.department_label.isVisible(), "the page shows the name large; the header does not"


def test_start_opens_the_wizard_at_the_first_question(window, qtbot):
    with qtbot.waitSignal(window.welcome_page.start_requested):
        qtbot.mouseClick(window.welcome_page.start_button, LEFT)
    assert window.wizard.currentId() == PageId.SCREEN_EMERGENCY
    assert window.current_page().isVisible()
    assert window.header.department_label.isVisible()


def test_espanol_translates_every_visible_text_in_place_and_english_switches_back(window, qtbot, config, settle):
    welcome = window.welcome_page
    english = visible_texts(window)
    english_names = accessible_names(window)
    english_title = window.windowTitle()
    # Texts that stay the same in every language: the department's own name and each language's own name.
    language_names = {button.objectName() for button in window.header.language_buttons.values()}
    same_in_both = {"department_name_label", *language_names}

    qtbot.mouseClick(window.header.language_buttons["es"], LEFT)
    settle()
    spanish = visible_texts(window)
    assert window.current_page() is welcome, "switching language must not leave the page"
    assert spanish.keys() == english.keys()
    catalog = spanish_catalog([config.department.emergency_number, config.department.non_emergency_phone])
    for name, text in spanish.items():
        if name in same_in_both:
            assert text == english[name]
        else:
            assert text != english[name], f"{name} is still in English: {text!r}"
            assert text in catalog, f"{name} shows {text!r}, which is not a translation from the es catalogue"
    assert welcome.emergency_label.text() == "Si es una emergencia, llame al 911"
    assert welcome.start_button.text() == "Comenzar"
    buttons = window.header.language_buttons
    assert buttons["es"].text() == "Español"
    assert buttons["es"].isChecked() and not buttons["en"].isChecked()
    assert accessible_names(window)["start_button"] == "Comenzar un informe"
    assert window.windowTitle() != english_title

    qtbot.mouseClick(buttons["en"], LEFT)
    settle()
    assert visible_texts(window) == english
    assert accessible_names(window) == english_names
    assert window.windowTitle() == english_title
    assert buttons["en"].isChecked() and not buttons["es"].isChecked()


def test_a_missing_catalogue_stops_the_window_being_built_rather_than_falling_back_to_english(tmp_path, container):
    from kiosk.translation import UnknownLanguage, translation
    from ui.app import build_window

    with pytest.raises(UnknownLanguage, match="es"):
        build_window(container, kiosk_mode=False, translations_dir=tmp_path)  # an empty folder: no catalogue
    assert translation("es").gettext("Start") == "Comenzar"  # the core's catalogues were left as they were


def test_a_single_configured_language_shows_no_language_buttons(make_window):
    config = config_from_mapping({"kiosk": {"languages": ["en"], "default_language": "en"}})
    window = make_window(config=config)
    assert not window.header.language_buttons["en"].isVisible()


def test_the_configured_default_language_is_used_at_start(make_window):
    config = config_from_mapping({"kiosk": {"default_language": "es"}})
    window = make_window(config=config)
    assert window.switcher.language == "es"
    assert window.welcome_page.start_button.text() == "Comenzar"
