"""The keyring every test runs with (tests/conftest.py's autouse ``storage_keyring``): a JSON file in a folder of its
own, outside every data folder, so that the kiosk's storage key (kiosk.storage.key) is made and found the way a kiosk
does it, through ``keyring``, both in the test's process and in the ``p2c-kiosk`` processes the test starts, which
find the same file through the environment the run sets:

    PYTHON_KEYRING_BACKEND=storage_keyring.JsonFileKeyring  PYTHONPATH=tests
    P2C_TEST_STORAGE_KEYRING=/tmp/.../keys.json

Plaintext, for tests only (keyrings.alt's file keyring is as plain; neither is ever a kiosk's keyring).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend

FILE_ENV = "P2C_TEST_STORAGE_KEYRING"
BACKEND = "storage_keyring.JsonFileKeyring"


class JsonFileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self, path: Path | None = None) -> None:
        super().__init__()
        self._fixed = path

    @property
    def path(self) -> Path:
        return self._fixed or Path(os.environ[FILE_ENV])

    @property
    def passwords(self) -> dict[tuple[str, str], str]:
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return {tuple(key.split("\n", 1)): value for key, value in stored.items()}  # type: ignore[misc]

    def _write(self, passwords: dict[tuple[str, str], str]) -> None:
        temporary = self.path.with_name(self.path.name + ".new")
        temporary.write_text(json.dumps({f"{s}\n{u}": p for (s, u), p in passwords.items()}), encoding="utf-8")
        os.replace(temporary, self.path)

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._write({**self.passwords, (service, username): password})

    def delete_password(self, service: str, username: str) -> None:
        passwords = self.passwords
        passwords.pop((service, username), None)
        self._write(passwords)


# -- reading an encrypted store as someone holding its key could -------------------------------------------------

PAGE_SIZE = 4096  # SQLCipher 4's default, which the kiosk keeps (docs/encryption.md)
_RESERVE = 80  # per page: a 16-byte IV, then a 64-byte HMAC-SHA512
_SALT = 16  # page 1 begins with the file's salt
_WAL_HEADER, _FRAME_HEADER = 32, 24


def storage_key():
    """The run's storage key (the one every test's store is encrypted under)."""
    from kiosk.storage.key import KeyringKeys

    key = KeyringKeys().current()
    assert key is not None, "no storage key yet: no store has been opened"
    return key


def raw_connection(path, key=None):
    """A sqlcipher3 connection to the database file ``path``, keyed with ``key`` (the run's key by default) and
    nothing more: what someone with a copy of the file and its key could do to it (no triggers of the kiosk's own
    code in between)."""
    from kiosk.storage.encrypt import connect

    return connect(path, key or storage_key())


def decrypted_bytes(path, key=None) -> bytes:
    """The plaintext of every page in the SQLCipher database file or ``-wal`` at ``path`` (a ``-shm`` holds no page
    and is given as it is), decrypted with AES-256-CBC as SQLCipher 4 writes it: the bytes a byte search would see if
    the file were not encrypted, free pages and old page versions in the WAL included."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    raw = (key or storage_key()).raw
    data = Path(path).read_bytes()
    name = Path(path).name

    def page(image: bytes, first: bool) -> bytes:
        iv = image[PAGE_SIZE - _RESERVE:PAGE_SIZE - _RESERVE + 16]
        decryptor = Cipher(algorithms.AES(raw), modes.CBC(iv)).decryptor()
        return decryptor.update(image[_SALT if first else 0:PAGE_SIZE - _RESERVE]) + decryptor.finalize()

    if name.endswith("-shm"):
        return data
    out = []
    if name.endswith("-wal"):
        offset = _WAL_HEADER
        while offset + _FRAME_HEADER + PAGE_SIZE <= len(data):
            number = int.from_bytes(data[offset:offset + 4], "big")
            out.append(page(data[offset + _FRAME_HEADER:offset + _FRAME_HEADER + PAGE_SIZE], number == 1))
            offset += _FRAME_HEADER + PAGE_SIZE
    else:
        for start in range(0, len(data) - PAGE_SIZE + 1, PAGE_SIZE):
            out.append(page(data[start:start + PAGE_SIZE], start == 0))
    return b"".join(out)


def credentials_env() -> dict[str, str]:
    """The environment in which a process finds the run's storage key as a deployed kiosk does, through the systemd
    credentials backend (kiosk.credentials_keyring) reading ``$CREDENTIALS_DIRECTORY/storage-key``: for the
    PyInstaller bundle, which cannot import this module."""
    from kiosk.credentials_keyring import BACKEND_NAME, CREDENTIALS_ENV
    from kiosk.storage.key import KeyringKeys

    folder = Path(os.environ[FILE_ENV]).parent / "credentials"
    folder.mkdir(mode=0o700, exist_ok=True)
    key = folder / "storage-key"
    if not key.exists():
        key.write_text(KeyringKeys().create(folder).as_text(), encoding="utf-8")
        key.chmod(0o400)
    return {"PYTHON_KEYRING_BACKEND": BACKEND_NAME, CREDENTIALS_ENV: str(folder)}
