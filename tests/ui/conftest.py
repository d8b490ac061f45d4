"""Fixtures for the kiosk window tests: the Spanish translation built fresh, and windows that clean up after."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.config import Config, config_from_mapping
from ui.app import build_window
from ui.resources import resource_path
from ui.shell import KioskWindow

TS_FILE = resource_path("translations", "p2c_es.ts")
SETTLE_ROUNDS = 5


def qt_tool(name: str) -> str | None:
    """A PySide6 tool (pyside6-lrelease, pyside6-lupdate) beside this Python, else on PATH."""
    beside = Path(sys.executable).parent / f"pyside6-{name}"
    if beside.exists():
        return str(beside)
    return shutil.which(f"pyside6-{name}") or shutil.which(name)


@pytest.fixture(scope="session")
def pyside_tool() -> Callable[[str], str | None]:
    """Look up a PySide6 tool by its short name: ``pyside_tool("lupdate")``."""
    return qt_tool


@pytest.fixture(scope="session")
def translations_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding p2c_es.qm compiled from the .ts in the repository now (never a stale build)."""
    lrelease = qt_tool("lrelease")
    if lrelease is None:
        built = resource_path("translations", "p2c_es.qm")
        if built.exists():
            return built.parent
        pytest.skip("pyside6-lrelease is not installed and resources/translations/p2c_es.qm was never built")
    out = tmp_path_factory.mktemp("translations")
    subprocess.run([lrelease, str(TS_FILE), "-qm", str(out / "p2c_es.qm")], check=True, capture_output=True)
    return out


@pytest.fixture
def config() -> Config:
    return config_from_mapping({})


@pytest.fixture
def settle(qapp: QApplication) -> Callable[[], None]:
    """Let posted events (layout requests after a text change) run to the end."""

    def run() -> None:
        for _ in range(SETTLE_ROUNDS):
            qapp.processEvents()

    return run


@pytest.fixture
def make_window(qtbot, translations_dir: Path, config: Config, settle) -> Iterator[Callable[..., KioskWindow]]:
    """Build and show a kiosk window (kiosk mode or windowed); it is let go and closed after the test."""
    windows: list[KioskWindow] = []

    def make(*, kiosk_mode: bool, config: Config = config) -> KioskWindow:
        window = build_window(config, kiosk_mode=kiosk_mode, translations_dir=translations_dir)
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
