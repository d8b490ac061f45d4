"""The door to officer mode, driven through the kiosk window: the gesture, the system-use notice, the login form,
Lock, the idle lock, and the citizen's side wiped afterwards."""

from __future__ import annotations

import pytest
from officer_ui_support import ADMIN, OFFICER, PASSWORD, click, log_in_through, type_into
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget

from kiosk.config import config_from_mapping
from ui.officer.controller import OfficerModeController
from ui.officer.login_dialog import LoginDialog
from ui.officer.officer_mode import OfficerMode
from ui.officer.system_use_notice import NOTICE_TEXT

pytestmark = pytest.mark.gui


@pytest.fixture
def kiosk(make_window, kit):
    window = make_window()

    def controller(**options):
        return OfficerModeController(window, kit.kiosk, **options)

    return window, controller


def press_officer_keys(qtbot, window) -> None:
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)


def test_the_gesture_shows_the_notice_then_the_form_and_officer_mode(qtbot, kiosk, kit):
    window, make = kiosk
    controller = make()
    press_officer_keys(qtbot, window)
    login = window.pages.currentWidget()
    assert isinstance(login, LoginDialog)
    assert login.currentWidget() is login.notice
    notice = login.notice.text.text()
    for words in ("restricted law-enforcement information system", "monitored, recorded and audited",
                  "criminal and civil penalties", "consent to monitoring and recording"):
        assert words in notice
    assert not window.watchdog.is_running(), "the citizen's idle overlay must not fire over the login"
    assert not window.header.isVisible()

    log_in_through(qtbot, login, OFFICER, PASSWORD)
    mode = window.pages.currentWidget()
    assert isinstance(mode, OfficerMode) and controller.mode is mode
    assert mode.name_label.text() == "Ofc. Pat Jones"
    assert mode.badge_label.text() == "Badge 2417"
    assert not mode.admin_button.isVisible(), "only administrators see Officers"
    assert kit.audit_actions()[-1] == "login"

    press_officer_keys(qtbot, window)  # the gesture again does nothing while officer mode is shown
    assert window.pages.currentWidget() is mode

    click(qtbot, mode.lock_button)
    assert controller.mode is None
    assert window.pages.currentWidget() is window.welcome_holder
    assert window.is_pristine() and window.header.isVisible() and window.watchdog.is_running()
    assert window.pages.indexOf(mode) == -1
    assert kit.audit_actions()[-2:] == ["login", "logout"]


def test_an_administrator_sees_officers(qtbot, kiosk):
    window, make = kiosk
    make()
    window.officer_requested.emit()
    log_in_through(qtbot, window.pages.currentWidget(), ADMIN, PASSWORD)
    assert window.pages.currentWidget().admin_button.isVisible()


@pytest.mark.parametrize("where", ["notice", "form"])
def test_cancel_goes_back_to_the_welcome_page(qtbot, kiosk, kit, where):
    window, make = kiosk
    controller = make()
    window.start_report()  # a visitor had started a report: it is wiped too
    window.officer_requested.emit()
    login = window.pages.currentWidget()
    if where == "form":
        click(qtbot, login.notice.accept_button)
        type_into(qtbot, login.form.username, OFFICER)
        click(qtbot, login.form.cancel_button)
    else:
        click(qtbot, login.notice.cancel_button)
    assert controller.login is None
    assert window.pages.currentWidget() is window.welcome_holder and window.is_pristine()
    assert "login" not in kit.audit_actions()


def test_a_refusal_shows_the_one_message_and_clears_the_password(qtbot, kiosk, kit):
    window, make = kiosk
    make()
    window.officer_requested.emit()
    login = window.pages.currentWidget()
    assert login.form.password.echoMode() == QLineEdit.EchoMode.Password
    messages = []
    for username, password in ((OFFICER, "wrong password 1"), ("nobody.here", PASSWORD)):
        log_in_through(qtbot, login, username, password)
        assert login.currentWidget() is login.form
        assert login.form.error.isVisible()
        assert login.form.password.text() == ""
        assert login.form.username.text() == username
        messages.append(login.form.error.text())
    assert messages[0] == messages[1] and messages[0]  # nothing tells whether the username exists
    assert PASSWORD not in messages[0]


