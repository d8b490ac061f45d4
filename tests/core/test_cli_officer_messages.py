"""What ``p2c-kiosk officer unlock|disable|enable|role|password`` answer: one full sentence saying what happened (or
that nothing had to), and whether the officer can log in now. Real data folders; the account's state is set through
the CLI itself and the officer service, as an administrator would meet it."""

from __future__ import annotations

import io

import pytest

from kiosk.cli import main
from kiosk.home import open_kiosk
from kiosk.officers import LoginRefused

PASSWORD = "violet kettle harbour"
NEW_PASSWORD = "granite lantern meadow"


def run(home, *argv, stdin=""):
    out, err = io.StringIO(), io.StringIO()
    code = main(["--home", str(home), *argv], stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def home(tmp_path):
    for name, extra in (("chief", ("--admin",)), ("jdoe", ())):
        code, _, err = run(tmp_path, "officer", "add", name, "--name", name.title(), "--badge", "7", *extra,
                           "--password-stdin", stdin=PASSWORD + "\n")
        assert (code, err) == (0, "")
    return tmp_path


def lock(home, username="jdoe"):
    kiosk = open_kiosk(home)
    try:
        for _ in range(5):
            with pytest.raises(LoginRefused):
                kiosk.officers.login(username, "not the password")
        assert kiosk.officers.find(username).locked
    finally:
        kiosk.close()


def said(home, *argv, stdin=""):
    code, out, err = run(home, "officer", *argv, stdin=stdin)
    assert (code, err) == (0, ""), err
    return out


def test_unlocking_a_locked_account_says_the_officer_can_log_in_again(home):
    lock(home)
    assert said(home, "unlock", "JDoe") == "jdoe: unlocked; failed logins cleared; they can log in again.\n"


def test_unlocking_an_account_that_was_not_locked_says_so(home):
    assert said(home, "unlock", "jdoe") == "jdoe: was not locked; failed logins cleared; nothing else changed.\n"


def test_unlocking_a_disabled_account_says_it_still_cannot_log_in(home):
    lock(home)
    said(home, "disable", "jdoe")
    assert said(home, "unlock", "jdoe") == (
        "jdoe: unlocked; failed logins cleared; the account is disabled, so they cannot log in until it is enabled "
        "(p2c-kiosk officer enable jdoe).\n")


def test_disable_and_enable_say_what_changed_and_what_did_not(home):
    assert said(home, "disable", "jdoe") == "jdoe: disabled; they can no longer log in.\n"
    assert said(home, "disable", "jdoe") == "jdoe: was already disabled; nothing changed.\n"
    assert said(home, "enable", "jdoe") == "jdoe: enabled; they can log in again.\n"
    assert said(home, "enable", "jdoe") == "jdoe: was already enabled; nothing changed.\n"


def test_enabling_a_locked_account_says_it_still_cannot_log_in(home):
    lock(home)
    said(home, "disable", "jdoe")
    assert said(home, "enable", "jdoe") == (
        "jdoe: enabled; the account is locked after failed logins, so they cannot log in until it is unlocked "
        "(p2c-kiosk officer unlock jdoe).\n")


def test_role_says_what_the_officer_may_do_now(home):
    assert said(home, "role", "jdoe", "admin") == (
        "jdoe: now an administrator; they may add, disable and unlock officers.\n")
    assert said(home, "role", "jdoe", "admin") == "jdoe: was already an administrator; nothing changed.\n"
    assert said(home, "role", "jdoe", "officer") == "jdoe: now an officer; they are no longer an administrator.\n"
    assert said(home, "role", "jdoe", "officer") == "jdoe: was already an officer; nothing changed.\n"


def test_password_says_the_old_one_no_longer_works(home):
    assert said(home, "password", "jdoe", "--password-stdin", stdin=NEW_PASSWORD + "\n") == (
        "jdoe: password changed; the old one no longer works.\n")
    lock(home)
    assert said(home, "password", "jdoe", "--password-stdin", stdin=PASSWORD + "\n") == (
        "jdoe: password changed; the old one no longer works; the account is locked after failed logins, so they "
        "cannot log in until it is unlocked (p2c-kiosk officer unlock jdoe).\n")


def test_no_answer_is_a_bare_done(home):
    lock(home)
    answers = [said(home, "unlock", "jdoe"), said(home, "disable", "jdoe"), said(home, "enable", "jdoe"),
               said(home, "role", "jdoe", "admin"),
               said(home, "password", "jdoe", "--password-stdin", stdin=NEW_PASSWORD + "\n")]
    for answer in answers:
        assert answer.endswith(".\n") and answer.count(";") >= 1, answer
        assert "done" not in answer


def test_an_unknown_account_is_still_refused_with_exit_1(home):
    for argv in (("unlock", "nobody"), ("disable", "nobody"), ("enable", "nobody"), ("role", "nobody", "admin")):
        code, out, err = run(home, "officer", *argv)
        assert (code, out) == (1, ""), argv
        assert err.startswith("username: ") and "nobody" in err
