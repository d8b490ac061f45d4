"""A push is applied as if its items were applied one at a time, in order, although the server reads and writes a
batch's rows together: items of the same report or the same id inside one batch see each other, and a refused batch
changes nothing (no report, no event, no official number)."""

from __future__ import annotations

from datetime import UTC, datetime

from server_support import import_numbers, server_events, server_reports

from kiosk.sync.protocol import content_hash


def _report(world, tracking):
    return next(row for row in server_reports(world.db_url) if row["tracking_number"] == tracking)


def _sequence(number: str) -> int:
    return int(number.rsplit("-", 1)[1])


def test_the_same_tracking_number_twice_in_one_batch_is_stored_once(world, kiosk):
    report = kiosk.report(1)
    response = kiosk.push_reports([report, kiosk.report(2), report])
    assert response.status_code == 200, response.text
    assert [r["outcome"] for r in response.json()["results"]] == ["stored", "stored", "already_stored"]
    mine = [row["tracking_number"] for row in server_reports(world.db_url) if row["kiosk_number"] == kiosk.number]
    assert mine == [kiosk.tracking(1), kiosk.tracking(2)]


def test_the_same_tracking_number_twice_with_other_content_in_one_batch_is_a_conflict_and_nothing_is_stored(
        world, kiosk):
    first = kiosk.report(1)
    changed = kiosk.report(1)
    changed["report"]["incident"]["narrative"] += " It was blue."
    changed["content_hash"] = content_hash(changed["report"])
    response = kiosk.push_reports([kiosk.report(2), first, changed])
    assert response.status_code == 409, response.text
    [item] = response.json()["error"]["items"]
    assert (item["index"], item["code"], item["field"]) == (2, "content_differs", "reports[2].content_hash")
    assert [row for row in server_reports(world.db_url) if row["kiosk_number"] == kiosk.number] == []


def test_whole_histories_in_one_batch_move_each_report_and_number_the_approvals_in_order(world, kiosk):
    for sequence in (1, 2, 3, 4):
        assert kiosk.push_reports([kiosk.report(sequence)]).status_code == 200
    # Report 3 was approved and numbered while the kiosk was standalone; the department imported that number.
    import_numbers(world.db_url, kiosk.number, [(kiosk.tracking(3), "HPD-2026-800001")])
    new_year = datetime(2027, 1, 2, 15, 0, tzinfo=UTC)
    events = [kiosk.event(1, 1, "submitted", "submitted", actor="citizen"),
              kiosk.event(2, 2, "submitted", "submitted", actor="citizen"),
              kiosk.event(3, 1, "review_started", "in_review"),
              kiosk.event(4, 2, "review_started", "in_review"),
              kiosk.event(5, 2, "approved", "approved", nibrs_code="23f"),
              kiosk.event(6, 1, "approved", "approved", nibrs_code="23F"),
              kiosk.event(7, 3, "submitted", "submitted", actor="citizen"),
              kiosk.event(8, 3, "approved", "approved", nibrs_code="23F", official_number="HPD-2026-800001"),
              kiosk.event(9, 4, "submitted", "submitted", actor="citizen"),
              kiosk.event(10, 4, "rejected", "rejected", reason_code="duplicate", message="Filed twice."),
              kiosk.event(11, 2, "receipt_reprinted", "approved", actor="citizen")]
    events[4]["at"] = new_year.isoformat(timespec="microseconds")  # report 2's approval falls in 2027
    events.append(dict(events[5]))  # the same event again in the same batch: acknowledged, same number
    response = kiosk.push_events(events)
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["outcome"] for r in results] == ["stored"] * 11 + ["already_stored"]
    numbers = [r["official_number"] for r in results]
    assert numbers[4].startswith("HPD-2027-") and numbers[5].startswith("HPD-2026-")
    assert numbers[7] == "HPD-2026-800001" and numbers[11] == numbers[5]
    assert [n for i, n in enumerate(numbers) if i not in (4, 5, 7, 11)] == [None] * 8
    rows = {sequence: _report(world, kiosk.tracking(sequence)) for sequence in (1, 2, 3, 4)}
    assert [(rows[s]["status"], rows[s]["official_number"], rows[s]["nibrs_code"]) for s in (1, 2, 3, 4)] == [
        ("approved", numbers[5], "23F"), ("approved", numbers[4], "23F"), ("approved", "HPD-2026-800001", "23F"),
        ("rejected", None, None)]
    held = [e for e in server_events(world.db_url) if e["origin"] == kiosk.number]
    assert [e["event_id"] for e in held] == [e["event_id"] for e in events[:11]], "stored once, in batch order"
    assert [e["status"] for e in held] == ["submitted", "submitted", "in_review", "in_review", "approved",
                                           "approved", "submitted", "approved", "submitted", "rejected", "approved"]


