"""``p2c-kiosk [--home DIR] config check``: every mistake in the data folder's kiosk.toml, one per line as
``key.path: message`` on stderr, and exit 2 when there is one; "kiosk.toml: no problems" and exit 0 otherwise.

It reads the file without opening the kiosk (a file with mistakes cannot open it): its handler is set as
``without_kiosk`` (``kiosk.cli.main`` calls it before opening anything). Every other command refuses to start on a
file with mistakes and lists them the same way (:func:`refusal`).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from kiosk.cli_common import EXIT_BAD_INPUT, EXIT_OK, PROGRAM, cli_texts
from kiosk.config import CONFIG_FILE_NAME, ConfigError, read_config_file


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    config = commands.add_parser("config", help="the configuration file, kiosk.toml")
    actions = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="list every mistake in kiosk.toml, one per line (exit 2 when there is "
                                             "one)")
    check.set_defaults(without_kiosk=check_config)


def check_config(home: Path, args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    texts = cli_texts()
    path = home / CONFIG_FILE_NAME
    if not path.exists():
        print(texts.gettext("{file}: not written yet ({path}); the kiosk writes the documented defaults there when it "
                            "first starts").format(file=CONFIG_FILE_NAME, path=path), file=stdout)
        return EXIT_OK
    try:
        read_config_file(path)
    except ConfigError as exc:
        print(exc, file=stderr)
        return EXIT_BAD_INPUT
    print(texts.gettext("{file}: no problems ({path})").format(file=CONFIG_FILE_NAME, path=path), file=stdout)
    return EXIT_OK


def refusal(error: ConfigError) -> str:
    """What a command says when kiosk.toml keeps the kiosk from starting: every problem, one per line."""
    count = len(error.problems)
    return cli_texts().ngettext(
        "{program}: {file} has {count} problem; nothing was done (fix it, then `{command}`):",
        "{program}: {file} has {count} problems; nothing was done (fix them, then `{command}`):",
        count).format(program=PROGRAM, file=CONFIG_FILE_NAME, count=count, command=f"{PROGRAM} config check") + (
        f"\n{error}")