def test_officer_mode_locks_itself_when_idle(qtbot, kiosk, kit):
    window, make = kiosk
    controller = make(idle_lock_ms=400)
    window.officer_requested.emit()
    log_in_through(qtbot, window.pages.currentWidget(), OFFICER, PASSWORD)
    mode = controller.mode
    assert mode is not None
    qtbot.waitUntil(lambda: controller.mode is None, timeout=5000)
    assert window.pages.currentWidget() is window.welcome_holder and window.is_pristine()
    assert kit.audit_actions()[-1] == "auto_locked"


def test_input_keeps_officer_mode_open(qtbot, kiosk):
    window, make = kiosk
    controller = make(idle_lock_ms=600)
    window.officer_requested.emit()
    log_in_through(qtbot, window.pages.currentWidget(), OFFICER, PASSWORD)
    search = controller.mode.queue.search_edit
    for _ in range(6):  # 6 x 200 ms of typing: twice the idle time, never idle for long
        qtbot.keyClick(search, Qt.Key.Key_A)
        qtbot.wait(200)
    assert controller.mode is not None
    qtbot.waitUntil(lambda: controller.mode is None, timeout=5000)


def test_the_idle_time_comes_from_the_configuration(qtbot, kit, officer_mode):
    mode = officer_mode(idle_lock_ms=None, config=config_from_mapping({"officer": {"idle_lock_seconds": 15}}))
    assert mode.watchdog_interval_ms() == 15_000


def test_an_abandoned_login_goes_back_to_the_welcome_page(qtbot, kiosk):
    window, make = kiosk
    controller = make(idle_lock_ms=300)
    window.officer_requested.emit()
    assert controller.login is not None
    qtbot.waitUntil(lambda: controller.login is None, timeout=5000)
    assert window.pages.currentWidget() is window.welcome_holder


def test_the_notice_text_names_the_department():
    assert "%1" in NOTICE_TEXT  # the department's name goes there (ui.i18n.fill)


def test_every_control_is_named_and_big_enough_for_a_finger(qtbot, kit, officer_mode):
    import re

    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QCalendarWidget,
        QComboBox,
        QDateEdit,
        QLineEdit,
        QPlainTextEdit,
    )

    tracking = kit.submit()
    kit.submit()  # a possible duplicate, so the detail has its buttons
    mode = officer_mode("sgt.admin")
    mode.open_report(tracking)
    problems = []
    snake = re.compile(r"[a-z][a-z0-9_]*")
    controls = (QAbstractButton, QLineEdit, QPlainTextEdit, QComboBox, QDateEdit, QAbstractItemView)
    def inside_a_control(widget: QWidget) -> bool:
        """Qt's own parts of a control (a combo's list, a date edit's calendar) go with the control."""
        parent = widget.parentWidget()
        while parent is not None and parent is not mode:
            if isinstance(parent, (*controls, QCalendarWidget)):
                return True
            parent = parent.parentWidget()
        return False

    for widget in mode.findChildren(QWidget):
        if not isinstance(widget, controls) or inside_a_control(widget):
            continue
        name = widget.objectName()
        if not snake.fullmatch(name or ""):
            problems.append(f"{type(widget).__name__} {name!r}: no snake_case objectName")
        if not widget.accessibleName().strip():
            problems.append(f"{name}: no accessible name")
        if isinstance(widget, QAbstractButton | QLineEdit | QComboBox | QDateEdit) and widget.isVisible() \
                and widget.height() < 48:
            problems.append(f"{name}: {widget.height()} px high")
    assert problems == [], "\n".join(problems)


def test_officer_modes_services_are_built_by_the_container_on_the_first_gesture(qtbot, make_window, container):
    window = make_window()
    controller = OfficerModeController(window, container)
    assert not {"officers", "review", "audit"} & container.built(), "nothing built with the window"
    window.officer_requested.emit()
    assert "officers" in container.built() and "review" not in container.built(), "the login needs the accounts"
    officers = container.officers
    officers.add(OFFICER, "Ofc. Pat Jones", "2417", PASSWORD, by="cli:test")
    log_in_through(qtbot, controller.login, OFFICER, PASSWORD)
    assert controller.mode is not None and "review" in container.built()
    assert container.officers is officers, "built once"
