"""Shared test set-up. Qt must run headless here: set the platform before any QApplication exists.

The report store fixtures (a real SQLite file per test, the default Hartford configuration, a clock standing at
helpers.NOW) serve the core, printing and screen tests alike.
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from helpers import NOW

from kiosk.clock import ManualClock
from kiosk.config import config_from_mapping
from kiosk.reports import ReportService
from kiosk.storage import open_store


@pytest.fixture
def config():
    return config_from_mapping({})


@pytest.fixture
def clock():
    return ManualClock(NOW)


@pytest.fixture
def store(tmp_path):
    opened = open_store(tmp_path / "kiosk.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def service(store, config, clock):
    return ReportService(store, config, clock)
