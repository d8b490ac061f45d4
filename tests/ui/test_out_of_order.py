"""A kiosk that cannot start properly (ui.out_of_order): each cause, through the real `p2c-kiosk run` with a notify
socket the test owns, logs one clear line per attempt, says why in STATUS=, and (with a display) shows the
out-of-order page and stays up pinging its watchdog, READY=1 so that systemd does not restart it in a loop; with no
display it exits 2 after the same line and status. The page itself: English and Spanish at once, nothing on it or
beneath it reacts to a touch; a database that opens on a later try brings the welcome page back."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import NOW
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget

from kiosk.clock import ManualClock
from kiosk.home import open_kiosk
from kiosk.translation import catalogues
from ui.app import build_window
from ui.health import KioskHealth
from ui.kiosk_services import WindowServices
from ui.out_of_order import Cause, OutOfOrder, OutOfOrderPage

pytestmark = pytest.mark.gui

START_LIMIT = 60.0


class Notify:
    """A datagram socket standing in for systemd's notify socket."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))

    def wait_for(self, key: str, timeout: float) -> dict[str, str] | None:
        end = time.monotonic() + timeout
        while (left := end - time.monotonic()) > 0:
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(4096).decode()
            except TimeoutError:
                return None
            fields = dict(line.split("=", 1) for line in data.splitlines())
            if key in fields:
                return fields
        return None


@pytest.fixture
def notify(tmp_path):
    socket_ = Notify(tmp_path / "notify")
    yield socket_
    socket_.sock.close()


