"""Property test of schema v4's triggers: whatever happens to the reports, in any order, the kept counts per status
and category equal COUNT(*) and every name token carries its report's time, status and category, after every step.

A store starts from a file of a random earlier schema version with random reports (migrated at open), then takes a
random sequence of what happens at a kiosk: visitors submitting (ReportService.submit), officers opening, approving,
rejecting and asking for information (ReviewService), the department server's order rewriting a status (as
kiosk.sync.order does, in SQL), personal data purged (kiosk.sync.purge.purge_report), reports re-indexed, a bulk fill
(tests/review_support.fill_reports, plain INSERTs) and, though no kiosk does it, a category changed and a report
without history deleted."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from helpers import NOW, VALID_SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kept_rows import STATUSES, assert_kept_rows_agree, counted, file_at_version
from review_support import ReviewWorld, fill_reports

from kiosk.clock import ManualClock
from kiosk.config import config_from_mapping
from kiosk.nibrs import LOST_PROPERTY
from kiosk.report_keys import report_keys
from kiosk.review.model import ReviewConflict, ReviewInputError
from kiosk.storage.database import open_store
from kiosk.storage.report_index import index_report
from kiosk.sync.purge import purge_report
from kiosk.tracking import TrackingNumber

CATEGORY_CODES = {"larceny": "23H", "vandalism": "290", "identity_theft": "26F", "lost_property": LOST_PROPERTY}
STEPS = st.one_of(
    st.tuples(st.just("submit"), st.sampled_from(VALID_SAMPLES)),
    st.tuples(st.sampled_from(["open", "approve", "reject", "ask", "purge", "reindex", "delete"]),
              st.integers(0, 10_000)),
    st.tuples(st.just("server"), st.integers(0, 10_000), st.sampled_from(STATUSES)),
    st.tuples(st.just("category"), st.integers(0, 10_000), st.sampled_from(sorted(CATEGORY_CODES))),
    st.tuples(st.just("fill"), st.integers(1, 30)),
)


def _pick(db, index: int) -> tuple[int, TrackingNumber, str, str] | None:
    rows = db.execute_sql("SELECT id, tracking_number, category, purged_at FROM report ORDER BY id").fetchall()
    if not rows:
        return None
    report_id, tracking, category, purged = rows[index % len(rows)]
    return report_id, TrackingNumber.from_stored(tracking), category, purged


def _step(world: ReviewWorld, step: tuple) -> None:
    db = world.store.db
    action = step[0]
    if action == "submit":
        world.submit(step[1])
        return
    if action == "fill":
        fill_reports(world.store, step[1], seed=step[1], now=NOW)
        return
    picked = _pick(db, step[1])
    if picked is None:
        return
    report_id, tracking, category, purged = picked
    session = world.officer("jdoe")
    try:
        if action == "open":
            world.review.open_report(tracking, session)
        elif action in ("approve", "reject", "ask"):
            version = world.review.open_report(tracking, session).version
            if action == "approve":
                world.review.approve(tracking, session, nibrs_code=CATEGORY_CODES[category],
                                     expected_version=version)
            elif action == "reject":
                world.review.reject(tracking, session, reason="not_eligible", expected_version=version)
            else:
                world.review.request_info(tracking, session, question="Which floor?", expected_version=version)
    except (ReviewConflict, ReviewInputError):
        pass  # the lifecycle refused (a decided report): nothing was stored
    if action == "purge" and purged is None:
        with db.atomic("IMMEDIATE"):
            purge_report(world.store, report_id, world.clock.now())
    elif action == "reindex" and purged is None:
        (data,) = db.execute_sql("SELECT data FROM report WHERE id = ?", (report_id,)).fetchone()
        with db.atomic():
            index_report(db, report_id, report_keys(json.loads(data)))
    elif action == "server":
        db.execute_sql("UPDATE report SET status = ? WHERE id = ?", (step[2], report_id))
    elif action == "category":
        db.execute_sql("UPDATE report SET category = ? WHERE id = ?", (step[2], report_id))
    elif action == "delete":
        (events,) = db.execute_sql("SELECT COUNT(*) FROM report_event WHERE report_id = ?", (report_id,)).fetchone()
        if not events:  # the history is append-only: only a report without one can go
            with db.atomic():
                db.execute_sql("DELETE FROM notice WHERE report_id = ?", (report_id,))
                db.execute_sql("DELETE FROM report WHERE id = ?", (report_id,))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(version=st.integers(1, 4), reports=st.integers(0, 8),
       statuses=st.lists(st.sampled_from(STATUSES), min_size=1, max_size=5),
       steps=st.lists(STEPS, max_size=14))
def test_kept_counts_and_token_copies_agree_after_every_step(version, reports, statuses, steps):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kiosk.sqlite3"
        file_at_version(path, version, reports, tuple(statuses))
        store = open_store(path)
        try:
            assert_kept_rows_agree(store.db)
            world = ReviewWorld(store, config_from_mapping({}), ManualClock(NOW))
            for step in steps:
                _step(world, step)
                assert_kept_rows_agree(store.db)
        finally:
            store.close()


def test_the_comparison_sees_a_count_gone_wrong(tmp_path):
    """The check itself: a count changed behind the triggers' back, or a token's copy, is found."""
    store = open_store(tmp_path / "kiosk.sqlite3")
    try:
        world = ReviewWorld(store, config_from_mapping({}), ManualClock(NOW))
        world.submit("lost-wallet")
        assert counted(store.db) == {("submitted", "lost_property", 0): 1}
        assert_kept_rows_agree(store.db)
        store.db.execute_sql("UPDATE report_count SET reports = 2")
        with pytest.raises(AssertionError):
            assert_kept_rows_agree(store.db)
        store.db.execute_sql("UPDATE report_count SET reports = 1")
        store.db.execute_sql("UPDATE report_name_token SET status = 'approved'")
        with pytest.raises(AssertionError):
            assert_kept_rows_agree(store.db)
    finally:
        store.close()
