"""Each kiosk's audit log, kept off the kiosk (docs/audit.md, "Anchored at the server").

A kiosk sends its audit entries with every sync run (``POST /api/v1/audit``): the entries after the head the server
holds (``GET /api/v1/audit``), and its own head, even when nothing is new. The server works every entry's hash out
again with the kiosk's own function (:func:`kiosk.audit.entry_hash`) and keeps the chain, so:

- an entry must continue the chain the server holds (the next id, linked to the server's head's hash, its content
  matching its hash);
- an entry the server already holds, sent again, must be the same entry (same hash);
- the kiosk's head must not be behind the server's (entries cut off the end, or the whole log removed) and, where
  the server holds that entry, must have the same hash (the log rewritten).

Anything else flags the kiosk (``audit_chain.mismatch``): the push is refused (409 ``audit_mismatch``), and so is every
later one, until the department has looked (``p2c-server audit verify`` names it). Reports and events still sync.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TypedDict

from kiosk.audit import GENESIS_HASH, entry_hash
from server.db import ServerDatabase, write_transaction
from server.errors import ErrorItem, Refused
from server.kiosks import KioskInfo, list_kiosks, now_stamp
from server.schemas import AuditHead, AuditPush, AuditState, PushedAuditEntry

log = logging.getLogger(__name__)

VERIFY_BATCH = 1000
_COLUMNS = ("kiosk_number", "entry_id", "at", "actor", "action", "subject", "details", "prev_hash", "hash",
            "received_at")


@dataclass(frozen=True)
class _Head:
    id: int
    hash: str
    mismatch: str | None = None


def audit_state(database: ServerDatabase, kiosk: KioskInfo) -> AuditState:
    """The head the server holds of ``kiosk``'s log, how many entries, and its flag."""
    with database.db.connection_context():
        head = _head(database, kiosk.number)
        count = _count(database, kiosk.number)
    return AuditState(head=AuditHead(id=head.id, hash=head.hash), entries=count, mismatch=head.mismatch)


def push_audit(database: ServerDatabase, kiosk: KioskInfo, push: AuditPush) -> AuditState:
    """Store the entries of ``push`` that continue ``kiosk``'s chain and check its head; Refused (nothing stored)
    when they do not, the kiosk then being flagged (409 ``audit_mismatch``), or when the push skips entries (422)."""
    mismatch: str | None = None
    with database.db.connection_context():
        with write_transaction(database):
            head = _head(database, kiosk.number)
            if head.mismatch:
                raise _mismatch_refusal(head.mismatch)
            problem = _check(database, kiosk.number, head, push)
            if isinstance(problem, Refused):
                raise problem
            if problem is None:
                new = [entry for entry in push.entries if entry.id > head.id]
                _store(database, kiosk.number, new, head)
                head = _head(database, kiosk.number)
                count = _count(database, kiosk.number)
            else:
                mismatch = problem
        if mismatch is not None:
            _flag(database, kiosk.number, mismatch)
            log.warning("kiosk %d: its audit chain no longer matches the server's: %s", kiosk.number, mismatch)
            raise _mismatch_refusal(mismatch)
    return AuditState(head=AuditHead(id=head.id, hash=head.hash), entries=count, mismatch=None)


