"""The running kiosk cleans its spool folder (ui.kiosk_services.SpoolCleanup): once just after the welcome page's
first paint and then every interval, on the worker pool, with the data folder's ``[printer] spool_keep_hours``.
A real kiosk window on a real data folder; the files are aged with ``os.utime``."""

from __future__ import annotations

import os
import time
from datetime import datetime
from pathlib import Path

import pytest
from helpers import NOW
from PySide6.QtCore import QObject

from kiosk.clock import ManualClock
from kiosk.home import open_kiosk
from kiosk.sealed import Sealer
from kiosk.storage.key import KeyringKeys
from printing.spool import write_spool_file
from ui.app import build_window
from ui.kiosk_services import SpoolCleanup, WindowServices

pytestmark = pytest.mark.gui

HOUR = 3600
MOMENT = datetime(2026, 11, 24, 12, 0, 0)


def spooled(home: Path, kind: str, tracking: str, age_seconds: float) -> Path:
    """A document the kiosk spooled ``age_seconds`` ago, sealed with its storage key as the kiosk seals them."""
    sealer = Sealer(KeyringKeys().create(home))  # the key the kiosk will open its store with
    path = write_spool_file(home / "spool", kind, tracking, b"%PDF-1.4", MOMENT, sealer)
    then = time.time() - age_seconds
    os.utime(path, (then, then))
    return path


@pytest.fixture
def kiosk_home(tmp_path):
    kiosks = []

    def open_at(config_text: str = ""):
        home = tmp_path / "home"
        home.mkdir(exist_ok=True)
        if config_text:
            (home / "kiosk.toml").write_text(config_text, encoding="utf-8")
        kiosk = open_kiosk(home, ManualClock(NOW), open_store_now=False)
        kiosks.append(kiosk)
        return kiosk

    yield open_at
    for kiosk in kiosks:
        kiosk.close()


def test_the_running_kiosk_removes_old_spooled_pdfs_after_its_first_paint(qtbot, kiosk_home):
    kiosk = kiosk_home()
    old_receipt = spooled(kiosk.home, "receipt", "T26-01-00042-1", 73 * HOUR)
    old_copy = spooled(kiosk.home, "copy", "T26-01-00043-9", 100 * HOUR)
    fresh = spooled(kiosk.home, "receipt", "T26-01-00044-7", 2 * HOUR)
    window = build_window(kiosk, kiosk_mode=False)
    qtbot.addWidget(window)
    services = WindowServices(window, kiosk, deliver_notices=False, sync=False)

    assert old_receipt.exists(), "nothing is removed before the window is painted"
    window.present()
    qtbot.waitUntil(lambda: services.spool_cleanup is not None, timeout=5000)
    cleanup = services.spool_cleanup
    assert isinstance(cleanup, SpoolCleanup)
    qtbot.waitUntil(lambda: cleanup.runs >= 1, timeout=10_000)
    assert not old_receipt.exists() and not old_copy.exists()
    assert fresh.exists(), "a receipt of two hours ago stays for the desk"


def test_without_clean_up_asked_for_the_window_leaves_the_spool_alone(qtbot, kiosk_home):
    kiosk = kiosk_home()
    window = build_window(kiosk, kiosk_mode=False)
    qtbot.addWidget(window)
    services = WindowServices(window, kiosk, deliver_notices=False, sync=False, clean_spool=False)
    window.present()
    qtbot.waitUntil(lambda: services.is_started, timeout=5000)
    assert services.spool_cleanup is None


def test_the_clean_up_repeats_and_follows_the_configured_keep_time(qtbot, kiosk_home):
    kiosk = kiosk_home("[printer]\nspool_keep_hours = 1\n")
    parent = QObject()
    first = spooled(kiosk.home, "receipt", "T26-01-00042-1", 2 * HOUR)
    kept = spooled(kiosk.home, "copy", "T26-01-00043-9", 30 * 60)
    cleanup = SpoolCleanup(kiosk, parent, interval_ms=200, first_ms=0)
    try:
        qtbot.waitUntil(lambda: cleanup.runs >= 1, timeout=5000)
        assert not first.exists() and kept.exists()

        later = spooled(kiosk.home, "receipt", "T26-01-00045-2", 3 * HOUR)  # spooled, then aged, after a run
        runs = cleanup.runs
        qtbot.waitUntil(lambda: cleanup.runs > runs and not later.exists(), timeout=5000)
        assert kept.exists()
    finally:
        cleanup.stop()
        qtbot.waitUntil(lambda: not cleanup.busy, timeout=5000)
        parent.deleteLater()
