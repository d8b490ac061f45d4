"""Real parts for officer mode's screen tests: the services of the kiosk's container on the test's SQLite store
(tests/ui/conftest.py's ``container``: cheap argon2 so logins are quick), officer accounts, reports submitted through
``ReportService.submit``, and the clicks and keys that log in.

Its fixtures (``kit``, ``officer_mode``, ``kiosk``) reach every test in tests/ui through tests/ui/conftest.py; a test
module imports only the helpers it calls (``log_in``, ``click``, ``type_into``...).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest
from argon2 import PasswordHasher
from helpers import edited, load_sample
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.audit import AuditLog
from kiosk.clock import ManualClock
from kiosk.config import Config
from kiosk.home import Kiosk
from kiosk.notices import NoticeOutbox
from kiosk.officers import OfficerService
from kiosk.reports import ReportService
from kiosk.review import ReviewService
from kiosk.storage.database import Store

if TYPE_CHECKING:
    from kiosk.officers import OfficerSession
    from ui.officer.controller import OfficerModeController
    from ui.officer.login_dialog import LoginDialog
    from ui.officer.officer_mode import OfficerMode
    from ui.shell import KioskWindow

PASSWORD = "correct horse battery 42"
ADMIN, OFFICER = "sgt.admin", "ofc.jones"


def cheap_hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)


@dataclass
class Kit:
    """The kiosk's container with two officer accounts (an administrator and an officer), and what the officer
    tests do with it."""

    kiosk: Kiosk

    @property
    def store(self) -> Store:
        return self.kiosk.store

    @property
    def config(self) -> Config:
        return self.kiosk.config

    @property
    def clock(self) -> ManualClock:
        clock = self.kiosk.clock
        assert isinstance(clock, ManualClock)
        return clock

    @property
    def reports(self) -> ReportService:
        return self.kiosk.reports

    @property
    def audit(self) -> AuditLog:
        return self.kiosk.audit

    @property
    def officers(self) -> OfficerService:
        return self.kiosk.officers

    @property
    def outbox(self) -> NoticeOutbox:
        return self.kiosk.outbox

    @property
    def review(self) -> ReviewService:
        return self.kiosk.review

    def submit(self, sample: str = "larceny-bicycle", **changes: Any) -> str:
        """Submit a fixture report (with ``path=value`` changes, dots as ``__``); returns its tracking number."""
        data = load_sample(sample)
        for path, value in changes.items():
            data = edited(data, path.replace("__", "."), value)
        return self.reports.submit(data).tracking_number

    def session(self, username: str = OFFICER) -> OfficerSession:
        return self.officers.login(username, PASSWORD)

    def audit_actions(self) -> list[str]:
        return [entry.action for entry in reversed(self.audit.entries(limit=1000))]


def build_kit(kiosk: Kiosk) -> Kit:
    kiosk.officers.add(ADMIN, "Sgt. Alex Admin", "1001", PASSWORD, role="admin", by="cli:test")
    kiosk.officers.add(OFFICER, "Ofc. Pat Jones", "2417", PASSWORD, by="cli:test")
    return Kit(kiosk)


@pytest.fixture
def kit(container: Kiosk) -> Kit:
    return build_kit(container)


@pytest.fixture
def officer_mode(qtbot, kit: Kit) -> Iterator[Callable[..., OfficerMode]]:
    """Build officer mode for a logged-in officer, shown at the kiosk's size; left (logged out) after the test."""
    from ui.officer.officer_mode import OfficerMode

    made: list[OfficerMode] = []

    def make(username: str = OFFICER, **options: Any) -> OfficerMode:
        options.setdefault("idle_lock_ms", 600_000)
        options.setdefault("config", kit.config)
        mode = OfficerMode(kit.session(username), officers=kit.officers, review=kit.review, **options)
        qtbot.addWidget(mode)
        mode.resize(1280, 800)
        mode.show()
        qtbot.waitExposed(mode)
        made.append(mode)
        return mode

    yield make
    for mode in made:
        mode.leave()


def type_into(qtbot, widget: QWidget, text: str) -> None:
    """Click a text input and type into it, key by key."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(widget, text)


def click(qtbot, widget: QWidget) -> None:
    assert widget.isVisible(), f"{widget.objectName()} is not visible"
    assert widget.isEnabled(), f"{widget.objectName()} is disabled"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def log_in_through(qtbot, login: LoginDialog | None, username: str, password: str) -> None:
    """On the login: accept the notice (if shown), type the username, the password, and press Enter."""
    assert login is not None, "the login is open"
    if login.currentWidget() is login.notice:
        click(qtbot, login.notice.accept_button)
    form = login.form
    form.username.clear()
    type_into(qtbot, form.username, username)
    qtbot.keyClick(form.username, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is form.password or not form.isVisible()
    qtbot.keyClicks(form.password, password)
    qtbot.keyClick(form.password, Qt.Key.Key_Return)


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


@pytest.fixture
def kiosk(make_window, kit: Kit) -> tuple[KioskWindow, OfficerModeController]:
    """A kiosk window (tests/ui/conftest.py's make_window) with officer mode wired to ``kit``: (window, controller)."""
    from ui.officer.controller import OfficerModeController

    window = make_window()
    return window, OfficerModeController(window, kit.kiosk)


def log_in(qtbot, window: KioskWindow, controller: OfficerModeController, username: str,
           password: str = PASSWORD) -> None:
    """The officer gesture on ``window``, then the notice and the login form filled in and sent."""
    window.officer_requested.emit()
    log_in_through(qtbot, controller.login, username, password)
