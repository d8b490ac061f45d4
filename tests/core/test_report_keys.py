"""Search and matching keys (kiosk.report_keys), and their back-fill when a version 1 database is migrated."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import peewee as pw
from helpers import load_sample

from kiosk.report_keys import address_key, fold, name_tokens, person_key, report_keys, serial_key, words
from kiosk.storage.database import open_store
from kiosk.storage.migrations import MIGRATIONS


def test_folding_removes_case_and_accents():
    assert fold("José NÚÑEZ") == "jose nunez"
    assert fold("Ångström Çelik") == "angstrom celik"
    assert words("María-José  O'Brien, Jr.") == ["maria", "jose", "obrien", "jr"]
    # A phone's keyboard types the curly apostrophe; it must find the same name.
    assert words("O’Brien") == words("Oʼbrien") == words("O'Brien") == ["obrien"]


def test_name_tokens_and_person_key():
    assert name_tokens("María José", "Núñez Ortiz") == {"maria", "jose", "nunez", "ortiz"}
    assert person_key("Dana", "O'Brien", "1979-06-14 ") == "obrien|dana|1979-06-14"
    assert person_key("DANA", "o brien", "1979-06-14") == person_key("Dana", "O'Brien", "1979-06-14")
    assert person_key("Dana", "Whitfield", "1979-06-14") != person_key("Dana", "Whitfield", "1979-06-15")


def test_addresses_are_compared_in_one_spelling_without_the_unit():
    one = {"line1": "41 Farmington Avenue", "line2": "Apt 3", "zip": "06105-1234"}
    other = {"line1": "41 FARMINGTON AVE.", "line2": "Unit 3B", "zip": "06105"}
    assert address_key(one) == address_key(other) == "41 farmington ave|06105"
    assert address_key({"line1": "12 North Main Street", "zip": "06103"}) == "12 n main st|06103"
    assert address_key({"line1": "41 Farmington Ave", "zip": "06106"}) != address_key(other)
    assert address_key({"line1": "", "zip": "06105"}) == ""
    assert serial_key("wtu-321c 4567d") == serial_key("WTU321C4567D") == "wtu321c4567d"


def test_the_keys_of_a_report():
    keys = report_keys(load_sample("larceny-bicycle"))
    assert keys.reporter_name == "Dana Whitfield"
    assert keys.person_key == "whitfield|dana|1979-06-14"
    assert keys.home_address_key == keys.location_key == "41 farmington ave|06105"
    assert keys.name_tokens == {"dana", "whitfield"}
    assert keys.serial_keys == {"wtu321c4567d"}  # the lock without a serial adds none


def test_migrating_a_version_1_database_back_fills_the_keys(tmp_path):
    path = tmp_path / "kiosk.sqlite3"
    db = pw.SqliteDatabase(str(path))
    db.connect()
    db.execute_sql("CREATE TABLE schema_version (id INTEGER PRIMARY KEY, version INTEGER NOT NULL, "
                   "applied_at TEXT NOT NULL)")
    (number, _, step) = MIGRATIONS[0]
    assert number == 1
    with db.atomic():
        step(db)
        db.execute_sql("INSERT INTO schema_version (version, applied_at) VALUES (1, ?)",
                       (datetime.now(UTC).isoformat(),))
    report = load_sample("vandalism-car-es")
    db.execute_sql(
        "INSERT INTO report (tracking_number, kiosk_number, year, sequence, category, language, status, submitted_at,"
        " access_code_hash, location_summary, data) VALUES (?, 1, 26, 1, ?, ?, 'submitted', ?, 'x', ?, ?)",
        ("T26-01-00001-8", report["category"], report["language"], "2026-11-20T15:00:00.000000+00:00",
         "1200 Park St, Hartford", json.dumps(report)))
    db.close()

    store = open_store(path)
    try:
        assert store.db.execute_sql("SELECT MAX(version) FROM schema_version").fetchone() == (len(MIGRATIONS),)
        tokens = {t for (t,) in store.db.execute_sql("SELECT token FROM report_name_token WHERE report_id = 1")}
        assert tokens == name_tokens(report["reporter"]["first_name"], report["reporter"]["last_name"])
        assert "maria" in tokens and "jose" in tokens
        row = store.db.execute_sql("SELECT reporter_name, person_key, home_address_key, location_key FROM report"
                                   ).fetchone()
        keys = report_keys(report)
        assert row == (keys.reporter_name, keys.person_key, keys.home_address_key, keys.location_key)
        assert (tmp_path / "backups").is_dir()  # the v1 file was copied before migrating
    finally:
        store.close()
