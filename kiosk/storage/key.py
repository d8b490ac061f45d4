"""The storage key: 32 random bytes that encrypt everything personal the kiosk keeps at rest (docs/encryption.md).

- the database, ``kiosk.sqlite3`` with its ``-wal``: SQLCipher 4, given this key as a raw key (``x'<64 hex>'``), so
  that opening skips the slow passphrase derivation;
- the copies taken before a schema migration (``backups/``): SQLCipher files under the same key;
- the receipts and report copies waiting in ``spool/``: AES-256-GCM (:mod:`kiosk.sealed`).

The key is made on the first start (:mod:`secrets`) and kept through ``keyring``, like the kiosk's other secrets
(service ``p2c-kiosk``, user :data:`KEY_USER`): Secret Service on a desktop, a systemd credential on a deployed kiosk.
It is never written to a file in clear, to the environment or to a log: :class:`StorageKey`'s ``repr`` shows only its
id, a hash that names the key without revealing it.

While ``p2c-kiosk rekey`` rotates the key, the new key waits under :data:`NEXT_KEY_USER` (kiosk.storage.rekey says in
which order, so that a crash at any point leaves a key that opens the database).
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import logging
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from kiosk.keyring_secrets import KeyringUnavailable, delete_secret, get_secret, write_secret
from kiosk.storage.errors import StoreError

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

KEY_USER = "storage-key"
NEXT_KEY_USER = "storage-key-next"
KEY_BYTES = 32

WHAT = "storage key"
KEYRING_ADVICE = (
    "The kiosk keeps the key that encrypts its data in the system keyring: on a desktop a running, unlocked Secret "
    "Service (gnome-keyring) reached through the session's D-Bus; on a deployed kiosk its systemd credential "
    "(docs/encryption.md). Start the kiosk where that keyring can be used. On a developer's machine only, "
    '[storage] encryption = "off" in kiosk.toml runs the kiosk without encryption.')


class StorageKeyError(StoreError):
    """The storage key cannot be had or does not open the data: the kiosk refuses to start. The message says why
    and what to do; nothing in the data folder was changed."""


class StorageKey:
    """32 bytes of key material. Compared in constant time; its ``repr`` and ``str`` show only :attr:`key_id`."""

    __slots__ = ("_raw",)

    def __init__(self, raw: bytes) -> None:
        if len(raw) != KEY_BYTES:
            raise ValueError(f"a storage key is {KEY_BYTES} bytes, not {len(raw)}")
        self._raw = bytes(raw)

    @classmethod
    def generate(cls) -> StorageKey:
        return cls(secrets.token_bytes(KEY_BYTES))

    @classmethod
    def from_text(cls, text: str) -> StorageKey:
        """The key as the keyring keeps it (64 hexadecimal digits); ValueError for anything else."""
        try:
            return cls(bytes.fromhex(text.strip()))
        except ValueError:
            raise ValueError(f"a storage key is written as {KEY_BYTES * 2} hexadecimal digits") from None

    @property
    def raw(self) -> bytes:
        return self._raw

    def as_text(self) -> str:
        """The form the keyring keeps: 64 hexadecimal digits."""
        return self._raw.hex()

    def sqlcipher_key(self) -> str:
        """SQLCipher's raw-key form, ``x'<64 hex>'`` (used as is, without the PBKDF2 passphrase derivation)."""
        return f"x'{self._raw.hex()}'"

    @property
    def key_id(self) -> str:
        """16 hexadecimal digits naming this key (a hash: it tells keys apart in the audit log and in a sealed file's
        header, and reveals nothing of the key)."""
        return hashlib.sha256(b"p2c-kiosk storage key id\0" + self._raw).hexdigest()[:16]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StorageKey) and hmac.compare_digest(self._raw, other._raw)

    def __hash__(self) -> int:
        return hash(self.key_id)

    def __repr__(self) -> str:
        return f"StorageKey(id={self.key_id})"

    __str__ = __repr__


