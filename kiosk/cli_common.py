"""What every ``p2c-kiosk`` command module shares: the exit codes (defined here and nowhere else), the shape of a
command's handler, reading a tracking number from the command line, finding a report by it, and leaving root before
the kiosk's data folder is touched.

A command module (``kiosk.cli_*`` in the core; ``ui.commands`` and ``printing.commands`` for the faces, found
through the ``p2c_kiosk.commands`` entry points) adds its subcommand to the parser with
``set_defaults(handler=...)``; :func:`kiosk.cli.main` opens the kiosk and calls the handler. A handler that must
not wait for the database (the kiosk window, which opens it after its first paint) also sets ``open_store=False``.

Every command imports this module, the kiosk window's ``run`` too. The core's messages (:mod:`kiosk.messages`, and
with them the vocabulary and the access codes' hashing: ~9 ms) are imported by the helpers below that say one, when
they say it, so that the window's start-up, which says none, does not wait for them (benchmarks/startup.py).
"""

from __future__ import annotations

import argparse
import getpass
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Final, TextIO

from kiosk.report_errors import ReportNotFound
from kiosk.tracking import TrackingNumber, TrackingNumberError
from kiosk.translation import SOURCE_LANGUAGE

if TYPE_CHECKING:
    from kiosk.home import Kiosk
    from kiosk.messages import Problem
    from kiosk.report_document import StoredReport

EXIT_OK: Final = 0
EXIT_NOT_FOUND: Final = 1  # the report (or officer account) asked for does not exist
EXIT_AUDIT_BROKEN: Final = 1  # `audit verify`: the hash chain is broken
EXIT_BAD_INPUT: Final = 2  # bad input or usage; every problem is listed on stderr as ``field.path: message``
EXIT_NOT_PRINTED: Final = 3  # `print`: the receipt did not come out of the printer; it is kept in the spool folder
EXIT_CONFLICT: Final = 4  # `review`: another officer (or the citizen) acted first
EXIT_SYNC_FAILED: Final = 5  # `sync`: the server could not be reached, or refused the token or the run

# handler(kiosk, args, stdin, stdout, stderr) -> exit code
Handler = Callable[["Kiosk", argparse.Namespace, TextIO, TextIO, TextIO], int]
# runs_alone(home, args, stdin, stdout, stderr) -> exit code: a command that opens no kiosk and leaves root itself once
# it has done what needs root (``configure``, which writes the deployed kiosk's encrypted credentials).
AloneHandler = Callable[[Path, argparse.Namespace, TextIO, TextIO, TextIO], int]
# What a command module's entry point is: it adds the subcommand named like the entry point to ``commands``.
Register = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]


def tracking_argument(text: str) -> TrackingNumber:
    """``type=`` of every command-line argument that is a tracking number: the command line's edge, where the number
    is parsed once. A malformed one is argparse's usual refusal (the usage, then ``argument tracking_number:`` and the
    kiosk's message for it, exit code 2) before the kiosk is opened."""
    try:
        return TrackingNumber.parse(text)
    except TrackingNumberError as exc:
        from kiosk.messages import Problem, render

        raise argparse.ArgumentTypeError(render(Problem("", exc.code), SOURCE_LANGUAGE)) from None


def find_report(kiosk: Kiosk, tracking_number: TrackingNumber, stderr: TextIO) -> StoredReport | int:
    """The stored report, or the exit code after saying on stderr why there is none. ``tracking_number`` is what
    :func:`tracking_argument` read."""
    try:
        return kiosk.reports.get(tracking_number)
    except ReportNotFound:
        from kiosk.messages import CATALOG

        print(f"tracking_number: {CATALOG['tracking.not_found']}", file=stderr)
        return EXIT_NOT_FOUND


def print_problems(problems: list[Problem], language: str, stderr: TextIO) -> None:
    from kiosk.messages import render

    for problem in problems:
        print(f"{problem.field or 'report'}: {render(problem, language)}", file=stderr)


def current_user() -> str:
    """The login name of whoever runs the command, for the history's ``cli:USER`` (``unknown`` when it has none)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def leave_root(home: Path, *, writes_credentials: bool = False) -> None:
    """Run as root (``sudo p2c-kiosk ...``) on a data folder that belongs to another user (the deployed kiosk's
    ``p2c-kiosk``): first read what only root can read, the deployed kiosk's encrypted credentials (kept in this
    process's memory: kiosk.credentials_keyring), then become the folder's owner (:func:`become_owner_of`), so that
    no log, database journal (-wal, -shm) or cache the command writes afterwards is root's, which the kiosk's service
    could then not write. Otherwise nothing changes.

    ``writes_credentials``: for a command that writes credentials in the middle of its work on the data folder
    (``rekey``): root stays in reserve (the saved user id), and the credentials backend takes it back for the moment
    it writes, reads or removes a credential, and for nothing else."""
    if os.geteuid() != 0:
        return
    try:
        if home.stat().st_uid == 0:
            return
    except OSError:
        return
    from kiosk.credentials_keyring import credentials_keyring_in_use

    credentials = credentials_keyring_in_use()
    if credentials is not None:
        credentials.prefetch()
    become_owner_of(home, root_in_reserve=writes_credentials and credentials is not None)


def become_owner_of(home: Path, *, root_in_reserve: bool = False) -> None:
    """As root on a data folder that belongs to another user: become that user (real and effective ids; its groups),
    so that nothing the process does afterwards, in any thread, can leave a file of root's in the data folder.
    Otherwise nothing changes. For good (the saved ids too: there is no way back), unless ``root_in_reserve``: then
    the saved ids stay root's, for :func:`kiosk.credentials_keyring.as_root`. The user's other groups come along
    (the deployed kiosk's ``video``, ``input``, ``render``), as in its service."""
    import pwd

    try:
        owner = home.stat()
    except OSError:
        return
    if os.geteuid() != 0 or owner.st_uid == 0:
        return
    try:
        os.initgroups(pwd.getpwuid(owner.st_uid).pw_name, owner.st_gid)
    except KeyError:  # a folder of a user id with no name: its group alone
        os.setgroups([owner.st_gid])
    os.setresgid(owner.st_gid, owner.st_gid, 0 if root_in_reserve else owner.st_gid)
    os.setresuid(owner.st_uid, owner.st_uid, 0 if root_in_reserve else owner.st_uid)
