"""Officer mode in the officer's own language (issue 20): an officer whose account keeps Spanish logs in and reads
officer mode in Spanish, as the catalogue says it; choosing another language in officer mode switches every screen at
once and is kept with the account for the next login; locking goes back to the citizen's welcome page in the kiosk's
default language; and what the citizen is sent stays in the report's language whatever the officer reads."""

from __future__ import annotations

import pytest
from officer_ui_support import OFFICER, PASSWORD, click, log_in, settle, type_into

from kiosk.translation import SOURCE_LANGUAGE, Catalogues

SPANISH = "es"


@pytest.fixture
def spanish(translations_dir):
    """The Spanish catalogue the window reads: what a text must look like in Spanish."""
    return Catalogues(translations_dir).get(SPANISH)


def _in_spanish(kit, window, controller, qtbot):
    kit.officers.set_language(OFFICER, SPANISH, by="cli:test")
    log_in(qtbot, window, controller, OFFICER)
    qtbot.waitUntil(lambda: controller.mode is not None)
    settle()
    return controller.mode


def test_an_officer_whose_language_is_spanish_reads_officer_mode_in_spanish(qtbot, kit, kiosk, spanish):
    window, controller = kiosk
    kit.submit()
    mode = _in_spanish(kit, window, controller, qtbot)
    assert window.switcher.language == SPANISH
    for widget, english in ((mode.mode_label, "Officer mode"), (mode.queue_button, "Queue"),
                            (mode.lock_button, "Lock"), (mode.password_button, "Password"),
                            (mode.queue.title, "Reports to review"), (mode.queue.clear_button, "Clear filters")):
        assert spanish.gettext(english) != english, f"{english!r} has no Spanish translation"
        assert widget.text() == spanish.gettext(english)
    assert mode.lock_button.accessibleName() == spanish.gettext("Lock (log out)")
    assert mode.badge_label.text() == spanish.gettext("Badge %1").replace("%1", "2417")
    model = mode.queue.model
    assert model.headerData(0, qtbot_horizontal()) == spanish.gettext("Tracking number")
    assert mode.queue.category_combo.itemText(0) == spanish.gettext("All categories")


def qtbot_horizontal():
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


def test_a_report_opened_in_spanish_shows_its_sections_in_spanish(qtbot, kit, kiosk, spanish):
    window, controller = kiosk
    tracking = kit.submit()
    mode = _in_spanish(kit, window, controller, qtbot)
    mode.open_report(tracking)
    detail = mode.detail
    assert detail.approve_button.text() == spanish.gettext("Approve")
    heading = detail.findChild(type(mode.mode_label), "reporter_heading")
    assert heading is not None and heading.text() == spanish.gettext("Person reporting")


def test_locking_goes_back_to_the_welcome_page_in_the_kiosks_default_language(qtbot, kit, kiosk):
    window, controller = kiosk
    mode = _in_spanish(kit, window, controller, qtbot)
    click(qtbot, mode.lock_button)
    qtbot.waitUntil(lambda: controller.mode is None)
    assert window.pages.currentWidget() is window.welcome_holder
    assert window.switcher.language == kit.config.kiosk.default_language == SOURCE_LANGUAGE
    qtbot.waitUntil(lambda: window.welcome_page.start_button.text() == "Start")  # (LanguageChange is posted)


def test_choosing_a_language_in_officer_mode_switches_the_screens_and_is_kept_for_the_next_login(
        qtbot, kit, kiosk, spanish):
    window, controller = kiosk
    log_in(qtbot, window, controller, OFFICER)
    qtbot.waitUntil(lambda: controller.mode is not None)
    mode = controller.mode
    assert mode.queue_button.text() == "Queue"
    click(qtbot, mode.language_button)
    dialog = mode.language_dialog
    assert dialog.isVisible()
    assert dialog.language_buttons[SPANISH].text() == spanish.own_name
    dialog.choose(SPANISH)
    click(qtbot, dialog.confirm_button)
    qtbot.waitUntil(lambda: mode.queue_button.text() == spanish.gettext("Queue"))
    assert not dialog.isVisible()
    assert window.switcher.language == SPANISH
    assert mode.queue.model.headerData(0, qtbot_horizontal()) == spanish.gettext("Tracking number")
    assert mode.sync_button.accessibleName() == spanish.gettext("Sync with the department server")
    assert kit.officers.find(OFFICER).language == SPANISH
    assert "language_changed" in kit.audit_actions()

    click(qtbot, mode.lock_button)
    qtbot.waitUntil(lambda: controller.mode is None)
    assert window.switcher.language == SOURCE_LANGUAGE
    qtbot.waitUntil(lambda: window.welcome_page.start_button.text() == "Start")  # (LanguageChange is posted)
    # Logged in again by taps (offscreen, the window is no longer the active one after a wait: Enter would go nowhere).
    window.officer_requested.emit()
    login = controller.login
    click(qtbot, login.notice.accept_button)
    type_into(qtbot, login.form.username, OFFICER)
    type_into(qtbot, login.form.password, PASSWORD)
    click(qtbot, login.form.login_button)
    qtbot.waitUntil(lambda: controller.mode is not None)
    assert controller.mode.queue_button.text() == spanish.gettext("Queue")


