"""A kiosk of an earlier version (a plaintext kiosk.sqlite3 with reports still in its -wal, plaintext backups, a
plaintext PDF in the spool) is encrypted in place on its first start (kiosk.storage.encrypt). The start is killed
(SIGKILL) at each step of the migration, in a real child process: right after the kill the path holds either the old
database or the new one, with every report; the next start finishes, and then nothing in clear is left."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import NOW, load_sample
from storage_keyring import raw_connection, storage_key

from kiosk.clock import ManualClock
from kiosk.config import config_from_mapping
from kiosk.home import Kiosk
from kiosk.sealed import Sealer
from kiosk.storage.database import open_store
from kiosk.storage.encrypt import OLD_SUFFIX, PLAINTEXT_HEADER, STEPS, TEMP_SUFFIX, connect, file_state
from kiosk.storage.key import KeyringKeys
from kiosk.storage.migrations import backup_file

ROOT = Path(__file__).resolve().parents[2]
REPORTS = 12
MARKER = "Zyxwvutsrq"  # in every report's narrative, the backup's and the spooled PDF

START_KILLED_AT = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    import kiosk.storage.encrypt as encrypt
    from kiosk.storage.database import open_store

    def stop(step):
        if step == sys.argv[2]:
            os.kill(os.getpid(), signal.SIGKILL)

    encrypt.step_hook = stop
    open_store(Path(sys.argv[1]))
    print("finished without being stopped")
""")


@pytest.fixture(scope="module")
def earlier_kiosk(tmp_path_factory) -> Path:
    """A data folder as a version without encryption leaves it after a power cut: half the reports checkpointed into
    kiosk.sqlite3, half only in its -wal; a backup from a schema migration; a receipt PDF in the spool."""
    live = tmp_path_factory.mktemp("live")
    store = open_store(live / "kiosk.sqlite3", key=None)
    service = Kiosk(live, config_from_mapping({}), clock=ManualClock(NOW), store=store, receipt_printer=None).reports
    report = load_sample("lost-wallet")
    report["incident"]["narrative"] += f" {MARKER}"
    for number in range(REPORTS):
        service.submit(report)
        if number == REPORTS // 2:
            store.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            backup_file(store.db, store.path, 3, NOW)
    folder = tmp_path_factory.mktemp("earlier")
    for name in ("kiosk.sqlite3", "kiosk.sqlite3-wal"):  # copied while open: the state a power cut leaves
        shutil.copy2(live / name, folder / name)
    shutil.copytree(live / "backups", folder / "backups")
    (folder / "spool").mkdir(mode=0o700)
    (folder / "spool" / "receipt-T26-01-00001-8-20261124T120000.pdf").write_bytes(f"%PDF-1.4 {MARKER}".encode())
    store.close()
    assert (folder / "kiosk.sqlite3-wal").stat().st_size > 0
    assert file_state(folder / "kiosk.sqlite3").value == "plaintext"
    return folder


def reports_in(path: Path, encrypted: bool) -> int:
    """How many reports the database file at ``path`` holds, read from a copy (the file itself is left as it is)."""
    scratch = path.parent.parent / f"{path.parent.name}-read"
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(path.parent, scratch)
    connection = raw_connection(scratch / path.name) if encrypted else connect(scratch / path.name, None)
    try:
        return connection.execute("SELECT count(*) FROM report").fetchone()[0]
    finally:
        connection.close()
        shutil.rmtree(scratch)


def in_clear(folder: Path) -> list[str]:
    return [str(p.relative_to(folder)) for p in sorted(folder.rglob("*")) if p.is_file()
            and (MARKER.encode() in p.read_bytes() or PLAINTEXT_HEADER in p.read_bytes())]


@pytest.mark.parametrize("step", STEPS)
def test_a_start_killed_at_each_step_loses_no_report_and_the_next_start_finishes(earlier_kiosk, tmp_path, step):
    home = tmp_path / "home"
    shutil.copytree(earlier_kiosk, home)
    path = home / "kiosk.sqlite3"
    done = subprocess.run([sys.executable, "-c", START_KILLED_AT, str(path), step], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stdout + done.stderr

    # Right after the kill: the old database or the new one is at the path, never neither, with every report.
    state = file_state(path).value
    swapped = STEPS.index(step) >= STEPS.index("swapped")
    assert state == ("encrypted" if swapped else "plaintext")
    assert reports_in(path, encrypted=swapped) == REPORTS

    store = open_store(path)  # the next start
    try:
        assert store.db.execute_sql("SELECT count(*) FROM report").fetchone() == (REPORTS,)
        assert store.db.execute_sql("SELECT count(*) FROM report WHERE data LIKE ?", (f"%{MARKER}%",)).fetchone() \
            == (REPORTS,)
    finally:
        store.close()
    assert file_state(path).value == "encrypted"
    assert not any(p.name.endswith((TEMP_SUFFIX, OLD_SUFFIX)) for p in home.rglob("*"))
    (backup,) = (home / "backups").iterdir()
    assert reports_in(backup, encrypted=True) == REPORTS // 2 + 1
    assert in_clear(home) == ["spool/receipt-T26-01-00001-8-20261124T120000.pdf"]  # the spool is the container's


def test_the_kiosks_first_start_also_seals_the_plaintext_pdfs_left_in_its_spool(earlier_kiosk, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(earlier_kiosk, home)
    pdf = home / "spool" / "receipt-T26-01-00001-8-20261124T120000.pdf"
    mtime = pdf.stat().st_mtime
    kiosk = Kiosk(home, config_from_mapping({}), clock=ManualClock(NOW), receipt_printer=None)
    try:
        assert len(kiosk.reports.list_reports(limit=100)) == REPORTS
    finally:
        kiosk.close()
    assert in_clear(home) == []
    sealed = pdf.with_name(pdf.name + ".sealed")
    assert not pdf.exists() and sealed.stat().st_mtime == mtime  # the spool's clean-up still goes by its age
    assert Sealer(storage_key()).unseal_file(sealed) == f"%PDF-1.4 {MARKER}".encode()


def test_a_migration_refused_while_another_process_has_the_file_open_changes_nothing(earlier_kiosk, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(earlier_kiosk, home)
    path = home / "kiosk.sqlite3"
    other = connect(path, None)  # another program (an earlier kiosk still running) has it open
    other.execute("SELECT count(*) FROM report").fetchone()
    try:
        with pytest.raises(Exception, match="another process has it open"):
            open_store(path, key=KeyringKeys())
        assert file_state(path).value == "plaintext" and not (home / f"kiosk.sqlite3{TEMP_SUFFIX}").exists()
    finally:
        other.close()
    assert reports_in(path, encrypted=False) == REPORTS
