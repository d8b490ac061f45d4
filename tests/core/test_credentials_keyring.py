"""The deployed kiosk's keyring backend over systemd credentials (kiosk.credentials_keyring), with real parts:
``systemd-creds --with-key=host`` encrypts and decrypts (its host key is the test's own file, through
SYSTEMD_CREDENTIAL_SECRET), and the service's credentials folder is laid out as systemd lays it out for
LoadCredentialEncrypted= (systemd is not PID 1 here, so the test decrypts into it itself: a 0500 folder of 0400
files named by credential).

A secret is read through ``keyring`` the way the kiosk reads it (PYTHON_KEYRING_BACKEND, kiosk.sync.secrets); a
missing one is None and one clear log line, never a fallback; and the secret is nowhere in clear: not in the
environment or the command line of any of the test's processes, not in the data folder, not in the logs."""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import keyring
import pytest
from keyring.errors import PasswordSetError

from kiosk.config import config_from_mapping
from kiosk.credentials_keyring import (
    BACKEND_NAME,
    CREDENTIAL_IDS,
    SystemdCredentialsKeyring,
    credential_id,
    encrypt_credential,
)
from kiosk.keyring_secrets import KEYRING_SERVICE
from kiosk.notices.secrets import smtp_keyring_user
from kiosk.sync.secrets import sync_keyring_user

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "tok-7Hq2ZfP4-the-department-token"
SERVER = "https://records.example.gov/p2c"


@pytest.fixture
def host_key(tmp_path, monkeypatch):
    """systemd-creds with a host key of the test's own (it makes the file on first use; root only)."""
    if os.geteuid() != 0:
        pytest.skip("systemd-creds --with-key=host makes and reads its host key as root only")
    if subprocess.run(["sh", "-c", "command -v systemd-creds"], capture_output=True).returncode != 0:
        pytest.skip("systemd-creds is not installed (scripts/debian-packages/deploy.txt)")
    path = tmp_path / "credential.secret"
    monkeypatch.setenv("SYSTEMD_CREDENTIAL_SECRET", str(path))
    return path


def service_credentials(folder: Path, encrypted: dict[str, Path]) -> Path:
    """What systemd gives the service for LoadCredentialEncrypted=ID:PATH: each decrypted into FOLDER/ID, 0400,
    in a 0500 folder."""
    folder.mkdir()
    for name, path in encrypted.items():
        subprocess.run(["systemd-creds", "decrypt", f"--name={name}", str(path), str(folder / name)], check=True,
                       capture_output=True, timeout=30)
        (folder / name).chmod(0o400)
    folder.chmod(0o500)
    return folder