def _check(database: ServerDatabase, kiosk_number: int, head: _Head, push: AuditPush) -> str | Refused | None:
    """What is wrong with ``push`` given the server's ``head``: a mismatch in words (the kiosk is flagged), a
    refusal that flags nothing (entries skipped), or None."""
    entries = push.entries
    beyond = next((i for i, e in enumerate(entries) if e.id > push.head.id), None)
    if beyond is not None:
        return Refused(422, "an entry comes after the head the push names",
                       [ErrorItem(index=beyond, field=f"entries[{beyond}].id", code="audit_after_head",
                                  message=f"is after the head, entry {push.head.id}; send the head as it is now")])
    held = _held_hashes(database, kiosk_number, [e.id for e in entries if e.id <= head.id])
    for entry in entries:
        if entry.id <= head.id and (held.get(entry.id) != entry.hash or _hash_of(entry) != entry.hash):
            return (f"entry {entry.id} is not the entry the server holds with that id: the kiosk's log was changed "
                    "or rewritten after the server received it")
    new = [entry for entry in entries if entry.id > head.id]
    previous_id, previous_hash = head.id, head.hash
    for entry in new:
        if entry.id != previous_id + 1:
            return Refused(422, "the entries must continue the chain the server holds, in id order, without gaps",
                           [ErrorItem(index=entries.index(entry), field=f"entries[{entries.index(entry)}].id",
                                      code="audit_not_contiguous",
                                      message=f"is {entry.id}; the next entry the server needs is {previous_id + 1} "
                                              "(GET /api/v1/audit gives the server's head)")])
        if entry.prev_hash != previous_hash:
            return (f"entry {entry.id} does not link to entry {previous_id} as the server holds it: the kiosk's log "
                    "was rewritten")
        if _hash_of(entry) != entry.hash:
            return f"entry {entry.id}'s content does not match its hash: it was changed after it was written"
        previous_id, previous_hash = entry.id, entry.hash
    # The kiosk's head, against the chain as it stands once this push is stored.
    if push.head.id < previous_id:
        return (f"the kiosk's log now ends at entry {push.head.id}, but the server holds entries up to "
                f"{previous_id}: entries were removed from the kiosk's log")
    if push.head.id == previous_id and push.head.hash != previous_hash:
        return (f"the kiosk's newest entry {push.head.id} is not the entry the server holds with that id: the "
                "kiosk's log was rewritten")
    return None


def _hash_of(entry: PushedAuditEntry) -> str:
    return entry_hash(entry.id, entry.at, entry.actor, entry.action, entry.subject, entry.details, entry.prev_hash)


def _mismatch_refusal(problem: str) -> Refused:
    return Refused(409, "this kiosk's audit log no longer matches what the server holds; the department must look "
                        "into it (p2c-server audit verify)",
                   [ErrorItem(field="head", code="audit_mismatch", message=problem)])


def _head(database: ServerDatabase, kiosk_number: int) -> _Head:
    Chain = database.models.AuditChain
    row = Chain.get_or_none(Chain.kiosk_number == kiosk_number)
    if row is None:
        return _Head(0, GENESIS_HASH)
    return _Head(row.head_id, row.head_hash, row.mismatch)


def _count(database: ServerDatabase, kiosk_number: int) -> int:
    Entry = database.models.AuditEntry
    return int(Entry.select().where(Entry.kiosk_number == kiosk_number).count())


