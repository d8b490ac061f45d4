"""The audit log: who did what and when in officer mode, append-only and hash-chained.

Each entry's ``hash`` is SHA-256 over a canonical JSON of its own fields and the previous entry's hash
(``prev_hash``; 64 zeros for the first entry), so changing, removing or reordering an entry, even by going around
the database triggers that forbid UPDATE and DELETE, breaks the chain and :meth:`AuditLog.verify` finds where.
Details hold codes and numbers (tracking numbers, reason codes, counts), never a password, an access code or what a
citizen typed. See docs/audit.md.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime

import peewee as pw

from kiosk.clock import Clock
from kiosk.storage.database import Store
from kiosk.storage.timestamps import utc_from_text, utc_text

GENESIS_HASH = "0" * 64
VERIFY_BATCH = 500

# Detail keys that could only hold a secret; refused so that no caller writes one into the log by mistake.
_SECRET_KEY = re.compile(r"password|passwd|passphrase|secret|access_?code|^code$|^pin$", re.IGNORECASE)


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime  # aware, UTC
    actor: str
    action: str
    subject: str
    details: dict[str, object] = field(default_factory=dict)  # as stored: text, whole numbers, None
    hash: str = ""


@dataclass(frozen=True)
class AuditVerdict:
    """What :meth:`AuditLog.verify` found. ``first_bad_id`` is None when no one entry is at fault: the table cannot
    be read at all, or the department's server flagged the log (``problem`` says which)."""

    ok: bool
    checked: int
    first_bad_id: int | None = None
    problem: str = ""
    head_hash: str = GENESIS_HASH  # the hash of the newest entry checked (copy it elsewhere to catch truncation)


@dataclass(frozen=True)
class ChainEntry:
    """One entry exactly as stored (the text the hash covers), as the sync sends it to the department's server."""

    id: int
    at: str
    actor: str
    action: str
    subject: str
    details: str
    prev_hash: str
    hash: str


# The key of sync_state (kiosk.sync.state) under which the sync keeps the department server's words when the server
# found that this kiosk's log no longer matches the chain it holds (docs/audit.md, "Anchored at the server").
SERVER_MISMATCH_KEY = "audit_mismatch"


