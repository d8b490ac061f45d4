"""``POST /api/v1/access-codes``: store the access-code verifiers of reports a kiosk already pushed, all or nothing.
The latest verifier replaces the one before (an officer may reissue a code); sending the same one again changes
nothing. The status page (server.citizen_status) checks the code a citizen types against it."""

from __future__ import annotations

import logging

from server.batch_sql import select_in
from server.db import ServerDatabase
from server.errors import ErrorItem
from server.kiosks import KioskInfo
from server.refusals import Refusals, all_or_nothing
from server.schemas import AccessCodeResult, PushedAccessCode, tracking_of

log = logging.getLogger(__name__)


def push_access_codes(database: ServerDatabase, kiosk: KioskInfo,
                      items: list[PushedAccessCode]) -> list[AccessCodeResult]:
    """Store ``items`` pushed by ``kiosk``; raises Refused (nothing stored) when any item is refused: 403 for a
    report of another kiosk, 422 for a report the server does not hold."""
    refusals = Refusals()
    for index, item in enumerate(items):
        tracking = tracking_of(item.tracking_number)
        if tracking.kiosk != kiosk.number:
            refusals.add(403, ErrorItem(index=index, tracking_number=item.tracking_number,
                                        field=f"access_codes[{index}].tracking_number", code="other_kiosk",
                                        message=f"this report belongs to kiosk {tracking.kiosk}; this token is kiosk "
                                                f"{kiosk.number}'s"))
    with database.db.connection_context():
        results = all_or_nothing(database, refusals, lambda: _store(database, items, refusals))
    changed = sum(1 for result in results if result.outcome == "stored")
    log.info("kiosk %d pushed %d access-code verifiers (%d changed)", kiosk.number, len(items), changed)
    return results


def _store(database: ServerDatabase, items: list[PushedAccessCode], refusals: Refusals) -> list[AccessCodeResult]:
    """In request order, as if one at a time (a report twice in the batch: the later verifier wins)."""
    db, Report = database.db, database.models.Report
    refused = {item.index for _, item in refusals.items}
    held = dict(select_in(db, Report, ("tracking_number", "access_code_verifier"), "tracking_number",
                          (item.tracking_number for index, item in enumerate(items) if index not in refused)))
    results: list[AccessCodeResult] = []
    changed: dict[str, str] = {}
    for index, item in enumerate(items):
        if index in refused:
            continue
        number = item.tracking_number
        if number not in held:
            refusals.add(422, ErrorItem(index=index, tracking_number=number,
                                        field=f"access_codes[{index}].tracking_number", code="unknown_report",
                                        message="the server holds no report with this tracking number; push the "
                                                "report first"))
            continue
        if held[number] == item.verifier:
            results.append(AccessCodeResult(tracking_number=number, outcome="unchanged"))
            continue
        held[number] = changed[number] = item.verifier
        results.append(AccessCodeResult(tracking_number=number, outcome="stored"))
    if not refusals and changed:
        table = f"{db.quote[0]}{Report._meta.table_name}{db.quote[1]}"
        cursor = db.cursor()
        cursor.executemany(f'UPDATE {table} SET "access_code_verifier" = {db.param} WHERE "tracking_number" = '
                           f"{db.param}", [(verifier, number) for number, verifier in changed.items()])
    return results
