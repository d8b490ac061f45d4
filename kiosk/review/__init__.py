"""Officer mode's review: the queue, a report's detail (possible duplicates, the suggested NIBRS code, the notices)
and the decisions (approve, request more information, reject), with the reprint of a receipt and the printed copy.

Qt-free; the screens (``ui/officer``) and ``p2c-kiosk review`` / ``p2c-kiosk queue`` call :class:`ReviewService`.
See docs/review.md.
"""

from kiosk.lifecycle import REJECT_REASONS
from kiosk.nibrs import NibrsSuggestion
from kiosk.reports import ReportNotFound
from kiosk.review.duplicates import find_duplicates
from kiosk.review.model import (
    DUPLICATE_REASONS,
    Decision,
    DecisionNote,
    PossibleDuplicate,
    QueueFilter,
    QueueRow,
    ReportDetail,
    ReviewConflict,
    ReviewInputError,
)
from kiosk.review.notes import parse_note
from kiosk.review.service import ReviewService, contact_text, default_next_steps, items_total
from kiosk.rules.fields import display_phone
from kiosk.tracking import TrackingNumberError

__all__ = [
    "DUPLICATE_REASONS",
    "REJECT_REASONS",
    "Decision",
    "DecisionNote",
    "NibrsSuggestion",
    "PossibleDuplicate",
    "QueueFilter",
    "QueueRow",
    "ReportDetail",
    "ReportNotFound",
    "ReviewConflict",
    "ReviewInputError",
    "ReviewService",
    "TrackingNumberError",
    "contact_text",
    "default_next_steps",
    "display_phone",
    "find_duplicates",
    "items_total",
    "parse_note",
]
