"""Visitors one after another through the running kiosk window, and the memory the process holds as they come.

For ``benchmarks/soak.py`` (thousands of visits), ``benchmarks/journey.py`` (a visit's work, phase by phase) and
``tests/ui/test_soak.py`` (a short soak in ``make test``). A visit is the walkthrough driver (:mod:`ui.walkthrough`:
taps and typed keys) from the welcome page to the Done page and back, as a citizen makes it. Visits run inside an
event loop that is really running (:class:`VisitStream`): each one is started from a timer and, between two visits,
control goes back to the loop, so deferred deletes, timers and the receipt's worker thread behave as they do in the
lobby, not as they would under ``processEvents`` alone.
"""

from __future__ import annotations

import enum
import gc
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QTimer

from kiosk.tracking import TrackingNumber
from ui.shell import KioskWindow
from ui.walkthrough import Visitor
from ui.wizard.done_page import PRINTING
from ui.wizard.page_ids import PageId

log = logging.getLogger(__name__)

RECEIPT_POLL_MS = 5
PHASES = ("between", "pages", "submit", "receipt", "wipe")


def recent(report: dict[str, Any], now: datetime) -> dict[str, Any]:
    """``report`` as if it happened yesterday at 10:00 for two hours (the time pickers start at now)."""
    start = (now - timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    incident = {**report["incident"], "occurred_from": start.isoformat(),
                "occurred_to": (start + timedelta(hours=2)).isoformat()}
    return {**report, "incident": incident}


def receipt_pending(window: KioskWindow) -> bool:
    """The Done page is still waiting for the printer's answer about the receipt."""
    return bool(window.wizard.page(PageId.DONE).print_state == PRINTING)


def finish_visit(visitor: Visitor) -> None:
    """Finish on the Done page: back on the welcome page, nothing of the visit left."""
    visitor.finish()
    if not visitor.window.is_pristine():
        raise AssertionError("Finish did not bring back the welcome page")


@dataclass(frozen=True)
class MemorySample:
    """What the process holds after ``visits`` visits (a full garbage collection first)."""

    visits: int
    rss_mb: float
    objects: int  # objects the garbage collector tracks (those set aside by gc.freeze() not counted)
    enum_types: int  # enum classes among them (PySide6 makes one for each new value of a Qt enum it meets)

    def line(self) -> str:
        return f"{self.visits:>7} {self.rss_mb:>9.1f} {self.objects:>9} {self.enum_types:>6}"


HEADER = " visits    RSS MB   objects  enums"


def rss_mb() -> float:
    """The process's resident set size now, in MB (Linux: /proc/self/statm)."""
    import os

    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def memory_sample(visits: int) -> MemorySample:
    gc.collect()
    tracked = gc.get_objects()
    enums = sum(1 for thing in tracked if isinstance(thing, enum.EnumType))
    count = len(tracked)
    del tracked
    return MemorySample(visits, rss_mb(), count, enums)


class VisitStream:
    """``total`` complete visits through ``window``, one after another, each started from the event loop (which must
    be running: ``app.exec()``, or a ``QEventLoop`` of the caller's). ``reports`` are taken in turn; ``prepare``
    turns one into the visit's answers just before it starts (e.g. :func:`recent`). ``sample_every`` visits (and
    before the first and after the last) a :class:`MemorySample` goes to ``on_sample``. ``on_done`` is called once,
    after the last visit or on the first failure (``error`` then holds it).

    ``on_phase`` is told each phase of a visit as it ends (one of :data:`PHASES`, or ``"sample"`` after a memory
    sample): ``between`` is the event loop's turn between two visits (what the window does after a wipe, e.g. build
    the next visitor's wizard; before the first visit, since the stream started), ``pages`` the taps from the welcome
    page to the review page attested, ``submit`` the Submit tap until the Done page is shown, ``receipt`` the wait for
    the printer's answer (the receipt's worker thread), ``wipe`` the Finish tap until the welcome page is back.
    """

    def __init__(self, window: KioskWindow, reports: Sequence[dict[str, Any]], total: int, *,
                 on_done: Callable[[], None], sample_every: int = 50,
                 on_sample: Callable[[MemorySample], None] = lambda _sample: None,
                 on_phase: Callable[[str], None] = lambda _phase: None,
                 prepare: Callable[[dict[str, Any]], dict[str, Any]] = lambda report: report) -> None:
        self.window = window
        self.visitor = Visitor(window)
        self._reports = list(reports)
        self._total = total
        self._every = sample_every
        self._on_sample = on_sample
        self._on_phase = on_phase
        self._on_done = on_done
        self._prepare = prepare
        self.visits = 0
        self.samples: list[MemorySample] = []
        # The tracking number the Done page showed last (not a list of them all: thousands would be a leak of ours).
        self.last_shown: TrackingNumber | None = None
        self.error: BaseException | None = None
        # One timer for the receipt's wait: PySide6 6.11 keeps a weak reference for every QTimer.singleShot(msec > 0,
        # bound method) it is asked for, which in thousands of visits would be this driver's own leak.
        self._receipt_poll = QTimer()
        self._receipt_poll.setSingleShot(True)
        self._receipt_poll.setInterval(RECEIPT_POLL_MS)
        self._receipt_poll.timeout.connect(self._await_receipt)

    def start(self) -> None:
        """Queue the first visit on the event loop."""
        QTimer.singleShot(0, self._next)

    def _next(self) -> None:
        self._on_phase("between")
        try:
            if self.visits % self._every == 0 or self.visits == self._total:
                sample = memory_sample(self.visits)
                self.samples.append(sample)
                self._on_sample(sample)
                self._on_phase("sample")
            if self.visits >= self._total:
                self._on_done()
                return
            report = self._prepare(self._reports[self.visits % len(self._reports)])
            visitor, zone = self.visitor, self.window.config.kiosk.zone
            visitor.report(report, zone)
            visitor.attest()
            self._on_phase("pages")
            visitor.submit()
            if self.window.wizard.currentId() != PageId.DONE:
                raise AssertionError(f"the report was not taken: on {self.window.current_page().objectName()}")
            shown = self.window.wizard.page(PageId.DONE).tracking_number
            if shown is None or shown == self.last_shown:
                raise AssertionError(f"the Done page shows {shown!r}, not a new tracking number")
            self.last_shown = shown
            self._on_phase("submit")
        except BaseException as exc:
            self._fail(exc)
            return
        self._await_receipt()

    def _await_receipt(self) -> None:
        """The visitor takes the receipt (the printer's answer comes back to the event loop), then taps Finish."""
        try:
            if receipt_pending(self.window):
                self._receipt_poll.start()
                return
            self._on_phase("receipt")
            finish_visit(self.visitor)
            self._on_phase("wipe")
            self.visits += 1
        except BaseException as exc:
            self._fail(exc)
            return
        QTimer.singleShot(0, self._next)  # back to the event loop between two visits, as in the lobby

    def _fail(self, error: BaseException) -> None:
        """Handed to the caller, who ends the loop and raises it."""
        log.error("visit %d failed: %r", self.visits + 1, error)
        self.error = error
        self._on_done()
