"""Shared test set-up. Qt must run headless here: set the platform before any QApplication exists.

The report store fixtures (a real SQLite file per test, the default Hartford configuration, a clock standing at
helpers.NOW) serve the core, printing and screen tests alike. ``container`` is the kiosk's container
(kiosk.home.Kiosk) over them, with the test's overrides: its store, its clock, a cheap password hasher and no
receipt printer; every service a test uses comes from it, built once, as in the running kiosk.
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from argon2 import PasswordHasher
from helpers import NOW

from kiosk.clock import ManualClock
from kiosk.config import config_from_mapping
from kiosk.home import Kiosk
from kiosk.storage.database import open_store


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
def password_hasher():
    """argon2id at its lowest cost: an officer's login takes milliseconds instead of a good part of a second."""
    return PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)


@pytest.fixture
def container(tmp_path, store, config, clock, password_hasher):
    return Kiosk(tmp_path, config, clock=clock, store=store, password_hasher=password_hasher, receipt_printer=None)


@pytest.fixture
def service(container):
    return container.reports
