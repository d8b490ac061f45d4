"""POST /api/v1/reports on a real server: stored once, acknowledged again, refused as a whole."""

from __future__ import annotations

from helpers import edited, load_sample
from server_support import server_conflicts, server_reports

from kiosk.sync.protocol import content_hash


def _held(world, kiosk):
    return {row["tracking_number"]: row for row in server_reports(world.db_url) if row["kiosk_number"] == kiosk.number}


def test_a_batch_is_stored_and_the_same_batch_again_is_acknowledged_not_stored_twice(world, kiosk):
    batch = [kiosk.report(1, "larceny-bicycle"), kiosk.report(2, "vandalism-car-es"), kiosk.report(3, "lost-wallet"),
             kiosk.report(4, "identity-theft")]
    first = kiosk.push_reports(batch)
    assert first.status_code == 200, first.text
    assert first.json() == {"results": [{"tracking_number": item["tracking_number"], "outcome": "stored"}
                                        for item in batch]}
    again = kiosk.push_reports([*batch[1:], kiosk.report(5)])
    assert again.status_code == 200, again.text
    assert [r["outcome"] for r in again.json()["results"]] == ["already_stored"] * 3 + ["stored"]
    held = _held(world, kiosk)
    assert sorted(held) == sorted(kiosk.tracking(n) for n in range(1, 6))
    assert held[kiosk.tracking(2)]["content_hash"] == batch[1]["content_hash"]
    assert {row["status"] for row in held.values()} == {"submitted"}


def test_the_same_tracking_number_with_other_content_is_a_conflict_kept_for_the_department(world, kiosk):
    assert kiosk.push_reports([kiosk.report(1)]).status_code == 200
    changed = edited(load_sample("larceny-bicycle"), "incident.narrative", "Someone took my bicycle from the rack.")
    offered = kiosk.report(1, data=changed)
    response = kiosk.push_reports([kiosk.report(2), offered])
    assert response.status_code == 409, response.text
    error = response.json()["error"]
    assert error["code"] == "conflict"
    assert error["items"] == [{"index": 1, "tracking_number": kiosk.tracking(1), "event_id": None,
                               "field": "reports[1].content_hash", "code": "content_differs",
                               "message": error["items"][0]["message"]}]
    assert "different content" in error["items"][0]["message"]
    # All or nothing: report 2, valid on its own, was not stored either.
    assert sorted(_held(world, kiosk)) == [kiosk.tracking(1)]
    assert _held(world, kiosk)[kiosk.tracking(1)]["content_hash"] == content_hash(load_sample("larceny-bicycle"))
    mine = [c for c in server_conflicts(world.db_url) if c["kiosk_number"] == kiosk.number]
    assert [(c["kind"], c["tracking_number"], c["code"], c["times"]) for c in mine] == [
        ("report", kiosk.tracking(1), "content_differs", 1)]
    assert kiosk.push_reports([offered]).status_code == 409
    mine = [c for c in server_conflicts(world.db_url) if c["kiosk_number"] == kiosk.number]
    assert [c["times"] for c in mine] == [2]


def test_an_invalid_report_is_refused_naming_the_field_and_nothing_of_the_batch_is_stored(world, kiosk):
    bad_phone = edited(load_sample("larceny-bicycle"), "reporter.phone", "12")
    response = kiosk.push_reports([kiosk.report(1), kiosk.report(2, data=bad_phone), kiosk.report(3)])
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid"
    [item] = error["items"]
    assert item["field"] == "reports[1].report.reporter.phone"
    assert item["index"] == 1 and item["tracking_number"] == kiosk.tracking(2)
    assert "phone number" in item["message"]
    assert _held(world, kiosk) == {}


def test_every_refused_item_is_named(world, kiosk):
    wrong_hash = kiosk.report(2)
    wrong_hash["content_hash"] = content_hash({"other": "document"})
    wrong_number = kiosk.report(3)
    wrong_number["kiosk_number"] = kiosk.number % 99 + 1
    missing = kiosk.report(4)
    del missing["submitted_at"]
    naive = kiosk.report(5)
    naive["submitted_at"] = "2026-11-24T12:00:00"
    response = kiosk.push_reports([kiosk.report(1), wrong_hash, wrong_number, missing, naive])
    assert response.status_code == 422, response.text
    fields = {item["field"]: item for item in response.json()["error"]["items"]}
    assert set(fields) == {"reports[3].submitted_at", "reports[4].submitted_at"}, "the shape is checked first"
    assert fields["reports[3].submitted_at"]["message"] == "is required"
    assert "UTC offset" in fields["reports[4].submitted_at"]["message"]
    assert fields["reports[4].submitted_at"]["tracking_number"] == kiosk.tracking(5)
    response = kiosk.push_reports([kiosk.report(1), wrong_hash, wrong_number])
    assert response.status_code == 422, response.text
    assert [(i["field"], i["code"]) for i in response.json()["error"]["items"]] == [
        ("reports[1].content_hash", "hash_mismatch"), ("reports[2].kiosk_number", "kiosk_mismatch")]
    assert _held(world, kiosk) == {}


def test_a_report_is_checked_with_its_own_submission_time_as_now(world, kiosk):
    # The larceny sample happened days before helpers.NOW; submitted a day before it happened, it would be in the
    # future, and the kiosk's own rules refuse that.
    sample = load_sample("larceny-bicycle")
    from datetime import datetime

    occurred = datetime.fromisoformat(sample["incident"]["occurred_to"])
    early = kiosk.report(1, submitted_at=occurred.replace(year=occurred.year - 1))
    response = kiosk.push_reports([early])
    assert response.status_code == 422, response.text
    assert {i["field"] for i in response.json()["error"]["items"]} >= {"reports[0].report.incident.occurred_to"}


def test_a_report_of_another_kiosk_is_forbidden(world, kiosk):
    other = world.new_kiosk()
    theirs = other.report(1)
    response = kiosk.push_reports([kiosk.report(1), theirs])
    assert response.status_code == 403, response.text
    error = response.json()["error"]
    assert error["code"] == "forbidden"
    assert [(i["index"], i["tracking_number"], i["field"]) for i in error["items"]] == [
        (1, other.tracking(1), "reports[1].tracking_number")]
    assert _held(world, kiosk) == {} and _held(world, other) == {}
