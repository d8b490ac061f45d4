"""What every ``p2c-kiosk`` command module shares: the exit codes (defined here and nowhere else), the shape of a
command's handler, reading a tracking number from the command line, and finding a report by it.

A command module (``kiosk.cli_*`` in the core; ``ui.commands`` and ``printing.commands`` for the faces, found
through the ``p2c_kiosk.commands`` entry points) adds its subcommand to the parser with
``set_defaults(handler=...)``; :func:`kiosk.cli.main` opens the kiosk and calls the handler. A handler that must
not wait for the database (the kiosk window, which opens it after its first paint) also sets ``open_store=False``.
"""

from __future__ import annotations

import argparse
import getpass
from collections.abc import Callable
from typing import TYPE_CHECKING, Final, TextIO

from kiosk.messages import CATALOG, Problem, render
from kiosk.report_errors import ReportNotFound
from kiosk.tracking import TrackingNumber, TrackingNumberError
from kiosk.vocabulary import Language

if TYPE_CHECKING:
    from kiosk.home import Kiosk
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
# What a command module's entry point is: it adds the subcommand named like the entry point to ``commands``.
Register = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]


def tracking_argument(text: str) -> TrackingNumber:
    """``type=`` of every command-line argument that is a tracking number: the command line's edge, where the number
    is parsed once. A malformed one is argparse's usual refusal (the usage, then ``argument tracking_number:`` and the
    kiosk's message for it, exit code 2) before the kiosk is opened."""
    try:
        return TrackingNumber.parse(text)
    except TrackingNumberError as exc:
        raise argparse.ArgumentTypeError(render(Problem("", exc.code), Language.EN)) from None


def find_report(kiosk: Kiosk, tracking_number: TrackingNumber, stderr: TextIO) -> StoredReport | int:
    """The stored report, or the exit code after saying on stderr why there is none. ``tracking_number`` is what
    :func:`tracking_argument` read."""
    try:
        return kiosk.reports.get(tracking_number)
    except ReportNotFound:
        print(f"tracking_number: {CATALOG['tracking.not_found'][0]}", file=stderr)
        return EXIT_NOT_FOUND


def print_problems(problems: list[Problem], language: str, stderr: TextIO) -> None:
    for problem in problems:
        print(f"{problem.field or 'report'}: {render(problem, language)}", file=stderr)


def current_user() -> str:
    """The login name of whoever runs the command, for the history's ``cli:USER`` (``unknown`` when it has none)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
