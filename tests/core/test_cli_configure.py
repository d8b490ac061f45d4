"""``p2c-kiosk configure`` (kiosk.cli_configure) and every command run as root over a deployed kiosk's data folder
(kiosk.cli_common.leave_root), with real parts: the reference server on 127.0.0.1, ``systemd-creds`` with
``--with-key=auto`` (as the kiosk calls it) and a host key of the test's own (SYSTEMD_CREDENTIAL_SECRET; this machine
has no TPM2), a credential store in a scratch folder (P2C_KIOSK_CREDSTORE), the user ``nobody`` as the kiosk's user.

- A token the server refuses changes nothing: neither the address nor the token is kept.
- On a deployed kiosk (the keyring is the systemd credentials backend) ``sudo p2c-kiosk configure`` writes the
  secret as an encrypted credential, 0600, says to restart the kiosk, and the secret is nowhere in clear: not in any
  process's command line or environment while systemd-creds encrypts it, not in a file, not in the output or a log.
  Without root it refuses and says to use sudo.
- ``list``, ``doctor`` and ``configure`` run as root leave no file of root's in the kiosk's data folder, nor in its
  configuration folder.
"""

from __future__ import annotations

import io
import os
import pwd
import stat
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import FIXTURES
from notices_support import MemoryKeyring, keyring_in_use
from server_support import ServerProcess, add_kiosk, fresh_database_url

from kiosk.cli import main
from kiosk.config import CONFIG_FILE_NAME
from kiosk.credentials_keyring import BACKEND_NAME, CREDSTORE_ENV, encrypt_credential

ROOT = Path(__file__).resolve().parents[2]
SYSTEM_PYTHON = "/usr/bin/python3"
SMTP_PASSWORD = "correct-horse-battery-staple-7Qx"


