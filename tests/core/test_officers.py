"""Officer accounts: the password policy, argon2id hashes, the login that tells nothing, the AC-7 lock-out, admin-only
actions, the last administrator, and an audit entry for every event that holds no secret."""

from __future__ import annotations

import time

import pytest
from argon2 import PasswordHasher
from storage_keyring import raw_connection

from kiosk.audit import AuditLog
from kiosk.messages import render
from kiosk.officers import (
    LoginRefused,
    NotAllowed,
    OfficerError,
    OfficerService,
    OfficerSession,
    PasswordRejected,
    load_common_passwords,
)
from kiosk.resources import resource_path
from kiosk.storage import StoreError

CHEAP = dict(time_cost=1, memory_cost=8192, parallelism=1)
GOOD = "violet kettle harbour"  # 21 characters, on no list
OTHER = "seventeen brass lanterns"
CLI = "cli:deskadmin"


@pytest.fixture
def audit(store, clock):
    return AuditLog(store, clock)


@pytest.fixture
def officers(store, clock, audit):
    return OfficerService(store, clock, audit, hasher=PasswordHasher(**CHEAP))


@pytest.fixture
def admin(officers):
    officers.add("chief", "Chief Ada Byrne", "1", GOOD, role="admin", by=CLI)
    return officers.login("chief", GOOD)


def _add(officers, username="j.smith", password=GOOD, role="officer"):
    return officers.add(username, "Officer Jane Smith", "4711", password, role=role, by=CLI)


def _codes(problems):
    return [p.code for p in problems]


def _actions(audit):
    return [(e.actor, e.action, e.subject) for e in reversed(audit.entries(limit=1000))]


def _fail(officers, username="j.smith", password="wrong wrong wrong"):
    with pytest.raises(LoginRefused):
        officers.login(username, password)


# --- the password policy -------------------------------------------------------------------------------------------

def test_a_password_of_ten_characters_unrelated_to_the_username_and_not_common_is_fine(officers):
    assert officers.password_problems("j.smith", "tulip-9-ox") == []
    assert officers.password_problems("j.smith", GOOD) == []


def test_a_password_shorter_than_ten_characters_is_refused(officers):
    problems = officers.password_problems("j.smith", "tulip-9-o")
    assert _codes(problems) == ["password.too_short"] and problems[0].field == "password"
    assert "at least 10 characters" in render(problems[0])
    assert "al menos 10 caracteres" in render(problems[0], "es")


def test_a_password_longer_than_128_characters_is_refused(officers):
    assert _codes(officers.password_problems("j.smith", "x7" * 65)) == ["password.too_long"]


@pytest.mark.parametrize("password", ["j.smith.2026x", "J.Smith-is-me", "my name: J.SMITH"])
def test_a_password_that_is_or_contains_the_username_is_refused_in_any_case(officers, password):
    assert "password.is_username" in _codes(officers.password_problems("j.smith", password))


def test_the_username_is_compared_whole_when_it_is_only_two_characters(officers):
    assert _codes(officers.password_problems("al", "Al")) == ["password.too_short", "password.is_username"]
    assert officers.password_problems("al", "totally unrelated words") == []


@pytest.mark.parametrize("password", ["password123", "PASSWORD123", "QwertyUiop", "1q2w3e4r5t"])
def test_a_common_password_is_refused_in_any_case(officers, password):
    assert _codes(officers.password_problems("j.smith", password)) == ["password.common"]


def test_the_bundled_list_has_ten_thousand_passwords_and_says_where_it_came_from():
    path = resource_path("common-passwords.txt")
    header = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert any("zxcvbn" in line for line in header) and any("MIT" in line for line in header)
    common = load_common_passwords(path)
    assert len(common) == 10_000
    assert {"123456", "password", "qwerty", "letmein", "password123"} <= common


def test_every_password_problem_is_given_at_once(officers):
    with pytest.raises(PasswordRejected) as caught:
        _add(officers, "pass", "Pass")
    assert _codes(caught.value.problems) == ["password.too_short", "password.is_username", "password.common"]
    assert all(p.field == "password" for p in caught.value.problems)


# --- accounts ------------------------------------------------------------------------------------------------------

def test_the_stored_hash_is_argon2id_and_holds_no_password(officers, store):
    account = _add(officers, "J.Smith")
    assert account.username == "j.smith" and account.role == "officer" and account.active and not account.locked
    stored = store.models.Officer.get_by_id(account.id).password_hash
    assert stored.startswith("$argon2id$") and GOOD not in stored


