"""The sync protocol's shared vocabulary (docs/sync-api.md): the API version, batch limits, the canonical JSON a
content hash is computed over, and kiosk event ids. The kiosk's sync engine and the reference server both use this
module, so the two can never disagree on how a report is hashed. Standard library only. The wire items the kiosk
sends are typed here too (:class:`ReportItem`, :class:`EventItem`), and the items of the decisions feed as the kiosk
reads them once checked (:class:`DecisionItem`)."""

# No "from __future__ import annotations": Python 3.11 reads NotRequired from evaluated annotations only.
import hashlib
import json
import re
from typing import NotRequired, TypedDict

from kiosk.report_document import ReportDocument
from kiosk.vocabulary import EventAction

API_VERSION = 1
API_PREFIX = "/api/v1"

# At most this many reports (or events) in one push; more is refused with 413.
MAX_BATCH = 200
# At most this many bytes in one request body; more is refused with 413.
MAX_BODY_BYTES = 8 * 1024 * 1024
# At most this many decisions in one pull page.
MAX_PULL = 500
# At most this many audit entries in one push (as MAX_BATCH).
MAX_AUDIT_BATCH = MAX_BATCH

# The history actions a kiosk pushes (kiosk.lifecycle plus "submitted" and "receipt_reprinted").
EVENT_ACTIONS: tuple[EventAction, ...] = tuple(EventAction)
# The actions the decisions feed carries (made at the server or at another station).
DECISION_ACTIONS = (EventAction.APPROVED, EventAction.INFO_REQUESTED, EventAction.REJECTED)
# The citizen's answer from the status page (``GET /status`` on the server): a ``supplemented`` event made at the
# server with this actor. The decisions feed carries it too, so the kiosk that holds the report gets the answer.
WEB_ANSWER_ACTOR = "citizen:web"
FEED_ACTIONS = (*DECISION_ACTIONS, EventAction.SUPPLEMENTED)
# At most this many access-code verifiers in one push (``POST /access-codes``).
MAX_ACCESS_CODE_BATCH = MAX_BATCH

_EVENT_ID = re.compile(r"K(\d{2})-(\d{1,12})")
_HASH = re.compile(r"sha256:[0-9a-f]{64}")


class ReportItem(TypedDict):
    """One report of ``POST /reports``."""

    tracking_number: str
    kiosk_number: int
    submitted_at: str  # UTC, ISO 8601, as stored
    content_hash: str  # content_hash(report)
    report: ReportDocument


class EventItem(TypedDict):
    """One history event of ``POST /events``."""

    event_id: str  # event_id(kiosk number, local id)
    tracking_number: str
    at: str  # UTC, ISO 8601, as stored
    actor: str
    action: str  # kiosk.vocabulary.EventAction
    status: str  # kiosk.vocabulary.Status
    reason_code: str | None
    message: str | None
    nibrs_code: str | None  # an approval's
    official_number: str | None  # an approval's, when the kiosk numbered it itself (while standalone)
    version: int | None  # a status change's: the report's version it was made on (kiosk.sync.order); else None


class DecisionItem(TypedDict):
    """One item of ``GET /decisions`` with what the kiosk reads of it, once checked (kiosk.sync.apply): the four
    texts it cannot do without, and the others, which may be null or missing."""

    event_id: str
    tracking_number: str
    action: str  # one of FEED_ACTIONS
    actor: str
    at: NotRequired[str | None]
    message: NotRequired[str | None]
    reason_code: NotRequired[str | None]
    nibrs_code: NotRequired[str | None]
    official_number: NotRequired[str | None]


class AuditEntryItem(TypedDict):
    """One audit entry of ``POST /audit``, exactly as the kiosk stored it (kiosk.audit)."""

    id: int
    at: str
    actor: str
    action: str
    subject: str
    details: str
    prev_hash: str
    hash: str


class AuditHeadItem(TypedDict):
    """The newest entry of an audit log: its id (0 when empty) and hash."""

    id: int
    hash: str


class AccessCodeItem(TypedDict):
    """One item of ``POST /access-codes``: the verifier (``kiosk.access_codes.hash_access_code``'s text, a salted
    SHA-256, never the code) of a report the kiosk already pushed. The latest one a kiosk sends replaces the one
    before (an officer may reissue the code)."""

    tracking_number: str
    verifier: str


class WhoAmI(TypedDict):
    """The answer of ``GET /whoami``."""

    kiosk_name: str
    kiosk_number: int


def canonical_json(value: object) -> bytes:
    """The bytes a content hash is computed over: UTF-8 JSON with sorted keys and no spaces."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def content_hash(value: object) -> str:
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


class HeartbeatBacklog(TypedDict):
    reports: int  # reports the server has not acknowledged yet
    events: int  # history events the server has not acknowledged yet


class HeartbeatPrinter(TypedDict):
    """The receipt printer in one code (``ok``, ``none``, ``unknown``, or the printer's own problem code) and,
    optionally, the printer's own status line (one line, at most 200 characters)."""

    state: str
    message: NotRequired[str]


class HeartbeatError(TypedDict):
    code: str  # a code, never a message (sync_unreachable, sync_token_refused, ...)
    at: str  # UTC, ISO 8601, kiosk clock


class HeartbeatItem(TypedDict):
    """The body of ``POST /heartbeat`` (docs/sync-api.md). The server refuses any key it does not know."""

    sent_at: str  # UTC, ISO 8601, kiosk clock
    version: str
    uptime_seconds: int
    backlog: HeartbeatBacklog
    printer: HeartbeatPrinter
    disk_free_bytes: int
    last_error: HeartbeatError | None
