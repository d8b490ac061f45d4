"""A visitor at the welcome page: what it says, Start, Back, and switching between English and Spanish."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from kiosk.config import config_from_mapping
from ui.i18n import fill
from ui.resources import resource_path

pytestmark = pytest.mark.gui

LEFT = Qt.MouseButton.LeftButton
TS_FILE = resource_path("translations", "p2c_es.ts")


def visible_texts(page: QWidget) -> dict[str, str]:
    """objectName -> text of every label and button the visitor can see on ``page``."""
    widgets = [*page.findChildren(QLabel), *page.findChildren(QAbstractButton)]
    return {w.objectName(): w.text() for w in widgets if w.isVisible()}


def accessible_names(page: QWidget) -> dict[str, str]:
    return {b.objectName(): b.accessibleName() for b in page.findChildren(QAbstractButton) if b.isVisible()}


def spanish_catalog(values: list[str]) -> set[str]:
    """Every translation in p2c_es.ts, with its %1 filled in by each of ``values``."""
    texts = set()
    for message in ET.parse(TS_FILE).getroot().iter("message"):
        translation = message.findtext("translation") or ""
        texts.update(fill(translation, value) for value in values)
    return texts


def test_welcome_page_shows_the_configured_department_and_emergency_number(make_window):
    config = config_from_mapping({"department": {"name": "Springfield Police Department", "emergency_number": "112"}})
    window = make_window(kiosk_mode=False, config=config)

    page = window.welcome_page
    assert window.current_page() is page
    assert page.department_label.text() == "Springfield Police Department"
    assert page.emergency_label.text() == "If this is an emergency, call 112"
    assert "vandalism" in page.eligible_label.text()
    assert page.start_button.isVisible()


def test_start_leads_to_the_unavailable_page_and_back_returns(make_window, qtbot, config):
    window = make_window(kiosk_mode=False)

    with qtbot.waitSignal(window.welcome_page.start_requested):
        qtbot.mouseClick(window.welcome_page.start_button, LEFT)
    page = window.unavailable_page
    assert window.current_page() is page
    assert page.isVisible()
    assert "not available yet" in page.message_label.text()
    assert config.department.non_emergency_phone in page.message_label.text()

    qtbot.mouseClick(page.back_button, LEFT)
    assert window.current_page() is window.welcome_page
    assert window.welcome_page.start_button.isVisible()


def test_espanol_translates_every_visible_text_in_place_and_english_switches_back(make_window, qtbot, config, settle):
    window = make_window(kiosk_mode=False)
    welcome = window.welcome_page
    english = visible_texts(welcome)
    english_names = accessible_names(welcome)
    english_title = window.windowTitle()
    # Texts that stay the same in every language: the department's own name and each language's own name.
    same_in_both = {"department_name_label", "language_en_button", "language_es_button"}

    qtbot.mouseClick(welcome.language_buttons["es"], LEFT)
    settle()
    spanish = visible_texts(welcome)
    assert window.current_page() is welcome, "switching language must not leave the page"
    assert spanish.keys() == english.keys()
    catalog = spanish_catalog([config.department.emergency_number, config.department.non_emergency_phone])
    for name, text in spanish.items():
        if name in same_in_both:
            assert text == english[name]
        else:
            assert text != english[name], f"{name} is still in English: {text!r}"
            assert text in catalog, f"{name} shows {text!r}, which is not a translation from p2c_es.ts"
    assert welcome.emergency_label.text() == "Si es una emergencia, llame al 911"
    assert welcome.start_button.text() == "Comenzar"
    assert welcome.language_buttons["es"].text() == "Español"
    assert welcome.language_buttons["es"].isChecked() and not welcome.language_buttons["en"].isChecked()
    assert accessible_names(welcome)["start_button"] == "Comenzar un informe"
    assert window.windowTitle() != english_title

    # The next page comes up in Spanish too.
    qtbot.mouseClick(welcome.start_button, LEFT)
    unavailable = window.unavailable_page
    for name, text in visible_texts(unavailable).items():
        assert text in catalog, f"{name} shows {text!r} on the unavailable page"
    qtbot.mouseClick(unavailable.back_button, LEFT)

    qtbot.mouseClick(welcome.language_buttons["en"], LEFT)
    settle()
    assert visible_texts(welcome) == english
    assert accessible_names(welcome) == english_names
    assert window.windowTitle() == english_title
    assert welcome.language_buttons["en"].isChecked() and not welcome.language_buttons["es"].isChecked()


def test_a_missing_translation_keeps_the_kiosk_in_english_and_logs_a_warning(qtbot, tmp_path, config, caplog):
    from ui.app import build_window

    window = build_window(config, kiosk_mode=False, translations_dir=tmp_path)  # an empty folder: no .qm
    qtbot.addWidget(window)
    window.present()
    qtbot.waitUntil(window.isVisible)
    welcome = window.welcome_page

    with caplog.at_level("WARNING", logger="ui.i18n"):
        qtbot.mouseClick(welcome.language_buttons["es"], LEFT)

    assert window.switcher.language == "en"
    assert welcome.start_button.text() == "Start"
    assert welcome.language_buttons["en"].isChecked() and not welcome.language_buttons["es"].isChecked()
    assert any("staying in English" in record.getMessage() for record in caplog.records)


def test_a_single_configured_language_shows_no_language_buttons(make_window):
    config = config_from_mapping({"kiosk": {"languages": ["en"], "default_language": "en"}})
    window = make_window(kiosk_mode=False, config=config)
    assert not window.welcome_page.language_buttons["en"].isVisible()


def test_the_configured_default_language_is_used_at_start(make_window):
    config = config_from_mapping({"kiosk": {"default_language": "es"}})
    window = make_window(kiosk_mode=False, config=config)
    assert window.switcher.language == "es"
    assert window.welcome_page.start_button.text() == "Comenzar"
