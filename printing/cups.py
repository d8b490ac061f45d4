"""Sending a PDF to a CUPS printer and learning whether it came out.

The job goes in with ``lp`` (so it honours ``CUPS_SERVER``, ``client.conf`` and the system's authentication like
any other print job) and is cancelled with ``cancel``; the printer's and the job's states are read from the
scheduler over IPP (:mod:`printing.ipp`), because ``lpstat`` cannot tell a completed job from a cancelled or
aborted one and words its output for people.

"Completed" is what CUPS knows: the printer's backend took the whole job. A receipt that jams after that is not
seen here; a printer that reports itself out of paper, offline or stopped is.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from printing import ipp
from printing.ipp import IppClient, IppError

log = logging.getLogger(__name__)

_PRINTER_ATTRIBUTES = ("printer-state", "printer-state-reasons", "printer-is-accepting-jobs", "printer-state-message")
_JOB_ATTRIBUTES = ("job-state", "job-state-reasons")
# printer-state-reasons that mean nothing will come out until someone acts (RFC 8011 5.4.12; the "-error" suffix is
# the severity; a "-warning" such as media-low or cups-missing-filter does not stop a job).
_BLOCKING_REASONS = frozenset({
    "media-empty", "media-needed", "media-jam", "paused", "offline", "shutdown", "stopped", "door-open", "cover-open",
    "input-tray-missing", "output-area-full", "marker-supply-empty", "toner-empty", "spool-area-full",
})
_REQUEST_ID = re.compile(r"request id is (\S+)-(\d+)")


@dataclass(frozen=True)
class PrinterStatus:
    """A printer as the scheduler sees it; ``exists`` False when there is no such queue."""

    exists: bool
    state: int | None = None
    accepting: bool = False
    reasons: tuple[str, ...] = ()

    @property
    def stopped(self) -> bool:
        """Paused or disabled, not accepting jobs, or reporting out of paper, offline, a jam or an open cover."""
        return (self.state == ipp.PRINTER_STOPPED or not self.accepting
                or any(_blocking(reason) for reason in self.reasons))


@dataclass(frozen=True)
class DispatchResult:
    """What happened to one job. ``reason`` is one of kiosk.receipts.REASONS when ``printed`` is False; ``detail``
    says why in a few words for the log (never anything a citizen typed)."""

    printed: bool
    reason: str | None = None
    detail: str = ""
    job_id: int | None = None


class Dispatcher(Protocol):
    def print_pdf(self, pdf: Path, printer: str, media: str, title: str, timeout: float) -> DispatchResult:
        """Print ``pdf`` on ``printer`` and wait at most ``timeout`` seconds for the job to complete."""


class CupsDispatcher:
    """Prints through the CUPS scheduler: ``lp`` and ``cancel`` for the job, IPP for the states."""

    def __init__(self, client: IppClient | None = None, poll_interval: float = 0.2,
                 monotonic: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        self._ipp = client or IppClient()
        self._poll = poll_interval
        self._monotonic = monotonic
        self._sleep = sleep

    def printer_status(self, printer: str) -> PrinterStatus:
        """The printer's state; raises IppError when no scheduler answers."""
        answer = self._ipp.printer_attributes(printer, _PRINTER_ATTRIBUTES)
        if answer.status == ipp.STATUS_NOT_FOUND:
            return PrinterStatus(exists=False)
        if not answer.ok:
            raise IppError(f"the print system answered status 0x{answer.status:04x} about the printer")
        reasons = tuple(str(r) for r in answer.attributes.get("printer-state-reasons", []) if r != "none")
        return PrinterStatus(exists=True, state=answer.integer("printer-state"),
                             accepting=bool(answer.first("printer-is-accepting-jobs", False)), reasons=reasons)

    def print_pdf(self, pdf: Path, printer: str, media: str, title: str, timeout: float) -> DispatchResult:
        deadline = self._monotonic() + timeout
        try:
            status = self.printer_status(printer)
        except IppError as exc:
            return DispatchResult(False, "printer_missing", f"no print system: {exc}")
        if not status.exists:
            return DispatchResult(False, "printer_missing", f"no printer named {printer!r}")
        if status.stopped:
            return DispatchResult(False, "printer_stopped", _describe(status))

        submitted = self._submit(pdf, printer, media, title, timeout)
        if isinstance(submitted, DispatchResult):
            return submitted
        job_id = submitted
        while True:
            try:
                job = self._ipp.job_attributes(job_id, _JOB_ATTRIBUTES)
                state = job.integer("job-state") if job.ok else None
            except IppError as exc:
                log.warning("printer %s job %s: cannot read the job's state: %s", printer, job_id, exc)
                state = None
            if state == ipp.JOB_COMPLETED:
                return DispatchResult(True, None, "completed", job_id)
            if state in (ipp.JOB_CANCELED, ipp.JOB_ABORTED):
                how = "cancelled" if state == ipp.JOB_CANCELED else "aborted"
                reasons = ",".join(str(r) for r in job.attributes.get("job-state-reasons", []))
                return DispatchResult(False, "job_failed", f"job {how} ({reasons})", job_id)
            latest = self._status_or_none(printer)
            if latest is not None and latest.exists and latest.stopped:
                self._cancel(printer, job_id)
                return DispatchResult(False, "printer_stopped", _describe(latest), job_id)
            if self._monotonic() >= deadline:
                # Never let a receipt come out later, into the next visitor's hands.
                self._cancel(printer, job_id)
                if latest is not None and latest.exists and latest.stopped:
                    return DispatchResult(False, "printer_stopped", _describe(latest), job_id)
                return DispatchResult(False, "job_failed", f"not completed within {timeout:g} s (state {state})",
                                      job_id)
            self._sleep(self._poll)

    def _submit(self, pdf: Path, printer: str, media: str, title: str, timeout: float) -> int | DispatchResult:
        command = ["lp", "-d", printer, "-t", title]
        if media:
            command += ["-o", f"media={media}"]
        command += ["--", str(pdf)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=max(timeout, 5), env=_c_locale())
        except FileNotFoundError:
            return DispatchResult(False, "printer_missing", "the lp command is missing (install cups-client)")
        except subprocess.TimeoutExpired:
            return DispatchResult(False, "job_failed", "lp did not answer")
        match = _REQUEST_ID.search(done.stdout)
        if done.returncode != 0 or match is None:
            message = (done.stderr or done.stdout).strip()[:200]
            if "does not exist" in message or "No such destination" in message:
                return DispatchResult(False, "printer_missing", f"lp: {message}")
            if "not accepting" in message:
                return DispatchResult(False, "printer_stopped", f"lp: {message}")
            return DispatchResult(False, "job_failed", f"lp failed: {message}")
        job_id = int(match.group(2))
        log.info("printer %s: job %s submitted (%s)", printer, job_id, media or "default media")
        return job_id

    def _cancel(self, printer: str, job_id: int) -> None:
        try:
            done = subprocess.run(["cancel", f"{printer}-{job_id}"], capture_output=True, text=True, timeout=10,
                                  env=_c_locale())
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.error("printer %s: could not cancel job %s: %s", printer, job_id, exc)
            return
        if done.returncode != 0:
            log.error("printer %s: could not cancel job %s: %s", printer, job_id, done.stderr.strip()[:200])
        else:
            log.info("printer %s: job %s cancelled", printer, job_id)

    def _status_or_none(self, printer: str) -> PrinterStatus | None:
        try:
            return self.printer_status(printer)
        except IppError:
            return None


def _blocking(reason: str) -> bool:
    if reason.endswith("-warning"):
        return False
    base = re.sub(r"-(error|report)$", "", reason)
    return base in _BLOCKING_REASONS or reason.endswith("-error")


def _describe(status: PrinterStatus) -> str:
    parts = []
    if status.state == ipp.PRINTER_STOPPED:
        parts.append("stopped")
    if not status.accepting:
        parts.append("not accepting jobs")
    parts += [reason for reason in status.reasons if _blocking(reason)]
    return ", ".join(parts) or "stopped"


def _c_locale() -> dict[str, str]:
    """The environment with messages in plain C, so that lp's answers can be read."""
    return {**os.environ, "LC_ALL": "C", "LANG": "C"}
