"""SQLCipher files on disk: what a file is (:func:`file_state`), whether a key opens it without touching it
(:func:`key_opens`), and turning a plaintext SQLite file into an encrypted one in place (:func:`encrypt_in_place`),
so that a power cut at any moment leaves either the old file or the new one at its path, never neither. A key
rotation re-encrypts a file the same way (from the old key to the new), rather than with SQLCipher's in-place
``PRAGMA rekey``: that rewrites every page in one transaction whose journal (or WAL) would be replayed after a crash
by whichever key opens the file next, and a file read without its journal then seems to be under the old key.

The steps of :func:`encrypt_in_place`, each named in :data:`STEPS` (a test stops the process at each, with SIGKILL,
through :data:`step_hook`, and starts again):

1. ``folded``: the plaintext file leaves WAL mode, which folds its ``-wal`` into it and removes it (so that no plaintext
   ``-wal`` is left for the encrypted file to meet, and the export reads one self-contained file). Refused while
   another process has the file open.
2. ``exported``: ``sqlcipher_export`` copies every table, index, trigger and row into ``<name>.encrypting`` under
   the key (``exporting`` is reported while it runs).
3. ``checked``: the new file is opened with the key, passes ``PRAGMA quick_check``, has every table with as many rows
   as the old one, and does not begin with SQLite's plaintext header.
4. ``synced``: the new file and the folder are flushed to disk (fsync).
5. ``linked``: a second name, ``<name>.plaintext``, is given to the old file, so that it can be overwritten after the
   swap (not in a key rotation).
6. ``swapped``: ``os.replace`` puts the new file at the path, atomically; the folder is flushed.
7. ``shredded``: the old file, now reachable only as ``<name>.plaintext``, is overwritten with zeros, flushed and
   removed (what this can and cannot promise on flash storage: docs/encryption.md; not in a key rotation).

:func:`finish_interrupted` runs before every open and clears what an interrupted run left: a ``.encrypting`` file is
removed (the old file is still at the path), a ``.plaintext`` name is removed when it is the file at the path (the swap
never happened) and shredded when it is not (the swap happened).
"""

from __future__ import annotations

import contextlib
import enum
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlcipher3 import dbapi2 as sqlcipher  # type: ignore[import-untyped]  # (it ships no type hints)

from kiosk.storage.errors import StoreError
from kiosk.storage.key import StorageKey

log = logging.getLogger(__name__)

PLAINTEXT_HEADER = b"SQLite format 3\x00"
TEMP_SUFFIX = ".encrypting"
OLD_SUFFIX = ".plaintext"
STEPS = ("started", "folded", "exporting", "exported", "checked", "synced", "linked", "swapped", "shredded")

# Called with each step's name as it is reached (``exporting`` many times during the export). Tests set it to stop
# the process there; the kiosk leaves it None.
step_hook: Callable[[str], None] | None = None


class FileState(enum.Enum):
    NEW = "new"  # missing or empty: SQLite starts it afresh
    PLAINTEXT = "plaintext"  # begins with SQLite's header "SQLite format 3"
    ENCRYPTED = "encrypted"  # anything else: SQLCipher's random salt (or a damaged file, which no key opens)


def file_state(path: Path) -> FileState:
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(PLAINTEXT_HEADER))
    except FileNotFoundError:
        return FileState.NEW
    if not head:
        return FileState.NEW
    return FileState.PLAINTEXT if head == PLAINTEXT_HEADER else FileState.ENCRYPTED


def connect(path: Path | str, key: StorageKey | None, *, uri: bool = False) -> sqlcipher.Connection:
    """A connection in autocommit mode, keyed with ``key`` (None: plaintext) before anything is read."""
    connection = sqlcipher.connect(str(path), isolation_level=None, uri=uri)
    if key is not None:
        connection.execute(f'PRAGMA key = "{key.sqlcipher_key()}"')
    return connection


def key_opens(path: Path, key: StorageKey) -> bool:
    """Whether ``key`` decrypts the encrypted file at ``path``. The file is opened read-only and ``immutable``: SQLite
    then takes no lock and reads neither the ``-wal`` nor the ``-shm``, so that a wrong key changes nothing on disk (a
    normal open with a wrong key rewrites the ``-shm``). Only page 1 is read, which SQLCipher authenticates (HMAC)."""
    probe = sqlcipher.connect(f"file:{_uri_path(path)}?mode=ro&immutable=1", uri=True, isolation_level=None)
    try:
        # SQLCipher writes its own "hmac check failed" lines to stderr for a wrong key: the caller says it better.
        level = probe.execute("PRAGMA cipher_log_level").fetchone()[0]
        probe.execute("PRAGMA cipher_log_level = NONE")
        try:
            probe.execute(f'PRAGMA key = "{key.sqlcipher_key()}"')
            probe.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return True
        except sqlcipher.DatabaseError:
            return False
        finally:
            probe.execute(f"PRAGMA cipher_log_level = {level}")
    finally:
        probe.close()


def _uri_path(path: Path) -> str:
    from urllib.parse import quote

    return quote(str(path.absolute()))


def _step(name: str) -> None:
    if step_hook is not None:
        step_hook(name)


def _exporting() -> int:
    _step("exporting")
    return 0  # go on (SQLite's progress handler stops the statement on anything else)


