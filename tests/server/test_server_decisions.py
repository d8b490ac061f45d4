"""GET /api/v1/decisions: decisions made elsewhere on this kiosk's reports, by cursor, never skipped."""

from __future__ import annotations

import threading

from server_support import decide, server_events

from kiosk.config import config_from_mapping
from kiosk.review import notes
from kiosk.review.service import default_next_steps


def _pull_all(kiosk, after=0, limit=100):
    pulled = []
    while True:
        response = kiosk.decisions(after=after, limit=limit)
        assert response.status_code == 200, response.text
        page = response.json()
        pulled += page["decisions"]
        after = page["next_cursor"]
        if not page["more"]:
            return pulled, after


def test_the_feed_holds_decisions_made_at_the_server_on_this_kiosks_reports_only(world, kiosk):
    first, second, _third, fourth = (kiosk.stored(n) for n in (1, 2, 3, 4))
    other = world.new_kiosk()
    theirs = other.stored(1)
    assert kiosk.push_events([kiosk.event(10, 3, "approved", "approved", nibrs_code="23F")]).status_code == 200
    rejected = decide(world.db_url, first, "reject", officer="sgt", reason="duplicate", duplicate_of=second)
    asked = decide(world.db_url, second, "request-info", officer="jdoe", question="What colour was the bicycle?")
    approved = decide(world.db_url, fourth, "approve", officer="jdoe", nibrs="23f")
    decide(world.db_url, theirs, "approve", officer="sgt", nibrs="23F")

    pulled, cursor = _pull_all(kiosk)
    assert [d["event_id"] for d in pulled] == [rejected["event_id"], asked["event_id"], approved["event_id"]]
    assert cursor == approved["cursor"]
    reject = pulled[0]
    steps = default_next_steps("duplicate", "en", config_from_mapping({}))
    assert reject == {"cursor": rejected["cursor"], "event_id": f"S-{rejected['cursor']}", "tracking_number": first,
                      "at": rejected["at"], "actor": "server:sgt", "action": "rejected", "status": "rejected",
                      "reason_code": "duplicate", "message": notes.reject_message("", second, steps),
                      "nibrs_code": None, "official_number": None, "version": 1}
    assert (pulled[1]["action"], pulled[1]["status"], pulled[1]["message"]) == (
        "info_requested", "needs_info", "What colour was the bicycle?")
    assert (pulled[2]["status"], pulled[2]["nibrs_code"]) == ("approved", "23F")
    assert pulled[2]["official_number"].startswith("HPD-2026-")
    # Nothing new after the cursor.
    assert kiosk.decisions(after=cursor).json() == {"decisions": [], "next_cursor": cursor, "more": False}
    # The other kiosk sees only its own.
    assert [d["tracking_number"] for d in _pull_all(other)[0]] == [theirs]


def test_pages_follow_the_cursor_with_limit_and_more(world, kiosk):
    numbers = [kiosk.stored(n) for n in range(1, 6)]
    made = [decide(world.db_url, t, "approve", nibrs="23F")["cursor"] for t in numbers]
    page = kiosk.decisions(limit=2).json()
    assert [d["cursor"] for d in page["decisions"]] == made[:2] and page["more"] is True
    assert page["next_cursor"] == made[1]
    page = kiosk.decisions(after=page["next_cursor"], limit=2).json()
    assert [d["cursor"] for d in page["decisions"]] == made[2:4] and page["more"] is True
    page = kiosk.decisions(after=page["next_cursor"], limit=2).json()
    assert [d["cursor"] for d in page["decisions"]] == made[4:] and page["more"] is False
    assert [d["cursor"] for d in kiosk.decisions().json()["decisions"]] == made
    # The kiosk's own events are not in its feed; with no decision after them, the last page's cursor still moves
    # past them, so the next pull starts after them instead of reading them all again (a kiosk never decided
    # elsewhere would otherwise go over its whole history on every pull; the shared server's kiosk numbers are
    # few, so this test's kiosk shows it).
    assert kiosk.push_reports([kiosk.report(6, "larceny-bicycle")]).status_code == 200
    response = kiosk.push_events([kiosk.event(6000, 6, "submitted", "submitted", actor="citizen"),
                                  kiosk.event(6001, 6, "review_started", "in_review")])
    assert response.status_code == 200, response.text
    newest = max(result["cursor"] for result in response.json()["results"])
    assert kiosk.decisions(after=made[-1]).json() == {"decisions": [], "next_cursor": newest, "more": False}
    assert kiosk.decisions(after=newest).json() == {"decisions": [], "next_cursor": newest, "more": False}
    assert kiosk.decisions(after=newest + 50).json() == {"decisions": [], "next_cursor": newest + 50, "more": False}
    # A decision made after them is the next page, and the cursor is that decision's.
    decided = decide(world.db_url, kiosk.tracking(6), "approve", nibrs="23F")
    page = kiosk.decisions(after=newest).json()
    assert [d["event_id"] for d in page["decisions"]] == [decided["event_id"]]
    assert page["next_cursor"] == decided["cursor"] and page["more"] is False


def test_a_puller_never_skips_a_decision_while_others_commit(world, kiosk):
    numbers = [kiosk.stored(n) for n in range(1, 25)]
    other = world.new_kiosk()
    for n in range(1, 13):
        other.stored(n)
    errors = []

    def decide_all(items):
        try:
            for tracking in items:
                decide(world.db_url, tracking, "approve", nibrs="23F")
        except Exception as exc:  # reported below
            errors.append(exc)

    def approve_at_other_kiosk():
        for n in range(1, 13):
            response = other.push_events([other.event(100 + n, n, "approved", "approved", nibrs_code="23F")])
            if response.status_code != 200:
                errors.append(response.text)

    workers = [threading.Thread(target=decide_all, args=(numbers[0::2],)),
               threading.Thread(target=decide_all, args=(numbers[1::2],)),
               threading.Thread(target=approve_at_other_kiosk)]
    for worker in workers:
        worker.start()
    pulled, cursor = [], 0
    while any(worker.is_alive() for worker in workers):
        page, cursor = _pull_all(kiosk, after=cursor, limit=3)
        pulled += page
    for worker in workers:
        worker.join()
    page, cursor = _pull_all(kiosk, after=cursor, limit=3)
    pulled += page
    assert errors == []
    assert sorted(d["tracking_number"] for d in pulled) == sorted(numbers), "each decision exactly once"
    cursors = [d["cursor"] for d in pulled]
    assert cursors == sorted(cursors)
    official = [e["official_number"] for e in server_events(world.db_url) if e["official_number"]]
    assert len(official) == len(set(official)), "no official number given twice"


def test_the_cursor_and_limit_are_checked(world, kiosk):
    for params, field in (({"limit": 0}, "limit"), ({"limit": 501}, "limit"), ({"after": -1}, "after"),
                          ({"after": "x"}, "after"), ({"after": "9" * 400}, "after")):
        response = kiosk.http.get("/decisions", params=params)
        assert response.status_code == 422, (params, response.text)
        assert [i["field"] for i in response.json()["error"]["items"]] == [field]

