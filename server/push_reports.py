"""``POST /api/v1/reports``: store a batch of reports, all or nothing, idempotent by tracking number + content hash."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime

from kiosk.config import Config
from kiosk.rules import validate_report
from kiosk.sync.protocol import canonical_json
from kiosk.translation import SOURCE_LANGUAGE
from kiosk.vocabulary import Status
from server.batch_sql import insert_rows, select_in
from server.db import ServerDatabase
from server.errors import ErrorItem
from server.input_checks import storable_json, text_problems
from server.kiosks import KioskInfo, now_stamp
from server.refusals import ConflictRecord, Refusals, all_or_nothing
from server.schemas import PushedReport, ReportResult, tracking_of

log = logging.getLogger(__name__)


@dataclass
class _Checked:
    index: int
    item: PushedReport
    body: str  # canonical JSON of the report


def push_reports(database: ServerDatabase, config: Config, kiosk: KioskInfo,
                 reports: list[PushedReport]) -> list[ReportResult]:
    """Store ``reports`` pushed by ``kiosk``; raises Refused (nothing stored) when any item is refused."""
    refusals = Refusals()
    checked = [c for c in (_check(i, item, kiosk, refusals) for i, item in enumerate(reports)) if c is not None]
    Report = database.models.Report
    numbers = [c.item.tracking_number for c in checked]
    # The full report rules are most of a push's CPU: they run before the write section, without holding a
    # connection, and only on the reports the server does not hold yet (a push sent again skips them). The stored
    # hashes are read again under the write lock (_store), so a report another push stored meanwhile is still told.
    with database.db.connection_context():
        stored = dict(select_in(database.db, Report, ("tracking_number", "content_hash"), "tracking_number", numbers))
    for c in checked:
        if c.item.tracking_number not in stored:
            _validate(c, config, refusals)
    with database.db.connection_context():
        results = all_or_nothing(database, refusals, lambda: _store(database, kiosk, reports, checked, refusals))
    stored_count = sum(1 for r in results if r.outcome == "stored")
    log.info("kiosk %d pushed %d reports (%d new)", kiosk.number, len(reports), stored_count)
    return results


def _check(index: int, item: PushedReport, kiosk: KioskInfo, refusals: Refusals) -> _Checked | None:
    """The checks that need no database; None when the item is refused."""
    prefix = f"reports[{index}]"

    def refuse(status: int, field: str, code: str, message: str) -> None:
        refusals.add(status, ErrorItem(index=index, tracking_number=item.tracking_number, field=field, code=code,
                                       message=message))

    tracking = tracking_of(item.tracking_number)
    if tracking.kiosk != kiosk.number:
        refuse(403, f"{prefix}.tracking_number", "other_kiosk",
               f"this report belongs to kiosk {tracking.kiosk}; this token is kiosk {kiosk.number}'s")
        return None
    ok = True
    if item.kiosk_number != tracking.kiosk:
        refuse(422, f"{prefix}.kiosk_number", "kiosk_mismatch",
               f"must be {tracking.kiosk}, the kiosk number inside the tracking number")
        ok = False
    body = storable_json(item.report)  # the canonical JSON, once: hashed and stored
    if body is None:
        for field, code, message in text_problems(item.report, f"{prefix}.report"):
            refuse(422, field, code, message)
            ok = False
    if not ok:
        return None
    if body is None:
        body = canonical_json(item.report)
    if "sha256:" + hashlib.sha256(body).hexdigest() != item.content_hash:  # kiosk.sync.protocol.content_hash
        refuse(422, f"{prefix}.content_hash", "hash_mismatch",
               "is not the SHA-256 of the report's canonical JSON (kiosk.sync.protocol.content_hash); "
               "compute it again from the report as sent")
        return None
    return _Checked(index, item, body.decode("utf-8"))


def _validate(c: _Checked, config: Config, refusals: Refusals) -> None:
    prefix = f"reports[{c.index}].report"
    now = datetime.fromisoformat(c.item.submitted_at)
    try:
        problems = validate_report(c.item.report, config, now).problems
    except Exception as exc:  # the rules must never turn bad input into a 500
        log.error("the report rules failed on reports[%d] (%s)", c.index, exc.__class__.__name__, exc_info=True)
        refusals.add(422, ErrorItem(index=c.index, tracking_number=c.item.tracking_number, field=prefix,
                                    code="unreadable", message="the report cannot be read by the report rules"))
        return
    for problem in problems:
        refusals.add(422, ErrorItem(index=c.index, tracking_number=c.item.tracking_number,
                                    field=f"{prefix}.{problem.field}" if problem.field else prefix,
                                    code=problem.code, message=problem.render(SOURCE_LANGUAGE)))


_REPORT_COLUMNS = ("tracking_number", "kiosk_number", "content_hash", "submitted_at", "body", "status",
                   "received_at")


def _store(database: ServerDatabase, kiosk: KioskInfo, reports: list[PushedReport], checked: list[_Checked],
           refusals: Refusals) -> list[ReportResult]:
    """Store the batch in order, as if one report at a time (a tracking number twice in the batch is stored once),
    with one read of the stored hashes under the write lock and one insert of the new rows."""
    Report = database.models.Report
    refused = {item.index for _, item in refusals.items}
    stored = dict(select_in(database.db, Report, ("tracking_number", "content_hash"), "tracking_number",
                            (c.item.tracking_number for c in checked if c.index not in refused)))
    received = now_stamp()
    results: list[ReportResult] = []
    new_rows: list[tuple[object, ...]] = []
    for c in checked:
        index, item = c.index, c.item
        if index in refused:
            continue
        stored_hash = stored.get(item.tracking_number)
        if stored_hash is not None:
            if stored_hash == item.content_hash:
                results.append(ReportResult(tracking_number=item.tracking_number, outcome="already_stored"))
                continue
            message = ("the server already holds this tracking number with different content; an officer must "
                       "look at both (p2c-server conflicts)")
            refusals.add(409, ErrorItem(index=index, tracking_number=item.tracking_number,
                                        field=f"reports[{index}].content_hash", code="content_differs",
                                        message=message))
            refusals.conflicts.append(ConflictRecord("report", kiosk.number, item.tracking_number, None,
                                                     "content_differs", message, stored_hash,
                                                     item.content_hash, c.body))
            continue
        stored[item.tracking_number] = item.content_hash
        new_rows.append((item.tracking_number, item.kiosk_number, item.content_hash, item.submitted_at, c.body,
                         Status.SUBMITTED, received))
        results.append(ReportResult(tracking_number=item.tracking_number, outcome="stored"))
    if not refusals:
        insert_rows(database.db, Report, _REPORT_COLUMNS, new_rows)
    return results