def test_the_citizen_is_told_in_the_reports_language_whatever_the_officer_reads(qtbot, kit, kiosk, spanish):
    from kiosk.review import default_next_steps
    from kiosk.vocabulary import RejectionReason

    window, controller = kiosk
    tracking = kit.submit()  # a report in English
    assert kit.review.open_report(tracking, kit.session()).report["language"] == SOURCE_LANGUAGE
    mode = _in_spanish(kit, window, controller, qtbot)
    mode.open_report(tracking)
    detail = mode.detail
    click(qtbot, detail.reject_button)
    dialog = detail.reject_dialog
    dialog.choose(RejectionReason.OUTSIDE_CITY)
    reason = RejectionReason.OUTSIDE_CITY
    # What the citizen should do next is written in the report's language, not the officer's.
    assert dialog.next_steps_edit.toPlainText() == default_next_steps(reason, SOURCE_LANGUAGE, kit.config)
    assert dialog.next_steps_edit.toPlainText() != default_next_steps(reason, SPANISH, kit.config)
    click(qtbot, dialog.confirm_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    notices = [notice for notice in kit.outbox.for_report(tracking) if notice.kind == "rejected"]
    assert notices and all(notice.language == SOURCE_LANGUAGE for notice in notices)


def test_a_report_on_screen_is_said_again_when_the_officer_switches_language(qtbot, kit, kiosk, spanish):
    window, controller = kiosk
    tracking = kit.submit()
    log_in(qtbot, window, controller, OFFICER)
    qtbot.waitUntil(lambda: controller.mode is not None)
    mode = controller.mode
    mode.open_report(tracking)
    detail = mode.detail
    combo = detail.nibrs_combo
    combo.setCurrentIndex((combo.currentIndex() + 1) % combo.count())
    chosen = combo.currentText()
    click(qtbot, mode.language_button)
    mode.language_dialog.choose(SPANISH)
    click(qtbot, mode.language_dialog.confirm_button)

    def heading_text() -> str:
        heading = detail.findChild(type(mode.mode_label), "reporter_heading")
        return heading.text() if heading is not None else ""

    qtbot.waitUntil(lambda: heading_text() == spanish.gettext("Person reporting"))
    assert detail.title.text().startswith(spanish.gettext("Report %1 · %2").split("%1")[0])
    assert detail.nibrs_combo.currentText() == chosen  # what the officer chose on the page stays chosen
    assert detail.tracking_number == tracking


def test_a_language_the_kiosk_no_longer_offers_leaves_the_screens_as_they_are(qtbot, kit, make_window, caplog):
    from kiosk.config import config_from_mapping
    from ui.officer.controller import OfficerModeController

    kit.officers.set_language(OFFICER, SPANISH, by="cli:test")
    window = make_window(config=config_from_mapping({"kiosk": {"languages": [SOURCE_LANGUAGE]}}))
    controller = OfficerModeController(window, kit.kiosk)
    log_in(qtbot, window, controller, OFFICER)
    qtbot.waitUntil(lambda: controller.mode is not None)
    assert window.switcher.language == SOURCE_LANGUAGE
    assert controller.mode.queue_button.text() == "Queue"
    assert not controller.mode.language_button.isVisible()  # nothing to choose from
    assert any("not one this kiosk offers" in record.getMessage() for record in caplog.records)
