"""Officer mode shows a decision made at this kiosk that the department server's order did not keep, and who decided
first (issue 16): the issue's crossing request-for-information and approval, on a real kiosk store and the real
server on 127.0.0.1, then the report's page built by officer mode."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import load_sample
from PySide6.QtWidgets import QLabel
from server_support import ServerProcess, add_kiosk, decide, fresh_database_url
from sync_support import sync_kiosk

from ui.officer.report_sections import build_report_page

pytestmark = pytest.mark.gui


def test_the_overruled_approval_is_shown_with_who_decided_first(qtbot, tmp_path):
    db_url = fresh_database_url("sqlite", tmp_path)
    token = add_kiosk(db_url, "Lobby North", 1)
    with ServerProcess(db_url) as server, sync_kiosk(tmp_path / "kiosk", server.url, token) as kiosk:
        tracking = kiosk.reports.submit(load_sample("larceny-bicycle")).tracking_number
        assert kiosk.sync.run_once(force=True).error is None
        decide(db_url, tracking, "request-info", officer="srvjoe", question="Which shop sold it?")
        kiosk.officers.add("dana", "Dana", "B-7", "violet kettle harbour", by="cli:test")
        dana = kiosk.officers.login("dana", "violet kettle harbour")
        detail = kiosk.review.open_report(tracking, dana)
        kiosk.review.approve(tracking, dana, nibrs_code="23H", expected_version=detail.version)
        assert kiosk.sync.run_once(force=True).error is None
        detail = kiosk.review.open_report(tracking, dana)
        zone = kiosk.config.kiosk.zone
    built = build_report_page(detail, zone, lambda _number: None)
    qtbot.addWidget(built.page)
    texts = {widget.objectName(): widget.text() for widget in built.page.findChildren(QLabel)}
    assert texts["overruled_heading"] == "Did not stand: the department server decided first"
    approved = texts["overruled_2_label"]
    assert approved.startswith("Approved by Officer dana, ")
    assert ("overruled: the department's order has More information requested by srvjoe at the department server"
            in approved)
    assert texts["overruled_1_label"].startswith("Review started by Officer dana, ")
    built.page.resize(900, built.page.sizeHint().height())
    shots = Path(os.environ.get("P2C_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    assert built.page.grab().save(str(shots / "officer_overruled.png"))


def test_a_standalone_kiosks_report_shows_no_such_section(qtbot, container):
    tracking = container.reports.submit(load_sample("larceny-bicycle")).tracking_number
    container.officers.add("dana", "Dana", "B-7", "violet kettle harbour", by="cli:test")
    dana = container.officers.login("dana", "violet kettle harbour")
    detail = container.review.open_report(tracking, dana)
    assert detail.overruled == ()
    built = build_report_page(detail, container.config.kiosk.zone, lambda _number: None)
    qtbot.addWidget(built.page)
    assert not [w for w in built.page.findChildren(QLabel) if w.objectName().startswith("overruled")]
