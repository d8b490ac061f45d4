"""``p2c-kiosk``: the kiosk without a screen, for tests, officers' scripts and the kiosk window itself.

Exit codes (:mod:`kiosk.cli_common`): 0 done; 1 not found; 2 bad input or usage (every problem listed on stderr as
``field.path: message``); 3 not printed; 4 conflict; 5 sync failed.

The core's own commands live in the ``kiosk.cli_*`` modules. The faces' commands (``run``, the kiosk window, from
``ui.commands``; ``receipt``, ``copy`` and ``print`` from ``printing.commands``) are found through the
``p2c_kiosk.commands`` entry points declared in pyproject.toml, the way pytest finds its plugins: the core names
no face. Each entry point is called with the subcommands and adds the subcommand it is named after. A face's module
is imported only when its command is asked for (or the whole help is), so ``p2c-kiosk list`` loads no Qt, and the
kiosk window's start-up builds no other command's parser.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Mapping, Sequence
from importlib.metadata import EntryPoint, entry_points
from typing import TextIO

from kiosk import __version__, cli_config, cli_notices, cli_officers, cli_reports, cli_review, cli_sync
from kiosk.cli_common import EXIT_BAD_INPUT, EXIT_OK, Handler
from kiosk.config import ConfigError, resolve_home
from kiosk.home import configure_logging, open_kiosk
from kiosk.report_errors import StoreError

log = logging.getLogger(__name__)

COMMAND_GROUP = "p2c_kiosk.commands"
DEFAULT_COMMAND = "run"  # `p2c-kiosk` alone opens the kiosk window
# The core's command modules; each adds its subcommands with ``add_commands(commands)``.
CORE_COMMANDS = (cli_reports, cli_officers, cli_review, cli_notices, cli_sync, cli_config)


def face_commands() -> dict[str, EntryPoint]:
    """The faces' commands by name, as the installed distributions declare them (nothing is imported)."""
    return {entry.name: entry for entry in entry_points(group=COMMAND_GROUP)}


def build_parser(command: str | None = None, faces: Mapping[str, EntryPoint] | None = None) -> argparse.ArgumentParser:
    """The command line. With ``command`` one of the faces' commands, just that command (the kiosk window's start-up
    then imports no other face and builds no other command's parser: ~11 ms); with a command of the core, the core's
    commands; with None (help) or a word that is no command, every command, so that argparse can list them all."""
    faces = face_commands() if faces is None else faces
    parser = argparse.ArgumentParser(prog="p2c-kiosk", description="P2C lobby kiosk for police self-reporting.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--home", help="data folder (configuration, database, logs); default: $P2C_KIOSK_HOME "
                                       "or ~/.local/share/p2c-kiosk")
    # Every command opens the database before it starts (so that one that cannot be opened is reported at once),
    # unless its parser says open_store=False (the kiosk window opens it just after its first paint).
    parser.set_defaults(open_store=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    if command is not None and command in faces:
        _add_face(faces[command], commands)
        return parser
    for module in CORE_COMMANDS:
        module.add_commands(commands)
    if command is None or command not in commands.choices:
        for entry in faces.values():
            _add_face(entry, commands)
    return parser


def _add_face(entry: EntryPoint, commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    entry.load()(commands)
    if entry.name not in commands.choices:
        raise RuntimeError(f"the entry point {entry.name} = {entry.value} ({COMMAND_GROUP}) added no command "
                           f"named {entry.name}")


def requested_command(argv: Sequence[str]) -> str | None:
    """The command the line asks for: its command word, or DEFAULT_COMMAND when it has none; None when it asks for
    help or the version (then the whole parser is built)."""
    word = _command_word(argv)
    if word is None:
        return None if _asks_for_help(argv) else DEFAULT_COMMAND
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
         stderr: TextIO | None = None) -> int:
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    words = list(sys.argv[1:] if argv is None else argv)
    command = requested_command(words)
    if command == DEFAULT_COMMAND and _command_word(words) is None:
        words.append(DEFAULT_COMMAND)
    args = build_parser(command).parse_args(words)
    home = resolve_home(args.home)
    if getattr(args, "without_kiosk", None):  # `config check`: reads kiosk.toml without opening the kiosk
        return args.without_kiosk(home, args, stdout, stderr)
    try:
        configure_logging(home)
        kiosk = open_kiosk(home, open_store_now=args.open_store)
    except ConfigError as exc:
        print(cli_config.refusal(exc), file=stderr)
        return EXIT_BAD_INPUT
    except (OSError, StoreError) as exc:
        print(f"p2c-kiosk: cannot open the data folder {home}: {exc}", file=stderr)
        return EXIT_BAD_INPUT
    try:
        handler: Handler = args.handler
        return handler(kiosk, args, stdin, stdout, stderr)
    except BrokenPipeError:
        return EXIT_OK
    finally:
        kiosk.close()
