"""The data folder: one per kiosk, holding its configuration, database, logs and backups.

``open_kiosk(home)`` is the one place that wires the core together for the CLI and the kiosk window.
"""

from __future__ import annotations

import logging
import logging.handlers
from dataclasses import dataclass
from pathlib import Path

from kiosk.clock import Clock, SystemClock
from kiosk.config import Config, load_config
from kiosk.reports import ReportService
from kiosk.storage import Store, open_store
from kiosk.storage.database import DATABASE_FILE_NAME

LOG_FILE_NAME = "kiosk.log"


@dataclass
class Kiosk:
    home: Path
    config: Config
    store: Store
    reports: ReportService

    def close(self) -> None:
        self.store.close()


def open_kiosk(home: Path, clock: Clock | None = None) -> Kiosk:
    config = load_config(home)
    the_clock = clock or SystemClock()
    store = open_store(home / DATABASE_FILE_NAME, now=the_clock.now)
    return Kiosk(home=home, config=config, store=store, reports=ReportService(store, config, the_clock))


def configure_logging(home: Path, level: int = logging.INFO) -> None:
    """A rotating log file in ``home/logs``. Log lines carry tracking numbers and categories, never what a citizen
    typed (names, addresses, phone numbers, email addresses, narratives)."""
    folder = home / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(folder / LOG_FILE_NAME, maxBytes=2_000_000, backupCount=5,
                                                   encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.setLevel(level)
    if not any(isinstance(h, logging.handlers.RotatingFileHandler) and h.baseFilename == handler.baseFilename
               for h in root.handlers):
        root.addHandler(handler)
    else:
        handler.close()
