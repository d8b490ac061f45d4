"""``p2c-kiosk`` subcommands for the officers part of officer mode (registered by :func:`kiosk.cli.build_parser`)."""

from __future__ import annotations

import argparse


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Add this part's subcommands to ``commands``, each with ``set_defaults(handler=...)``."""
