"""How long the status page's POST answers take WITHOUT their time floor (server.status_page.POST_FLOOR_SECONDS),
to choose the floor: a right code, a wrong code, an unknown number, an answer refused, a refused form token, each
60 times, three repeats, beside GET /api/v1/health (the anchor) in the same run. In process (FastAPI's TestClient),
on SQLite or on PostgreSQL (P2C_TEST_POSTGRES_URL, from scripts/start-postgres.sh). Not a test:

    .venv/bin/python tests/browser/measure_post_times.py sqlite|postgres

docs/status-page.md ("The time floor") has the figures."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent), str(HERE.parent.parent / "scripts")]

from conftest import csrf_of  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from server_client_support import KioskClient  # noqa: E402
from server_support import add_kiosk, decide, fresh_database_url  # noqa: E402

import server.status_page as status_page  # noqa: E402
from kiosk.access_codes import hash_access_code, new_access_code  # noqa: E402
from server.app import create_app  # noqa: E402

ROUNDS = 60
REPEATS = 3


def main(kind: str) -> None:
    status_page.POST_FLOOR_SECONDS = 0.0  # what is measured is the work itself
    with tempfile.TemporaryDirectory() as folder:
        url = fresh_database_url(kind, Path(folder))
        token = add_kiosk(url, "Lobby", 1)
        app = create_app(url)
        client = TestClient(app)
        kiosk = KioskClient(1, token, "http://testserver")
        kiosk.http = TestClient(app, base_url="http://testserver/api/v1",
                                headers={"Authorization": f"Bearer {token}"})
        assert kiosk.push_reports([kiosk.report(1)]).status_code == 200
        code = new_access_code()
        pushed = kiosk.http.post("/access-codes", json={"access_codes": [
            {"tracking_number": kiosk.tracking(1), "verifier": hash_access_code(code)}]})
        assert pushed.status_code == 200
        decide(url, kiosk.tracking(1), "request-info", question="Which street?")
        csrf = csrf_of(client.get("/status").text)
        known = {"csrf": csrf, "t": kiosk.tracking(1)}
        cases: dict[str, Callable[[int], object]] = {
            "GET /api/v1/health (anchor)": lambda i: client.get("/api/v1/health"),
            "right code": lambda i: client.post("/status", data={**known, "code": code}),
            "wrong code": lambda i: client.post("/status", data={**known, "code": new_access_code()}),
            "unknown number": lambda i: client.post("/status", data={
                "csrf": csrf, "t": kiosk.tracking(2 + i), "code": code}),
            "answer refused (short)": lambda i: client.post("/status/answer", data={
                **known, "code": code, "answer": "short"}),
            "refused form token": lambda i: client.post("/status", data={**known, "csrf": "0" * 64, "code": code}),
        }
        database = app.state.database
        for name, call in cases.items():
            for repeat in range(REPEATS):
                times = []
                for i in range(ROUNDS):
                    with database.db.connection_context():  # no lock may interfere: start every round clean
                        database.models.LookupFailure.delete().execute()
                    started = time.perf_counter()
                    call(i)
                    times.append(time.perf_counter() - started)
                times.sort()
                print(f"{kind:8} {name:28} repeat {repeat + 1}: median {statistics.median(times) * 1000:5.1f} ms  "
                      f"p95 {times[int(len(times) * 0.95)] * 1000:5.1f} ms  max {times[-1] * 1000:5.1f} ms")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "sqlite")
