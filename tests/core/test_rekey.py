"""Rotating the storage key (kiosk/rekey.py, ``p2c-kiosk rekey``): the database, its backups and the sealed spool
files move to a new key, the audit log says so, and the keyring keeps the new key only once everything is under it; a
rotation stopped after the database moved is finished by the next start, and one stopped before leaves the old key
working. Each test has a keyring of its own (the run's key stays as it is)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURES, NOW, load_sample
from notices_support import MemoryKeyring
from storage_keyring import FILE_ENV

import kiosk.storage.encrypt as encrypt
from kiosk.audit import AuditLog
from kiosk.clock import ManualClock
from kiosk.config import config_from_mapping
from kiosk.home import Kiosk
from kiosk.rekey import KEY_ROTATED, ROTATION_FINISHED, rotate_key
from kiosk.sealed import Sealer, write_atomically
from kiosk.storage.database import RotationInterrupted, open_store
from kiosk.storage.encrypt import key_opens
from kiosk.storage.errors import StoreError
from kiosk.storage.key import KEY_USER, NEXT_KEY_USER, KeyringKeys, StorageKey
from kiosk.storage.migrations import backup_file

ROOT = Path(__file__).resolve().parents[2]
SERVICE = "p2c-kiosk"
PDF = b"%PDF-1.4 Jane Q. Citizen"


class Crash(Exception):
    """Stands for a power cut at a step of kiosk.storage.encrypt (raised by its step hook)."""


@pytest.fixture
def keys(monkeypatch):
    """A keyring of this test's own, which every store opened through the keyring uses."""
    backend = MemoryKeyring()
    monkeypatch.setattr(KeyringKeys, "default_backend", backend)
    return KeyringKeys()


@pytest.fixture
def home(tmp_path, keys):
    """A data folder under its first key: reports, a backup, a sealed receipt in the spool."""
    store = open_store(tmp_path / "kiosk.sqlite3")
    kiosk = Kiosk(tmp_path, config_from_mapping({}), clock=ManualClock(NOW), store=store, receipt_printer=None)
    for name in ("lost-wallet", "larceny-bicycle"):
        kiosk.reports.submit(load_sample(name))
    backup_file(store.db, store.path, 3, NOW, store.key)
    spool = tmp_path / "spool"
    spool.mkdir(mode=0o700)
    write_atomically(spool / "receipt-T26-01-00001-8-20261124T120000.pdf.sealed", Sealer(store.key).seal(PDF),
                     ".receipt-", ".pdf.sealed")
    store.close()
    return tmp_path


def entries(home: Path, key: StorageKey):
    store = open_store(home / "kiosk.sqlite3", key=key)
    try:
        audit = AuditLog(store, ManualClock(NOW))
        assert audit.verify().ok
        return [(entry.actor, entry.action, entry.details) for entry in audit.entries()]
    finally:
        store.close()


def everything_under(home: Path, key: StorageKey) -> bool:
    (backup,) = (home / "backups").iterdir()
    (sealed,) = (home / "spool").iterdir()
    return (key_opens(home / "kiosk.sqlite3", key) and key_opens(backup, key)
            and Sealer(key).unseal_file(sealed) == PDF)


def test_a_rotation_moves_everything_to_a_new_key_and_audits_it(home, keys):
    old = keys.current()
    rotation = rotate_key(home, ManualClock(NOW), actor="cli:admin")
    new = keys.current()
    assert new is not None and new != old and keys.next() is None
    assert (rotation.old_key_id, rotation.new_key_id) == (old.key_id, new.key_id)
    assert (rotation.backups, rotation.spool_files) == (1, 1)
    assert everything_under(home, new)
    assert not key_opens(home / "kiosk.sqlite3", old)
    actor, action, details = entries(home, new)[0]
    assert (actor, action) == ("cli:admin", KEY_ROTATED)
    assert details == {"old_key": old.key_id, "new_key": new.key_id}
    assert old.as_text() not in json.dumps(details) and new.as_text() not in json.dumps(details)
    store = open_store(home / "kiosk.sqlite3")  # and the kiosk opens it through the keyring, with every report
    assert store.db.execute_sql("SELECT count(*) FROM report").fetchone() == (2,)
    store.close()


