"""Shared test set-up. Qt must run headless here: set the platform before any QApplication exists.

The run has a keyring for the storage key (``storage_keyring``, tests/storage_keyring.py), shared with the
``p2c-kiosk`` processes the tests start: the kiosk's storage key is made there on the first start, as on a kiosk, so
every store is encrypted (SQLCipher) as it is in a lobby.

The report store fixtures (a real, encrypted SQLite file per test, the default Hartford configuration, a clock
standing at helpers.NOW) serve the core, printing and screen tests alike. ``container`` is the kiosk's container
(kiosk.home.Kiosk) over them, with the test's overrides: its store, its clock, a cheap password hasher and no
receipt printer; every service a test uses comes from it, built once, as in the running kiosk.
"""

import os
import shutil
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The command line speaks the language the gettext variables name (kiosk.cli_common.cli_language), and the tests read
# its English texts: pinned here, for this process and the `p2c-kiosk` processes the tests start, so that a
# developer's Spanish locale cannot change them. LANGUAGE alone, which outranks the locale variables: LANG and LC_*
# stay as they are, so Qt, PostgreSQL, CUPS and pdftotext keep the encoding and formats they had.
os.environ["LANGUAGE"] = "en"

import pytest
from argon2 import PasswordHasher
from helpers import NOW
from storage_keyring import BACKEND, FILE_ENV, JsonFileKeyring
from translations import compile_all  # scripts/, on the path (pyproject: pythonpath)

from kiosk.clock import ManualClock
from kiosk.config import config_from_mapping
from kiosk.home import Kiosk
from kiosk.resources import resource_path
from kiosk.storage.database import open_store
from kiosk.storage.key import KeyringKeys

TESTS = Path(__file__).resolve().parent


@pytest.fixture(scope="session", autouse=True)
def storage_keyring(tmp_path_factory):
    """The keyring that keeps the storage key through the whole run (see the module's help): in this process as the
    storage key's keyring (kiosk.storage.key.KeyringKeys.default_backend), so that a test which puts another keyring
    in place for its SMTP password or sync token keeps its stores readable; in the processes a test starts as their
    keyring (PYTHON_KEYRING_BACKEND), so that a `p2c-kiosk` run on a test's data folder finds the same key."""
    path = tmp_path_factory.mktemp("keyring") / "keys.json"
    backend = JsonFileKeyring(path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(FILE_ENV, str(path))
        patch.setenv("PYTHON_KEYRING_BACKEND", BACKEND)
        patch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(TESTS), os.environ.get("PYTHONPATH")])))
        patch.setattr(KeyringKeys, "default_backend", backend)
        yield backend


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


@pytest.fixture(scope="session")
def translations_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A locale folder with every catalogue compiled from the .po files in the repository now (never a stale
    build)."""
    out = tmp_path_factory.mktemp("locale")
    for po in resource_path("locale").glob("*/LC_MESSAGES/p2c.po"):
        target = out / po.relative_to(resource_path("locale"))
        target.parent.mkdir(parents=True)
        shutil.copy(po, target)
    compile_all(out, force=True)
    return out
