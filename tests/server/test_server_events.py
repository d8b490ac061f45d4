"""POST /api/v1/events on a real server: the kiosk's lifecycle, idempotency by event id, official numbers."""

from __future__ import annotations

from datetime import UTC

import pytest
from server_support import decide, import_numbers, server_conflicts, server_events, server_reports

from server.official_numbers import NumbersImportError


def _report(world, tracking):
    return next(row for row in server_reports(world.db_url) if row["tracking_number"] == tracking)


def _official_numbers(world):
    return [row["official_number"] for row in server_reports(world.db_url) if row["official_number"]]


def test_a_reports_history_moves_its_status_and_an_approval_gets_the_next_official_number(world, kiosk):
    tracking = kiosk.stored(1)
    events = [kiosk.event(2, 1, "review_started", "in_review"),
              kiosk.event(3, 1, "info_requested", "needs_info", message="Which bicycle lock?"),
              kiosk.event(4, 1, "supplemented", "in_review", actor="citizen"),
              kiosk.event(5, 1, "approved", "approved", nibrs_code="23f")]
    before = set(_official_numbers(world))
    response = kiosk.push_events(events)
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [(r["event_id"], r["outcome"]) for r in results] == [(e["event_id"], "stored") for e in events]
    assert [r["official_number"] for r in results[:3]] == [None, None, None]
    number = results[3]["official_number"]
    assert number.startswith("HPD-2026-") and number not in before
    row = _report(world, tracking)
    assert (row["status"], row["official_number"], row["nibrs_code"]) == ("approved", number, "23F")
    mine = [e for e in server_events(world.db_url) if e["tracking_number"] == tracking]
    assert [e["action"] for e in mine] == ["submitted", "review_started", "info_requested", "supplemented",
                                           "approved"]
    assert {e["origin"] for e in mine} == {kiosk.number}

    # Pushed again (the answer was lost): acknowledged, and the same number again, not a new one.
    again = kiosk.push_events(events)
    assert again.status_code == 200, again.text
    assert [r["outcome"] for r in again.json()["results"]] == ["already_stored"] * 4
    assert again.json()["results"][3]["official_number"] == number
    assert len([e for e in server_events(world.db_url) if e["tracking_number"] == tracking]) == 5


def test_official_numbers_follow_one_department_sequence_per_year(world):
    first, second = world.new_kiosk(), world.new_kiosk()
    a, b, c = first.stored(1), second.stored(1), first.stored(2)
    numbers = []
    for client, sequence, local in ((first, 1, 11), (second, 1, 12), (first, 2, 13)):
        response = client.push_events([client.event(local, sequence, "approved", "approved", nibrs_code="23F")])
        assert response.status_code == 200, response.text
        numbers.append(response.json()["results"][0]["official_number"])
    sequences = [int(n.rsplit("-", 1)[1]) for n in numbers]
    assert all(n.startswith("HPD-2026-") for n in numbers)
    assert sequences == sorted(sequences) and len(set(sequences)) == 3
    assert sequences[2] - sequences[0] >= 2
    # An approval dated in another year takes that year's sequence.
    d = first.stored(3)
    from datetime import datetime

    new_year = datetime(2027, 1, 2, 15, 0, tzinfo=UTC)
    response = first.push_events([first.event(14, 3, "approved", "approved", nibrs_code="23F", at=new_year)])
    assert response.json()["results"][0]["official_number"].startswith("HPD-2027-")
    assert {a, b, c, d} <= {row["tracking_number"] for row in server_reports(world.db_url)}


def test_an_approval_that_carries_an_imported_official_number_keeps_it(world, kiosk):
    tracking = kiosk.stored(1)
    import_numbers(world.db_url, kiosk.number, [(tracking, "HPD-2026-900001")])
    response = kiosk.push_events([kiosk.event(2, 1, "approved", "approved", nibrs_code="23F",
                                              official_number="HPD-2026-900001")])
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["official_number"] == "HPD-2026-900001"
    assert _report(world, tracking)["official_number"] == "HPD-2026-900001"


