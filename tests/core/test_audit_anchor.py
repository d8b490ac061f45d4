"""`p2c-kiosk audit verify` when the log cannot be read at all (issue 16: a dropped table printed a peewee traceback),
and when the department's server has flagged the kiosk's chain (the sync keeps its words): one clear line, exit 1."""

from __future__ import annotations

import io

import pytest
from storage_keyring import raw_connection

from kiosk.audit import SERVER_MISMATCH_KEY
from kiosk.cli import main
from kiosk.home import DATABASE_FILE_NAME, open_kiosk

PASSWORD = "violet kettle harbour"


def run(home, *argv, stdin=""):
    out, err = io.StringIO(), io.StringIO()
    code = main(["--home", str(home), *argv], stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def home(tmp_path):
    code, _, err = run(tmp_path, "officer", "add", "chief", "--admin", "--name", "Chief Ada Byrne", "--badge", "1",
                       "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 0, err
    return tmp_path


def _raw(home, *statements):
    connection = raw_connection(home / DATABASE_FILE_NAME)
    try:
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


@pytest.mark.parametrize(("statements", "words"), [
    (["DROP TABLE audit_entry"], "its table (audit_entry) is missing from the database"),
    (["DROP TRIGGER audit_entry_no_update", "DROP TRIGGER audit_entry_no_delete",
      "ALTER TABLE audit_entry DROP COLUMN prev_hash"], "its table (audit_entry) was altered"),
], ids=["dropped", "altered"])
def test_a_missing_or_damaged_table_is_one_clear_line(home, statements, words):
    _raw(home, *statements)
    code, out, err = run(home, "audit", "verify")
    assert code == 1, err
    assert out.count("\n") == 1 and out.startswith("audit log broken: the audit log cannot be checked: ")
    assert words in out
    assert "Traceback" not in out + err and "peewee" not in out + err


def test_a_log_the_server_flagged_fails_verify_even_when_it_is_intact_here(home):
    assert run(home, "audit", "verify")[0] == 0
    kiosk = open_kiosk(home)
    try:
        kiosk.store.db.execute_sql("INSERT INTO sync_state (key, value) VALUES (?, ?)",
                                   (SERVER_MISMATCH_KEY, "the kiosk's log now ends at entry 0, but the server holds "
                                                         "entries up to 1: entries were removed from the kiosk's log"))
    finally:
        kiosk.close()
    code, out, _ = run(home, "audit", "verify")
    assert code == 1
    assert out == ("audit log broken: the department's server holds a different chain for this kiosk: the kiosk's "
                   "log now ends at entry 0, but the server holds entries up to 1: entries were removed from the "
                   "kiosk's log\n")