@pytest.mark.parametrize("username", ["a", "x" * 33, "jane smith", "josé", "j/smith", "", "j+s"])
def test_a_username_outside_the_rules_is_refused(officers, username):
    with pytest.raises(OfficerError) as caught:
        _add(officers, username)
    assert _codes(caught.value.problems) == ["officer.username_invalid"]
    assert caught.value.problem.field == "username"


def test_usernames_are_stored_in_lower_case_and_taken_in_any_case(officers):
    _add(officers, "K9.Unit_2-b")
    assert [a.username for a in officers.list_officers()] == ["k9.unit_2-b"]
    with pytest.raises(OfficerError) as caught:
        _add(officers, "k9.UNIT_2-B")
    assert caught.value.problem.code == "officer.username_taken"
    assert "k9.unit_2-b" in render(caught.value.problem)


def test_adding_lists_every_problem_and_stores_nothing(officers, audit):
    with pytest.raises(OfficerError) as caught:
        officers.add("x", " ", "", "short", role="chief", by=CLI)
    assert [(p.field, p.code) for p in caught.value.problems] == [
        ("username", "officer.username_invalid"), ("display_name", "officer.display_name_required"),
        ("badge_number", "officer.badge_required"), ("role", "officer.role_invalid"),
        ("password", "password.too_short")]
    assert officers.list_officers() == [] and audit.count() == 0


def test_an_account_and_its_audit_entry_are_stored_together_or_not_at_all(officers, store):
    connection = raw_connection(store.path)
    connection.execute("CREATE TRIGGER no_audit BEFORE INSERT ON audit_entry BEGIN SELECT RAISE(ABORT, 'no'); END")
    connection.commit()
    connection.close()
    with pytest.raises(StoreError):
        _add(officers)
    assert officers.list_officers() == []


def test_has_admin_only_with_an_active_administrator(officers):
    assert not officers.has_admin()
    _add(officers)
    assert not officers.has_admin()
    _add(officers, "chief", role="admin")
    assert officers.has_admin()


# --- the door ------------------------------------------------------------------------------------------------------

def test_the_right_password_opens_a_session_in_any_case_of_username(officers, audit, clock):
    _add(officers)
    session = officers.login("  J.Smith ", GOOD)
    assert isinstance(session, OfficerSession)
    assert session.username == "j.smith" and session.display_name == "Officer Jane Smith"
    assert session.actor == "officer:j.smith" and not session.is_admin and session.started_at == clock.now()
    assert _actions(audit)[-1] == ("officer:j.smith", "login", "j.smith")


def test_wrong_password_and_unknown_username_give_the_same_message(officers, audit):
    _add(officers)
    refusals = []
    for username, password in (("j.smith", "wrong wrong wrong"), ("no.such.officer", GOOD), ("", ""),
                               ("not a name!", GOOD)):
        with pytest.raises(LoginRefused) as caught:
            officers.login(username, password)
        refusals.append((caught.value.problem, render(caught.value.problem), render(caught.value.problem, "es")))
    assert all(refusal == refusals[0] for refusal in refusals)
    assert refusals[0][0].code == "login.refused" and "5 wrong tries in 15 minutes" in refusals[0][1]
    failed = [e for e in audit.entries() if e.action == "login_failed"]
    assert [e.subject for e in reversed(failed)] == ["j.smith", "unknown", "unknown", "unknown"]
    assert [e.details["cause"] for e in reversed(failed)] == ["wrong_password", "unknown_username",
                                                              "unknown_username", "unknown_username"]


def test_failures_are_counted_per_account_and_for_unknown_usernames(officers, store):
    _add(officers)
    _fail(officers)
    _fail(officers, "ghost")
    failures = store.models.LoginFailure
    assert sorted(str(f.officer_id) for f in failures.select()) == ["1", "None"]


def test_five_failures_within_15_minutes_lock_the_account(officers, audit, clock):
    _add(officers)
    for _ in range(5):
        _fail(officers)
        clock.advance(minutes=3)  # the fifth is at minute 12
    assert officers.find("j.smith").locked
    locks = [e for e in audit.entries() if e.action == "account_locked"]
    assert len(locks) == 1 and locks[0].subject == "j.smith" and locks[0].details["failures"] == 5


def test_a_locked_account_refuses_the_right_password_with_the_same_message_until_unlocked(officers, clock, audit):
    _add(officers)
    for _ in range(5):
        _fail(officers)
    clock.advance(hours=6)  # the lock does not wear off
    with pytest.raises(LoginRefused) as caught:
        officers.login("j.smith", GOOD)
    assert caught.value.problem.code == "login.refused"
    assert [e.details["cause"] for e in audit.entries(limit=1)] == ["locked"]
    assert len([e for e in audit.entries() if e.action == "account_locked"]) == 1


