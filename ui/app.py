"""Start the kiosk: the QApplication, the theme, the translations and the window."""

from __future__ import annotations

import gc
import logging
import os
import socket
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.crash_log import log_uncaught_exceptions
from kiosk.translation import SOURCE_LANGUAGE, Catalogues, UnknownLanguage, use_catalogues
from ui.health import KioskHealth, QuitOnSignal
from ui.i18n import LanguageSwitcher
from ui.keyboard import enable_virtual_keyboard, keyboard_follows
from ui.kiosk_services import WindowServices
from ui.out_of_order import OutOfOrder, OutOfOrderPage
from ui.shell import WINDOWED_SIZE, FirstPaintHook, KioskWindow
from ui.theme import Theme, read_style, register_fallback_font
from ui.timings import Timings
from ui.widgets import running_application

if TYPE_CHECKING:
    from kiosk.config import SpeechConfig
    from kiosk.home import Kiosk
    from ui.narrator import Narrator
    from ui.speech import Speaker

log = logging.getLogger(__name__)

APPLICATION_NAME = "P2C Lobby Kiosk"
DISPLAY_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
SMOKE_TEST_LIMIT_MS = 20_000
# The Speaker is made this long after the first paint in a running kiosk: a speech-dispatcher engine starts its daemon
# (~2 s, docs/accessibility.md), which must be neither on the start-up path nor the first visitor's Help press.
SPEAKER_DELAY_MS = 2000
NARRATOR_NAME = "narrator"


class NoDisplayError(RuntimeError):
    """There is no screen to draw on; Qt would abort the whole process (exit code 134) if we tried."""


def check_display(environ: Mapping[str, str] | None = None, platform: str | None = None) -> None:
    """Raise NoDisplayError on Linux/BSD when neither a display nor a Qt platform is set in ``environ``, or when the
    platform asked for is Wayland alone (``QT_QPA_PLATFORM=wayland``, as the service runs the kiosk) and no Wayland
    compositor answers on its socket (Qt would abort the process)."""
    env = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    # Windows and macOS always have their own platform plugin; only X11/Wayland systems need a display variable.
    if platform.startswith(("win", "darwin", "cygwin")):
        return
    if any(env.get(name) for name in DISPLAY_VARIABLES):
        if env.get("QT_QPA_PLATFORM", "").split(":")[0] == "wayland":
            _check_wayland(env)
        return
    raise NoDisplayError(
        "No display found: DISPLAY, WAYLAND_DISPLAY and QT_QPA_PLATFORM are all unset. "
        "Run the kiosk from a desktop session, or under a virtual X server with "
        '`xvfb-run -a -s "-screen 0 1280x800x24" p2c-kiosk run ...`, '
        "or set QT_QPA_PLATFORM=offscreen to run without showing anything."
    )


def _check_wayland(env: Mapping[str, str]) -> None:
    if env.get("WAYLAND_SOCKET"):  # a socket handed over by the compositor itself
        return
    name = env.get("WAYLAND_DISPLAY") or "wayland-0"
    runtime = env.get("XDG_RUNTIME_DIR", "")
    if not name.startswith("/") and not runtime:
        raise NoDisplayError("No Wayland display: QT_QPA_PLATFORM=wayland, and XDG_RUNTIME_DIR is unset, so there is "
                             "no compositor socket to connect to. The kiosk runs under cage (the p2c-kiosk service).")
    path = name if name.startswith("/") else os.path.join(runtime, name)
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(2)
            probe.connect(path)
    except OSError as exc:
        raise NoDisplayError(f"No Wayland display: QT_QPA_PLATFORM=wayland, and no compositor answers at {path} "
                             f"({exc.strerror or exc}). The kiosk runs under cage (the p2c-kiosk service); is cage "
                             "running, and does the machine have a screen?") from None


def ensure_application(argv: Sequence[str] | None = None, *, virtual_keyboard: bool = False) -> QApplication:
    """The running QApplication, or a new one after checking that there is a display to show it on."""
    running = QApplication.instance()
    if isinstance(running, QApplication):
        return running
    if running is not None:
        raise RuntimeError("a Qt application without widgets is running: the kiosk's screens cannot be shown")
    check_display()
    if virtual_keyboard:
        enable_virtual_keyboard()
    app = QApplication(list(argv) if argv is not None else [sys.argv[0] if sys.argv else "p2c-kiosk"])
    app.setApplicationName(APPLICATION_NAME)
    return app


