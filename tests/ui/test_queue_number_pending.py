"""The officer queue's row of an approval on a syncing kiosk: "number pending" until the department server's number
arrives (kiosk.review.queue reads the official number with the row; ui.officer.queue_model shows it)."""

from __future__ import annotations

from helpers import load_sample


def test_the_queue_row_of_an_approval_waiting_for_its_number_says_so(qapp, store, clock):
    from review_support import ReviewWorld

    from kiosk.config import config_from_mapping
    from kiosk.review import QueueFilter
    from kiosk.sync.apply import record_official_number
    from kiosk.vocabulary import Status
    from ui.officer.queue_model import STATUS, QueueModel

    world = ReviewWorld(store, config_from_mapping({"sync": {"server_url": "http://127.0.0.1:9"}}), clock)
    receipt = world.reports.submit(load_sample("larceny-bicycle"))
    jdoe = world.officer("jdoe")
    detail = world.review.open_report(receipt.tracking_number, jdoe)
    world.review.approve(receipt.tracking_number, jdoe, nibrs_code=detail.nibrs.code, expected_version=detail.version)

    approved = QueueFilter(statuses=(Status.APPROVED,))
    model = QueueModel(world.review)
    model.set_filter(approved)
    assert model.rowCount() == 1 and model.row_at(0).official_number is None
    assert model.data(model.index(0, STATUS)) == "Approved · number pending"

    (report_id,) = store.db.execute_sql("SELECT id FROM report").fetchone()
    with store.db.atomic():
        record_official_number(store, world.config, clock, world.outbox, world.audit, report_id, "HPD-2026-000007")
    model.refresh_row(receipt.tracking_number)
    assert model.row_at(0).official_number == "HPD-2026-000007"
    assert model.data(model.index(0, STATUS)) == "Approved"
