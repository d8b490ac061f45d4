"""Under cage, as the unit runs it: cage is the service's main process, so systemd names cage in WATCHDOG_PID, and
the kiosk is cage's child. This runs real cage (headless backend, a non-root user, as cage requires) with the
environment systemd gives the service and a notify socket the test owns, and a small child that uses
kiosk.sd_notify: cage passes the socket and the watchdog on, the child's READY=1 and WATCHDOG=1 arrive from the
child's own process, and the child pings at half the interval, where libsystemd's sd_watchdog_enabled, reading
the same environment, would have said "no watchdog for you" (the reason kiosk.sd_notify also accepts its parent).

The kiosk's real `run` command under cage is the lead's wiring test (the GUI thread's timer lives in ui/)."""

from __future__ import annotations

import ctypes.util
import os
import pwd
import shlex
import socket
import struct
import subprocess
import tempfile
from pathlib import Path

import pytest
from deploy_support import ROOT, program_or_skip


@pytest.fixture
def shared_folder():
    """A folder the other user can reach (pytest's own tmp_path sits in a folder only root may enter)."""
    with tempfile.TemporaryDirectory(prefix="p2c-cage-") as folder:
        os.chmod(folder, 0o755)
        yield Path(folder)


def test_cage_hands_the_kiosk_its_notify_socket_and_watchdog(shared_folder):
    tmp_path = shared_folder
    cage = program_or_skip("cage")
    program_or_skip("Xwayland")
    python = "/usr/bin/python3"  # the project's venv may sit where another user cannot read it; this is stdlib only
    if not os.access(python, os.X_OK):
        pytest.skip("/usr/bin/python3 is needed to run the child as another user")
    library = ctypes.util.find_library("systemd")
    if library is None:
        pytest.skip("libsystemd is not installed (it comes with systemd: scripts/debian-packages/deploy.txt)")
    user = pwd.getpwnam("nobody") if os.geteuid() == 0 else None  # cage refuses root

    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    if user is not None:
        os.chown(runtime, user.pw_uid, user.pw_gid)
    path = tmp_path / "notify"
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(str(path))
    path.chmod(0o666)
    receiver.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
    receiver.settimeout(20)

    child = (f"import ctypes, os, sys; sys.path.insert(0, {str(ROOT)!r}); from kiosk.sd_notify import Notifier; "
             f"usec = ctypes.c_uint64(0); "
             f"print('libsystemd', ctypes.CDLL({library!r}).sd_watchdog_enabled(0, ctypes.byref(usec))); "
             f"notifier = Notifier(); print('ping', notifier.ping_interval, os.getpid(), flush=True); "
             f"notifier.ready(); notifier.watchdog()")
    environment = {"XDG_RUNTIME_DIR": str(runtime), "WLR_BACKENDS": "headless", "WLR_LIBINPUT_NO_DEVICES": "1",
                   "WLR_RENDERER": "pixman", "NOTIFY_SOCKET": str(path), "WATCHDOG_USEC": "30000000"}
    exports = "".join(f"export {key}={shlex.quote(value)}; " for key, value in environment.items())
    # As systemd does for the main process: WATCHDOG_PID is the pid that then execs cage.
    script = f"{exports}export WATCHDOG_PID=$$; exec {cage} -d -- {python} -c {shlex.quote(child)}"
    command = ["su", user.pw_name, "-s", "/bin/sh", "-c", script] if user else ["sh", "-c", script]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        messages = []
        for _ in range(2):
            try:
                data, ancillary, _, _ = receiver.recvmsg(4096, socket.CMSG_SPACE(12))
            except TimeoutError:
                process.kill()
                raise AssertionError(f"no message from the child under cage: {process.communicate()}") from None
            sender = next(struct.unpack("iII", payload)[0] for _, _, payload in ancillary)
            messages.append((data.decode(), sender))
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
        receiver.close()

    assert process.returncode == 0, err[-2000:]  # cage exits 0 when its application does
    said = dict(line.split(" ", 1) for line in out.splitlines())
    assert said["libsystemd"] == "0"  # sd_watchdog_enabled: the watchdog is cage's, not the kiosk's
    interval, kiosk_pid = said["ping"].split()
    assert float(interval) == 15.0  # half of WATCHDOG_USEC
    assert messages == [("READY=1", int(kiosk_pid)), ("WATCHDOG=1", int(kiosk_pid))]
