"""``p2c-kiosk``'s command line: the kiosk without a screen, for tests, officers' scripts and the kiosk window itself.

Exit codes (:mod:`kiosk.cli_common`): 0 done; 1 not found; 2 bad input or usage (every problem listed on stderr as
``field.path: message``); 3 not printed; 4 conflict; 5 sync failed.

Each command lives in a module that adds it (and its siblings) to the parser with ``add_commands(commands)``. The
core's modules are named in :data:`CORE_COMMANDS`. The faces' commands (the kiosk window's ``run``; ``receipt``,
``copy`` and ``print``) are handed in by the program's composition root, :mod:`p2c_kiosk`, which is the one place
that names the faces: the core imports none of them. Only the module of the command asked for is imported (every
module when help is asked for, or the word is no command), so ``p2c-kiosk list`` loads no Qt and the kiosk window's
start-up imports and builds no other command. ``python -m kiosk`` is the core's commands alone.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TextIO

from kiosk import __version__
from kiosk.cli_common import EXIT_BAD_INPUT, EXIT_OK, PROGRAM, AloneHandler, Handler, cli_texts, leave_root
from kiosk.cli_config import refusal
from kiosk.config import ConfigError, resolve_home
from kiosk.home import configure_logging, open_kiosk
from kiosk.report_errors import StoreError
from kiosk.storage.errors import disk_full

log = logging.getLogger(__name__)

# Command -> the module that adds it.
CORE_COMMANDS: Mapping[str, str] = {
    "submit": "kiosk.cli_reports", "show": "kiosk.cli_reports", "list": "kiosk.cli_reports",
    "export": "kiosk.cli_reports",
    "officer": "kiosk.cli_officers", "audit": "kiosk.cli_officers",
    "review": "kiosk.cli_review", "queue": "kiosk.cli_review",
    "notices": "kiosk.cli_notices", "configure": "kiosk.cli_notices",
    "sync": "kiosk.cli_sync",
    "config": "kiosk.cli_config",
    "rekey": "kiosk.cli_rekey",
    "doctor": "kiosk.cli_doctor",
}


def build_parser(command: str | None = None, faces: Mapping[str, str] | None = None) -> argparse.ArgumentParser:
    """The command line with ``faces`` (command -> module) beside the core's commands. With ``command`` known, just
    the module that adds it (the kiosk window's start-up then builds no other command's parser); with None (help)
    or a word that is no command, every module, so that argparse can list every command."""
    modules = {**CORE_COMMANDS, **(faces or {})}
    parser = argparse.ArgumentParser(prog="p2c-kiosk", description="P2C lobby kiosk for police self-reporting.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--home", help="data folder (configuration, database, logs); default: $P2C_KIOSK_HOME "
                                       "or ~/.local/share/p2c-kiosk")
    # Every command opens the database before it starts (so that one that cannot be opened is reported at once),
    # unless its parser says open_store=False (the kiosk window opens it just after its first paint).
    parser.set_defaults(open_store=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    wanted = [modules[command]] if command in modules else list(dict.fromkeys(modules.values()))
    for name in wanted:
        importlib.import_module(name).add_commands(commands)
    missing = [word for word, module in modules.items() if module in wanted and word not in commands.choices]
    if missing:
        raise RuntimeError(f"no module added the command(s) {', '.join(missing)}")
    return parser


def requested_command(argv: Sequence[str], default: str | None = None) -> str | None:
    """The command the line asks for: its command word, or ``default`` when it has none; None when it asks for help
    or the version (then the whole parser is built)."""
    word = _command_word(argv)
    if word is None:
        return None if _asks_for_help(argv) else default
    return word


def _command_word(argv: Sequence[str]) -> str | None:
    words = list(argv)
    while words and words[0].startswith("-"):
        option = words.pop(0)
        if option == "--home" and words:
            words.pop(0)
    return words[0] if words else None


def _asks_for_help(argv: Sequence[str]) -> bool:
    return any(word in ("-h", "--help", "--version") for word in argv)


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None, *, faces: Mapping[str, str] | None = None, default: str | None = None) -> int:
    """Run one command. ``faces``: the faces' commands (command -> module), ``default``: the command a line without
    one runs; both come from the composition root (:func:`p2c_kiosk.main`)."""
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    words = list(sys.argv[1:] if argv is None else argv)
    command = requested_command(words, default)
    if command is not None and _command_word(words) is None:
        words.append(command)
    args = build_parser(command, faces).parse_args(words)
    if args.command is None:  # no command, and no default to run
        build_parser(None, faces).print_usage(stderr)
        print(cli_texts().gettext("{program}: say which command to run (see --help)").format(program=PROGRAM),
              file=stderr)
        return EXIT_BAD_INPUT
    home = resolve_home(args.home)
    runs_alone: AloneHandler | None = getattr(args, "runs_alone", None)
    if runs_alone is not None:  # `configure`: writes what only root may write, then leaves root itself
        return runs_alone(home, args, stdin, stdout, stderr)
    # As root (sudo) on the deployed kiosk's folder: read its secrets, then become its user, before anything in the
    # folder is written (kiosk.cli_common.leave_root).
    leave_root(home, writes_credentials=getattr(args, "writes_credentials", False))
    without_kiosk: Callable[[Path, argparse.Namespace, TextIO, TextIO], int] | None = getattr(
        args, "without_kiosk", None)
    if without_kiosk is not None:  # `config check`: reads kiosk.toml without opening the kiosk
        return without_kiosk(home, args, stdout, stderr)
    try:
        configure_logging(home)
        kiosk = open_kiosk(home, open_store_now=args.open_store)
    except ConfigError as exc:
        print(refusal(exc), file=stderr)
        return EXIT_BAD_INPUT
    except (OSError, StoreError) as exc:
        full = disk_full(exc, home)
        print(f"p2c-kiosk: {full}" if full is not None else cli_texts().gettext(
            "{program}: cannot open the data folder {home}: {error}").format(program=PROGRAM, home=home, error=exc),
            file=stderr)
        return EXIT_BAD_INPUT
    try:
        handler: Handler = args.handler
        return handler(kiosk, args, stdin, stdout, stderr)
    except BrokenPipeError:
        return EXIT_OK
    finally:
        kiosk.close()
