"""Opening the kiosk database: encrypted with SQLCipher 4 under the storage key, pragmas for durability, models
bound to this file, migrations at start-up (docs/encryption.md)."""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import peewee as pw
from playhouse.sqlcipher_ext import SqlCipherDatabase  # type: ignore[import-untyped]  # (peewee's stubs skip it)

from kiosk.file_modes import private_folder, tighten_database
from kiosk.storage.encrypt import (
    FileState,
    encrypt_in_place,
    file_state,
    finish_interrupted,
    key_opens,
    plaintext_files,
)
from kiosk.storage.errors import StoreError, disk_full
from kiosk.storage.key import KeyringKeys, StorageKey, StorageKeyError
from kiosk.storage.migrations import BACKUP_FOLDER, migrate
from kiosk.storage.models import Models, build_models

log = logging.getLogger(__name__)

# WAL with synchronous=FULL: a transaction is on disk when COMMIT returns, so a tracking number shown after the
# commit survives a power cut. busy_timeout lets a CLI call and the kiosk share the file. (The key comes before any
# of these: playhouse.sqlcipher_ext gives it first.)
PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "full",
    "foreign_keys": 1,
    "busy_timeout": 5000,
}

# The default of open_store's ``key``: the storage key in the system keyring, made there on the first start.
KEYRING: Final = KeyringKeys()

ENCRYPTED_BUT_OFF = ("the database {path} is encrypted, and kiosk.toml says [storage] encryption = \"off\". Remove "
                     "that line (the kiosk then reads the key from the system keyring); the kiosk has not touched "
                     "the file.")
KEY_MISSING = ("the database {path} is encrypted, but the system keyring holds no storage key (p2c-kiosk / "
               "storage-key). The kiosk will not start and has not touched the file. Put the key back from its "
               "backup (docs/encryption.md: `keyring set p2c-kiosk storage-key`, or the kiosk's systemd credential). "
               "Without it the file cannot be read: the department's server has every report this kiosk synced.")
WRONG_KEY = ("the database {path} cannot be decrypted with the storage key in the system keyring (id {key_id}): it "
             "was encrypted under another key, or the file is damaged. The kiosk will not start and has not touched "
             "the file. Put the right key back from its backup (docs/encryption.md), or restore the file from a "
             "backup made under this key.")
ROTATION_INTERRUPTED = ("a key rotation (`p2c-kiosk rekey`) was interrupted: the database {path} is already under "
                        "the new key. Run `p2c-kiosk rekey` again to finish it.")


class _ThreadMark:
    """Kept in a thread's peewee state beside its connection: it dies with the thread's state."""


class KioskDatabase(SqlCipherDatabase):  # type: ignore[misc]  # (an untyped base class)
    """peewee's SQLCipher database (one connection per thread, as peewee keeps them), but a connection whose thread's
    Python state ends without closing it is closed later by another thread, never freed while that state is torn
    down: sqlcipher3 0.6.4 aborts the whole process there ("PyThreadState_Get: the function must be called with the
    GIL held"), which is what happens after every job on a Qt pooled thread (the kiosk window's worker pool; the
    standard library's sqlite3 does not). Such a connection is held until the next connection is opened, or the
    database closed, and closed then."""

    def __init__(self, database: str, **kwargs: object) -> None:
        # The orphans are closed from another thread than their own; peewee still gives each thread its own.
        super().__init__(database, check_same_thread=False, **kwargs)
        self._guard = threading.Lock()
        self._open: dict[int, tuple[Any, weakref.ref[_ThreadMark]]] = {}
        self._orphans: list[Any] = []

    def _connect(self) -> Any:
        self.close_orphans()
        connection = super()._connect()
        mark = _ThreadMark()
        self._state.p2c_mark = mark  # this thread's state: freed with it
        key = id(connection)

        def orphaned(_gone: object) -> None:  # runs while the thread's state is torn down: no closing here
            with self._guard:
                entry = self._open.pop(key, None)
                if entry is not None:
                    self._orphans.append(entry[0])

        with self._guard:
            self._open[key] = (connection, weakref.ref(mark, orphaned))
        return connection

    def _close(self, conn: Any) -> None:
        with self._guard:
            self._open.pop(id(conn), None)
        super()._close(conn)

    def close_orphans(self) -> int:
        """Close the connections whose threads ended without closing them; return how many."""
        with self._guard:
            orphans, self._orphans = self._orphans, []
        for connection in orphans:
            connection.close()
        return len(orphans)

    def close(self) -> bool:
        self.close_orphans()
        return bool(super().close())


class RotationInterrupted(StorageKeyError):
    """The database opens only with the key a rotation was moving to (kiosk.storage.rekey finishes it)."""


@dataclass
class Store:
    db: pw.SqliteDatabase
    models: Models
    path: Path | None
    key: StorageKey | None = None  # None: a plaintext store ([storage] encryption = "off")

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()


