"""deploy/install.sh on a scratch root (--root): what a kiosk machine gets, that a second run changes nothing, that
Debian packages are skipped only when asked, that an update keeps the data, and that an uninstall keeps the data
unless told otherwise.

The program installed is a stand-in bundle (an executable ``p2c-kiosk`` and the default kiosk.toml where the
PyInstaller bundle has it): these tests are about the installer, tests/test_bundle.py about the bundle. The
installer creates a system user and chowns folders to it, so they run as root (they skip otherwise)."""

from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path

import pytest
from deploy_support import DEPLOY, ROOT, program_or_skip, root_or_skip, tree_listing

INSTALL = DEPLOY / "install.sh"


@pytest.fixture
def scratch(tmp_path):
    root_or_skip()
    for tool in ("systemd-sysusers", "systemd-tmpfiles", "systemctl", "systemd-creds"):
        program_or_skip(tool)
    root = tmp_path / "root"
    root.mkdir()
    return root


def stand_in_bundle(folder: Path, version: str = "1") -> Path:
    (folder / "_internal" / "kiosk").mkdir(parents=True)
    program = folder / "p2c-kiosk"
    program.write_text(f"#!/bin/sh\necho p2c-kiosk stand-in {version} \"$@\"\n", encoding="utf-8")
    program.chmod(0o755)
    default = (ROOT / "kiosk" / "default_config.toml").read_bytes()
    (folder / "_internal" / "kiosk" / "default_config.toml").write_bytes(default)
    return folder


