"""Page-change timing for benchmarks/startup.py: in one warm process, the time from a tap on a wizard button until
the new page has been painted."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from kiosk.clock import SystemClock
from kiosk.config import config_from_mapping
from kiosk.home import Kiosk
from kiosk.storage.database import open_store
from kiosk.storage.key import StorageKey

DEADLINE_S = 2.0


class _PaintClock(QObject):
    """Notes when any of the watched widgets is painted."""

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
    QTest.mouseClick(button, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(button.width() // 2, button.height() // 2))
    while time.perf_counter() - start < DEADLINE_S:
        page = page_of()
        if page is not before and id(page) in clock.painted_at:
            return (clock.painted_at[id(page)] - start) * 1000
        app.processEvents()
    raise RuntimeError(f"no new page painted within {DEADLINE_S} s after {button.objectName()}")


def measure_page_changes(runs: int) -> list[float]:
    from ui.app import build_window, ensure_application

    app = ensure_application([])
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "kiosk.sqlite3", key=StorageKey.generate())  # encrypted, as on a kiosk
        config = config_from_mapping({})
        window = build_window(Kiosk(Path(folder), config, clock=SystemClock(), store=store, receipt_printer=None),
                              kiosk_mode=False, check_reports=False)
        window.present()
        wizard = window.wizard  # built now rather than by the prebuild timer
        for _ in range(20):
            app.processEvents()
        clock = _PaintClock()
        for widget in window.findChildren(QWidget):
            widget.installEventFilter(clock)
        times: list[float] = []
        # Welcome -> first screening question (Start), then forward by answering and back with Back, repeatedly.
        times.append(_change(app, window.welcome_page.start_button, window.current_page, clock))
        answer = wizard.currentPage().findChild(QAbstractButton, "screening_emergency_no_button")
        back = wizard.button(wizard.WizardButton.BackButton)
        while len(times) < runs:
            times.append(_change(app, answer, wizard.currentPage, clock))
            times.append(_change(app, back, wizard.currentPage, clock))
        window.allow_close()
        window.close()
        store.close()
    return times
