"""Rotating the storage key (``p2c-kiosk rekey``, kiosk/cli_rekey.py): the database, the backups and the spool
folder's sealed files move to a new random key, and the audit log says so (docs/encryption.md).

The order, chosen so that a power cut at any point leaves a key in the keyring that opens the database:

1. The new key is stored in the keyring beside the old one (``storage-key-next``) and read back.
2. The database is re-encrypted under the new key into a new file, checked, flushed and swapped in atomically
   (:func:`kiosk.storage.encrypt.encrypt_in_place`). This needs the database to itself: a kiosk or a command that
   has it open makes the rotation stop here, with nothing changed. From this step on the database opens only with the
   new key; a kiosk that starts now finds it under ``storage-key-next`` and finishes steps 4 and 5 before it opens
   the store (:func:`finish_rotation`).
3. ``storage_key_rotated`` is written to the audit log (the ids of the old and new key, never the keys).
4. Each backup is re-encrypted the same way, and each sealed file in the spool folder sealed again under the new key
   (each replaced atomically; one already under the new key is skipped, so doing it again finishes it).
5. The new key replaces the old one (``storage-key``) and ``storage-key-next`` is removed. The old key is gone.

The key is swapped in the keyring only after the database is re-keyed: swapped earlier, a crash would leave the
keyring's key unable to open the database.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from kiosk.audit import AuditLog
from kiosk.clock import Clock
from kiosk.home import DATABASE_FILE_NAME, SPOOL_FOLDER
from kiosk.sealed import Sealer, reseal_folder
from kiosk.storage.database import KEYRING, open_store
from kiosk.storage.encrypt import OLD_SUFFIX, TEMP_SUFFIX, encrypt_in_place, key_opens
from kiosk.storage.key import KeyringKeys, StorageKey, StorageKeyError
from kiosk.storage.migrations import BACKUP_FOLDER

log = logging.getLogger(__name__)

KEY_ROTATED = "storage_key_rotated"
ROTATION_FINISHED = "storage_key_rotation_finished"
SYSTEM_ACTOR = "system"


@dataclass(frozen=True)
class Rotation:
    old_key_id: str | None  # None: the old key was gone (an interrupted rotation finished without it)
    new_key_id: str
    backups: int  # backups re-encrypted
    spool_files: int  # sealed spool files sealed again


def rotate_key(home: Path, clock: Clock, actor: str, keys: KeyringKeys = KEYRING) -> Rotation:
    """Rotate the storage key of the data folder ``home`` (the module's help says in which order). Raises
    :class:`kiosk.storage.database.RotationInterrupted` when an earlier rotation is unfinished (finish it with
    :func:`finish_rotation`), StoreError when the database is in use or cannot be re-encrypted (nothing changed then
    but a waiting ``storage-key-next``, which the next rotation replaces)."""
    path = home / DATABASE_FILE_NAME
    store = open_store(path, clock.now, key=keys)
    old = store.key
    store.close()
    if old is None:  # never: the keyring's store is encrypted
        raise StorageKeyError("the database is not encrypted; there is no key to rotate")
    new = StorageKey.generate()
    keys.put_next(new)
    encrypt_in_place(path, new, old_key=old)
    store = open_store(path, clock.now, key=new)
    try:
        AuditLog(store, clock).record(actor, KEY_ROTATED, "", old_key=old.key_id, new_key=new.key_id)
    finally:
        store.close()
    backups, spool_files = _move_files(home, old, new)
    keys.promote_next(new)
    log.warning("storage key rotated from id %s to id %s (%d backup(s), %d spooled file(s)); back up the new key",
                old.key_id, new.key_id, backups, spool_files)
    return Rotation(old.key_id, new.key_id, backups, spool_files)


def finish_rotation(home: Path, clock: Clock, keys: KeyringKeys = KEYRING) -> Rotation:
    """Finish a rotation interrupted after the database moved to the new key (steps 4 and 5), and say so in the audit
    log. Raises StorageKeyError when there is none to finish."""
    path = home / DATABASE_FILE_NAME
    new, old = keys.next(), keys.current()
    if new is None or not key_opens(path, new):
        raise StorageKeyError("there is no interrupted key rotation to finish")
    if old is None:
        log.warning("finishing a key rotation without the old key: backups and spooled files under it stay "
                    "unreadable")
    backups, spool_files = _move_files(home, old, new)
    store = open_store(path, clock.now, key=new)
    try:
        AuditLog(store, clock).record(SYSTEM_ACTOR, ROTATION_FINISHED, "", old_key=old.key_id if old else None,
                                      new_key=new.key_id, backups=backups, spool_files=spool_files)
    finally:
        store.close()
    keys.promote_next(new)
    log.warning("an interrupted storage key rotation was finished (new key id %s)", new.key_id)
    return Rotation(old.key_id if old else None, new.key_id, backups, spool_files)


def _move_files(home: Path, old: StorageKey | None, new: StorageKey) -> tuple[int, int]:
    backups = 0
    folder = home / BACKUP_FOLDER
    if folder.is_dir():
        for backup in sorted(folder.iterdir()):
            if (backup.name.endswith((TEMP_SUFFIX, OLD_SUFFIX, "-wal", "-shm", "-journal")) or not backup.is_file()
                    or key_opens(backup, new)):
                continue
            if old is not None and key_opens(backup, old):
                encrypt_in_place(backup, new, old_key=old)
                backups += 1
            else:
                log.warning("the backup %s opens with neither the old nor the new key; left as it is", backup.name)
    spool_files = reseal_folder(home / SPOOL_FOLDER, Sealer(old) if old else Sealer(new), Sealer(new))
    return backups, spool_files
