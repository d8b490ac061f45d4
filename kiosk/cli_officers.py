"""``p2c-kiosk officer ...`` and ``p2c-kiosk audit ...``: officer accounts and the audit log from the command line
(registered by :func:`kiosk.cli.build_parser`).

Every change is made as the actor ``cli:<os user>``: whoever can run the CLI on the kiosk can read its database
anyway, so the CLI is trusted like an administrator (it is how the first administrator is made). Passwords are read
without echo (typed twice), or as one line of standard input with ``--password-stdin``; they are never printed.
"""

from __future__ import annotations

import argparse
import getpass
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, TextIO

from kiosk.cli_common import (
    EXIT_AUDIT_BROKEN,
    EXIT_BAD_INPUT,
    EXIT_NOT_FOUND,
    EXIT_OK,
    PROGRAM,
    cli_language,
    cli_texts,
    print_problems,
)
from kiosk.home import Kiosk
from kiosk.messages import Problem, render
from kiosk.storage import StoreError
from kiosk.translation import N_

if TYPE_CHECKING:
    from kiosk.officers import OfficerAccount, OfficerSession


class _AccountChange(Protocol):
    """An OfficerService method changing one account: disable, enable, unlock."""

    def __call__(self, username: str, *, by: OfficerSession | str) -> None: ...


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this part's subcommands to ``commands``, each with ``set_defaults(handler=...)``."""
    officer = commands.add_parser("officer", help="officer accounts: add, list, disable, enable, unlock, password")
    actions = officer.add_subparsers(dest="officer_command", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="add an officer account (the first one with --admin)")
    add.add_argument("username", help="2-32 lower-case letters, digits, . - _")
    add.add_argument("--name", required=True, help="display name, e.g. \"Sgt. Jane Smith\"")
    add.add_argument("--badge", required=True, help="badge number")
    add.add_argument("--admin", action="store_true", help="an administrator (may add, disable and unlock officers)")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of standard input instead of asking twice")
    add.set_defaults(handler=_add)

    listing = actions.add_parser("list", help="list the officer accounts")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    listing.set_defaults(handler=_list)

    for name, text, handler in (("disable", "disable an account (it can no longer log in)", _disable),
                                ("enable", "enable a disabled account again", _enable),
                                ("unlock", "unlock an account locked after failed logins", _unlock)):
        action = actions.add_parser(name, help=text)
        action.add_argument("username")
        action.set_defaults(handler=handler)

    role = actions.add_parser("role", help="make an officer an administrator, or back")
    role.add_argument("username")
    role.add_argument("role", choices=("officer", "admin"))
    role.set_defaults(handler=_role)

    password = actions.add_parser("password", help="set a new password for an account")
    password.add_argument("username")
    password.add_argument("--password-stdin", action="store_true",
                          help="read the password from the first line of standard input instead of asking twice")
    password.set_defaults(handler=_password)

    audit = commands.add_parser("audit", help="the audit log: verify its hash chain, list entries")
    audit_actions = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit_actions.add_parser("verify", help="check that no entry was changed, removed or reordered")
    verify.add_argument("--head", metavar="ID:HASH",
                        help="an earlier head (printed by verify) that must still be there: catches cut-off entries")
    verify.set_defaults(handler=_verify)
    entries = audit_actions.add_parser("list", help="the newest entries first")
    entries.add_argument("--limit", type=int, default=50)
    entries.add_argument("--before", type=int, metavar="ID", help="only entries older than this id (paging)")
    entries.add_argument("--json", action="store_true", help="one JSON object per line")
    entries.set_defaults(handler=_audit_list)


# --- officer ---------------------------------------------------------------------------------------------------------