def test_five_failures_spread_over_more_than_15_minutes_do_not_lock(officers, clock):
    _add(officers)
    for _ in range(5):
        _fail(officers)
        clock.advance(minutes=4)  # minutes 0, 4, 8, 12, 16: never five within 15 minutes
    assert not officers.find("j.smith").locked
    assert officers.login("j.smith", GOOD).username == "j.smith"


def test_a_successful_login_starts_the_count_again(officers):
    _add(officers)
    for _ in range(4):
        _fail(officers)
    officers.login("j.smith", GOOD)
    _fail(officers)
    assert not officers.find("j.smith").locked


def test_unlock_opens_the_account_and_failures_before_it_no_longer_count(officers, clock, audit):
    _add(officers)
    for _ in range(5):
        _fail(officers)
    officers.unlock("j.smith", by=CLI)
    assert not officers.find("j.smith").locked
    assert _actions(audit)[-1] == (CLI, "account_unlocked", "j.smith")
    for _ in range(4):
        _fail(officers)
    assert not officers.find("j.smith").locked  # four since the unlock, not nine
    _fail(officers)
    assert officers.find("j.smith").locked
    officers.unlock("j.smith", by=CLI)
    assert officers.login("j.smith", GOOD).username == "j.smith"


def test_a_disabled_account_refuses_the_right_password_and_enable_opens_it(officers, audit):
    _add(officers)
    officers.disable("j.smith", by=CLI)
    assert not officers.find("j.smith").active
    with pytest.raises(LoginRefused):
        officers.login("j.smith", GOOD)
    assert audit.entries(limit=1)[0].details["cause"] == "disabled"
    officers.enable("j.smith", by=CLI)
    assert officers.login("j.smith", GOOD).username == "j.smith"


def test_logout_and_auto_lock_are_audited(officers, audit):
    _add(officers)
    session = officers.login("j.smith", GOOD)
    officers.logout(session)
    officers.logout(officers.login("j.smith", GOOD), reason="auto_locked")
    assert [a for _, a, _ in _actions(audit)][-4:] == ["login", "logout", "login", "auto_locked"]
    with pytest.raises(ValueError):
        officers.logout(session, reason="went home")


def test_login_rehashes_a_hash_made_with_other_parameters(store, clock, audit, officers):
    _add(officers)
    stronger = OfficerService(store, clock, audit, hasher=PasswordHasher(time_cost=2, memory_cost=16384,
                                                                         parallelism=1))
    stronger.login("j.smith", GOOD)
    stored = store.models.Officer.get(username="j.smith").password_hash
    assert stored.startswith("$argon2id$") and "m=16384,t=2,p=1" in stored
    assert stronger.login("j.smith", GOOD).username == "j.smith"


# --- who may do what -----------------------------------------------------------------------------------------------

def test_admin_actions_need_an_administrator_or_the_cli(officers, admin):
    _add(officers)
    officer = officers.login("j.smith", GOOD)
    for action in (lambda by: officers.add("k.lee", "Officer Kim Lee", "12", OTHER, by=by),
                   lambda by: officers.disable("chief", by=by), lambda by: officers.unlock("chief", by=by),
                   lambda by: officers.enable("chief", by=by), lambda by: officers.set_role("j.smith", "admin", by=by),
                   lambda by: officers.set_password("chief", OTHER, by=by)):
        for by in (officer, "someone", "cli:", "officer:chief", None):
            with pytest.raises(NotAllowed) as caught:
                action(by)
            assert caught.value.problem.code == "officer.not_allowed"
    assert [a.username for a in officers.list_officers()] == ["chief", "j.smith"]
    officers.add("k.lee", "Officer Kim Lee", "12", OTHER, by=admin)
    officers.disable("k.lee", by=admin)
    assert not officers.find("k.lee").active


def test_an_admin_session_stops_counting_once_its_account_is_disabled(officers, admin):
    officers.add("deputy", "Deputy Chief", "2", OTHER, role="admin", by=CLI)
    officers.disable("chief", by=CLI)
    with pytest.raises(NotAllowed):
        officers.add("k.lee", "Officer Kim Lee", "12", OTHER, by=admin)


def test_the_last_active_administrator_cannot_be_disabled_or_demoted(officers, admin):
    for action in (lambda: officers.disable("chief", by=admin), lambda: officers.set_role("chief", "officer", by=admin),
                   lambda: officers.disable("chief", by=CLI)):
        with pytest.raises(OfficerError) as caught:
            action()
        assert caught.value.problem.code == "officer.last_admin"
        assert "last active administrator" in render(caught.value.problem)
    assert officers.find("chief").active and officers.find("chief").is_admin


