"""The citizen's "Check a report" on a kiosk that syncs: an approval whose official number has not come from the
department server yet reads "official number pending" in English and in Spanish; after a sync with the real
reference server the same look-up shows the server's number."""

from __future__ import annotations

import pytest
from helpers import load_sample
from officer_ui_support import PASSWORD, cheap_hasher
from PySide6.QtCore import Qt
from server_support import ServerProcess, add_kiosk, fresh_database_url
from sync_support import sync_kiosk

from kiosk.officers import OfficerService
from ui.app import build_window

pytestmark = pytest.mark.gui

LEFT = Qt.MouseButton.LeftButton
PENDING_EN = ("Approved. Your official report number is pending: the police department gives it shortly. Check again "
              "later to see it here.")
PENDING_ES = ("Aprobado. Su número de informe oficial está pendiente: el departamento de policía lo asigna en breve. "
              "Consulte otra vez más tarde para verlo aquí.")


def check(qtbot, window, settle, tracking: str, code: str):
    qtbot.mouseClick(window.welcome_page.check_button, LEFT)
    page = window.lookup_flow.check_page
    for field, text in ((page.tracking.input, tracking), (page.access_code.input, code)):
        qtbot.mouseClick(field, LEFT)
        qtbot.keyClicks(field, text)
    qtbot.mouseClick(page.check_button, LEFT)
    settle()
    status_page = window.lookup_flow.status_page
    assert window.current_page() is status_page
    return status_page


def test_the_status_look_up_says_official_number_pending_then_shows_the_servers_number(
        qtbot, tmp_path, translations_dir, settle):
    db_url = fresh_database_url("sqlite", tmp_path)
    token = add_kiosk(db_url, "Lobby North", 1)
    with ServerProcess(db_url) as server, sync_kiosk(tmp_path / "home", server.url, token) as kiosk:
        receipt = kiosk.reports.submit(load_sample("larceny-bicycle"))
        officers = OfficerService(kiosk.store, kiosk.clock, kiosk.audit, hasher=cheap_hasher())
        officers.add("ofc.jones", "Ofc. Pat Jones", "2417", PASSWORD, by="cli:test")
        session = officers.login("ofc.jones", PASSWORD)
        detail = kiosk.review.open_report(receipt.tracking_number, session)
        kiosk.review.approve(receipt.tracking_number, session, nibrs_code=detail.nibrs.code,
                             expected_version=detail.version)

        window = build_window(kiosk, kiosk_mode=False, translations_dir=translations_dir)
        qtbot.addWidget(window)
        window.present()
        qtbot.waitUntil(window.isVisible)
        try:
            status_page = check(qtbot, window, settle, receipt.tracking_number, receipt.access_code)
            assert status_page.status_label.text() == PENDING_EN
            # The citizen switches to Spanish on the status page: the same status, in Spanish.
            qtbot.mouseClick(window.header.language_buttons["es"], LEFT)
            settle()
            assert status_page.status_label.text() == PENDING_ES
            assert status_page.tracking_label.text().startswith(f"Número de seguimiento {receipt.tracking_number}")
            qtbot.mouseClick(status_page.finish_button, LEFT)
            settle()

            # The kiosk syncs: the server gives the number, and the next look-up shows it.
            run = kiosk.sync.run_once(force=True)
            assert run.error is None and run.reports_pushed == 1
            number = kiosk.reports.get(receipt.tracking_number)["official_number"]
            assert number
            status_page = check(qtbot, window, settle, receipt.tracking_number, receipt.access_code)
            assert number in status_page.status_label.text()
            assert "pending" not in status_page.status_label.text()
        finally:
            window.allow_close()
            window.close()
            settle()
