"""Spooled PDFs do not stay for ever: ``printing.spool.remove_old_spool_files`` removes the kiosk's receipts and
report copies older than ``[printer] spool_keep_hours`` and the temporaries of interrupted writes, on real files
aged with ``os.utime``, and touches nothing else (other files, sub-folders, symbolic links, a linked folder)."""

from __future__ import annotations

import logging
import os
import time
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.config import ConfigError, PrinterConfig, config_from_mapping, read_config_file
from kiosk.sealed import Sealer
from kiosk.storage.key import StorageKey
from printing.spool import TEMPORARY_KEEP_SECONDS, remove_old_spool_files, write_spool_file

HOUR = 3600
NOW = 1_800_000_000.0  # a fixed "now" in POSIX seconds; files are aged relative to it
MOMENT = datetime(2026, 11, 24, 12, 0, 0)


def aged(path: Path, seconds: float, now: float = NOW) -> Path:
    """Give ``path`` an mtime ``seconds`` before ``now`` (without following a symbolic link)."""
    os.utime(path, (now - seconds, now - seconds), follow_symlinks=False)
    return path


def spooled(folder: Path, kind: str, tracking: str, age_seconds: float) -> Path:
    return aged(write_spool_file(folder, kind, tracking, b"%PDF-1.4 personal data", MOMENT), age_seconds)


def test_receipts_and_copies_older_than_the_keep_time_are_removed_and_newer_ones_kept(tmp_path):
    spool = tmp_path / "spool"
    old_receipt = spooled(spool, "receipt", "T26-01-00042-1", 73 * HOUR)
    old_copy = spooled(spool, "copy", "T26-01-00043-9", 200 * HOUR)
    fresh_receipt = spooled(spool, "receipt", "T26-01-00044-7", 71 * HOUR)
    fresh_copy = spooled(spool, "copy", "T26-01-00045-2", 60)
    just_at_the_limit = spool / "receipt-T26-01-00046-0-20261124T120001.pdf"
    just_at_the_limit.write_bytes(b"%PDF")
    aged(just_at_the_limit, 72 * HOUR)

    assert remove_old_spool_files(spool, 72, now=NOW) == 2

    assert not old_receipt.exists() and not old_copy.exists()
    assert fresh_receipt.exists() and fresh_copy.exists() and just_at_the_limit.exists()


