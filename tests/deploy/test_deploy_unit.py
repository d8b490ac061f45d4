"""The kiosk's systemd unit (deploy/p2c-kiosk.service): systemd's own lint passes on it (and fails on a planted
mistake, so the check is live), and it says what issue 18 asks: notify with a watchdog, restarts that never stop,
cage on tty1 as the kiosk's user, Qt on Wayland with the on-screen keyboard, the secrets as encrypted credentials
read through the keyring backend it names."""

from __future__ import annotations

import importlib
import shlex
import subprocess
from pathlib import Path

import pytest
from deploy_support import DEPLOY, program_or_skip
from keyring.backend import KeyringBackend

UNIT = DEPLOY / "p2c-kiosk.service"


def unit_entries(path: Path = UNIT) -> list[tuple[str, str, str]]:
    """(section, key, value) for every assignment, in order (a key may be given several times)."""
    entries, section = [], ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        entries.append((section, key.strip(), value.strip()))
    return entries


def values(key: str, section: str = "Service") -> list[str]:
    return [value for where, name, value in unit_entries() if where == section and name == key]


def one(key: str, section: str = "Service") -> str:
    found = values(key, section)
    assert len(found) == 1, f"{section}.{key}: {found}"
    return found[0]


def verify(path: Path) -> subprocess.CompletedProcess[str]:
    # cage must exist: verify checks that ExecStart's program is executable.
    program_or_skip("cage")
    analyze = program_or_skip("systemd-analyze")
    # Not PID 1 here: verify still loads and lints the unit (docs/deployment.md, "Tests"). --man=no: the man pages
    # named in Documentation= are not installed in a container.
    return subprocess.run([analyze, "verify", "--man=no", str(path)], capture_output=True, text=True, timeout=60)


def test_systemd_analyze_verify_passes_with_nothing_to_say():
    result = verify(UNIT)
    assert result.returncode == 0, result.stderr
    # verify exits 0 even when it ignores a line it cannot parse: any word from it about the unit is a failure.
    assert result.stderr.strip() == ""


@pytest.mark.parametrize(("mistake", "expected"), [
    # The start limit in [Service] is ignored: the classic way to get a kiosk that gives up after five crashes.
    (lambda text: text.replace("[Service]\n", "[Service]\nStartLimitIntervalSec=0\n", 1), "Unknown key"),
    # An empty SetCredential= fallback is refused by systemd 252 (a missing secret would then stop the start).
    (lambda text: text.replace("SetCredential=server-token:\\n", "SetCredential=server-token:"), "Invalid syntax"),
])
def test_verify_catches_a_planted_mistake(tmp_path, mistake, expected):
    planted = tmp_path / UNIT.name
    planted.write_text(mistake(UNIT.read_text(encoding="utf-8")), encoding="utf-8")
    assert planted.read_text(encoding="utf-8") != UNIT.read_text(encoding="utf-8")
    assert expected in verify(planted).stderr


def test_notify_with_a_watchdog_and_restarts_that_never_stop():
    assert one("Type") == "notify"
    assert one("NotifyAccess") == "all"  # the kiosk is cage's child, not the main process
    watchdog = one("WatchdogSec")
    assert watchdog.endswith("s") and int(watchdog[:-1]) >= 10
    assert one("Restart") == "always"
    assert one("StartLimitIntervalSec", section="Unit") == "0"
    assert values("StartLimitIntervalSec") == [] and values("StartLimitBurst") == []


def test_cage_runs_the_kiosk_on_tty1_as_its_user_with_no_way_out():
    command = shlex.split(one("ExecStart"))
    assert command[0] == "/usr/bin/cage"
    cage_options = command[1:command.index("--")]
    assert "-s" not in cage_options  # -s would allow switching to another virtual terminal
    kiosk = command[command.index("--") + 1:]
    assert kiosk[0] == "/usr/local/bin/p2c-kiosk" and kiosk[-1] == "run"
    assert one("User") == "p2c-kiosk"
    assert one("TTYPath") == "/dev/tty1"
    assert one("PAMName") == "p2c-kiosk" and (DEPLOY / "pam.d" / "p2c-kiosk").is_file()
    assert "getty@tty1.service" in values("Conflicts", section="Unit")


def test_qt_runs_on_wayland_with_the_on_screen_keyboard():
    environment = dict(value.split("=", 1) for value in values("Environment"))
    assert environment["QT_QPA_PLATFORM"] == "wayland"
    assert environment["QT_IM_MODULE"] == "qtvirtualkeyboard"
    assert environment["P2C_KIOSK_HOME"] == "/var/lib/p2c-kiosk"


def test_the_keyring_backend_it_names_exists_and_reads_the_credentials_it_loads():
    environment = dict(value.split("=", 1) for value in values("Environment"))
    module_name, _, name = environment["PYTHON_KEYRING_BACKEND"].rpartition(".")
    module = importlib.import_module(module_name)
    assert issubclass(getattr(module, name), KeyringBackend)
    assert module.BACKEND_NAME == environment["PYTHON_KEYRING_BACKEND"]
    loaded = {value.split(":", 1)[0]: value.split(":", 1)[1] for value in values("LoadCredentialEncrypted")}
    assert set(loaded) == set(module.CREDENTIAL_IDS)
    for credential_id, path in loaded.items():
        assert path == f"/etc/credstore.encrypted/p2c-kiosk.{credential_id}"
    # Each has a fallback, so a missing file is a logged, missing secret rather than a kiosk that will not start.
    fallbacks = {value.split(":", 1)[0] for value in values("SetCredential")}
    assert fallbacks == set(loaded)
