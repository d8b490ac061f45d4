"""One order of decisions per report, kept by the server (docs/sync-api.md, "One order of decisions"): a status change
carries the report's version it was made on; a stale one is refused naming the change that took its place, and so is
every later change of the same report in the push; the acknowledgement and the decisions feed say where each event
stands in the server's order. Also: the tracking number's published pattern is the server's own check."""

from __future__ import annotations

import re
import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st
from server_support import decide, fresh_database_url, server_events, server_reports

from kiosk.tracking import TrackingNumber, damm_check_digit
from server.db import open_database
from server.openapi import openapi_document
from server.schemas import TRACKING_PATTERN, PushedReport


def test_the_issue_reproduction_a_crossing_approval_is_refused_as_stale(world, kiosk):
    """Issue 16: the server asks for information; the kiosk, not knowing, approves. The lifecycle allows approving a
    needs_info report, so the server used to accept it; the version says it was made on the report as submitted."""
    tracking = kiosk.stored(1)
    asked = decide(world.db_url, tracking, "request-info", officer="srvjoe", question="Which bank?")
    assert asked["version"] == 1
    response = kiosk.push_events([kiosk.event(2, 1, "review_started", "in_review"),
                                  kiosk.event(3, 1, "approved", "approved", nibrs_code="23F", actor="officer:dana")])
    assert response.status_code == 409, response.text
    items = response.json()["error"]["items"]
    assert [(i["index"], i["code"], i["field"]) for i in items] == [
        (0, "stale_version", "events[0].version"), (1, "follows_refused", "events[1].version")]
    assert "info_requested by server:srvjoe" in items[0]["message"]
    [row] = [r for r in server_reports(world.db_url) if r["tracking_number"] == tracking]
    assert (row["status"], row["official_number"], row["version"]) == ("needs_info", None, 1)
    assert [e["action"] for e in server_events(world.db_url) if e["tracking_number"] == tracking] == [
        "submitted", "info_requested"]


def test_the_acknowledgement_and_the_feed_say_where_each_event_stands(world, kiosk):
    tracking = kiosk.stored(1)
    pushed = kiosk.push_events([kiosk.event(2, 1, "review_started", "in_review"),
                                kiosk.event(3, 1, "info_requested", "needs_info", message="Which bank?"),
                                kiosk.event(4, 1, "receipt_reprinted", "needs_info", actor="citizen")])
    assert pushed.status_code == 200, pushed.text
    results = pushed.json()["results"]
    assert [r["version"] for r in results] == [1, 2, 2]
    assert results[0]["cursor"] < results[1]["cursor"] < results[2]["cursor"]
    # Sent again: the same places.
    again = kiosk.push_events([kiosk.event(3, 1, "info_requested", "needs_info", message="Which bank?", version=1)])
    assert again.json()["results"][0] == results[1] | {"outcome": "already_stored"}
    approved = decide(world.db_url, tracking, "approve", officer="sgt", nibrs="23F")
    [decision] = kiosk.decisions().json()["decisions"]
    assert (decision["event_id"], decision["version"]) == (approved["event_id"], 3)
    # A status change made on version 2 now is stale; one made on a version the server never had is refused too.
    for version, words in ((2, "version 3: approved by server:sgt"), (7, "holds only 3 status changes")):
        response = kiosk.push_events([kiosk.event(5, 1, "rejected", "rejected", reason_code="other", message="No.",
                                                  version=version)])
        assert response.status_code == 409 and words in response.json()["error"]["items"][0]["message"]


def test_a_status_change_without_a_version_is_refused_and_other_events_need_none(world, kiosk):
    kiosk.stored(1)
    event = kiosk.event(2, 1, "review_started", "in_review")
    del event["version"]
    response = kiosk.push_events([event])
    assert response.status_code == 422
    assert response.json()["error"]["items"][0]["code"] == "version_required"
    reprint = kiosk.event(3, 1, "receipt_reprinted", "submitted", actor="citizen")
    assert "version" not in reprint
    assert kiosk.push_events([reprint]).status_code == 200


def test_an_event_stored_before_versions_is_still_recognised_when_sent_again(world, kiosk):
    """The body hash leaves the version out: an event a kiosk pushed before this version (its answer lost) and sends
    again with a version is the same event, not a conflict."""
    kiosk.stored(1)
    first = kiosk.event(2, 1, "review_started", "in_review")
    assert kiosk.push_events([first]).status_code == 200
    resent = dict(first, version=0)
    response = kiosk.push_events([resent])
    assert response.status_code == 200 and response.json()["results"][0]["outcome"] == "already_stored"


def test_an_older_database_gets_its_events_versions_when_opened(tmp_path):
    url = fresh_database_url("sqlite", tmp_path)
    database = open_database(url)
    database.close()
    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:  # the table as the first release made it: no version column, no versions
        conn.execute("ALTER TABLE event DROP COLUMN version")
        conn.execute("DROP TABLE schema_version")
        rows = [("K01-1", "submitted"), ("K01-2", "review_started"), ("S-3", "info_requested"),
                ("K01-4", "receipt_reprinted"), ("K01-5", "supplemented")]
        for event_id, action in rows:
            conn.execute("INSERT INTO event (event_id, tracking_number, kiosk_number, at, actor, action, status, "
                         "received_at) VALUES (?, 'T26-01-00001-5', 1, 'x', 'a', ?, 's', 'x')", (event_id, action))
    assert [e["version"] for e in server_events(url)] == [0, 1, 2, 2, 3]


# -- one definition of a tracking number --------------------------------------------------------------------------

def _canonical(year: int, kiosk: int, sequence: int) -> str:
    return str(TrackingNumber(year, kiosk, sequence))


def test_the_published_pattern_is_the_servers_check():
    document = openapi_document()
    pattern = document["components"]["schemas"]["PushedReport"]["properties"]["tracking_number"]["pattern"]
    assert pattern == TRACKING_PATTERN


def _accepted(text: str) -> bool:
    try:
        PushedReport.model_validate({"tracking_number": text, "kiosk_number": 1,
                                     "submitted_at": "2026-11-19T14:03:12.123456+00:00",
                                     "content_hash": "sha256:" + "0" * 64, "report": {}})
    except ValueError:
        return False
    return True


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.from_regex(TRACKING_PATTERN, fullmatch=True))
def test_every_number_the_pattern_allows_is_accepted_exactly_when_its_check_digit_is_right(text):
    body = re.sub(r"\D", "", text[1:-1])
    assert _accepted(text) == (damm_check_digit(body) == int(text[-1]))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.integers(0, 99), st.integers(1, 99), st.integers(1, 10**8))
def test_every_tracking_number_a_kiosk_makes_fits_the_pattern_and_is_accepted(year, kiosk, sequence):
    text = _canonical(year, kiosk, sequence)
    assert re.fullmatch(TRACKING_PATTERN, text, re.ASCII) and _accepted(text)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet=st.sampled_from("T-0123456789١٢٣٤٥٦٠"), min_size=8, max_size=18))
def test_nothing_outside_the_pattern_is_accepted(text):
    if _accepted(text):
        assert re.fullmatch(TRACKING_PATTERN, text, re.ASCII), text


def test_numbers_the_old_pattern_allowed_but_the_server_refuses_are_outside_the_pattern():
    old = r"^T\d{2}-\d{2}-\d{5,}-\d$"
    for text in ("T26-00-00042-3", "T26-01-00000-8", "T26-01-000042-1", "T٢٦-01-00042-1"):
        assert re.search(old, text) and not _accepted(text)
        assert not re.fullmatch(TRACKING_PATTERN, text, re.ASCII)
