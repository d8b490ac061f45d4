"""Start the kiosk: the QApplication, the theme, the translations and the window."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from PySide6.QtWidgets import QApplication

from kiosk.config import Config
from ui.i18n import LanguageSwitcher
from ui.resources import resource_path
from ui.shell import KioskWindow

log = logging.getLogger(__name__)

APPLICATION_NAME = "P2C Lobby Kiosk"
DISPLAY_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")


class NoDisplayError(RuntimeError):
    """There is no screen to draw on; Qt would abort the whole process (exit code 134) if we tried."""


def check_display(environ: Mapping[str, str] | None = None, platform: str | None = None) -> None:
    """Raise NoDisplayError on Linux/BSD when neither a display nor a Qt platform is set in ``environ``."""
    env = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    # Windows and macOS always have their own platform plugin; only X11/Wayland systems need a display variable.
    if platform.startswith(("win", "darwin", "cygwin")):
        return
    if any(env.get(name) for name in DISPLAY_VARIABLES):
        return
    raise NoDisplayError(
        "No display found: DISPLAY, WAYLAND_DISPLAY and QT_QPA_PLATFORM are all unset. "
        "Run the kiosk from a desktop session, or under a virtual X server with "
        '`xvfb-run -a -s "-screen 0 1280x800x24" p2c-kiosk run ...`, '
        "or set QT_QPA_PLATFORM=offscreen to run without showing anything."
    )


def ensure_application(argv: Sequence[str] | None = None) -> QApplication:
    """The running QApplication, or a new one after checking that there is a display to show it on."""
    app = QApplication.instance()
    if app is not None:
        return app  # type: ignore[return-value]
    check_display()
    app = QApplication(list(argv) if argv is not None else [sys.argv[0] if sys.argv else "p2c-kiosk"])
    app.setApplicationName(APPLICATION_NAME)
    return app


def load_style_sheet() -> str:
    """The kiosk theme; an empty string (Qt's plain look, logged) if the file is missing."""
    path = resource_path("style", "kiosk.qss")
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        log.warning("Cannot read the style sheet %s (%s); using Qt's default look", path, exc)
        return ""


def build_window(
    config: Config,
    *,
    kiosk_mode: bool,
    translations_dir: Path | None = None,
) -> KioskWindow:
    """Theme the running QApplication and build the kiosk window in the configured default language (not shown)."""
    app = QApplication.instance()
    if app is None:
        raise RuntimeError("build_window() needs a QApplication: call ensure_application() first")
    app.setStyleSheet(load_style_sheet())
    switcher = LanguageSwitcher(app, config.kiosk.languages, translations_dir=translations_dir)
    switcher.set_language(config.kiosk.default_language)
    return KioskWindow(config, switcher, kiosk_mode=kiosk_mode)


def run_kiosk(config: Config, *, windowed: bool, argv: Sequence[str] | None = None) -> int:
    """Show the kiosk and run until the window closes; returns the event loop's exit code.

    Raises NoDisplayError when there is no display (the CLI turns it into exit code 2).
    """
    app = ensure_application(argv)
    window = build_window(config, kiosk_mode=not windowed)
    window.present()
    log.info("Kiosk window shown (%s)", "windowed" if windowed else "kiosk mode")
    return app.exec()
