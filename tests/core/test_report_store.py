"""The report service on a real SQLite file: what is stored, what is refused, and what can never be changed."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3

import peewee as pw
import pytest
from helpers import NOW, VALID_SAMPLES, edited, load_sample

from kiosk.access_codes import verify_access_code
from kiosk.clock import ManualClock
from kiosk.config import config_from_mapping
from kiosk.home import Kiosk
from kiosk.reports import ReportNotFound, ReportRejected, ReportService
from kiosk.storage import StoreError
from kiosk.storage.database import open_store
from kiosk.storage.encrypt import connect
from kiosk.storage.migrations import LATEST, current_version
from kiosk.tracking import TrackingNumber


def reports_on(store, config, clock) -> ReportService:
    """The report service of a kiosk's container on ``store`` with this configuration and clock."""
    return Kiosk(store.path.parent, config, clock=clock, store=store, receipt_printer=None).reports


def count(store, table):
    return store.db.execute_sql(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


@pytest.mark.parametrize("name", VALID_SAMPLES)
def test_submit_stores_the_report_and_returns_a_tracking_number(service, store, name):
    receipt = service.submit(load_sample(name))
    assert TrackingNumber.parse(receipt.tracking_number)
    stored = service.get(receipt.tracking_number)
    assert stored["tracking_number"] == receipt.tracking_number
    assert stored["status"] == "submitted"
    assert stored["official_number"] is None
    assert stored["category"] == load_sample(name)["category"]
    assert stored["reporter"]["last_name"] == load_sample(name)["reporter"]["last_name"]
    assert [event["action"] for event in stored["history"]] == ["submitted"]
    assert stored["submitted_at"].startswith("2026-11-24T12:00:00")  # 17:00 UTC shown in New York time


def test_tracking_numbers_follow_the_kiosk_number_and_year(store, clock):
    service = reports_on(store, config_from_mapping({"kiosk": {"number": 7}}), clock)
    first = service.submit(load_sample("lost-wallet")).tracking_number
    second = service.submit(load_sample("lost-wallet")).tracking_number
    assert TrackingNumber.parse(first) == TrackingNumber(26, 7, 1)
    assert TrackingNumber.parse(second) == TrackingNumber(26, 7, 2)


def test_the_sequence_starts_again_each_year_in_the_kiosk_time_zone(store):
    from datetime import UTC, datetime

    clock = ManualClock(datetime(2027, 1, 1, 4, 59, tzinfo=UTC))  # still 2026 in New York
    service = reports_on(store, config_from_mapping({}), clock)
    report = edited(load_sample("lost-wallet"), "incident.occurred_to", "2026-12-31T23:00:00-05:00")
    assert service.submit(report).tracking_number.startswith("T26-01-00001")
    clock.advance(minutes=2)  # 2027 in New York
    assert service.submit(report).tracking_number.startswith("T27-01-00001")


def test_two_kiosks_never_issue_the_same_number(tmp_path, clock):
    numbers = set()
    for kiosk_number in (1, 2):
        store = open_store(tmp_path / f"kiosk{kiosk_number}.sqlite3")
        service = reports_on(store, config_from_mapping({"kiosk": {"number": kiosk_number}}), clock)
        numbers |= {service.submit(load_sample("lost-wallet")).tracking_number for _ in range(3)}
        store.close()
    assert len(numbers) == 6


def test_a_refused_report_stores_nothing(service, store):
    with pytest.raises(ReportRejected) as caught:
        service.submit(edited(load_sample("larceny-bicycle"), "reporter.email", "not-an-email"))
    assert [(p.field, p.code) for p in caught.value.problems] == [("reporter.email", "email.invalid")]
    assert count(store, "report") == 0
    assert count(store, "report_event") == 0


def test_a_failure_while_storing_leaves_nothing_half_stored(service, store):
    # A real database failure in the middle of the transaction: the history insert is refused after the report
    # row was written. The whole submit must roll back.
    store.db.execute_sql("CREATE TRIGGER fail_history BEFORE INSERT ON report_event "
                         "BEGIN SELECT RAISE(ABORT, 'disk trouble'); END")
    with pytest.raises(StoreError):
        service.submit(load_sample("lost-wallet"))
    assert count(store, "report") == 0
    store.db.execute_sql("DROP TRIGGER fail_history")
    assert service.submit(load_sample("lost-wallet")).tracking_number.startswith("T26-01-00001")


def test_the_history_is_append_only(service, store):
    service.submit(load_sample("lost-wallet"))
    with pytest.raises(pw.IntegrityError, match="append-only"):
        store.db.execute_sql("UPDATE report_event SET action = 'approved'")
    with pytest.raises(pw.IntegrityError, match="append-only"):
        store.db.execute_sql("DELETE FROM report_event")
    assert count(store, "report_event") == 1


def test_the_access_code_is_stored_only_as_a_hash(service, store):
    receipt = service.submit(load_sample("identity-theft"))
    stored_hash = store.db.execute_sql("SELECT access_code_hash FROM report").fetchone()[0]
    raw = open(store.path, "rb").read() + (store.path.with_name(store.path.name + "-wal").read_bytes()
                                           if store.path.with_name(store.path.name + "-wal").exists() else b"")
    assert receipt.access_code.replace("-", "").encode() not in raw
    assert receipt.access_code.encode() not in raw
    assert verify_access_code(receipt.access_code, stored_hash)
    assert verify_access_code(receipt.access_code.lower().replace("-", " "), stored_hash)
    assert not verify_access_code("AAAA-AAAA", stored_hash)


def test_get_refuses_an_unknown_number(service):
    """(A malformed one never gets here: the command line and the screens refuse it where it is typed.)"""
    with pytest.raises(ReportNotFound):
        service.get(TrackingNumber(26, 1, 99))


def test_what_comes_back_carries_the_tracking_number_as_a_value(service):
    receipt = service.submit(load_sample("lost-wallet"))
    assert isinstance(receipt.tracking_number, TrackingNumber) and receipt.tracking_number == "T26-01-00001-8"
    stored = service.get(receipt.tracking_number)["tracking_number"]
    assert isinstance(stored, TrackingNumber) and stored == receipt.tracking_number
    [summary] = service.list_reports()
    assert isinstance(summary.tracking_number, TrackingNumber) and summary.tracking_number == receipt.tracking_number


def test_list_is_newest_first_and_filters_by_status(service, store, clock):
    numbers = []
    for _ in range(3):
        numbers.append(service.submit(load_sample("lost-wallet")).tracking_number)
        clock.advance(minutes=1)
    store.db.execute_sql("UPDATE report SET status = 'approved' WHERE tracking_number = ?", (numbers[1],))
    assert [r.tracking_number for r in service.list_reports()] == numbers[::-1]
    assert [r.tracking_number for r in service.list_reports(status="approved")] == [numbers[1]]
    assert [r.tracking_number for r in service.list_reports(limit=1, offset=1)] == [numbers[1]]
    assert service.list_reports()[0].location == "Bushnell Park, Hartford"
    with pytest.raises(ValueError):
        service.list_reports(status="lost")


def test_export_gives_every_report_with_its_history(service):
    numbers = [service.submit(load_sample(name)).tracking_number for name in VALID_SAMPLES]
    exported = list(service.export(batch=3))  # more than one batch
    assert [r["tracking_number"] for r in exported] == numbers
    assert all(r["history"][0]["action"] == "submitted" for r in exported)


def test_a_stored_report_is_kept_in_the_report_format(service):
    receipt = service.submit(load_sample("vandalism-car-es"))
    stored = service.get(receipt.tracking_number)
    resubmittable = {k: v for k, v in stored.items()
                     if k not in ("tracking_number", "status", "submitted_at", "official_number", "history")}
    assert service.validate(resubmittable) == []
    assert resubmittable["reporter"]["first_name"] == "María José"
    assert resubmittable["reporter"]["phone"] == "+18605550199"


def test_database_settings_are_durable(store):
    assert store.db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute_sql("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert current_version(store.db) == LATEST


def test_migration_backs_up_an_existing_file_first(tmp_path, monkeypatch):
    from kiosk.storage import migrations

    path = tmp_path / "kiosk.sqlite3"
    store = open_store(path)
    reports_on(store, config_from_mapping({}), ManualClock(NOW)).submit(load_sample("lost-wallet"))
    store.close()
    assert not (tmp_path / "backups").exists()  # a brand-new file needs no backup

    def add_column(db):
        db.execute_sql("ALTER TABLE report ADD COLUMN note TEXT")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, (LATEST + 1, "a test step", add_column)])
    store = open_store(path)
    assert current_version(store.db) == LATEST + 1
    store.close()
    backups = list((tmp_path / "backups").iterdir())
    assert len(backups) == 1 and f"-v{LATEST}-" in backups[0].name
    # The copy is encrypted under the store's key: SQLite alone cannot read it, the key can.
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(backups[0]).execute("SELECT COUNT(*) FROM report")
    copy = connect(backups[0], store.key)
    assert copy.execute("SELECT COUNT(*) FROM report").fetchone()[0] == 1
    assert "note" not in [row[1] for row in copy.execute("PRAGMA table_info(report)")]
    copy.close()