def entry_hash(entry_id: int, at: str, actor: str, action: str, subject: str, details: str, prev_hash: str) -> str:
    """SHA-256 (hex) over the canonical JSON of one entry. ``details`` is the stored JSON text, hashed as is."""
    canonical = json.dumps(
        {"id": entry_id, "at": at, "actor": actor, "action": action, "subject": subject, "details": details,
         "prev_hash": prev_hash},
        sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def details_json(details: dict[str, str | int | None]) -> str:
    """The stored (canonical) form of an entry's details; raises ValueError for a secret-looking key or a value that
    is not text, a whole number or None."""
    for key, value in details.items():
        if _SECRET_KEY.search(key):
            raise ValueError(f"audit details must not hold secrets: refusing the key {key!r}")
        if value is not None and not isinstance(value, str | int):
            raise ValueError(f"audit detail {key!r} must be text, a whole number or None, not {type(value).__name__}")
    return json.dumps(details, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class AuditLog:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    def record(self, actor: str, action: str, subject: str = "", **details: str | int | None) -> None:
        """Append one hash-chained entry.

        Inside a caller's transaction this is a savepoint of it, so the action and its entry commit (or roll back)
        together. Alone it opens an IMMEDIATE transaction, taking the write lock before reading the newest entry's
        hash, so two processes sharing the file can never both chain onto the same entry. (Inside a caller's
        deferred transaction SQLite gives the same guarantee another way: a transaction whose snapshot is older
        than another process's commit cannot write, and fails instead of forking the chain.)"""
        if not actor or not action:
            raise ValueError("an audit entry needs an actor and an action")
        stored_details = details_json(details)
        at = utc_text(self._clock.now())  # the stored text is what the hash covers
        db = self._store.db
        with db.atomic("IMMEDIATE"):
            row = db.execute_sql("SELECT id, hash FROM audit_entry ORDER BY id DESC LIMIT 1").fetchone()
            last_id, prev_hash = (row[0], row[1]) if row else (0, GENESIS_HASH)
            entry_id = last_id + 1
            digest = entry_hash(entry_id, at, actor, action, subject, stored_details, prev_hash)
            db.execute_sql(
                "INSERT INTO audit_entry (id, at, actor, action, subject, details, prev_hash, hash) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (entry_id, at, actor, action, subject, stored_details, prev_hash, digest))

    def entries(self, limit: int = 100, before_id: int | None = None) -> list[AuditRecord]:
        """Entries newest first; ``before_id`` pages on (the id of the oldest entry of the page before)."""
        sql = "SELECT id, at, actor, action, subject, details, hash FROM audit_entry"
        params: tuple[int, ...] = ()
        if before_id is not None:
            sql += " WHERE id < ?"
            params = (before_id,)
        sql += " ORDER BY id DESC LIMIT ?"
        rows = self._store.db.execute_sql(sql, (*params, max(0, limit))).fetchall()
        return [AuditRecord(id=r[0], at=utc_from_text(r[1]), actor=r[2], action=r[3], subject=r[4],
                            details=_parse_details(r[5]), hash=r[6]) for r in rows]

    def count(self) -> int:
        count: int = self._store.db.execute_sql("SELECT COUNT(*) FROM audit_entry").fetchone()[0]
        return count

    def head(self) -> tuple[int, str] | None:
        """(id, hash) of the newest entry, or None for an empty log. Kept elsewhere, it lets :meth:`verify` catch
        the one edit the chain alone cannot show: entries cut off the end."""
        row = self._store.db.execute_sql("SELECT id, hash FROM audit_entry ORDER BY id DESC LIMIT 1").fetchone()
        return (row[0], row[1]) if row else None

    def chain_after(self, after_id: int, up_to_id: int, limit: int) -> list[ChainEntry]:
        """Up to ``limit`` entries with ids in (``after_id``, ``up_to_id``], in id order, exactly as stored."""
        rows = self._store.db.execute_sql(
            "SELECT id, at, actor, action, subject, details, prev_hash, hash FROM audit_entry "
            "WHERE id > ? AND id <= ? ORDER BY id LIMIT ?", (after_id, up_to_id, max(0, limit))).fetchall()
        return [ChainEntry(*row) for row in rows]

    def verify(self, expected_head: tuple[int, str] | None = None) -> AuditVerdict:
        """Walk the log in id order, in batches, and report the first entry that was changed, removed or
        reordered. With ``expected_head`` (an earlier :meth:`head`), also check that that entry is still there with
        the same hash, which catches entries removed from the end. A log the department's server found no longer
        matching what it holds (the sync keeps its words) fails too, and so does a table that cannot be read
        (missing or damaged): one verdict, never an exception."""
        try:
            verdict = self._verify(expected_head)
        except pw.DatabaseError as exc:
            return AuditVerdict(ok=False, checked=0, problem=_unreadable(exc))
        if verdict.ok:
            flagged = self._server_mismatch()
            if flagged:
                return AuditVerdict(ok=False, checked=verdict.checked, head_hash=verdict.head_hash,
                                    problem=f"the department's server holds a different chain for this kiosk: "
                                            f"{flagged}")
        return verdict

    def _server_mismatch(self) -> str | None:
        try:
            row = self._store.db.execute_sql("SELECT value FROM sync_state WHERE key = ?",
                                              (SERVER_MISMATCH_KEY,)).fetchone()
        except pw.DatabaseError:
            return None  # a store from before sync (no sync_state table) has no server to differ from
        return str(row[0]) if row and row[0] else None

    def _verify(self, expected_head: tuple[int, str] | None) -> AuditVerdict:
        db = self._store.db
        checked = 0
        previous: tuple[int, str] | None = None  # (id, hash) of the last entry that passed
        after = 0
        while True:
            rows = db.execute_sql(
                "SELECT id, at, actor, action, subject, details, prev_hash, hash FROM audit_entry "
                "WHERE id > ? ORDER BY id LIMIT ?", (after, VERIFY_BATCH)).fetchall()
            if not rows:
                break
            for entry_id, at, actor, action, subject, details, prev_hash, stored_hash in rows:
                bad = self._check(previous, entry_id, at, actor, action, subject, details, prev_hash, stored_hash)
                if bad is not None:
                    return AuditVerdict(ok=False, checked=checked, first_bad_id=bad[0], problem=bad[1],
                                        head_hash=previous[1] if previous else GENESIS_HASH)
                previous = (entry_id, stored_hash)
                checked += 1
            after = rows[-1][0]
        head_hash = previous[1] if previous else GENESIS_HASH
        if expected_head is not None:
            head_id, head_digest = expected_head
            row = db.execute_sql("SELECT hash FROM audit_entry WHERE id = ?", (head_id,)).fetchone()
            if row is None:
                return AuditVerdict(ok=False, checked=checked, first_bad_id=head_id, head_hash=head_hash,
                                    problem=f"entry {head_id} is missing: the log ends at entry "
                                            f"{previous[0] if previous else 0}, so entries were cut off its end")
            if row[0] != head_digest:
                return AuditVerdict(ok=False, checked=checked, first_bad_id=head_id, head_hash=head_hash,
                                    problem=f"entry {head_id} does not have the hash that was copied: the log was "
                                            "rewritten up to it")
        return AuditVerdict(ok=True, checked=checked, head_hash=head_hash)

    def _check(self, previous: tuple[int, str] | None, entry_id: int, at: str, actor: str, action: str,
               subject: str, details: str, prev_hash: str, stored_hash: str) -> tuple[int, str] | None:
        """(first bad id, problem) when this entry breaks the chain, else None."""
        expected_id = previous[0] + 1 if previous else 1
        if entry_id != expected_id:
            if previous is None:
                return expected_id, (f"entry {expected_id} is missing: the log starts at entry {entry_id}, so "
                                     "entries were removed")
            return expected_id, (f"entry {expected_id} is missing: the log goes from entry {previous[0]} to entry "
                                 f"{entry_id}, so entries were removed")
        content_ok = entry_hash(entry_id, at, actor, action, subject, details, prev_hash) == stored_hash
        link_ok = prev_hash == (previous[1] if previous else GENESIS_HASH)
        if link_ok and content_ok:
            return None
        if not link_ok:
            later = self._store.db.execute_sql(
                "SELECT id FROM audit_entry WHERE hash = ? AND id > ? ORDER BY id LIMIT 1",
                (prev_hash, entry_id)).fetchone()
            if later is not None:
                return entry_id, (f"entry {entry_id} is out of order: it was written after entry {later[0]}, so "
                                  "entries were swapped or moved")
            if content_ok and previous is not None:
                return previous[0], (f"entry {previous[0]} was changed and its hash worked out again: entry "
                                     f"{entry_id} still links to the hash it had before")
            if content_ok:
                return entry_id, (f"entry {entry_id} does not start the chain: entries before it were removed or "
                                  "it was put there")
            return entry_id, (f"entry {entry_id} was changed after it was written: neither its hash nor its link to "
                              "the entry before it match")
        return entry_id, f"entry {entry_id} was changed after it was written: its content does not match its hash"


def _unreadable(exc: pw.DatabaseError) -> str:
    """The one line for an audit log that cannot be read at all."""
    text = str(exc)
    if "no such table" in text:
        return ("the audit log cannot be checked: its table (audit_entry) is missing from the database, so the whole "
                "log was removed")
    if "no such column" in text:
        return f"the audit log cannot be checked: its table (audit_entry) was altered ({text})"
    return f"the audit log cannot be checked: its table (audit_entry) cannot be read ({exc.__class__.__name__}: {text})"


def _parse_details(text: str) -> dict[str, object]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return {"unreadable": text}
    return value if isinstance(value, dict) else {"value": value}
