"""Whether the kiosk's receipt printer can print right now, for the welcome page, the service's status line and the
heartbeat: one Get-Printer-Attributes to the local CUPS scheduler (a few milliseconds; at most
:data:`READINESS_TIMEOUT` when the scheduler hangs), no Qt, nothing printed.

What it knows is what CUPS knows: a queue's last words about its printer stay until a job makes the printer speak
again, so a printer whose paper was just loaded can still read "out of paper" until the next receipt prints (the
kiosk keeps trying every receipt: printing.cups does not let an old fault stop a job by itself).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from printing.cups import printer_status
from printing.ipp import IppClient, IppError
from printing.printer_state import Found, Problem, describe, todo

if TYPE_CHECKING:
    from kiosk.home import Kiosk

READINESS_TIMEOUT = 1.0  # seconds


@dataclass(frozen=True)
class Readiness:
    """A receipt printer now: whether a receipt can be printed (``can_print``), and what is wrong or low, in the order
    to fix it (faults first; warnings such as paper low do not stop printing).

    ``says`` and ``todo`` are English for the desk and the log ("out of paper (media-empty-error)", "load a new roll
    of receipt paper"); a screen shows its own translated words, chosen by ``can_print`` and :attr:`problem`."""

    queue: str
    can_print: bool
    problems: tuple[Problem, ...] = ()
    says: str = "ready"
    todo: str = ""

    @property
    def problem(self) -> Problem | None:
        """The first thing to fix, or None when all is well."""
        return self.problems[0] if self.problems else None

    @property
    def status(self) -> str:
        """One phrase for the service's STATUS= line and the heartbeat: "printer: ready", "printer: out of paper",
        "printer: paper low"."""
        return f"printer: {self.problem.says if self.problem else 'ready'}"


def printer_readiness(queue: str, client: IppClient | None = None) -> Readiness:
    """The readiness of the CUPS queue ``queue`` ("" when the kiosk has no printer). Never raises."""
    if not queue:
        return _of(queue, [Found(Problem.NO_PRINTER, "")])
    try:
        status = printer_status(client or IppClient(timeout=READINESS_TIMEOUT), queue)
    except IppError as exc:
        return _of(queue, [Found(Problem.NO_PRINT_SYSTEM, str(exc))])
    if not status.exists:
        return _of(queue, [Found(Problem.PRINTER_MISSING, f"no queue {queue!r}")])
    return _of(queue, status.problems)


def kiosk_printer_readiness(kiosk: Kiosk) -> Readiness:
    """The readiness of the receipt printer of ``kiosk`` (its ``[printer] name``)."""
    return printer_readiness(kiosk.config.printer.name)


def _of(queue: str, found: list[Found]) -> Readiness:
    if not found:
        return Readiness(queue, True)
    return Readiness(queue, not any(item.problem.fault for item in found), tuple(item.problem for item in found),
                     describe(found), todo(found, queue))
