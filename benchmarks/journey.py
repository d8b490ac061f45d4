"""A visitor's whole journey through the real window, welcome -> submit -> welcome: the CPU it costs, phase by phase.

    .venv/bin/python benchmarks/journey.py [--visits 30] [--warm-up 3] [--no-printer]

The running kiosk as ``p2c-kiosk run --windowed`` shows it (ui.app.run_kiosk: the window and its services), offscreen,
on an encrypted store in a temporary data folder. Once its services have started, visitors come one after another
(ui.soak.VisitStream: the walkthrough driver's taps and typed keys, each visit started from the running event loop);
the four sample reports take turns. The process's CPU time (every thread: the receipt is made on a worker) is read
at the end of each phase:

- ``pages``: the welcome page's Start to the review page attested (every tap, key and page change);
- ``submit``: the Submit tap until the Done page is shown (the report checked, stored, its numbers shown);
- ``receipt``: until the printer's answer (rendered and spooled on a worker thread, as on a kiosk without a printer);
- ``wipe``: the Finish tap until the welcome page is back;
- ``between``: the event loop's turn before the next visitor (what the window does after the wipe: deferred deletes,
  building the next visitor's wizard).

The first ``--warm-up`` visits are left out (the first submit and receipt import their modules). The anchor, in the
same process before the kiosk starts: a bare PySide6 QWizard of 10 pages, each with one QLineEdit, 30 letters typed
on each page and Next tapped, through the same Qt Test events. Goal: <= 0.4 s of CPU per visitor (median).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "fixtures" / "reports"
SAMPLE_NAMES = ("lost-wallet", "larceny-bicycle", "vandalism-car-es", "identity-theft")
GOAL_S = 0.4
ANCHOR_PAGES, ANCHOR_LETTERS = 10, 30


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def bare_wizard_journeys(runs: int) -> list[float]:
    """CPU seconds of a bare QWizard journey: on each of its pages 30 letters typed into a QLineEdit, then Next."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWizard, QWizardPage

    times = []
    for _ in range(runs):
        wizard = QWizard()
        edits = []
        for number in range(ANCHOR_PAGES):
            page = QWizardPage()
            page.setTitle(f"Page {number + 1}")
            edit = QLineEdit()
            QVBoxLayout(page).addWidget(edit)
            edits.append(edit)
            wizard.addPage(page)
        wizard.show()
        QApplication.processEvents()
        start = time.process_time()
        for edit in edits:
            QTest.keyClicks(edit, "abcdefghijklmnopqrstuvwxyzabcd"[:ANCHOR_LETTERS])
            button = wizard.button(QWizard.WizardButton.NextButton)
            if not button.isVisible():
                button = wizard.button(QWizard.WizardButton.FinishButton)
            QTest.mouseClick(button, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                             QPoint(button.width() // 2, button.height() // 2))
            for _ in range(5):
                QApplication.processEvents()
        times.append(time.process_time() - start)
        wizard.close()
        wizard.deleteLater()
        QApplication.processEvents()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--visits", type=int, default=30)
    parser.add_argument("--warm-up", type=int, default=3)
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
    from ui.soak import PHASES, VisitStream, recent

    print(f"python {platform.python_version()}, PySide6 {PySide6.__version__}, {os.cpu_count()} cores, "
          f"{platform.platform()}")
    reports = [json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8")) for name in SAMPLE_NAMES]
    app = ensure_application(["journey"])
    bare_wizard_journeys(2)  # warm-up
    anchor = bare_wizard_journeys(max(5, args.visits // 3))
    total = args.visits + args.warm_up
    phases: dict[str, list[float]] = defaultdict(list)
    walls: list[float] = []
    state: dict[str, object] = {}
    last = [time.process_time(), time.perf_counter()]

    def phase(name: str) -> None:
        cpu, wall = time.process_time(), time.perf_counter()
        stream = state["stream"]
        assert isinstance(stream, VisitStream)
        # "between" ends as the next visit starts: it belongs to the visit before it (its wipe's aftermath).
        visit = stream.visits - 1 if name == "between" else stream.visits
        if name in PHASES and visit >= args.warm_up:
            phases[name].append(cpu - last[0])
            if name == "between":
                walls.append(wall - last[1])
        last[0] = cpu
        if name == "between":
            last[1] = wall

    def look() -> None:
        windows = [w for w in app.topLevelWidgets() if isinstance(w, KioskWindow)]
        services = windows[0].findChild(WindowServices) if windows else None
        if services is None or not services.is_started:
            return
        watcher.stop()
        window = windows[0]
        zone = window.config.kiosk.zone
        stream = VisitStream(window, reports, total, sample_every=total, on_phase=phase,
                             prepare=lambda report: recent(report, datetime.now(zone)), on_done=lambda: app.exit(0))
        state["stream"] = stream
        last[:] = [time.process_time(), time.perf_counter()]
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
            run_kiosk(kiosk, windowed=True, argv=["journey"])
        finally:
            store.close()
    stream = state.get("stream")
    if not isinstance(stream, VisitStream) or stream.error is not None:
        raise SystemExit(f"the visits failed: {getattr(stream, 'error', 'the services never started')!r}")

    count = min(len(values) for values in phases.values())
    per_visit = [sum(phases[name][i] for name in PHASES) for i in range(count)]
    anchor_median = statistics.median(anchor)
    print(f"\n{count} visitors measured (after {args.warm_up} warm-up), receipt "
          f"{'none' if args.no_printer else 'rendered and spooled'}; CPU seconds of the whole process")
    print("| phase | median s | p95 s | share |")
    print("| --- | ---: | ---: | ---: |")
    whole = statistics.median(per_visit)
    for name in (*PHASES[1:], PHASES[0]):
        values = phases[name][:count]
        print(f"| {name} | {statistics.median(values):.3f} | {p95(values):.3f} | "
              f"{statistics.median(values) / whole:.0%} |")
    print(f"| **whole visit** | **{whole:.3f}** | {p95(per_visit):.3f} | |")
    print(f"| anchor: bare QWizard, {ANCHOR_PAGES} pages x ({ANCHOR_LETTERS} letters + Next) "
          f"| {anchor_median:.3f} | {p95(anchor):.3f} | |")
    print(f"\nwall time per visit (median): {statistics.median(walls):.3f} s; visit / anchor: "
          f"{whole / anchor_median:.1f}x")
    print(f"goal <= {GOAL_S} s of CPU per visitor (median): {whole:.3f} s -> {'met' if whole <= GOAL_S else 'NOT met'}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