def test_a_connected_kiosk_cannot_choose_an_official_number(world, kiosk):
    """Only the server gives official numbers to a connected kiosk: an approval carrying a number the department did
    not import for that very report is refused, whatever the number, and nothing is stored."""
    tracking, other = kiosk.stored(1), kiosk.stored(2)
    import_numbers(world.db_url, kiosk.number, [(other, "HPD-2026-900002")])
    for number in ("HPD-2026-999999", "HPD-2026-900002"):  # one never imported; one imported for another report
        response = kiosk.push_events([kiosk.event(2, 1, "approved", "approved", nibrs_code="23F",
                                                  official_number=number, version=0)])
        assert response.status_code == 403, response.text
        [item] = response.json()["error"]["items"]
        assert (item["field"], item["code"]) == ("events[0].official_number", "official_number_not_allowed")
        assert "import-numbers" in item["message"]
        assert _report(world, tracking)["status"] == "submitted"
        assert _report(world, tracking)["official_number"] is None
    # The same approval without a number gets the department's next one.
    response = kiosk.push_events([kiosk.event(2, 1, "approved", "approved", nibrs_code="23F", version=0)])
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["official_number"].startswith("HPD-2026-")


def test_the_sequence_skips_imported_numbers_and_an_import_never_takes_a_held_one(world):
    first, second = world.new_kiosk(), world.new_kiosk()
    a, b, c, d = first.stored(1), second.stored(1), first.stored(2), second.stored(2)
    assigned = first.push_events([first.event(11, 1, "approved", "approved", nibrs_code="23F")])
    number = assigned.json()["results"][0]["official_number"]
    prefix, sequence = number.rsplit("-", 1)
    # b's kiosk, standalone before, numbered b with what is the server's very next number; the department imports it
    # before b's approval arrives, and the server's next approval skips it.
    brought = f"{prefix}-{int(sequence) + 1:06d}"
    import_numbers(world.db_url, second.number, [(b, brought)])
    later = first.push_events([first.event(13, 2, "approved", "approved", nibrs_code="23F")])
    assert later.json()["results"][0]["official_number"] == f"{prefix}-{int(sequence) + 2:06d}"
    kept = second.push_events([second.event(12, 1, "approved", "approved", nibrs_code="23F",
                                            official_number=brought)])
    assert kept.json()["results"][0]["official_number"] == brought
    # A number that already names a report, or one given twice, is never imported; nothing of the file is.
    with pytest.raises(NumbersImportError, match=f"{number} already names report {a}"):
        import_numbers(world.db_url, second.number, [(d, number)])
    with pytest.raises(NumbersImportError, match="given to both"):
        import_numbers(world.db_url, second.number, [(b, "HPD-2026-955556"), (d, "HPD-2026-955556")])
    assert {row["official_number"] for row in server_reports(world.db_url) if row["tracking_number"] in (a, b, c)} \
        == {number, brought, f"{prefix}-{int(sequence) + 2:06d}"}
    assert _report(world, d)["official_number"] is None


def test_the_same_event_id_with_another_body_is_a_conflict(world, kiosk):
    kiosk.stored(1)
    assert kiosk.push_events([kiosk.event(2, 1, "review_started", "in_review")]).status_code == 200
    response = kiosk.push_events([kiosk.event(2, 1, "review_started", "in_review", actor="officer:other")])
    assert response.status_code == 409, response.text
    [item] = response.json()["error"]["items"]
    assert (item["event_id"], item["code"], item["field"]) == (f"K{kiosk.number:02d}-2", "event_differs",
                                                              "events[0].event_id")
    assert any(c["event_id"] == item["event_id"] and c["code"] == "event_differs"
               for c in server_conflicts(world.db_url))


def test_a_decision_made_on_a_stale_version_is_refused_naming_the_one_that_took_its_place(world, kiosk):
    tracking = kiosk.stored(1)
    other = kiosk.stored(2)
    decide(world.db_url, tracking, "reject", officer="sgt", reason="duplicate", duplicate_of=other)
    response = kiosk.push_events([kiosk.event(3, 2, "review_started", "in_review"),
                                  kiosk.event(4, 1, "approved", "approved", nibrs_code="23F")])
    assert response.status_code == 409, response.text
    error = response.json()["error"]
    [item] = error["items"]
    assert (item["index"], item["tracking_number"], item["code"]) == (1, tracking, "stale_version")
    assert "version 0" in item["message"] and "rejected by server:sgt" in item["message"]
    assert _report(world, tracking)["status"] == "rejected"
    assert _report(world, other)["status"] == "submitted", "the whole push was rolled back"
    assert any(c["tracking_number"] == tracking and c["code"] == "stale_version"
               for c in server_conflicts(world.db_url))


