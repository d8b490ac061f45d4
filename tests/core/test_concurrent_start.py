"""Several ``p2c-kiosk`` processes starting at once on one data folder (the kiosk window and a CLI call after an
upgrade, or calls on a new folder) all start: the migrations run under the database's write lock and the version is
read again inside it, so one process migrates and the others find the work done (issue 16, part 3)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from kept_rows import file_at_version

from kiosk.storage.database import open_store, unlock
from kiosk.storage.key import KeyringKeys
from kiosk.storage.migrations import LATEST

PROCESSES = 4


def start_at_once(home):
    processes = [subprocess.Popen([sys.executable, "-m", "p2c_kiosk", "--home", str(home), "list"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(PROCESSES)]
    return [(process.wait(timeout=120), process.stderr.read()) for process in processes]


def versions(home):
    store = open_store(home / "kiosk.sqlite3")
    try:
        return [row[0] for row in store.db.execute_sql("SELECT version FROM schema_version ORDER BY id")]
    finally:
        store.close()


@pytest.mark.parametrize("round_", range(3))
def test_processes_starting_at_once_on_a_new_folder_all_start(tmp_path, round_):
    home = tmp_path / "new"
    results = start_at_once(home)
    assert results == [(0, "")] * PROCESSES
    assert versions(home) == list(range(1, LATEST + 1))


def test_processes_starting_at_once_after_an_upgrade_all_start_and_one_migrates(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    path = home / "kiosk.sqlite3"
    file_at_version(path, 1)
    unlock(path, KeyringKeys())  # encrypted under the run's key, as a kiosk of that version left it
    results = start_at_once(home)
    assert results == [(0, "")] * PROCESSES
    assert versions(home) == list(range(1, LATEST + 1))
    assert len(list((home / "backups").iterdir())) == 1
