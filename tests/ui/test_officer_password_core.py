"""OfficerService.change_own_password, the core of officer mode's Change password (no Qt): the current password is
proved first, a wrong one counts towards the lock-out, every problem is listed at once on its field, nothing is
stored on a refusal, and the change is audited like the CLI's (``password_changed``) with no password in the log."""

from __future__ import annotations

import json

import pytest
from officer_ui_support import ADMIN, OFFICER, PASSWORD

from kiosk.officers import LoginRefused, OfficerError, PasswordRejected

NEW_PASSWORD = "lantern quietly 8 harbor"


def codes(exc: OfficerError) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in exc.problems]


def row(kit, username=OFFICER):
    officer = kit.store.models.Officer
    return officer.get(officer.username == username)


def test_the_change_is_stored_audited_and_only_the_new_password_logs_in(kit):
    session = kit.session(OFFICER)
    before = row(kit)
    kit.clock.advance(hours=1)
    kit.officers.change_own_password(session, PASSWORD, NEW_PASSWORD)
    after = row(kit)
    assert after.password_hash != before.password_hash and after.password_changed_at > before.password_changed_at
    entry = kit.audit.entries(limit=1)[0]
    assert (entry.actor, entry.action, entry.subject) == (f"officer:{OFFICER}", "password_changed", OFFICER)
    everything = json.dumps([e.__dict__ for e in kit.audit.entries(limit=1000)], default=str)
    assert PASSWORD not in everything and NEW_PASSWORD not in everything
    with pytest.raises(LoginRefused):
        kit.officers.login(OFFICER, PASSWORD)
    assert kit.officers.login(OFFICER, NEW_PASSWORD).username == OFFICER


def test_every_problem_is_listed_at_once_and_nothing_is_stored(kit):
    session = kit.session(OFFICER)
    before = row(kit).password_hash
    with pytest.raises(OfficerError) as wrong:
        kit.officers.change_own_password(session, "not the password", "short")
    assert codes(wrong.value) == [("current_password", "password.current_wrong"), ("password", "password.too_short")]
    with pytest.raises(OfficerError) as missing:
        kit.officers.change_own_password(session, "", NEW_PASSWORD)
    assert codes(missing.value) == [("current_password", "password.current_missing")]
    with pytest.raises(OfficerError) as same:
        kit.officers.change_own_password(session, PASSWORD, PASSWORD)
    assert codes(same.value) == [("password", "password.unchanged")]
    with pytest.raises(PasswordRejected) as common:
        kit.officers.change_own_password(session, PASSWORD, "password123")
    assert codes(common.value) == [("password", "password.common")]
    assert row(kit).password_hash == before
    assert "password_changed" not in kit.audit_actions()


def test_wrong_current_passwords_lock_the_account_like_wrong_logins(kit):
    session = kit.session(OFFICER)
    for attempt in range(5):
        with pytest.raises(OfficerError) as refused:
            kit.officers.change_own_password(session, f"guess {attempt}", NEW_PASSWORD)
        assert codes(refused.value) == [("current_password", "password.current_wrong")]
    assert kit.officers.find(OFFICER).locked
    assert kit.audit_actions()[-2:] == ["login_failed", "account_locked"]
    with pytest.raises(OfficerError) as closed:
        kit.officers.change_own_password(session, PASSWORD, NEW_PASSWORD)  # even the right one, once locked
    assert codes(closed.value) == [("", "officer.own_account_closed")]
    with pytest.raises(LoginRefused):
        kit.officers.login(OFFICER, PASSWORD)


def test_a_disabled_account_cannot_change_its_password(kit):
    session = kit.session(OFFICER)
    kit.officers.disable(OFFICER, by="cli:test")
    with pytest.raises(OfficerError) as closed:
        kit.officers.change_own_password(session, PASSWORD, NEW_PASSWORD)
    assert codes(closed.value) == [("", "officer.own_account_closed")]
    assert "password_changed" not in kit.audit_actions()


def test_an_administrator_changes_their_own_password_the_same_way(kit):
    session = kit.session(ADMIN)
    with pytest.raises(OfficerError):
        kit.officers.change_own_password(session, "not the password", NEW_PASSWORD)
    kit.officers.change_own_password(session, PASSWORD, NEW_PASSWORD)
    assert kit.officers.login(ADMIN, NEW_PASSWORD).is_admin
