"""Officer mode shows where the citizen answered: on the department server's status page or at the kiosk. A kiosk
answer that lost the server's order to a status-page answer stays on the report with its words, and says so. Real
kiosk store, the real reference server on 127.0.0.1, the answer given through the server's status service, then the
report's page as officer mode builds it (in English and in Spanish)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import load_sample
from PySide6.QtWidgets import QLabel
from server_support import ServerProcess, add_kiosk, fresh_database_url
from sync_support import sync_kiosk

from kiosk.lookup import StatusLookup
from server import citizen_status
from server.db import open_database
from server.settings import load_department_config
from ui.officer.report_sections import build_report_page

pytestmark = pytest.mark.gui

PASSWORD = "violet kettle harbour"
WEB_WORDS = "The bicycle was bought at Main Street Cycles in May."
KIOSK_WORDS = "I bought it at the shop on Main Street last spring."


def both_answers(tmp_path):
    """A report asked about at the kiosk, answered on the status page and (before the next sync) at the kiosk."""
    db_url = fresh_database_url("sqlite", tmp_path)
    token = add_kiosk(db_url, "Lobby North", 1)
    with ServerProcess(db_url) as server, sync_kiosk(tmp_path / "kiosk", server.url, token) as kiosk:
        receipt = kiosk.reports.submit(load_sample("larceny-bicycle"))
        tracking = receipt.tracking_number
        kiosk.officers.add("dana", "Dana", "B-7", PASSWORD, by="cli:test")
        dana = kiosk.officers.login("dana", PASSWORD)
        detail = kiosk.review.open_report(tracking, dana)
        kiosk.review.request_info(tracking, dana, question="Where did you buy it?", expected_version=detail.version)
        assert kiosk.sync.run_once(force=True).error is None
        kiosk.clock.advance(minutes=20)
        now = kiosk.clock.now()
        database = open_database(db_url)
        try:
            citizen_status.answer(database, load_department_config(None), str(tracking), receipt.access_code,
                                  WEB_WORDS, client="203.0.113.9", now=now)
        finally:
            database.close()
        kiosk.clock.advance(minutes=5)
        StatusLookup(kiosk.store, kiosk.config, kiosk.clock, kiosk.audit).answer(tracking, receipt.access_code,
                                                                                 KIOSK_WORDS)
        assert kiosk.sync.run_once(force=True).error is None
        return kiosk.review.open_report(tracking, dana), kiosk.config.kiosk.zone


def labels(qtbot, detail, zone):
    built = build_report_page(detail, zone, lambda _number: None)
    qtbot.addWidget(built.page)
    return built, {widget.objectName(): widget.text() for widget in built.page.findChildren(QLabel)}


def test_each_answer_says_where_it_was_given_and_the_one_that_lost_keeps_its_words(qtbot, tmp_path):
    detail, zone = both_answers(tmp_path)
    built, texts = labels(qtbot, detail, zone)
    kiosk_answer, web_answer = texts["supplement_1_label"], texts["supplement_2_label"]
    assert kiosk_answer.startswith("Answered at the kiosk, ") and KIOSK_WORDS in kiosk_answer
    assert "Not sent to the department server: the citizen had already answered on the status page" in kiosk_answer
    assert web_answer.startswith("Answered on the status page, ") and WEB_WORDS in web_answer
    assert "Not sent" not in web_answer
    assert "by Citizen, on the status page" in texts["overruled_1_label"]
    built.page.resize(900, built.page.sizeHint().height())
    shots = Path(os.environ.get("P2C_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    assert built.page.grab().save(str(shots / "officer_web_answer.png"))


def test_where_the_citizen_answered_is_said_in_the_officers_language(qtbot, tmp_path, translations_dir):
    from PySide6.QtWidgets import QApplication

    from kiosk.translation import Catalogues
    from ui.i18n import LanguageSwitcher

    detail, zone = both_answers(tmp_path)
    catalogues = Catalogues(translations_dir)
    switcher = LanguageSwitcher(QApplication.instance(), ("en", "es"), catalogues=catalogues)
    switcher.set_language("es")
    try:
        _built, texts = labels(qtbot, detail, zone)
    finally:
        switcher.release()
    spanish = catalogues.get("es")
    kiosk_answer, web_answer = texts["supplement_1_label"], texts["supplement_2_label"]
    assert kiosk_answer.startswith(spanish.gettext("Answered at the kiosk, %1:").split("%1")[0])
    assert web_answer.startswith(spanish.gettext("Answered on the status page, %1:").split("%1")[0])
    assert spanish.gettext("Answered on the status page, %1:") != "Answered on the status page, %1:"
    assert KIOSK_WORDS in kiosk_answer and WEB_WORDS in web_answer  # the citizen's own words, never translated
