"""The printer's line of ``p2c-kiosk doctor`` (kiosk.cli_doctor loads it from the ``p2c_kiosk.doctor`` entry point
``printer``): the CUPS queue's state, the printer's ``printer-state-reasons`` (printing.printer_state), and whether
the queue's last job really completed.

- fault: the queue is missing or stopped, CUPS does not answer, or the printer says it is out of paper, jammed, open,
  offline or out of ink: no receipt can come out now;
- warning: paper or ink low, another warning from the printer, or the last job was cancelled or aborted (a receipt
  that did not come out; the kiosk kept it in its spool folder);
- ok: ready (or no printer set up: the kiosk then shows the numbers on screen only, by configuration).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.doctor import Finding, Level
from printing import ipp
from printing.ipp import IppClient, IppError
from printing.printer_state import Problem
from printing.readiness import READINESS_TIMEOUT, printer_readiness

if TYPE_CHECKING:
    from kiosk.home import Kiosk

CHECK = "printer"
_JOB_GROUP = 0x02  # job-attributes-tag: one group per job in a Get-Jobs answer
_ENDED = {ipp.JOB_COMPLETED: "completed", ipp.JOB_CANCELED: "was cancelled", ipp.JOB_ABORTED: "was aborted"}


def check_printer(kiosk: Kiosk) -> Finding:
    """The doctor's printer line for ``kiosk``'s receipt printer (its ``[printer] name``)."""
    return check_queue(kiosk.config.printer.name)


def check_queue(queue: str, client: IppClient | None = None) -> Finding:
    """The doctor's printer line for the CUPS queue ``queue`` ("" when the kiosk has no printer)."""
    client = client or IppClient(timeout=READINESS_TIMEOUT)
    readiness = printer_readiness(queue, client)
    if readiness.problem is Problem.NO_PRINTER:
        return Finding(CHECK, Level.OK, "none set up: receipts are shown on screen only", readiness.todo)
    if not readiness.can_print:
        return Finding(CHECK, Level.FAULT, f"{queue}: {readiness.says}", readiness.todo)
    last = _last_job(client, queue)
    if readiness.problems:
        return Finding(CHECK, Level.WARNING, f"{queue}: {readiness.says}{last.words}", readiness.todo)
    if last.failed:
        return Finding(CHECK, Level.WARNING, f"{queue}: ready{last.words}",
                       "look at the printer (paper, jam, cover); a receipt that did not come out is kept in the "
                       "kiosk's spool folder for the desk")
    return Finding(CHECK, Level.OK, f"{queue}: ready{last.words}")


@dataclass(frozen=True)
class _LastJob:
    words: str = ""  # "; its last job (12) completed", to follow the printer's state
    failed: bool = False  # cancelled or aborted


def _last_job(client: IppClient, queue: str) -> _LastJob:
    """The queue's newest ended job: completed, cancelled or aborted (CUPS keeps a history of ended jobs)."""
    try:
        answer = client.jobs(queue, "completed", ("job-id", "job-state"))
    except IppError:
        return _LastJob()
    jobs = [(group["job-id"][0], group["job-state"][0]) for tag, group in answer.groups
            if tag == _JOB_GROUP and group.get("job-id") and group.get("job-state")]
    numbered = [(job_id, state) for job_id, state in jobs if isinstance(job_id, int) and isinstance(state, int)]
    if not answer.ok or not numbered:
        return _LastJob("; no job has ended on it yet" if answer.ok else "")
    job_id, state = max(numbered)
    ended = _ENDED.get(state, f"ended in state {state}")
    return _LastJob(f"; its last job ({job_id}) {ended}", state != ipp.JOB_COMPLETED)
