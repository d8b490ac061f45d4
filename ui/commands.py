"""``p2c-kiosk run``: the kiosk window, handed to the core's command line by the program's composition root
(:mod:`p2c_kiosk`). The core never imports this module; its command line loads it only when the window is asked for
(or the whole help is).

The composition root of the screens: the window is built from the kiosk's container (kiosk.home.Kiosk), which the
command line hands over with its database not yet open; the window and its services take what they need from it
when they first need it (ui.shell.KioskWindow, ui.kiosk_services.WindowServices).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from kiosk.cli_common import EXIT_BAD_INPUT
from kiosk.home import Kiosk
from ui.app import NoDisplayError, run_kiosk


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = commands.add_parser("run", help="open the kiosk window (the default)")
    run.add_argument("--windowed", action="store_true", help="a normal window instead of the full-screen kiosk")
    run.add_argument("--smoke-test", nargs="?", const="", metavar="PNG",
                     help="for checks and benchmarks: quit once the welcome page is painted (saving it to PNG)")
    # The window opens the database just after its first paint (ui.kiosk_services.WindowServices), not before.
    run.set_defaults(handler=run_window, open_store=False)


def run_window(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    smoke = args.smoke_test
    try:
        return run_kiosk(kiosk, windowed=args.windowed, smoke_test=smoke is not None,
                         screenshot=Path(smoke) if smoke else None)
    except NoDisplayError as exc:
        print(f"p2c-kiosk: {exc}", file=stderr)
        return EXIT_BAD_INPUT