def test_with_a_second_administrator_one_may_step_down(officers, admin):
    _add(officers)
    officers.set_role("j.smith", "admin", by=admin)
    officers.set_role("chief", "officer", by=admin)
    assert not officers.find("chief").is_admin
    with pytest.raises(NotAllowed):
        officers.disable("j.smith", by=admin)  # the old session no longer counts as an administrator's


def test_unknown_accounts_are_named_in_the_refusal(officers, admin):
    for action in (officers.disable, officers.enable, officers.unlock):
        with pytest.raises(OfficerError) as caught:
            action("Nobody", by=admin)
        assert caught.value.problem.code == "officer.not_found" and "“nobody”" in render(caught.value.problem)


def test_passwords_are_changed_by_an_admin_or_by_the_officer_for_themself(officers, admin, audit):
    _add(officers)
    officer = officers.login("j.smith", GOOD)
    officers.set_password("j.smith", OTHER, by=officer)
    with pytest.raises(LoginRefused):
        officers.login("j.smith", GOOD)
    assert officers.login("j.smith", OTHER).username == "j.smith"
    officers.set_password("j.smith", "nine pale onions", by=admin)
    assert officers.login("j.smith", "nine pale onions").username == "j.smith"
    with pytest.raises(NotAllowed):
        officers.set_password("chief", OTHER, by=officer)
    with pytest.raises(PasswordRejected) as caught:
        officers.set_password("j.smith", "letmein", by=admin)
    assert _codes(caught.value.problems) == ["password.too_short", "password.common"]
    changes = [(actor, subject) for actor, action, subject in _actions(audit) if action == "password_changed"]
    assert changes == [("officer:j.smith", "j.smith"), ("officer:chief", "j.smith")]


# --- the audit trail -----------------------------------------------------------------------------------------------

def test_every_event_is_audited_and_no_secret_or_typed_username_is_anywhere_in_the_file(officers, admin, audit,
                                                                                        clock, store):
    password, typed = "Zebra-Quartz-Marmalade-42", "ghost.typed.name"
    officers.add("k.lee", "Officer Kim Lee", "12", password, by=admin)
    officers.logout(officers.login("k.lee", password))
    _fail(officers, typed, password)
    for _ in range(5):
        _fail(officers, "k.lee", password + "!")
    officers.unlock("k.lee", by=admin)
    officers.disable("k.lee", by=admin)
    officers.enable("k.lee", by=admin)
    officers.set_password("k.lee", password[::-1], by=admin)
    officers.logout(officers.login("k.lee", password[::-1]), reason="auto_locked")
    officers.logout(admin)
    assert _actions(audit) == [
        (CLI, "officer_added", "chief"), ("officer:chief", "login", "chief"),
        ("officer:chief", "officer_added", "k.lee"), ("officer:k.lee", "login", "k.lee"),
        ("officer:k.lee", "logout", "k.lee"), ("system", "login_failed", "unknown"),
        *[("system", "login_failed", "k.lee")] * 5, ("system", "account_locked", "k.lee"),
        ("officer:chief", "account_unlocked", "k.lee"), ("officer:chief", "officer_disabled", "k.lee"),
        ("officer:chief", "officer_enabled", "k.lee"), ("officer:chief", "password_changed", "k.lee"),
        ("officer:k.lee", "login", "k.lee"), ("officer:k.lee", "auto_locked", "k.lee"),
        ("officer:chief", "logout", "chief")]
    assert audit.verify().ok
    store.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    files = [store.path, store.path.with_name(store.path.name + "-wal")]
    everything = b"".join(f.read_bytes() for f in files if f.exists())
    assert len(everything) > 10_000
    for secret in (password, password + "!", password[::-1], typed, GOOD):
        for encoded in (secret.encode("utf-8"), secret.encode("utf-16-le")):
            assert encoded not in everything


def test_login_with_argon2_default_parameters_is_well_under_a_second(store, clock, audit):
    officers = OfficerService(store, clock, audit)  # argon2-cffi's defaults, as at the kiosk
    officers.add("chief", "Chief Ada Byrne", "1", GOOD, role="admin", by=CLI)
    stored = store.models.Officer.get(username="chief").password_hash
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    started = time.perf_counter()
    officers.login("chief", GOOD)
    known = time.perf_counter() - started
    started = time.perf_counter()
    with pytest.raises(LoginRefused):
        officers.login("nobody.here", GOOD)
    unknown = time.perf_counter() - started
    print(f"\nlogin with default argon2id parameters: {known * 1000:.0f} ms (unknown username: "
          f"{unknown * 1000:.0f} ms)")
