"""A keyring backend kept in a JSON file, for tests that run ``p2c-kiosk`` as a real subprocess: the child process
finds the sync token the way the kiosk always does (through ``keyring``), with

    PYTHON_KEYRING_BACKEND=file_keyring.FileKeyring  PYTHONPATH=tests/sync  P2C_TEST_KEYRING_FILE=/tmp/.../keys.json

``write_token(path, service, user, token)`` prepares the file from the test. Never used outside tests.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend

FILE_ENV = "P2C_TEST_KEYRING_FILE"


def _path() -> Path:
    return Path(os.environ[FILE_ENV])


def _read(path: Path) -> dict[str, str]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def write_token(path: Path, service: str, user: str, token: str) -> None:
    passwords = _read(path)
    passwords[f"{service}\n{user}"] = token
    path.write_text(json.dumps(passwords), encoding="utf-8")


class FileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return _read(_path()).get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        write_token(_path(), service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        passwords = _read(_path())
        passwords.pop(f"{service}\n{username}", None)
        _path().write_text(json.dumps(passwords), encoding="utf-8")
