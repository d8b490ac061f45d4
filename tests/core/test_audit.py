"""The audit log: append-only, hash-chained, and `verify` finds the first entry changed, removed or reordered, even
when the change went around the triggers (raw sqlite3, as someone with the file would do it)."""

from __future__ import annotations

import itertools
import subprocess
import sys
import textwrap

import peewee as pw
import pytest
from storage_keyring import raw_connection

import kiosk.audit
from kiosk.audit import GENESIS_HASH, AuditLog, entry_hash


@pytest.fixture
def audit(store, clock):
    return AuditLog(store, clock)


def _fill(audit, clock, count):
    for number in range(1, count + 1):
        clock.advance(seconds=30)
        audit.record(f"officer:user{number % 3}", "report_opened", f"T26-01-{number:05d}-1", step=number)


def _raw(store, *statements):
    """Change the file the way someone with a copy of it and its key could: a plain connection, triggers dropped."""
    connection = raw_connection(store.path)
    try:
        connection.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
        connection.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


def _rows(store):
    return store.db.execute_sql(
        "SELECT id, at, actor, action, subject, details, prev_hash, hash FROM audit_entry ORDER BY id").fetchall()


def test_entries_are_chained_from_64_zeros_each_on_the_one_before(audit, clock, store):
    _fill(audit, clock, 4)
    rows = _rows(store)
    assert [r[0] for r in rows] == [1, 2, 3, 4]
    assert rows[0][6] == GENESIS_HASH == "0" * 64
    for before, after in itertools.pairwise(rows):
        assert after[6] == before[7]
    for entry_id, at, actor, action, subject, details, prev_hash, digest in rows:
        assert digest == entry_hash(entry_id, at, actor, action, subject, details, prev_hash)
        assert len(digest) == 64


def test_entries_come_back_newest_first_with_their_details_and_page_on(audit, clock):
    _fill(audit, clock, 5)
    newest = audit.entries(limit=2)
    assert [e.id for e in newest] == [5, 4]
    assert newest[0].details == {"step": 5} and newest[0].action == "report_opened"
    assert newest[0].subject == "T26-01-00005-1" and newest[0].at.utcoffset().total_seconds() == 0
    assert [e.id for e in audit.entries(limit=10, before_id=4)] == [3, 2, 1]
    assert audit.head() == (5, newest[0].hash)


@pytest.mark.parametrize("key", ["password", "new_password", "access_code", "accessCode", "code", "secret",
                                 "smtp_secret"])
def test_details_that_could_hold_a_secret_are_refused_and_nothing_is_written(audit, key):
    with pytest.raises(ValueError, match="secret"):
        audit.record("system", "login_failed", "j.smith", **{key: "hunter2hunter2"})
    assert audit.count() == 0


def test_details_other_than_text_numbers_or_none_are_refused(audit):
    with pytest.raises(ValueError):
        audit.record("system", "approved", "T26-01-00001-1", items=["a", "b"])
    audit.record("system", "approved", "T26-01-00001-1", reason_code="duplicate", count=2, note=None)
    assert audit.entries()[0].details == {"reason_code": "duplicate", "count": 2, "note": None}


def test_an_entry_commits_and_rolls_back_with_the_callers_transaction(audit, store):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), store.db.atomic():
        audit.record("officer:a", "approved", "T26-01-00001-1")
        raise Boom
    assert audit.count() == 0
    with store.db.atomic():
        audit.record("officer:a", "approved", "T26-01-00001-1")
        audit.record("officer:a", "rejected", "T26-01-00002-1")
    assert audit.count() == 2 and audit.verify().ok


def test_the_triggers_forbid_changing_or_removing_an_entry(audit, clock, store):
    _fill(audit, clock, 2)
    with pytest.raises(pw.DatabaseError, match="append-only"):
        store.db.execute_sql("UPDATE audit_entry SET subject = 'x' WHERE id = 1")
    with pytest.raises(pw.DatabaseError, match="append-only"):
        store.db.execute_sql("DELETE FROM audit_entry WHERE id = 2")
    assert audit.verify().ok


def test_verify_an_intact_log(audit, clock):
    assert audit.verify().ok and audit.verify().checked == 0
    _fill(audit, clock, 7)
    verdict = audit.verify()
    assert verdict.ok and verdict.checked == 7 and verdict.first_bad_id is None and verdict.problem == ""
    assert verdict.head_hash == audit.head()[1]


