"""The kiosk window syncs in the background (ui.kiosk_services): after the first paint, when a department server is
configured, the engine runs on the worker pool every [sync] interval_seconds, never two runs at once, and a run
follows an officer's decision. Against the real reference server on 127.0.0.1."""

from __future__ import annotations

from contextlib import ExitStack

import pytest
from helpers import NOW, load_sample
from notices_support import MemoryKeyring, keyring_in_use
from server_support import ServerProcess, add_kiosk, fresh_database_url, server_events, server_reports
from sync_support import sync_keyring, sync_kiosk, write_sync_home

from kiosk.clock import ManualClock
from kiosk.home import open_kiosk
from ui.app import build_window
from ui.kiosk_services import SyncWorker, WindowServices

pytestmark = pytest.mark.gui


@pytest.fixture
def server(tmp_path):
    db_url = fresh_database_url("sqlite", tmp_path)
    token = add_kiosk(db_url, "Lobby North", 1)
    with ServerProcess(db_url) as process:
        process.db_url, process.token = db_url, token
        yield process


def window_for(qtbot, kiosk, translations_dir):
    window = build_window(kiosk, kiosk_mode=False, translations_dir=translations_dir)
    qtbot.addWidget(window)
    return window, WindowServices(window, kiosk, deliver_notices=False)


def wait_idle(qtbot, worker: SyncWorker) -> None:
    qtbot.waitUntil(lambda: not worker.busy, timeout=30_000)


def test_the_window_syncs_in_the_background_after_the_first_paint(qtbot, tmp_path, server, translations_dir):
    home = write_sync_home(tmp_path / "home", server.url, interval_seconds=10)
    with sync_keyring(server.url, server.token):
        # Opened the way `p2c-kiosk run` opens it: the database only after the window's first paint.
        kiosk = open_kiosk(home, ManualClock(NOW), open_store_now=False)
        window, services = window_for(qtbot, kiosk, translations_dir)
        assert not services.is_started and services.sync_worker is None, "nothing is set up before the first paint"
        window.present()
        qtbot.waitUntil(lambda: services.sync_worker is not None, timeout=5000)
        worker = services.sync_worker
        assert worker.interval_ms == 10_000
        tracking = kiosk.reports.submit(load_sample("larceny-bicycle")).tracking_number
        # The first run comes a few seconds after the paint, on the worker pool, with no click.
        qtbot.waitUntil(lambda: [r["tracking_number"] for r in server_reports(server.db_url)] == [tracking],
                        timeout=15_000)
        wait_idle(qtbot, worker)
        assert worker.last_run is not None and worker.last_run.error is None
        assert worker.last_status.pending_reports == 0

        # Never two runs at once: a second start while one runs is folded into one more run after it.
        worker.stop_schedule()
        finished = []
        worker.run_finished.connect(finished.append)
        assert worker.run_now(force=True) is True
        assert worker.running
        assert worker.run_now(force=True) is False
        qtbot.waitUntil(lambda: len(finished) == 2 and not worker.busy, timeout=30_000)
        assert all(run.error is None for run in finished)
        assert len(server_reports(server.db_url)) == 1
        wait_idle(qtbot, worker)
        kiosk.close()


def test_a_decision_asks_for_a_run_so_the_official_number_comes_back(qtbot, tmp_path, server, translations_dir):
    from officer_ui_support import PASSWORD, cheap_hasher

    from kiosk.officers import OfficerService
    from ui.officer.officer_mode import OfficerMode

    with sync_kiosk(tmp_path / "home", server.url, server.token, interval_seconds=3600) as kiosk:
        tracking = kiosk.reports.submit(load_sample("lost-wallet")).tracking_number
        worker = SyncWorker(lambda: kiosk.sync)
        worker.run_now(force=True)
        wait_idle(qtbot, worker)
        officers = OfficerService(kiosk.store, kiosk.clock, kiosk.audit, hasher=cheap_hasher())
        officers.add("ofc.jones", "Ofc. Pat Jones", "2417", PASSWORD, by="cli:test")
        mode = OfficerMode(officers.login("ofc.jones", PASSWORD), officers=officers, review=kiosk.review,
                           config=kiosk.config, idle_lock_ms=600_000, sync=worker)
        qtbot.addWidget(mode)
        mode.resize(1280, 800)
        mode.show()
        mode.open_report(tracking)
        detail = mode.detail.detail
        kiosk.review.approve(tracking, mode.session, nibrs_code=detail.nibrs.code, expected_version=detail.version)
        assert kiosk.reports.get(tracking)["official_number"] is None
        mode.detail.decided.emit(tracking)  # what the detail view emits after a decision it stored
        qtbot.waitUntil(lambda: bool(kiosk.reports.get(tracking)["official_number"]), timeout=20_000)
        wait_idle(qtbot, worker)
        assert [e["action"] for e in server_events(server.db_url) if e["tracking_number"] == tracking][-1] == \
            "approved"
        mode.leave()


def test_a_standalone_kiosk_runs_no_sync(qtbot, tmp_path, translations_dir):
    with ExitStack() as stack:
        stack.enter_context(keyring_in_use(MemoryKeyring()))
        kiosk = open_kiosk(tmp_path / "home", ManualClock(NOW), open_store_now=False)
        stack.callback(kiosk.close)
        window, services = window_for(qtbot, kiosk, translations_dir)
        window.present()
        qtbot.waitUntil(lambda: services.is_started, timeout=5000)
        assert services.sync_worker is None
        assert "sync" not in kiosk.built()  # the engine was never built