def open_store(path: Path | str, now: Callable[[], datetime] | None = None, *,
               key: StorageKey | KeyringKeys | None = KEYRING) -> Store:
    """Open (creating if needed) the database at ``path`` and migrate it to the latest schema.

    ``key``: where the storage key comes from. The default, the system keyring (:data:`KEYRING`): a new file is
    encrypted under the keyring's key (made and stored on the first start); a plaintext file of an earlier version
    is encrypted in place first (kiosk.storage.encrypt), and so are plaintext backups beside it; an encrypted file
    must open with the keyring's key. A :class:`StorageKey`: that key, the same way. None: a plaintext file
    (``[storage] encryption = "off"``); an encrypted file is then refused.

    Raises :class:`StorageKeyError` (a StoreError) when the key cannot be had or does not open the file; the file
    is then unchanged, byte for byte. Other StoreErrors: the file cannot be opened or migrated."""
    clock = now or (lambda: datetime.now(UTC))
    file_path = None if str(path) == ":memory:" else Path(path)
    chosen: StorageKey | None
    if file_path is None:
        chosen = key if isinstance(key, StorageKey) else None
    else:
        for line in private_folder(file_path.parent):
            log.warning("%s", line)
        if key is None:
            if file_state(file_path) is FileState.ENCRYPTED:
                raise StorageKeyError(ENCRYPTED_BUT_OFF.format(path=file_path))
            chosen = None
        else:
            try:
                chosen = unlock(file_path, key)
            except OSError as exc:  # a folder where the file should be, no permission, a full disk
                raise (disk_full(exc, file_path.parent)
                       or StoreError(f"cannot open the database {path}: {exc}")) from exc
    db = KioskDatabase(str(path), passphrase=chosen.sqlcipher_key() if chosen else "", pragmas=PRAGMAS)
    try:
        db.connect()
        if file_path is not None:  # SQLite gives the -wal and -shm the main file's mode: owner only, all three
            tighten_database(file_path)
        migrate(db, file_path, clock, chosen)
    except (pw.DatabaseError, OSError) as exc:
        db.close()
        full = disk_full(exc, file_path.parent) if file_path is not None else None
        if full is not None:
            raise full from exc
        if isinstance(exc, OSError):  # not a full disk: as before, the caller sees the OSError itself
            raise
        raise StoreError(f"cannot open the database {path}: {exc}") from exc
    return Store(db=db, models=build_models(db), path=file_path, key=chosen)


def unlock(path: Path, keys: StorageKey | KeyringKeys) -> StorageKey:
    """The key the database at ``path`` is (or, new or plaintext, will be) encrypted under, after finishing what an
    interrupted encryption left and encrypting a plaintext file and plaintext backups in place."""
    finish_interrupted(path)
    backups = path.parent / BACKUP_FOLDER
    _finish_interrupted_in(backups)
    state = file_state(path)
    if state is FileState.ENCRYPTED:
        key = _key_that_opens(path, keys)
    else:
        key = keys if isinstance(keys, StorageKey) else (keys.current() or keys.create(path.parent))
        if state is FileState.PLAINTEXT:
            encrypt_in_place(path, key)
    for backup in plaintext_files(backups):
        encrypt_in_place(backup, key)
    return key


def _opens(path: Path, key: StorageKey) -> bool:
    """Whether ``key`` opens the file; a refusal is checked twice more, a moment apart: the read-only check reads
    page 1 without a lock, and another process's checkpoint may be rewriting it at that instant."""
    for attempt in range(3):
        if key_opens(path, key):
            return True
        if attempt < 2:
            time.sleep(0.05)
    return False


def _key_that_opens(path: Path, keys: StorageKey | KeyringKeys) -> StorageKey:
    if isinstance(keys, StorageKey):
        if not _opens(path, keys):
            raise StorageKeyError(WRONG_KEY.format(path=path, key_id=keys.key_id))
        return keys
    current = keys.current()
    if current is not None and _opens(path, current):
        return current
    upcoming = keys.next()
    if upcoming is not None and key_opens(path, upcoming):
        raise RotationInterrupted(ROTATION_INTERRUPTED.format(path=path))
    if current is None:
        raise StorageKeyError(KEY_MISSING.format(path=path))
    raise StorageKeyError(WRONG_KEY.format(path=path, key_id=current.key_id))


def _finish_interrupted_in(folder: Path) -> None:
    from kiosk.storage.encrypt import OLD_SUFFIX, TEMP_SUFFIX

    try:
        names = [entry.name for entry in folder.iterdir()]
    except FileNotFoundError:
        return
    for name in names:
        for suffix in (TEMP_SUFFIX, OLD_SUFFIX):
            if name.endswith(suffix):
                finish_interrupted(folder / name[: -len(suffix)])
