"""The sync protocol's shared vocabulary (docs/sync-api.md): the API version, batch limits, the canonical JSON a
content hash is computed over, and kiosk event ids. The kiosk's sync engine and the reference server both use this
module, so the two can never disagree on how a report is hashed. Standard library only."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from kiosk.vocabulary import EventAction

API_VERSION = 1
API_PREFIX = "/api/v1"

# At most this many reports (or events) in one push; more is refused with 413.
MAX_BATCH = 200
# At most this many bytes in one request body; more is refused with 413.
MAX_BODY_BYTES = 8 * 1024 * 1024
# At most this many decisions in one pull page.
MAX_PULL = 500

# The history actions a kiosk pushes (kiosk.lifecycle plus "submitted" and "receipt_reprinted").
EVENT_ACTIONS: tuple[EventAction, ...] = tuple(EventAction)
# The actions the decisions feed carries (made at the server or at another station).
DECISION_ACTIONS = (EventAction.APPROVED, EventAction.INFO_REQUESTED, EventAction.REJECTED)

_EVENT_ID = re.compile(r"K(\d{2})-(\d{1,12})")
_HASH = re.compile(r"sha256:[0-9a-f]{64}")


def canonical_json(value: Any) -> bytes:
    """The bytes a content hash is computed over: UTF-8 JSON with sorted keys and no spaces."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def content_hash(value: Any) -> str:
    """``sha256:`` and the hex SHA-256 of :func:`canonical_json` of ``value``."""
    return "sha256:" + hashlib.sha256(canonical_json(value)).hexdigest()


def is_content_hash(text: str) -> bool:
    return bool(_HASH.fullmatch(text))


def event_id(kiosk_number: int, local_id: int) -> str:
    """The id a kiosk gives one of its history events on the wire: ``K01-123`` (kiosk number, local row id)."""
    return f"K{kiosk_number:02d}-{local_id}"


def parse_event_id(text: str) -> tuple[int, int] | None:
    """(kiosk number, local id) of a kiosk event id, or None when ``text`` is not one."""
    match = _EVENT_ID.fullmatch(text)
    return (int(match.group(1)), int(match.group(2))) if match else None
