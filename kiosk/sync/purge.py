"""Removing a citizen's personal data from the kiosk once the department's server holds the report (docs/sync.md,
"Purge").

A report is due when all of these hold:

- the server has it (``synced_at``) and it is not purged yet;
- it was approved at least ``sync.purge_after_days`` days ago, or rejected at least
  ``sync.purge_rejected_after_days`` days ago (0 turns that off), counted from ``updated_at``, the time of the
  decision;
- every event of its history is settled: acknowledged by the server, pulled from it, or refused by it and followed
  by a decision pulled from the server (which won);
- none of its e-mail notices is still waiting to be sent.

Purging keeps what the citizen's status look-up needs (tracking number, access code hash, status, official number,
the history with the officer's question or next steps) and the report's ``format``, ``category`` and ``language``;
it removes the rest of the document, the name tokens, serial numbers and search keys, the place shown in lists, and
the e-mail notices' recipient and bodies; ``purged_at`` records when. Each batch of reports is one transaction.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import datetime, timedelta

from kiosk.clock import Clock
from kiosk.config import Config
from kiosk.storage.database import Store
from kiosk.storage.timestamps import utc_text
from kiosk.vocabulary import Status

log = logging.getLogger(__name__)

# The parts of a report's document kept after the purge.
KEPT_KEYS = ("format", "category", "language")
# Reports purged per transaction (short transactions leave the kiosk's screens free to write), and at most per call:
# a kiosk connected with years of reports behind it purges its backlog over several runs (~1,000 reports/s here)
# rather than holding one sync run for minutes.
BATCH = 200
MAX_PER_RUN = 2000

# Reports the server has, decided with ``status`` at or before the cut-off, not purged, with a settled history and
# no notice waiting. An event is settled when the server acknowledged it or sent it (event_sync.acked_at), or when
# the server refused it and a later event (the server's own decision, which won) was acknowledged or pulled.
_DUE = """
SELECT r.id FROM report AS r
WHERE r.status = ? AND r.updated_at <= ? AND r.synced_at IS NOT NULL AND r.purged_at IS NULL AND r.id > ?
  AND NOT EXISTS (
    SELECT 1 FROM report_event AS e LEFT JOIN event_sync AS s ON s.event_id = e.id
    WHERE e.report_id = r.id
      AND (s.event_id IS NULL
           OR (s.acked_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM report_event AS later JOIN event_sync AS ls ON ls.event_id = later.id
                               WHERE later.report_id = r.id AND later.id > e.id AND ls.acked_at IS NOT NULL))))
  AND NOT EXISTS (SELECT 1 FROM notice AS n WHERE n.report_id = r.id AND n.status = 'pending')
ORDER BY r.id LIMIT ?
"""


def purge_due(store: Store, config: Config, clock: Clock) -> int:
    """Purge the personal data of the reports that are due now, at most :data:`MAX_PER_RUN` (the rest at the next
    call); return how many were purged."""
    now = clock.now()
    purged = 0
    db = store.db
    # Overwrite what is removed with zeros rather than leaving it in free pages of the file.
    (secure,) = db.execute_sql("PRAGMA secure_delete").fetchone()
    db.execute_sql("PRAGMA secure_delete = ON")
    try:
        for status, days in ((Status.APPROVED, config.sync.purge_after_days),
                             (Status.REJECTED, config.sync.purge_rejected_after_days)):
            if days <= 0:
                continue
            cutoff = utc_text(now - timedelta(days=days))
            purged += _purge_status(store, status, cutoff, now, MAX_PER_RUN - purged)
    finally:
        db.execute_sql(f"PRAGMA secure_delete = {int(secure)}")
    if purged:
        # The old pages also sit in the write-ahead log until a checkpoint copies the new ones over them; do it now
        # and empty the log (a reader still open may keep it from finishing: the next purge or checkpoint does).
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        log.info("sync: personal data of %d report(s) purged", purged)
    return purged


def _purge_status(store: Store, status: str, cutoff: str, now: datetime, limit: int) -> int:
    db = store.db
    purged = 0
    last_id = 0
    while purged < limit:
        size = min(BATCH, limit - purged)
        with db.atomic("IMMEDIATE"):
            ids = [row[0] for row in db.execute_sql(_DUE, (status, cutoff, last_id, size)).fetchall()]
            for report_id in ids:
                purge_report(store, report_id, now)
        purged += len(ids)
        if len(ids) < size:
            break
        last_id = ids[-1]
    return purged


def purge_report(store: Store, report_id: int, now: datetime) -> None:
    """Remove one report's personal data (inside the caller's transaction), ``now``."""
    db = store.db
    (data,) = db.execute_sql("SELECT data FROM report WHERE id = ?", (report_id,)).fetchone()
    document = json.loads(data)
    stub = {key: document[key] for key in KEPT_KEYS if key in document}
    db.execute_sql(
        "UPDATE report SET data = ?, reporter_name = '', person_key = '', home_address_key = '', location_key = '', "
        "location_summary = '', purged_at = ? WHERE id = ?",
        (json.dumps(stub, ensure_ascii=False, separators=(",", ":")), utc_text(now), report_id))
    db.execute_sql("DELETE FROM report_name_token WHERE report_id = ?", (report_id,))
    db.execute_sql("DELETE FROM report_serial WHERE report_id = ?", (report_id,))
    db.execute_sql("UPDATE notice SET recipient = NULL, body_text = '', body_html = '' WHERE report_id = ?",
                   (report_id,))


def purged_report(document: Mapping[str, object]) -> bool:
    """Whether a document from :meth:`kiosk.reports.ReportService.get` is a purged stub."""
    return bool(document.get("purged_at"))
