"""The officers' queue over a few thousand generated reports: paging by key, filters, search by tracking number and
by name, counts per status, and SQLite plans that use an index for every query shape."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from helpers import NOW
from review_support import fill_reports

from kiosk.report_keys import words
from kiosk.review import QueueFilter
from kiosk.review.model import read_search
from kiosk.review.queue import ReviewQueue
from kiosk.storage.database import open_store
from kiosk.storage.models import STATUSES
from kiosk.tracking import TrackingNumber

COUNT = 3000


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    from kiosk.clock import ManualClock
    from kiosk.config import config_from_mapping

    store = open_store(tmp_path_factory.mktemp("queue") / "kiosk.sqlite3")
    result = fill_reports(store, COUNT, seed=11)
    config = config_from_mapping({})
    yield store, ReviewQueue(store, config, ManualClock(NOW)), result, config
    store.close()


def all_rows(store):
    """Every report as the queue should see it, newest first (a plain read, no index tricks)."""
    rows = store.db.execute_sql("SELECT id, tracking_number, submitted_at, category, status, reporter_name "
                                "FROM report").fetchall()
    return sorted(rows, key=lambda r: (r[2], r[0]), reverse=True)


def pages(queue, flt, size):
    seen, after = [], None
    while True:
        page = queue.page(flt, limit=size, after=after)
        seen += page
        if len(page) < size:
            return seen
        after = page[-1]


def test_paging_by_key_visits_every_report_once_newest_first(filled):
    store, queue, _, _ = filled
    seen = pages(queue, QueueFilter(), 137)
    assert [r.tracking_number for r in seen] == [r[1] for r in all_rows(store)]
    assert len(seen) == COUNT


def test_rows_carry_local_times_and_their_age(filled):
    _, queue, _, _config = filled
    row = queue.page(QueueFilter(), limit=1)[0]
    assert row.submitted_at.tzinfo is not None
    assert row.submitted_at.utcoffset() in (timedelta(hours=-5), timedelta(hours=-4))
    assert row.age == NOW - row.submitted_at and row.age > timedelta(0)
    assert row.key[0] == row.submitted_at.astimezone(UTC).isoformat(timespec="microseconds")
    assert row.reporter_name and row.location.endswith("Hartford")


@pytest.mark.parametrize("flt", [
    QueueFilter(statuses=("submitted",)),
    QueueFilter(statuses=("submitted", "in_review", "needs_info")),
    QueueFilter(category="identity_theft"),
    QueueFilter(statuses=("approved", "rejected"), category="vandalism"),
    QueueFilter(submitted_from=date(2025, 3, 1), submitted_to=date(2025, 3, 31)),
    QueueFilter(statuses=("approved",), category="larceny", submitted_from=date(2024, 6, 1)),
])
def test_filters_give_exactly_the_matching_reports_in_order(filled, flt):
    store, queue, _, config = filled
    zone = config.kiosk.zone

    def wanted(row):
        local = datetime.fromisoformat(row[2]).astimezone(zone).date()
        return ((not flt.statuses or row[4] in flt.statuses) and (flt.category in (None, row[3]))
                and (flt.submitted_from is None or local >= flt.submitted_from)
                and (flt.submitted_to is None or local <= flt.submitted_to))

    expected = [r[1] for r in all_rows(store) if wanted(r)]
    assert expected, "the generated reports should cover every filter"
    assert [r.tracking_number for r in pages(queue, flt, 50)] == expected
    assert queue.count(flt) == len(expected)


def test_dates_are_local_days_inclusive(tmp_path, config):
    from review_support import ReviewWorld

    from kiosk.clock import ManualClock

    # 23:30 in Hartford on 20 November is 04:30 UTC on the 21st.
    clock = ManualClock(datetime(2026, 11, 21, 4, 30, tzinfo=UTC))
    store = open_store(tmp_path / "kiosk.sqlite3")
    world = ReviewWorld(store, config, clock)
    late = world.submit("lost-wallet", incident__occurred_from="2026-11-20T12:00:00-05:00",
                        incident__occurred_to="2026-11-20T13:00:00-05:00")
    clock.advance(hours=1)  # 00:30 local on the 21st
    next_day = world.submit("lost-wallet", incident__occurred_from="2026-11-20T12:00:00-05:00",
                            incident__occurred_to="2026-11-20T13:00:00-05:00")
    on_20th = QueueFilter(submitted_from=date(2026, 11, 20), submitted_to=date(2026, 11, 20))
    on_21st = QueueFilter(submitted_from=date(2026, 11, 21), submitted_to=date(2026, 11, 21))
    assert [r.tracking_number for r in world.review.queue_page(on_20th)] == [late]
    assert [r.tracking_number for r in world.review.queue_page(on_21st)] == [next_day]
    store.close()


def test_a_tracking_number_finds_its_report_in_any_spelling(filled):
    _, queue, result, _ = filled
    tracking = result.tracking_numbers[1234]
    compact = tracking.replace("-", "")
    for text in (tracking, tracking.lower(), compact, compact[1:], f"  {compact.lower()} "):
        search = read_search(text)  # what the screen's search box and `queue --search` do with what was typed
        assert search == tracking and isinstance(search, TrackingNumber), text
        rows = queue.page(QueueFilter(search=search))
        assert [r.tracking_number for r in rows] == [tracking], text
        assert all(isinstance(r.tracking_number, TrackingNumber) for r in rows)
    wrong_digit = tracking[:-1] + ("0" if tracking[-1] != "0" else "1")
    assert read_search(wrong_digit) == wrong_digit and not isinstance(read_search(wrong_digit), TrackingNumber)
    assert queue.page(QueueFilter(search=read_search(wrong_digit))) == []  # read as name words: nobody
    assert queue.page(QueueFilter(search=str(tracking))) == [], "text is name words, never a number"
    counts = queue.status_counts(QueueFilter(search=tracking))
    assert sum(counts.values()) == 1


def test_a_name_search_matches_every_word_as_a_prefix_without_accents(filled):
    store, queue, result, _ = filled
    _first, last = next((f, lst) for f, lst in result.names if f == "María" and " " not in lst)

    def matches(*prefixes):
        out = []
        for row in all_rows(store):
            tokens = words(row[5])
            if all(any(t.startswith(p) for t in tokens) for p in prefixes):
                out.append(row[1])
        return out

    last_word = words(last)[0]
    for text, prefixes in ((f"MARIA {last[:3].upper()}", ("maria", last_word[:3])), ("maría", ("maria",)),
                           (f"{last_word[:4]}", (last_word[:4],)), ("o'bri", ("obri",)), ("jos", ("jos",))):
        expected = matches(*prefixes)
        assert expected, text
        assert [r.tracking_number for r in pages(queue, QueueFilter(search=text), 40)] == expected, text
        assert queue.count(QueueFilter(search=text)) == len(expected), text
    assert queue.page(QueueFilter(search="zzzqx")) == []


def test_a_common_one_letter_search_walks_newest_first(filled):
    store, queue, _, _ = filled
    expected = [r[1] for r in all_rows(store) if any(t.startswith("m") for t in words(r[5]))]
    assert len(expected) > COUNT // 10
    got = pages(queue, QueueFilter(search="m"), 50)
    assert [r.tracking_number for r in got] == expected
    plans = queue.query_plans(QueueFilter(search="m"))
    assert "USE TEMP B-TREE FOR ORDER BY" not in plans[0]


def test_search_combines_with_the_other_filters(filled):
    store, queue, _, _ = filled
    flt = QueueFilter(statuses=("approved",), category="larceny", search="gar")
    expected = [r[1] for r in all_rows(store)
                if r[4] == "approved" and r[3] == "larceny" and any(t.startswith("gar") for t in words(r[5]))]
    assert expected
    assert [r.tracking_number for r in pages(queue, flt, 25)] == expected


def test_counts_per_status_honour_every_filter_but_the_statuses(filled):
    store, queue, _, _ = filled
    flt = QueueFilter(statuses=("submitted",), category="vandalism")
    counts = queue.status_counts(flt)
    assert set(counts) == set(STATUSES)
    for status in STATUSES:
        (expected,) = store.db.execute_sql("SELECT COUNT(*) FROM report WHERE status = ? AND category = ?",
                                           (status, "vandalism")).fetchone()
        assert counts[status] == expected
    assert queue.count(flt) == counts["submitted"]
    assert sum(queue.status_counts(QueueFilter()).values()) == COUNT


def test_an_unknown_status_is_refused(filled):
    _, queue, _, _ = filled
    with pytest.raises(ValueError, match="archived"):
        queue.page(QueueFilter(statuses=("archived",)))


FULL_SCAN = re.compile(r"^SCAN (r|report)( |$)(?!USING)", re.MULTILINE)


@pytest.mark.parametrize("flt", [
    QueueFilter(),
    QueueFilter(statuses=("submitted",)),
    QueueFilter(statuses=("submitted", "in_review", "needs_info")),
    QueueFilter(category="larceny"),
    QueueFilter(statuses=("in_review",), category="larceny"),
    QueueFilter(submitted_from=date(2025, 1, 1), submitted_to=date(2025, 1, 31)),
    QueueFilter(statuses=("approved",), category="vandalism", submitted_from=date(2025, 1, 1)),
    QueueFilter(search=TrackingNumber(26, 1, 42)),
    QueueFilter(search="garcia"),
    QueueFilter(search="maria gar"),
    QueueFilter(search="m"),
    QueueFilter(statuses=("submitted",), search="lopez"),
])
def test_no_query_reads_the_whole_table(filled, flt):
    _, queue, _, _ = filled
    first_page = queue.page(flt)
    for after in (None, first_page[-1] if first_page else None):
        plans = queue.query_plans(flt, after=after)
        assert plans
        for plan in plans:
            if plan == "SCAN report_count":  # the kept counts: one row per status, category and purged, never more
                continue
            assert not FULL_SCAN.search(plan), plan
            assert "USING" in plan, plan
        if not flt.search or flt.search == "m":
            # Pages come straight off an index in order: nothing is sorted.
            page_plans = plans[:len(flt.statuses) or 1]
            assert all("TEMP B-TREE FOR ORDER BY" not in plan for plan in page_plans), page_plans
        if after is not None and not flt.search:
            assert "submitted_at<?" in plans[0], plans[0]  # a later page starts at its key, it does not skip


def test_deep_pages_cost_what_the_first_costs(filled):
    """The key of the last row, not an offset: a page near the end runs about as many SQLite steps as page 2."""
    store, queue, _, _ = filled
    seen = pages(queue, QueueFilter(statuses=("approved",)), 50)
    connection = store.db.connection()

    def steps(after):
        counter = [0]

        def tick():
            counter[0] += 1
            return 0

        connection.set_progress_handler(tick, 10)
        try:
            page = queue.page(QueueFilter(statuses=("approved",)), limit=50, after=after)
        finally:
            connection.set_progress_handler(None, 10)
        return counter[0], page

    early, _ = steps(seen[49])
    late, page = steps(seen[len(seen) - 60])
    assert [r.tracking_number for r in page] == [r.tracking_number for r in seen[len(seen) - 59:len(seen) - 9]]
    assert late <= early * 2, (early, late)
