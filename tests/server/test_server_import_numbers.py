"""The documented path for official numbers a kiosk gave itself while standalone: ``p2c-kiosk sync export-numbers``
at the kiosk, ``p2c-server import-numbers FILE`` at the server; then, and only then, the kiosk's approvals that carry
them are accepted."""

from __future__ import annotations

import io
import json

import pytest
from helpers import load_sample
from server_client_support import KioskClient
from server_support import ServerProcess, add_kiosk, database_kinds, fresh_database_url, server_reports
from sync_support import write_sync_home

from kiosk.cli import main as kiosk_main
from kiosk.home import open_kiosk
from server.cli import main as server_main


def _server(db_url, *argv):
    out, err = io.StringIO(), io.StringIO()
    code = server_main(["--db", db_url, *argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(params=database_kinds())
def own_world(request, tmp_path):
    """A server of its own: the standalone kiosk numbers its approvals from 1, as the server's own sequence does, so
    on the shared server the number would already name another kiosk's report (and be refused, rightly)."""
    db_url = fresh_database_url(request.param, tmp_path / "server")
    with ServerProcess(db_url) as server:
        yield OwnWorld(db_url, server)


class OwnWorld:
    def __init__(self, db_url: str, server: ServerProcess) -> None:
        self.db_url, self.server = db_url, server

    def new_kiosk(self) -> KioskClient:
        return KioskClient(1, add_kiosk(self.db_url, "Lobby 1", 1), self.server.url)


def test_a_standalone_kiosks_numbers_are_exported_imported_and_then_accepted(own_world, tmp_path):
    world = own_world
    client = world.new_kiosk()
    home = write_sync_home(tmp_path / "standalone", "", kiosk_number=client.number)  # no server: standalone
    kiosk = open_kiosk(home)
    try:
        assert kiosk.config.kiosk.number == client.number
        tracking = kiosk.reports.submit(load_sample("larceny-bicycle")).tracking_number
        kiosk.officers.add("dana", "Dana", "B-7", "violet kettle harbour", by="cli:test")
        dana = kiosk.officers.login("dana", "violet kettle harbour")
        detail = kiosk.review.open_report(tracking, dana)
        number = kiosk.review.approve(tracking, dana, nibrs_code="23H", expected_version=detail.version).official_number
        assert number  # standalone: numbered at once
    finally:
        kiosk.close()
    out, err = io.StringIO(), io.StringIO()
    assert kiosk_main(["--home", str(home), "sync", "export-numbers"], stdout=out, stderr=err) == 0
    document = json.loads(out.getvalue())
    assert document["format"] == "p2c-official-numbers/1" and document["kiosk_number"] == client.number
    assert [(n["tracking_number"], n["official_number"]) for n in document["numbers"]] == [(tracking, number)]
    assert "1 official number(s)" in err.getvalue()
    exported = tmp_path / "numbers.json"
    exported.write_text(out.getvalue(), encoding="utf-8")

    # Pushed before the import: refused.
    assert client.push_reports([{**client.report(1), "tracking_number": tracking}]).status_code == 200
    approval = client.event(2, 1, "approved", "approved", nibrs_code="23H", official_number=number, version=0)
    assert client.push_events([approval]).status_code == 403

    code, text, _ = _server(world.db_url, "import-numbers", str(exported), "--kiosk", str(client.number + 1))
    assert code == 2
    code, text, _ = _server(world.db_url, "import-numbers", str(exported))
    assert code == 0 and f"kiosk {client.number}: 1 official number(s) imported, 0 already there" in text
    assert _server(world.db_url, "import-numbers", str(exported))[1].startswith(
        f"kiosk {client.number}: 0 official number(s) imported, 1 already there")
    response = client.push_events([approval])
    assert response.status_code == 200 and response.json()["results"][0]["official_number"] == number
    assert next(r for r in server_reports(world.db_url) if r["tracking_number"] == tracking)["official_number"] \
        == number


def test_a_file_that_is_not_an_export_is_refused_with_a_clear_line(world, tmp_path):
    bad = tmp_path / "bad.json"
    for text, words in (("{", "not JSON"), ('{"format": "other"}', "not an export of official numbers"),
                        ('{"format": "p2c-official-numbers/1", "kiosk_number": 1, "numbers": [{"x": 1}]}',
                         "numbers[0] needs tracking_number and official_number")):
        bad.write_text(text, encoding="utf-8")
        code, _, err = _server(world.db_url, "import-numbers", str(bad))
        assert code == 2 and words in err and "Traceback" not in err
    code, _, err = _server(world.db_url, "import-numbers", str(tmp_path / "missing.json"))
    assert code == 2 and "cannot read" in err
