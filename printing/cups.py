"""Sending a PDF to a CUPS printer and learning whether it came out.

The job goes in with ``lp`` (so it honours ``CUPS_SERVER``, ``client.conf`` and the system's authentication like
any other print job) and is cancelled with ``cancel``; the printer's and the job's states are read from the
scheduler over IPP (:mod:`printing.ipp`), because ``lpstat`` cannot tell a completed job from a cancelled or
aborted one and words its output for people.

A job counts as printed only when CUPS says it completed and the printer does not say, at that moment, that it is
out of paper, jammed, open or offline: CUPS's ``ipp`` backend marks completed some jobs that the printer itself
aborted (seen here with ippeveprinter: about one job in three on a fresh printer, most of them once its cover is
open), and a printer that reports such a fault when the job ends has not printed a whole receipt. The backend
replaces the queue's old words with the printer's own while it sends the job, so a fault cleared since (paper
loaded) is gone by the time the job completes.

While the job is pending the printer's words are read with it, and a fault it reports ends the wait at once (the job
is cancelled, so that the receipt never comes out later, into the next visitor's hands). A fault that the queue
already showed before the job was sent may be an old one that this job's backend has not replaced yet (CUPS keeps a
printer's last words until a job makes it speak again), so it stops a pending job only once the backend has spoken
(``cups-waiting-for-job-completed``) or the fault has lasted :data:`STALE_FAULT_SECONDS`. A stopped queue stops it
at once; it is also the only state that keeps a job from being sent at all (an old "out of paper" must not keep
every later receipt from trying). Every fault is thus known within about two and a half seconds, inside the five the
kiosk promises.
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
from printing.printer_state import Found, describe, problems_of

log = logging.getLogger(__name__)

_PRINTER_ATTRIBUTES = ("printer-state", "printer-state-reasons", "printer-is-accepting-jobs", "printer-state-message")
_JOB_ATTRIBUTES = ("job-state", "job-state-reasons")
# A fault the queue showed before the job was sent stops the job once it has lasted this long (it may be stale).
STALE_FAULT_SECONDS = 2.0
# CUPS's ipp backend says this once it has sent the job and waits for the printer to finish it; by then it has put the
# printer's own current words in place of the queue's old ones, so every fault shown is the printer's now.
_BACKEND_WAITING = "cups-waiting-for-job-completed"
_REQUEST_ID = re.compile(r"request id is (\S+)-(\d+)")


@dataclass(frozen=True)
class PrinterStatus:
    """A printer as the scheduler sees it; ``exists`` False when there is no such queue."""

    exists: bool
    state: int | None = None
    accepting: bool = False
    reasons: tuple[str, ...] = ()

    @property
    def queue_stopped(self) -> bool:
        """The queue itself takes no job now: paused or disabled (cupsdisable), or not accepting (cupsreject)."""
        return self.state == ipp.PRINTER_STOPPED or not self.accepting

    @property
    def problems(self) -> list[Found]:
        """Everything to fix, faults and warnings, in the order to fix them (printing.printer_state)."""
        return problems_of(self.reasons, queue_stopped=self.state == ipp.PRINTER_STOPPED, accepting=self.accepting)

    @property
    def faults(self) -> list[Found]:
        return [found for found in self.problems if found.problem.fault]

    @property
    def stopped(self) -> bool:
        """No receipt can come out now: the queue is stopped, or the printer says it is out of paper, jammed, open,
        offline or out of ink (at any severity)."""
        return bool(self.faults)


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
        return printer_status(self._ipp, printer)

    def print_pdf(self, pdf: Path, printer: str, media: str, title: str, timeout: float) -> DispatchResult:
        deadline = self._monotonic() + timeout
        try:
            status = self.printer_status(printer)
        except IppError as exc:
            return DispatchResult(False, "printer_missing", f"no print system: {exc}")
        if not status.exists:
            return DispatchResult(False, "printer_missing", f"no printer named {printer!r}")
        if status.queue_stopped:
            return DispatchResult(False, "printer_stopped", describe(status.faults))

        submitted = self._submit(pdf, printer, media, title, timeout)
        if isinstance(submitted, DispatchResult):
            return submitted
        job_id = submitted
        sent_at = self._monotonic()
        before = frozenset(status.reasons)
        while True:
            try:
                job = self._ipp.job_attributes(job_id, _JOB_ATTRIBUTES)
                state = job.integer("job-state") if job.ok else None
            except IppError as exc:
                log.warning("printer %s job %s: cannot read the job's state: %s", printer, job_id, exc)
                state = None
            latest = self._status_or_none(printer)
            if state == ipp.JOB_COMPLETED:
                faults = _faults(latest, before, old_ones_too=True)
                if faults:  # CUPS says completed, the printer says the paper did not come out
                    return DispatchResult(False, "printer_stopped", f"job completed, but {describe(faults)}", job_id)
                return DispatchResult(True, None, "completed", job_id)
            if state in (ipp.JOB_CANCELED, ipp.JOB_ABORTED):
                how = "cancelled" if state == ipp.JOB_CANCELED else "aborted"
                faults = _faults(latest, before, old_ones_too=True)
                if faults:
                    return DispatchResult(False, "printer_stopped", f"job {how}: {describe(faults)}", job_id)
                reasons = ",".join(str(r) for r in job.attributes.get("job-state-reasons", []))
                return DispatchResult(False, "job_failed", f"job {how} ({reasons})", job_id)
            spoke = latest is not None and _BACKEND_WAITING in latest.reasons
            faults = _faults(latest, before, old_ones_too=spoke or self._monotonic() - sent_at >= STALE_FAULT_SECONDS)
            if faults:
                self._cancel(printer, job_id)
                return DispatchResult(False, "printer_stopped", describe(faults), job_id)
            if self._monotonic() >= deadline:
                # Never let a receipt come out later, into the next visitor's hands.
                self._cancel(printer, job_id)
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
        if done.returncode != 0 and "already" in done.stderr:  # it ended meanwhile ("is already canceled")
            log.info("printer %s: job %s had already ended", printer, job_id)
        elif done.returncode != 0:
            log.error("printer %s: could not cancel job %s: %s", printer, job_id, done.stderr.strip()[:200])
        else:
            log.info("printer %s: job %s cancelled", printer, job_id)

    def _status_or_none(self, printer: str) -> PrinterStatus | None:
        try:
            return self.printer_status(printer)
        except IppError:
            return None


def printer_status(client: IppClient, printer: str) -> PrinterStatus:
    """The queue ``printer``'s state as ``client``'s scheduler knows it; raises IppError when no scheduler answers."""
    answer = client.printer_attributes(printer, _PRINTER_ATTRIBUTES)
    if answer.status == ipp.STATUS_NOT_FOUND:
        return PrinterStatus(exists=False)
    if not answer.ok:
        raise IppError(f"the print system answered status 0x{answer.status:04x} about the printer")
    reasons = tuple(str(r) for r in answer.attributes.get("printer-state-reasons", []) if r != "none")
    return PrinterStatus(exists=True, state=answer.integer("printer-state"),
                         accepting=bool(answer.first("printer-is-accepting-jobs", False)), reasons=reasons)


def _faults(status: PrinterStatus | None, before: frozenset[str], *, old_ones_too: bool) -> list[Found]:
    """The faults that the printer reports now about the job just sent: a stopped queue, and every fault said by a
    printer-state-reasons value that was not there when the job was sent (or, with ``old_ones_too``, any)."""
    if status is None or not status.exists:
        return []
    fresh = [reason for reason in status.reasons if old_ones_too or reason not in before]
    found = problems_of(fresh, queue_stopped=status.state == ipp.PRINTER_STOPPED, accepting=status.accepting)
    return [item for item in found if item.problem.fault]


def _c_locale() -> dict[str, str]:
    """The environment with messages in plain C, so that lp's answers can be read."""
    return {**os.environ, "LC_ALL": "C", "LANG": "C"}
