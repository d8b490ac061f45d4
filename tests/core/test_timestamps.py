"""One time type for the store: aware UTC datetimes in Python, one canonical text in SQLite and on the sync wire
(kiosk.storage.timestamps, kiosk.storage.fields.UtcDateTimeField)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from helpers import NOW, load_sample
from hypothesis import given
from hypothesis import strategies as st
from storage_keyring import raw_connection

from kiosk.clock import ManualClock
from kiosk.reports import ReportService
from kiosk.storage.database import open_store
from kiosk.storage.timestamps import utc_from_text, utc_text
from kiosk.sync import state

HARTFORD = ZoneInfo("America/New_York")


# -- the text --------------------------------------------------------------------------------------------------------

def test_the_text_is_utc_with_microseconds_and_the_offset_written_out():
    assert utc_text(datetime(2026, 11, 24, 12, 5, tzinfo=HARTFORD)) == "2026-11-24T17:05:00.000000+00:00"
    assert utc_text(datetime(2026, 7, 4, 9, 30, 1, 250, tzinfo=timezone(timedelta(hours=-4)))) == (
        "2026-07-04T13:30:01.000250+00:00")


@pytest.mark.parametrize("value", [datetime(2026, 11, 24, 17, 5), "2026-11-24T17:05:00.000000+00:00",
                                   date(2026, 11, 24), 1764003900])
def test_only_an_aware_datetime_has_a_stored_text(value):
    with pytest.raises(TypeError):
        utc_text(value)


def test_reading_gives_utc_whatever_offset_was_written():
    moment = utc_from_text("2026-11-24T12:05:00-05:00")
    assert moment == datetime(2026, 11, 24, 17, 5, tzinfo=UTC) and moment.utcoffset() == timedelta(0)
    assert utc_from_text("2026-11-24T17:05:00.000000+00:00") == moment


@pytest.mark.parametrize("text", ["2026-11-24T17:05:00", "2026-11-24", "yesterday", ""])
def test_reading_refuses_a_text_without_an_offset(text):
    with pytest.raises(ValueError):
        utc_from_text(text)


# Real instants, seen in zones with other offsets (a wall time inside a DST gap names no instant at all).
aware = st.builds(lambda moment, zone: moment.replace(tzinfo=UTC).astimezone(zone),
                  st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)),
                  st.sampled_from([UTC, HARTFORD, ZoneInfo("Asia/Kolkata"), ZoneInfo("Pacific/Chatham")]))


@given(st.lists(aware, min_size=2, max_size=20))
def test_text_order_is_time_order_and_the_text_reads_back(moments):
    texts = [utc_text(moment) for moment in moments]
    assert sorted(texts) == [utc_text(moment) for moment in sorted(moments)]
    assert [utc_from_text(text) for text in texts] == moments


# -- the column ------------------------------------------------------------------------------------------------------

def test_a_report_stores_the_canonical_text_and_reads_back_an_aware_utc_datetime(tmp_path, config):
    clock = ManualClock(datetime(2026, 11, 24, 12, 0, 0, 120, tzinfo=HARTFORD))
    store = open_store(tmp_path / "kiosk.sqlite3")
    try:
        receipt = ReportService(lambda: store, config, clock).submit(load_sample("larceny-bicycle"))
        raw = store.db.execute_sql("SELECT r.submitted_at, e.at FROM report r JOIN report_event e "
                                   "ON e.report_id = r.id").fetchone()
        assert raw == ("2026-11-24T17:00:00.000120+00:00", "2026-11-24T17:00:00.000120+00:00")
        Report = store.models.Report
        row = Report.get(Report.tracking_number == receipt.tracking_number)
        assert row.submitted_at == clock.now() and row.submitted_at.tzinfo == UTC
        # A comparison takes a datetime in any zone.
        assert Report.select().where(Report.submitted_at >= clock.now().astimezone(HARTFORD)).count() == 1
        assert Report.select().where(Report.submitted_at > clock.now()).count() == 0
    finally:
        store.close()


@pytest.mark.parametrize("value", [datetime(2026, 11, 24, 17, 5), "2026-11-24T17:05:00.000000+00:00"])
def test_the_column_refuses_a_naive_time_or_text_and_stores_nothing(store, service, value):
    receipt = service.submit(load_sample("larceny-bicycle"))
    Report = store.models.Report
    with pytest.raises(TypeError), store.db.atomic():
        Report.update(updated_at=value).where(Report.tracking_number == receipt.tracking_number).execute()
    assert Report.get(Report.tracking_number == receipt.tracking_number).updated_at is None


# -- the text others read: unchanged -----------------------------------------------------------------------------------

def test_a_file_written_before_the_time_type_opens_and_reads_the_same(tmp_path, config):
    """Rows written by the earlier code (which stored the same text through its own helpers) read back as the same
    moments, and the report format and the sync wire give the very same text as before."""
    path = tmp_path / "kiosk.sqlite3"
    store = open_store(path)
    store.close()
    report = load_sample("lost-wallet")
    con = raw_connection(path)
    con.execute(
        "INSERT INTO report (tracking_number, kiosk_number, year, sequence, category, language, status, submitted_at,"
        " access_code_hash, location_summary, data, updated_at, synced_at) VALUES ('T26-01-00001-8', 1, 26, 1, ?, ?,"
        " 'in_review', '2026-11-20T15:00:00.000000+00:00', 'x', 'Hartford', ?, '2026-11-20T16:30:00.250000+00:00',"
        " NULL)", (report["category"], report["language"], json.dumps(report)))
    con.executemany("INSERT INTO report_event (report_id, at, actor, action, status) VALUES (1, ?, ?, ?, ?)",
                    [("2026-11-20T15:00:00.000000+00:00", "citizen", "submitted", "submitted"),
                     ("2026-11-20T16:30:00.250000+00:00", "officer:kim", "review_started", "in_review")])
    con.commit()
    con.close()
    store = open_store(path)
    try:
        document = ReportService(lambda: store, config, ManualClock(NOW)).get("T26-01-00001-8")
        assert document["submitted_at"] == "2026-11-20T10:00:00-05:00"
        assert [event["at"] for event in document["history"]] == ["2026-11-20T10:00:00-05:00",
                                                                   "2026-11-20T11:30:00.250000-05:00"]
        row = store.models.Report.get_by_id(1)
        assert row.updated_at == datetime(2026, 11, 20, 16, 30, 0, 250000, tzinfo=UTC)
        (wire,) = state.pending_reports(store, 10)
        assert wire.wire["submitted_at"] == "2026-11-20T15:00:00.000000+00:00"
    finally:
        store.close()
