"""Opening a report and deciding it: status rules, conflicts between officers, official numbers, notices and audit
entries, all against a real SQLite file with a clock the test moves."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import peewee as pw
import pytest
from review_support import ReviewWorld

from kiosk.clock import ManualClock
from kiosk.config import config_from_mapping
from kiosk.review import (
    REJECT_REASONS,
    ReportNotFound,
    ReviewConflict,
    ReviewInputError,
    default_next_steps,
    parse_note,
)
from kiosk.tracking import TrackingNumber


@pytest.fixture
def world(store, config, clock):
    return ReviewWorld(store, config, clock)


def fields_of(exc: ReviewInputError) -> list[str]:
    return [problem.field for problem in exc.value.problems]


# -- opening ---------------------------------------------------------------------------------------------------------

def test_opening_a_submitted_report_starts_its_review_and_is_audited(world, clock):
    tracking = world.submit("larceny-bicycle")
    jdoe = world.officer("jdoe")
    clock.advance(minutes=5)
    detail = world.review.open_report(tracking, jdoe)

    assert detail.report["tracking_number"] == tracking
    assert detail.report["status"] == "in_review"
    assert [e["action"] for e in detail.report["history"]] == ["submitted", "review_started"]
    assert detail.report["history"][-1]["actor"] == "officer:jdoe"
    assert detail.decisions == ("approved", "info_requested", "rejected")
    assert detail.items_total == Decimal("685.00")
    assert detail.contact == "dana.whitfield@example.org"
    assert detail.nibrs.code in ("23H", "23D", "23F")
    assert [n.kind for n in detail.notices] == ["submitted"]
    assert ("officer:jdoe", "report_opened", tracking) in world.audit_actions()
    assert ("officer:jdoe", "review_started", tracking) in world.audit_actions()

    again = world.review.open_report(tracking, world.officer("asmith"))
    assert again.version == detail.version  # opening an in_review report adds no event
    assert [e["action"] for e in again.report["history"]] == ["submitted", "review_started"]


def test_the_audit_entry_of_an_opened_report_holds_nothing_personal(world):
    tracking = world.submit("larceny-bicycle")
    world.review.open_report(tracking, world.officer("jdoe"))
    text = json.dumps([(e.actor, e.action, e.subject, e.details) for e in world.audit.entries(limit=100)])
    for personal in ("Dana", "Whitfield", "Farmington", "example.org", "bicycle", "5550142"):
        assert personal not in text


def test_without_an_email_the_detail_says_to_call_the_citizen(world):
    tracking = world.submit("larceny-bicycle", reporter__email="", reporter__contact_preference="phone")
    detail = world.review.open_report(tracking, world.officer("jdoe"))
    assert detail.contact == "No e-mail address: call the citizen at (860) 555-0142."
    assert [(n.kind, n.status) for n in detail.notices] == [("submitted", "no_email")]


def test_an_unknown_number_is_refused(world):
    """(A malformed one never gets here: the screens and the command line refuse it where it is typed.)"""
    with pytest.raises(ReportNotFound):
        world.review.open_report(TrackingNumber(26, 1, 77), world.officer("jdoe"))


# -- duplicates ------------------------------------------------------------------------------------------------------

def test_possible_duplicates_name_their_reasons_newest_first(world, clock):
    first = world.submit("larceny-bicycle")  # Dana Whitfield, 41 Farmington Ave, serial WTU321C4567D
    clock.advance(days=2)
    same_serial = world.submit("lost-wallet", items=[{"disposition": "lost", "description": "Bicycle",
                                                       "serial_number": "wtu-321c 4567d", "quantity": 1}])
    clock.advance(days=1)
    same_person = world.submit("vandalism-car-es", reporter=world.reports.get(first)["reporter"])
    clock.advance(days=1)
    unrelated = world.submit("identity-theft")
    clock.advance(days=1)
    mine = world.submit("larceny-bicycle")

    detail = world.review.open_report(mine, world.officer("jdoe"))
    found = {d.tracking_number: d.reasons for d in detail.duplicates}
    assert unrelated not in found and mine not in found
    assert found[first] == ("same_person", "same_home_address", "same_location", "same_serial")
    assert found[same_serial] == ("same_serial",)
    assert found[same_person][:2] == ("same_person", "same_home_address")
    assert [d.tracking_number for d in detail.duplicates] == [same_person, same_serial, first]


def test_duplicates_are_looked_for_only_within_the_window(store, clock):
    world = ReviewWorld(store, config_from_mapping({"review": {"duplicate_window_days": 3}}), clock)
    old = world.submit("lost-wallet")
    clock.advance(days=4)
    recent = world.submit("lost-wallet")
    clock.advance(days=2)
    mine = world.submit("lost-wallet")
    found = [d.tracking_number for d in world.review.open_report(mine, world.officer("jdoe")).duplicates]
    assert found == [recent]
    assert old not in found


# -- approving -------------------------------------------------------------------------------------------------------

def test_approving_assigns_the_official_number_and_tells_the_citizen(world, clock):
    tracking = world.submit("larceny-bicycle")
    jdoe = world.officer("jdoe")
    detail = world.review.open_report(tracking, jdoe)
    clock.advance(minutes=10)
    decision = world.review.approve(tracking, jdoe, nibrs_code=" 23h ", expected_version=detail.version)

    assert (decision.tracking_number, decision.status, decision.official_number) == (tracking, "approved",
                                                                                     "HPD-2026-000001")
    report = world.reports.get(tracking)
    assert report["status"] == "approved" and report["official_number"] == "HPD-2026-000001"
    event = report["history"][-1]
    assert (event["actor"], event["action"], event["status"]) == ("officer:jdoe", "approved", "approved")
    row = store_row(world, tracking)
    assert row.nibrs_code == "23H" and row.updated_at.isoformat().startswith("2026-11-24T17:10")
    notices = world.outbox.for_report(tracking)
    assert [(n.kind, n.status) for n in notices] == [("submitted", "pending"), ("approved", "pending")]
    body = world.store.models.Notice.select().order_by(world.store.models.Notice.id.desc()).first().body_text
    assert "HPD-2026-000001" in body
    entry = world.audit.entries(limit=1)[0]
    assert (entry.action, entry.subject, entry.details["official_number"], entry.details["nibrs_code"]) == (
        "approved", tracking, "HPD-2026-000001", "23H")


def test_two_approvals_get_consecutive_numbers_and_each_year_starts_again(world, clock):
    jdoe = world.officer("jdoe")
    numbers = []
    for _ in range(2):
        tracking = world.submit("vandalism-car-es")
        numbers.append(world.review.approve(tracking, jdoe, nibrs_code="290",
                                            expected_version=world.review.open_report(tracking, jdoe).version)
                       .official_number)
    assert numbers == ["HPD-2026-000001", "HPD-2026-000002"]

    # New Year's Eve in Hartford: 04:30 UTC on 1 January is still 2026 locally; 05:00 is 2027.
    tracking = world.submit("vandalism-car-es")
    version = world.review.open_report(tracking, jdoe).version
    move_to(clock, datetime(2027, 1, 1, 4, 30, tzinfo=UTC))
    assert world.review.approve(tracking, jdoe, nibrs_code="290", expected_version=version).official_number == \
        "HPD-2026-000003"
    move_to(clock, datetime(2026, 11, 24, 17, 0, tzinfo=UTC))
    tracking = world.submit("vandalism-car-es")
    version = world.review.open_report(tracking, jdoe).version
    move_to(clock, datetime(2027, 1, 1, 5, 0, tzinfo=UTC))
    assert world.review.approve(tracking, jdoe, nibrs_code="290", expected_version=version).official_number == \
        "HPD-2027-000001"


def test_the_official_number_follows_the_configured_pattern(store, clock):
    world = ReviewWorld(store, config_from_mapping({"review": {"official_number_pattern": "R{yy}-{seq:04d}"}}),
                        clock)
    tracking = world.submit("lost-wallet")
    jdoe = world.officer("jdoe")
    version = world.review.open_report(tracking, jdoe).version
    assert world.review.approve(tracking, jdoe, nibrs_code="NC-LOST", expected_version=version).official_number \
        == "R26-0001"


def test_the_nibrs_code_is_checked_against_the_table_and_the_category(world):
    jdoe = world.officer("jdoe")
    lost = world.submit("lost-wallet")
    theft = world.submit("larceny-bicycle")
    lost_version = world.review.open_report(lost, jdoe).version
    theft_version = world.review.open_report(theft, jdoe).version
    for code, problem in (("", "review.nibrs_required"), ("99Z", "review.nibrs_unknown")):
        with pytest.raises(ReviewInputError) as exc:
            world.review.approve(theft, jdoe, nibrs_code=code, expected_version=theft_version)
        assert [(p.field, p.code) for p in exc.value.problems] == [("nibrs_code", problem)]
    with pytest.raises(ReviewInputError) as exc:
        world.review.approve(lost, jdoe, nibrs_code="23H", expected_version=lost_version)
    assert exc.value.problems[0].code == "review.nibrs_lost_property"
    assert "NC-LOST" in exc.value.problems[0].render("en")
    with pytest.raises(ReviewInputError) as exc:
        world.review.approve(theft, jdoe, nibrs_code="nc-lost", expected_version=theft_version)
    assert exc.value.problems[0].render("es").endswith("informe de robo.")
    # Nothing was stored by the refusals: no number drawn, statuses unchanged.
    assert world.reports.get(theft)["status"] == "in_review" and world.reports.get(lost)["status"] == "in_review"
    assert world.store.db.execute_sql("SELECT COUNT(*) FROM official_sequence").fetchone() == (0,)
    assert world.review.approve(lost, jdoe, nibrs_code="nc-lost", expected_version=lost_version) \
        .official_number == "HPD-2026-000001"


# -- conflicts and status rules ----------------------------------------------------------------------------------------

def test_a_second_officer_acting_on_a_decided_report_gets_a_clear_conflict(world, clock):
    tracking = world.submit("larceny-bicycle")
    jdoe, asmith = world.officer("jdoe"), world.officer("asmith")
    seen_by_jdoe = world.review.open_report(tracking, jdoe)
    seen_by_asmith = world.review.open_report(tracking, asmith)
    clock.advance(minutes=2)
    world.review.approve(tracking, jdoe, nibrs_code="23H", expected_version=seen_by_jdoe.version)
    events_before = len(world.reports.get(tracking)["history"])
    notices_before = len(world.outbox.for_report(tracking))

    with pytest.raises(ReviewConflict) as exc:
        world.review.reject(tracking, asmith, reason="not_eligible", expected_version=seen_by_asmith.version)
    assert exc.value.problem.field == "status"
    assert exc.value.problem.render("en") == f"{tracking} was already approved by officer jdoe at 12:02; reload it."
    assert "ya fue aprobado por el oficial jdoe" in exc.value.problem.render("es")
    report = world.reports.get(tracking)
    assert report["status"] == "approved" and len(report["history"]) == events_before
    assert len(world.outbox.for_report(tracking)) == notices_before
    assert "rejected" not in [action for _, action, _ in world.audit_actions()]


def test_approving_a_rejected_report_is_refused_even_with_a_fresh_version(world, clock):
    tracking = world.submit("larceny-bicycle")
    jdoe = world.officer("jdoe")
    version = world.review.open_report(tracking, jdoe).version
    world.review.reject(tracking, jdoe, reason="outside_city", expected_version=version)
    clock.advance(days=1)
    detail = world.review.open_report(tracking, jdoe)
    assert detail.decisions == ()
    with pytest.raises(ReviewConflict) as exc:
        world.review.approve(tracking, jdoe, nibrs_code="23H", expected_version=detail.version)
    assert exc.value.problem.code == "review.final.rejected"
    assert "2026-11-24 12:00" in exc.value.problem.render("en")
    assert world.reports.get(tracking)["status"] == "rejected"
    assert store_row(world, tracking).official_number is None


def test_a_supplement_from_the_citizen_makes_a_stale_decision_conflict(world, clock):
    tracking = world.submit("identity-theft")
    jdoe = world.officer("jdoe")
    version = world.review.open_report(tracking, jdoe).version
    asked = world.review.request_info(tracking, jdoe, question="Which bank?", expected_version=version)
    assert asked.status == "needs_info"
    stale = world.review.open_report(tracking, jdoe).version
    clock.advance(hours=3)
    with world.store.db.atomic():  # what kiosk.lookup's answer writes
        row = store_row(world, tracking)
        world.store.models.ReportEvent.create(report=row.id, at=datetime(2026, 11, 24, 20, tzinfo=UTC), actor="citizen",
                                              action="supplemented", status="in_review", message="First Example")
        world.store.models.Report.update(status="in_review").where(world.store.models.Report.id == row.id).execute()
    with pytest.raises(ReviewConflict) as exc:
        world.review.approve(tracking, jdoe, nibrs_code="26F", expected_version=stale)
    assert exc.value.problem.render("en").startswith(f"The citizen added information to {tracking} at 15:00")


# -- requesting information ------------------------------------------------------------------------------------------

def test_requesting_information_keeps_the_question_and_the_phone_note_apart(world):
    tracking = world.submit("identity-theft")
    jdoe = world.officer("jdoe")
    version = world.review.open_report(tracking, jdoe).version
    world.review.request_info(tracking, jdoe, question="  Which bank sent the alert?\r\nAnd when?  ",
                              phone_note="Called at 10:15,\n\nno answer; left a voicemail.", expected_version=version)
    event = world.reports.get(tracking)["history"][-1]
    assert (event["action"], event["status"]) == ("info_requested", "needs_info")
    assert event["message"] == ("Which bank sent the alert?\nAnd when?\n\n"
                                "Phone note: Called at 10:15,\nno answer; left a voicemail.")
    note = parse_note("info_requested", event["message"])
    assert note.text == "Which bank sent the alert?\nAnd when?"
    assert note.phone_note == "Called at 10:15,\nno answer; left a voicemail."
    notice = world.store.models.Notice.select().order_by(world.store.models.Notice.id.desc()).first()
    assert notice.kind == "needs_info" and "Which bank sent the alert?" in notice.body_text
    assert "voicemail" not in notice.body_text
    assert world.audit.entries(limit=1)[0].details.get("phone_note") == 1


def test_a_question_is_required(world):
    tracking = world.submit("identity-theft")
    jdoe = world.officer("jdoe")
    version = world.review.open_report(tracking, jdoe).version
    with pytest.raises(ReviewInputError) as exc:
        world.review.request_info(tracking, jdoe, question=" \n ", expected_version=version)
    assert [(p.field, p.code) for p in exc.value.problems] == [("question", "review.question_required")]
    with pytest.raises(ReviewInputError) as exc:
        world.review.request_info(tracking, jdoe, question="x" * 2001, expected_version=version)
    assert fields_of(exc) == ["question"]
    assert world.reports.get(tracking)["status"] == "in_review"


def test_a_report_waiting_for_the_citizen_can_still_be_decided(world):
    tracking = world.submit("identity-theft")
    jdoe = world.officer("jdoe")
    version = world.review.open_report(tracking, jdoe).version
    world.review.request_info(tracking, jdoe, question="Which bank?", expected_version=version)
    detail = world.review.open_report(tracking, jdoe)
    assert detail.report["status"] == "needs_info"
    assert world.review.approve(tracking, jdoe, nibrs_code="26F", expected_version=detail.version).status == \
        "approved"


# -- rejecting -------------------------------------------------------------------------------------------------------

def test_rejecting_as_a_duplicate_names_the_original(world):
    original = world.submit("larceny-bicycle")
    tracking = world.submit("larceny-bicycle")
    jdoe = world.officer("jdoe")
    version = world.review.open_report(tracking, jdoe).version
    decision = world.review.reject(tracking, jdoe, reason="duplicate", duplicate_of=original,
                                   expected_version=version)
    assert decision.status == "rejected"
    event = world.reports.get(tracking)["history"][-1]
    assert (event["action"], event["reason_code"]) == ("rejected", "duplicate")
    note = parse_note("rejected", event["message"])
    assert note.duplicate_of == original
    assert note.next_steps == default_next_steps("duplicate", "en", world.config)
    notice = world.store.models.Notice.select().order_by(world.store.models.Notice.id.desc()).first()
    assert notice.kind == "rejected" and original in notice.body_text
    entry = world.audit.entries(limit=1)[0]
    assert entry.details["reason"] == "duplicate" and entry.details["duplicate_of"] == original


def test_a_duplicate_needs_an_existing_other_report(world):
    tracking = world.submit("larceny-bicycle")
    jdoe = world.officer("jdoe")
    version = world.review.open_report(tracking, jdoe).version
    cases = ((None, "review.duplicate_of_required"), (tracking, "review.duplicate_of_self"),
             (TrackingNumber(26, 1, 77), "review.duplicate_of_unknown"))
    for duplicate_of, code in cases:
        with pytest.raises(ReviewInputError) as exc:
            world.review.reject(tracking, jdoe, reason="duplicate", duplicate_of=duplicate_of,
                                expected_version=version)
        assert [(p.field, p.code) for p in exc.value.problems] == [("duplicate_of", code)], duplicate_of
    assert world.reports.get(tracking)["status"] == "in_review"


def test_other_needs_a_message_and_unknown_reasons_are_refused(world):
    tracking = world.submit("vandalism-car-es")
    jdoe = world.officer("jdoe")
    version = world.review.open_report(tracking, jdoe).version
    with pytest.raises(ReviewInputError) as exc:
        world.review.reject(tracking, jdoe, reason="other", expected_version=version)
    assert fields_of(exc) == ["message"]
    with pytest.raises(ReviewInputError) as exc:
        world.review.reject(tracking, jdoe, reason="because", expected_version=version)
    assert fields_of(exc) == ["reason"]
    world.review.reject(tracking, jdoe, reason="other", message="The damage was caused by the storm.",
                        expected_version=version)
    event = world.reports.get(tracking)["history"][-1]
    note = parse_note("rejected", event["message"])
    assert note.text == "The damage was caused by the storm."
    # The report is in Spanish: the default next steps are too.
    assert note.next_steps == default_next_steps("other", "es", world.config)
    assert note.next_steps.startswith("Si tiene preguntas")


def test_the_officer_may_edit_the_next_steps(world):
    tracking = world.submit("larceny-bicycle")
    jdoe = world.officer("jdoe")
    version = world.review.open_report(tracking, jdoe).version
    world.review.reject(tracking, jdoe, reason="wrong_offense_type", next_steps="File a burglary report by phone.",
                        expected_version=version)
    note = parse_note("rejected", world.reports.get(tracking)["history"][-1]["message"])
    assert note.next_steps == "File a burglary report by phone." and note.text == ""


@pytest.mark.parametrize("reason", REJECT_REASONS)
def test_every_reason_has_default_next_steps_in_both_languages_with_the_department_numbers(config, reason):
    english, spanish = default_next_steps(reason, "en", config), default_next_steps(reason, "es", config)
    assert english and spanish and english != spanish
    numbers = {config.department.non_emergency_phone, config.department.desk_phone}
    if reason != "outside_city":
        assert any(number in english for number in numbers) and any(number in spanish for number in numbers)
    else:
        assert "Hartford" in english and "Hartford" in spanish


def test_deciding_a_report_that_was_never_opened_records_the_review_starting(world):
    tracking = world.submit("lost-wallet")
    jdoe = world.officer("jdoe")
    version = world.reports.get(tracking)  # the CLI always opens first; a script might not
    first_event = world.store.db.execute_sql("SELECT MAX(id) FROM report_event").fetchone()[0]
    assert version["status"] == "submitted"
    world.review.approve(tracking, jdoe, nibrs_code="NC-LOST", expected_version=first_event)
    assert [e["action"] for e in world.reports.get(tracking)["history"]] == ["submitted", "review_started",
                                                                              "approved"]


# -- prints ----------------------------------------------------------------------------------------------------------

def test_reprinting_a_receipt_issues_a_new_code_and_is_audited(world):
    tracking = world.submit("lost-wallet")
    jdoe = world.officer("jdoe")
    code = world.review.reprint_receipt(tracking, jdoe)
    assert world.reports.verify_access_code(tracking, code)
    assert world.reports.get(tracking)["history"][-1]["action"] == "receipt_reprinted"
    assert world.audit_actions()[-1] == ("officer:jdoe", "receipt_reprinted", tracking)
    assert code not in json.dumps([e.details for e in world.audit.entries(limit=100)])
    world.review.record_copy_printed(tracking, jdoe)
    assert world.audit_actions()[-1] == ("officer:jdoe", "copy_printed", tracking)
    with pytest.raises(ReportNotFound):
        world.review.record_copy_printed("T26-01-00077-7", jdoe)


def test_the_history_and_audit_log_of_a_decision_commit_together(world, store):
    tracking = world.submit("larceny-bicycle")
    jdoe = world.officer("jdoe")
    version = world.review.open_report(tracking, jdoe).version
    audit_before = world.audit.count()
    # Break the outbox for one call: the decision must leave no trace at all.
    original_add = world.outbox.add

    def failing_add(*args, **kwargs):
        original_add(*args, **kwargs)
        raise pw.OperationalError("disk I/O error")

    world.outbox.add = failing_add
    with pytest.raises(pw.OperationalError):
        world.review.approve(tracking, jdoe, nibrs_code="23H", expected_version=version)
    world.outbox.add = original_add
    assert world.reports.get(tracking)["status"] == "in_review"
    assert world.audit.count() == audit_before
    assert len(world.outbox.for_report(tracking)) == 1
    assert store.db.execute_sql("SELECT COUNT(*) FROM official_sequence").fetchone() == (0,)


def store_row(world, tracking):
    Report = world.store.models.Report
    return Report.get(Report.tracking_number == tracking)


def move_to(clock: ManualClock, moment: datetime) -> None:
    clock.advance(seconds=(moment - clock.now()).total_seconds())
