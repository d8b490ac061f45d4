"""A full disk (issue 16, part 3): ``p2c-kiosk submit`` on a data folder whose file system is full exits 2 with one
line that says the disk is full and how much is left, whether SQLite called it "database or disk is full" or, with
16 KiB or less free, "disk I/O error"; Python's "--- Logging error ---" never reaches the terminal; nothing is
stored half-way. The file system is a real 1 MiB tmpfs mounted for the test (the tests run as root)."""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import load_sample

from kiosk.crash_log import FaultTracingLogHandler, log_write_failures
from kiosk.storage.errors import DiskFull, StoreError, disk_full


@pytest.fixture
def small_disk(tmp_path):
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(mount_point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a 1 MiB tmpfs here (needs root): {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def kiosk(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "p2c_kiosk", "--home", str(home), *args], input=stdin,
                          capture_output=True, text=True, timeout=120)


def fill(disk: Path, leave_kib: int) -> Path:
    filler = disk / "filler"
    free_kib = shutil.disk_usage(disk).free // 1024
    with filler.open("wb") as out:
        out.write(b"\0" * ((free_kib - leave_kib) * 1024))
    assert shutil.disk_usage(disk).free // 1024 == leave_kib
    return filler


# 64 KiB: SQLite says "database or disk is full" as the report is committed; 8 and 16 KiB: "disk I/O error" as the
# database is opened (the WAL index cannot grow).
@pytest.mark.parametrize("leave_kib", [64, 16, 8])
def test_submit_on_a_full_disk_says_so_in_one_line(small_disk, leave_kib):
    home = small_disk / "home"
    report = json.dumps(load_sample("lost-wallet"))
    first = kiosk(home, "submit", "-", stdin=report)
    assert first.returncode == 0, first.stderr
    filler = fill(small_disk, leave_kib)

    refused = kiosk(home, "submit", "-", stdin=report)

    assert (refused.returncode, refused.stdout) == (2, "")
    assert "Logging error" not in refused.stderr and "Traceback" not in refused.stderr
    assert refused.stderr.splitlines() == [
        f"p2c-kiosk: the disk is full (0 KiB free at {home}): free space and try again"], refused.stderr
    filler.unlink()
    listed = kiosk(home, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [json.loads(line)["tracking_number"] for line in listed.stdout.splitlines()] == [
        first.stdout.split()[-1]]  # the first report alone: nothing of the refused one was stored
    again = kiosk(home, "submit", "-", stdin=report)
    assert again.returncode == 0, again.stderr  # with space freed, the next submit goes in


def test_a_log_line_the_full_disk_refuses_is_counted_not_printed(small_disk, capfd):
    handler = FaultTracingLogHandler(small_disk / "kiosk.log", encoding="utf-8")
    logger = logging.getLogger("test_disk_full.refused")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        fill(small_disk, 0)
        before = log_write_failures().count
        logger.error("%s", "x" * 8192)  # more than the file's buffer: written (and refused) at once
        after = log_write_failures()
    finally:
        logger.removeHandler(handler)
        handler.close()
    assert after.count == before + 1 and after.last_error == os.strerror(errno.ENOSPC)
    assert capfd.readouterr().err == ""


def test_what_is_and_is_not_a_full_disk(tmp_path):
    assert isinstance(disk_full(OSError(errno.ENOSPC, "No space left on device"), tmp_path), DiskFull)
    wrapped = StoreError("the report could not be stored")
    wrapped.__cause__ = RuntimeError("database or disk is full")
    assert isinstance(disk_full(wrapped, tmp_path), DiskFull)
    # An I/O error with plenty of room is something else (a failing disk): not called a full disk.
    assert shutil.disk_usage(tmp_path).free > 1024 * 1024
    assert disk_full(RuntimeError("disk I/O error"), tmp_path) is None
    assert disk_full(StoreError("database is locked"), tmp_path) is None
    assert disk_full(OSError(errno.EACCES, "Permission denied"), tmp_path) is None
