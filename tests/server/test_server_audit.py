"""Each kiosk's audit chain anchored at the server (``GET``/``POST /api/v1/audit``, ``p2c-server audit verify``): the
server keeps the entries, works every hash out again, and flags a kiosk whose log goes backwards or forks; the flag
stays, and ``audit verify`` names it. Chains are built here with the kiosk's own hash function."""

from __future__ import annotations

import contextlib
import io
import json

from server_support import open_database

from kiosk.audit import GENESIS_HASH, details_json, entry_hash
from server.cli import main


def chain(count: int, start: int = 1, prev: str = GENESIS_HASH, actor: str = "officer:dana") -> list[dict]:
    """``count`` entries continuing from ``prev`` (the hash of entry ``start - 1``), as the kiosk stores them."""
    entries = []
    for entry_id in range(start, start + count):
        at = f"2026-11-19T14:{entry_id % 60:02d}:00.000000+00:00"
        details = details_json({"n": entry_id})
        digest = entry_hash(entry_id, at, actor, "report_opened", "T26-01-00001-5", details, prev)
        entries.append({"id": entry_id, "at": at, "actor": actor, "action": "report_opened",
                        "subject": "T26-01-00001-5", "details": details, "prev_hash": prev, "hash": digest})
        prev = digest
    return entries


def head(entries: list[dict]) -> dict:
    return {"id": entries[-1]["id"], "hash": entries[-1]["hash"]} if entries else {"id": 0, "hash": GENESIS_HASH}


def push(kiosk, entries: list[dict], kiosk_head: dict | None = None):
    return kiosk.http.post("/audit", json={"head": kiosk_head or head(entries), "entries": entries})