def test_verify_names_an_entry_edited_in_the_database(audit, clock, store):
    _fill(audit, clock, 6)
    _raw(store, "UPDATE audit_entry SET actor = 'officer:someone_else' WHERE id = 4")
    verdict = audit.verify()
    assert not verdict.ok and verdict.first_bad_id == 4 and verdict.checked == 3
    assert "entry 4 was changed" in verdict.problem


def test_verify_names_an_entry_whose_details_were_edited_even_only_in_spacing(audit, clock, store):
    _fill(audit, clock, 3)
    _raw(store, "UPDATE audit_entry SET details = '{\"step\": 2}' WHERE id = 2")
    verdict = audit.verify()
    assert verdict.first_bad_id == 2 and "changed" in verdict.problem


def test_verify_names_an_entry_edited_with_its_hash_worked_out_again(audit, clock, store):
    _fill(audit, clock, 5)
    entry_id, at, actor, action, _, details, prev_hash, _ = _rows(store)[2]
    forged = entry_hash(entry_id, at, actor, action, "T26-01-99999-1", details, prev_hash)
    _raw(store, f"UPDATE audit_entry SET subject = 'T26-01-99999-1', hash = '{forged}' WHERE id = 3")
    verdict = audit.verify()
    assert verdict.first_bad_id == 3 and "entry 3 was changed" in verdict.problem


def test_verify_names_a_removed_entry(audit, clock, store):
    _fill(audit, clock, 6)
    _raw(store, "DELETE FROM audit_entry WHERE id = 3")
    verdict = audit.verify()
    assert not verdict.ok and verdict.first_bad_id == 3 and verdict.checked == 2
    assert "entry 3 is missing" in verdict.problem and "removed" in verdict.problem


def test_verify_names_the_first_entry_removed_from_the_start(audit, clock, store):
    _fill(audit, clock, 3)
    _raw(store, "DELETE FROM audit_entry WHERE id = 1")
    verdict = audit.verify()
    assert verdict.first_bad_id == 1 and "missing" in verdict.problem


def test_verify_names_the_first_of_two_swapped_entries(audit, clock, store):
    _fill(audit, clock, 6)
    _raw(store, "UPDATE audit_entry SET id = -1 WHERE id = 3", "UPDATE audit_entry SET id = 3 WHERE id = 4",
         "UPDATE audit_entry SET id = 4 WHERE id = -1")
    verdict = audit.verify()
    assert not verdict.ok and verdict.first_bad_id == 3 and verdict.checked == 2
    assert "out of order" in verdict.problem


def test_verify_catches_entries_cut_off_the_end_given_an_earlier_head(audit, clock, store):
    _fill(audit, clock, 5)
    head = audit.head()
    _raw(store, "DELETE FROM audit_entry WHERE id >= 4")
    assert audit.verify().ok  # the chain alone cannot show it ...
    verdict = audit.verify(head)  # ... the head copied elsewhere does
    assert not verdict.ok and verdict.first_bad_id == 5 and "cut off" in verdict.problem


def test_verify_walks_in_batches_and_finds_a_break_at_a_batch_edge(audit, clock, store, monkeypatch):
    monkeypatch.setattr(kiosk.audit, "VERIFY_BATCH", 3)
    _fill(audit, clock, 10)
    assert audit.verify().ok and audit.verify().checked == 10
    _raw(store, "DELETE FROM audit_entry WHERE id = 4")
    verdict = audit.verify()
    assert verdict.first_bad_id == 4 and verdict.checked == 3


WRITER = textwrap.dedent("""
    import sys
    from kiosk.audit import AuditLog
    from kiosk.clock import SystemClock
    from kiosk.storage.database import open_store

    store = open_store(sys.argv[1])
    audit = AuditLog(store, SystemClock())
    for number in range(int(sys.argv[3])):
        audit.record("cli:" + sys.argv[2], "status_lookup", "T26-01-00001-1", n=number)
    store.close()
""")


def test_two_processes_writing_at_once_never_fork_the_chain(audit, store):
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(store.path), name, "60"])
               for name in ("first", "second", "third")]
    assert [w.wait(timeout=120) for w in writers] == [0, 0, 0]
    verdict = audit.verify()
    assert verdict.ok and verdict.checked == 180
