"""Owner-only files, whatever the umask: the kiosk's data folder and its folders are 0700, its files (the database
with its ``-wal`` and ``-shm``, backups, logs, kiosk.toml) 0600. A start repairs looser modes left by an earlier
version or by hand, with a log line for each (the reference server uses the same for its SQLite file)."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)

FOLDER_MODE = 0o700
FILE_MODE = 0o600
# The database's own companions, which SQLite creates with the main file's mode (tightened with it).
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def tighten(path: Path, mode: int) -> str | None:
    """Take from ``path`` every permission bit ``mode`` does not have; return the log line saying so, or None when
    there was nothing to take (or ``path`` is gone, a symbolic link, or not the process's to change)."""
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(found.st_mode) or found.st_uid != os.geteuid():
        return None
    now = stat.S_IMODE(found.st_mode)
    if not now & ~mode & 0o777:
        return None
    os.chmod(path, now & mode)
    return f"permissions of {path} were {now:04o}, now {now & mode:04o} (owner only)"


def tighten_logged(path: Path, mode: int) -> None:
    line = tighten(path, mode)
    if line is not None:
        log.warning("%s", line)


def private_folder(path: Path) -> list[str]:
    """Create ``path`` (its missing parents too) owner-only, or tighten it; return the repairs' log lines."""
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    line = tighten(path, FOLDER_MODE)
    return [line] if line else []


def database_files(path: Path) -> list[Path]:
    return [path, *(path.with_name(path.name + suffix) for suffix in SQLITE_COMPANIONS)]


def tighten_database(path: Path) -> None:
    """The SQLite file at ``path`` and its companions owner-only (logged when they were not)."""
    for file in database_files(path):
        tighten_logged(file, FILE_MODE)


def secure_data_folder(home: Path) -> list[str]:
    """The data folder, its folders and their files owner-only (a level down: logs/, backups/, the spool...);
    return the repairs' log lines, for the caller to log once its log file is open."""
    lines = private_folder(home)
    for entry in _entries(home):
        if entry.is_dir() and not entry.is_symlink():
            lines += filter(None, [tighten(entry, FOLDER_MODE)])
            lines += filter(None, (tighten(child, FILE_MODE) for child in _entries(entry)
                                   if child.is_file() and not child.is_symlink()))
        elif entry.is_file() and not entry.is_symlink():
            lines += filter(None, [tighten(entry, FILE_MODE)])
    return lines


def _entries(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError:
        return []