def verify(db_url: str, *args: str):
    out, err = io.StringIO(), io.StringIO()
    code = main(["--db", db_url, "audit", "verify", *args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_a_growing_chain_is_kept_entry_for_entry_and_sent_again_harmlessly(world, kiosk):
    assert kiosk.http.get("/audit").json() == {"head": {"id": 0, "hash": GENESIS_HASH}, "entries": 0,
                                               "mismatch": None}
    log = chain(5)
    answer = push(kiosk, log[:3], head(log))  # a first batch, while the kiosk's log is already at 5
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"head": head(log[:3]), "entries": 3, "mismatch": None}
    assert push(kiosk, log[3:]).json()["head"] == head(log)
    # Sent again (an answer lost on the way): the same entries are accepted and nothing is added.
    assert push(kiosk, log[2:]).json() == {"head": head(log), "entries": 5, "mismatch": None}
    # Nothing new: the head alone.
    assert push(kiosk, [], head(log)).status_code == 200
    log += chain(2, 6, log[-1]["hash"])
    assert push(kiosk, log[5:]).json()["entries"] == 7
    code, out, _ = verify(world.db_url, "--kiosk", str(kiosk.number))
    assert code == 0, out
    assert f"intact  7 entries  head 7:{log[-1]['hash'][:16]}" in out


def _flagged(world, kiosk, response, words: str) -> None:
    assert response.status_code == 409, response.text
    [item] = response.json()["error"]["items"]
    assert item["code"] == "audit_mismatch" and words in item["message"], item
    state = kiosk.http.get("/audit").json()
    assert state["mismatch"] == item["message"]
    code, out, _ = verify(world.db_url, "--kiosk", str(kiosk.number))
    assert code == 1 and "MISMATCH since" in out and words in out, out


def test_entries_cut_off_the_end_are_flagged(world, kiosk):
    log = chain(6)
    assert push(kiosk, log).status_code == 200
    _flagged(world, kiosk, push(kiosk, [], head(log[:5])), "entries were removed")


def test_the_whole_log_removed_is_flagged(world, kiosk):
    log = chain(3)
    assert push(kiosk, log).status_code == 200
    _flagged(world, kiosk, push(kiosk, [], head([])), "now ends at entry 0")


def test_a_whole_chain_rewritten_with_its_hashes_worked_out_again_is_flagged(world, kiosk):
    log = chain(4)
    assert push(kiosk, log).status_code == 200
    forged = chain(4, actor="officer:mallory")  # a valid chain of its own, from 64 zeros
    _flagged(world, kiosk, push(kiosk, [], head(forged)), "rewritten")


def test_a_rewritten_chain_that_grew_meanwhile_forks_and_is_flagged(world, kiosk):
    log = chain(4)
    assert push(kiosk, log).status_code == 200
    forged = chain(6, actor="officer:mallory")
    _flagged(world, kiosk, push(kiosk, forged[4:]), "does not link to entry 4")


def test_an_entry_sent_again_with_other_content_is_flagged(world, kiosk):
    log = chain(3)
    assert push(kiosk, log).status_code == 200
    changed = dict(log[1], details=details_json({"n": 99}))  # its old hash kept
    _flagged(world, kiosk, push(kiosk, [changed, log[2]]), "entry 2 is not the entry the server holds")


def test_an_entry_sent_again_changed_with_its_hash_worked_out_again_is_flagged(world, kiosk):
    log = chain(3)
    assert push(kiosk, log).status_code == 200
    changed = dict(log[1], details=details_json({"n": 99}))
    changed["hash"] = entry_hash(2, changed["at"], changed["actor"], changed["action"], changed["subject"],
                                 changed["details"], changed["prev_hash"])
    _flagged(world, kiosk, push(kiosk, [changed], {"id": 3, "hash": log[2]["hash"]}),
             "entry 2 is not the entry the server holds")


def test_an_entry_whose_content_does_not_match_its_hash_is_flagged(world, kiosk):
    log = chain(3)
    log[2] = dict(log[2], subject="T26-01-00002-3")
    _flagged(world, kiosk, push(kiosk, log), "entry 3's content does not match its hash")


def test_a_flagged_kiosk_stays_flagged_and_nothing_more_is_kept(world, kiosk):
    log = chain(3)
    assert push(kiosk, log).status_code == 200
    assert push(kiosk, [], head(log[:2])).status_code == 409
    more = chain(2, 4, log[-1]["hash"])
    again = push(kiosk, more)  # even a push that would continue the chain
    assert again.status_code == 409 and "entries were removed" in again.json()["error"]["items"][0]["message"]
    assert kiosk.http.get("/audit").json()["head"] == head(log)


def test_a_push_that_skips_entries_is_refused_without_flagging(world, kiosk):
    log = chain(5)
    assert push(kiosk, log[:2]).status_code == 200
    response = push(kiosk, log[3:])
    assert response.status_code == 422, response.text
    [item] = response.json()["error"]["items"]
    assert (item["field"], item["code"]) == ("entries[0].id", "audit_not_contiguous")
    assert "next entry the server needs is 3" in item["message"]
    assert kiosk.http.get("/audit").json()["mismatch"] is None


def test_too_many_entries_in_one_push_is_413(world, kiosk):
    log = chain(201)
    response = push(kiosk, log)
    assert response.status_code == 413 and response.json()["error"]["code"] == "batch_too_large"


def test_audit_verify_lists_every_kiosk_and_finds_a_copy_changed_at_the_server(world):
    good, changed, silent = world.new_kiosk(), world.new_kiosk(), world.new_kiosk()
    assert push(good, chain(2)).status_code == 200
    assert push(changed, chain(3)).status_code == 200
    database = open_database(world.db_url)
    try:
        Entry = database.models.AuditEntry
        with database.db.connection_context():
            Entry.update(subject="edited").where((Entry.kiosk_number == changed.number)
                                                 & (Entry.entry_id == 2)).execute()
    finally:
        database.close()
    out = io.StringIO()
    code = main(["--db", world.db_url, "audit", "verify", "--json"], stdout=out, stderr=io.StringIO())
    states = {row["kiosk_number"]: row for row in json.loads(out.getvalue())}
    assert code == 1
    assert states[good.number]["state"] == "intact" and states[good.number]["entries"] == 2
    assert states[changed.number]["state"] == "broken"
    assert states[changed.number]["problem"] == "the server's copy of entry 2 was changed"
    assert states[silent.number]["state"] == "empty"
    code, _, err = verify(world.db_url, "--kiosk", "98")
    assert code == 2 and "there is no kiosk 98" in err
    with contextlib.redirect_stderr(io.StringIO()):
        assert verify(world.db_url, "--kiosk", str(good.number))[0] == 0
