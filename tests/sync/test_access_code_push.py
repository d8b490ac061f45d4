"""The kiosk sends each report's access-code verifier to the department server (``POST /api/v1/access-codes``), so
the citizen's status page can check the code on the receipt: once per verifier, again after an officer reissues the
code, every older report too (the backfill, in batches of at most MAX_ACCESS_CODE_BATCH), and a server that predates
the path (404) never fails a run. Real SQLite kiosk, real reference server over HTTP."""

from __future__ import annotations

import json

import pytest
from fault_proxy import FaultProxy
from helpers import load_sample
from review_support import fill_reports
from server_support import ServerProcess, add_kiosk, database_kinds, fresh_database_url
from sync_support import sync_kiosk

from kiosk.access_codes import verify_access_code
from kiosk.sync import state
from kiosk.sync.protocol import API_PREFIX, MAX_ACCESS_CODE_BATCH
from server.db import open_database

PATH = API_PREFIX + "/access-codes"


def server_verifiers(db_url: str) -> dict[str, str | None]:
    database = open_database(db_url)
    try:
        return dict(database.db.execute_sql("SELECT tracking_number, access_code_verifier FROM report").fetchall())
    finally:
        database.close()


def kiosk_verifiers(kiosk) -> dict[str, str]:
    return dict(kiosk.store.db.execute_sql("SELECT tracking_number, access_code_hash FROM report").fetchall())


def posts(proxy: FaultProxy) -> int:
    return sum(1 for record in proxy.records(PATH) if record.method == "POST")


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


@pytest.mark.parametrize("db_kind", database_kinds())
def test_each_verifier_is_sent_once_and_the_server_holds_it_exactly(db_kind, tmp_path):
    db_url = fresh_database_url(db_kind, tmp_path)
    token = add_kiosk(db_url, "Lobby North", 1)
    with ServerProcess(db_url) as server:
        with FaultProxy(int(server.url.rsplit(":", 1)[1])) as proxy, \
                sync_kiosk(tmp_path / "kiosk", proxy.url, token) as kiosk:
            receipt = kiosk.reports.submit(load_sample("lost-wallet"))
            other = kiosk.reports.submit(load_sample("larceny-bicycle"))
            run = kiosk.sync.run_once()
            assert run.error is None and run.verifiers_pushed == 2
            held = server_verifiers(db_url)
            assert held == kiosk_verifiers(kiosk)  # the stored text exactly, never the code
            assert verify_access_code(receipt.access_code, held[str(receipt.tracking_number)])
            assert receipt.access_code not in json.dumps(held) and other.access_code not in json.dumps(held)
            sent = posts(proxy)
            assert sent == 1
            again = kiosk.sync.run_once(force=True)
            assert (again.error, again.verifiers_pushed) == (None, 0) and posts(proxy) == sent  # not sent again
            assert state.count_pending_verifiers(kiosk.store) == 0


def test_a_reissued_code_is_sent_again_and_the_old_one_stops_working_at_the_server(tmp_path, server, server_db,
                                                                                   token):
    with sync_kiosk(tmp_path / "kiosk", server.url, token) as kiosk:
        receipt = kiosk.reports.submit(load_sample("lost-wallet"))
        assert kiosk.sync.run_once().verifiers_pushed == 1
        tracking = str(receipt.tracking_number)
        new_code = kiosk.reports.reissue_access_code(receipt.tracking_number, "officer:0042")
        assert state.count_pending_verifiers(kiosk.store) == 1
        run = kiosk.sync.run_once(force=True)
        assert run.error is None and run.verifiers_pushed == 1
        held = server_verifiers(server_db)[tracking]
        assert held == kiosk_verifiers(kiosk)[tracking]
        assert verify_access_code(new_code, held) and not verify_access_code(receipt.access_code, held)
        assert kiosk.sync.run_once(force=True).verifiers_pushed == 0


def test_a_report_not_yet_at_the_server_waits_for_it(tmp_path, server, server_db, token):
    """A verifier is sent only for a report the server holds: the report goes first, in the same run."""
    with sync_kiosk(tmp_path / "kiosk", server.url, token) as kiosk:
        kiosk.reports.submit(load_sample("lost-wallet"))
        assert state.count_pending_verifiers(kiosk.store) == 0  # not acknowledged yet
        run = kiosk.sync.run_once()
        assert (run.reports_pushed, run.verifiers_pushed) == (1, 1)


def test_older_reports_are_backfilled_in_batches_of_the_protocols_limit(tmp_path, server_db, token):
    """Reports acknowledged before the kiosk knew about verifiers (a file migrated to schema v7 has
    ``access_code_pushed`` NULL on every row) are all sent by the next run, at most MAX_ACCESS_CODE_BATCH at a
    time."""
    count = MAX_ACCESS_CODE_BATCH * 2 + 13
    with ServerProcess(server_db) as server:
        with FaultProxy(int(server.url.rsplit(":", 1)[1])) as proxy, \
                sync_kiosk(tmp_path / "kiosk", proxy.url, token, batch_size=MAX_ACCESS_CODE_BATCH) as kiosk:
            fill_reports(kiosk.store, count, seed=5, kiosks=(1,))
            assert kiosk.sync.run_once().verifiers_pushed == count
            kiosk.store.db.execute_sql("UPDATE report SET access_code_pushed = NULL")  # as schema v7 leaves them
            server_db_rows = server_verifiers(server_db)
            assert all(server_db_rows.values())
            before = posts(proxy)
            assert state.count_pending_verifiers(kiosk.store) == count
            run = kiosk.sync.run_once(force=True)
            assert run.error is None and run.verifiers_pushed == count
            assert posts(proxy) - before == 3  # 200 + 200 + 13
            assert server_verifiers(server_db) == kiosk_verifiers(kiosk)
            assert state.count_pending_verifiers(kiosk.store) == 0
            # The purge keeps the verifier: a purged report's receipt still opens the status page.
            (purged,) = kiosk.store.db.execute_sql(
                "SELECT COUNT(*) FROM report WHERE purged_at IS NOT NULL AND access_code_hash LIKE 'sha256$%' "
                "AND access_code_pushed = access_code_hash").fetchone()
            assert purged > 0


def test_a_server_without_the_path_does_not_fail_the_run_and_a_later_run_sends_them(tmp_path, server_db, token):
    with ServerProcess(server_db) as server, FaultProxy(int(server.url.rsplit(":", 1)[1])) as proxy, \
            sync_kiosk(tmp_path / "kiosk", proxy.url, token) as kiosk:
        proxy.fail_with(404, count=None, path=PATH)  # an older server: no such path
        kiosk.reports.submit(load_sample("lost-wallet"))
        run = kiosk.sync.run_once()
        assert run.error is None and run.reports_pushed == 1 and run.verifiers_pushed == 0
        assert kiosk.sync.status().failures == 0 and kiosk.sync.status().last_error is None
        assert kiosk.sync.status().pending_verifiers == 1  # kept for a later run (and `sync status` says so)
        second = kiosk.sync.run_once(force=True)
        assert second.error is None and second.verifiers_pushed == 0
        proxy.passthrough()
        third = kiosk.sync.run_once(force=True)
        assert third.error is None and third.verifiers_pushed == 1
        assert server_verifiers(server_db) == kiosk_verifiers(kiosk)
