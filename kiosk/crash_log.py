"""What the kiosk leaves in its log when something goes wrong that no code expected.

- :class:`FaultTracingLogHandler`: the rotating log file, with Python's ``faulthandler`` writing into it, so a native
  crash (a segmentation fault inside Qt, say) leaves the Python stack of every thread in ``logs/kiosk.log``. After each
  rotation the fault trace follows the new file.
- :func:`log_uncaught_exceptions`: a ``sys.excepthook`` that logs an exception nobody caught (PySide6 hands it one when
  a Python override of a Qt virtual method or a slot raises) once per place it was raised, at ERROR, and lets the
  program carry on. Later repeats of the same one are counted, not logged again in full. The exception's message is
  not logged: it may quote what a visitor typed; its type and the stack say where to look.
- A line the log file cannot take (a full disk, a removed folder) is dropped and counted, never reported on stderr:
  Python's own "--- Logging error ---" dump would reach the terminal of whoever ran the command, or the kiosk's
  console. :func:`log_write_failures` says how many were dropped and why, for ``doctor`` and status lines.
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import os
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from io import TextIOWrapper
from types import TracebackType

log = logging.getLogger(__name__)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


class FaultTracingLogHandler(logging.handlers.RotatingFileHandler):
    """A RotatingFileHandler whose open file also receives ``faulthandler``'s trace of a fatal error."""

    _tracing: FaultTracingLogHandler | None = None  # the one handler whose file faulthandler writes into

    def _open(self) -> TextIOWrapper:
        stream = super()._open()
        if os.fstat(stream.fileno()).st_mode & 0o077:  # owner only, whatever the umask (kiosk.file_modes)
            os.fchmod(stream.fileno(), 0o600)
        faulthandler.enable(file=stream, all_threads=True)
        FaultTracingLogHandler._tracing = self
        return stream

    def handleError(self, record: logging.LogRecord) -> None:
        """Count a line the file could not take instead of dumping the error and the stack on stderr."""
        _failures.note(sys.exc_info()[1])

    def close(self) -> None:
        if FaultTracingLogHandler._tracing is self:
            faulthandler.disable()  # never leave faulthandler writing into a closed file descriptor
            FaultTracingLogHandler._tracing = None
        super().close()


@dataclass(frozen=True)
class LogWriteFailures:
    """Lines this process could not write to its log file: how many, and the last reason (None: none failed)."""

    count: int
    last_error: str | None


class _FailureCount:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._count = 0
        self._last: str | None = None

    def note(self, error: BaseException | None) -> None:
        reason = "unknown error" if error is None else (
            error.strerror if isinstance(error, OSError) and error.strerror else type(error).__name__)
        with self._lock:
            self._count += 1
            self._last = reason

    def read(self) -> LogWriteFailures:
        with self._lock:
            return LogWriteFailures(self._count, self._last)


_failures = _FailureCount()


def log_write_failures() -> LogWriteFailures:
    """How many log lines this process could not write to its log file, and why the last one failed (for
    ``doctor`` and status: "the log cannot be written")."""
    return _failures.read()


class _OncePerPlace:
    """The exception hook: the first time an exception of a kind is raised at a place, log it with its stack."""

    def __init__(self, logger: logging.Logger) -> None:
        self._logger = logger
        self._seen: dict[tuple[str, tuple[tuple[str, int], ...]], int] = {}
        self._lock = threading.Lock()

    def __call__(self, kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        frames = traceback.extract_tb(tb)
        place = (kind.__qualname__, tuple((frame.filename, frame.lineno or 0) for frame in frames[-3:]))
        with self._lock:
            count = self._seen.get(place, 0) + 1
            self._seen[place] = count
        if count == 1:
            stack = "".join(traceback.format_list(frames)).rstrip()
            self._logger.error("uncaught %s (the kiosk carries on); its message is left out of the log:\n%s",
                               kind.__qualname__, stack)
        elif count in (10, 100, 1000) or count % 10_000 == 0:
            self._logger.error("uncaught %s at the same place again: %d times so far", kind.__qualname__, count)


def log_uncaught_exceptions(logger: logging.Logger | None = None) -> ExceptHook:
    """Install the once-per-place exception hook; returns the hook it replaced."""
    previous = sys.excepthook
    sys.excepthook = _OncePerPlace(logger or log)
    return previous