def _held_hashes(database: ServerDatabase, kiosk_number: int, ids: list[int]) -> dict[int, str]:
    db = database.db
    wanted = sorted({i for i in ids if i > 0})
    found: dict[int, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        marks = ", ".join([db.param] * len(chunk))
        found.update(db.execute_sql(f"SELECT entry_id, hash FROM {_table(database)} WHERE kiosk_number = {db.param} "
                                    f"AND entry_id IN ({marks})", [kiosk_number, *chunk]).fetchall())
    return found


def _table(database: ServerDatabase) -> str:
    db = database.db
    return f"{db.quote[0]}{database.models.AuditEntry._meta.table_name}{db.quote[1]}"


def _store(database: ServerDatabase, kiosk_number: int, new: list[PushedAuditEntry], head: _Head) -> None:
    from server.batch_sql import insert_rows

    Chain, Entry = database.models.AuditChain, database.models.AuditEntry
    stamp = now_stamp()
    insert_rows(database.db, Entry, _COLUMNS, [
        (kiosk_number, e.id, e.at, e.actor, e.action, e.subject, e.details, e.prev_hash, e.hash, stamp) for e in new])
    last = new[-1] if new else None
    values = {"head_id": last.id if last else head.id, "head_hash": last.hash if last else head.hash,
              "last_push_at": stamp}
    if not Chain.update(**values).where(Chain.kiosk_number == kiosk_number).execute():
        Chain.create(kiosk_number=kiosk_number, **values)


def _flag(database: ServerDatabase, kiosk_number: int, problem: str) -> None:
    """Mark the kiosk's chain as no longer matching, in a transaction of its own (the push was rolled back)."""
    Chain = database.models.AuditChain
    stamp = now_stamp()
    with write_transaction(database):
        updated = (Chain.update(mismatch=problem, mismatch_at=stamp, last_push_at=stamp)
                   .where((Chain.kiosk_number == kiosk_number) & Chain.mismatch.is_null()).execute())
        if not updated and Chain.get_or_none(Chain.kiosk_number == kiosk_number) is None:
            Chain.create(kiosk_number=kiosk_number, head_id=0, head_hash=GENESIS_HASH, last_push_at=stamp,
                         mismatch=problem, mismatch_at=stamp)


# -- p2c-server audit verify ------------------------------------------------------------------------------------------

class ChainReport(TypedDict):
    kiosk_number: int
    kiosk_name: str
    state: str  # "intact", "mismatch" (flagged at a push), "broken" (the server's copy fails its own check), "empty"
    entries: int
    head_id: int
    head_hash: str
    last_push_at: str | None
    mismatch_at: str | None
    problem: str | None


def verify_chains(database: ServerDatabase, kiosk_number: int | None = None) -> list[ChainReport]:
    """Each registered kiosk's chain as the server holds it (only ``kiosk_number``'s when given): the flag a push
    raised, and the server's own copy walked again (every hash worked out, every link and id checked)."""
    kiosks = [k for k in list_kiosks(database) if kiosk_number is None or k.number == kiosk_number]
    reports: list[ChainReport] = []
    with database.db.connection_context():
        Chain = database.models.AuditChain
        for kiosk in kiosks:
            row = Chain.get_or_none(Chain.kiosk_number == kiosk.number)
            count = _count(database, kiosk.number)
            report: ChainReport = {
                "kiosk_number": kiosk.number, "kiosk_name": kiosk.name, "state": "empty", "entries": count,
                "head_id": row.head_id if row else 0, "head_hash": row.head_hash if row else GENESIS_HASH,
                "last_push_at": row.last_push_at if row else None, "mismatch_at": row.mismatch_at if row else None,
                "problem": None}
            broken = _walk(database, kiosk.number, report["head_id"], report["head_hash"])
            if row is not None and row.mismatch:
                report["state"], report["problem"] = "mismatch", row.mismatch
            elif broken is not None:
                report["state"], report["problem"] = "broken", broken
            elif count:
                report["state"] = "intact"
            reports.append(report)
    return reports


def _walk(database: ServerDatabase, kiosk_number: int, head_id: int, head_hash: str) -> str | None:
    """What is wrong with the server's copy of a kiosk's chain (someone changed the server's database), or None."""
    db = database.db
    previous_id, previous_hash = 0, GENESIS_HASH
    while True:
        rows = db.execute_sql(
            f"SELECT entry_id, at, actor, action, subject, details, prev_hash, hash FROM {_table(database)} "
            f"WHERE kiosk_number = {db.param} AND entry_id > {db.param} ORDER BY entry_id LIMIT {VERIFY_BATCH}",
            (kiosk_number, previous_id)).fetchall()
        if not rows:
            break
        for entry_id, at, actor, action, subject, details, prev_hash, stored_hash in rows:
            if entry_id != previous_id + 1:
                return f"the server's copy lacks entry {previous_id + 1}"
            if prev_hash != previous_hash or entry_hash(entry_id, at, actor, action, subject, details,
                                                        prev_hash) != stored_hash:
                return f"the server's copy of entry {entry_id} was changed"
            previous_id, previous_hash = entry_id, stored_hash
    if (previous_id, previous_hash) != (head_id, head_hash):
        return f"the server's copy ends at entry {previous_id}, but its head says {head_id}"
    return None
