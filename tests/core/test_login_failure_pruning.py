"""Stored login failures that can no longer count towards a lock-out are deleted, so ``login_failure`` stays small:
an account's at its successful login or unlock, and those older than the lock-out window of unknown usernames (and of
the account that failed) at every login, unlock and failure. The lock-out works as before, the audit log keeps every
failure, and the deletes use the table's index. Real SQLite, a ManualClock."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from kiosk.audit import AuditLog
from kiosk.officers import LoginRefused, OfficerService

GOOD = "violet kettle harbour"
CLI = "cli:deskadmin"


@pytest.fixture
def audit(store, clock):
    return AuditLog(store, clock)


@pytest.fixture
def officers(store, clock, audit):
    service = OfficerService(store, clock, audit, hasher=PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))
    service.add("j.smith", "Officer Jane Smith", "4711", GOOD, by=CLI)
    service.add("a.khan", "Officer Ali Khan", "4712", GOOD, by=CLI)
    return service


def fail(officers, username: str) -> None:
    with pytest.raises(LoginRefused):
        officers.login(username, "wrong wrong wrong")


def stored(store) -> list[str]:
    """Whose failures are stored, one entry a row: a username, or "unknown"."""
    rows = store.db.execute_sql("SELECT o.username FROM login_failure f LEFT JOIN officer o ON o.id = f.officer_id "
                                "ORDER BY f.id").fetchall()
    return [name or "unknown" for (name,) in rows]


def test_unknown_usernames_failures_older_than_the_window_go_at_a_successful_login(officers, store, clock):
    fail(officers, "ghost")
    fail(officers, "nobody")
    clock.advance(minutes=10)
    fail(officers, "phantom")  # within the window at the login below: kept
    clock.advance(minutes=6)
    fail(officers, "a.khan")
    officers.login("j.smith", GOOD)
    assert stored(store) == ["unknown", "a.khan"]


def test_an_unlock_deletes_the_accounts_failures_and_unknown_usernames_older_than_the_window(officers, store, clock):
    for _ in range(5):
        fail(officers, "j.smith")
    fail(officers, "ghost")
    assert officers.find("j.smith").locked
    clock.advance(hours=2)
    fail(officers, "a.khan")
    officers.unlock("j.smith", by=CLI)
    assert stored(store) == ["a.khan"]


def test_an_unlock_of_an_account_that_was_not_locked_prunes_too(officers, store, clock):
    fail(officers, "ghost")
    clock.advance(minutes=15)
    officers.unlock("a.khan", by=CLI)
    assert stored(store) == []


def test_a_failure_prunes_what_can_no_longer_count_so_the_table_stays_small(officers, store, clock):
    # Somebody tries usernames and a disabled account's password for ten hours, and nobody logs in.
    officers.disable("a.khan", by=CLI)
    for _ in range(200):
        fail(officers, "ghost")
        fail(officers, "a.khan")
        clock.advance(minutes=3)
    # Only the failures that can still count are kept: the last ones, at minute 597, and those of the 15 minutes
    # before them (at minutes 585, 588, 591, 594; 582 is exactly 15 minutes before: at the edge, no longer counted).
    assert stored(store) == ["unknown", "a.khan"] * 5


def test_the_lock_out_counts_exactly_as_before_at_the_edge_of_the_window(officers, store, clock):
    fail(officers, "j.smith")
    clock.advance(minutes=15)  # the first failure is now exactly 15 minutes old: it no longer counts
    for _ in range(4):
        fail(officers, "j.smith")
    assert not officers.find("j.smith").locked
    assert stored(store) == ["j.smith"] * 4
    fail(officers, "j.smith")
    assert officers.find("j.smith").locked


def test_five_failures_within_the_window_still_lock_while_older_ones_are_pruned(officers, store, clock):
    fail(officers, "j.smith")
    fail(officers, "ghost")
    clock.advance(minutes=20)
    for _ in range(4):
        fail(officers, "j.smith")
        clock.advance(minutes=3)
    assert not officers.find("j.smith").locked
    fail(officers, "j.smith")  # the fifth within 12 minutes
    assert officers.find("j.smith").locked
    assert stored(store) == ["j.smith"] * 5


def test_the_audit_log_keeps_every_failure_that_was_pruned(officers, store, clock, audit):
    for username in ("ghost", "j.smith", "nobody"):
        fail(officers, username)
    clock.advance(hours=1)
    officers.login("j.smith", GOOD)
    assert stored(store) == []
    failed = [(e.subject, e.details["cause"]) for e in reversed(audit.entries(limit=100)) if e.action == "login_failed"]
    assert failed == [("unknown", "unknown_username"), ("j.smith", "wrong_password"),
                      ("unknown", "unknown_username")]


def test_the_prunes_use_the_index_on_officer_and_time(officers, store, clock):
    fail(officers, "ghost")
    clock.advance(minutes=16)
    statements: list[str] = []
    connection = store.db.connection()
    connection.set_trace_callback(statements.append)
    try:
        fail(officers, "j.smith")
        fail(officers, "ghost")
        officers.login("a.khan", GOOD)
        officers.unlock("j.smith", by=CLI)
    finally:
        connection.set_trace_callback(None)
    deletes = [sql for sql in statements if sql.lstrip().upper().startswith("DELETE") and "login_failure" in sql]
    # Two at a known account's failure, one at an unknown username's, two at a login and two at an unlock.
    assert len(deletes) == 7, statements
    for sql in deletes:
        plan = " ".join(row[-1] for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall())
        assert "USING INDEX login_failure_officer" in plan or "USING COVERING INDEX login_failure_officer" in plan, \
            (sql, plan)
