"""What the kiosk window leaves until after its first paint (issue 3's start-up goal) still works once it is needed:
the report service asked of the container when the wizard is built, the idle watchdog and Ctrl+Alt+O, the overlays
built on first use; and
the running kiosk sets its start-up objects aside from the garbage collector once the welcome page is painted."""

from __future__ import annotations

import gc
import io
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from ui.app import run_kiosk
from ui.idle import Overlay
from ui.timings import Timings
from ui.walkthrough import Visitor

pytestmark = pytest.mark.gui


def test_the_report_service_is_asked_of_the_container_only_when_the_wizard_is_built(make_window, container,
                                                                                    qtbot) -> None:
    window = make_window()
    assert "reports" not in container.built(), "the welcome page must not wait for the report service"
    assert not container.store_is_open
    Visitor(window).start()
    assert "reports" in container.built()
    service = container.reports
    assert window.wizard.currentPage().isVisible()
    qtbot.wait(400)  # the next wizard (after a wipe) uses the same service
    window.reset_to_welcome()
    Visitor(window).start()
    assert container.reports is service and window.wizard.currentPage().isVisible()


def officer_keys(window) -> None:
    """Ctrl+Alt+O as a keyboard sends it: to the kiosk's window, which hands it to the focused widget."""
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_O,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)


def tap(widget) -> None:
    """A tap in the middle of ``widget`` as a finger's arrives: through its top-level window."""
    window = widget.window()
    QTest.mouseClick(window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     widget.mapTo(window, widget.rect().center()))


def test_the_input_watch_starts_once_the_welcome_page_is_painted(make_window, qtbot) -> None:
    window = make_window(kiosk_mode=True, timings=Timings(idle_timeout_ms=400))
    # Ctrl+Alt+O (and the kiosk keys) go through it: once the welcome page is painted, the keys ask for officer mode.
    requests: list[bool] = []
    window.officer_requested.connect(lambda: requests.append(True))

    def officer_keys_work() -> bool:
        officer_keys(window)
        return bool(requests)

    qtbot.waitUntil(officer_keys_work, timeout=2000)
    # Touches keep the idle watchdog from firing; without them it fires. The next visit's wizard is built first, as
    # the window does a moment after the first paint: on a busy machine that holds the event loop for longer than the
    # idle time, which would fire the watchdog between two touches.
    wizard = window.wizard
    assert not wizard.isVisible() and window.current_page() is window.welcome_page
    window.watchdog.restart()
    with qtbot.assertNotEmitted(window.watchdog.timed_out):
        for _ in range(6):
            qtbot.wait(100)
            tap(window.welcome_page.heading_label)
    with qtbot.waitSignal(window.watchdog.timed_out, timeout=1500):
        pass
    # Closing takes it away again.
    window.allow_close()
    window.close()
    with qtbot.assertNotEmitted(window.officer_requested):
        officer_keys(window)


def overlays(window) -> list[str]:
    """The overlays that exist in the window, shown or not."""
    return sorted(overlay.objectName() for overlay in window.findChildren(Overlay))


def test_the_overlays_are_built_on_first_use(window) -> None:
    assert overlays(window) == []
    window.reset_to_welcome()  # hiding overlays that do not exist yet builds nothing
    assert overlays(window) == []
    overlay = window.idle_overlay
    assert overlays(window) == ["idle_overlay"]
    assert overlay is window.idle_overlay, "built once"
    assert overlay.parentWidget() is window.centralWidget() and not overlay.isVisible()
    assert window.start_over_overlay.parentWidget() is window.centralWidget()
    assert overlays(window) == ["idle_overlay", "start_over_overlay"]


def test_run_kiosk_sets_what_exists_at_the_first_paint_aside_from_the_garbage_collector(qapp, container) -> None:
    gc.unfreeze()
    try:
        assert run_kiosk(container, windowed=True, smoke_test=True) == 0
        assert gc.get_freeze_count() > 10_000, "the modules, Qt's types and the window are frozen after the paint"
    finally:
        gc.unfreeze()


def test_the_windows_start_up_loads_no_other_command_and_no_package_metadata(tmp_path) -> None:
    """`p2c-kiosk run` imports the window's command module only: no other command's module, no printing (the
    container builds the printers after the first paint), no database layer, not importlib.metadata (~20 ms), not the
    core's messages, vocabulary and access codes (hashlib), not tomllib for an unchanged kiosk.toml, and not Babel.
    The data folder exists already (a kiosk's normal start, not its first, which writes kiosk.toml)."""
    from p2c_kiosk import main

    assert main(["--home", str(tmp_path), "list"], stdout=io.StringIO()) == 0
    code = (
        "import sys; from p2c_kiosk import main; "
        f"code = main(['--home', {str(tmp_path)!r}, 'run', '--smoke-test']); "
        "print(code, sorted(m for m in sys.modules if m.startswith(('kiosk.cli_', 'printing', 'peewee', "
        "'importlib.metadata', 'kiosk.storage.database', 'kiosk.reports', 'kiosk.messages', 'kiosk.vocabulary', "
        "'kiosk.receipts', 'hashlib', 'tomllib', 'babel')) and m != 'kiosk.cli_common' "
        "and m != 'kiosk.cli_config'))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-2] == "0 []"
