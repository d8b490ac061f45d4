"""The report lifecycle, in one place:

    submitted → in_review → approved | rejected, with needs_info ⇄ in_review in between.

- An officer opening a ``submitted`` report starts its review (``submitted → in_review``, event ``review_started``).
- An officer decides a report that is ``submitted``, ``in_review`` or ``needs_info``: approve, request more
  information (→ ``needs_info``), or reject. Deciding a ``submitted`` report (from the CLI, without opening it)
  records ``review_started`` first, so the history always shows the path above. Deciding a ``needs_info`` report
  covers the case where the citizen answered by phone (the officer notes it in the message).
- The citizen answers a ``needs_info`` report at the kiosk (a supplement): ``needs_info → in_review``.
- ``approved`` and ``rejected`` are final: nothing moves a report out of them.
"""

from __future__ import annotations

from kiosk.vocabulary import EventAction, RejectionReason, Status

STATUSES: tuple[Status, ...] = tuple(Status)
FINAL = frozenset({Status.APPROVED, Status.REJECTED})
_OPEN = frozenset({Status.SUBMITTED, Status.IN_REVIEW, Status.NEEDS_INFO})

# action -> (statuses it may start from, the status it leads to). The actions are history events' names, a vocabulary
# of their own (two of them are spelt like the statuses they lead to).
TRANSITIONS: dict[str, tuple[frozenset[Status], Status]] = {
    EventAction.REVIEW_STARTED: (frozenset({Status.SUBMITTED}), Status.IN_REVIEW),
    EventAction.APPROVED: (_OPEN, Status.APPROVED),
    EventAction.INFO_REQUESTED: (_OPEN, Status.NEEDS_INFO),
    EventAction.REJECTED: (_OPEN, Status.REJECTED),
    EventAction.SUPPLEMENTED: (frozenset({Status.NEEDS_INFO}), Status.IN_REVIEW),
}

OFFICER_DECISIONS = (EventAction.APPROVED, EventAction.INFO_REQUESTED, EventAction.REJECTED)

# Why an officer may reject a report (the seed's list, plus "other" with the officer's own words).
REJECT_REASONS: tuple[RejectionReason, ...] = tuple(RejectionReason)


def can(action: str, status: str) -> bool:
    """Whether ``action`` may be taken on a report whose status is ``status``."""
    starts, _ = TRANSITIONS[action]
    return status in starts


def next_status(action: str, status: str) -> str:
    """The status after ``action``; ValueError when the action is not allowed from ``status``."""
    starts, target = TRANSITIONS[action]
    if status not in starts:
        raise ValueError(f"{action} is not allowed on a report that is {status}")
    return target


def decisions_allowed(status: str) -> tuple[str, ...]:
    return tuple(action for action in OFFICER_DECISIONS if can(action, status))
