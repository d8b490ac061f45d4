"""Work that may block (printing) run off the UI thread; the result comes back on the UI thread by signal."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QThreadPool, Signal

log = logging.getLogger(__name__)

_RUNNING: set[BackgroundJob] = set()  # kept alive here: the screen that started a job may be gone when it ends


class BackgroundJob(QObject):
    """Runs ``work()`` on the thread pool; ``finished(result)`` or ``failed(message)`` arrives on the UI thread."""

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, work: Callable[[], object], what: str) -> None:
        super().__init__()
        self._work = work
        self._what = what

    def start(self) -> None:
        _RUNNING.add(self)
        self.finished.connect(self._forget)
        self.failed.connect(self._forget)
        QThreadPool.globalInstance().start(self._run)

    def _run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:  # a printer fault must never take officer mode down
            log.exception("%s failed", self._what)
            self.failed.emit(type(exc).__name__)
            return
        self.finished.emit(result)

    def _forget(self, _result: object) -> None:
        _RUNNING.discard(self)


def running_jobs() -> int:
    return len(_RUNNING)