def install(root: Path, *options: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(["bash", str(INSTALL), "--root", str(root), *options], capture_output=True, text=True,
                            timeout=120, env={**os.environ, "DESTDIR": ""})
    if check:
        assert result.returncode == 0, result.stderr
    return result


def ids(root: Path, name: str, database: str = "passwd") -> int:
    for line in (root / "etc" / database).read_text(encoding="utf-8").splitlines():
        fields = line.split(":")
        if fields[0] == name:
            return int(fields[2])
    raise AssertionError(f"{name} not in {database}")


def decrypt(root: Path, name: str) -> bytes:
    path = root / "etc" / "credstore.encrypted" / f"p2c-kiosk.{name}"
    host_key = root / "var/lib/systemd/credential.secret"
    result = subprocess.run(["systemd-creds", "decrypt", f"--name={name}", str(path), "-"], capture_output=True,
                            timeout=30, check=True, env={**os.environ, "SYSTEMD_CREDENTIAL_SECRET": str(host_key)})
    return result.stdout


def test_a_kiosk_machine_gets_its_user_folders_unit_and_lockdown(scratch, tmp_path):
    result = install(scratch, "--bundle", str(stand_in_bundle(tmp_path / "bundle")), "--no-packages")
    assert "not installing Debian packages (--no-packages)" in result.stdout

    passwd = next(line for line in (scratch / "etc/passwd").read_text().splitlines() if line.startswith("p2c-kiosk:"))
    uid = ids(scratch, "p2c-kiosk")
    assert passwd.endswith(":/var/lib/p2c-kiosk:/usr/sbin/nologin") and uid < 1000  # a system user, no shell
    gid = ids(scratch, "p2c-kiosk", "group")

    data = (scratch / "var/lib/p2c-kiosk").lstat()
    assert (stat.S_IMODE(data.st_mode), data.st_uid, data.st_gid) == (0o700, uid, gid)
    config = (scratch / "etc/p2c-kiosk/kiosk.toml").lstat()
    assert (stat.S_IMODE(config.st_mode), config.st_uid, config.st_gid) == (0o660, 0, gid)
    assert (scratch / "etc/p2c-kiosk/kiosk.toml").read_bytes() == (ROOT / "kiosk/default_config.toml").read_bytes()
    assert os.readlink(scratch / "var/lib/p2c-kiosk/kiosk.toml") == "/etc/p2c-kiosk/kiosk.toml"

    system = scratch / "etc/systemd/system"
    assert (system / "p2c-kiosk.service").read_bytes() == (DEPLOY / "p2c-kiosk.service").read_bytes()
    assert os.readlink(system / "multi-user.target.wants/p2c-kiosk.service") == "/etc/systemd/system/p2c-kiosk.service"
    assert os.readlink(system / "ctrl-alt-del.target") == "/dev/null"
    assert os.readlink(system / "getty@tty1.service") == "/dev/null"
    assert "NAutoVTs=0" in (scratch / "etc/systemd/logind.conf.d/p2c-kiosk.conf").read_text()
    assert "CtrlAltDelBurstAction=none" in (scratch / "etc/systemd/system.conf.d/p2c-kiosk.conf").read_text()
    assert re.search(r"^kernel\.sysrq = 0$", (scratch / "etc/sysctl.d/90-p2c-kiosk.conf").read_text(), re.M)
    assert (scratch / "etc/pam.d/p2c-kiosk").is_file()
    assert (scratch / "usr/local/share/doc/p2c-kiosk/deployment.md").is_file()

    wrapper = scratch / "usr/local/bin/p2c-kiosk"
    assert os.access(wrapper, os.X_OK) and "exec /opt/p2c-kiosk/current/p2c-kiosk" in wrapper.read_text()
    current = scratch / "opt/p2c-kiosk" / os.readlink(scratch / "opt/p2c-kiosk/current")
    assert subprocess.run([current / "p2c-kiosk"], capture_output=True, text=True).stdout.startswith(
        "p2c-kiosk stand-in 1")

    # The database's key: made here, encrypted (nothing of it in the file), 256 bits as 64 hex digits.
    credstore = scratch / "etc/credstore.encrypted"
    assert stat.S_IMODE(credstore.lstat().st_mode) == 0o700
    key_file = credstore / "p2c-kiosk.storage-key"
    assert stat.S_IMODE(key_file.lstat().st_mode) == 0o600
    key = decrypt(scratch, "storage-key")
    assert re.fullmatch(rb"[0-9a-f]{64}", key)
    assert key not in key_file.read_bytes()


def test_a_second_run_changes_nothing(scratch, tmp_path):
    bundle = stand_in_bundle(tmp_path / "bundle")
    install(scratch, "--bundle", str(bundle), "--no-packages")
    before = tree_listing(scratch)
    assert len(before) > 30

    again = install(scratch, "--bundle", str(bundle), "--no-packages")

    assert tree_listing(scratch) == before
    assert [line for line in again.stdout.splitlines() if "--no-packages" not in line] == []


def test_the_listing_sees_a_change(scratch, tmp_path):
    """The comparison above would see a rewritten file, a chmod or a new link: it can fail."""
    install(scratch, "--bundle", str(stand_in_bundle(tmp_path / "bundle")), "--no-packages")
    before = tree_listing(scratch)
    unit = scratch / "etc/systemd/system/p2c-kiosk.service"
    unit.write_bytes(unit.read_bytes())  # same bytes, new modification time
    assert tree_listing(scratch) != before
    before = tree_listing(scratch)
    (scratch / "etc/p2c-kiosk").chmod(0o775)
    assert tree_listing(scratch) != before


def test_packages_are_never_skipped_silently(scratch, tmp_path):
    bundle = stand_in_bundle(tmp_path / "bundle")
    refused = install(scratch, "--bundle", str(bundle), check=False)
    assert refused.returncode == 2
    assert "--no-packages" in refused.stderr
    assert list(scratch.iterdir()) == []  # refused before touching anything


def test_an_update_switches_release_and_keeps_data_configuration_and_key(scratch, tmp_path):
    install(scratch, "--bundle", str(stand_in_bundle(tmp_path / "one", "1")), "--no-packages")
    opt = scratch / "opt/p2c-kiosk"
    first = os.readlink(opt / "current")
    report = scratch / "var/lib/p2c-kiosk/kiosk.sqlite3"
    report.write_bytes(b"the reports")
    config = scratch / "etc/p2c-kiosk/kiosk.toml"
    config.write_text(config.read_text() + "\n# changed by the department\n")
    edited = config.read_bytes()
    key = (scratch / "etc/credstore.encrypted/p2c-kiosk.storage-key").read_bytes()

    result = install(scratch, "--bundle", str(stand_in_bundle(tmp_path / "two", "2")), "--no-packages")
    assert "the kiosk now runs release" in result.stdout
    assert os.readlink(opt / "previous") == first and os.readlink(opt / "current") != first
    assert subprocess.run([opt / "current" / "p2c-kiosk"], capture_output=True, text=True).stdout.startswith(
        "p2c-kiosk stand-in 2")
    assert report.read_bytes() == b"the reports"
    assert config.read_bytes() == edited
    assert (scratch / "etc/credstore.encrypted/p2c-kiosk.storage-key").read_bytes() == key

    install(scratch, "--bundle", str(stand_in_bundle(tmp_path / "three", "3")), "--no-packages")
    kept = sorted(path.name for path in (opt / "releases").iterdir())
    assert len(kept) == 2 and first.removeprefix("releases/") not in kept  # the current one and the one before


def test_uninstall_keeps_the_data_unless_purged(scratch, tmp_path):
    bundle = stand_in_bundle(tmp_path / "bundle")
    install(scratch, "--bundle", str(bundle), "--no-packages")
    (scratch / "var/lib/p2c-kiosk/kiosk.sqlite3").write_bytes(b"the reports")
    key = (scratch / "etc/credstore.encrypted/p2c-kiosk.storage-key").read_bytes()

    result = install(scratch, "--uninstall")
    assert "kept /var/lib/p2c-kiosk" in result.stdout
    for gone in ("opt/p2c-kiosk", "usr/local/bin/p2c-kiosk", "etc/systemd/system/p2c-kiosk.service",
                 "etc/systemd/system/multi-user.target.wants/p2c-kiosk.service", "etc/pam.d/p2c-kiosk",
                 "etc/systemd/system/getty@tty1.service", "etc/systemd/system/ctrl-alt-del.target",
                 "etc/sysctl.d/90-p2c-kiosk.conf", "etc/systemd/logind.conf.d/p2c-kiosk.conf"):
        assert not os.path.lexists(scratch / gone), gone
    assert (scratch / "var/lib/p2c-kiosk/kiosk.sqlite3").read_bytes() == b"the reports"
    assert (scratch / "etc/p2c-kiosk/kiosk.toml").is_file()
    assert (scratch / "etc/credstore.encrypted/p2c-kiosk.storage-key").read_bytes() == key
    ids(scratch, "p2c-kiosk")

    install(scratch, "--bundle", str(bundle), "--no-packages")  # back again, on the same data and key
    assert (scratch / "etc/credstore.encrypted/p2c-kiosk.storage-key").read_bytes() == key

    install(scratch, "--uninstall", "--purge")
    for gone in ("var/lib/p2c-kiosk", "etc/p2c-kiosk", "etc/credstore.encrypted/p2c-kiosk.storage-key"):
        assert not os.path.lexists(scratch / gone), gone
    assert "p2c-kiosk:" not in (scratch / "etc/passwd").read_text()
