"""Memory over many visitors: the running kiosk, visitor after visitor, and what the process holds as they come.

    .venv/bin/python benchmarks/soak.py [--visits 500] [--every 50] [--no-printer]

The real window as ``p2c-kiosk run --windowed`` shows it (ui.app.run_kiosk: the window, its services, gc.freeze()
at the first paint) on an encrypted store in a temporary data folder, offscreen. Once the services have started
(the database open), visitors come one after another, each driven by the walkthrough driver (ui/walkthrough.py: taps
and typed keys) from the welcome page through the whole report to the Done page, where they wait for the receipt
(rendered and spooled, as on a kiosk whose printer is not set up) and tap Finish; every visit is started from the
running event loop (ui.soak.VisitStream). The four sample reports take turns (one in Spanish).

Every ``--every`` visits (after a full garbage collection): the resident set size, the objects the garbage collector
tracks and how many of them are enum classes. At the end: the growth over visits 100 -> 500 (or the part of it the
run covers) and over the whole run after visit 100, and the CPU and wall time per visit.
Goals: <= 10 MB over visits 100 -> 500, <= 20 MB over 10,000 visits.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import resource
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "fixtures" / "reports"
SAMPLE_NAMES = ("lost-wallet", "larceny-bicycle", "vandalism-car-es", "identity-theft")
FROM_VISIT = 100
SHORT_GOAL_MB, SHORT_TO = 10.0, 500
LONG_GOAL_MB, LONG_TO = 20.0, 10_000


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)  # every thread: the receipt's worker too
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--visits", type=int, default=500)
    parser.add_argument("--every", type=int, default=50, help="visits between two memory samples")
    parser.add_argument("--no-printer", action="store_true", help="no receipt printer (numbers on screen only)")
    args = parser.parse_args()

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    logging.basicConfig(level=logging.ERROR)  # not a line per receipt spooled
    import PySide6
    from PySide6.QtCore import QTimer

    from kiosk.clock import SystemClock
    from kiosk.config import config_from_mapping
    from kiosk.home import Kiosk
    from kiosk.storage.database import open_store
    from kiosk.storage.key import StorageKey
    from ui.app import ensure_application, run_kiosk
    from ui.kiosk_services import WindowServices
    from ui.shell import KioskWindow
    from ui.soak import HEADER, MemorySample, VisitStream, recent

    print(f"python {platform.python_version()}, PySide6 {PySide6.__version__}, {os.cpu_count()} cores, "
          f"{platform.platform()}")
    print(f"{args.visits} visits, receipt {'none' if args.no_printer else 'rendered and spooled'}; "
          f"memory every {args.every} visits")
    reports = [json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8")) for name in SAMPLE_NAMES]
    app = ensure_application(["soak"])
    state: dict[str, object] = {}

    def sampled(sample: MemorySample) -> None:
        marks = state.setdefault("marks", {})
        assert isinstance(marks, dict)
        marks[sample.visits] = (time.perf_counter(), cpu_seconds())
        print(sample.line(), flush=True)

    def look() -> None:
        """Start the visits once the window's services have started (the database is open), as a visitor would."""
        windows = [w for w in app.topLevelWidgets() if isinstance(w, KioskWindow)]
        services = windows[0].findChild(WindowServices) if windows else None
        if services is None or not services.is_started:
            return
        watcher.stop()
        window = windows[0]
        zone = window.config.kiosk.zone
        stream = VisitStream(window, reports, args.visits, sample_every=args.every, on_sample=sampled,
                             prepare=lambda report: recent(report, datetime.now(zone)), on_done=lambda: app.exit(0))
        state["stream"] = stream
        print(HEADER)
        stream.start()

    watcher = QTimer()
    watcher.timeout.connect(look)
    watcher.start(20)
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        store = open_store(home / "kiosk.sqlite3", key=StorageKey.generate())  # encrypted, as on a kiosk
        kiosk = Kiosk(home, config_from_mapping({}), clock=SystemClock(), store=store,
                      **({"receipt_printer": None} if args.no_printer else {}))  # type: ignore[arg-type]
        try:
            run_kiosk(kiosk, windowed=True, argv=["soak"])
        finally:
            store.close()
    stream = state.get("stream")
    if not isinstance(stream, VisitStream):
        raise SystemExit("the kiosk's services never started")
    if stream.error is not None:
        raise SystemExit(f"visit {stream.visits + 1} failed: {stream.error!r}")
    report(stream.samples, state["marks"])  # type: ignore[arg-type]


def report(samples: list, marks: dict[int, tuple[float, float]]) -> None:
    by_visit = {s.visits: s for s in samples}
    last = samples[-1]
    print()
    start = next((s for s in samples if s.visits >= FROM_VISIT), None)  # visit 100, or the first sample after it
    if start is not None and start is not last:
        to = min(SHORT_TO, last.visits)
        end = by_visit.get(to) or last
        growth = end.rss_mb - start.rss_mb
        verdict = "met" if growth <= SHORT_GOAL_MB else "NOT met"
        print(f"visits {start.visits} -> {end.visits}: RSS {growth:+.1f} MB, objects {end.objects - start.objects:+d}, "
              f"enum classes {end.enum_types - start.enum_types:+d}"
              + (f"  (goal <= {SHORT_GOAL_MB:.0f} MB: {verdict})" if end.visits == SHORT_TO else ""))
        if last.visits > SHORT_TO:
            growth = last.rss_mb - start.rss_mb
            goal = (f"  (goal <= {LONG_GOAL_MB:.0f} MB over {LONG_TO:,} visits: "
                    f"{'met' if growth <= LONG_GOAL_MB else 'NOT met'})" if last.visits >= LONG_TO else "")
            print(f"visits {start.visits} -> {last.visits}: RSS {growth:+.1f} MB, objects "
                  f"{last.objects - start.objects:+d}, enum classes {last.enum_types - start.enum_types:+d}{goal}")
        print(f"peak RSS {max(s.rss_mb for s in samples):.1f} MB")
    first = min(v for v in marks if v > 0) if len(marks) > 1 else 0
    wall0, cpu0 = marks[first]
    wall1, cpu1 = marks[last.visits]
    visits = last.visits - first
    if visits > 0:
        print(f"per visit (visits {first} -> {last.visits}): CPU {(cpu1 - cpu0) / visits:.3f} s, "
              f"wall {(wall1 - wall0) / visits:.3f} s (the memory samples included)")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