class KeyringKeys:
    """The storage key in the system keyring (service ``p2c-kiosk``): :data:`KEY_USER`, and :data:`NEXT_KEY_USER`
    during a rotation. Every method raises :class:`StorageKeyError` when no usable keyring answers.

    ``backend``: the keyring that keeps the key; by default :attr:`default_backend`, and when that is None (always, on
    a kiosk) keyring's own choice (``PYTHON_KEYRING_BACKEND``, else the platform's: Secret Service on Linux). The test
    suite sets :attr:`default_backend` to a keyring of its own, so that a test which puts another keyring in place for
    the SMTP password or the sync token does not take the storage key away with it."""

    default_backend: ClassVar[KeyringBackend | None] = None

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend

    @property
    def backend(self) -> KeyringBackend | None:
        return self._backend or KeyringKeys.default_backend

    def current(self) -> StorageKey | None:
        """The key, or None when the keyring holds none."""
        return self._read(KEY_USER)

    def next(self) -> StorageKey | None:
        """The key a rotation was moving to, or None."""
        return self._read(NEXT_KEY_USER)

    def create(self, lock_folder: Path) -> StorageKey:
        """The key, made now (32 random bytes) and stored if the keyring holds none yet. Two processes starting at
        once agree on one key: the check and the store happen under a lock file in ``lock_folder``, and the key
        is read back from the keyring before it is used (a keyring that does not keep what it is given is refused
        here, before anything is encrypted with the key)."""
        with _locked(lock_folder):
            found = self.current()
            if found is not None:
                return found
            made = StorageKey.generate()
            self._write(KEY_USER, made)
            if self.current() != made:
                raise StorageKeyError("the system keyring did not keep the new storage key (it reads back "
                                      "something else). " + KEYRING_ADVICE)
            log.warning("a new storage key (id %s) was made and stored in the system keyring: back it up "
                        "(docs/encryption.md); without it this kiosk's data cannot be read", made.key_id)
            return made

    def put_next(self, key: StorageKey) -> None:
        self._write(NEXT_KEY_USER, key)
        if self.next() != key:
            raise StorageKeyError("the system keyring did not keep the new storage key. " + KEYRING_ADVICE)

    def promote_next(self, key: StorageKey) -> None:
        """``key`` (the rotation's new key) becomes the key; the waiting copy is removed."""
        self._write(KEY_USER, key)
        if self.current() != key:
            raise StorageKeyError("the system keyring did not keep the new storage key. " + KEYRING_ADVICE)
        self.drop_next()

    def drop_next(self) -> None:
        try:
            delete_secret(NEXT_KEY_USER, WHAT, KEYRING_ADVICE, self.backend)
        except KeyringUnavailable as exc:
            raise StorageKeyError(str(exc)) from exc

    def _read(self, user: str) -> StorageKey | None:
        try:
            text = get_secret(user, WHAT, KEYRING_ADVICE, self.backend)
        except KeyringUnavailable as exc:
            raise StorageKeyError(str(exc)) from exc
        if text is None:
            return None
        try:
            return StorageKey.from_text(text)
        except ValueError:
            raise StorageKeyError(f"the system keyring's entry p2c-kiosk / {user} is not a storage key "
                                  f"({KEY_BYTES * 2} hexadecimal digits). Put the key back from its backup "
                                  "(docs/encryption.md).") from None

    def _write(self, user: str, key: StorageKey) -> None:
        try:
            write_secret(user, key.as_text(), WHAT, "p2c-kiosk run", self.backend)
        except KeyringUnavailable as exc:
            cause = type(exc.__cause__).__name__
            raise StorageKeyError(f"the system keyring cannot keep the {WHAT} ({cause}). {KEYRING_ADVICE}") from exc


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    folder.mkdir(parents=True, exist_ok=True)
    handle = os.open(folder / ".storage-key.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)
