"""The spool folder: PDFs that did not come out of the printer (receipts, report copies), kept for the desk for
``[printer] spool_keep_hours`` and then removed by :func:`remove_old_spool_files` (they carry access codes and, for
a copy, everything the citizen told the kiosk).

On a kiosk that encrypts its data (``[storage] encryption = "on"``, the default) each file is sealed with the storage
key (AES-256-GCM, :mod:`kiosk.sealed`) before it touches the disk, and named ``....pdf.sealed``: it is opened in
memory only (``Sealer.unseal_file``), and ``p2c-kiosk rekey`` seals it again under a new key."""

from __future__ import annotations

import logging
import os
import re
import stat
import tempfile
import time
from datetime import datetime
from pathlib import Path

from kiosk.sealed import SEALED_SUFFIX, Sealer

log = logging.getLogger(__name__)


def write_spool_file(folder: Path, kind: str, tracking: str, data: bytes, moment: datetime,
                     sealer: Sealer | None = None) -> Path:
    """Write ``data`` as ``<kind>-<tracking>-<local time>.pdf`` into ``folder`` (created readable by the kiosk's
    user only), atomically and on disk before returning: it holds personal data and may be the only copy. With
    ``sealer`` it is sealed first, in memory, and the name ends in ``.pdf.sealed``: nothing in clear reaches the
    disk, not even the temporary of a write cut short."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    suffix = ".pdf" + (SEALED_SUFFIX if sealer is not None else "")
    payload = sealer.seal(data) if sealer is not None else data
    final = folder / f"{kind}-{tracking}-{moment.strftime('%Y%m%dT%H%M%S')}{suffix}"
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{kind}-", suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, final)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return final


# What the kiosk itself writes into the spool folder: finished PDFs (``write_spool_file``'s names, sealed or not) and
# the temporaries of a write that a crash or a power cut interrupted. Anything else in the folder is left alone.
_FINISHED = re.compile(r"(?:receipt|copy)-[A-Za-z0-9-]+-\d{8}T\d{6}\.pdf(?:\.sealed)?")
_TEMPORARY = re.compile(r"\.(?:receipt|copy)-[A-Za-z0-9_]+\.pdf(?:\.sealed)?")
# A write takes well under a second; a temporary this old belongs to a write that will never finish.
TEMPORARY_KEEP_SECONDS = 10 * 60


def remove_old_spool_files(folder: Path, keep_hours: int, now: float | None = None) -> int:
    """Delete the kiosk's spooled PDFs whose last change (mtime) is more than ``keep_hours`` hours before ``now``
    (POSIX seconds; the system clock when None, the clock that stamped the files), and the temporaries of
    interrupted writes older than :data:`TEMPORARY_KEEP_SECONDS`. Returns how many files were removed.

    Only regular files with the kiosk's own names directly in ``folder`` are touched: symbolic links (to anywhere)
    and sub-folders are left as they are, and a ``folder`` that is itself a symbolic link is not entered. Files are
    looked at and unlinked relative to the opened folder, so nothing outside it can be reached by swapping a path
    component meanwhile. A missing folder removes nothing. The log carries counts only, never file names (they
    carry tracking numbers)."""
    now = time.time() if now is None else now
    try:
        directory = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return 0
    except OSError as exc:  # a symbolic link (ELOOP), not a folder, not readable: nothing is removed
        log.warning("spool clean-up: the spool folder cannot be opened (%s); nothing removed", type(exc).__name__)
        return 0
    removed_pdfs = removed_temporaries = failed = 0
    try:
        for name in os.listdir(directory):
            if _FINISHED.fullmatch(name):
                limit, temporary = keep_hours * 3600, False
            elif _TEMPORARY.fullmatch(name):
                limit, temporary = TEMPORARY_KEEP_SECONDS, True
            else:
                continue
            try:
                info = os.stat(name, dir_fd=directory, follow_symlinks=False)
                if not stat.S_ISREG(info.st_mode) or now - info.st_mtime <= limit:
                    continue
                os.unlink(name, dir_fd=directory)  # removes the directory entry; never follows a link
            except FileNotFoundError:  # gone meanwhile (an officer deleted it, or a second run)
                continue
            except OSError:
                failed += 1
                continue
            if temporary:
                removed_temporaries += 1
            else:
                removed_pdfs += 1
    finally:
        os.close(directory)
    if removed_pdfs or removed_temporaries:
        log.info("spool clean-up: removed %d PDF(s) older than %d hour(s) and %d unfinished temporary file(s)",
                 removed_pdfs, keep_hours, removed_temporaries)
    if failed:
        log.warning("spool clean-up: %d old file(s) could not be removed", failed)
    return removed_pdfs + removed_temporaries
