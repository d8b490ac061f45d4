"""``p2c-kiosk run``: the kiosk window, handed to the core's command line by the program's composition root
(:mod:`p2c_kiosk`). The core never imports this module; its command line loads it only when the window is asked for
(or the whole help is).

The composition root of the screens: the window is built from the kiosk's container (kiosk.home.Kiosk), opened here
with its database not yet open; the window and its services take what they need from it when they first need it
(ui.shell.KioskWindow, ui.kiosk_services.WindowServices).

``run`` opens the container itself (the command line's ``without_kiosk`` route) rather than being handed one, because
a kiosk whose configuration or data folder is unusable must still come up: out of order (ui.out_of_order), with one
line in the log and on standard error for the attempt, and the reason in systemd's status line. Only a kiosk with
no display at all exits (exit code 2), after saying so in the same three places. ``--smoke-test`` keeps the plain
refusals (exit code 2), for checks and benchmarks.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from kiosk.cli_common import EXIT_BAD_INPUT
from kiosk.config import CONFIG_FILE_NAME, ConfigError
from kiosk.home import Kiosk, configure_logging, open_kiosk
from kiosk.report_errors import StoreError
from kiosk.sd_notify import Notifier
from ui.app import NoDisplayError, run_kiosk, run_out_of_order
from ui.out_of_order import Cause, OutOfOrder, say_out_of_order


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = commands.add_parser("run", help="open the kiosk window (the default)")
    run.add_argument("--windowed", action="store_true", help="a normal window instead of the full-screen kiosk")
    run.add_argument("--smoke-test", nargs="?", const="", metavar="PNG",
                     help="for checks and benchmarks: quit once the welcome page is painted (saving it to PNG)")
    # The window opens the database just after its first paint (ui.kiosk_services.WindowServices), not before.
    run.set_defaults(handler=run_window, open_store=False, without_kiosk=run_from_home)


def run_from_home(home: Path, args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Open the kiosk of the data folder ``home`` and run its window; out of order when it cannot be opened."""
    logging_ready = True
    problem: OutOfOrder | None = None
    kiosk: Kiosk | None = None
    try:
        configure_logging(home)
    except OSError as exc:
        logging_ready = False
        problem = OutOfOrder(Cause.DATA_FOLDER, f"the log folder in {home} cannot be written: {exc}")
    if problem is None:
        try:
            kiosk = open_kiosk(home, open_store_now=False)
        except ConfigError as exc:
            problem = OutOfOrder(Cause.CONFIG, f"{home / CONFIG_FILE_NAME}: " + "; ".join(map(str, exc.problems)))
        except (OSError, StoreError) as exc:
            problem = OutOfOrder(Cause.DATA_FOLDER, f"{home}: {exc}")
    if kiosk is not None:
        try:
            return run_window(kiosk, args, sys.stdin, stdout, stderr)
        finally:
            kiosk.close()
    assert problem is not None
    if args.smoke_test is not None:
        print(f"p2c-kiosk: {problem.log_line()}", file=stderr)
        return EXIT_BAD_INPUT
    say_out_of_order(problem, stderr, to_log=logging_ready)
    try:
        return run_out_of_order(problem, windowed=args.windowed)
    except NoDisplayError as exc:
        return _no_display(exc, stderr, to_log=logging_ready, also=problem)


def run_window(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    smoke = args.smoke_test
    try:
        return run_kiosk(kiosk, windowed=args.windowed, smoke_test=smoke is not None,
                         screenshot=Path(smoke) if smoke else None)
    except NoDisplayError as exc:
        if smoke is not None:
            print(f"p2c-kiosk: {exc}", file=stderr)
            return EXIT_BAD_INPUT
        return _no_display(exc, stderr)


def _no_display(error: NoDisplayError, stderr: TextIO, *, to_log: bool = True, also: OutOfOrder | None = None) -> int:
    """No screen: one line (log and journal), the reason in systemd's status line, exit code 2 (systemd tries again
    after RestartSec)."""
    problem = OutOfOrder(Cause.DISPLAY, str(error))
    say_out_of_order(problem, stderr, to_log=to_log)
    status = f"out of order: {problem.status}" + (f"; and {also.status}" if also is not None else "")
    Notifier().status(status)
    return EXIT_BAD_INPUT
