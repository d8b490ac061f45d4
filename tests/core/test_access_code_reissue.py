"""A receipt printed again gets a new access code: the old one stops working at once, and the history says so."""

from __future__ import annotations

import peewee as pw
import pytest
from helpers import load_sample

from kiosk.reports import ReportNotFound
from kiosk.tracking import TrackingNumber


def test_a_new_code_replaces_the_old_one(service):
    receipt = service.submit(load_sample("lost-wallet"))
    assert service.verify_access_code(receipt.tracking_number, receipt.access_code)

    new_code = service.reissue_access_code(receipt.tracking_number, "officer:0042")

    assert new_code != receipt.access_code
    assert service.verify_access_code(receipt.tracking_number, new_code)
    assert service.verify_access_code(receipt.tracking_number, new_code.lower().replace("-", " "))
    assert not service.verify_access_code(receipt.tracking_number, receipt.access_code)


def test_the_reprint_is_in_the_history_and_the_status_does_not_change(service, clock):
    receipt = service.submit(load_sample("vandalism-car-es"))
    clock.advance(minutes=30)
    service.reissue_access_code(receipt.tracking_number, "cli:root")
    report = service.get(receipt.tracking_number)
    assert report["status"] == "submitted"
    assert [event["action"] for event in report["history"]] == ["submitted", "receipt_reprinted"]
    event = report["history"][-1]
    assert event["actor"] == "cli:root" and event["status"] == "submitted"
    assert event["reason_code"] is None and event["message"] is None
    assert event["at"].startswith("2026-11-24T12:30:00")


def test_each_reprint_adds_an_event_and_only_the_last_code_works(service):
    receipt = service.submit(load_sample("identity-theft"))
    codes = [service.reissue_access_code(receipt.tracking_number, "officer:1") for _ in range(3)]
    assert [service.verify_access_code(receipt.tracking_number, c) for c in codes] == [False, False, True]
    assert len(service.get(receipt.tracking_number)["history"]) == 4


def test_an_unknown_number_or_no_actor_is_refused(service):
    """(A malformed number never gets here: the command line refuses it where it is typed.)"""
    service.submit(load_sample("lost-wallet"))
    with pytest.raises(ReportNotFound):
        service.reissue_access_code(TrackingNumber(26, 1, 77), "officer:1")
    with pytest.raises(ValueError, match="actor"):
        service.reissue_access_code(TrackingNumber(26, 1, 1), "  ")
    assert not service.verify_access_code(TrackingNumber(26, 1, 77), "ABCD-EFGH")


def test_the_history_stays_append_only(service, store):
    receipt = service.submit(load_sample("lost-wallet"))
    service.reissue_access_code(receipt.tracking_number, "officer:1")
    with pytest.raises(pw.IntegrityError):
        store.db.execute_sql("UPDATE report_event SET actor = 'someone else'")
    with pytest.raises(pw.IntegrityError):
        store.db.execute_sql("DELETE FROM report_event")