def cli(home: Path, *args: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--home", str(home), *args], stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def department(tmp_path_factory):
    """The reference server with kiosk 1 registered: (server, token)."""
    url = fresh_database_url("sqlite", tmp_path_factory.mktemp("server"))
    token = add_kiosk(url, "Lobby North", 1)
    with ServerProcess(url) as server:
        yield server, token


# -- a refused token keeps nothing ---------------------------------------------------------------------------------


def test_a_refused_token_keeps_neither_the_address_nor_the_token(tmp_path, department):
    server, _ = department
    home = tmp_path / "kiosk"
    with keyring_in_use(MemoryKeyring()) as keyring:
        assert cli(home, "list")[0] == 0  # the documented default kiosk.toml
        before = (home / CONFIG_FILE_NAME).read_text(encoding="utf-8")

        code, _, err = cli(home, "configure", "--server", server.url, "--token-stdin", stdin="wrong-" + "b" * 40)

        assert code == 5, err
        assert "refused the token (401)" in err and "nothing was changed" in err
        assert (home / CONFIG_FILE_NAME).read_text(encoding="utf-8") == before
        assert keyring.passwords == {}


def test_a_new_address_whose_server_refuses_the_kept_token_is_not_kept(tmp_path, department):
    server, token = department
    home = tmp_path / "kiosk"
    with keyring_in_use(MemoryKeyring()) as keyring:
        assert cli(home, "configure", "--server", server.url, "--token-stdin", stdin=token + "\n")[0] == 0
        before = (home / CONFIG_FILE_NAME).read_text(encoding="utf-8")
        # The same server under another address: the token kept for it is another kiosk's there (none: refused).
        other = server.url.replace("127.0.0.1", "localhost")
        keyring.passwords[("p2c-kiosk", f"sync:{other}")] = "revoked-" + "c" * 40

        code, _, err = cli(home, "configure", "--server", other)

        assert code == 5 and "refused the token (401)" in err
        assert (home / CONFIG_FILE_NAME).read_text(encoding="utf-8") == before


def test_the_smtp_password_and_the_token_are_both_stored_only_when_both_can_be(tmp_path, department):
    server, token = department
    home = tmp_path / "kiosk"
    home.mkdir()
    (home / CONFIG_FILE_NAME).write_text('[notices]\nsmtp_host = "mail.example.gov"\nsmtp_username = "kiosk01"\n',
                                         encoding="utf-8")
    with keyring_in_use(MemoryKeyring()) as keyring:
        code, _, _ = cli(home, "configure", "--smtp-password-stdin", "--server", server.url, "--token-stdin",
                         stdin=f"{SMTP_PASSWORD}\nwrong-{'d' * 40}\n")
        assert code == 5 and keyring.passwords == {}  # the refused token: the password is not kept either

        code, out, err = cli(home, "configure", "--smtp-password-stdin", "--server", server.url, "--token-stdin",
                             stdin=f"{SMTP_PASSWORD}\n{token}\n")
        assert code == 0, err
        assert keyring.passwords == {("p2c-kiosk", "smtp:kiosk01@mail.example.gov"): SMTP_PASSWORD,
                                     ("p2c-kiosk", f"sync:{server.url}"): token}
        assert "stored in the system keyring" in out and "Restart" not in out  # a desktop: no service to restart
        assert SMTP_PASSWORD not in out + err and token not in out + err


# -- a deployed kiosk: systemd credentials, root, and the kiosk's user ------------------------------------------------


@pytest.fixture
def machine() -> Iterator[Path]:
    """A scratch folder that ``nobody`` may enter (pytest's own is root's alone); root and systemd-creds needed."""
    if os.geteuid() != 0:
        pytest.skip("writing systemd credentials and becoming the kiosk's user need root")
    if subprocess.run(["sh", "-c", "command -v systemd-creds"], capture_output=True).returncode != 0:
        pytest.skip("systemd-creds is not installed (scripts/debian-packages/deploy.txt)")
    version = subprocess.run([SYSTEM_PYTHON, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True,
                             text=True, timeout=30).stdout.strip()
    if version != str(sys.version_info[:2]):
        pytest.skip(f"{SYSTEM_PYTHON} ({version or 'none'}) is not the project's Python {sys.version_info[:2]}")
    with tempfile.TemporaryDirectory(prefix="p2c-configure-") as folder:
        os.chmod(folder, 0o755)
        yield Path(folder)


class DeployedKiosk:
    """The deployed kiosk's layout in a scratch folder: the data folder (``nobody``'s, 0700), the configuration
    folder (root's, the kiosk's group may write, kiosk.toml linked from the data folder as the installer links it),
    the credential store (root's, 0700) with the database's key in it, and a host key for systemd-creds."""

    def __init__(self, top: Path) -> None:
        self.top = top
        self.user = pwd.getpwnam("nobody")
        self.home = top / "var/lib/p2c-kiosk"
        self.etc = top / "etc/p2c-kiosk"
        self.credstore = top / "etc/credstore.encrypted"
        self.host_key = top / "var/lib/systemd/credential.secret"
        for folder, owner, mode in ((self.home, (self.user.pw_uid, self.user.pw_gid), 0o700),
                                    (self.etc, (0, self.user.pw_gid), 0o770), (self.credstore, (0, 0), 0o700),
                                    (self.host_key.parent, (0, 0), 0o755)):
            folder.mkdir(parents=True)
            os.chown(folder, *owner)
            folder.chmod(mode)
        toml = self.etc / CONFIG_FILE_NAME
        toml.write_text('[kiosk]\nnumber = 1\n\n[sync]\n# the department\'s server\nserver_url = ""\n',
                        encoding="utf-8")
        os.chown(toml, 0, self.user.pw_gid)
        toml.chmod(0o660)
        (self.home / CONFIG_FILE_NAME).symlink_to(toml)  # root's, as systemd-tmpfiles makes it
        # The system Python with the project's packages: the venv's own interpreter may sit where the kiosk's user
        # cannot reach it (here under /root), and a command that left root still imports.
        self.env = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "PYTHON_KEYRING_BACKEND": BACKEND_NAME,
                    "PYTHONPATH": f"{ROOT}:{sysconfig.get_paths()['purelib']}",
                    CREDSTORE_ENV: str(self.credstore), "SYSTEMD_CREDENTIAL_SECRET": str(self.host_key),
                    "P2C_KIOSK_HOME": str(self.home)}
        before = os.environ.get("SYSTEMD_CREDENTIAL_SECRET")
        os.environ["SYSTEMD_CREDENTIAL_SECRET"] = str(self.host_key)
        try:
            encrypt_credential("storage-key", "ab" * 32, self.credstore / "p2c-kiosk.storage-key")
        finally:
            if before is None:
                del os.environ["SYSTEMD_CREDENTIAL_SECRET"]
            else:
                os.environ["SYSTEMD_CREDENTIAL_SECRET"] = before

    def run(self, *args: str, stdin: str = "", as_user: bool = False,
            path: str | None = None) -> subprocess.CompletedProcess[str]:
        """``sudo p2c-kiosk ARGS`` (or, ``as_user``, ``sudo -u p2c-kiosk p2c-kiosk ARGS``): a new process, with the
        wrapper's environment (deploy/p2c-kiosk.sh) and nothing else of the test's."""
        env = {**self.env, **({"PATH": path} if path else {})}
        return subprocess.run([SYSTEM_PYTHON, "-m", "kiosk", *args], input=stdin, capture_output=True, text=True,
                              env=env, cwd=ROOT, timeout=120,
                              user=self.user.pw_uid if as_user else None, group=self.user.pw_gid if as_user else None,
                              extra_groups=[] if as_user else None)

    def roots_files(self) -> list[str]:
        """Every file or folder in the data folder that root owns (but the installer's link to kiosk.toml), and in
        the configuration folder every one that the kiosk's user cannot write (the installer's kiosk.toml is root's,
        and the kiosk's group may write it)."""
        found = [path for path in [self.home, *self.home.rglob("*")]
                 if path.lstat().st_uid == 0 and path != self.home / CONFIG_FILE_NAME]  # the installer's link
        for path in self.etc.rglob("*"):
            mode = path.lstat()
            if mode.st_uid != self.user.pw_uid and not (mode.st_gid == self.user.pw_gid and mode.st_mode & 0o060):
                found.append(path)
        return [str(path.relative_to(self.top)) for path in found]


def test_sudo_configure_writes_an_encrypted_credential_and_the_token_is_nowhere_in_clear(machine, department):
    server, token = department
    kiosk = DeployedKiosk(machine)
    # systemd-creds behind a shim that writes down, while it runs (the kiosk holds the token then), its own
    # arguments and environment and every process's command line and environment.
    record = machine / "record"
    real = subprocess.run(["sh", "-c", "command -v systemd-creds"], capture_output=True, text=True).stdout.strip()
    (machine / "bin").mkdir()
    shim = machine / "bin/systemd-creds"
    shim.write_text(f'#!/bin/sh\n{{ printf "%s\\n" "$@"; env; for p in /proc/[0-9]*; do cat $p/cmdline $p/environ; '
                    f'done; }} >> {record} 2>/dev/null\nexec {real} "$@"\n')
    shim.chmod(0o755)

    result = kiosk.run("configure", "--server", server.url, "--token-stdin", stdin=token + "\n",
                       path=f"{shim.parent}:{os.environ['PATH']}")

    assert result.returncode == 0, result.stderr
    credential = kiosk.credstore / "p2c-kiosk.server-token"
    assert f"stored as the encrypted systemd credential {credential}" in result.stdout
    assert "Restart the kiosk to use the new settings: sudo systemctl restart p2c-kiosk" in result.stdout
    assert "“Lobby North” (number 1)" in result.stdout
    mode = credential.stat()
    assert (stat.S_IMODE(mode.st_mode), mode.st_uid) == (0o600, 0)
    assert sorted(path.name for path in kiosk.credstore.iterdir()) == ["p2c-kiosk.server-token",
                                                                       "p2c-kiosk.storage-key"]  # no .new left
    decrypted = subprocess.run([real, "decrypt", "--name=server-token", str(credential), "-"], capture_output=True,
                               text=True, env={**os.environ, "SYSTEMD_CREDENTIAL_SECRET": str(kiosk.host_key)})
    assert decrypted.stdout == token
    # The address went into kiosk.toml, written as the kiosk's user: its comments, its link, its owner kept.
    text = (kiosk.etc / CONFIG_FILE_NAME).read_text(encoding="utf-8")
    assert f'server_url = "{server.url}"' in text and "# the department's server" in text
    assert (kiosk.home / CONFIG_FILE_NAME).is_symlink()
    written = (kiosk.etc / CONFIG_FILE_NAME).stat()
    assert (written.st_gid, stat.S_IMODE(written.st_mode)) == (kiosk.user.pw_gid, 0o660)
    assert kiosk.roots_files() == []

    # Nowhere in clear: the processes while systemd-creds encrypted it, every file of the machine's folder, the
    # output. (The record holds every process's environment: the scan can find what is there.)
    recorded = record.read_bytes()
    assert b"SYSTEMD_CREDENTIAL_SECRET=" in recorded and b"--with-key=auto" in recorded
    assert token.encode() not in recorded
    files = [path for path in machine.rglob("*") if path.is_file() and token.encode() in path.read_bytes()]
    assert files == []
    assert token not in result.stdout + result.stderr


def test_configure_on_a_deployed_kiosk_without_root_says_to_use_sudo(machine):
    kiosk = DeployedKiosk(machine)
    before = (kiosk.etc / CONFIG_FILE_NAME).read_text(encoding="utf-8")

    result = kiosk.run("configure", "--smtp-password-stdin", stdin=SMTP_PASSWORD + "\n", as_user=True)

    assert result.returncode == 2
    assert "only root may write: run the command with sudo" in result.stderr
    assert SMTP_PASSWORD not in result.stdout + result.stderr
    assert sorted(path.name for path in kiosk.credstore.iterdir()) == ["p2c-kiosk.storage-key"]
    assert (kiosk.etc / CONFIG_FILE_NAME).read_text(encoding="utf-8") == before
    assert list(kiosk.home.iterdir()) == [kiosk.home / CONFIG_FILE_NAME]  # nothing written, not even a log


def test_commands_run_as_root_leave_no_file_of_roots_in_the_kiosks_folders(machine, department):
    server, token = department
    kiosk = DeployedKiosk(machine)

    listed = kiosk.run("list")  # opens (makes) the encrypted database with the key root read from the credential
    assert listed.returncode == 0, listed.stderr
    configured = kiosk.run("configure", "--server", server.url, "--token-stdin", stdin=token + "\n")
    assert configured.returncode == 0, configured.stderr
    doctor = kiosk.run("doctor")
    assert "secrets   storage key, server token present" in doctor.stdout, doctor.stdout
    listed_again = kiosk.run("list")
    assert listed_again.returncode == 0, listed_again.stderr

    made = {path.name for path in kiosk.home.rglob("*")}
    assert {"kiosk.sqlite3", "logs"} <= made, made  # what the commands wrote is there...
    assert kiosk.roots_files() == []  # ...and none of it is root's
    # The service, as the kiosk's user with its credentials as systemd hands them over, works on what they left.
    credentials = machine / "credentials"
    credentials.mkdir()
    subprocess.run(["systemd-creds", "decrypt", "--name=storage-key", str(kiosk.credstore / "p2c-kiosk.storage-key"),
                    str(credentials / "storage-key")], check=True, capture_output=True, timeout=30,
                   env={**os.environ, "SYSTEMD_CREDENTIAL_SECRET": str(kiosk.host_key)})
    os.chown(credentials / "storage-key", kiosk.user.pw_uid, kiosk.user.pw_gid)
    kiosk.env["CREDENTIALS_DIRECTORY"] = str(credentials)
    submitted = kiosk.run("submit", str(FIXTURES / "larceny-bicycle.json"), as_user=True)
    assert submitted.returncode == 0, submitted.stderr


def test_sudo_rekey_writes_the_new_key_as_root_and_leaves_no_file_of_roots(machine):
    """rekey writes credentials (the next key, then the key) while it re-encrypts the data folder: it becomes the
    kiosk's user with a way back to root for the credentials alone."""
    kiosk = DeployedKiosk(machine)
    assert kiosk.run("submit", str(FIXTURES / "larceny-bicycle.json")).returncode == 0
    old_key = (kiosk.credstore / "p2c-kiosk.storage-key").read_bytes()

    rekeyed = kiosk.run("rekey")

    assert rekeyed.returncode == 0, rekeyed.stderr
    assert "Storage key rotated" in rekeyed.stdout
    assert sorted(path.name for path in kiosk.credstore.iterdir()) == ["p2c-kiosk.storage-key"]  # next: promoted
    key = kiosk.credstore / "p2c-kiosk.storage-key"
    assert key.read_bytes() != old_key and (key.stat().st_uid, stat.S_IMODE(key.stat().st_mode)) == (0, 0o600)
    assert kiosk.roots_files() == []
    listed = kiosk.run("list")  # the data opens under the new key
    assert listed.returncode == 0 and listed.stdout.strip(), listed.stderr
