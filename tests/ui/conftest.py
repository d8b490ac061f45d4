"""Fixtures for the kiosk window tests: the Spanish translation built fresh, the kiosk's container on a SQLite file
(its real services; a fake receipt printer, the one part we may fake, at its port), and windows built from it that
clean up after themselves."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import NOW
from officer_ui_support import kiosk, kit, officer_mode  # noqa: F401 - officer mode's fixtures, for every test here
from printer_fakes import FakePrinter
from PySide6.QtWidgets import QApplication

from kiosk.clock import ManualClock
from kiosk.config import Config, config_from_mapping
from kiosk.home import Kiosk
from kiosk.lookup import StatusLookup
from kiosk.reports import ReportService
from kiosk.storage.database import Store, open_store
from ui.app import build_window
from ui.shell import KioskWindow
from ui.timings import Timings
from ui.walkthrough import Visitor
from ui.walkthrough import settle as settle_events


@pytest.fixture
def config() -> Config:
    return config_from_mapping({})


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


@pytest.fixture
def store(tmp_path: Path, clock: ManualClock) -> Iterator[Store]:
    opened = open_store(tmp_path / "kiosk.sqlite3", now=clock.now)
    yield opened
    opened.close()


@pytest.fixture
def printer() -> FakePrinter:
    return FakePrinter()


@pytest.fixture
def container(tmp_path: Path, store: Store, config: Config, clock: ManualClock, password_hasher,
              printer: FakePrinter) -> Kiosk:
    """The kiosk's container on the test's store, clock and printer (a cheap password hasher for officers)."""
    return Kiosk(tmp_path, config, clock=clock, store=store, password_hasher=password_hasher, receipt_printer=printer)


@pytest.fixture
def reports(container: Kiosk) -> ReportService:
    return container.reports


@pytest.fixture
def settle(qapp: QApplication) -> Callable[[], None]:
    """Let posted events (layout requests after a text change) run to the end."""
    return settle_events


@pytest.fixture
def make_window(qtbot, tmp_path: Path, translations_dir: Path, container: Kiosk, store: Store, clock: ManualClock,
                password_hasher, settle) -> Iterator[Callable[..., KioskWindow]]:
    """Build and show a kiosk window (kiosk mode or windowed) on ``container``; it is let go and closed after the
    test. With another ``config`` or ``printer`` the window gets a container of its own on the same store. With
    ``check_reports`` the welcome page offers "Check a report"."""
    windows: list[KioskWindow] = []

    def make(*, kiosk_mode: bool = False, config: Config | None = None, printer: object = container.receipt_printer,
             timings: Timings | None = None, check_reports: bool = False) -> KioskWindow:
        built = container
        if config is not None or printer is not container.receipt_printer:
            built = Kiosk(tmp_path, config or container.config, clock=clock, store=store,
                          password_hasher=password_hasher, receipt_printer=printer)  # type: ignore[arg-type]
        window = build_window(built, kiosk_mode=kiosk_mode, translations_dir=translations_dir, timings=timings,
                              check_reports=check_reports)
        qtbot.addWidget(window)
        windows.append(window)
        window.present()
        qtbot.waitUntil(window.isVisible)
        settle()
        return window

    yield make
    for window in windows:
        window.allow_close()
        window.close()
    settle()


@pytest.fixture
def window(make_window) -> KioskWindow:
    return make_window()


@pytest.fixture
def visitor(window: KioskWindow) -> Visitor:
    return Visitor(window)


# "Check a report": the look-up service and a window that offers it (tests/ui/test_check_report*.py).
@pytest.fixture
def lookup(container) -> StatusLookup:
    """The status look-up the window's "Check a report" uses: the container's."""
    return container.lookup


@pytest.fixture
def open_window(make_window) -> Callable[..., KioskWindow]:
    """A kiosk window with "Check a report" (the look-up service from the container, as the kiosk has it)."""

    def make(*, timings: Timings | None = None) -> KioskWindow:
        return make_window(timings=timings, check_reports=True)

    return make
