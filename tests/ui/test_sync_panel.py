"""Officer mode's sync page against the real reference server (a subprocess on 127.0.0.1) and a kiosk data folder
configured for it: the pending count, "Sync now" draining it, the server stopped (a plain error, the kiosk keeps
working), refusals listed and opened with one tap, and an approval that shows "official number pending" until the
server's number comes back. Everything through clicks; the engine runs on the worker pool."""

from __future__ import annotations

import os
import re
from contextlib import ExitStack
from pathlib import Path

import pytest
from helpers import load_sample
from officer_ui_support import PASSWORD, cheap_hasher, click
from PySide6.QtWidgets import QApplication
from server_support import ServerProcess, add_kiosk, fresh_database_url, server_events, server_reports
from sync_support import sync_kiosk

from kiosk.officers import OfficerService
from ui.kiosk_services import SyncWorker
from ui.officer.officer_mode import OfficerMode
from ui.officer.sync_panel import SyncPanel

pytestmark = pytest.mark.gui

OFFICIAL_NUMBER = re.compile(r"\d{4}-\d+")  # the server's official report numbers, e.g. 2026-000001
SHOTS = os.environ.get("P2C_SYNC_SCREENSHOTS")  # a folder: the tests also save what they showed there as PNG


class World:
    """A reference server and kiosks syncing to it; officer mode for a kiosk with its own sync worker."""

    def __init__(self, qtbot, tmp_path: Path, stack: ExitStack) -> None:
        self.qtbot, self.tmp_path, self.stack = qtbot, tmp_path, stack
        self.db_url = fresh_database_url("sqlite", tmp_path)
        self.token = add_kiosk(self.db_url, "Lobby North", 1)
        self.server = stack.enter_context(ServerProcess(self.db_url))
        self.workers: list[SyncWorker] = []
        self.modes: list[OfficerMode] = []

    def kiosk(self, name: str = "kiosk", number: int = 1, token: str | None = None):
        return self.stack.enter_context(sync_kiosk(self.tmp_path / name, self.server.url, token or self.token,
                                                   kiosk_number=number))

    def officer_mode(self, kiosk, *, with_worker: bool = True) -> OfficerMode:
        officers = OfficerService(kiosk.store, kiosk.clock, kiosk.audit, hasher=cheap_hasher())
        if officers.find("ofc.jones") is None:
            officers.add("ofc.jones", "Ofc. Pat Jones", "2417", PASSWORD, by="cli:test")
        worker = SyncWorker(lambda: kiosk.sync) if with_worker else None
        if worker is not None:
            self.workers.append(worker)
        mode = OfficerMode(officers.login("ofc.jones", PASSWORD), officers=officers, review=kiosk.review,
                           config=kiosk.config, idle_lock_ms=600_000, sync=worker)
        self.qtbot.addWidget(mode)
        mode.resize(1280, 800)
        mode.show()
        self.qtbot.waitExposed(mode)
        self.modes.append(mode)
        return mode

    def close(self) -> None:
        for worker in self.workers:  # no run may be left on the pool when the kiosk's database closes
            self.qtbot.waitUntil(lambda worker=worker: not worker.busy, timeout=30_000)
        for mode in self.modes:
            mode.leave()


@pytest.fixture
def world(qtbot, tmp_path):
    with ExitStack() as stack:
        made = World(qtbot, tmp_path, stack)
        yield made
        made.close()


def open_sync_page(qtbot, mode: OfficerMode) -> SyncPanel:
    click(qtbot, mode.sync_button)
    assert mode.pages.currentWidget() is mode.sync_panel
    return mode.sync_panel


def value(panel: SyncPanel, key: str) -> str:
    return panel.values[key].text()


