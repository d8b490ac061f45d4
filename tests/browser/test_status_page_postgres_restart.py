"""The status page while PostgreSQL restarts: every look-up gets either its answer or a clear "try again later" (503,
in the visitor's language, never a stack trace), and the page works again once the database is back. On a cluster of
this test's own (scripts/start-postgres.sh on another port), so the restart reaches no other test's databases."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import QUESTION, World, csrf_of, make_world, text_of
from server_support import ROOT, drop_database

from kiosk.messages import Problem, render

pytestmark = pytest.mark.slow

PORT = 54341
FOLDER = Path(f"/tmp/p2c-postgres-restart-{PORT}")


def _pg_ctl(*args: str, check: bool = True) -> None:
    bindir = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))[-1]
    command = [str(bindir / "pg_ctl"), "-D", str(FOLDER / "data"), "-l", str(FOLDER / "log"), "-w", *args]
    if os.getuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    # Output to the log file: the new postmaster would hold a pipe open for as long as it runs.
    subprocess.run(command, check=check, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=120)


def _start() -> str:
    found = subprocess.run(["bash", str(ROOT / "scripts" / "start-postgres.sh")], capture_output=True, text=True,
                           timeout=180, env={**os.environ, "P2C_POSTGRES_PORT": str(PORT),
                                             "P2C_POSTGRES_DIR": str(FOLDER)})
    return found.stdout.strip()


@pytest.fixture
def own_cluster(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if not os.environ.get("P2C_TEST_POSTGRES_URL") and os.environ.get("CI") != "true":
        pytest.skip("P2C_TEST_POSTGRES_URL is not set (bash scripts/start-postgres.sh prints one)")
    url = _start()
    assert url, "PostgreSQL could not start (scripts/start-postgres.sh)"
    monkeypatch.setenv("P2C_TEST_POSTGRES_URL", url)
    try:
        yield url
    finally:
        _pg_ctl("-m", "fast", "stop", check=False)



def test_look_ups_while_postgres_restarts_say_try_again_later_then_work_again(own_cluster: str,
                                                                             tmp_path: Path) -> None:
    unavailable = render(Problem("", "lookup.unavailable"), "es")
    worlds = make_world(tmp_path, kind="postgres")
    world = next(worlds)
    try:
        _round(world, own_cluster, unavailable)
        assert "Traceback" not in world.server.log_text()
    finally:
        worlds.close()  # the server stops
        drop_database(world.db_url)  # before the cluster stops (the atexit drop would find it gone)


def _round(world: World, cluster_url: str, unavailable: str) -> None:
    report = world.report()
    with world.visitor("es") as visitor:
        token = csrf_of(visitor.get("/status").text)

        def post() -> tuple[int, str, str]:
            answer = visitor.post("/status", data={"csrf": token, "t": report.tracking, "code": report.code})
            return answer.status_code, answer.text, answer.headers.get("retry-after", "")

        assert post()[0] == 200

        # The database away: a clear 503 in Spanish, with when to try again, and no stack trace.
        _pg_ctl("-m", "fast", "stop")
        for status, page, retry_after in (post(), post()):
            assert status == 503, text_of(page)
            assert unavailable in text_of(page) and '<html lang="es">' in page
            assert "traceback" not in page.lower() and "OperationalError" not in page
            assert retry_after.isdigit()
        down = visitor.get("/status")
        assert down.status_code == 503 and unavailable in text_of(down.text)
        with world.visitor("en") as english:  # the language chosen in the link wins over the browser's
            chosen = english.get("/status", params={"lang": "es"})
            assert chosen.status_code == 503 and unavailable in text_of(chosen.text)

        # A restart while look-ups keep coming: each is its answer or the same 503.
        assert _start() == cluster_url
        seen: list[tuple[int, bool]] = []  # each status, and whether its page was the answer or the clear 503
        stop = threading.Event()

        def keep_looking() -> None:
            while not stop.is_set():
                status, page, _ = post()
                seen.append((status, status == 200 or (status == 503 and unavailable in text_of(page)
                                                       and "traceback" not in page.lower())))

        looker = threading.Thread(target=keep_looking)
        looker.start()
        time.sleep(1)
        _pg_ctl("-m", "fast", "restart")
        time.sleep(1)
        stop.set()
        looker.join(30)
        assert seen and all(clear for _, clear in seen), seen

        # Back: the page works again, with the same form token (the secret is the database's).
        status, page, _ = post()
        assert status == 200, text_of(page)
        assert QUESTION in text_of(page)
