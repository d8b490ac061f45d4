"""Real parts for officer mode's screen tests: the services on the test's SQLite store (cheap argon2 so logins are
quick), officer accounts, reports submitted through ``ReportService.submit``, and the clicks and keys that log in.

Import the fixtures into a test module with ``from officer_ui_support import kit, officer_mode  # noqa: F401``; they
use ``store``, ``config``, ``clock`` and ``reports`` from tests/ui/conftest.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from argon2 import PasswordHasher
from helpers import edited, load_sample
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.audit import AuditLog
from kiosk.clock import ManualClock
from kiosk.config import Config
from kiosk.notices import NoticeOutbox
from kiosk.officers import OfficerService
from kiosk.reports import ReportService
from kiosk.review import ReviewService
from kiosk.storage import Store

PASSWORD = "correct horse battery 42"
ADMIN, OFFICER = "sgt.admin", "ofc.jones"


def cheap_hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)


@dataclass
class Kit:
    """The core of one kiosk, built the way kiosk.home.Kiosk builds it."""

    store: Store
    config: Config
    clock: ManualClock
    reports: ReportService
    audit: AuditLog
    officers: OfficerService
    outbox: NoticeOutbox
    review: ReviewService

    def submit(self, sample: str = "larceny-bicycle", **changes: Any) -> str:
        """Submit a fixture report (with ``path=value`` changes, dots as ``__``); returns its tracking number."""
        data = load_sample(sample)
        for path, value in changes.items():
            data = edited(data, path.replace("__", "."), value)
        return self.reports.submit(data).tracking_number

    def session(self, username: str = OFFICER) -> Any:
        return self.officers.login(username, PASSWORD)

    def audit_actions(self) -> list[str]:
        return [entry.action for entry in reversed(self.audit.entries(limit=1000))]


def build_kit(store: Store, config: Config, clock: ManualClock, reports: ReportService) -> Kit:
    audit = AuditLog(store, clock)
    officers = OfficerService(store, clock, audit, hasher=cheap_hasher())
    outbox = NoticeOutbox(store, config, clock)
    reports.add_submit_hook(outbox.submit_hook)
    review = ReviewService(store, config, clock, audit, reports, outbox)
    officers.add(ADMIN, "Sgt. Alex Admin", "1001", PASSWORD, role="admin", by="cli:test")
    officers.add(OFFICER, "Ofc. Pat Jones", "2417", PASSWORD, by="cli:test")
    return Kit(store, config, clock, reports, audit, officers, outbox, review)


@pytest.fixture
def kit(store: Store, config: Config, clock: ManualClock, reports: ReportService) -> Kit:
    return build_kit(store, config, clock, reports)


@pytest.fixture
def officer_mode(qtbot, kit: Kit) -> Iterator[Callable[..., Any]]:
    """Build officer mode for a logged-in officer, shown at the kiosk's size; left (logged out) after the test."""
    from ui.officer.officer_mode import OfficerMode

    made: list[Any] = []

    def make(username: str = OFFICER, **options: Any) -> Any:
        options.setdefault("idle_lock_ms", 600_000)
        mode = OfficerMode(kit.session(username), officers=kit.officers, review=kit.review, config=kit.config,
                           **options)
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


def log_in_through(qtbot, login: Any, username: str, password: str) -> None:
    """On the login: accept the notice (if shown), type the username, the password, and press Enter."""
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
def kiosk(make_window, kit: Kit) -> tuple[Any, Any]:
    """A kiosk window (tests/ui/conftest.py's make_window) with officer mode wired to ``kit``: (window, controller)."""
    from ui.officer.controller import OfficerModeController

    window = make_window()
    controller = OfficerModeController(window, officers=kit.officers, review=kit.review, outbox=kit.outbox,
                                       audit=kit.audit, config=kit.config, clock=kit.clock)
    return window, controller


def log_in(qtbot, window: Any, controller: Any, username: str, password: str = PASSWORD) -> None:
    """The officer gesture on ``window``, then the notice and the login form filled in and sent."""
    window.officer_requested.emit()
    log_in_through(qtbot, controller.login, username, password)