def read_in_child(credentials: Path, code: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": BACKEND_NAME, "CREDENTIALS_DIRECTORY": str(credentials), **extra}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=60)


def test_the_kiosk_reads_its_token_through_keyring_from_the_service_credentials(host_key, tmp_path):
    store = tmp_path / "credstore"
    store.mkdir()
    encrypt_credential("server-token", TOKEN, store / "p2c-kiosk.server-token", with_key="host")
    credentials = service_credentials(tmp_path / "credentials", {"server-token": store / "p2c-kiosk.server-token"})

    child = read_in_child(credentials, f"""
        import keyring
        from kiosk.config import config_from_mapping
        from kiosk.sync.secrets import token_from_keyring
        print(type(keyring.get_keyring()).__name__)
        print(token_from_keyring(config_from_mapping({{"sync": {{"server_url": "{SERVER}"}}}}))())
    """)

    assert child.returncode == 0, child.stderr
    assert child.stdout.split() == ["SystemdCredentialsKeyring", TOKEN]


def test_a_missing_credential_is_none_with_one_clear_line_and_no_fallback(tmp_path, caplog):
    credentials = tmp_path / "credentials"
    credentials.mkdir()
    (credentials / "smtp-password").write_text("\n")  # the unit's SetCredential= fallback: the file was missing
    backend = SystemdCredentialsKeyring(credentials_directory=credentials)

    with caplog.at_level(logging.WARNING, logger="kiosk.credentials_keyring"):
        assert backend.get_password(KEYRING_SERVICE, f"sync:{SERVER}") is None
        assert backend.get_password(KEYRING_SERVICE, "smtp:kiosk@mail.example.gov") is None
        assert backend.get_password(KEYRING_SERVICE, "storage-key-next") is None  # absent as a rule: no line

    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 2
    assert "secret server-token missing" in lines[0] and "p2c-kiosk configure --server URL --token-stdin" in lines[0]
    assert "secret smtp-password missing" in lines[1] and "--smtp-password-stdin" in lines[1]
    assert backend.missing() == ["server-token", "smtp-password", "storage-key"]
    # Nothing is ever written from inside the service: no file appears, the refusal says what to do.
    with pytest.raises(PasswordSetError, match="sudo p2c-kiosk configure --server URL --token-stdin"):
        backend.set_password(KEYRING_SERVICE, f"sync:{SERVER}", TOKEN)
    assert sorted(path.name for path in credentials.iterdir()) == ["smtp-password"]


def test_root_writes_an_encrypted_credential_sealed_to_its_name(host_key, tmp_path):
    store = tmp_path / "credstore"
    backend = SystemdCredentialsKeyring(credentials_directory=None, credstore=store)

    backend.set_password(KEYRING_SERVICE, f"sync:{SERVER}", TOKEN)

    written = store / "p2c-kiosk.server-token"
    assert oct(written.stat().st_mode & 0o777) == "0o600"
    assert TOKEN.encode() not in written.read_bytes()
    assert backend.get_password(KEYRING_SERVICE, f"sync:{SERVER}") == TOKEN  # decrypted again, as root
    # The name is sealed in: systemd will not load it under another credential's name.
    wrong = subprocess.run(["systemd-creds", "decrypt", "--name=smtp-password", str(written), "-"],
                           capture_output=True, timeout=30)
    assert wrong.returncode != 0 and TOKEN.encode() not in wrong.stdout
    assert backend.missing() == ["smtp-password", "storage-key"]


def test_root_reads_them_all_before_becoming_the_kiosks_user(host_key, tmp_path):
    """What `sudo p2c-kiosk ...` does before it leaves root: after that, the store cannot be read, the memory can."""
    store = tmp_path / "credstore"
    encrypt_credential("server-token", TOKEN, store / "p2c-kiosk.server-token", with_key="host")
    encrypt_credential("storage-key", "ab" * 32, store / "p2c-kiosk.storage-key", with_key="host")
    backend = SystemdCredentialsKeyring(credentials_directory=None, credstore=store)

    assert backend.prefetch() == ["server-token", "storage-key"]
    for path in store.iterdir():
        path.unlink()
    assert backend.get_password(KEYRING_SERVICE, "storage-key") == "ab" * 32
    assert backend.get_password(KEYRING_SERVICE, f"sync:{SERVER}") == TOKEN
    assert SystemdCredentialsKeyring(credentials_directory=tmp_path).prefetch() == []  # in the service: nothing


def test_each_secret_of_the_kiosk_has_its_credential():
    config = config_from_mapping({"sync": {"server_url": SERVER},
                                  "notices": {"smtp_host": "mail.example.gov", "smtp_username": "kiosk"}})
    assert credential_id(KEYRING_SERVICE, sync_keyring_user(config)) == "server-token"
    assert credential_id(KEYRING_SERVICE, smtp_keyring_user(config)) == "smtp-password"
    assert credential_id(KEYRING_SERVICE, "storage-key") == "storage-key"
    assert credential_id("another-service", sync_keyring_user(config)) is None
    assert credential_id(KEYRING_SERVICE, "something-else") is None
    assert set(CREDENTIAL_IDS) >= {"server-token", "smtp-password", "storage-key"}


def test_keyring_never_picks_it_by_itself(monkeypatch):
    """On a desktop the Secret Service stays the choice, even when this module has been imported."""
    monkeypatch.delenv("CREDENTIALS_DIRECTORY", raising=False)
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    assert not SystemdCredentialsKeyring.viable
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", BACKEND_NAME)
    assert SystemdCredentialsKeyring.viable
    assert BACKEND_NAME == f"{SystemdCredentialsKeyring.__module__}.{SystemdCredentialsKeyring.__qualname__}"


# -- the secret is nowhere in clear --------------------------------------------------------------------------------


def processes_of(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [pid], [pid]
    while frontier:
        children = [child for child, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def places_holding(secret: bytes, pids: list[int], folders: list[Path], texts: dict[str, str]) -> list[str]:
    """Where ``secret`` shows in clear: a process's environment or command line, a file under a folder, a text."""
    found = []
    for pid in pids:
        for part in ("environ", "cmdline"):
            try:
                if secret in Path(f"/proc/{pid}/{part}").read_bytes():
                    found.append(f"/proc/{pid}/{part}")
            except OSError:
                continue
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file() and secret in path.read_bytes():
                found.append(str(path))
    found += [name for name, text in texts.items() if secret.decode() in text]
    return found


def recording_systemd_creds(folder: Path, record: Path) -> Path:
    """systemd-creds itself, behind a shim that first writes down its arguments and environment."""
    folder.mkdir()
    shim = folder / "systemd-creds"
    real = subprocess.run(["sh", "-c", "command -v systemd-creds"], capture_output=True, text=True).stdout.strip()
    shim.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> {record}\nenv >> {record}\nexec {real} "$@"\n')
    shim.chmod(0o755)
    return shim


def test_the_token_is_nowhere_in_clear(host_key, tmp_path, caplog):
    home = tmp_path / "home"  # the kiosk's data folder
    store = tmp_path / "credstore"
    record = tmp_path / "systemd-creds-calls.txt"
    shim = recording_systemd_creds(tmp_path / "bin", record)

    # `sudo p2c-kiosk configure --token-stdin` on a deployed kiosk: keyring -> this backend -> systemd-creds.
    caplog.set_level(logging.DEBUG)
    before = keyring.get_keyring()
    keyring.set_keyring(SystemdCredentialsKeyring(credentials_directory=None, credstore=store, systemd_creds=str(shim)))
    try:
        keyring.set_password(KEYRING_SERVICE, f"sync:{SERVER}", TOKEN)
    finally:
        keyring.set_keyring(before)
    assert record.read_text()  # systemd-creds was called, through the shim

    # The service: systemd decrypts the credential; the kiosk reads it, logs to its data folder, and holds it.
    credentials = service_credentials(tmp_path / "credentials", {"server-token": store / "p2c-kiosk.server-token"})
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import hashlib, pathlib, sys
            from kiosk.config import config_from_mapping
            from kiosk.home import configure_logging
            from kiosk.notices.secrets import smtp_password_from_keyring
            from kiosk.sync.secrets import token_from_keyring
            configure_logging(pathlib.Path({str(home)!r}))
            config = config_from_mapping({{"sync": {{"server_url": "{SERVER}"}},
                                           "notices": {{"smtp_host": "mail.example.gov", "smtp_username": "k"}}}})
            token = token_from_keyring(config)()
            smtp_password_from_keyring(config)()  # missing: a line in the log
            print(hashlib.sha256(token.encode()).hexdigest(), flush=True)
            sys.stdin.read()  # hold the token until the test has looked
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHON_KEYRING_BACKEND": BACKEND_NAME, "CREDENTIALS_DIRECTORY": str(credentials)})
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == hashlib.sha256(TOKEN.encode()).hexdigest()  # it has the token
        pids = processes_of(os.getpid())
        assert child.pid in pids
        found = places_holding(TOKEN.encode(), pids, [home, store],
                               {"systemd-creds' arguments and environment": record.read_text(),
                                "the test's log": caplog.text})
    finally:
        child.communicate(timeout=30)
    assert "secret smtp-password missing" in (home / "logs").joinpath(
        next(path.name for path in (home / "logs").iterdir())).read_text()
    assert found == []

    # The scan can fail: the same token handed to a process in its environment is found there.
    planted = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE,
                               env={**os.environ, "LEAKED": TOKEN})
    try:
        assert places_holding(TOKEN.encode(), processes_of(os.getpid()), [], {}) == [f"/proc/{planted.pid}/environ"]
    finally:
        planted.communicate(timeout=30)