def _add(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    password = _read_password(args, stdin, stderr)
    if password is None:
        return EXIT_BAD_INPUT
    role = "admin" if args.admin else "officer"
    code = _run(lambda: kiosk.officers.add(args.username, args.name, args.badge, password, role=role, by=_actor()),
                stderr)
    account = kiosk.officers.find(args.username) if code == EXIT_OK else None
    if account is not None:
        texts = cli_texts()
        text = (N_("added admin {username} ({name}, badge {badge})") if account.is_admin
                else N_("added officer {username} ({name}, badge {badge})"))
        print(texts.gettext(text).format(username=account.username, name=account.display_name,
                                         badge=account.badge_number), file=stdout)
    return code


def _list(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    for account in kiosk.officers.list_officers():
        if args.json:
            print(json.dumps({"username": account.username, "display_name": account.display_name,
                              "badge_number": account.badge_number, "role": account.role, "active": account.active,
                              "locked": account.locked}, ensure_ascii=False), file=stdout)
        else:
            # A table's column: its words stay as they are, like the role's (scripts read them).
            state = ("active" if account.active else "disabled") + (", locked" if account.locked else "")
            print(f"{account.username:<20} {account.role:<8} {state:<16} {account.badge_number:<8} "
                  f"{account.display_name}", file=stdout)
    return EXIT_OK


def _disable(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    return _change(kiosk, kiosk.officers.disable, args, stdout, stderr, _disabled)


def _enable(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    return _change(kiosk, kiosk.officers.enable, args, stdout, stderr, _enabled)


def _unlock(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    return _change(kiosk, kiosk.officers.unlock, args, stdout, stderr, _unlocked)


def _role(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    return _change(kiosk, lambda username, by: kiosk.officers.set_role(username, args.role, by=by), args, stdout,
                   stderr, _role_changed)


def _password(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    if kiosk.officers.find(args.username) is None:  # said before asking for a password nobody could use
        name = args.username.strip().lower()
        _print_problems([Problem("username", "officer.not_found", {"username": name})], stderr)
        return EXIT_NOT_FOUND
    password = _read_password(args, stdin, stderr)
    if password is None:
        return EXIT_BAD_INPUT
    return _change(kiosk, lambda username, by: kiosk.officers.set_password(username, password, by=by), args,
                   stdout, stderr, _password_changed)


# What each action answers, from the account before and after it: one sentence saying what happened (or that nothing
# had to) and, when the account still cannot log in, why and what to run.

# The answers are English texts marked for the catalogue; _change translates them (and each part) when it prints.

def _disabled(before: OfficerAccount, after: OfficerAccount) -> list[str]:
    return [N_("was already disabled; nothing changed") if not before.active
            else N_("disabled; they can no longer log in")]


def _enabled(before: OfficerAccount, after: OfficerAccount) -> list[str]:
    if before.active:
        return [N_("was already enabled; nothing changed")]
    return [N_("enabled"), _cannot_log_in(after) or N_("they can log in again")]


def _unlocked(before: OfficerAccount, after: OfficerAccount) -> list[str]:
    if not before.locked:
        return [N_("was not locked; failed logins cleared"), _cannot_log_in(after) or N_("nothing else changed")]
    return [N_("unlocked; failed logins cleared"), _cannot_log_in(after) or N_("they can log in again")]


def _role_changed(before: OfficerAccount, after: OfficerAccount) -> list[str]:
    if before.role == after.role:
        return [N_("was already an administrator; nothing changed") if after.is_admin
                else N_("was already an officer; nothing changed")]
    if after.is_admin:
        return [N_("now an administrator; they may add, disable and unlock officers")]
    return [N_("now an officer; they are no longer an administrator")]


def _password_changed(before: OfficerAccount, after: OfficerAccount) -> list[str]:
    return [part for part in (N_("password changed"), N_("the old one no longer works"), _cannot_log_in(after))
            if part]


def _cannot_log_in(account: OfficerAccount) -> str:
    """Why ``account`` cannot log in and the command that lets it (disabled first: unlocking alone would not do);
    empty when it can. The commands are filled in when it is printed."""
    if not account.active:
        return N_("the account is disabled, so they cannot log in until it is enabled ({enable_command})")
    if account.locked:
        return N_("the account is locked after failed logins, so they cannot log in until it is unlocked "
                  "({unlock_command})")
    return ""


def _change(kiosk: Kiosk, action: _AccountChange, args: argparse.Namespace, stdout: TextIO, stderr: TextIO,
            answer: Callable[[OfficerAccount, OfficerAccount], list[str]]) -> int:
    """Run ``action(username, by=actor)`` and print ``username: <answer(before, after)>.``, its parts translated
    and joined by "; "."""
    before = kiosk.officers.find(args.username)
    code = _run(lambda: action(args.username, by=_actor()), stderr)
    after = kiosk.officers.find(args.username) if code == EXIT_OK else None
    if before is not None and after is not None:
        texts = cli_texts()
        commands = {f"{word}_command": f"{PROGRAM} officer {word} {after.username}" for word in ("enable", "unlock")}
        parts = [texts.gettext(part).format(**commands) for part in answer(before, after)]
        print(f"{after.username}: {'; '.join(parts)}.", file=stdout)
    return code


def _run(action: Callable[[], object], stderr: TextIO) -> int:
    """Run an officer action; on refusal list every problem as ``field: message`` and give the exit code."""
    from kiosk.officers import OfficerError  # on first use: argon2 is not needed to start the kiosk window

    try:
        action()
    except OfficerError as exc:
        _print_problems(exc.problems, stderr)
        return EXIT_NOT_FOUND if any(p.code == "officer.not_found" for p in exc.problems) else EXIT_BAD_INPUT
    except StoreError:
        print(f"p2c-kiosk: {render(Problem('', 'store.failed'), cli_language())}", file=stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


def _read_password(args: argparse.Namespace, stdin: TextIO, stderr: TextIO) -> str | None:
    """The new password: the first line of stdin with --password-stdin, else typed twice without echo."""
    if args.password_stdin:
        password = stdin.readline().rstrip("\r\n")
    else:
        try:
            texts = cli_texts()
            password = getpass.getpass(texts.gettext("New password: "), stream=stderr)
            again = getpass.getpass(texts.gettext("Type it again: "), stream=stderr)
        except EOFError:
            password, again = "", ""
        if password != again:
            _print_problems([Problem("password", "password.mismatch")], stderr)
            return None
    if not password:
        _print_problems([Problem("password", "password.missing")], stderr)
        return None
    return password


def _print_problems(problems: list[Problem], stderr: TextIO) -> None:
    print_problems(problems, cli_language(), stderr, where="officer")


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


# --- audit -----------------------------------------------------------------------------------------------------------

def _verify(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    texts = cli_texts()
    expected = None
    if args.head:
        entry_id, _, digest = args.head.partition(":")
        if not entry_id.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            print(texts.gettext("head: give the head as ID:HASH, as `audit verify` printed it (e.g. 42:3f9a...; 64 "
                                "hex digits)"), file=stderr)
            return EXIT_BAD_INPUT
        expected = (int(entry_id), digest)
    verdict = kiosk.audit.verify(expected)
    if verdict.ok:
        print(texts.ngettext("audit log intact: {count} entry", "audit log intact: {count} entries",
                             verdict.checked).format(count=verdict.checked), file=stdout)
        head = kiosk.audit.head()
        if head is not None:
            print(f"head: {head[0]}:{head[1]}", file=stdout)
        return EXIT_OK
    if verdict.first_bad_id is None:  # the table cannot be read, or the department's server flagged the log
        print(texts.gettext("audit log broken: {problem}").format(problem=verdict.problem), file=stdout)
        return EXIT_AUDIT_BROKEN
    print(texts.ngettext("audit log broken at entry {id}: {problem} ({count} entry before it is intact)",
                         "audit log broken at entry {id}: {problem} ({count} entries before it are intact)",
                         verdict.checked).format(id=verdict.first_bad_id, problem=verdict.problem,
                                                 count=verdict.checked), file=stdout)
    return EXIT_AUDIT_BROKEN


def _audit_list(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    if args.limit < 1:
        print(cli_texts().gettext("limit: --limit must be 1 or more"), file=stderr)
        return EXIT_BAD_INPUT
    zone = kiosk.config.kiosk.zone
    for entry in kiosk.audit.entries(limit=args.limit, before_id=args.before):
        if args.json:
            print(json.dumps({"id": entry.id, "at": entry.at.isoformat(), "actor": entry.actor,
                              "action": entry.action, "subject": entry.subject, "details": entry.details},
                             ensure_ascii=False), file=stdout)
        else:
            details = " ".join(f"{key}={value}" for key, value in sorted(entry.details.items()))
            print(f"{entry.id:>6}  {entry.at.astimezone(zone):%Y-%m-%d %H:%M:%S}  {entry.actor:<24} "
                  f"{entry.action:<20} {entry.subject}  {details}".rstrip(), file=stdout)
    return EXIT_OK
