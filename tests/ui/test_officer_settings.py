"""Officer mode's Settings page, as an administrator uses it: the button only administrators see, a refused value
shown beside its field with nothing saved, a saved change that says which settings take effect after a restart, and
Enter moving through the inputs to Save. The page is rendered to a PNG (kept in P2C_SCREENSHOTS when set)."""

from __future__ import annotations

import os
import re

import pytest
from officer_ui_support import ADMIN, OFFICER, click, log_in, type_into
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLineEdit

from kiosk.config import ensure_config_file, load_config
from kiosk.settings_editor import SETTINGS_CHANGED, SettingsEditor

pytestmark = pytest.mark.gui


@pytest.fixture
def editor(kit):
    ensure_config_file(kit.kiosk.home)
    return SettingsEditor(kit.kiosk.home, kit.audit, kit.clock, officers=kit.officers)


def open_settings(qtbot, officer_mode, editor):
    mode = officer_mode(ADMIN, settings=editor)
    click(qtbot, mode.settings_button)
    assert mode.pages.currentWidget() is mode.settings_page
    return mode.settings_page


def retype(qtbot, edit, text):
    edit.clear()
    type_into(qtbot, edit, text)


def settings_entries(kit):
    return [entry for entry in kit.audit.entries(limit=1000) if entry.action == SETTINGS_CHANGED]


def test_an_administrator_sees_the_settings_button_and_an_officer_does_not(qtbot, officer_mode, editor):
    admin_mode = officer_mode(ADMIN, settings=editor)
    assert admin_mode.settings_button.isVisible()
    assert admin_mode.settings_button.accessibleName() == "Kiosk settings"
    officer = officer_mode(OFFICER, settings=editor)
    assert not officer.settings_button.isVisible()
    assert officer.settings_page is None
    without = officer_mode(ADMIN)  # no editor handed in: no page to open
    assert not without.settings_button.isVisible()


def test_the_page_shows_the_files_values_with_their_titles_and_help(qtbot, officer_mode, editor):
    page = open_settings(qtbot, officer_mode, editor)
    idle = page.findChild(QLineEdit, "kiosk_idle_timeout_seconds_edit")
    assert idle.text() == "90"
    assert page.findChild(QLineEdit, "department_desk_phone_edit").text() == "(860) 757-4000"
    assert page.rows["kiosk.idle_timeout_seconds"].title.text() == "Idle timeout"
    assert "Takes effect after a restart." in page.rows["kiosk.idle_timeout_seconds"].hint.text()
    assert "Takes effect after a restart." in page.rows["department.desk_phone"].hint.text()
    checked = {button.objectName() for button in page.findChildren(QAbstractButton) if button.isChecked()}
    offered = load_config(editor.path.parent).kiosk.languages  # every installed catalogue, by default
    assert checked == {*(f"kiosk_languages_{code.lower()}_button" for code in offered),
                       "kiosk_default_language_en_button", "printer_paper_80mm_button"}


def test_every_input_is_named_and_big_enough_to_touch(qtbot, officer_mode, editor):
    page = open_settings(qtbot, officer_mode, editor)
    widgets = [*page.field_widgets(), page.save_button, page.back_button]
    # 3 phone numbers, idle timeout, the languages, the default languages, printer, 2 papers, sync interval, 2 buttons
    languages = len(load_config(editor.path.parent).kiosk.languages)
    assert len(widgets) == 10 + 2 * languages
    for widget in widgets:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", widget.objectName()), widget.objectName()
        assert widget.accessibleName(), widget.objectName()
        assert widget.height() >= 48, widget.objectName()


def test_a_bad_idle_timeout_is_shown_beside_its_field_and_nothing_is_saved(qtbot, officer_mode, editor, kit):
    before = (kit.kiosk.home / "kiosk.toml").read_bytes()
    page = open_settings(qtbot, officer_mode, editor)
    idle = page.findChild(QLineEdit, "kiosk_idle_timeout_seconds_edit")
    retype(qtbot, idle, "5")
    retype(qtbot, page.findChild(QLineEdit, "sync_interval_seconds_edit"), "soon")
    click(qtbot, page.save_button)
    error = page.findChild(type(page.error), "kiosk_idle_timeout_seconds_error")
    assert error.isVisible()
    assert error.text() == "Must be a whole number of seconds from 15 to 3600 (got 5)."
    sync_error = page.findChild(type(page.error), "sync_interval_seconds_error")
    assert sync_error.isVisible() and sync_error.text().endswith('(got "soon").')
    assert page.findChild(type(page.error), "settings_error_label").text() == \
        "Not saved: correct what is marked below."
    assert not page.findChild(type(page.error), "department_desk_phone_error").isVisible()
    assert not page.saved.isVisible()
    assert (kit.kiosk.home / "kiosk.toml").read_bytes() == before
    assert settings_entries(kit) == []
    # Mended, it saves, and the refusals go.
    retype(qtbot, idle, "120")
    retype(qtbot, page.findChild(QLineEdit, "sync_interval_seconds_edit"), "60")
    click(qtbot, page.save_button)
    assert not error.isVisible() and not sync_error.isVisible()
    assert load_config(kit.kiosk.home).kiosk.idle_timeout_seconds == 120


def test_leaving_the_default_language_out_of_the_languages_is_refused_beside_it(qtbot, officer_mode, editor, kit):
    page = open_settings(qtbot, officer_mode, editor)
    others = tuple(code for code in load_config(kit.kiosk.home).kiosk.languages if code != "en")
    click(qtbot, page.findChild(QAbstractButton, "kiosk_languages_en_button"))
    click(qtbot, page.save_button)
    error = page.findChild(type(page.error), "kiosk_default_language_error")
    assert error.isVisible() and error.text() == f'Must be one of kiosk.languages ({", ".join(others)}) (got "en").'
    click(qtbot, page.findChild(QAbstractButton, "kiosk_default_language_es_button"))
    click(qtbot, page.save_button)
    assert not error.isVisible()
    config = load_config(kit.kiosk.home)
    assert (config.kiosk.languages, config.kiosk.default_language) == (others, "es")


