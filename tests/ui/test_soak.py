"""A short soak: visitor after visitor through the kiosk window (the walkthrough driver, each visit started from a
running event loop, ui.soak.VisitStream), and the memory the process holds must stay flat. So a leak per visit fails
here, in `make test`, rather than after months in a lobby (issue 19: each visit used to leave 15 enum classes and
~164 other objects behind, +22 MB over 400 visits). `benchmarks/soak.py` is the long version."""

from __future__ import annotations

import logging

import pytest
from helpers import VALID_SAMPLES, load_sample
from PySide6.QtCore import QEventLoop, QTimer

from ui.soak import VisitStream

pytestmark = [pytest.mark.gui, pytest.mark.slow]

WARM_UP = 10  # the first visits import modules, fill caches and build what is built once
MEASURED = 40
# Objects the garbage collector tracks may move a little from visit to visit (a log record, a worker thread's
# wrapper); a leak of anything built per visit (a page, a widget, an enum class) is far above this.
OBJECTS_PER_VISIT = 8
# Generous: the resident set moves with the allocator's fragmentation. A visit that kept its wizard would add ~1 MB.
RSS_MB = 12.0
DEADLINE_MS = 110_000


def test_visits_leave_nothing_behind(make_window, reports, caplog):
    # The kiosk's INFO lines (a dozen per visit) are not made into records at all: pytest would keep every one.
    caplog.set_level(logging.WARNING)
    window = make_window()
    window.watchdog.pause()  # a busy machine may take longer than the idle time between two taps
    samples = [load_sample(name) for name in VALID_SAMPLES]
    loop = QEventLoop()
    stream = VisitStream(window, samples, WARM_UP + MEASURED, sample_every=WARM_UP, on_done=loop.quit)
    stream.start()
    QTimer.singleShot(DEADLINE_MS, loop.quit)
    loop.exec()
    if stream.error is not None:
        raise stream.error
    assert stream.visits == WARM_UP + MEASURED, f"only {stream.visits} visits in {DEADLINE_MS // 1000} s"
    assert len(reports.list_reports(limit=1000)) == stream.visits, "every visit submitted its own report"

    start = next(sample for sample in stream.samples if sample.visits == WARM_UP)
    end = stream.samples[-1]
    lines = "\n".join(sample.line() for sample in stream.samples)
    assert end.enum_types - start.enum_types == 0, f"enum classes made per visit and never freed:\n{lines}"
    assert end.objects - start.objects <= OBJECTS_PER_VISIT * MEASURED, f"objects left per visit:\n{lines}"
    assert end.rss_mb - start.rss_mb <= RSS_MB, f"memory grows visit after visit:\n{lines}"
