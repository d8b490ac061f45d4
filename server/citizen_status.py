"""The citizen's status at the department server: what the status page (``GET /status``, server/status_page) shows
for a tracking number and access code, and the citizen's answer when an officer asked for more information.

Qt-free; the only thing the page calls. The kiosk's rules (kiosk/lookup.py, docs/lookup.md) hold here too, with the
wrong codes counted in the database so every worker process and machine shares them.
"""

from __future__ import annotations

from datetime import datetime

from kiosk.config import Config
from kiosk.lookup import CitizenStatus
from kiosk.messages import Problem
from server.db import ServerDatabase

__all__ = ["CitizenStatus", "StatusLocked", "StatusRefused", "answer", "check", "report_language", "server_secret"]


class StatusRefused(Exception):
    """The look-up (or the answer) was refused; ``problem`` names the field and the message code (kiosk.messages)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


class StatusLocked(StatusRefused):
    """Too many wrong access codes (for this tracking number, or from this client): look-ups are paused for
    ``minutes`` more minutes. Field ``access_code``, code ``lookup.locked``."""

    def __init__(self, minutes: int) -> None:
        super().__init__(Problem("access_code", "lookup.locked", {"minutes": minutes}))
        self.minutes = minutes


def check(database: ServerDatabase, config: Config, tracking_text: str, code_text: str, *, client: str,
          now: datetime) -> CitizenStatus:
    """The status of the report for the tracking number and access code as typed. ``client``: the visitor's
    address (never stored as such). Raises StatusRefused (StatusLocked)."""
    raise NotImplementedError


def answer(database: ServerDatabase, config: Config, tracking_text: str, code_text: str, text: str, *, client: str,
           now: datetime) -> CitizenStatus:
    """Store the citizen's answer (a ``supplemented`` event made at the server, actor ``citizen:web``); the same
    checks as :func:`check` come first. Raises StatusRefused (StatusLocked)."""
    raise NotImplementedError


def report_language(database: ServerDatabase, tracking_text: str) -> str | None:
    """The report's own language (from the report body as the kiosk sent it), or None when the tracking number is
    malformed or unknown. Tells nothing the look-up itself would not: call it only after a successful check."""
    raise NotImplementedError


def server_secret(database: ServerDatabase) -> bytes:
    """The server's random secret (made by the migration; the same for every worker), for keyed hashes."""
    raise NotImplementedError