def load_style_sheet() -> str:
    """The base kiosk theme; an empty string (logged) if the file is missing."""
    return read_style("kiosk.qss")


def build_window(
    kiosk: Kiosk,
    *,
    kiosk_mode: bool,
    translations_dir: Path | None = None,
    timings: Timings | None = None,
    check_reports: bool = True,
) -> KioskWindow:
    """Theme the running QApplication and build the kiosk window on ``kiosk`` (the container it takes its services
    from, each when first needed) in the configured default language (not shown).

    ``timings``: the idle and return delays (default: from the configuration); ``check_reports``: whether the
    welcome page offers "Check a report".
    """
    app = running_application()
    theme = Theme(app)
    config = kiosk.config
    catalogues = Catalogues(translations_dir)
    missing = [code for code in config.kiosk.languages if not catalogues.has(code)]
    if missing:  # the configuration check refuses this for the installed folder; a folder handed in is checked here
        raise UnknownLanguage(f"no translation catalogue for {', '.join(missing)} in {catalogues.directory} "
                              "(run `make translations`)")
    use_catalogues(catalogues)  # the core's messages read the same catalogues as the screens
    switcher = LanguageSwitcher(app, config.kiosk.languages, catalogues=catalogues)
    if config.kiosk.default_language != SOURCE_LANGUAGE:
        register_fallback_font()  # its script may need it on the first paint
    switcher.set_language(config.kiosk.default_language)
    keyboard_follows(switcher)  # the on-screen keyboard's language (nothing happens without it)
    window = KioskWindow(kiosk, switcher, kiosk_mode=kiosk_mode, theme=theme, timings=timings,
                         check_reports=check_reports)
    theme.attach(window)
    # The fallback font for Chinese, Japanese and Korean (~15 ms to load): after the first paint, before a visitor can
    # choose a language or type a name in another script.
    FirstPaintHook(window.welcome_page, _load_fallback_font)
    # Speech (issue 21): the narrator is made after the first paint (its Speaker later still, or on first use); "Read
    # aloud" pressed before then makes it at once.
    window.welcome_page.read_aloud_requested.connect(lambda: attach_narrator(window).start())
    FirstPaintHook(window.welcome_page, lambda: _narrator_ready(window))
    return window


def attach_narrator(window: KioskWindow) -> Narrator:
    """The window's narrator, made now if it is not yet (with a Speaker factory from ``[speech]``) and handed to the
    window, which calls it from the keys (Help, any key, volume and rate)."""
    from ui.narrator import Narrator  # with QtTextToSpeech: not on the start-up path

    made = window.findChild(Narrator, NARRATOR_NAME)
    if made is not None:
        return made

    speech = window.config.speech
    narrator = Narrator(window, lambda: make_speaker(speech), private_listening=speech.private_listening,
                        volume=speech.volume_percent / 100, rate=speech.rate_percent / 100)
    narrator.setObjectName(NARRATOR_NAME)
    window.set_narrator(narrator)
    return narrator


def _narrator_ready(window: KioskWindow) -> None:
    attach_narrator(window)


def make_speaker(speech: SpeechConfig) -> Speaker:
    """A Speaker on the configured engine (a missing or failing one gives a silent Speaker, logged once)."""
    from ui.speech import Speaker

    # Not waiting for the engine: speech-dispatcher takes ~2 s to start, and one that is stuck (no sound device) never
    # does; the page goes on meanwhile (tests/deploy/test_deploy_cage_kiosk.py: the GUI thread's watchdog pings).
    return Speaker(speech.engine, private_listening=speech.private_listening, wait_for_engine=False)


def _load_fallback_font() -> None:
    register_fallback_font()


class _FirstPaint(QObject):
    """Quits the event loop (exit code 0) once the watched widget has been painted: the smoke test."""

    def __init__(self, app: QApplication, window: QWidget, screenshot: Path | None) -> None:
        super().__init__()
        self._app = app
        self._window = window
        self._screenshot = screenshot
        self._done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._done:
            self._done = True
            log.info("smoke test: the welcome page was painted")
            QTimer.singleShot(0, self._finish)
        return False

    def _finish(self) -> None:
        if self._screenshot is not None and not self._window.grab().save(str(self._screenshot)):
            log.error("smoke test: could not write the screenshot %s", self._screenshot)
            self._app.exit(1)
            return
        self._app.exit(0)