def test_a_rotation_stopped_after_the_database_moved_is_finished_by_the_next_start(home, keys, monkeypatch):
    old = keys.current()

    def crash_after_the_database(step):
        if step == "swapped":
            raise Crash

    monkeypatch.setattr(encrypt, "step_hook", crash_after_the_database)
    with pytest.raises(Crash):
        rotate_key(home, ManualClock(NOW), actor="cli:admin")
    monkeypatch.setattr(encrypt, "step_hook", None)
    new = keys.next()
    assert keys.current() == old and new is not None  # the keyring still says old; the database is under new
    assert key_opens(home / "kiosk.sqlite3", new) and not key_opens(home / "kiosk.sqlite3", old)
    with pytest.raises(RotationInterrupted, match="p2c-kiosk rekey"):
        open_store(home / "kiosk.sqlite3")

    kiosk = Kiosk(home, config_from_mapping({}), clock=ManualClock(NOW), receipt_printer=None)  # the next start
    assert len(kiosk.reports.list_reports()) == 2
    kiosk.close()
    assert keys.current() == new and keys.next() is None
    assert everything_under(home, new)
    actor, action, details = entries(home, new)[0]  # stopped before its own entry: the start's says it all
    assert (actor, action) == ("system", ROTATION_FINISHED)
    assert details == {"old_key": old.key_id, "new_key": new.key_id, "backups": 1, "spool_files": 1}


def test_a_rotation_stopped_before_the_database_moved_leaves_the_old_key_working(home, keys, monkeypatch):
    old = keys.current()

    def crash_before_the_swap(step):
        if step == "checked":
            raise Crash

    monkeypatch.setattr(encrypt, "step_hook", crash_before_the_swap)
    with pytest.raises(Crash):
        rotate_key(home, ManualClock(NOW), actor="cli:admin")
    monkeypatch.setattr(encrypt, "step_hook", None)
    assert keys.current() == old and everything_under(home, old)
    store = open_store(home / "kiosk.sqlite3")  # the next start: the old key, the half-made copy cleared away
    store.close()
    assert not (home / "kiosk.sqlite3.encrypting").exists()
    rotate_key(home, ManualClock(NOW), actor="cli:admin")  # and a rotation again does it all
    assert keys.current() != old and keys.next() is None and everything_under(home, keys.current())


def test_a_rotation_while_the_kiosk_has_the_database_open_changes_nothing(home, keys):
    old = keys.current()
    running = open_store(home / "kiosk.sqlite3")
    try:
        with pytest.raises(StoreError, match="another process has it open"):
            rotate_key(home, ManualClock(NOW), actor="cli:admin")
    finally:
        running.close()
    assert keys.current() == old and everything_under(home, old)


def test_p2c_kiosk_rekey_says_what_it_did_and_that_the_new_key_needs_a_backup(tmp_path):
    home, keyring_file = tmp_path / "kiosk", tmp_path / "keys.json"
    env = {**os.environ, FILE_ENV: str(keyring_file)}

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "kiosk", "--home", str(home), *args], capture_output=True,
                              text=True, env=env, cwd=ROOT, timeout=120)

    assert cli("submit", str(FIXTURES / "lost-wallet.json")).returncode == 0
    before = json.loads(keyring_file.read_text())[f"{SERVICE}\n{KEY_USER}"]
    done = cli("rekey")
    assert done.returncode == 0, done.stderr
    after = json.loads(keyring_file.read_text())
    assert after[f"{SERVICE}\n{KEY_USER}"] != before and f"{SERVICE}\n{NEXT_KEY_USER}" not in after
    old, new = StorageKey.from_text(before), StorageKey.from_text(after[f"{SERVICE}\n{KEY_USER}"])
    assert f"key id {old.key_id} -> {new.key_id}" in done.stdout and "Back up the new key" in done.stdout
    assert before not in done.stdout + done.stderr
    audit = cli("audit", "list")
    assert "storage_key_rotated" in audit.stdout, audit.stderr
    assert cli("list").returncode == 0


def test_rekey_with_encryption_off_is_refused(tmp_path):
    (tmp_path / "kiosk.toml").write_text('[storage]\nencryption = "off"\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "kiosk", "--home", str(tmp_path), "rekey"], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 2 and "there is no key to rotate" in done.stderr
