"""Running the kiosk's real `run` command under real cage (headless backend, pixman renderer), as the service does but
without systemd: as a non-root user (cage refuses root; the tests run as root here, so as ``nobody``), with a
notify socket the caller owns, the storage key handed over as a systemd credential, and a data folder that user can
write. Shared by tests/deploy/test_deploy_cage_kiosk.py and benchmarks/crash_to_ready.py.

The kiosk runs on the system Python (/usr/bin/python3) with the project's virtual environment on its path: the venv's
own interpreter may sit where another user cannot reach it (here under /root). Both must be the same minor version.
"""

from __future__ import annotations

import ctypes.util
import os
import pwd
import shlex
import shutil
import socket
import struct
import subprocess
import sys
import sysconfig
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SYSTEM_PYTHON = "/usr/bin/python3"
WAYLAND_PLUGIN = "platforms/libqwayland.so"  # PySide6's Qt Wayland platform plugin (PySide6-Essentials)


def site_packages() -> str:
    return sysconfig.get_paths()["purelib"]


def unusable_reason() -> str | None:
    """Why the kiosk cannot be run under cage here (a missing program or plugin), or None."""
    for program in ("cage", "Xwayland"):
        if shutil.which(program) is None:
            return f"{program} is not installed (scripts/debian-packages/deploy.txt; make test installs it)"
    if not os.access(SYSTEM_PYTHON, os.X_OK):
        return f"{SYSTEM_PYTHON} is needed to run the kiosk as another user"
    import PySide6

    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / WAYLAND_PLUGIN
    if not plugin.exists():
        return f"PySide6 has no Wayland platform plugin ({plugin})"
    version = subprocess.run([SYSTEM_PYTHON, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True,
                             text=True, timeout=30).stdout.strip()
    if version != str(sys.version_info[:2]):
        return f"{SYSTEM_PYTHON} is Python {version}, the project's environment {tuple(sys.version_info[:2])}"
    return None


def kiosk_user() -> pwd.struct_passwd | None:
    """The user to run cage as: ``nobody`` when the tests run as root (cage refuses root), else None (the tests'
    own user)."""
    return pwd.getpwnam("nobody") if os.geteuid() == 0 else None


@dataclass
class Message:
    """One datagram on the notify socket: its ``KEY=VALUE`` lines, the sender's pid, when it came (monotonic)."""

    fields: dict[str, str]
    pid: int
    at: float


@dataclass
class NotifySocket:
    """An AF_UNIX datagram socket at ``path`` that the kiosk's user may send to, reading the sender's credentials."""

    path: Path
    sock: socket.socket = field(init=False)
    received: list[Message] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(self.path))
        self.path.chmod(0o666)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)

    def receive(self, timeout: float) -> Message | None:
        self.sock.settimeout(max(timeout, 0.001))
        try:
            data, ancillary, _, _ = self.sock.recvmsg(4096, socket.CMSG_SPACE(12))
        except TimeoutError:
            return None
        pid = next((struct.unpack("iII", payload)[0] for _, _, payload in ancillary), 0)
        fields = dict(line.split("=", 1) for line in data.decode().splitlines() if "=" in line)
        message = Message(fields, pid, time.monotonic())
        self.received.append(message)
        return message

    def wait_for(self, key: str, timeout: float) -> Message | None:
        """The next message carrying ``key``, or None after ``timeout`` seconds."""
        end = time.monotonic() + timeout
        while (left := end - time.monotonic()) > 0:
            message = self.receive(left)
            if message is not None and key in message.fields:
                return message
        return None

    def close(self) -> None:
        self.sock.close()


def prepare_folder(folder: Path, user: pwd.struct_passwd | None, storage_key_file: Path | None) -> dict[str, Path]:
    """In ``folder`` (reachable by ``user``): the runtime folder for cage's Wayland socket, the data folder and, with
    ``storage_key_file``, a credentials folder holding a copy of it as ``storage-key`` (mode 0400, the user's), as
    systemd lays out ``$CREDENTIALS_DIRECTORY``."""
    folder.chmod(0o755)
    paths = {"runtime": folder / "runtime", "home": folder / "home"}
    for path in paths.values():
        path.mkdir(mode=0o700, exist_ok=True)
    if storage_key_file is not None:
        credentials = paths["credentials"] = folder / "credentials"
        credentials.mkdir(mode=0o700, exist_ok=True)
        shutil.copyfile(storage_key_file, credentials / "storage-key")
        (credentials / "storage-key").chmod(0o400)
    if user is not None:
        for path in paths.values():
            for item in [path, *path.rglob("*")]:
                os.chown(item, user.pw_uid, user.pw_gid)
    return paths


def cage_command(paths: Mapping[str, Path], notify: Path, user: pwd.struct_passwd | None, *,
                 watchdog_usec: int | None, extra_env: Mapping[str, str] | None = None,
                 run_args: tuple[str, ...] = (), application: list[str] | None = None) -> list[str]:
    """The command that starts cage with the kiosk's `run` as its one application (or ``application``, a command to
    run with the system Python instead), in the environment systemd would give the service (NOTIFY_SOCKET,
    WATCHDOG_USEC and WATCHDOG_PID naming the process that execs cage)."""
    environment = {
        "XDG_RUNTIME_DIR": str(paths["runtime"]), "WLR_BACKENDS": "headless", "WLR_LIBINPUT_NO_DEVICES": "1",
        "WLR_RENDERER": "pixman", "QT_QPA_PLATFORM": "wayland", "QT_WAYLAND_DISABLE_WINDOWDECORATION": "1",
        "NOTIFY_SOCKET": str(notify), "P2C_KIOSK_HOME": str(paths["home"]),
        "PYTHONPATH": os.pathsep.join([str(ROOT), site_packages()]), "PYTHONDONTWRITEBYTECODE": "1",
        # This test machine has dbus-x11 (for the keyring tests): with no session bus, libdbus would "autolaunch" one
        # through Xwayland's DISPLAY, which costs Qt 3 s at every start. A kiosk has its session bus from pam_systemd,
        # or none and no dbus-x11: say there is none.
        "DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent",
        "HOME": str(paths["home"]),
    }
    if "credentials" in paths:
        environment["PYTHON_KEYRING_BACKEND"] = "kiosk.credentials_keyring.SystemdCredentialsKeyring"
        environment["CREDENTIALS_DIRECTORY"] = str(paths["credentials"])
    if watchdog_usec is not None:
        environment["WATCHDOG_USEC"] = str(watchdog_usec)
    environment.update(extra_env or {})
    exports = "".join(f"export {key}={shlex.quote(value)}; " for key, value in environment.items())
    kiosk = f"{SYSTEM_PYTHON} -m p2c_kiosk --home {shlex.quote(str(paths['home']))} run {shlex.join(run_args)}"
    if application is not None:
        kiosk = shlex.join([SYSTEM_PYTHON, *application])
    watchdog_pid = "export WATCHDOG_PID=$$; " if watchdog_usec is not None else ""
    script = f"{exports}{watchdog_pid}exec {shutil.which('cage')} -d -- {kiosk}"
    # env -i: nothing of the test's own environment (its keyring, its Qt platform) leaks into the kiosk's.
    inner = ["env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "sh", "-c", script]
    if user is None:
        return inner
    return ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--init-groups", *inner]


def libsystemd() -> str | None:
    return ctypes.util.find_library("systemd")