def test_an_event_for_a_report_the_server_does_not_have_is_refused(world, kiosk):
    response = kiosk.push_events([kiosk.event(1, 7, "submitted", "submitted", actor="citizen")])
    assert response.status_code == 422, response.text
    [item] = response.json()["error"]["items"]
    assert item["field"] == "events[0].tracking_number" and item["code"] == "report_unknown"


def test_an_event_of_another_kiosk_is_forbidden(world, kiosk):
    other = world.new_kiosk()
    theirs = other.stored(1)
    response = kiosk.push_events([kiosk.event(1, 1, "review_started", "in_review",
                                              tracking_number=theirs)])
    assert response.status_code == 403, response.text
    assert response.json()["error"]["items"][0]["tracking_number"] == theirs
    forged = other.event(5, 1, "review_started", "in_review")  # kiosk's token, the other kiosk's event id
    response = kiosk.push_events([forged])
    assert response.status_code == 403, response.text
    assert {i["field"] for i in response.json()["error"]["items"]} == {"events[0].tracking_number",
                                                                        "events[0].event_id"}
    assert _report(world, theirs)["status"] == "submitted"


def test_an_event_whose_fields_do_not_fit_is_refused_naming_them(world, kiosk):
    for sequence in (1, 2, 3, 4):
        kiosk.stored(sequence)
    response = kiosk.push_events([kiosk.event(2, 1, "approved", "approved"),
                                  kiosk.event(3, 2, "rejected", "rejected", reason_code="because"),
                                  kiosk.event(4, 3, "review_started", "approved"),
                                  kiosk.event(5, 4, "approved", "approved", nibrs_code="99Z")])
    assert response.status_code == 422, response.text
    assert [(i["field"], i["code"]) for i in response.json()["error"]["items"]] == [
        ("events[0].nibrs_code", "nibrs_required"), ("events[1].reason_code", "reason_unknown"),
        ("events[2].status", "status_mismatch"), ("events[3].nibrs_code", "nibrs_unknown")]


def test_an_unknown_action_or_status_is_refused_listing_the_codes_as_the_report_format_spells_them(world, kiosk):
    # The schema's action and status are kiosk.vocabulary's enums to the code, but are checked as the plain values:
    # the refusal's code and words stay those of the protocol (docs/sync-api.md), not Python's names of the members.
    kiosk.stored(1)
    response = kiosk.push_events([kiosk.event(2, 1, "exploded", "gone")])
    assert response.status_code == 422, response.text
    assert [(i["field"], i["code"], i["message"]) for i in response.json()["error"]["items"]] == [
        ("events[0].action", "literal_error", "Input should be 'submitted', 'review_started', 'approved', "
                                              "'info_requested', 'rejected', 'supplemented' or 'receipt_reprinted'"),
        ("events[0].status", "literal_error", "Input should be 'submitted', 'in_review', 'needs_info', 'approved' or "
                                              "'rejected'")]


def test_concurrent_approvals_from_two_kiosks_never_share_an_official_number(world):
    import threading

    kiosks = [world.new_kiosk(), world.new_kiosk()]
    count = 15
    for client in kiosks:
        response = client.push_reports([client.report(n) for n in range(1, count + 1)])
        assert response.status_code == 200, response.text
    numbers: dict[str, str] = {}
    failures = []

    def approve_all(client):
        for n in range(1, count + 1):  # one request per approval, as a kiosk approving one by one
            response = client.push_events([client.event(n, n, "approved", "approved", nibrs_code="23F")])
            if response.status_code != 200:
                failures.append(response.text)
                continue
            numbers[client.tracking(n)] = response.json()["results"][0]["official_number"]

    threads = [threading.Thread(target=approve_all, args=(client,)) for client in kiosks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(numbers) == 2 * count
    assert len(set(numbers.values())) == 2 * count
    held = {row["tracking_number"]: row["official_number"] for row in server_reports(world.db_url)}
    assert all(held[tracking] == number for tracking, number in numbers.items())
