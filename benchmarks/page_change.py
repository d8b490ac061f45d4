"""Page-change timing for benchmarks/startup.py: in one warm process, the time from a tap on a wizard button until
the new page has been painted, for the kiosk's wizard and, interleaved with it in the same process, for a bare
PySide6 QWizard (two pages, a label on each, Next and Back) as the anchor.

    .venv/bin/python benchmarks/page_change.py [--runs 60]

Each tap goes to the button's top-level window, as a finger's does (Qt Test's QWindow click: the window hands it to
the widget under the point), so the kiosk's input watch (ui/input_watch.py: a filter on the kiosk's windows) sees it
as it sees a visitor's. The anchor's window is not one of the kiosk's: it pays nothing of the kiosk's.
Goal: a page change within 3x the bare wizard's (median).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QVBoxLayout, QWizard, QWizardPage

from kiosk.clock import SystemClock
from kiosk.config import config_from_mapping
from kiosk.home import Kiosk
from kiosk.storage.database import open_store
from kiosk.storage.key import StorageKey

DEADLINE_S = 2.0
GOAL_X_BARE = 3.0


class _PaintClock(QObject):
    """Notes when any of the watched pages is painted."""

    def __init__(self) -> None:
        super().__init__()
        self.painted_at: dict[int, float] = {}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted_at.setdefault(id(watched), time.perf_counter())
        return False


def _change(app: QApplication, button: QAbstractButton, page_of: callable, clock: _PaintClock) -> float:
    before = page_of()
    clock.painted_at.clear()
    start = time.perf_counter()
    window = button.window()
    QTest.mouseClick(window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     button.mapTo(window, QPoint(button.width() // 2, button.height() // 2)))
    while time.perf_counter() - start < DEADLINE_S:
        page = page_of()
        if page is not before and id(page) in clock.painted_at:
            return (clock.painted_at[id(page)] - start) * 1000
        app.processEvents()
    raise RuntimeError(f"no new page painted within {DEADLINE_S} s after {button.objectName()}")


def bare_wizard(size: QSize) -> QWizard:
    """The anchor: a bare two-page QWizard, shown beside the kiosk window at its size (the same screen to paint)."""
    wizard = QWizard()
    for title in ("First", "Second"):
        page = QWizardPage()
        page.setTitle(title)
        QVBoxLayout(page).addWidget(QLabel(title))
        wizard.addPage(page)
    wizard.resize(size)
    wizard.show()
    return wizard


def measure_page_changes(runs: int) -> dict[str, list[float]]:
    """Milliseconds per page change: ``kiosk`` (Start, then a screening answer and Back, repeatedly) and ``bare``
    (the anchor's Next and Back), ``runs`` of each, in pairs."""
    from ui.app import build_window, ensure_application

    app = ensure_application([])
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "kiosk.sqlite3", key=StorageKey.generate())  # encrypted, as on a kiosk
        config = config_from_mapping({})
        window = build_window(Kiosk(Path(folder), config, clock=SystemClock(), store=store, receipt_printer=None),
                              kiosk_mode=False, check_reports=False)
        window.present()
        wizard = window.wizard  # built now rather than by the prebuild timer
        anchor = bare_wizard(window.size())
        for _ in range(20):
            app.processEvents()
        assert window.input_watch.started, "the kiosk's input watch starts after the first paint"
        # Only the pages are watched: a filter on every widget would add its own cost to every change.
        clock = _PaintClock()
        for page in [window.welcome_page, *(w.page(i) for w in (wizard, anchor) for i in w.pageIds())]:
            page.installEventFilter(clock)
        times: dict[str, list[float]] = {"kiosk": [], "bare": []}
        # Welcome -> first screening question (Start), then forward by answering and back with Back, repeatedly.
        times["kiosk"].append(_change(app, window.welcome_page.start_button, window.current_page, clock))
        answer = wizard.currentPage().findChild(QAbstractButton, "screening_emergency_no_button")
        back = wizard.button(wizard.WizardButton.BackButton)
        bare_next = anchor.button(QWizard.WizardButton.NextButton)
        bare_back = anchor.button(QWizard.WizardButton.BackButton)
        while len(times["kiosk"]) < runs:
            times["kiosk"].append(_change(app, answer, wizard.currentPage, clock))
            times["kiosk"].append(_change(app, back, wizard.currentPage, clock))
            times["bare"].append(_change(app, bare_next, anchor.currentPage, clock))
            times["bare"].append(_change(app, bare_back, anchor.currentPage, clock))
        anchor.close()
        window.allow_close()
        window.close()
        store.close()
    return times


def main() -> None:
    import argparse
    import os
    import statistics

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    times = measure_page_changes(args.runs)
    print(page_change_table(times))
    ratio = statistics.median(times["kiosk"]) / statistics.median(times["bare"])
    verdict = "met" if ratio <= GOAL_X_BARE else "NOT met"
    print(f"goal: within {GOAL_X_BARE:.0f}x the bare wizard: {ratio:.2f}x -> {verdict}")


def page_change_table(times: dict[str, list[float]]) -> str:
    import statistics

    def p95(values: list[float]) -> float:
        ordered = sorted(values)
        return ordered[max(0, round(0.95 * len(ordered)) - 1)]

    bare = statistics.median(times["bare"])
    lines = [f"Page change (click to new page painted), {len(times['kiosk'])} kiosk and {len(times['bare'])} bare "
             "changes, interleaved",
             "| what | median ms | p95 ms | x anchor |", "| --- | ---: | ---: | ---: |"]
    for name, label in (("bare", "anchor: bare QWizard Next / Back"), ("kiosk", "kiosk wizard page change")):
        values = times[name]
        lines.append(f"| {label} | {statistics.median(values):.2f} | {p95(values):.2f} | "
                     f"{statistics.median(values) / bare:.2f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
