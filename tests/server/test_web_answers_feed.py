"""A citizen's answer on the status page reaches the kiosk that holds the report through GET /api/v1/decisions, as a
``supplemented`` from ``citizen:web`` with its version; the version rules then hold for the kiosk's own changes."""

from __future__ import annotations

from datetime import UTC, datetime

from server_support import decide

from kiosk.access_codes import hash_access_code
from kiosk.sync.protocol import WEB_ANSWER_ACTOR
from server.citizen_status import answer
from server.db import open_database
from server.settings import load_department_config

CODE = "K7QM-2XHD"
TEXT = "It was red, with a basket on the front."


def _answered(world, kiosk, sequence: int) -> tuple[str, dict]:
    tracking = kiosk.stored(sequence)
    assert kiosk.http.post("/access-codes", json={"access_codes": [
        {"tracking_number": tracking, "verifier": hash_access_code(CODE)}]}).status_code == 200
    asked = decide(world.db_url, tracking, "request-info", question="What colour was it?")
    database = open_database(world.db_url)
    try:
        answer(database, load_department_config(None), tracking, CODE, TEXT, client="203.0.113.9",
               now=datetime.now(UTC))
    finally:
        database.close()
    return tracking, asked


def test_the_feed_carries_the_web_answer_after_the_question(world, kiosk):
    tracking, asked = _answered(world, kiosk, 1)
    page = kiosk.decisions(after=0).json()
    assert [(d["action"], d["actor"]) for d in page["decisions"]] == [
        ("info_requested", "server:sgt"), ("supplemented", WEB_ANSWER_ACTOR)]
    web = page["decisions"][1]
    assert web == {"cursor": web["cursor"], "event_id": f"S-{web['cursor']}", "tracking_number": tracking,
                   "at": web["at"], "actor": WEB_ANSWER_ACTOR, "action": "supplemented", "status": "in_review",
                   "reason_code": None, "message": TEXT, "nibrs_code": None, "official_number": None,
                   "version": asked["version"] + 1}
    # Another kiosk sees nothing of it.
    assert world.new_kiosk().decisions().json()["decisions"] == []


def test_a_kiosk_change_made_before_it_knew_of_the_web_answer_is_stale(world, kiosk):
    _tracking, asked = _answered(world, kiosk, 1)
    # The kiosk pulled the question (version 2 after it) but not the answer, and approves on version 2.
    sequence = 1
    stale = kiosk.event(50, sequence, "approved", "approved", nibrs_code="23F", version=asked["version"])
    response = kiosk.push_events([stale])
    assert response.status_code == 409, response.text
    assert response.json()["error"]["items"][0]["code"] == "stale_version"
    # Once it pulled the answer (version 3), the same decision on it is taken.
    fresh = kiosk.event(51, sequence, "approved", "approved", nibrs_code="23F", version=asked["version"] + 1)
    assert kiosk.push_events([fresh]).status_code == 200


def test_a_supplemented_the_kiosk_pushed_itself_is_not_fed_back_to_it(world, kiosk):
    tracking = kiosk.stored(1)
    decide(world.db_url, tracking, "request-info", question="What colour was it?")
    own = kiosk.event(60, 1, "supplemented", "in_review", actor="citizen", message=TEXT, version=1)
    assert kiosk.push_events([own]).status_code == 200
    assert [d["action"] for d in kiosk.decisions().json()["decisions"]] == ["info_requested"]