def test_the_keep_time_is_the_one_given(tmp_path):
    spool = tmp_path / "spool"
    two_hours = spooled(spool, "receipt", "T26-01-00042-1", 2 * HOUR + 1)
    half_hour = spooled(spool, "copy", "T26-01-00043-9", HOUR // 2)
    assert remove_old_spool_files(spool, 1, now=NOW) == 1
    assert not two_hours.exists() and half_hour.exists()


def test_without_a_time_given_the_system_clock_measures_the_age(tmp_path):
    spool = tmp_path / "spool"
    now = time.time()
    old = aged(write_spool_file(spool, "receipt", "T26-01-00042-1", b"%PDF", MOMENT), 73 * HOUR, now)
    fresh = write_spool_file(spool, "copy", "T26-01-00043-9", b"%PDF", MOMENT)
    assert remove_old_spool_files(spool, 72) == 1
    assert not old.exists() and fresh.exists()


def test_temporaries_of_interrupted_writes_go_after_a_few_minutes(tmp_path):
    spool = tmp_path / "spool"
    spool.mkdir()
    stale = [spool / ".receipt-k3j_9x2a.pdf", spool / ".copy-ab12cd34.pdf"]
    for path in stale:
        path.write_bytes(b"%PDF")
        aged(path, TEMPORARY_KEEP_SECONDS + 5)
    writing_now = spool / ".receipt-zz99yy88.pdf"
    writing_now.write_bytes(b"%PDF")
    aged(writing_now, 30)

    assert remove_old_spool_files(spool, 72, now=NOW) == 2
    assert not any(path.exists() for path in stale)
    assert writing_now.exists(), "a write that may still be going on is left alone"


def test_sealed_documents_and_their_temporaries_go_the_same_way(tmp_path):
    spool = tmp_path / "spool"
    sealer = Sealer(StorageKey.generate())
    old = aged(write_spool_file(spool, "receipt", "T26-01-00042-1", b"%PDF", MOMENT, sealer), 73 * HOUR)
    fresh = aged(write_spool_file(spool, "copy", "T26-01-00043-9", b"%PDF", MOMENT, sealer), HOUR)
    assert old.name.endswith(".pdf.sealed") and fresh.name.endswith(".pdf.sealed")
    stale, writing_now = spool / ".copy-ab12cd34.pdf.sealed", spool / ".receipt-zz99yy88.pdf.sealed"
    for path, age in ((stale, TEMPORARY_KEEP_SECONDS + 5), (writing_now, 30)):
        path.write_bytes(b"sealed bytes")
        aged(path, age)
    assert remove_old_spool_files(spool, 72, now=NOW) == 2
    assert not old.exists() and not stale.exists() and fresh.exists() and writing_now.exists()


def test_files_the_kiosk_did_not_write_are_left_alone(tmp_path):
    spool = tmp_path / "spool"
    spool.mkdir()
    others = [spool / name for name in ("notes.txt", "receipt-T26-01-00042-1.txt", "scan.pdf", "README",
                                        "receipt-T26-01-00042-1-20261124T120000.pdf.bak", ".hidden.pdf")]
    for path in others:
        path.write_bytes(b"keep me")
        aged(path, 1000 * HOUR)
    folder = spool / "copy-T26-01-00042-1-20261124T120000.pdf"  # a folder with a spool file's name
    folder.mkdir()
    (folder / "inside.pdf").write_bytes(b"keep me")
    aged(folder, 1000 * HOUR)

    assert remove_old_spool_files(spool, 72, now=NOW) == 0
    assert all(path.exists() for path in others)
    assert (folder / "inside.pdf").exists()


def test_symbolic_links_are_never_followed_out_of_the_folder(tmp_path):
    spool = tmp_path / "spool"
    spool.mkdir()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    precious = outside / "receipt-T26-01-00042-1-20261124T120000.pdf"
    precious.write_bytes(b"not the kiosk's")
    aged(precious, 1000 * HOUR)
    link = spool / "receipt-T26-01-00042-1-20261124T120000.pdf"
    link.symlink_to(precious)
    aged(link, 1000 * HOUR)
    temporary_link = spool / ".copy-abcd1234.pdf"
    temporary_link.symlink_to(outside)
    aged(temporary_link, 1000 * HOUR)

    assert remove_old_spool_files(spool, 72, now=NOW) == 0
    assert precious.read_bytes() == b"not the kiosk's"
    assert link.is_symlink() and temporary_link.is_symlink()


def test_a_spool_folder_that_is_a_symbolic_link_is_not_entered(tmp_path, caplog):
    elsewhere = tmp_path / "elsewhere"
    old = spooled(elsewhere, "receipt", "T26-01-00042-1", 1000 * HOUR)
    spool = tmp_path / "spool"
    spool.symlink_to(elsewhere, target_is_directory=True)
    with caplog.at_level(logging.WARNING, logger="printing.spool"):
        assert remove_old_spool_files(spool, 72, now=NOW) == 0
    assert old.exists()
    assert "cannot be opened" in caplog.text


def test_a_missing_spool_folder_removes_nothing(tmp_path):
    assert remove_old_spool_files(tmp_path / "spool", 72, now=NOW) == 0
    assert not (tmp_path / "spool").exists()


def test_the_log_carries_counts_and_never_a_tracking_number(tmp_path, caplog):
    spool = tmp_path / "spool"
    spooled(spool, "receipt", "T26-01-00042-1", 100 * HOUR)
    spooled(spool, "copy", "T26-01-00043-9", 100 * HOUR)
    (spool / ".copy-ab12cd34.pdf").write_bytes(b"%PDF")
    aged(spool / ".copy-ab12cd34.pdf", HOUR)
    with caplog.at_level(logging.DEBUG, logger="printing.spool"):
        assert remove_old_spool_files(spool, 72, now=NOW) == 3
    assert "removed 2 PDF(s) older than 72 hour(s) and 1 unfinished temporary file(s)" in caplog.text
    for secret in ("T26", "00042", "00043", "ab12cd34", str(spool)):
        assert secret not in caplog.text


def test_nothing_is_logged_when_nothing_is_old(tmp_path, caplog):
    spool = tmp_path / "spool"
    spooled(spool, "receipt", "T26-01-00042-1", HOUR)
    with caplog.at_level(logging.DEBUG, logger="printing.spool"):
        assert remove_old_spool_files(spool, 72, now=NOW) == 0
    assert caplog.text == ""


def test_a_file_that_cannot_be_removed_is_counted_in_a_warning_and_the_rest_go_on(tmp_path, caplog):
    if os.geteuid() == 0:
        # root may unlink anywhere: the refusal is made real by running the same function as an unprivileged user.
        _cannot_remove_as_another_user()
        return
    spool = tmp_path / "spool"
    old = spooled(spool, "receipt", "T26-01-00042-1", 100 * HOUR)
    spool.chmod(0o500)  # listable, but no entry can be removed
    try:
        with caplog.at_level(logging.WARNING, logger="printing.spool"):
            assert remove_old_spool_files(spool, 72, now=NOW) == 0
    finally:
        spool.chmod(0o700)
    assert old.exists()
    assert "1 old file(s) could not be removed" in caplog.text


def _cannot_remove_as_another_user() -> None:
    """As root: a spool folder owned by root that `nobody` may read but not change, cleaned by `nobody` through the
    system Python (printing/spool.py uses the standard library only, loaded from its file)."""
    import shutil
    import subprocess
    import tempfile

    import printing.spool

    runuser = shutil.which("runuser")
    if runuser is None or not Path("/usr/bin/python3").exists():
        pytest.fail("running as root needs runuser and /usr/bin/python3 to make the refusal real")
    base = Path(tempfile.mkdtemp(prefix="p2c-spool-"))
    try:
        base.chmod(0o755)
        spool = base / "spool"
        old = spooled(spool, "receipt", "T26-01-00042-1", 100 * HOUR)
        spool.chmod(0o755)  # owned by root: `nobody` can list it but remove nothing
        code = (
            "import importlib.util, logging, sys; "
            "logging.basicConfig(stream=sys.stdout, level=logging.WARNING, format='%(message)s'); "
            f"spec = importlib.util.spec_from_file_location('spool', {str(Path(printing.spool.__file__))!r}); "
            "spool = importlib.util.module_from_spec(spec); spec.loader.exec_module(spool); "
            f"print('removed', spool.remove_old_spool_files(__import__('pathlib').Path({str(spool)!r}), 72, "
            f"now={NOW!r}))"
        )
        result = subprocess.run([runuser, "-u", "nobody", "--", "/usr/bin/python3", "-c", code],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert "removed 0" in result.stdout
        assert "1 old file(s) could not be removed" in result.stdout
        assert old.exists()
    finally:
        shutil.rmtree(base, ignore_errors=True)


# -- [printer] spool_keep_hours ------------------------------------------------------------------------------------

def test_spooled_pdfs_are_kept_72_hours_by_default():
    assert config_from_mapping({}).printer.spool_keep_hours == 72
    assert PrinterConfig().spool_keep_hours == 72


def test_the_keep_time_is_read_from_the_file(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text("[printer]\nspool_keep_hours = 24\n", encoding="utf-8")
    assert read_config_file(path).printer.spool_keep_hours == 24


@pytest.mark.parametrize("value", [0, -1, 721, 1.5, "72", True, 10**9])
def test_a_bad_keep_time_is_refused_by_its_key(value):
    with pytest.raises(ConfigError) as refused:
        config_from_mapping({"printer": {"spool_keep_hours": value}})
    assert str(refused.value).startswith("printer.spool_keep_hours: must be a whole number of hours from 1 to 720")


@pytest.mark.parametrize("value", [1, 720])
def test_the_ends_of_the_range_are_accepted(value):
    assert config_from_mapping({"printer": {"spool_keep_hours": value}}).printer.spool_keep_hours == value
