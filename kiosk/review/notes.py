"""How a decision's texts are kept in the ``message`` of its history event, readable as they are (the report copy
prints them) and read back by :func:`parse_note` (the citizen's status look-up shows the question and the next
steps).

- ``info_requested``: the question; when the officer also noted a phone call, a last paragraph
  ``Phone note: <note>``.
- ``rejected``: the officer's message (if any), then ``Duplicate of: <tracking number>`` (reason ``duplicate``),
  then ``Next steps: <text>``, paragraphs separated by one blank line.
- ``approved``: the officer's message, as typed.

The note and the next steps are kept to one paragraph (blank lines inside them are folded), so the labelled
paragraphs can always be told apart from the officer's own text before them.
"""

from __future__ import annotations

import re

from kiosk.review.model import DecisionNote
from kiosk.vocabulary import EventAction

PHONE_NOTE = "Phone note: "
DUPLICATE_OF = "Duplicate of: "
NEXT_STEPS = "Next steps: "
_BLANK_LINES = re.compile(r"\n\s*\n+")


def clean_text(text: str) -> str:
    """Line ends as ``\\n``, spaces trimmed at both ends and on each line, three or more line breaks folded."""
    lines = [line.rstrip() for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def one_paragraph(text: str) -> str:
    return _BLANK_LINES.sub("\n", clean_text(text))


def info_message(question: str, phone_note: str) -> str:
    return f"{question}\n\n{PHONE_NOTE}{phone_note}" if phone_note else question


def reject_message(message: str, duplicate_of: str, next_steps: str) -> str:
    parts = [message] if message else []
    if duplicate_of:
        parts.append(DUPLICATE_OF + duplicate_of)
    parts.append(NEXT_STEPS + next_steps)
    return "\n\n".join(parts)


def parse_note(action: str, message: str | None) -> DecisionNote:
    """The parts of the ``message`` of a history event whose action is ``action``."""
    paragraphs = (message or "").split("\n\n")
    if action == "info_requested":
        if len(paragraphs) > 1 and paragraphs[-1].startswith(PHONE_NOTE):
            return DecisionNote(text="\n\n".join(paragraphs[:-1]), phone_note=paragraphs[-1][len(PHONE_NOTE):])
        return DecisionNote(text=message or "")
    if action == EventAction.REJECTED:
        next_steps = duplicate_of = ""
        if paragraphs and paragraphs[-1].startswith(NEXT_STEPS):
            next_steps = paragraphs.pop()[len(NEXT_STEPS):]
        if paragraphs and paragraphs[-1].startswith(DUPLICATE_OF):
            duplicate_of = paragraphs.pop()[len(DUPLICATE_OF):]
        return DecisionNote(text="\n\n".join(paragraphs), duplicate_of=duplicate_of, next_steps=next_steps)
    return DecisionNote(text=message or "")
