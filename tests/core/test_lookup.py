"""The citizen's "Check a report" in the core: the right code shows the status, a wrong code and an unknown number are
refused alike, five wrong codes within an hour lock look-ups for an hour, and an answer to an officer's question is
added to the history. The audit log never holds a typed code."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from helpers import load_sample
from storage_keyring import decrypted_bytes

from kiosk.audit import AuditLog
from kiosk.config import config_from_mapping
from kiosk.lookup import (
    CitizenStatus,
    LookupLocked,
    LookupRefused,
    StatusLookup,
    explain,
    lock_end,
    read_receipt_code,
    read_tracking_number,
)
from kiosk.messages import render
from kiosk.review.notes import info_message, reject_message
from kiosk.tracking import TrackingNumber

WRONG = "ZZZZ-ZZZZ"
QUESTION = "What colour is the bicycle, and does it have a bell?"


@pytest.fixture
def audit(store, clock):
    return AuditLog(store, clock)


@pytest.fixture
def lookup(store, config, clock, audit):
    return StatusLookup(store, config, clock, audit)


@pytest.fixture
def receipt(service):
    return service.submit(load_sample("larceny-bicycle"))


def set_status(store, tracking: str, action: str, status: str, *, message: str | None = None,
               reason_code: str | None = None, official_number: str | None = None) -> None:
    """Test set-up standing in for an officer's decision: one history event and the report's new status."""
    Report, ReportEvent = store.models.Report, store.models.ReportEvent
    row = Report.get(Report.tracking_number == tracking)
    ReportEvent.create(report=row, at=datetime(2026, 11, 24, 17, 5, tzinfo=UTC), actor="officer:kim",
                       action=action, status=status, message=message, reason_code=reason_code)
    Report.update(status=status, official_number=official_number).where(Report.id == row.id).execute()


def audit_actions(store) -> list[tuple[str, str, str]]:
    Entry = store.models.AuditEntry
    return [(e.actor, e.action, e.subject) for e in Entry.select().order_by(Entry.id)]


def failures(store) -> int:
    return store.models.LookupFailure.select().count()


# -- the right code ---------------------------------------------------------------------------------------------------

def test_the_right_code_shows_the_status(lookup, receipt, store, config):
    status = lookup.check(receipt.tracking_number, receipt.access_code)
    assert status == CitizenStatus(
        tracking_number=receipt.tracking_number, status="submitted", official_number=None, reason_code=None,
        next_steps=None, question=None, submitted_at=receipt.submitted_at.astimezone(config.kiosk.zone),
        can_answer=False)
    assert explain(status, "en") == "Received. An officer has not looked at it yet."
    assert explain(status, "es") == "Recibido. Un oficial todavía no lo ha revisado."
    assert audit_actions(store) == [("citizen", "status_lookup", receipt.tracking_number)]


def test_numbers_and_codes_are_read_as_people_type_them(lookup, receipt):
    compact = receipt.tracking_number.compact.lower()
    code = receipt.access_code.lower().replace("-", " ")
    typed = read_tracking_number(f" {compact} ")  # what Check a report does with its field
    assert isinstance(typed, TrackingNumber) and typed == receipt.tracking_number
    status = lookup.check(typed, code)
    assert status.tracking_number == receipt.tracking_number and isinstance(status.tracking_number, TrackingNumber)


def test_approved_shows_the_official_number(lookup, receipt, store):
    set_status(store, receipt.tracking_number, "approved", "approved", official_number="HPD-2026-000123")
    status = lookup.check(receipt.tracking_number, receipt.access_code)
    assert status.official_number == "HPD-2026-000123" and not status.can_answer
    assert explain(status, "en") == ("Approved. Your official report number is HPD-2026-000123; you can give it to "
                                     "your insurance.")


def test_rejected_shows_the_reason_and_the_next_steps(lookup, receipt, store):
    # The message as the review part writes it (kiosk.review.notes): the officer's words, then the next steps.
    set_status(store, receipt.tracking_number, "rejected", "rejected", reason_code="outside_city",
               message=reject_message("Internal: Farmington Ave west of Prospect.", "",
                                      "Report it to the West Hartford police, 860-523-5203."))
    status = lookup.check(receipt.tracking_number, receipt.access_code)
    assert (status.reason_code, status.next_steps) == ("outside_city",
                                                       "Report it to the West Hartford police, 860-523-5203.")
    assert explain(status, "en") == ("Not accepted: it happened outside the city. What to do next: Report it to the "
                                     "West Hartford police, 860-523-5203.")
    assert explain(status, "es").startswith("No aceptado: ocurrió fuera de la ciudad. Qué hacer ahora:")


def test_rejected_for_another_reason_shows_the_officers_words_before_the_next_steps(lookup, receipt, store):
    set_status(store, receipt.tracking_number, "rejected", "rejected", reason_code="other",
               message=reject_message("The bicycle was found.", "", "Nothing more to do."))
    status = lookup.check(receipt.tracking_number, receipt.access_code)
    assert status.next_steps == "The bicycle was found.\n\nNothing more to do."
    assert explain(status, "en").startswith("Not accepted: an officer could not accept it as it is.")


def test_needs_info_shows_the_latest_question_and_can_be_answered(lookup, receipt, store):
    set_status(store, receipt.tracking_number, "info_requested", "needs_info", message="An older question?")
    set_status(store, receipt.tracking_number, "info_requested", "needs_info",
               message=info_message(QUESTION, "Called 860-555-0142, no answer."))
    status = lookup.check(receipt.tracking_number, receipt.access_code)
    assert status.question == QUESTION and status.can_answer, "the officer's phone note is not for the citizen"
    assert explain(status, "en") == f"An officer needs more information: “{QUESTION}” You can answer here."


# -- wrong codes and unknown numbers ----------------------------------------------------------------------------------

def test_a_wrong_code_and_an_unknown_number_get_the_same_refusal(lookup, receipt, store):
    with pytest.raises(LookupRefused) as wrong:
        lookup.check(receipt.tracking_number, WRONG)
    unknown_number = str(TrackingNumber(26, 1, 999))
    with pytest.raises(LookupRefused) as unknown:
        lookup.check(unknown_number, receipt.access_code)
    assert wrong.value.problem == unknown.value.problem
    assert wrong.value.problem.field == "access_code"
    assert render(wrong.value.problem) == ("The tracking number and access code do not match. Check both on your "
                                           "receipt.")
    assert failures(store) == 2
    assert audit_actions(store) == [("citizen", "status_lookup_failed", receipt.tracking_number),
                                    ("citizen", "status_lookup_failed", unknown_number)]


@pytest.mark.parametrize(("number", "code"), [("", "tracking_number:lookup.tracking_required"),
                                              ("T26-01-00001", "tracking_number:tracking.format"),
                                              ("T26-01-00001-9", "tracking_number:tracking.check_digit")])
def test_a_malformed_number_is_refused_on_its_field_and_not_counted(lookup, store, number, code):
    """Refused where it is read, before the look-up is asked: nothing is counted against anyone."""
    with pytest.raises(LookupRefused) as refused:
        lookup.check(read_tracking_number(number), "K7QM-2XHD")
    assert f"{refused.value.problem.field}:{refused.value.problem.code}" == code
    assert failures(store) == 0


@pytest.mark.parametrize(("typed", "code"), [("", "lookup.code_required"), ("K7QM-2XH", "lookup.code_format"),
                                             ("K7QM-2XH0", "lookup.code_format")])
def test_a_malformed_code_is_refused_and_not_counted(lookup, receipt, store, typed, code):
    with pytest.raises(LookupRefused) as refused:
        lookup.check(receipt.tracking_number, typed)
    assert (refused.value.problem.field, refused.value.problem.code) == ("access_code", code)
    assert failures(store) == 0


# -- the lock ---------------------------------------------------------------------------------------------------------

def test_five_wrong_codes_within_an_hour_lock_for_an_hour_even_the_right_code(lookup, receipt, store, clock):
    for _ in range(4):
        with pytest.raises(LookupRefused):
            lookup.check(receipt.tracking_number, WRONG)
        clock.advance(minutes=10)
    with pytest.raises(LookupLocked) as fifth:
        lookup.check(receipt.tracking_number, WRONG)
    assert fifth.value.minutes == 60
    assert fifth.value.problem.field == "access_code"
    assert "60 more minutes" in render(fifth.value.problem)

    clock.advance(minutes=20)
    with pytest.raises(LookupLocked) as right:
        lookup.check(receipt.tracking_number, receipt.access_code)
    with pytest.raises(LookupLocked) as wrong:
        lookup.check(receipt.tracking_number, WRONG)
    assert right.value.problem == wrong.value.problem, "the refusal must not tell whether the code was right"
    assert right.value.minutes == 40
    assert failures(store) == 5, "tries while locked do not extend the lock"

    clock.advance(minutes=39, seconds=59)
    with pytest.raises(LookupLocked) as last_second:
        lookup.check(receipt.tracking_number, receipt.access_code)
    assert last_second.value.minutes == 1
    clock.advance(seconds=1)
    assert lookup.check(receipt.tracking_number, receipt.access_code).status == "submitted"

    actions = [action for _actor, action, _subject in audit_actions(store)]
    assert actions == ["status_lookup_failed"] * 5 + ["status_lookup_locked"] * 4 + ["status_lookup"]


def test_wrong_codes_spread_over_more_than_an_hour_do_not_lock(lookup, receipt, clock):
    for _ in range(8):
        with pytest.raises(LookupRefused):
            lookup.check(receipt.tracking_number, WRONG)
        clock.advance(minutes=16)
    assert lookup.check(receipt.tracking_number, receipt.access_code).status == "submitted"


def test_the_lock_is_per_tracking_number_and_locks_unknown_numbers_alike(lookup, receipt, service, clock):
    other = service.submit(load_sample("lost-wallet"))
    unknown = str(TrackingNumber(26, 1, 999))
    for _ in range(4):
        with pytest.raises(LookupRefused):
            lookup.check(unknown, WRONG)
    with pytest.raises(LookupLocked):
        lookup.check(unknown, WRONG)
    for _ in range(4):
        with pytest.raises(LookupRefused):
            lookup.check(receipt.tracking_number, WRONG)
    with pytest.raises(LookupLocked):
        lookup.check(receipt.tracking_number, WRONG)
    assert lookup.check(other.tracking_number, other.access_code).status == "submitted"
    assert lookup.locked_minutes(receipt.tracking_number) == 60


def test_failures_before_a_lock_ended_do_not_count_towards_the_next():
    start = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    minutes = [0, 1, 2, 3, 4, 70, 71, 72, 73]
    assert lock_end([start + timedelta(minutes=m) for m in minutes]) == start + timedelta(minutes=64)
    assert lock_end([start + timedelta(minutes=m) for m in [*minutes, 74]]) == start + timedelta(minutes=134)
    assert lock_end([start + timedelta(minutes=m) for m in (0, 20, 40, 60, 61)]) is None


# -- answering --------------------------------------------------------------------------------------------------------

def test_an_answer_is_added_to_the_history_and_the_report_goes_back_to_review(lookup, receipt, store, service, clock):
    set_status(store, receipt.tracking_number, "info_requested", "needs_info", message=QUESTION)
    clock.advance(minutes=90)
    status = lookup.answer(receipt.tracking_number, receipt.access_code, "  It is dark blue, with a silver bell.\n")
    assert status.status == "in_review" and not status.can_answer and status.question is None
    report = service.get(receipt.tracking_number)
    assert report["status"] == "in_review"
    last = report["history"][-1]
    assert (last["actor"], last["action"], last["status"], last["message"]) == (
        "citizen", "supplemented", "in_review", "It is dark blue, with a silver bell.")
    Report = store.models.Report
    updated_at = Report.get(Report.tracking_number == receipt.tracking_number).updated_at
    assert updated_at.isoformat().startswith("2026-11-24T18:30")
    entry = store.models.AuditEntry.select().order_by(store.models.AuditEntry.id.desc()).first()
    assert (entry.actor, entry.action, entry.subject) == ("citizen", "supplemented", receipt.tracking_number)
    assert "silver" not in entry.details and "blue" not in entry.details


@pytest.mark.parametrize("status", ["submitted", "in_review", "approved", "rejected"])
def test_an_answer_is_refused_unless_the_report_needs_information(lookup, receipt, store, service, status):
    if status != "submitted":
        set_status(store, receipt.tracking_number, "x", status)
    with pytest.raises(LookupRefused) as refused:
        lookup.answer(receipt.tracking_number, receipt.access_code, "It is dark blue, with a silver bell.")
    assert (refused.value.problem.field, refused.value.problem.code) == ("answer", "lookup.cannot_answer")
    assert "nothing was added" in render(refused.value.problem)
    assert [e["action"] for e in service.get(receipt.tracking_number)["history"]][-1] != "supplemented"


@pytest.mark.parametrize(("text", "code"), [("   ", "lookup.answer_required"), ("Blue.", "lookup.answer_too_short"),
                                            ("x" * 301, "lookup.answer_too_long")])
def test_an_answer_must_fit(receipt, store, service, clock, audit, text, code):
    lookup = StatusLookup(store, config_from_mapping({"rules": {"narrative_max_chars": 300}}), clock, audit)
    assert lookup.answer_problem("x" * 300) is None
    set_status(store, receipt.tracking_number, "info_requested", "needs_info", message=QUESTION)
    with pytest.raises(LookupRefused) as refused:
        lookup.answer(receipt.tracking_number, receipt.access_code, text)
    assert (refused.value.problem.field, refused.value.problem.code) == ("answer", code)
    assert service.get(receipt.tracking_number)["status"] == "needs_info"
    assert lookup.answer_problem(text) == refused.value.problem


def test_an_answer_with_a_wrong_code_is_refused_and_counted(lookup, receipt, store, service):
    set_status(store, receipt.tracking_number, "info_requested", "needs_info", message=QUESTION)
    with pytest.raises(LookupRefused) as refused:
        lookup.answer(receipt.tracking_number, WRONG, "It is dark blue, with a silver bell.")
    assert refused.value.problem.code == "lookup.mismatch"
    assert failures(store) == 1
    assert service.get(receipt.tracking_number)["status"] == "needs_info"


# -- privacy ----------------------------------------------------------------------------------------------------------

def test_no_typed_code_is_stored_anywhere_in_the_database_file(lookup, receipt, store, tmp_path, clock):
    set_status(store, receipt.tracking_number, "info_requested", "needs_info", message=QUESTION)
    lookup.check(receipt.tracking_number, receipt.access_code)
    for _ in range(5):
        with pytest.raises((LookupRefused, LookupLocked)):
            lookup.check(receipt.tracking_number, WRONG)
    clock.advance(hours=1)
    lookup.answer(receipt.tracking_number, receipt.access_code, "It is dark blue, with a silver bell.")
    store.db.execute_sql("PRAGMA wal_checkpoint(FULL)")

    actions = [action for _actor, action, _subject in audit_actions(store)]
    assert actions == ["status_lookup", *["status_lookup_failed"] * 5, "status_lookup_locked", "supplemented"]
    for entry in store.models.AuditEntry.select():
        details = json.loads(entry.details)
        assert not any("ZZZZ" in str(v) for v in details.values())
    files = [path for path in tmp_path.iterdir() if path.name.startswith("kiosk.sqlite3")]
    contents = b"".join(decrypted_bytes(path) for path in files)  # the plaintext of every page
    assert b"It is dark blue" in contents, "the test reads the right files"
    right = receipt.access_code
    for code in (right, right.replace("-", ""), WRONG, WRONG.replace("-", "")):
        assert code.encode() not in contents


# -- the receipt's QR code --------------------------------------------------------------------------------------------

def test_a_scanned_receipt_code_gives_both_numbers():
    assert read_receipt_code("P2C:T26-01-00042-1:K7QM-2XHD") == ("T26-01-00042-1", "K7QM-2XHD")
    assert read_receipt_code("p2c:t26-01-00042-1:k7qm-2xhd\n") == ("t26-01-00042-1", "k7qm-2xhd")
    assert read_receipt_code("T26-01-00042-1") is None
    assert read_receipt_code("P2C:T26-01-00042-1") is None
