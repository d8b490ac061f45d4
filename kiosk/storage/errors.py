"""The store's one error, in a module without peewee so that callers can name it without importing the database
layer (the kiosk window opens the database only after its first paint).

A write refused because the disk is full is a :class:`DiskFull` (a StoreError) whose message says so plainly, with
the space left: :func:`disk_full` recognises one in any exception's chain. SQLite reports a full disk as
SQLITE_FULL ("database or disk is full") but, when the write that fails is to the WAL or its index, often as
SQLITE_IOERR ("disk I/O error"); the latter is read as a full disk only when the folder's file system has (almost)
no space left."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Final

# SQLite's primary result codes (the low byte of an extended code).
SQLITE_IOERR: Final = 10
SQLITE_FULL: Final = 13
# A "disk I/O error" with less than this free on the database's file system is taken for a full disk: SQLite
# needs room for a few pages of WAL and its index to write anything at all.
NEARLY_FULL_BYTES: Final = 256 * 1024


class StoreError(Exception):
    """The database could not be read or written (disk full, file locked, corrupt)."""


class DiskFull(StoreError):
    """A write failed because the file system holding the data folder is full."""

    def __init__(self, folder: Path, free_bytes: int | None) -> None:
        free = "no space" if free_bytes is None else f"{free_bytes // 1024} KiB"
        super().__init__(f"the disk is full ({free} free at {folder}): free space and try again")
        self.folder = folder
        self.free_bytes = free_bytes


def free_bytes(folder: Path) -> int | None:
    """Bytes free to this process on the file system of ``folder`` (or its nearest existing parent); None when it
    cannot be told."""
    import shutil  # here: with bz2 and lzma behind it, ~3 ms at every start, for an error that seldom comes

    for place in (folder, *folder.parents):
        try:
            return shutil.disk_usage(place).free
        except OSError:
            continue
    return None


def disk_full(error: BaseException, folder: Path) -> DiskFull | None:
    """A :class:`DiskFull` for ``folder`` when ``error`` (or any exception it was raised from or while handling) says
    the disk is full; None otherwise."""
    full, io_error = _reasons(error)
    if not (full or io_error):
        return None
    free = free_bytes(folder)
    if full or (free is not None and free < NEARLY_FULL_BYTES):
        return error if isinstance(error, DiskFull) else DiskFull(folder, free)
    return None


def _reasons(error: BaseException) -> tuple[bool, bool]:
    """(a full disk is named, an I/O error is named) anywhere in ``error``'s chain."""
    full = io_error = False
    seen: set[int] = set()
    pending: list[BaseException] = [error]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, DiskFull):
            return True, False
        if isinstance(current, OSError) and current.errno in (errno.ENOSPC, errno.EDQUOT):
            full = True
        code = getattr(current, "sqlite_errorcode", None)
        text = str(current)
        if (isinstance(code, int) and code & 0xFF == SQLITE_FULL) or "database or disk is full" in text:
            full = True
        if (isinstance(code, int) and code & 0xFF == SQLITE_IOERR) or "disk I/O error" in text:
            io_error = True
        pending.extend(e for e in (current.__cause__, current.__context__) if e is not None)
        pending.extend(arg for arg in current.args if isinstance(arg, BaseException))
    return full, io_error
