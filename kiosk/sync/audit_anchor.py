"""The audit log anchored at the department's server (docs/audit.md, "Anchored at the server"): a step of every sync
run. The kiosk asks the server for the head it holds of this kiosk's log (``GET /audit``), then sends the entries
after it, exactly as stored, with its own head (``POST /audit``), even when nothing is new, so that a log cut short or
rewritten at the kiosk no longer matches what the server holds. The server checks; when it refuses (409
``audit_mismatch``) the kiosk keeps the server's words in ``sync_state`` (``audit_mismatch``), where ``p2c-kiosk audit
verify``, ``p2c-kiosk sync status`` and the officers' sync page find them, and writes one audit entry saying so.
Reports and decisions still sync: the mismatch is for the department to look into, not a reason to stop.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import peewee as pw

from kiosk.audit import GENESIS_HASH, SERVER_MISMATCH_KEY
from kiosk.storage.database import Store
from kiosk.sync.protocol import MAX_AUDIT_BATCH, AuditEntryItem, AuditHeadItem

if TYPE_CHECKING:
    from kiosk.audit import AuditLog
    from kiosk.sync.client import SyncClient

log = logging.getLogger(__name__)

# The audit entry written when the server first reports a mismatch (actor "sync", subject "audit_entry").
MISMATCH_AUDIT = "audit_mismatch_reported"


def anchor(store: Store, audit: AuditLog, client: SyncClient) -> str | None:
    """Send the server what it lacks of this kiosk's audit log, and the head. Returns the server's words when it
    finds the chain no longer matches (also kept in ``sync_state``), else None. Raises the client's errors for
    network trouble; an older server without the audit chain is skipped (logged)."""
    from kiosk.sync.client import ItemsRefused, NotOffered

    try:
        newest = audit.head()
    except pw.DatabaseError:
        # The log cannot be read at all (its table dropped): to the server that is a log with nothing in it, which
        # it flags if it held entries.
        log.error("sync: the audit log cannot be read; the server is told it is empty")
        newest = None
    head: AuditHeadItem = {"id": newest[0], "hash": newest[1]} if newest else {"id": 0, "hash": GENESIS_HASH}
    try:
        held = client.audit_state()
        if held.mismatch:
            return _flagged(store, audit, held.mismatch)
        after = held.head_id
        while True:
            entries: list[AuditEntryItem] = [
                {"id": e.id, "at": e.at, "actor": e.actor, "action": e.action, "subject": e.subject,
                 "details": e.details, "prev_hash": e.prev_hash, "hash": e.hash}
                for e in (audit.chain_after(after, head["id"], MAX_AUDIT_BATCH) if head["id"] > after else [])]
            answer = client.push_audit(head, entries)
            if not entries or answer.head_id >= head["id"] or answer.head_id <= after:
                break
            after = answer.head_id
    except NotOffered:
        log.info("sync: the server does not keep audit logs (an older server); the log is not anchored")
        return None
    except ItemsRefused as refused:
        words = next((item.message for item in refused.items if item.code == "audit_mismatch"), None)
        if words is None:
            raise
        return _flagged(store, audit, words)
    _clear(store)
    return None


def _flagged(store: Store, audit: AuditLog, words: str) -> str:
    """Keep the server's words (once: the entry about it is written when they first arrive or change)."""
    row = store.db.execute_sql("SELECT value FROM sync_state WHERE key = ?", (SERVER_MISMATCH_KEY,)).fetchone()
    if row is None or row[0] != words:
        with store.db.atomic("IMMEDIATE"):
            store.db.execute_sql("INSERT INTO sync_state (key, value) VALUES (?, ?) "
                                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (SERVER_MISMATCH_KEY, words))
        try:
            audit.record("sync", MISMATCH_AUDIT, "audit_entry")
        except pw.DatabaseError:
            pass  # the log itself is gone; the server's words are kept all the same
        log.error("sync: the department's server says this kiosk's audit log no longer matches the chain it holds: "
                  "%s", words)
    return words


def _clear(store: Store) -> None:
    """The server holds the chain as the kiosk does (again: the department cleared its flag)."""
    store.db.execute_sql("DELETE FROM sync_state WHERE key = ?", (SERVER_MISMATCH_KEY,))


def server_mismatch(store: Store) -> str | None:
    """The server's words about this kiosk's audit log when it no longer matches, else None."""
    row = store.db.execute_sql("SELECT value FROM sync_state WHERE key = ?", (SERVER_MISMATCH_KEY,)).fetchone()
    return str(row[0]) if row and row[0] else None
