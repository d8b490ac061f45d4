"""``p2c-kiosk officer ...`` and ``p2c-kiosk audit ...`` as an administrator would use them: real data folders, real
exit codes, a real terminal (a pty) for the passwords typed without echo, and real processes."""

from __future__ import annotations

import io
import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from storage_keyring import raw_connection

from kiosk.cli import main
from kiosk.home import DATABASE_FILE_NAME, open_kiosk
from kiosk.officers import LoginRefused

PASSWORD = "violet kettle harbour"
P2C_KIOSK = Path(sys.executable).with_name("p2c-kiosk")


def run(home, *argv, stdin=""):
    out, err = io.StringIO(), io.StringIO()
    code = main(["--home", str(home), *argv], stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def add(home, username="chief", *extra, password=PASSWORD):
    return run(home, "officer", "add", username, "--name", "Chief Ada Byrne", "--badge", "1", *extra,
               "--password-stdin", stdin=password + "\n")


def logs_in(home, username, password):
    kiosk = open_kiosk(home)
    try:
        kiosk.officers.login(username, password)
        return True
    except LoginRefused:
        return False
    finally:
        kiosk.close()


def test_the_first_admin_is_added_from_stdin_and_can_log_in(tmp_path):
    code, out, err = add(tmp_path, "Chief", "--admin")
    assert (code, err) == (0, "")
    assert out.strip() == "added admin chief (Chief Ada Byrne, badge 1)"
    assert logs_in(tmp_path, "chief", PASSWORD)
    assert not logs_in(tmp_path, "chief", PASSWORD + "\n")  # the newline ended the line; it is not part of it
    code, out, _ = run(tmp_path, "officer", "list", "--json")
    assert [json.loads(line) for line in out.splitlines()] == [
        {"username": "chief", "display_name": "Chief Ada Byrne", "badge_number": "1", "role": "admin",
         "active": True, "locked": False}]


def test_bad_input_lists_every_problem_as_field_and_message_and_exits_2(tmp_path):
    code, out, err = run(tmp_path, "officer", "add", "X Y", "--name", " ", "--badge", "", "--password-stdin",
                         stdin="letmein\n")
    assert code == 2 and out == ""
    fields = [line.split(":", 1)[0] for line in err.splitlines()]
    assert fields == ["username", "display_name", "badge_number", "password", "password"]
    assert "at least 10 characters" in err and "most common passwords" in err
    assert run(tmp_path, "officer", "list")[1] == ""


def test_a_password_that_breaks_the_policy_is_refused_with_the_reason(tmp_path):
    code, _, err = add(tmp_path, "j.smith", password="J.Smith-2026")
    assert code == 2 and err.startswith("password: The password must not be the username")
    code, _, err = add(tmp_path, "j.smith", password="")
    assert code == 2 and err.startswith("password: No password was given")


def test_list_disable_enable_unlock_and_role(tmp_path):
    add(tmp_path, "chief", "--admin")
    add(tmp_path, "j.smith")
    kiosk = open_kiosk(tmp_path)
    for _ in range(5):
        with pytest.raises(LoginRefused):
            kiosk.officers.login("j.smith", "not the password")
    kiosk.close()
    _, out, _ = run(tmp_path, "officer", "list")
    assert out.splitlines()[1].split()[:4] == ["j.smith", "officer", "active,", "locked"]
    assert run(tmp_path, "officer", "unlock", "J.Smith") == (
        0, "j.smith: unlocked; failed logins cleared; they can log in again.\n", "")
    assert logs_in(tmp_path, "j.smith", PASSWORD)
    assert run(tmp_path, "officer", "disable", "j.smith")[0] == 0
    assert "disabled" in run(tmp_path, "officer", "list")[1].splitlines()[1]
    assert not logs_in(tmp_path, "j.smith", PASSWORD)
    assert run(tmp_path, "officer", "enable", "j.smith") == (0, "j.smith: enabled; they can log in again.\n", "")
    assert logs_in(tmp_path, "j.smith", PASSWORD)
    assert run(tmp_path, "officer", "role", "j.smith", "admin") == (
        0, "j.smith: now an administrator; they may add, disable and unlock officers.\n", "")
    assert json.loads(run(tmp_path, "officer", "list", "--json")[1].splitlines()[1])["role"] == "admin"


def test_the_last_admin_cannot_be_disabled_and_unknown_accounts_exit_1(tmp_path):
    add(tmp_path, "chief", "--admin")
    code, _, err = run(tmp_path, "officer", "disable", "chief")
    assert code == 2 and err.startswith("username: “chief” is the last active administrator")
    code, _, err = run(tmp_path, "officer", "unlock", "nobody")
    assert code == 1 and err.startswith("username: There is no officer account with the username “nobody”")
    code, _, err = run(tmp_path, "officer", "password", "nobody", "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 1 and "nobody" in err


def test_password_sets_a_new_password(tmp_path):
    add(tmp_path, "chief", "--admin")
    new = "seventeen brass lanterns"
    assert run(tmp_path, "officer", "password", "chief", "--password-stdin", stdin=new + "\n")[0] == 0
    assert logs_in(tmp_path, "chief", new) and not logs_in(tmp_path, "chief", PASSWORD)
    code, _, err = run(tmp_path, "officer", "password", "chief", "--password-stdin", stdin="short\n")
    assert code == 2 and err.startswith("password: The password is too short")


def test_changes_are_audited_as_the_cli_user_and_audit_list_shows_them(tmp_path):
    add(tmp_path, "chief", "--admin")
    add(tmp_path, "j.smith")
    run(tmp_path, "officer", "disable", "j.smith")
    code, out, _ = run(tmp_path, "audit", "list", "--json")
    entries = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [(e["id"], e["action"], e["subject"]) for e in entries] == [
        (3, "officer_disabled", "j.smith"), (2, "officer_added", "j.smith"), (1, "officer_added", "chief")]
    assert all(e["actor"].startswith("cli:") and len(e["actor"]) > 4 for e in entries)
    _, out, _ = run(tmp_path, "audit", "list", "--limit", "1")
    assert len(out.splitlines()) == 1 and "officer_disabled" in out and "j.smith" in out
    assert run(tmp_path, "audit", "list", "--limit", "0")[0] == 2


def test_audit_verify_says_intact_then_names_the_first_entry_edited_in_the_database(tmp_path):
    add(tmp_path, "chief", "--admin")
    for name in ("a.one", "b.two", "c.three"):
        add(tmp_path, name)
    code, out, _ = run(tmp_path, "audit", "verify")
    assert code == 0 and out.splitlines()[0] == "audit log intact: 4 entries"
    head = out.splitlines()[1].removeprefix("head: ")
    assert head.startswith("4:") and run(tmp_path, "audit", "verify", "--head", head)[0] == 0
    connection = raw_connection(tmp_path / DATABASE_FILE_NAME)
    connection.execute("DROP TRIGGER audit_entry_no_update")
    connection.execute("UPDATE audit_entry SET subject = 'z.intruder' WHERE id = 3")
    connection.commit()
    connection.close()
    code, out, _ = run(tmp_path, "audit", "verify")
    assert code == 1
    assert out.startswith("audit log broken at entry 3: entry 3 was changed after it was written")
    assert run(tmp_path, "audit", "verify", "--head", "four")[0] == 2


def test_a_real_process_adds_an_officer_from_stdin_and_verifies_the_log(tmp_path):
    assert P2C_KIOSK.exists(), "the p2c-kiosk script is installed in the venv (make venv)"
    added = subprocess.run([str(P2C_KIOSK), "--home", str(tmp_path), "officer", "add", "chief", "--admin",
                            "--name", "Chief Ada Byrne", "--badge", "1", "--password-stdin"],
                           input=PASSWORD + "\n", capture_output=True, text=True, timeout=60)
    assert added.returncode == 0, added.stderr
    assert PASSWORD not in added.stdout + added.stderr
    verified = subprocess.run([str(P2C_KIOSK), "--home", str(tmp_path), "audit", "verify"], capture_output=True,
                              text=True, timeout=60)
    assert verified.returncode == 0 and verified.stdout.startswith("audit log intact: 1 entry\n")
    assert PASSWORD.encode() not in (tmp_path / "logs" / "kiosk.log").read_bytes()


def _in_terminal(home, argv, typed):
    """Run p2c-kiosk in a new pseudo-terminal, typing each line of ``typed`` once its prompt shows; return the exit
    code and everything the terminal showed."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: p2c-kiosk with the pty as its controlling terminal
        os.execv(str(P2C_KIOSK), [str(P2C_KIOSK), "--home", str(home), *argv])
    shown, pending = b"", list(typed)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                shown += chunk
            if pending and shown.rstrip().endswith(b":"):
                prompt, line = pending.pop(0)
                if shown.rstrip().endswith(prompt.encode()):
                    os.write(fd, line.encode() + b"\n")
                else:
                    pending.insert(0, (prompt, line))
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    return os.waitstatus_to_exitcode(status), shown.decode(errors="replace")


def test_without_password_stdin_the_password_is_asked_twice_without_echo(tmp_path):
    code, shown = _in_terminal(tmp_path, ["officer", "add", "chief", "--admin", "--name", "Chief", "--badge", "1"],
                               [("New password:", PASSWORD), ("Type it again:", PASSWORD)])
    assert code == 0, shown
    assert "New password:" in shown and "Type it again:" in shown and "added admin chief" in shown
    assert PASSWORD not in shown  # not echoed
    assert logs_in(tmp_path, "chief", PASSWORD)


def test_two_different_passwords_typed_are_refused(tmp_path):
    code, shown = _in_terminal(tmp_path, ["officer", "add", "chief", "--admin", "--name", "Chief", "--badge", "1"],
                               [("New password:", PASSWORD), ("Type it again:", PASSWORD + "x")])
    assert code == 2 and "password: The two passwords typed are not the same" in shown
    assert run(tmp_path, "officer", "list")[1] == ""
