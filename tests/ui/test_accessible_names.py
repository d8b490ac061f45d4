"""Screen readers and names (issue 21): a tree walk over every citizen page in every installed language finds no
focusable widget without an accessible name, and no accessible name left in English on a translated page. The
officer's login, queue, report detail, sync, officers and settings screens get the same walk for names."""

from __future__ import annotations

import pytest
from helpers import load_sample
from officer_ui_support import ADMIN, PASSWORD, click, log_in_through
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QWidget

from kiosk.translation import SOURCE_LANGUAGE, Catalogues, catalogues
from ui.walkthrough import Visitor, tour

pytestmark = [pytest.mark.gui, pytest.mark.slow]


def focusable(root: QWidget) -> list[QWidget]:
    """The widgets a keyboard or a screen reader can land on in what ``root`` shows now."""
    return [w for w in root.findChildren(QWidget)
            if w.isVisible() and w.isEnabled() and w.focusPolicy() != Qt.FocusPolicy.NoFocus]


def describe(widget: QWidget) -> str:
    return f"{type(widget).__name__} {widget.objectName()!r}"


# Known and left for the files' owners: the welcome page's scroll area (made in ui/shell.py) takes Tab focus and has
# no name. The fix is one line in ui/page_holder.py (a PageHolder takes no focus: the wizard's and "Check a report"'s
# holders are set so by their pages); then this set is empty.
KNOWN_UNNAMED: set[str] = set()


def accessible(widget: QWidget, what: QAccessible.Text) -> str:
    """What a screen reader is told (Qt's accessibility interface: a button's or label's text when no accessible name
    is set)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(what) if interface is not None and interface.isValid() else ""


def unnamed(root: QWidget) -> list[str]:
    return [f"{describe(w)} has no accessible name" for w in focusable(root)
            if not accessible(w, QAccessible.Text.Name).strip() and w.objectName() not in KNOWN_UNNAMED]


def left_in_english(root: QWidget, catalogue) -> list[str]:
    """Accessible names (and descriptions) that are an English text of the catalogue which has a translation: the
    screen reader would read English on a translated page."""
    found = []
    for widget in focusable(root):
        for what, text in (("name", accessible(widget, QAccessible.Text.Name)),
                           ("description", accessible(widget, QAccessible.Text.Description))):
            if text.strip() and catalogue.gettext(text) != text:
                found.append(f"{describe(widget)} has its accessible {what} in English: {text!r}")
    return found


@pytest.mark.parametrize("language", catalogues().installed())
def test_every_citizen_page_names_every_focusable_widget_in_its_language(open_window, reports, config, settle,
                                                                          translations_dir, language):
    window = open_window()
    visitor = Visitor(window)
    catalogue = Catalogues(translations_dir).get(language)
    if language != SOURCE_LANGUAGE:
        visitor.choose_language(language)

    def look() -> list[str]:
        settle()
        found = unnamed(window)
        if language != SOURCE_LANGUAGE:
            found += left_in_english(window, catalogue)
        return found

    seen: dict[str, list[str]] = {}
    for stop in tour(visitor, load_sample("larceny-bicycle"), config.kiosk.zone):
        seen[stop] = look()
    if language != SOURCE_LANGUAGE:
        visitor.choose_language(language)
    receipt = reports.submit(load_sample("larceny-bicycle"))
    visitor.tap(window.welcome_page.check_button)
    seen["check_page"] = look()
    page = window.lookup_flow.check_page
    visitor.type(page.tracking.input, "T26-01-00001-9")
    visitor.tap(page.check_button)
    seen["check_page_problem"] = look()
    visitor.type(page.tracking.input, receipt.tracking_number, replace=True)
    visitor.type(page.access_code.input, receipt.access_code)
    visitor.tap(page.check_button)
    assert window.current_page() is window.lookup_flow.status_page
    seen["status_page"] = look()
    assert {stop: found for stop, found in seen.items() if found} == {}
    assert len(seen) >= 25


def test_the_date_buttons_say_which_date_they_move_and_to_what(window):
    """"Day before" alone is unclear with two dates on the page: its description names the date and its value."""
    visitor = Visitor(window)
    sample = load_sample("larceny-bicycle")
    visitor.start()
    visitor.screening()
    visitor.category(sample["category"])
    visitor.about_me(sample["reporter"])
    visitor.next()
    earlier = visitor.find("occurred_to_day_earlier_button")
    assert earlier.accessibleName() == "Day before"
    before = earlier.accessibleDescription()
    assert before.startswith("To (the latest), set to ")
    assert visitor.find("occurred_to_date_label").accessibleName() in before
    visitor.tap(earlier)
    assert earlier.accessibleDescription() != before
    visitor.tap("unknown_time_button")
    assert earlier.accessibleDescription().count(",") < before.count(","), "no time told when only the day is asked"


@pytest.mark.parametrize("language", [SOURCE_LANGUAGE, "es"])
def test_the_officer_screens_name_every_focusable_widget(qtbot, kit, kiosk, settle, language):
    window, controller = kiosk
    tracking = kit.submit()
    kit.officers.set_language(ADMIN, language, by="cli:test")
    seen: dict[str, list[str]] = {}
    window.officer_requested.emit()
    login = controller.login
    assert login is not None
    qtbot.waitUntil(login.isVisible)
    seen["login_notice"] = unnamed(login)
    click(qtbot, login.notice.accept_button)
    seen["login_form"] = unnamed(login)
    log_in_through(qtbot, login, ADMIN, PASSWORD)
    qtbot.waitUntil(lambda: controller.mode is not None)
    mode = controller.mode
    settle()
    seen["queue"] = unnamed(mode)
    mode.open_report(tracking)
    settle()
    seen["detail"] = unnamed(mode)
    decisions = mode.detail.decisions
    for stop, button, dialog in (("approve", mode.detail.approve_button, decisions.approve_dialog),
                                 ("request_info", mode.detail.request_info_button, decisions.request_info_dialog),
                                 ("reject", mode.detail.reject_button, decisions.reject_dialog)):
        click(qtbot, button)
        qtbot.waitUntil(dialog.isVisible)
        seen[stop] = unnamed(dialog)
        dialog.hide()
    for stop, ask, dialog in (("password", mode.ask_password_change, mode.password_dialog),
                              ("language", mode.ask_language, mode.language_dialog)):
        ask()
        qtbot.waitUntil(dialog.isVisible)
        seen[stop] = unnamed(dialog)
        dialog.hide()
    for stop, show in (("sync", mode.show_sync), ("officers", mode.show_admin), ("settings", mode.show_settings)):
        show()
        settle()
        seen[stop] = unnamed(mode)
    assert {stop: found for stop, found in seen.items() if found} == {}


def test_the_quantity_buttons_say_the_number_in_spanish(window):
    visitor = Visitor(window)
    visitor.choose_language("es")
    sample = load_sample("larceny-bicycle")
    visitor.start()
    visitor.screening()
    visitor.category(sample["category"])
    visitor.about_me(sample["reporter"])
    visitor.next()
    visitor.next()
    visitor.place(sample["incident"]["location"], sample["reporter"]["address"])
    visitor.next()
    visitor.tap("add_item_button")
    plus = visitor.find("item_quantity_plus_button")
    assert plus.accessibleDescription().endswith(", ahora: 1")
    visitor.tap(plus)
    assert plus.accessibleDescription().endswith(", ahora: 2")
    assert plus.accessibleDescription().removesuffix(", ahora: 2") in plus.accessibleName()
