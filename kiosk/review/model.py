"""The plain data the review part hands to screens and the CLI, and its two refusals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from kiosk.lifecycle import REJECT_REASONS as REJECT_REASONS  # re-exported for the review's callers
from kiosk.messages import Problem
from kiosk.nibrs import NibrsSuggestion
from kiosk.report_document import StoredReport
from kiosk.tracking import TrackingNumber, TrackingNumberError
from kiosk.translation import SOURCE_LANGUAGE

if TYPE_CHECKING:
    from kiosk.notices.outbox import NoticeStatus
    from kiosk.sync.order import Overruled

DUPLICATE_REASONS = ("same_person", "same_home_address", "same_location", "same_serial")


@dataclass(frozen=True)
class QueueFilter:
    """What the queue shows. Dates are local (the kiosk's time zone) and inclusive. ``search`` is a tracking number
    (that one report) or text: words of the reporter's name, each matched as the start of a name word ("lop mar" finds
    "María López"). What an officer types is read into one of them by :func:`read_search`."""

    statuses: tuple[str, ...] = ()
    category: str | None = None
    submitted_from: date | None = None
    submitted_to: date | None = None
    search: TrackingNumber | str = ""


def read_search(text: str) -> TrackingNumber | str:
    """What an officer typed in the queue's search (the screen's search box, ``p2c-kiosk queue --search``): the
    tracking number it spells (any spelling :meth:`TrackingNumber.parse` reads), else the text itself, trimmed, for
    the name words. The one place the search is parsed."""
    text = (text or "").strip()
    if any(ch.isdigit() for ch in text):
        try:
            return TrackingNumber.parse(text)
        except TrackingNumberError:
            pass
    return text


@dataclass(frozen=True)
class QueueRow:
    key: tuple[str, int]  # (submitted_at as stored, in UTC; report id): where the next page starts
    tracking_number: TrackingNumber
    submitted_at: datetime  # aware, in the kiosk's time zone
    category: str
    location: str
    status: str
    reporter_name: str
    age: timedelta
    official_number: str | None = None  # None for an approval whose number the department server has not yet given


@dataclass(frozen=True)
class PossibleDuplicate:
    tracking_number: TrackingNumber
    submitted_at: datetime  # aware, local
    status: str
    category: str
    reasons: tuple[str, ...]  # from DUPLICATE_REASONS, in that order


@dataclass(frozen=True)
class ReportDetail:
    report: StoredReport  # as ReportService.get
    version: int  # id of the newest history event: pass it back as expected_version
    items_total: Decimal
    duplicates: list[PossibleDuplicate]
    nibrs: NibrsSuggestion
    notices: list[NoticeStatus]
    contact: str  # an e-mail address, or "call the citizen" text
    decisions: tuple[str, ...]  # lifecycle.decisions_allowed(status)
    # Status changes made at this kiosk that the department server's order did not keep, each with the one that took
    # its place (kiosk.sync.order; empty at a standalone kiosk).
    overruled: tuple[Overruled, ...] = ()

    @property
    def tracking_number(self) -> TrackingNumber:
        return self.report["tracking_number"]


@dataclass(frozen=True)
class Decision:
    tracking_number: TrackingNumber
    status: str
    official_number: str | None = None


@dataclass(frozen=True)
class DecisionNote:
    """The parts of a decision's history message (see :func:`kiosk.review.notes.parse_note`)."""

    text: str = ""  # the question (info_requested) or the officer's message (rejected, approved)
    phone_note: str = ""
    duplicate_of: str = ""
    next_steps: str = ""


class ReviewConflict(Exception):
    """Another officer (or the citizen) acted first, or the report's status no longer allows the action. Nothing
    was stored; ``problem`` says who did what and when."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.render(SOURCE_LANGUAGE))
        self.problem = problem


class ReviewInputError(Exception):
    """The action's input is incomplete or wrong; each problem names its field. Nothing was stored."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems

