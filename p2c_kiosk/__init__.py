"""The ``p2c-kiosk`` program: the composition root, where the Qt-free core (``kiosk``) meets its faces.

The core's command line (:mod:`kiosk.cli`) knows its own commands and no face; this is the one place that names the
faces' commands (and the command a bare ``p2c-kiosk`` runs), by module, so that each face's module is imported only
when its command is asked for. What the core builds for the faces it finds itself, when first asked for
(kiosk.home.Kiosk: the printers, through the ``p2c_kiosk.*_printer`` entry points of pyproject.toml).

    p2c-kiosk [--home DIR] [COMMAND ...]      python -m p2c_kiosk [--home DIR] [COMMAND ...]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TextIO

from kiosk import cli

# Command -> the module that adds it (with add_commands(commands)).
FACE_COMMANDS: Mapping[str, str] = {
    "run": "ui.commands",  # the kiosk window
    "receipt": "printing.commands",
    "copy": "printing.commands",
    "print": "printing.commands",
}
DEFAULT_COMMAND = "run"  # `p2c-kiosk` alone opens the kiosk window


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    return cli.main(argv, stdin, stdout, stderr, faces=FACE_COMMANDS, default=DEFAULT_COMMAND)
