"""The language of an officer's own screens, kept with the account: the officer chooses it, an administrator (or the
CLI) may set it, an unknown language is refused, every change is audited, and it survives a restart of the kiosk."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from kiosk.audit import AuditLog
from kiosk.officers import NotAllowed, OfficerError, OfficerService
from kiosk.storage.database import open_store
from kiosk.translation import PSEUDO_LANGUAGE, SOURCE_LANGUAGE, Catalogues, catalogues, use_catalogues

CHEAP = dict(time_cost=1, memory_cost=8192, parallelism=1)
GOOD = "violet kettle harbour"
CLI = "cli:deskadmin"
# A language the code has never heard of: a throw-away catalogue makes it installed.
NEW_LANGUAGE = "eo"


@pytest.fixture
def installed(tmp_path: Path):
    """Catalogues with one language besides the source language; the catalogues in use before come back after."""
    before = catalogues()
    folder = tmp_path / "locale"
    target = folder / NEW_LANGUAGE / "LC_MESSAGES" / "p2c.mo"
    target.parent.mkdir(parents=True)
    catalog = Catalog(locale=NEW_LANGUAGE)
    catalog.add("Queue", "Vico")
    with target.open("wb") as handle:
        write_mo(handle, catalog)
    use_catalogues(Catalogues(folder))
    yield folder
    use_catalogues(before)


def _service(store, clock):
    return OfficerService(store, clock, AuditLog(store, clock), hasher=PasswordHasher(**CHEAP))


@pytest.fixture
def officers(store, clock, installed):
    service = _service(store, clock)
    service.add("chief", "Chief Ada Byrne", "1", GOOD, role="admin", by=CLI)
    service.add("j.smith", "Officer Jane Smith", "4711", GOOD, by=CLI)
    return service


def test_a_new_account_reads_the_source_language(officers):
    assert officers.find("j.smith").language == SOURCE_LANGUAGE
    assert officers.login("j.smith", GOOD).officer.language == SOURCE_LANGUAGE


def test_the_languages_offered_are_the_source_language_and_every_installed_catalogue(officers):
    assert officers.languages() == (SOURCE_LANGUAGE, NEW_LANGUAGE)


def test_an_officer_chooses_their_language_and_the_next_login_has_it(officers, store, clock):
    session = officers.login("j.smith", GOOD)
    account = officers.set_language("j.smith", NEW_LANGUAGE, by=session)
    assert account.language == NEW_LANGUAGE
    assert officers.login("j.smith", GOOD).officer.language == NEW_LANGUAGE
    entries = [(e.actor, e.action, e.subject, e.details) for e in AuditLog(store, clock).entries(limit=20)]
    assert ("officer:j.smith", "language_changed", "j.smith", {"language": NEW_LANGUAGE}) in entries


def test_a_language_without_a_catalogue_is_refused_on_the_language_field(officers):
    session = officers.login("j.smith", GOOD)
    for code in ("xx", PSEUDO_LANGUAGE, ""):
        with pytest.raises(OfficerError) as refused:
            officers.set_language("j.smith", code, by=session)
        assert (refused.value.problem.field, refused.value.problem.code) == ("language", "officer.language_unknown")
    assert officers.find("j.smith").language == SOURCE_LANGUAGE


def test_an_administrator_or_the_cli_may_set_anyones_language_and_an_officer_only_their_own(officers):
    chief = officers.login("chief", GOOD)
    assert officers.set_language("j.smith", NEW_LANGUAGE, by=chief).language == NEW_LANGUAGE
    assert officers.set_language("j.smith", SOURCE_LANGUAGE, by=CLI).language == SOURCE_LANGUAGE
    smith = officers.login("j.smith", GOOD)
    with pytest.raises(NotAllowed):
        officers.set_language("chief", NEW_LANGUAGE, by=smith)
    assert officers.find("chief").language == SOURCE_LANGUAGE


def test_the_language_survives_a_restart(tmp_path, clock, installed):
    path = tmp_path / "restart.sqlite3"
    store = open_store(path, now=clock.now)
    try:
        service = _service(store, clock)
        service.add("j.smith", "Officer Jane Smith", "4711", GOOD, by=CLI)
        service.set_language("j.smith", NEW_LANGUAGE, by=CLI)
    finally:
        store.close()
    again = open_store(path, now=clock.now)
    try:
        assert _service(again, clock).login("j.smith", GOOD).officer.language == NEW_LANGUAGE
    finally:
        again.close()
