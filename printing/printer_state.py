"""What a printer's state means for a receipt, in one vocabulary for the print path, the doctor and the welcome page.

CUPS tells a queue's state (idle, processing, stopped), whether it accepts jobs, and the printer's
``printer-state-reasons``: keywords such as ``media-empty``, ``media-jam`` or ``cover-open``, each with a severity
suffix (RFC 8011 5.4.12: ``-error``, ``-warning``, ``-report``; none means error). The suffix cannot be trusted to say
whether paper will come out: an IPP printer relayed by CUPS's ``ipp`` backend says ``media-empty-warning`` while a
job waits for paper that never comes, and ``media-empty-report`` once it is idle (ippeveprinter words every reason
after its own state). So the keyword decides: a printer that says it is out of paper, jammed, open, offline or out of
ink, at any severity, cannot print a receipt now (a :class:`Problem` that is a fault); one that says its paper or ink
is low still can (a warning). Any other keyword counts by its suffix; CUPS's own ``cups-*`` notes and
``connecting-to-device`` are progress, not problems.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class Problem(enum.StrEnum):
    """Why a printer cannot print a receipt now (a fault), or will soon need a hand (a warning). The values are
    stable codes for logs, the service's status line and the heartbeat; :attr:`says` and :func:`todo` word them for
    the desk. In order of what to fix first."""

    NO_PRINTER = "no_printer"
    NO_PRINT_SYSTEM = "no_print_system"
    PRINTER_MISSING = "printer_missing"
    PAPER_JAM = "paper_jam"
    COVER_OPEN = "cover_open"
    PAPER_OUT = "paper_out"
    INK_OUT = "ink_out"
    OFFLINE = "offline"
    PRINTER_ERROR = "printer_error"
    STOPPED = "stopped"
    NOT_ACCEPTING = "not_accepting"
    PAPER_LOW = "paper_low"
    INK_LOW = "ink_low"
    PRINTER_WARNING = "printer_warning"

    @property
    def fault(self) -> bool:
        """True when no receipt can come out until someone acts; False for a warning."""
        return self not in _WARNINGS

    @property
    def says(self) -> str:
        """A few words for the desk and the log: "out of paper"."""
        return _SAYS[self]

    def todo(self, queue: str) -> str:
        """What the desk should do about it, for the CUPS queue ``queue``."""
        return _TODO[self].format(queue=queue)


_WARNINGS = frozenset({Problem.PAPER_LOW, Problem.INK_LOW, Problem.PRINTER_WARNING})
_SAYS = {
    Problem.NO_PRINTER: "no printer is set up",
    Problem.NO_PRINT_SYSTEM: "the print system (CUPS) does not answer",
    Problem.PRINTER_MISSING: "no such printer in CUPS",
    Problem.PAPER_JAM: "paper jam",
    Problem.COVER_OPEN: "cover open",
    Problem.PAPER_OUT: "out of paper",
    Problem.INK_OUT: "out of ink or toner",
    Problem.OFFLINE: "offline",
    Problem.PRINTER_ERROR: "printer error",
    Problem.STOPPED: "queue stopped",
    Problem.NOT_ACCEPTING: "queue not accepting jobs",
    Problem.PAPER_LOW: "paper low",
    Problem.INK_LOW: "ink or toner low",
    Problem.PRINTER_WARNING: "printer warning",
}
_TODO = {
    Problem.NO_PRINTER: "if this kiosk has a printer, set [printer] name in kiosk.toml to its queue (`lpstat -p`)",
    Problem.NO_PRINT_SYSTEM: "start it: sudo systemctl restart cups",
    Problem.PRINTER_MISSING: "add the printer in CUPS, or set [printer] name in kiosk.toml to a queue that "
                             "`lpstat -p` lists",
    Problem.PAPER_JAM: "open the printer, take out the jammed paper and close it",
    Problem.COVER_OPEN: "close the printer's cover",
    Problem.PAPER_OUT: "load a new roll of receipt paper",
    Problem.INK_OUT: "replace the ink or toner",
    Problem.OFFLINE: "check the printer's power and cable",
    Problem.PRINTER_ERROR: "look at the printer's lights or display; `lpstat -l -p {queue}` says more",
    Problem.STOPPED: "once the printer is fixed, start its queue again: sudo cupsenable {queue}",
    Problem.NOT_ACCEPTING: "let the queue take jobs again: sudo cupsaccept {queue}",
    Problem.PAPER_LOW: "have a new roll of receipt paper ready",
    Problem.INK_LOW: "order ink or toner",
    Problem.PRINTER_WARNING: "look at the printer when you can; `lpstat -l -p {queue}` says more",
}
# printer-state-reasons keywords (RFC 8011 5.4.12, PWG 5100.9), without their severity suffix.
_KEYWORDS = {
    "media-empty": Problem.PAPER_OUT,
    "media-needed": Problem.PAPER_OUT,
    "input-tray-missing": Problem.PAPER_OUT,
    "media-jam": Problem.PAPER_JAM,
    "jam": Problem.PAPER_JAM,
    "cover-open": Problem.COVER_OPEN,
    "door-open": Problem.COVER_OPEN,
    "interlock-open": Problem.COVER_OPEN,
    "marker-supply-empty": Problem.INK_OUT,
    "toner-empty": Problem.INK_OUT,
    "offline": Problem.OFFLINE,
    "shutdown": Problem.OFFLINE,
    "timed-out": Problem.OFFLINE,
    "paused": Problem.STOPPED,
    "moving-to-paused": Problem.STOPPED,
    "media-low": Problem.PAPER_LOW,
    "toner-low": Problem.INK_LOW,
    "marker-supply-low": Problem.INK_LOW,
}
_SEVERITIES = ("error", "warning", "report")
_PROGRESS = frozenset({"none", "connecting-to-device", "processing-to-stop-point"})


def split_reason(reason: str) -> tuple[str, str]:
    """A printer-state-reasons value as (keyword, severity): ``media-empty-error`` -> (``media-empty``, ``error``).
    A value without a suffix is an error (RFC 8011 5.4.12)."""
    keyword, _, suffix = reason.rpartition("-")
    if keyword and suffix in _SEVERITIES:
        return keyword, suffix
    return reason, "error"


def problem_of(reason: str) -> Problem | None:
    """What one printer-state-reasons value means for a receipt, or None when it means nothing to fix."""
    keyword, severity = split_reason(reason)
    known = _KEYWORDS.get(keyword)
    if known is not None:
        return known
    if keyword in _PROGRESS or keyword.startswith("cups-"):
        return None
    if severity == "error":
        return Problem.PRINTER_ERROR
    if severity == "warning":
        return Problem.PRINTER_WARNING
    return None


@dataclass(frozen=True)
class Found:
    """One problem and what said it: the printer-state-reasons value, or the queue's state ("stopped")."""

    problem: Problem
    source: str


def problems_of(reasons: Iterable[str], *, queue_stopped: bool = False, accepting: bool = True) -> list[Found]:
    """Every problem of a printer in the order to fix them (one entry per problem: the first value that said it)."""
    found: dict[Problem, str] = {}
    for reason in reasons:
        problem = problem_of(reason)
        if problem is not None:
            found.setdefault(problem, reason)
    if queue_stopped:
        found.setdefault(Problem.STOPPED, "printer-state stopped")
    if not accepting:
        found.setdefault(Problem.NOT_ACCEPTING, "printer-is-accepting-jobs false")
    order = list(Problem)
    return [Found(problem, source) for problem, source in sorted(found.items(), key=lambda item: order.index(item[0]))]


def describe(found: Iterable[Found]) -> str:
    """The problems in a few words for a log line: "out of paper (media-empty-error), queue stopped"."""
    return ", ".join(f"{item.problem.says} ({item.source})" if item.source and not item.source.startswith("printer-")
                     else item.problem.says for item in found)


def todo(found: Iterable[Found], queue: str) -> str:
    """What the desk should do about all of them, in order, in one line."""
    steps: list[str] = []
    for item in found:
        step = item.problem.todo(queue)
        if step not in steps:
            steps.append(step)
    return "; ".join(steps)