def kiosk_run(home: Path, notify: Notify, **env: str) -> subprocess.Popen[str]:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NOTIFY_SOCKET": str(notify.path),
                   "WATCHDOG_USEC": "1000000", **env}
    return subprocess.Popen([sys.executable, "-m", "p2c_kiosk", "--home", str(home), "run"], env=environment,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def out_of_order_lines(home: Path) -> list[str]:
    log = home / "logs" / "kiosk.log"
    return [line for line in log.read_text(encoding="utf-8").splitlines() if "out of order (" in line]


def attempt_out_of_order(home: Path, notify: Notify, **env: str) -> tuple[str, str]:
    """One start that ends out of order with a display: READY=1 with the status, pings, and a clean stop on SIGTERM.
    Gives the status and what the kiosk said on standard error."""
    process = kiosk_run(home, notify, **env)
    try:
        ready = notify.wait_for("READY", START_LIMIT)
        assert ready is not None, process.communicate(timeout=5) if process.poll() is not None else "no READY=1"
        assert notify.wait_for("WATCHDOG", 3) is not None, "an out-of-order kiosk is alive: it pings"
        process.send_signal(signal.SIGTERM)
        assert notify.wait_for("STOPPING", 10) is not None
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    return ready["STATUS"], err


def test_a_bad_configuration_is_out_of_order_with_one_line_per_attempt(tmp_path, notify):
    home = tmp_path / "home"
    home.mkdir()
    (home / "kiosk.toml").write_text("[kiosk]\nidle_timeout_seconds = \"soon\"\nno_such_setting = 1\n",
                                     encoding="utf-8")
    status, err = attempt_out_of_order(home, notify)
    assert status.startswith("out of order: kiosk.toml has mistakes (")
    assert "kiosk.idle_timeout_seconds" in status
    said = [line for line in err.splitlines() if "out of order" in line]
    assert len(said) == 1 and said[0].startswith("p2c-kiosk: out of order (configuration): ")
    assert "kiosk.no_such_setting" in said[0] and "sudo p2c-kiosk doctor" in said[0]
    attempt_out_of_order(home, notify)
    lines = out_of_order_lines(home)
    assert len(lines) == 2 and all("ERROR" in line and "kiosk.idle_timeout_seconds" in line for line in lines)


def test_a_database_that_cannot_be_opened_is_out_of_order(tmp_path, notify):
    home = tmp_path / "home"
    home.mkdir()
    (home / "kiosk.sqlite3").mkdir()  # a folder where the file should be
    status, err = attempt_out_of_order(home, notify)
    assert status.startswith("out of order: the database cannot be opened ("), status
    assert sum("out of order (database)" in line for line in err.splitlines()) == 1
    assert len(out_of_order_lines(home)) == 1


def test_a_missing_storage_key_is_out_of_order(tmp_path, notify):
    """The deployed kiosk's keyring (systemd credentials) without the storage-key credential, on a data folder whose
    database is encrypted: the kiosk will not open it, and says so."""
    home = tmp_path / "home"
    from p2c_kiosk import main

    assert main(["--home", str(home), "list"]) == 0  # an encrypted database under the run's key
    credentials = tmp_path / "credentials"
    credentials.mkdir()
    (credentials / "storage-key").write_text("\n", encoding="utf-8")  # the unit's empty SetCredential= fallback
    status, err = attempt_out_of_order(home, notify, PYTHON_KEYRING_BACKEND=(
        "kiosk.credentials_keyring.SystemdCredentialsKeyring"), CREDENTIALS_DIRECTORY=str(credentials))
    assert status.startswith("out of order: the database's storage key is missing or wrong ("), status
    assert "holds no storage key" in status
    assert sum("out of order (storage key)" in line for line in err.splitlines()) == 1
    assert len(out_of_order_lines(home)) == 1


def test_no_display_is_one_line_a_status_and_exit_2_per_attempt(tmp_path, notify):
    home = tmp_path / "home"
    runtime = tmp_path / "runtime"  # no compositor's socket in it
    runtime.mkdir(mode=0o700)
    for attempt in (1, 2):
        process = kiosk_run(home, notify, QT_QPA_PLATFORM="wayland", XDG_RUNTIME_DIR=str(runtime),
                            WAYLAND_DISPLAY="wayland-0")
        _, err = process.communicate(timeout=60)
        assert process.returncode == 2, err
        said = [line for line in err.splitlines() if line.strip()]
        assert len(said) == 1 and said[0].startswith("p2c-kiosk: out of order (display): No Wayland display"), err
        status = notify.wait_for("STATUS", 5)
        assert status is not None and status["STATUS"].startswith("out of order: no display (No Wayland display")
        assert len(out_of_order_lines(home)) == attempt


# -- the page -------------------------------------------------------------------------------------------------------


def test_the_page_speaks_english_and_spanish_and_ignores_touches(qtbot, translations_dir, tmp_path):
    problem = OutOfOrder(Cause.DATABASE, "disk I/O error")
    page = OutOfOrderPage(problem, emergency_number="911", translations_dir=translations_dir)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    assert page.languages == list(catalogues().installed()) and page.languages[:2] == ["en", "es"]
    assert page.texts[:6] == [
        "Out of order", "This kiosk cannot take reports right now. Please see the desk officer.",
        "If this is an emergency, call 911",
        "Fuera de servicio",
        "Este quiosco no puede recibir informes en este momento. Por favor, hable con el oficial de recepción.",
        "Si es una emergencia, llame al 911",
    ]
    assert page.findChildren(QWidget, "out_of_order_staff_label")[0].text().startswith(
        "For staff: out of order (database)")
    # Nothing to press, and nothing pressable.
    from PySide6.QtWidgets import QAbstractButton

    assert page.findChildren(QAbstractButton) == []


def test_without_a_configuration_the_page_guesses_no_emergency_number(qtbot, translations_dir):
    page = OutOfOrderPage(OutOfOrder(Cause.CONFIG, "kiosk.x: unknown"), translations_dir=translations_dir)
    qtbot.addWidget(page)
    assert not any("911" in text or "emergency" in text.lower() for text in page.texts)


def test_over_the_window_nothing_takes_a_touch_and_a_later_try_brings_the_welcome_page_back(
        qtbot, tmp_path, translations_dir):
    home = tmp_path / "home"
    kiosk = open_kiosk(home, ManualClock(NOW), open_store_now=False)
    blocker = home / "kiosk.sqlite3"
    blocker.mkdir()
    window = build_window(kiosk, kiosk_mode=False, translations_dir=translations_dir)
    qtbot.addWidget(window)
    health = KioskHealth()
    services = WindowServices(window, kiosk, deliver_notices=False, health=health, store_retry_ms=300)
    window.present()
    qtbot.waitUntil(lambda: services.out_of_order is not None, timeout=5000)
    page = services.out_of_order
    assert page.isVisible() and page.geometry() == window.rect()
    assert health.is_ready_sent and health.state.startswith("out of order: the database cannot be opened")

    # A tap where Start is, a long press where the department's name is (the officer gesture), Ctrl+Alt+O: a finger
    # lands on the page, which is on top; nothing happens, and officer mode (with no database) is not offered.
    requested = []
    window.officer_requested.connect(lambda: requested.append(True))
    start = window.welcome_page.start_button
    name = window.welcome_page.department_label
    qtbot.mouseClick(page, Qt.MouseButton.LeftButton, pos=start.mapTo(window, QPoint(10, 10)))
    qtbot.mouseClick(start, Qt.MouseButton.LeftButton)  # even sent to it directly: it is disabled
    qtbot.mousePress(page, Qt.MouseButton.LeftButton, pos=name.mapTo(window, QPoint(10, 10)))
    qtbot.wait(window.timings.officer_hold_ms + 300)
    qtbot.mouseRelease(page, Qt.MouseButton.LeftButton, pos=name.mapTo(window, QPoint(10, 10)))
    assert not requested
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    qtbot.wait(100)
    assert window.pages.currentWidget() is window.welcome_holder and services.officer_mode is None
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: page.geometry() == window.rect(), timeout=2000)

    blocker.rmdir()  # the disk is back
    qtbot.waitUntil(lambda: services.is_started, timeout=5000)
    assert services.out_of_order is None and window.welcome_page.start_button.isEnabled()
    assert health.state == "ready" and kiosk.store_is_open
    kiosk.close()
