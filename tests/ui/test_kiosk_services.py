"""The running kiosk's window with a whole kiosk behind it (ui.kiosk_services.WindowServices): the database opens
only after the welcome page's first paint, the officer gesture leads to officer mode on a real data folder, and the
e-mail outbox is sent in the background to a real SMTP server."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import NOW, load_sample
from notices_support import running_smtp_server
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from kiosk.clock import ManualClock
from kiosk.home import open_kiosk
from ui.app import build_window
from ui.kiosk_services import NoticeDelivery, WindowServices
from ui.officer.login_dialog import LoginDialog
from ui.officer.officer_mode import OfficerMode

pytestmark = pytest.mark.gui


def write_config(home: Path, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "kiosk.toml").write_text(text, encoding="utf-8")


@pytest.fixture
def running(qtbot, tmp_path, translations_dir):
    """Build the window the way `p2c-kiosk run` does, on a fresh data folder."""
    kiosks = []

    def start(config_text: str = ""):
        home = tmp_path / "home"
        if config_text:
            write_config(home, config_text)
        kiosk = open_kiosk(home, ManualClock(NOW), open_store_now=False)
        kiosks.append(kiosk)
        window = build_window(kiosk, kiosk_mode=False, translations_dir=translations_dir)
        qtbot.addWidget(window)
        WindowServices(window, kiosk, deliver_notices=False)
        return kiosk, window

    yield start
    for kiosk in kiosks:
        kiosk.close()


def test_the_database_opens_just_after_the_first_paint(qtbot, running):
    kiosk, window = running()
    assert kiosk.built() == set(), "nothing may open the database, or build a service, before the window is painted"
    assert not (kiosk.home / "kiosk.sqlite3").exists()
    window.present()
    qtbot.waitUntil(lambda: kiosk.store_is_open, timeout=5000)
    assert (kiosk.home / "kiosk.sqlite3").exists()
    receipt = kiosk.reports.submit(load_sample("lost-wallet"))
    assert kiosk.reports.get(receipt.tracking_number)["status"] == "submitted"


def test_a_database_that_cannot_be_opened_leaves_the_kiosk_up_and_out_of_order(qtbot, running, caplog):
    kiosk, window = running()
    (kiosk.home / "kiosk.sqlite3").mkdir()  # a folder where the file should be: SQLite cannot open it
    window.present()
    qtbot.waitUntil(lambda: "out of order (database)" in caplog.text, timeout=5000)
    page = window.findChild(QWidget, "out_of_order_page")
    assert window.isVisible() and page is not None and page.isVisible()
    assert not window.welcome_page.start_button.isEnabled()  # nothing beneath takes a touch


def test_the_officer_gesture_leads_to_officer_mode_on_the_kiosks_own_data(qtbot, running):
    kiosk, window = running()
    window.present()
    qtbot.waitUntil(lambda: kiosk.store_is_open, timeout=5000)
    kiosk.officers.add("pjones", "Ofc. Pat Jones", "2417", "violet-harbor-lantern", by="cli:test")
    tracking = kiosk.reports.submit(load_sample("larceny-bicycle")).tracking_number

    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    login = window.pages.currentWidget()
    assert isinstance(login, LoginDialog)
    qtbot.mouseClick(login.notice.accept_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(login.form.username, "pjones")
    qtbot.keyClicks(login.form.password, "violet-harbor-lantern")
    qtbot.keyClick(login.form.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(window.pages.currentWidget(), OfficerMode), timeout=5000)
    mode = window.pages.currentWidget()
    qtbot.waitUntil(lambda: mode.queue.model.rowCount() == 1, timeout=5000)
    assert mode.queue.model.row_at(0).tracking_number == tracking
    qtbot.mouseClick(mode.lock_button, Qt.MouseButton.LeftButton)
    assert window.current_page() is window.welcome_page
    assert [entry.action for entry in kiosk.audit.entries()][:2] == ["logout", "login"]


def test_the_outbox_is_sent_in_the_background(qtbot, running):
    with running_smtp_server() as server:
        kiosk, window = running(f'[notices]\nsmtp_host = "127.0.0.1"\nsmtp_port = {server.port}\n'
                                'security = "none"\n')
        window.present()
        qtbot.waitUntil(lambda: kiosk.store_is_open, timeout=5000)
        tracking = kiosk.reports.submit(load_sample("identity-theft")).tracking_number
        delivery = NoticeDelivery(kiosk, window, interval_ms=60_000, first_ms=0)
        qtbot.waitUntil(lambda: len(server.messages) == 1, timeout=10_000)
        qtbot.waitUntil(lambda: [n.status for n in kiosk.outbox.for_report(tracking)] == ["sent"], timeout=5000)
        assert tracking in server.messages[0]["Subject"] + server.messages[0].get_body(("plain",)).get_content()
        delivery.run_once()  # nothing is due any more: nothing is sent twice
        qtbot.wait(300)
        assert len(server.messages) == 1


def test_officer_mode_prints_full_copies_through_the_kiosks_copy_printer(qtbot, running):
    """The container's copy printer (printing's, found through its entry point) reaches the report's detail; with no
    printer set up the copy is rendered and kept in the spool folder, and the officer is told where."""
    kiosk, window = running()
    window.present()
    qtbot.waitUntil(lambda: kiosk.store_is_open, timeout=5000)
    kiosk.officers.add("pjones", "Ofc. Pat Jones", "2417", "violet-harbor-lantern", by="cli:test")
    tracking = kiosk.reports.submit(load_sample("larceny-bicycle")).tracking_number
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    login = window.pages.currentWidget()
    qtbot.mouseClick(login.notice.accept_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(login.form.username, "pjones")
    qtbot.keyClicks(login.form.password, "violet-harbor-lantern")
    qtbot.keyClick(login.form.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(window.pages.currentWidget(), OfficerMode), timeout=5000)
    mode = window.pages.currentWidget()
    mode.open_report(tracking)

    qtbot.mouseClick(mode.detail.copy_button, Qt.MouseButton.LeftButton)
    card = mode.detail.message_card
    qtbot.waitUntil(lambda: card.title.text() == "Full copy not printed", timeout=15_000)
    spooled = list(kiosk.spool_folder.glob(f"copy-{tracking}-*.pdf.sealed"))  # sealed with the storage key
    assert len(spooled) == 1 and kiosk.spool_sealer().unseal_file(spooled[0]).startswith(b"%PDF")
    assert "No printer is set up for this." in card.text.text() and str(spooled[0]) in card.text.text()
    assert "copy_printed" in [entry.action for entry in kiosk.audit.entries()]