def test_an_unreadable_database_says_so(tmp_path):
    path = tmp_path / "kiosk.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError):
        open_store(path)


def _submit_many(path: str, count: int, queue) -> None:
    store = open_store(path)
    service = reports_on(store, config_from_mapping({}), ManualClock(NOW))
    report = load_sample("lost-wallet")
    queue.put([service.submit(report).tracking_number for _ in range(count)])
    store.close()


def test_two_processes_on_one_file_never_share_a_number(tmp_path):
    path = str(tmp_path / "kiosk.sqlite3")
    open_store(path).close()
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [context.Process(target=_submit_many, args=(path, 25, queue)) for _ in range(2)]
    for worker in workers:
        worker.start()
    numbers = queue.get(timeout=60) + queue.get(timeout=60)
    for worker in workers:
        worker.join(timeout=60)
    assert len(numbers) == 50 and len(set(numbers)) == 50
    assert sorted(TrackingNumber.parse(n).sequence for n in numbers) == list(range(1, 51))


def test_stored_json_round_trips_unicode(service, store):
    report = edited(load_sample("vandalism-car-es"), "reporter.last_name", "O'Brien-Łukasik")
    receipt = service.submit(report)
    raw = store.db.execute_sql("SELECT data FROM report").fetchone()[0]
    assert "Łukasik" in raw
    assert json.loads(raw)["reporter"]["last_name"] == "O'Brien-Łukasik"
    assert service.get(receipt.tracking_number)["reporter"]["last_name"] == "O'Brien-Łukasik"