def run_kiosk(
    kiosk: Kiosk,
    *,
    windowed: bool,
    smoke_test: bool = False,
    screenshot: Path | None = None,
    argv: Sequence[str] | None = None,
) -> int:
    """Show the kiosk window on ``kiosk`` and run until the window closes (or SIGTERM); returns the event loop's exit
    code.

    After the welcome page's first paint the window's services start (ui.kiosk_services.WindowServices: the
    database opens, officer mode, the e-mail outbox, the spool clean-up, the printer watch, the sync), and the kiosk
    tells systemd it is ready (ui.health.KioskHealth: READY=1, the watchdog pings from the GUI thread, the status
    line; STOPPING=1 when the loop ends).
    ``smoke_test``: show the window, let the welcome page paint once, and quit with exit code 0 (1 if it never
    paints), starting none of those services and telling systemd nothing; with ``screenshot``, the painted window is
    saved there as PNG first.
    Raises NoDisplayError when there is no display (the CLI turns it into exit code 2).
    """
    app = ensure_application(argv, virtual_keyboard=not smoke_test)
    # A Python override of a Qt virtual method (or a slot) that raises must never take the kiosk down or fill the
    # log: logged once per place, and the kiosk carries on.
    log_uncaught_exceptions()
    health = None if smoke_test else KioskHealth()
    stop_signals = None if smoke_test else QuitOnSignal(app)
    window = build_window(kiosk, kiosk_mode=not windowed)
    if not smoke_test:
        WindowServices(window, kiosk, health=health)  # a child of the window: it lives and dies with it
        FirstPaintHook(window.welcome_page,
                       lambda: QTimer.singleShot(SPEAKER_DELAY_MS, window, lambda: attach_narrator(window).prepare()))
    painted = None
    # The smoke test's time limit is a timer we own and stop: a stray QApplication.exit() after exec() has returned
    # would leave Qt's "quit now" flag set, and every later event loop in the process (a test's waits) would return
    # at once without running a single timer.
    limit = QTimer()
    limit.setSingleShot(True)
    limit.timeout.connect(lambda: app.exit(1))
    if smoke_test:
        painted = _FirstPaint(app, window, screenshot)
        window.welcome_page.installEventFilter(painted)
        limit.start(SMOKE_TEST_LIMIT_MS)
    # What exists once the welcome page is painted (modules, classes, Qt's enum types, the window) lives as long as the
    # kiosk: set it aside from the garbage collector, so a full collection later (it may land on a page change) walks
    # only what came after — ~4 ms instead of ~15 ms with the wizard built — and so does the one at exit.
    FirstPaintHook(window.welcome_page, gc.freeze)
    window.present()
    log.info("Kiosk window shown (%s)", "windowed" if windowed else "kiosk mode")
    code = app.exec()
    limit.stop()
    if health is not None:
        health.stopping()
    if stop_signals is not None:
        stop_signals.release()
    if smoke_test or (shiboken6.isValid(window) and window.isVisible()):  # SIGTERM left it up; a test may delete it
        window.allow_close()
        window.close()
    return code


def run_out_of_order(
    problem: OutOfOrder,
    *,
    windowed: bool,
    emergency_number: str | None = None,
    argv: Sequence[str] | None = None,
) -> int:
    """The kiosk cannot be built at all (its configuration or its data folder): show the out-of-order page alone, on
    the whole screen (a window with ``windowed``), tell systemd READY=1 with the reason in the status line and keep
    pinging its watchdog, until SIGTERM. Restarting would change nothing until someone fixes what the log says.
    Raises NoDisplayError when there is no display."""
    app = ensure_application(argv)
    log_uncaught_exceptions()
    health = KioskHealth()
    health.set_out_of_order(problem.status)
    stop_signals = QuitOnSignal(app)
    page = OutOfOrderPage(problem, emergency_number=emergency_number)
    page.setWindowTitle("Police report kiosk: out of order")
    FirstPaintHook(page, health.ready)
    if windowed:
        page.resize(*WINDOWED_SIZE)
        page.show()
    else:
        screen = page.screen()
        page.setGeometry(screen.geometry())
        page.setWindowFlags(page.windowFlags() | Qt.WindowType.FramelessWindowHint)
        page.showFullScreen()
    code = app.exec()
    health.stopping()
    stop_signals.release()
    page.close()
    return code
