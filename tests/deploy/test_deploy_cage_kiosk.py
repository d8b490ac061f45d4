"""The kiosk's real `run` command under real cage, as the service runs it (tests/deploy/kiosk_under_cage.py: headless
backend, pixman, Qt's Wayland platform, a non-root user, the storage key as a systemd credential, an encrypted
store), talking to a notify socket this test owns: it says READY=1 once the welcome page is painted, then WATCHDOG=1
at half of WATCHDOG_USEC from its GUI thread. When the GUI thread is blocked (the test-only hook of ui/health.py) the
pings stop, as they would for a frozen event loop, and come back when it runs again; SIGTERM ends it cleanly with
STOPPING=1, and cage with it."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest
from kiosk_under_cage import NotifySocket, cage_command, kiosk_user, prepare_folder, unusable_reason
from storage_keyring import credentials_env

pytestmark = pytest.mark.slow

WATCHDOG_USEC = 2_000_000  # systemd would restart a kiosk silent for 2 s: pings every 1 s
START_LIMIT = 60  # seconds for cage and the kiosk to come up on a busy 2-core machine


@pytest.fixture
def shared_folder():
    """A folder the kiosk's user can reach (pytest's own tmp_path sits in a folder only root may enter)."""
    with tempfile.TemporaryDirectory(prefix="p2c-cage-kiosk-") as folder:
        yield Path(folder)


def storage_key_file() -> Path:
    """The run's storage key as a systemd credential file (tests/storage_keyring.credentials_env)."""
    return Path(credentials_env()["CREDENTIALS_DIRECTORY"]) / "storage-key"


def test_the_kiosk_under_cage_is_ready_pings_its_watchdog_and_stops_pinging_when_its_gui_thread_freezes(
        shared_folder):
    reason = unusable_reason()
    if reason is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    user = kiosk_user()
    paths = prepare_folder(shared_folder, user, storage_key_file())
    freeze = shared_folder / "freeze"
    notify = NotifySocket(shared_folder / "notify")
    command = cage_command(paths, notify.path, user, watchdog_usec=WATCHDOG_USEC,
                           extra_env={"P2C_KIOSK_TEST_FREEZE_FILE": str(freeze)})
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               cwd=shared_folder)
    try:
        ready = notify.wait_for("READY", START_LIMIT)
        assert ready is not None, f"no READY=1 from the kiosk under cage: {_output(process)}"
        assert ready.fields["READY"] == "1"
        assert ready.fields["STATUS"].startswith("ready"), ready.fields
        kiosk_pid = ready.pid
        assert kiosk_pid != process.pid, "the kiosk itself says it, not cage"

        pings = [notify.wait_for("WATCHDOG", 5) for _ in range(4)]
        assert all(ping is not None and ping.pid == kiosk_pid for ping in pings), pings
        gaps = [later.at - earlier.at for earlier, later in itertools.pairwise(pings)]  # type: ignore[union-attr]
        assert all(0.5 < gap < 1.6 for gap in gaps), f"pings every ~1 s, not {gaps}"

        freeze.touch()  # the GUI thread blocks within 200 ms, and the pings stop
        notify.wait_for("WATCHDOG", 1.2)  # one may already be on its way
        assert notify.wait_for("WATCHDOG", WATCHDOG_USEC / 1e6 * 1.5) is None, "pings went on from a frozen GUI thread"
        assert process.poll() is None, "still running: only systemd would restart it"

        freeze.unlink()
        assert notify.wait_for("WATCHDOG", 3) is not None, "the pings come back when the GUI thread runs again"

        os.kill(kiosk_pid, signal.SIGTERM)  # as systemd stops the service
        stopping = notify.wait_for("STOPPING", 10)
        assert stopping is not None and stopping.pid == kiosk_pid
        assert process.wait(timeout=30) == 0, _output(process)  # cage exits 0 when its application does
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        notify.close()

    log = (paths["home"] / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert "systemd watchdog: a ping every 1.0 s" in log
    assert "test-only hook: blocking the GUI thread" in log
    assert "ENCRYPTION AT REST IS OFF" not in log  # the store is encrypted under the credential's key
    assert (paths["home"] / "kiosk.sqlite3").read_bytes()[:16] != b"SQLite format 3\0"


def _output(process: subprocess.Popen[str]) -> str:
    if process.poll() is None:
        process.kill()
    out, _ = process.communicate(timeout=30)
    return out[-3000:]
