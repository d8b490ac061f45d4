"""The citizen's answer given on the department server's status page reaches the kiosk that holds the report with the
next sync run (the decisions feed's ``supplemented`` by ``citizen:web``): a history event with the answer, the report
back in review, an audit entry naming the status page, no e-mail. And when the citizen answers at the kiosk too, the
kiosk's answer loses the server's version race but keeps its words for the officer. Real SQLite kiosk, the real
reference server on 127.0.0.1, the answer made through the server's own status service."""

from __future__ import annotations

from datetime import datetime

import pytest
from helpers import load_sample
from server_support import server_events
from sync_support import reference_server, sync_kiosk

from kiosk.sync import state
from kiosk.sync.protocol import WEB_ANSWER_ACTOR
from server import citizen_status
from server.db import open_database
from server.settings import load_department_config

PASSWORD = "violet kettle harbour"
WEB_WORDS = "The bicycle was bought at Main Street Cycles in May, receipt attached at home."
KIOSK_WORDS = "I bought it at the shop on Main Street last spring, I still have the paper receipt."


def answer_on_the_page(db_url: str, tracking: str, code: str, text: str, now: datetime) -> None:
    """What the status page does with the citizen's answer (server.citizen_status, the page's one service)."""
    database = open_database(db_url)
    try:
        citizen_status.answer(database, load_department_config(None), tracking, code, text, client="203.0.113.9",
                              now=now)
    finally:
        database.close()


def ask(kiosk, tracking, question="Where did you buy the bicycle?"):
    """Officer Dana (added here) asks the citizen for more information at the kiosk."""
    kiosk.officers.add("dana", "Dana", "B-7", PASSWORD, by="cli:test")
    dana = kiosk.officers.login("dana", PASSWORD)
    detail = kiosk.review.open_report(tracking, dana)
    kiosk.review.request_info(tracking, dana, question=question, expected_version=detail.version)
    return dana


def asked_and_synced(kiosk):
    """A bicycle theft reported at the kiosk, Dana's question asked, and both synced to the server: the receipt."""
    receipt = kiosk.reports.submit(load_sample("larceny-bicycle"))
    ask(kiosk, receipt.tracking_number)
    assert kiosk.sync.run_once(force=True).error is None
    return receipt


def history(kiosk, tracking):
    return kiosk.reports.get(tracking)["history"]


def notices(kiosk) -> list[str]:
    return [row[0] for row in kiosk.store.db.execute_sql("SELECT kind FROM notice ORDER BY id")]


@pytest.fixture
def sync_server(tmp_path):
    with reference_server(tmp_path) as running:
        yield running


def test_an_answer_on_the_status_page_reaches_the_kiosk_audited_and_without_an_email(tmp_path, sync_server):
    with sync_kiosk(tmp_path / "kiosk", sync_server.url, sync_server.token) as kiosk:
        receipt = asked_and_synced(kiosk)
        tracking = receipt.tracking_number
        assert [e["action"] for e in server_events(sync_server.db_url)][-1] == "info_requested"
        sent_before = notices(kiosk)
        kiosk.clock.advance(minutes=20)
        answer_on_the_page(sync_server.db_url, str(tracking), receipt.access_code, WEB_WORDS, kiosk.clock.now())
        run = kiosk.sync.run_once(force=True)
        assert run.error is None and run.decisions_pulled == 1 and run.events_pushed == 0
        last = history(kiosk, tracking)[-1]
        assert (last["actor"], last["action"], last["status"], last["message"]) == (
            WEB_ANSWER_ACTOR, "supplemented", "in_review", WEB_WORDS)
        assert kiosk.reports.get(tracking)["status"] == "in_review"
        entry = next(e for e in kiosk.audit.entries() if e.action == "supplemented")
        assert (entry.actor, entry.subject, entry.details["source"]) == (WEB_ANSWER_ACTOR, str(tracking), "web")
        assert str(entry.details["event_id"]).startswith("S-")
        assert notices(kiosk) == sent_before  # no e-mail for an answer the citizen just gave
        assert kiosk.audit.verify().ok
        # Never pushed back, and a second run applies nothing twice.
        again = kiosk.sync.run_once(force=True)
        assert (again.error, again.events_pushed, again.decisions_pulled) == (None, 0, 0)
        assert state.count_pending_events(kiosk.store) == 0
        assert len([e for e in history(kiosk, tracking) if e["action"] == "supplemented"]) == 1
        # The officer may ask again, and it goes to the server on top of the web answer.
        dana = kiosk.officers.login("dana", PASSWORD)
        detail = kiosk.review.open_report(tracking, dana)
        assert [s.actor for s in detail.overruled] == []
        kiosk.review.request_info(tracking, dana, question="And the frame number?", expected_version=detail.version)
        run = kiosk.sync.run_once(force=True)
        assert run.error is None and run.conflicts == 0
        assert [e["action"] for e in server_events(sync_server.db_url)][-2:] == ["supplemented", "info_requested"]