def save(widget, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        QApplication.processEvents()
        assert widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


def submit(kiosk, sample: str = "larceny-bicycle", **changes) -> str:
    data = load_sample(sample)
    for key, new in changes.items():
        data["reporter"][key] = new
    return kiosk.reports.submit(data).tracking_number


def test_the_pending_reports_are_shown_and_sync_now_sends_them(qtbot, world):
    kiosk = world.kiosk()
    numbers = [submit(kiosk, sample) for sample in ("larceny-bicycle", "lost-wallet", "identity-theft")]
    panel = open_sync_page(qtbot, world.officer_mode(kiosk))

    qtbot.waitUntil(lambda: value(panel, "pending_reports") == "3", timeout=10_000)
    assert value(panel, "server") == world.server.url
    assert value(panel, "last_success") == "never"
    assert panel.state_label.text() == "3 waiting"
    assert server_reports(world.db_url) == []

    click(qtbot, panel.sync_button)
    # At once, before the run on the worker has ended: the button is off and says why.
    assert not panel.sync_button.isEnabled()
    assert panel.sync_button.text() == "Syncing…"
    assert "wait" in panel.sync_button.accessibleName()

    qtbot.waitUntil(lambda: panel.sync_button.isEnabled(), timeout=20_000)
    assert panel.sync_button.text() == "Sync now"
    assert value(panel, "pending_reports") == "0"
    assert value(panel, "last_success") != "never"
    assert value(panel, "last_error") == "none"
    assert panel.state_label.text() == "Everything sent"
    assert value(panel, "next_attempt") == "every 1 minute while all is well"
    assert panel.result_label.text().startswith("Sent 3 reports")
    assert sorted(r["tracking_number"] for r in server_reports(world.db_url)) == sorted(numbers)
    assert panel.sync_button.height() >= 48 and panel.sync_button.objectName() == "sync_now_button"
    save(panel.window(), "sync_panel_after_sync")


def test_a_stopped_server_shows_a_plain_error_and_the_kiosk_keeps_working(qtbot, world):
    kiosk = world.kiosk()
    submit(kiosk)
    mode = world.officer_mode(kiosk)
    panel = open_sync_page(qtbot, mode)
    world.server.stop()

    click(qtbot, panel.sync_button)
    qtbot.waitUntil(lambda: panel.sync_button.isEnabled(), timeout=30_000)
    assert value(panel, "last_error").endswith("The department server cannot be reached (the network or the server "
                                               "is down).")
    assert panel.values["error_detail"].isVisible() and world.server.url in value(panel, "error_detail")
    assert panel.alert_label.isVisible()
    assert "1 failed attempt in a row" in panel.alert_label.text()
    assert "wait safely on this kiosk" in panel.alert_label.text()
    assert panel.state_label.text() == "Not reaching the server"
    assert panel.result_label.text().startswith("This sync failed. The department server cannot be reached")
    assert value(panel, "pending_reports") == "1"
    assert mode.sync_button.text() == "Sync (!)"
    save(panel.window(), "sync_panel_server_down")

    # The kiosk goes on: a citizen's report is stored, the queue lists it, the page still answers.
    later = submit(kiosk, "lost-wallet")
    click(qtbot, mode.queue_button)
    click(qtbot, mode.queue.refresh_button)
    assert later in {mode.queue.model.row_at(row).tracking_number for row in range(mode.queue.model.rowCount())}
    panel = open_sync_page(qtbot, mode)
    qtbot.waitUntil(lambda: value(panel, "pending_reports") == "2", timeout=10_000)

    world.server.start()
    click(qtbot, panel.sync_button)
    qtbot.waitUntil(lambda: panel.sync_button.isEnabled() and value(panel, "pending_reports") == "0",
                    timeout=30_000)
    assert "cannot be reached" in value(panel, "last_error")  # still told, but no longer an alert
    assert not panel.alert_label.isVisible()
    assert panel.state_label.text() == "Everything sent"
    assert mode.sync_button.text() == "Sync"
    assert len(server_reports(world.db_url)) == 2


def test_an_approval_shows_official_number_pending_then_the_servers_number(qtbot, world):
    kiosk = world.kiosk()
    tracking = submit(kiosk)
    assert kiosk.sync.run_once(force=True).error is None  # the server has the report
    mode = world.officer_mode(kiosk)
    mode.open_report(tracking)
    detail = mode.detail
    click(qtbot, detail.approve_button)
    assert "from the department server" in detail.approve_dialog.subtitle.text()

    click(qtbot, detail.approve_dialog.confirm_button)
    # Stored with no number: the page says so at once (the sync run the decision asked for is on the worker).
    assert detail.status_label.text() == "Approved · official number pending"
    official = detail.content.findChild(object, "summary_official_report_number_value")
    assert official.text() == "Official number pending (the department's server gives it at the next sync)"
    assert "comes from the department server" in detail.message_card.findChild(
        object, "message_text_label").text()
    save(mode, "detail_official_number_pending")

    qtbot.waitUntil(lambda: OFFICIAL_NUMBER.search(detail.status_label.text()) is not None, timeout=20_000)
    number = kiosk.reports.get(tracking)["official_number"]
    assert number and detail.status_label.text() == f"Approved · {number}"
    official = detail.content.findChild(object, "summary_official_report_number_value")
    assert official.text() == number
    (event,) = [e for e in server_events(world.db_url) if e["action"] == "approved"]
    assert event["tracking_number"] == tracking and event["official_number"] == number


def test_refused_reports_are_listed_and_one_tap_opens_them(qtbot, world):
    # A kiosk set up again with an empty database but the old kiosk number numbers its reports from the start
    # again: the server already has a different report under that tracking number and refuses it (409).
    first = world.kiosk("first")
    taken = submit(first)
    assert first.sync.run_once(force=True).error is None
    second = world.kiosk("second")
    clash = submit(second, "lost-wallet")
    assert clash == taken

    mode = world.officer_mode(second)
    panel = open_sync_page(qtbot, mode)
    click(qtbot, panel.sync_button)
    qtbot.waitUntil(lambda: panel.sync_button.isEnabled() and bool(panel.conflict_buttons), timeout=20_000)
    assert panel.conflicts_heading.text() == "Refused by the server (1)"
    words = panel.findChild(object, "sync_conflict_1_label").text()
    assert words.startswith("The report was refused") and "409" in words
    assert mode.sync_button.text() == "Sync (!)"
    assert value(panel, "pending_reports") == "0"  # set aside, not sent again
    assert panel.state_label.text() == "Everything else sent · 1 refused"
    save(panel.window(), "sync_panel_conflict")

    qtbot.waitUntil(panel.conflict_buttons[clash].isVisible)
    click(qtbot, panel.conflict_buttons[clash])
    assert mode.pages.currentWidget() is mode.detail
    assert mode.detail.tracking_number == clash
    assert mode.detail.detail.report["category"] == "lost_property"


def test_a_standalone_kiosk_says_sync_is_not_set_up(qtbot, kit, officer_mode):
    mode = officer_mode()
    panel = open_sync_page(qtbot, mode)
    assert panel.state_label.text() == "Not set up"
    assert value(panel, "server").startswith("Not set up")
    assert panel.setup_hint.isVisible()
    assert "p2c-kiosk configure --server URL --token-stdin" in panel.setup_hint.text()
    assert not panel.sync_button.isEnabled()
    assert "no department server" in panel.sync_button.accessibleName()
    assert mode.sync_button.text() == "Sync"
    # Approving numbers the report here, as before.
    tracking = kit.submit()
    mode.open_report(tracking)
    click(qtbot, mode.detail.approve_button)
    assert "gets its official report number now" in mode.detail.approve_dialog.subtitle.text()
    click(qtbot, mode.detail.approve_dialog.confirm_button)
    assert "pending" not in mode.detail.status_label.text()
    assert kit.reports.get(tracking)["official_number"] in mode.detail.status_label.text()
