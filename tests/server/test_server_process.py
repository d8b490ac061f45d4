"""tests/server_support.ServerProcess, which the sync, UI and benchmark code rely on: a real process on a port that
stays the same across a crash and a restart, and nothing acknowledged is lost."""

from __future__ import annotations

import httpx
import pytest
from server_client_support import KioskClient
from server_support import ServerProcess, add_kiosk, fresh_database_url, server_reports


def test_a_killed_server_comes_back_on_the_same_port_with_what_it_acknowledged(tmp_path):
    url = fresh_database_url("sqlite", tmp_path)
    token = add_kiosk(url, "Lobby", 4)
    server = ServerProcess(url)
    with server:
        first_pid = server.pid
        kiosk = KioskClient(4, token, server.url)
        assert kiosk.push_reports([kiosk.report(1)]).status_code == 200
        server.kill()
        assert not server.running and server.pid is None
        with pytest.raises(httpx.TransportError):
            httpx.get(server.url + "/api/v1/health", timeout=2)
        server.start()
        assert server.pid != first_pid
        assert kiosk.push_reports([kiosk.report(1), kiosk.report(2)]).json()["results"][0]["outcome"] == \
            "already_stored"
        server.restart()
        assert httpx.get(server.url + "/api/v1/health").status_code == 200
    assert not server.running
    assert [r["tracking_number"] for r in server_reports(url)] == [kiosk.tracking(1), kiosk.tracking(2)]


def test_a_server_that_cannot_start_says_why(tmp_path):
    server = ServerProcess("mysql://nowhere/db", start_timeout=10)
    with pytest.raises(RuntimeError, match="sqlite:///"):
        server.start()
    assert not server.running
