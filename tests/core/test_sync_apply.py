"""What the server's answers change at the kiosk (kiosk.sync.apply): a decision pulled from the decisions feed is
applied once, whole, with its history event, event_sync row, status, number, notice and audit entry; the official
number of an approval made while the kiosk waited for it arrives with the held-back e-mail. Real SQLite files, a
ManualClock; no network (the end-to-end path with a real server is in test_official_pending.py)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

import pytest
from helpers import NOW, edited, load_sample
from review_support import ReviewWorld

from kiosk.config import config_from_mapping
from kiosk.lookup import StatusLookup, explain
from kiosk.review import default_next_steps, parse_note
from kiosk.sync.apply import apply_decision, record_official_number

SERVER = "http://127.0.0.1:8765"


@pytest.fixture
def sync_config():
    return config_from_mapping({"sync": {"server_url": SERVER}})


@pytest.fixture
def world(store, sync_config, clock):
    return ReviewWorld(store, sync_config, clock)


@pytest.fixture
def standalone(store, clock):
    return ReviewWorld(store, config_from_mapping({}), clock)


def submitted(world, sample="larceny-bicycle", **changes):
    """A report the server has acknowledged (report.synced_at set, as the engine does) and its access code."""
    document = load_sample(sample)
    for path, value in changes.items():
        document = edited(document, path.replace("__", "."), value)
    receipt = world.reports.submit(document)
    world.store.db.execute_sql("UPDATE report SET synced_at = ? WHERE tracking_number = ?",
                               (NOW.isoformat(), receipt.tracking_number))
    return receipt.tracking_number, receipt.access_code


def decision(tracking, action, *, event_id="S-17", actor="server:jdoe", **values):
    status = {"approved": "approved", "info_requested": "needs_info", "rejected": "rejected"}[action]
    body = {"cursor": 17, "event_id": event_id, "tracking_number": tracking, "at": "2026-11-24T18:30:00+00:00",
            "actor": actor, "action": action, "status": status, "reason_code": None, "message": None,
            "nibrs_code": None, "official_number": None}
    body.update(values)
    return body


def apply(world, item):
    return apply_decision(world.store, world.config, world.clock, world.outbox, world.audit, item)


def notices(world, tracking):
    return [(n.kind, n.status) for n in world.outbox.for_report(tracking)]


def notice_text(world, tracking, kind):
    Notice, Report = world.store.models.Notice, world.store.models.Report
    row = (Notice.select(Notice.body_text).join(Report)
           .where((Report.tracking_number == tracking) & (Notice.kind == kind)).get())
    return row.body_text


def sync_row(world, remote_id):
    return world.store.db.execute_sql("SELECT event_id, acked_at, conflict FROM event_sync WHERE remote_id = ?",
                                      (remote_id,)).fetchone()


def lookup(world):
    return StatusLookup(world.store, world.config, world.clock, world.audit)


# -- pulled decisions ------------------------------------------------------------------------------------------------

def test_an_approval_from_the_server_is_applied_once_with_its_number_notice_and_audit(world, clock):
    tracking, code = submitted(world)
    clock.advance(minutes=10)
    item = decision(tracking, "approved", nibrs_code="23F", official_number="HPD-2026-000017")

    assert apply(world, item) is True

    report = world.reports.get(tracking)
    assert (report["status"], report["official_number"]) == ("approved", "HPD-2026-000017")
    last = report["history"][-1]
    assert (last["action"], last["status"], last["actor"]) == ("approved", "approved", "server:jdoe")
    assert last["at"] == "2026-11-24T13:30:00-05:00"  # the server's time, in the kiosk's zone
    Report = world.store.models.Report
    row = Report.get(Report.tracking_number == tracking)
    assert (row.nibrs_code, row.updated_at) == ("23F", datetime(2026, 11, 24, 18, 30, tzinfo=UTC))
    assert world.store.db.execute_sql("SELECT updated_at FROM report WHERE id = ?", (row.id,)).fetchone() == (
        "2026-11-24T18:30:00.000000+00:00",)  # as stored: the canonical UTC text
    event_id, acked_at, conflict = sync_row(world, "S-17")
    assert event_id == world.store.models.ReportEvent.select().order_by(
        world.store.models.ReportEvent.id.desc()).first().id
    assert acked_at is not None and conflict is None
    assert notices(world, tracking) == [("submitted", "pending"), ("approved", "pending")]
    assert "HPD-2026-000017" in notice_text(world, tracking, "approved")
    assert ("server:jdoe", "decision_received", tracking) in world.audit_actions()
    status = lookup(world).check(tracking, code)
    assert (status.official_number, status.official_number_pending) == ("HPD-2026-000017", False)

    # The same item again (a page pulled twice after a lost answer) changes nothing.
    assert apply(world, item) is False
    assert len(world.reports.get(tracking)["history"]) == len(report["history"])
    assert notices(world, tracking) == [("submitted", "pending"), ("approved", "pending")]
    assert [a for a in world.audit_actions() if a[1] == "decision_received"] == [
        ("server:jdoe", "decision_received", tracking)]


def test_a_pulled_event_is_never_pushed_back(world):
    from kiosk.sync import state

    tracking, _ = submitted(world)
    before = {e.wire["event_id"] for e in state.pending_events(world.store, 100)}
    apply(world, decision(tracking, "info_requested", message="Which bicycle shop sold it to you?"))
    after = {e.wire["event_id"] for e in state.pending_events(world.store, 100)}
    assert after == before  # the submitted event is still to be sent; the server's own is not
    assert world.reports.get(tracking)["history"][-1]["action"] == "info_requested"


def test_a_question_from_the_server_reaches_the_citizen_and_can_be_answered(world):
    tracking, code = submitted(world)
    question = "Which bicycle shop sold it to you?"
    assert apply(world, decision(tracking, "info_requested", message=f"{question}\n\nPhone note: left a message"))

    assert world.reports.get(tracking)["status"] == "needs_info"
    assert question in notice_text(world, tracking, "needs_info")
    assert "left a message" not in notice_text(world, tracking, "needs_info")
    status = lookup(world).check(tracking, code)
    assert (status.status, status.question, status.can_answer) == ("needs_info", question, True)
    answered = lookup(world).answer(tracking, code, "It came from Bloom Cycles on Park St.")
    assert answered.status == "in_review"


def test_a_rejection_without_next_steps_gets_the_reasons_default_in_the_email_and_the_lookup(world):
    tracking, code = submitted(world, "vandalism-car-es")  # a Spanish report
    assert apply(world, decision(tracking, "rejected", reason_code="outside_city", message=None))

    steps = default_next_steps("outside_city", "es", world.config)
    report = world.reports.get(tracking)
    assert report["status"] == "rejected"
    last = report["history"][-1]
    assert (last["reason_code"], parse_note("rejected", last["message"]).next_steps) == ("outside_city", steps)
    assert lookup(world).check(tracking, code).next_steps == steps
    assert notices(world, tracking)[-1] == ("rejected", "no_email")  # this fixture has no e-mail address


def test_a_rejection_keeps_the_servers_next_steps_and_the_original_of_a_duplicate(world):
    original, _ = submitted(world)
    tracking, code = submitted(world)
    message = f"Same bicycle as before.\n\nDuplicate of: {original}\n\nNext steps: Keep your first receipt."
    assert apply(world, decision(tracking, "rejected", reason_code="duplicate", message=message))

    assert world.reports.get(tracking)["history"][-1]["message"] == message
    text = notice_text(world, tracking, "rejected")
    assert "Keep your first receipt." in text and original in text
    assert lookup(world).check(tracking, code).next_steps == "Keep your first receipt."


def test_the_servers_decision_wins_over_a_local_one_it_refused(world):
    tracking, code = submitted(world)
    jdoe = world.officer("jdoe")
    detail = world.review.open_report(tracking, jdoe)
    world.review.approve(tracking, jdoe, nibrs_code="23F", expected_version=detail.version)
    ReportEvent = world.store.models.ReportEvent
    approval = ReportEvent.select().order_by(ReportEvent.id.desc()).first()
    world.store.db.execute_sql("INSERT INTO event_sync (event_id, remote_id, conflict) VALUES (?, ?, ?)",
                               (approval.id, f"K01-{approval.id}", "decided elsewhere"))

    assert apply(world, decision(tracking, "rejected", reason_code="duplicate",
                                 message="Next steps: Nothing to do, we have it."))

    status = lookup(world).check(tracking, code)
    assert (status.status, status.official_number, status.official_number_pending) == ("rejected", None, False)
    assert [n for n in notices(world, tracking) if n[0] == "approved"] == []  # the held-back e-mail never leaves
    assert notices(world, tracking)[-1] == ("rejected", "pending")


def test_a_decision_for_a_report_not_on_this_kiosk_is_skipped_and_logged_without_personal_data(world, caplog):
    tracking, _ = submitted(world)
    caplog.set_level(logging.INFO, logger="kiosk.sync.apply")
    assert apply(world, decision("T26-02-00001-9", "approved", official_number="HPD-2026-000001",
                                 nibrs_code="23F")) is False
    assert "T26-02-00001-9" in caplog.text and "not on this kiosk" in caplog.text
    assert world.store.db.execute_sql("SELECT COUNT(*) FROM event_sync").fetchone() == (0,)
    assert world.reports.get(tracking)["status"] == "submitted"


@pytest.mark.parametrize("broken", [
    {"action": "supplemented"},
    {"tracking_number": "not a number"},
    {"event_id": ""},
    {"action": "info_requested", "message": ""},
    {"message": 42},
])
def test_a_decision_the_kiosk_cannot_read_is_skipped_and_nothing_is_stored(world, broken):
    tracking, _ = submitted(world)
    item = {**decision(tracking, "approved", official_number="HPD-2026-000001", nibrs_code="23F"), **broken}
    assert apply(world, item) is False
    assert world.reports.get(tracking)["status"] == "submitted"
    assert world.store.db.execute_sql("SELECT COUNT(*) FROM event_sync").fetchone() == (0,)


def test_the_audit_entry_and_log_of_a_decision_hold_nothing_personal(world, caplog):
    caplog.set_level(logging.DEBUG, logger="kiosk")
    tracking, _ = submitted(world)
    apply(world, decision(tracking, "rejected", reason_code="other", message="Next steps: Call us."))
    text = json.dumps([(e.actor, e.action, e.subject, e.details) for e in world.audit.entries(limit=100)])
    for personal in ("Dana", "Whitfield", "Farmington", "example.org", "bicycle", "5550142"):
        assert personal not in text
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("kiosk.sync"))
    assert "decision S-17 applied" in logged
    for personal in ("Dana", "Whitfield", "Farmington", "example.org", "bicycle", "5550142", "Call us"):
        assert personal not in logged


# -- official numbers ------------------------------------------------------------------------------------------------

def test_an_approval_at_a_syncing_kiosk_waits_for_the_servers_number(world, clock):
    tracking, code = submitted(world)
    jdoe = world.officer("jdoe")
    detail = world.review.open_report(tracking, jdoe)
    decided = world.review.approve(tracking, jdoe, nibrs_code="23F", expected_version=detail.version)

    assert (decided.status, decided.official_number) == ("approved", None)
    assert world.review.open_report(tracking, jdoe).report["official_number"] is None
    assert [n[0] for n in notices(world, tracking)] == ["submitted"]  # no e-mail without the number
    assert world.store.db.execute_sql("SELECT COUNT(*) FROM official_sequence").fetchone() == (0,)
    status = lookup(world).check(tracking, code)
    assert (status.status, status.official_number, status.official_number_pending) == ("approved", None, True)
    assert "pending" in explain(status, "en") and "pendiente" in explain(status, "es")

    clock.advance(minutes=3)
    Report = world.store.models.Report
    report_id = Report.get(Report.tracking_number == tracking).id
    record_official_number(world.store, world.config, clock, world.outbox, world.audit, report_id, "HPD-2026-000042")

    status = lookup(world).check(tracking, code)
    assert (status.official_number, status.official_number_pending) == ("HPD-2026-000042", False)
    assert "HPD-2026-000042" in explain(status, "en")
    assert notices(world, tracking) == [("submitted", "pending"), ("approved", "pending")]
    assert "HPD-2026-000042" in notice_text(world, tracking, "approved")
    assert ("sync", "official_number_received", tracking) in world.audit_actions()

    # Told again (the same acknowledgement after a lost answer): nothing more.
    record_official_number(world.store, world.config, clock, world.outbox, world.audit, report_id, "HPD-2026-000042")
    assert len(notices(world, tracking)) == 2
    assert [a for a in world.audit_actions() if a[1] == "official_number_received"] == [
        ("sync", "official_number_received", tracking)]


def test_a_standalone_kiosk_numbers_and_emails_its_approvals_at_once(standalone):
    tracking = standalone.submit("larceny-bicycle")
    jdoe = standalone.officer("jdoe")
    detail = standalone.review.open_report(tracking, jdoe)
    decided = standalone.review.approve(tracking, jdoe, nibrs_code="23F", expected_version=detail.version)
    assert decided.official_number == "HPD-2026-000001"
    assert notices(standalone, tracking)[-1] == ("approved", "pending")


def test_the_number_rolls_back_with_the_transaction_it_is_recorded_in(world):
    tracking, code = submitted(world)
    jdoe = world.officer("jdoe")
    detail = world.review.open_report(tracking, jdoe)
    world.review.approve(tracking, jdoe, nibrs_code="23F", expected_version=detail.version)
    Report = world.store.models.Report
    report_id = Report.get(Report.tracking_number == tracking).id

    class Failed(Exception):
        pass

    with pytest.raises(Failed), world.store.db.atomic("IMMEDIATE"):
        record_official_number(world.store, world.config, world.clock, world.outbox, world.audit, report_id,
                               "HPD-2026-000042")
        raise Failed  # the engine's acknowledgement failing after the number was recorded
    assert lookup(world).check(tracking, code).official_number_pending is True
    assert [n[0] for n in notices(world, tracking)] == ["submitted"]


def test_an_approval_pending_for_days_still_reads_as_pending(world, clock):
    tracking, code = submitted(world)
    jdoe = world.officer("jdoe")
    detail = world.review.open_report(tracking, jdoe)
    world.review.approve(tracking, jdoe, nibrs_code="23F", expected_version=detail.version)
    clock.advance(days=3)
    assert lookup(world).check(tracking, code).official_number_pending is True
