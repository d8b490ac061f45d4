"""Work that may block (a printer, the network, a slow disk) run off the GUI thread, its result handed back on it.

    run_in_background(what, work, receiver=page, done=page.show_outcome, failed=lambda exc: Outcome(...))

``work()`` runs on Qt's worker pool (``QThreadPool.globalInstance()``). Its result, or ``failed(exception)`` when it
raised, goes to ``done(result)`` on the GUI thread: an exception never escapes into a Qt slot, and a screen always
learns how its job ended. ``receiver`` is the widget that asked; when it is gone by the time the job ends (a wipe
between visitors, officer mode left), nothing is delivered. A job is kept alive here, not by the screen that started
it, so a screen thrown away mid-job leaves no job half-dead.

Used by the wizard's Done page (the receipt) and officer mode (a reprinted receipt, a report's full copy).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QThreadPool, Signal

log = logging.getLogger(__name__)

T = TypeVar("T")
F = TypeVar("F")

# Jobs started and not yet delivered (each a _Delivery, of any result type): a job lives until its result reached the
# GUI thread.
_RUNNING: set[QObject] = set()


class _Delivery(QObject, Generic[T]):
    """Lives on the GUI thread; the worker emits ``arrived`` from the pool, which Qt queues back to this thread."""

    arrived = Signal(object)

    def __init__(self, what: str, receiver: QObject, done: Callable[[T], None]) -> None:
        super().__init__()
        self.what = what
        self._receiver = receiver
        self._done = done
        self.arrived.connect(self._deliver)

    def _deliver(self, result: T) -> None:
        _RUNNING.discard(self)
        if not shiboken6.isValid(self._receiver):
            log.info("%s ended after the screen that asked for it was gone", self.what)
            return
        self._done(result)


def run_in_background(what: str, work: Callable[[], T], *, receiver: QObject, done: Callable[[T | F], None],
                      failed: Callable[[Exception], F]) -> None:
    """Run ``work()`` on the worker pool and hand its result to ``done`` on the GUI thread, unless ``receiver`` was
    deleted meanwhile. When ``work`` raises, the exception is logged (with ``what``: "printing the receipt of ...")
    and ``failed(exception)`` is delivered in its place. Call from the GUI thread."""
    delivery: _Delivery[T | F] = _Delivery(what, receiver, done)
    _RUNNING.add(delivery)

    def run() -> None:  # on a worker thread
        result: T | F
        try:
            result = work()
        except Exception as exc:  # a printer or a network fault must never take the kiosk down
            log.exception("%s failed", what)
            result = failed(exc)
        delivery.arrived.emit(result)

    QThreadPool.globalInstance().start(run)


def running_jobs() -> int:
    """Jobs started whose result has not reached the GUI thread yet."""
    return len(_RUNNING)
