"""The kiosk's audit log anchored at the department server (issue 16, part 2; docs/audit.md "Anchored at the
server"), end to end: a real kiosk store, the real server on 127.0.0.1. Every sync run sends the entries the server
lacks and the head; deleting the last entry, deleting them all or rewriting the whole chain at the kiosk (the three
edits `audit verify` alone cannot see) is then flagged at both ends, and reports keep syncing."""

from __future__ import annotations

import io
import json

import pytest
from helpers import load_sample
from server_support import ServerProcess, add_kiosk, fresh_database_url, server_reports
from storage_keyring import raw_connection
from sync_support import sync_kiosk

from kiosk.audit import GENESIS_HASH, entry_hash
from kiosk.cli import main as kiosk_main
from kiosk.home import DATABASE_FILE_NAME
from server.cli import main as server_main


@pytest.fixture
def server_db(tmp_path):
    return fresh_database_url("sqlite", tmp_path)


@pytest.fixture
def server(server_db):
    with ServerProcess(server_db) as running:
        yield running


@pytest.fixture
def token(server_db):
    return add_kiosk(server_db, "Lobby North", 1)


def _server_verify(db_url):
    out = io.StringIO()
    code = server_main(["--db", db_url, "audit", "verify", "--json"], stdout=out, stderr=io.StringIO())
    return code, {row["kiosk_number"]: row for row in json.loads(out.getvalue())}


def _kiosk(home, *argv):
    out, err = io.StringIO(), io.StringIO()
    code = kiosk_main(["--home", str(home), *argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _entries(kiosk, count):
    for number in range(count):
        kiosk.audit.record("officer:dana", "report_opened", f"T26-01-{number + 1:05d}-1", step=number)


def _rewrite(kiosk, *statements):
    """Edit the file as someone holding it and its key could, triggers dropped."""
    kiosk.close()
    connection = raw_connection(kiosk.home / DATABASE_FILE_NAME)
    try:
        connection.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
        connection.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


def _forge_whole_chain(kiosk):
    """Every entry's subject changed and every hash worked out again: `audit verify` alone finds nothing."""
    rows = kiosk.store.db.execute_sql(
        "SELECT id, at, actor, action, subject, details FROM audit_entry ORDER BY id").fetchall()
    statements, previous = [], GENESIS_HASH
    for entry_id, at, actor, action, _subject, details in rows:
        digest = entry_hash(entry_id, at, actor, action, "forged", details, previous)
        statements.append(f"UPDATE audit_entry SET subject = 'forged', prev_hash = '{previous}', hash = '{digest}' "
                          f"WHERE id = {entry_id}")
        previous = digest
    return statements


@pytest.mark.parametrize("edit", ["last_entry_deleted", "all_deleted", "table_dropped", "table_dropped_and_made_again",
                                  "chain_rewritten"])
def test_an_edit_the_local_check_cannot_see_is_flagged_at_both_ends(tmp_path, server, server_db, token, edit):
    home = tmp_path / "kiosk"
    with sync_kiosk(home, server.url, token) as kiosk:
        _entries(kiosk, 5)
        run = kiosk.sync.run_once(force=True)
        assert run.error is None and run.audit_mismatch is None
        count = kiosk.audit.count()
        code, chains = _server_verify(server_db)
        assert code == 0 and chains[1]["state"] == "intact" and chains[1]["entries"] == count
        assert chains[1]["head_id"] == kiosk.audit.head()[0]
        statements = {
            "last_entry_deleted": [f"DELETE FROM audit_entry WHERE id = {count}"],
            "all_deleted": ["DELETE FROM audit_entry"],
            "table_dropped": ["DROP TABLE audit_entry"],
            "table_dropped_and_made_again": [
                "DROP TABLE audit_entry",
                "CREATE TABLE audit_entry (id INTEGER PRIMARY KEY, at TEXT, actor TEXT, action TEXT, subject TEXT, "
                "details TEXT, prev_hash TEXT, hash TEXT)"],
            "chain_rewritten": _forge_whole_chain(kiosk),
        }[edit]
        _rewrite(kiosk, *statements)
        if not edit.startswith("table_dropped"):
            code, out, _ = _kiosk(home, "audit", "verify")
            assert code == 0, f"the local check alone does not see it: {out}"
    with sync_kiosk(home, server.url, token) as kiosk:
        kiosk.reports.submit(load_sample("lost-wallet"))
        run = kiosk.sync.run_once(force=True)
        # The server flags the kiosk; reports still sync.
        assert run.error is None and run.reports_pushed == 1, run.error
        words = "the kiosk's log was rewritten" if edit == "chain_rewritten" else "entries were removed"
        assert run.audit_mismatch and words in run.audit_mismatch, run.audit_mismatch
        assert len(server_reports(server_db)) == 1
        code, chains = _server_verify(server_db)
        assert code == 1 and chains[1]["state"] == "mismatch" and chains[1]["problem"] == run.audit_mismatch
        # ... and so does the kiosk.
        code, out, _ = _kiosk(home, "audit", "verify")
        local = "its table (audit_entry) is missing" if edit == "table_dropped" else (
            "the department's server holds a different chain for this kiosk")
        assert code == 1 and local in out, out
        code, out, _ = _kiosk(home, "sync", "status")
        assert "Audit log:         DOES NOT MATCH the server's" in out
        status = json.loads(_kiosk(home, "sync", "status", "--json")[1])
        assert status["audit_mismatch"] == run.audit_mismatch
        # The flag stays at both ends on the next run.
        assert kiosk.sync.run_once(force=True).audit_mismatch == run.audit_mismatch
        assert _server_verify(server_db)[0] == 1


def test_an_untouched_log_stays_anchored_run_after_run(tmp_path, server, server_db, token):
    with sync_kiosk(tmp_path / "kiosk", server.url, token, batch_size=7) as kiosk:
        for round_ in range(3):
            _entries(kiosk, 250)  # more than one push of entries (200 at most each)
            run = kiosk.sync.run_once(force=True)
            assert run.error is None and run.audit_mismatch is None, round_
            code, chains = _server_verify(server_db)
            assert code == 0 and chains[1]["entries"] == kiosk.audit.count()
        assert _kiosk(tmp_path / "kiosk", "audit", "verify")[0] == 0
