"""Officer mode's copy printer as the kiosk window builds it (ui/kiosk_services.py), until the kiosk's container
hands one in the way it hands in the receipt printer.

The printer itself is :class:`printing.copy_printer.KioskCopyPrinter` (its port is :class:`kiosk.receipts.CopyPrinter`):
it renders the full copy and prints it through the same spool-then-CUPS path as the receipt.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.clock import Clock
from kiosk.config import Config
from kiosk.receipts import CopyPrinter


def KioskCopyPrinter(config: Config, spool_dir: Path, *, clock: Clock) -> CopyPrinter:
    """The kiosk's copy printer on the local CUPS scheduler. Built after the welcome page's first paint; printing's
    modules are imported here, not when this module is."""
    from printing.copy_printer import KioskCopyPrinter as Printer
    from printing.cups import CupsDispatcher

    return Printer(config, spool_dir, CupsDispatcher(), clock)
