"""The report service's refusals, in a module of their own so that the command line can name them without
importing the service (and what it imports) before it is needed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.storage.errors import StoreError

if TYPE_CHECKING:
    from kiosk.messages import Problem

__all__ = ["ReportNotFound", "ReportRejected", "StoreError"]


class ReportRejected(Exception):
    """The report broke one or more rules; nothing was stored."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


class ReportNotFound(Exception):
    pass
