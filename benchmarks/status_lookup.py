"""Status page look-ups while a kiosk pushes its backlog: how long a citizen's look-up waits (issue 22).

    .venv/bin/python benchmarks/status_lookup.py [--lookups 200] [--backlog 2000] [--batch-size 200] [--repeats 3]
                                                 [--before REVISION]

On PostgreSQL (the test cluster, ``scripts/start-postgres.sh``): a fresh database, ``p2c-server serve`` as a real
subprocess, and two kiosks: kiosk 2 holds one report with its access code's verifier pushed
(``POST /api/v1/access-codes``); kiosk 1 pushes a backlog of ``--backlog`` realistic reports (benchmarks/fleet.py's
pool) in batches of ``--batch-size``, back to back, with their events, from a thread of this process. Meanwhile this
process looks kiosk 2's report up with the right code through :func:`server.citizen_status.check`, the call the page
makes, one after the other, on its own connection pool, and times each.

The anchor, in the same run: the same look-ups with nothing being pushed. ``--before REVISION``: the look-up as
``server/citizen_status.py`` was at that git revision is timed too, under its own backlog push in each repeat (the
order alternating), so before and after share the run. Printed per repeat, then over all repeats: median and p95 of
a look-up, idle and under the backlog, and the median's range over the repeats.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import types
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import httpx  # noqa: E402

CODE = "K7QM-2XHD"


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def describe(times: list[float]) -> str:
    return (f"median {statistics.median(times) * 1000:.2f} ms, p95 {percentile(times, .95) * 1000:.2f} ms "
            f"({len(times)})")


def revision_check(revision: str) -> Callable[..., object]:
    """``server.citizen_status.check`` as it was at git ``revision``, loaded beside this checkout's (the same
    database and tables), so the before and the after are timed in one run."""
    source = subprocess.run(["git", "show", f"{revision}:server/citizen_status.py"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout
    module = types.ModuleType(f"citizen_status_{revision}")
    # Our own file, from our own git history.
    exec(compile(source, f"{revision}:server/citizen_status.py", "exec"), module.__dict__)
    found: Callable[..., object] = module.check
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--lookups", type=int, default=200, help="look-ups per phase")
    parser.add_argument("--backlog", type=int, default=2000, help="reports the kiosk pushes per repeat")
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pool", type=int, default=300)
    parser.add_argument("--before", default="", help="also time server/citizen_status.py's check as it was at this git "
                        "revision (e.g. d4213a3~1, before the advisory locks), in the same run")
    args = parser.parse_args(argv)

    found = subprocess.run(["bash", str(ROOT / "scripts" / "start-postgres.sh")], capture_output=True, text=True,
                           timeout=180)
    if not found.stdout.strip():
        raise SystemExit(f"PostgreSQL could not start: {found.stderr.strip()}")
    os.environ["P2C_TEST_POSTGRES_URL"] = found.stdout.strip()

    from server_support import ServerProcess, add_kiosk, drop_database, fresh_database_url

    from benchmarks.fleet import SimKiosk, build_kiosk, make_pool
    from kiosk.access_codes import hash_access_code
    from server.citizen_status import check
    from server.db import open_database
    from server.settings import load_department_config

    folder = Path(tempfile.mkdtemp(prefix="p2c-bench-status-"))
    checks: dict[str, Callable[..., object]] = {"now": check}
    if args.before:
        checks["before"] = revision_check(args.before)
    pool, events = make_pool(folder / "template", args.pool, 2026)
    pusher = SimKiosk(0, 1)
    build_kiosk(pusher, pool, events, args.backlog * args.repeats * len(checks), args.batch_size, offset=0)
    citizen = SimKiosk(0, 2)
    build_kiosk(citizen, pool, events, 1, 1, offset=7)
    per_push = math.ceil(args.backlog / args.batch_size)
    backlog = iter(range(args.repeats * len(checks)))

    url = fresh_database_url("postgres", folder)
    config = load_department_config(None)
    pusher.token = add_kiosk(url, "Lobby 1", 1)
    citizen.token = add_kiosk(url, "Lobby 2", 2)
    medians: dict[str, list[float]] = {"idle": [], **{name: [] for name in checks}}
    samples: dict[str, list[float]] = {name: [] for name in medians}
    push_times: dict[str, list[float]] = {name: [] for name in checks}
    try:
        with ServerProcess(url) as server:
            def client(kiosk: SimKiosk) -> httpx.Client:
                return httpx.Client(base_url=server.url + "/api/v1", timeout=120, headers={
                    "Authorization": f"Bearer {kiosk.token}", "Content-Type": "application/json"})

            with client(citizen) as http:
                assert http.post("/reports", content=citizen.cycles[0].reports).status_code == 200
                tracking = citizen.tracking_numbers[0]
                answer = http.post("/access-codes", json={"access_codes": [
                    {"tracking_number": tracking, "verifier": hash_access_code(CODE)}]})
                assert answer.status_code == 200, answer.text
            database = open_database(url, pool_size=4)

            def lookups(call: Callable[..., object], stop: threading.Event | None = None) -> list[float]:
                times = []
                while len(times) < args.lookups and not (stop is not None and stop.is_set()):
                    started = time.perf_counter()
                    call(database, config, tracking, CODE, client="198.51.100.7", now=datetime.now(UTC))
                    times.append(time.perf_counter() - started)
                return times

            def push(part: int, stop: threading.Event, pushed: list[float]) -> None:
                began = time.perf_counter()
                with client(pusher) as http:
                    for cycle in pusher.cycles[part * per_push:(part + 1) * per_push]:
                        assert http.post("/reports", content=cycle.reports).status_code == 200
                        for body in cycle.events:
                            assert http.post("/events", content=body).status_code == 200
                pushed.append(time.perf_counter() - began)
                stop.set()

            def busy(call: Callable[..., object]) -> tuple[list[float], float]:
                stop, pushed = threading.Event(), []
                thread = threading.Thread(target=push, args=(next(backlog), stop, pushed))
                thread.start()
                time.sleep(0.2)  # the push under way
                times: list[float] = []
                while not stop.is_set():
                    times += lookups(call, stop)
                thread.join()
                return times, pushed[0]

            for call in checks.values():
                lookups(call)  # warm: the pool's connections, the server's first requests
            for repeat in range(args.repeats):
                idle = lookups(check)
                line = [f"repeat {repeat + 1}: idle {describe(idle)}"]
                medians["idle"].append(statistics.median(idle))
                samples["idle"] += idle
                order = list(checks.items()) if repeat % 2 == 0 else list(reversed(checks.items()))
                for name, call in order:
                    times, took = busy(call)
                    medians[name].append(statistics.median(times))
                    samples[name] += times
                    push_times[name].append(took)
                    line.append(f"{name}, during a push of {args.backlog} reports ({took:.1f} s): {describe(times)}")
                print("; ".join(line), flush=True)
            database.close()
    finally:
        drop_database(url)

    def ms(values: list[float]) -> str:
        return (f"{statistics.median(values) * 1000:.2f} ms "
                f"[{min(values) * 1000:.2f}–{max(values) * 1000:.2f}]")

    print(f"\nlook-up, nothing pushed (anchor): median {ms(medians['idle'])}, "
          f"p95 {percentile(samples['idle'], .95) * 1000:.2f} ms")
    for name in checks:
        label = "this checkout's" if name == "now" else f"{args.before}'s"
        print(f"{label} look-up while a kiosk pushes a backlog: median {ms(medians[name])}, "
              f"p95 {percentile(samples[name], .95) * 1000:.2f} ms, {len(samples[name])} look-ups; "
              f"the pushes took {statistics.median(push_times[name]):.2f} s (median); "
              f"median / anchor's {statistics.median(medians[name]) / statistics.median(medians['idle']):.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