def test_many_approvals_in_one_batch_get_consecutive_numbers_in_batch_order(world, kiosk):
    count = 60
    assert kiosk.push_reports([kiosk.report(s) for s in range(1, count + 1)]).status_code == 200
    events = [kiosk.event(s, s, "approved", "approved", nibrs_code="23F") for s in range(1, count + 1)]
    response = kiosk.push_events(events)
    assert response.status_code == 200, response.text
    sequences = [_sequence(r["official_number"]) for r in response.json()["results"]]
    assert sequences == list(range(sequences[0], sequences[0] + count))


def test_a_refused_batch_changes_no_report_and_uses_no_official_number(world, kiosk):
    for sequence in (1, 2, 3):
        assert kiosk.push_reports([kiosk.report(sequence)]).status_code == 200
    first = kiosk.push_events([kiosk.event(1, 1, "approved", "approved", nibrs_code="23F")])
    assert first.status_code == 200, first.text
    before = _sequence(first.json()["results"][0]["official_number"])
    # Report 2 approved, then rejected, in the same push: the rejection sees the approval made just before it.
    response = kiosk.push_events([kiosk.event(2, 3, "review_started", "in_review"),
                                  kiosk.event(3, 2, "approved", "approved", nibrs_code="23F", actor="officer:amy"),
                                  kiosk.event(4, 2, "rejected", "rejected", reason_code="other", message="No.")])
    assert response.status_code == 409, response.text
    [item] = response.json()["error"]["items"]
    assert (item["index"], item["code"], item["field"]) == (2, "decided_elsewhere", "events[2].action")
    assert "approved on the server by officer:amy" in item["message"]
    assert [(_report(world, kiosk.tracking(s))["status"], _report(world, kiosk.tracking(s))["official_number"])
            for s in (2, 3)] == [("submitted", None), ("submitted", None)]
    assert [e["event_id"] for e in server_events(world.db_url) if e["origin"] == kiosk.number] == [
        events_id for events_id in (f"K{kiosk.number:02d}-1",)]
    # Nothing of the refused push was stored: report 2 is still at version 0.
    after = kiosk.push_events([kiosk.event(3, 2, "approved", "approved", nibrs_code="23F", version=0)])
    assert after.status_code == 200, after.text
    assert _sequence(after.json()["results"][0]["official_number"]) == before + 1


def test_the_same_event_id_twice_in_one_batch_with_other_bodies_is_a_conflict(world, kiosk):
    assert kiosk.push_reports([kiosk.report(1)]).status_code == 200
    response = kiosk.push_events([kiosk.event(1, 1, "submitted", "submitted", actor="citizen"),
                                  kiosk.event(1, 1, "submitted", "submitted", actor="someone else")])
    assert response.status_code == 409, response.text
    [item] = response.json()["error"]["items"]
    assert (item["index"], item["code"]) == (1, "event_differs")
    assert [e for e in server_events(world.db_url) if e["origin"] == kiosk.number] == []