def test_a_good_change_is_saved_and_says_which_changes_need_a_restart(qtbot, officer_mode, editor, kit):
    page = open_settings(qtbot, officer_mode, editor)
    retype(qtbot, page.findChild(QLineEdit, "department_desk_phone_edit"), "(860) 555-0199")
    retype(qtbot, page.findChild(QLineEdit, "kiosk_idle_timeout_seconds_edit"), "120")
    click(qtbot, page.findChild(QAbstractButton, "printer_paper_letter_button"))
    click(qtbot, page.save_button)
    assert page.saved.isVisible()
    assert page.saved.text() == ("Saved:\n• Lobby desk phone: takes effect after a restart\n"
                                 "• Idle timeout: takes effect after a restart\n"
                                 "• Paper: takes effect after a restart")
    assert not page.error.isVisible()
    config = load_config(kit.kiosk.home)
    assert (config.department.desk_phone, config.kiosk.idle_timeout_seconds, config.printer.paper) == \
        ("(860) 555-0199", 120, "letter")
    [entry] = settings_entries(kit)
    assert entry.actor == f"officer:{ADMIN}"
    assert entry.details["keys"] == "department.desk_phone,kiosk.idle_timeout_seconds,printer.paper"
    # Saving again without a change writes nothing more.
    click(qtbot, page.save_button)
    assert page.saved.text() == "Nothing to save: no setting was changed."
    assert len(settings_entries(kit)) == 1


def test_a_demoted_administrator_is_refused_on_save(qtbot, officer_mode, editor, kit):
    page = open_settings(qtbot, officer_mode, editor)
    kit.officers.add("lt.other", "Lt. Other Admin", "1002", "correct horse battery 42", role="admin", by="cli:test")
    kit.officers.set_role(ADMIN, "officer", by="cli:test")
    before = (kit.kiosk.home / "kiosk.toml").read_bytes()
    retype(qtbot, page.findChild(QLineEdit, "kiosk_idle_timeout_seconds_edit"), "120")
    click(qtbot, page.save_button)
    assert page.error.isVisible()
    assert page.error.text() == "Not saved: only an administrator may change the settings."
    assert (kit.kiosk.home / "kiosk.toml").read_bytes() == before


def test_render_the_settings_page(qtbot, officer_mode, editor, tmp_path):
    """A picture to look at (kept in P2C_SCREENSHOTS when set): the page with a refusal beside a field."""
    page = open_settings(qtbot, officer_mode, editor)
    retype(qtbot, page.findChild(QLineEdit, "kiosk_idle_timeout_seconds_edit"), "5")
    click(qtbot, page.save_button)
    folder = os.environ.get("P2C_SCREENSHOTS") or str(tmp_path)
    mode = page.window()
    assert mode.grab().save(os.path.join(folder, "officer-settings-refused.png"))


def test_enter_moves_on_and_on_the_last_input_saves(qtbot, officer_mode, editor, kit):
    page = open_settings(qtbot, officer_mode, editor)
    desk = page.findChild(QLineEdit, "department_desk_phone_edit")
    retype(qtbot, desk, "(860) 555-0123")
    qtbot.keyClick(desk, Qt.Key.Key_Return)
    idle = page.findChild(QLineEdit, "kiosk_idle_timeout_seconds_edit")
    assert page.window().focusWidget() is idle  # offscreen the window need not be the active one
    last = page.findChild(QLineEdit, "sync_interval_seconds_edit")
    retype(qtbot, last, "90")
    qtbot.keyClick(last, Qt.Key.Key_Return)
    assert page.saved.isVisible()
    assert load_config(kit.kiosk.home).sync.interval_seconds == 90


@pytest.mark.parametrize("width", [1280, 1080])
def test_the_top_bar_with_settings_fits_the_screen(qtbot, officer_mode, editor, width):
    """Six buttons and who is logged in do not fit one 1280-px line: the buttons go below, officer mode stays as wide
    as the screen."""
    mode = officer_mode(ADMIN, settings=editor)
    mode.resize(width, 800)
    qtbot.waitUntil(lambda: mode.width() == width)
    for widget in (mode.lock_button, mode.badge_label, mode.settings_button):
        right = widget.mapTo(mode, widget.rect().topRight()).x()
        assert right < width, f"{widget.objectName()} ends at {right}, past the screen's {width} px"
    assert mode.settings_button.y() > mode.name_label.y()  # on a line of their own


@pytest.mark.parametrize(("username", "shown"), [(ADMIN, True), (OFFICER, False)])
def test_the_running_kiosk_gives_administrators_the_settings_page(qtbot, kiosk, kit, username, shown):
    """Wired through the container (kiosk.home.Kiosk.settings) and officer mode's controller, as the kiosk runs."""
    window, controller = kiosk
    ensure_config_file(kit.kiosk.home)  # as the kiosk's first start writes it
    log_in(qtbot, window, controller, username)
    mode = controller.mode
    assert mode.settings_button.isVisibleTo(mode) is shown
    if shown:
        qtbot.mouseClick(mode.settings_button, Qt.MouseButton.LeftButton)
        idle = mode.findChild(QLineEdit, "kiosk_idle_timeout_seconds_edit")
        assert idle is not None and idle.isVisible() and idle.text() == "90"
