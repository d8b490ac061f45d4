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

STATUSES = ("submitted", "in_review", "needs_info", "approved", "rejected")
FINAL = frozenset({"approved", "rejected"})

# action -> (statuses it may start from, the status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "review_started": (frozenset({"submitted"}), "in_review"),
    "approved": (frozenset({"submitted", "in_review", "needs_info"}), "approved"),
    "info_requested": (frozenset({"submitted", "in_review", "needs_info"}), "needs_info"),
    "rejected": (frozenset({"submitted", "in_review", "needs_info"}), "rejected"),
    "supplemented": (frozenset({"needs_info"}), "in_review"),
}

OFFICER_DECISIONS = ("approved", "info_requested", "rejected")

# Why an officer may reject a report (the seed's list, plus "other" with the officer's own words).
REJECT_REASONS = ("duplicate", "wrong_offense_type", "outside_city", "suspect_or_evidence", "not_eligible", "other")


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
