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

The command line speaks the language of whoever runs it (:func:`cli_language`, decided here and nowhere else): every
message to people (results, refusals, warnings) is a catalogue text looked up in it; JSON, table columns and log
lines stay as they are.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Final, TextIO

from kiosk.report_errors import ReportNotFound
from kiosk.tracking import TrackingNumber, TrackingNumberError
from kiosk.translation import SOURCE_LANGUAGE, Translation, catalogues, is_language_code, translation

if TYPE_CHECKING:
    from kiosk.home import Kiosk
    from kiosk.messages import Problem
    from kiosk.report_document import StoredReport

PROGRAM: Final = "p2c-kiosk"  # a command's name stays out of the catalogue's texts: a place marker fills it in

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


# The standard gettext variables, in gettext's order: LANGUAGE is a list of languages by preference ("es:pt_BR"); the
# locale (LC_ALL, else LC_MESSAGES, else LANG: "pt_BR.UTF-8") comes after it.
LANGUAGE_LIST_VARIABLE: Final = "LANGUAGE"
LOCALE_VARIABLES: Final = ("LC_ALL", "LC_MESSAGES", "LANG")
# Locales that mean "no translation". Exactly these: a script run with LC_ALL=C gets the source language whatever
# LANGUAGE says, as GNU gettext does; C.UTF-8 (a container's usual LANG) leaves LANGUAGE its say, as glibc does.
UNTRANSLATED_LOCALES: Final = ("C", "POSIX")


def cli_language(environ: Mapping[str, str] | None = None, has: Callable[[str], bool] | None = None) -> str:
    """The language the command line speaks to whoever runs it, from the standard gettext environment variables
    (``environ``, default: this process's): each language of LANGUAGE in its order, then the locale (LC_ALL, else
    LC_MESSAGES, else LANG); the first with an installed catalogue (``has``, default: the catalogues in use) wins. A
    locale's encoding and modifier are dropped ("pt_BR.UTF-8" -> pt_BR), and a territory without a catalogue of its
    own falls to its language ("es_MX" -> es). None installed, or the locale C or POSIX (C.UTF-8 after LANGUAGE's
    languages): the source language.

    This is not a silent fallback: these variables are a list of preferences by definition, and every gettext
    program answers one it has no catalogue for in its source language. A visitor or an officer who picks a language
    the kiosk has no catalogue for is still refused (kiosk.translation.UnknownLanguage); nothing here is logged,
    because the choice is made before the data folder's log is open, and it would repeat on every command."""
    environ = os.environ if environ is None else environ
    installed = has or catalogues().has
    locale = next((environ[name] for name in LOCALE_VARIABLES if environ.get(name)), "")
    if locale in UNTRANSLATED_LOCALES:
        return SOURCE_LANGUAGE
    for wanted in [*environ.get(LANGUAGE_LIST_VARIABLE, "").split(":"), locale]:
        code = _code_of(wanted)
        for candidate in (code, code.split("_")[0]):
            if candidate in UNTRANSLATED_LOCALES:
                return SOURCE_LANGUAGE
            if is_language_code(candidate) and installed(candidate):
                return candidate
    return SOURCE_LANGUAGE


def _code_of(locale: str) -> str:
    """``pt_BR.UTF-8@euro`` -> ``pt_BR`` (``pt-BR`` too)."""
    return locale.split(".")[0].split("@")[0].strip().replace("-", "_")


def cli_texts(language: str | None = None) -> Translation:
    """The command line's texts: in ``language`` (a command's ``--lang``), else in :func:`cli_language`'s."""
    return translation(language or cli_language())


def tracking_argument(text: str) -> TrackingNumber:
    """``type=`` of every command-line argument that is a tracking number: the command line's edge, where the number
    is parsed once. A malformed one is argparse's usual refusal (the usage, then ``argument tracking_number:`` and the
    kiosk's message for it, exit code 2) before the kiosk is opened."""
    try:
        return TrackingNumber.parse(text)
    except TrackingNumberError as exc:
        from kiosk.messages import Problem, render

        raise argparse.ArgumentTypeError(render(Problem("", exc.code), cli_language())) from None


def find_report(kiosk: Kiosk, tracking_number: TrackingNumber, stderr: TextIO,
                language: str | None = None) -> StoredReport | int:
    """The stored report, or the exit code after saying on stderr why there is none (in ``language``, default the
    command line's). ``tracking_number`` is what :func:`tracking_argument` read."""
    try:
        return kiosk.reports.get(tracking_number)
    except ReportNotFound:
        from kiosk.messages import Problem, render

        print(f"tracking_number: {render(Problem('', 'tracking.not_found'), language or cli_language())}",
              file=stderr)
        return EXIT_NOT_FOUND


def print_problems(problems: list[Problem], language: str, stderr: TextIO, *, where: str = "report") -> None:
    """Each problem as ``field: message`` (``where`` for a problem of no field)."""
    from kiosk.messages import render

    for problem in problems:
        print(f"{problem.field or where}: {render(problem, language)}", file=stderr)


def current_user() -> str:
    """The login name of whoever runs the command, for the history's ``cli:USER`` (``unknown`` when it has none)."""
    import getpass  # here, not at the top: every command imports this module, the kiosk's window too (~1 ms)

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