def test_a_kiosk_answer_that_loses_the_race_keeps_its_words_for_the_officer(tmp_path, sync_server):
    from kiosk.lookup import StatusLookup

    with sync_kiosk(tmp_path / "kiosk", sync_server.url, sync_server.token) as kiosk:
        receipt = asked_and_synced(kiosk)
        tracking = receipt.tracking_number
        # The citizen answers on the phone, then (before the kiosk syncs) at the kiosk as well.
        kiosk.clock.advance(minutes=20)
        answer_on_the_page(sync_server.db_url, str(tracking), receipt.access_code, WEB_WORDS, kiosk.clock.now())
        StatusLookup(kiosk.store, kiosk.config, kiosk.clock, kiosk.audit).answer(tracking, receipt.access_code,
                                                                                 KIOSK_WORDS)
        run = kiosk.sync.run_once(force=True)
        assert run.error is None and run.decisions_pulled == 1
        answers = [(e["actor"], e["message"]) for e in history(kiosk, tracking) if e["action"] == "supplemented"]
        assert answers == [("citizen", KIOSK_WORDS), (WEB_ANSWER_ACTOR, WEB_WORDS)]  # both kept, in history order
        assert kiosk.reports.get(tracking)["status"] == "in_review"
        dana = kiosk.officers.login("dana", PASSWORD)
        detail = kiosk.review.open_report(tracking, dana)
        lost = [s for s in detail.overruled if s.action == "supplemented"]
        assert len(lost) == 1 and lost[0].actor == "citizen" and lost[0].by_actor == WEB_ANSWER_ACTOR
        assert any(e.action == "decision_overruled" for e in kiosk.audit.entries())
        # The server holds the web answer once, the kiosk's answer not at all.
        held = [e for e in server_events(sync_server.db_url) if e["action"] == "supplemented"]
        assert [(e["actor"], e["message"]) for e in held] == [(WEB_ANSWER_ACTOR, WEB_WORDS)]
        assert state.count_pending_events(kiosk.store) == 0


def test_a_supplemented_item_from_anyone_but_the_status_page_is_skipped(tmp_path, sync_server):
    """The feed's ``supplemented`` is the status page's only; another actor's is not the kiosk's to apply."""
    from kiosk.sync.apply import apply_decision

    with sync_kiosk(tmp_path / "kiosk", sync_server.url, sync_server.token) as kiosk:
        tracking = kiosk.reports.submit(load_sample("larceny-bicycle")).tracking_number
        item = {"event_id": "S-99", "tracking_number": str(tracking), "action": "supplemented",
                "actor": "officer:someone", "message": "not an answer", "at": "2026-11-24T12:00:00+00:00"}
        assert not apply_decision(kiosk.store, kiosk.config, kiosk.clock, kiosk.outbox, kiosk.audit, item)
        assert not apply_decision(kiosk.store, kiosk.config, kiosk.clock, kiosk.outbox, kiosk.audit,
                                  {**item, "actor": WEB_ANSWER_ACTOR, "message": "  "})
        assert [e["action"] for e in history(kiosk, tracking)] == ["submitted"]