def _companions(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def finish_interrupted(path: Path) -> None:
    """Clear what an interrupted :func:`encrypt_in_place` of ``path`` left beside it (see the module's help)."""
    temp = path.with_name(path.name + TEMP_SUFFIX)
    for leftover in (temp, *_companions(temp)):
        if leftover.exists():
            leftover.unlink()
            log.info("removed an unfinished encrypted copy (%s) left by an interrupted encryption", leftover.name)
    old = path.with_name(path.name + OLD_SUFFIX)
    if not old.exists():
        return
    if path.exists() and os.path.samefile(old, path):
        old.unlink()  # the swap never happened: only the second name goes, the file stays
        _sync_folder(path.parent)
    elif not path.exists():
        os.replace(old, path)  # never reached by encrypt_in_place; a hand-made state: put the file back
        _sync_folder(path.parent)
    else:
        shred(old)


def encrypt_in_place(path: Path, key: StorageKey, *, old_key: StorageKey | None = None) -> None:
    """Turn the plaintext SQLite file at ``path`` into a SQLCipher file under ``key`` (the module's help says how);
    with ``old_key``, the SQLCipher file under ``old_key`` into one under ``key`` (a key rotation: the same steps,
    but the old file, already ciphertext, is simply replaced). Raises StoreError when the file is in use by another
    process or the copy does not check out; the file is then left as it was."""
    _step("started")
    if old_key is None:
        log.warning("encrypting the plaintext database %s (first start of a version that encrypts its data)",
                    path.name)
    temp = path.with_name(path.name + TEMP_SUFFIX)
    source = connect(path, old_key)
    try:
        source.execute("PRAGMA busy_timeout = 2000")
        mode = _fold_wal(source, path)
        _step("folded")
        tables = _row_counts(source, "main")
        if step_hook is not None:  # only for a test that stops the export half-way
            source.set_progress_handler(_exporting, 100)
        source.execute("ATTACH DATABASE ? AS encrypted KEY ?", (str(temp), key.sqlcipher_key()))
        try:
            source.execute("SELECT sqlcipher_export('encrypted')")
            version = source.execute("PRAGMA main.user_version").fetchone()[0]
            source.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        finally:
            source.set_progress_handler(None, 0)
            source.execute("DETACH DATABASE encrypted")
    except sqlcipher.Error as exc:
        raise StoreError(f"cannot encrypt the database {path}: {exc}") from exc
    finally:
        source.close()
    _step("exported")
    _check_copy(temp, key, tables, path)
    _step("checked")
    _fsync(temp)
    _sync_folder(path.parent)
    _step("synced")
    for companion in _companions(path):  # none is left after the fold; an empty -shm may be
        if companion.exists():
            if companion.stat().st_size and companion.name.endswith(("-wal", "-journal")):
                raise StoreError(f"cannot encrypt the database {path}: {companion.name} was written meanwhile")
            companion.unlink()
    if old_key is not None:
        os.replace(temp, path)
        _sync_folder(path.parent)
        _step("swapped")
        return
    old = path.with_name(path.name + OLD_SUFFIX)
    os.link(path, old)
    _sync_folder(path.parent)
    _step("linked")
    os.replace(temp, path)
    _sync_folder(path.parent)
    _step("swapped")
    shred(old)
    _step("shredded")
    log.warning("the database %s is now encrypted (it was in %s mode); its plaintext copy was overwritten and "
                "removed", path.name, mode)


def _fold_wal(connection: sqlcipher.Connection, path: Path) -> str:
    """Leave WAL mode (which folds the -wal into the file and removes it); return the mode the file was in."""
    was = connection.execute("PRAGMA journal_mode").fetchone()[0]
    try:
        now = connection.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlcipher.OperationalError:  # "database is locked": another connection holds it
        now = None
    if now != "delete":
        raise StoreError(f"cannot encrypt the database {path}: another process has it open (stop the kiosk and its "
                         "commands, then start again)")
    return str(was)


def _row_counts(connection: sqlcipher.Connection, schema: str) -> dict[str, int]:
    names = [row[0] for row in connection.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {name: connection.execute(f'SELECT count(*) FROM {schema}."{name}"').fetchone()[0] for name in names}


def _check_copy(temp: Path, key: StorageKey, expected: dict[str, int], path: Path) -> None:
    problem = None
    if file_state(temp) is not FileState.ENCRYPTED:
        problem = "the copy is not encrypted"
    else:
        copy = connect(temp, key)
        try:
            verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
            counts = _row_counts(copy, "main")
        except sqlcipher.Error as exc:
            problem = f"the copy cannot be read ({exc})"
        else:
            if verdict != "ok":
                problem = f"the copy fails its check ({verdict})"
            elif counts != expected:
                problem = "the copy does not have every row"
        finally:
            copy.close()
    if problem is not None:
        for leftover in (temp, *_companions(temp)):
            leftover.unlink(missing_ok=True)
        raise StoreError(f"cannot encrypt the database {path}: {problem}; the plaintext file is kept as it was")


def shred(path: Path) -> None:
    """Overwrite the file at ``path`` with zeros, flush it, remove it and flush its folder. On a disk that writes in
    place (a hard disk, most ext4 set-ups) the old bytes are gone; on flash storage the controller may keep the
    old blocks until it reuses them (docs/encryption.md)."""
    try:
        size = path.stat().st_size
        with open(path, "r+b") as handle:
            block = b"\0" * (1 << 20)
            written = 0
            while written < size:
                written += handle.write(block[: min(len(block), size - written)])
            handle.flush()
            os.fsync(handle.fileno())
    except FileNotFoundError:
        return
    path.unlink(missing_ok=True)
    _sync_folder(path.parent)


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _sync_folder(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def plaintext_files(folder: Path) -> Iterator[Path]:
    """The plaintext SQLite files directly in ``folder`` (the schema migrations' backups of an earlier version)."""
    with contextlib.suppress(FileNotFoundError):
        for entry in sorted(folder.iterdir()):
            if (entry.is_file() and not entry.is_symlink() and not entry.name.endswith((TEMP_SUFFIX, OLD_SUFFIX))
                    and file_state(entry) is FileState.PLAINTEXT):
                yield entry
