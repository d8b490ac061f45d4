"""Every officer screen, in every installed language and the two pseudo-locales (text ~40 % longer; right to left),
shows its texts whole: no label, button or table heading cut off. Officer mode is shown in a language two ways: built
in it (the officer's account keeps that language and the kiosk already shows it), and switched to it live (the
account keeps English; the Language button's way). Built in pt_BR, the queue's headings were once measured before the
style sheet's font applied and came out clipped ("ímero de protoco", "spera")."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from officer_ui_support import ADMIN, PASSWORD, click, settle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QHeaderView, QLabel, QPushButton, QWidget

from kiosk.translation import catalogues
from kiosk.vocabulary import RejectionReason
from ui.officer.queue_view import ALL

pytestmark = [pytest.mark.gui, pytest.mark.slow]


def label_cut_off(widget: QLabel) -> str | None:
    if not widget.text():
        return None
    if widget.wordWrap():
        needed = widget.heightForWidth(widget.width())
        return f"label {widget.objectName()!r} is cut off: {widget.height()} < {needed} px" \
            if widget.height() < needed else None
    if widget.width() < widget.sizeHint().width() - 2:
        return f"label {widget.objectName()!r} is too narrow for {widget.text()!r}"
    return None


def button_cut_off(widget: QAbstractButton) -> str | None:
    if widget.text() and widget.width() < widget.sizeHint().width() - 2:
        return f"button {widget.objectName()!r} is too narrow for {widget.text()!r}: {widget.width()} px"
    return None


def headings_cut_off(header: QHeaderView) -> list[str]:
    """The sections narrower than their heading needs (the style sheet's font and padding included)."""
    found = []
    model = header.model()
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        needed = header.sectionSizeHint(section)
        if header.sectionSize(section) < needed:
            text = model.headerData(section, header.orientation(), Qt.ItemDataRole.DisplayRole)
            found.append(f"{header.parentWidget().objectName()}'s heading {text!r} is cut off: "
                         f"{header.sectionSize(section)} < {needed} px")
    return found


def cut_off(window: QWidget) -> list[str]:
    """What the officer cannot read whole on the screen shown now."""
    found: list[str] = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel):
            found.append(label_cut_off(widget) or "")
        elif isinstance(widget, QPushButton):
            found.append(button_cut_off(widget) or "")
        elif isinstance(widget, QHeaderView) and widget.orientation() == Qt.Orientation.Horizontal:
            found += headings_cut_off(widget)
    return [problem for problem in found if problem]


def officer_tour(qtbot, kit, window, controller, language: str, how: str) -> Iterator[str]:
    """Log in as the administrator (every screen there is) with the kiosk in ``language``, officer mode ``how``
    ("built" in it or "switched" to it after the login), and stop on each screen; yields the screen's name."""
    first = kit.submit()
    kit.submit()  # the same person and bicycle: a possible duplicate, with its links on the report
    decided = kit.submit("larceny-bicycle", reporter__first_name="Ana")
    session = kit.session()
    detail = kit.review.open_report(decided, session)
    kit.review.approve(decided, session, nibrs_code=detail.nibrs.code, expected_version=detail.version)

    def show_language() -> None:
        if language in ("pseudo", "rtl"):
            window.switcher.set_pseudo_locale(right_to_left=language == "rtl")
        else:
            window.switcher.set_language(language)
        settle()

    pseudo = language in ("pseudo", "rtl")
    if how == "built" and not pseudo:
        kit.officers.set_language(ADMIN, language, by="cli:test")
    show_language()
    window.officer_requested.emit()
    settle()
    yield "login notice"
    login = controller.login
    click(qtbot, login.notice.accept_button)
    settle()
    yield "login form"
    login.form.username.setText(ADMIN)
    login.form.password.setText("not the password")
    click(qtbot, login.form.login_button)
    qtbot.waitUntil(lambda: login.form.error.text() != "")
    yield "login refused"
    login.form.password.setText(PASSWORD)
    click(qtbot, login.form.login_button)
    qtbot.waitUntil(lambda: controller.mode is not None)
    mode = controller.mode
    if how == "switched":  # officer mode was built in the officer's own language, English: said again live
        window.switcher.set_language("en")
        settle()
        show_language()
    queue = mode.queue
    queue.status_combo.setCurrentIndex(queue.status_combo.findData(ALL))
    queue.apply_filter()
    settle()
    yield "queue"
    mode.open_report(first)
    settle()
    yield "report detail"
    bar = mode.detail.scroll_area.verticalScrollBar()
    bar.setValue(bar.maximum())
    settle()
    yield "report detail, history"
    detail = mode.detail

    def tap(widget: QWidget) -> None:
        click(qtbot, widget)
        settle()

    tap(detail.reject_button)
    detail.reject_dialog.choose(RejectionReason.DUPLICATE)
    settle()
    yield "reject dialog"
    detail.reject_dialog.choose(RejectionReason.OTHER)
    tap(detail.reject_dialog.confirm_button)
    yield "reject dialog, refused"
    detail.reject_dialog.close_dialog()
    for opener, dialog, screen, also_refused in (
            (detail.approve_button, detail.approve_dialog, "approve dialog", False),
            (detail.request_info_button, detail.request_info_dialog, "request information dialog", True),
            (detail.reprint_button, detail.reprint_dialog, "reprint dialog", False)):
        tap(opener)
        yield screen
        if also_refused:
            tap(dialog.confirm_button)
            yield f"{screen}, refused"
        dialog.close_dialog()
    tap(mode.sync_button)
    yield "sync"
    tap(mode.admin_button)
    yield "officers"
    tap(mode.admin.add_button)
    yield "add officer dialog"
    mode.admin.add_dialog.close_dialog()
    if mode.settings_page is not None:
        tap(mode.settings_button)
        yield "settings"
    tap(mode.password_button)
    yield "change password dialog"
    mode.password_dialog.close_dialog()
    if mode.language_button.isVisible():
        tap(mode.language_button)
        yield "language dialog"
        mode.language_dialog.close_dialog()


@pytest.mark.parametrize("how", ["built", "switched"])
@pytest.mark.parametrize("language", [*catalogues().installed(), "pseudo", "rtl"])
def test_every_officer_screen_shows_its_texts_whole(qtbot, kit, kiosk, language, how):
    window, controller = kiosk
    seen = {}
    for screen in officer_tour(qtbot, kit, window, controller, language, how):
        seen[screen] = cut_off(window)
    problems = {screen: found for screen, found in seen.items() if found}
    assert not problems, "\n".join(f"{screen}: {found}" for screen, found in problems.items())
    assert len(seen) >= 17
