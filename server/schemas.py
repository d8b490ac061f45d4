"""The request and answer bodies of the sync API, as pydantic models (the OpenAPI document is built from them)."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal, cast

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from kiosk.sync.protocol import FEED_ACTIONS
from kiosk.tracking import TrackingNumber, TrackingNumberError
from kiosk.vocabulary import EventAction, Status


def _storable(text: str) -> str:
    """No NUL characters (PostgreSQL text cannot hold them) and no lone surrogates (not UTF-8)."""
    if "\x00" in text:
        raise ValueError("contains a NUL character; remove it")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains a character that is not valid UTF-8 (a lone surrogate); remove it") from None
    return text


Storable = Annotated[str, AfterValidator(_storable)]


def _aware_timestamp(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError("must be an ISO 8601 timestamp such as 2026-11-19T14:03:12.123456+00:00") from None
    if moment.tzinfo is None:
        raise ValueError("must carry a UTC offset, such as +00:00") from None
    return text


# A tracking number as the protocol writes it: the canonical grouped form, ASCII digits only (``T`` year ``-`` kiosk
# 01-99 ``-`` sequence, five digits or more without a leading zero beyond five, never all zeros ``-`` check digit). The
# one definition: the OpenAPI document publishes this pattern and the server's check applies it first, then the
# check digit (Damm), which a pattern cannot express.
TRACKING_PATTERN = r"^T[0-9]{2}-(?:0[1-9]|[1-9][0-9])-(?:[1-9][0-9]{4,}|0(?!0000)[0-9]{4})-[0-9]$"
_TRACKING = re.compile(TRACKING_PATTERN, re.ASCII)


def _tracking_number(text: str) -> TrackingNumber:
    if not _TRACKING.match(text):
        try:
            parsed = TrackingNumber.parse(text)
        except TrackingNumberError:
            parsed = None
        if parsed is not None and str(parsed) != text:
            raise ValueError(f"must be written the canonical way ({parsed})")
        raise ValueError("must be a tracking number such as T26-01-00042-1: T, the year, the kiosk (01-99) and the "
                         "sequence (00001 and up), each part in ASCII digits, then the check digit")
    try:
        return TrackingNumber.parse(text)  # the protocol's edge: the field holds the parsed number from here on
    except TrackingNumberError:
        raise ValueError("must be a tracking number such as T26-01-00042-1 (with a right check digit)") from None


def tracking_of(field: str) -> TrackingNumber:
    """The number a ``Tracking`` field holds, as the TrackingNumber its validator made of it (a str subclass, so the
    field is declared as text for the OpenAPI document)."""
    return cast(TrackingNumber, field)


# The patterns and formats are for the document (and generated clients); the validators say what is wrong.
Timestamp = Annotated[Storable, Field(max_length=64, json_schema_extra={"format": "date-time"}),
                      AfterValidator(_aware_timestamp)]
Tracking = Annotated[Storable, Field(max_length=32, json_schema_extra={"pattern": TRACKING_PATTERN}),
                     AfterValidator(_tracking_number)]
Text = Annotated[Storable, Field(max_length=20000)]
ShortText = Annotated[Storable, Field(min_length=1, max_length=200)]
Code = Annotated[Storable, Field(min_length=1, max_length=64)]

# Fields that hold one of kiosk.vocabulary's codes. Each is checked as a Literal of the members' plain values and then
# given as the member: a refusal lists the values as the report format spells them (code literal_error) and the OpenAPI
# document lists them in place, both as before, while the code reads the enum member. The type checker is told the
# enum; at run time pydantic is given the Literal (a field typed with the enum itself would be refused with the code
# "enum", and FastAPI would add the enum to the document's components).
if TYPE_CHECKING:
    Action = EventAction
    FeedAction = EventAction
    ReportStatus = Status
else:
    def _plain_values(vocabulary, members=None):
        values = tuple(member.value for member in (vocabulary if members is None else members))
        return Annotated[Literal[values], AfterValidator(vocabulary)]

    Action = _plain_values(EventAction)
    FeedAction = _plain_values(EventAction, FEED_ACTIONS)
    ReportStatus = _plain_values(Status)

# A report's version never goes beyond this (a report changes status a handful of times).
MAX_VERSION = 10**6

# What became of one pushed report or event.
Outcome = Literal["stored", "already_stored"]


class Strict(BaseModel):
    # Keys this version does not know are ignored, so a newer kiosk can talk to an older server.
    model_config = ConfigDict(extra="ignore")


class PushedReport(Strict):
    tracking_number: Tracking
    kiosk_number: int = Field(ge=1, le=99)
    submitted_at: Timestamp
    content_hash: Storable = Field(max_length=80, description="kiosk.sync.protocol.content_hash(report)",
                                   json_schema_extra={"pattern": "^sha256:[0-9a-f]{64}$"})
    report: dict[str, Any] = Field(description="A p2c-report/1 document as the kiosk stored it.")


class ReportsPush(Strict):
    reports: list[PushedReport] = Field(description="At most 200 (more is a 413).")


class ReportResult(BaseModel):
    tracking_number: str
    outcome: Outcome


class ReportsAnswer(BaseModel):
    results: list[ReportResult]


class PushedEvent(Strict):
    event_id: Storable = Field(max_length=32, description="K<kiosk number, 2 digits>-<the kiosk's row id>",
                               json_schema_extra={"pattern": r"^K\d{2}-\d{1,12}$"})
    tracking_number: Tracking
    at: Timestamp
    actor: ShortText
    action: Action
    status: ReportStatus
    reason_code: Code | None = None
    message: Text | None = None
    nibrs_code: Code | None = None
    official_number: ShortText | None = Field(
        None, description="Only for an approval the kiosk numbered while it was standalone, and only when the "
                          "department imported that number (p2c-server import-numbers); otherwise the server gives "
                          "the number.")
    version: int | None = Field(
        None, ge=0, le=MAX_VERSION,
        description="The report's version this event was made on: how many status changes (review started, "
                    "information requested, supplemented, approved, rejected) the report's history held, in the "
                    "server's order, when it was made. Required for a status change; a stale one is a 409 "
                    "(stale_version).")


class EventsPush(Strict):
    events: list[PushedEvent] = Field(description="At most 200 (more is a 413).")


class EventResult(BaseModel):
    event_id: str
    outcome: Outcome
    official_number: str | None
    cursor: int = Field(description="The event's place in the server's log (the decisions feed's cursor).")
    version: int = Field(description="The report's version after this event in the server's order.")


class EventsAnswer(BaseModel):
    results: list[EventResult]


class Decision(BaseModel):
    cursor: int
    event_id: str
    tracking_number: str
    at: str
    actor: str = Field(description="Who decided (server:<officer>, or officer:<name> at another kiosk), or "
                                   "citizen:web for the citizen's answer on the status page.")
    action: FeedAction = Field(description="A decision, or supplemented: the citizen's answer on the status page "
                                           "(actor citizen:web, the answer in message). A kiosk skips an action it "
                                           "does not know.")
    status: ReportStatus
    reason_code: str | None
    message: str | None
    nibrs_code: str | None
    official_number: str | None
    version: int = Field(description="The report's version after this decision in the server's order.")


class DecisionsAnswer(BaseModel):
    decisions: list[Decision]
    next_cursor: int
    more: bool


class Health(BaseModel):
    status: Literal["ok"]
    api_version: int


class WhoAmI(BaseModel):
    kiosk_name: str
    kiosk_number: int


# -- the heartbeat (POST /api/v1/heartbeat) ---------------------------------------------------------------------------
# Strict, unlike the pushes: a key the server does not know is refused rather than ignored, and every text is a short
# code or a bounded line, so a heartbeat has no room for anything a citizen typed.

MAX_COUNT = 10**9
BIG = 2**62
MAX_UPTIME_SECONDS = 10**10  # about 300 years
MAX_BYTES = 2**62
_CODE = re.compile(r"[a-z][a-z0-9._-]{0,63}")
_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}")


def _code(text: str) -> str:
    if not _CODE.fullmatch(text):
        raise ValueError("must be a short code: a lower-case letter, then lower-case letters, digits, '.', '_' or "
                         "'-' (at most 64 in all), such as media-empty")
    return text


def _version(text: str) -> str:
    if not _VERSION.fullmatch(text):
        raise ValueError("must be a version such as 0.1.0 or 1.2.0+deb12: letters, digits, '.', '+', '_' or '-' "
                         "(at most 64)")
    return text


def _one_line(text: str) -> str:
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in text):
        raise ValueError("must be one line of text without control characters")
    return text


StateCode = Annotated[str, Field(min_length=1, max_length=64, json_schema_extra={"pattern": "^" + _CODE.pattern + "$"}),
                      AfterValidator(_code)]
Version = Annotated[str, Field(min_length=1, max_length=64,
                               json_schema_extra={"pattern": "^" + _VERSION.pattern + "$"}),
                    AfterValidator(_version)]
OneLine = Annotated[Storable, Field(max_length=200), AfterValidator(_one_line)]


class HeartbeatPart(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Backlog(HeartbeatPart):
    reports: int = Field(ge=0, le=MAX_COUNT, description="Reports the server has not acknowledged yet.")
    events: int = Field(ge=0, le=MAX_COUNT, description="History events the server has not acknowledged yet.")


class PrinterHealth(HeartbeatPart):
    state: StateCode = Field(description="The receipt printer in one code: ok, or the printer's state reason without "
                                         "its severity (media-empty, media-low, media-jam, cover-open, offline, "
                                         "stopped), none when the kiosk has no printer, unknown when it cannot tell.")
    message: OneLine | None = Field(None, description="The printer's own status line (CUPS printer-state-message), "
                                                      "at most 200 characters.")


class LastError(HeartbeatPart):
    code: StateCode = Field(description="What went wrong, as a code (such as sync_unreachable, print_failed); never "
                                        "a message, never anything a citizen typed.")
    at: Timestamp = Field(description="When, by the kiosk's clock.")


class Heartbeat(HeartbeatPart):
    """A kiosk's health, sent with every sync run and every few minutes when idle. The server keeps the latest."""

    sent_at: Timestamp = Field(description="The kiosk's clock when it sent this (the server compares it to its own).")
    version: Version = Field(description="The kiosk software's version.")
    uptime_seconds: int = Field(ge=0, le=MAX_UPTIME_SECONDS, description="Seconds since the kiosk program started.")
    backlog: Backlog
    printer: PrinterHealth
    disk_free_bytes: int = Field(ge=0, le=MAX_BYTES, description="Free space where the kiosk keeps its data.")
    last_error: LastError | None = Field(None, description="The latest error the kiosk recorded, or null.")


class HeartbeatAnswer(BaseModel):
    received_at: str = Field(description="The server's clock when the heartbeat arrived (UTC).")
    silent_after_seconds: int = Field(description="A kiosk not heard from for longer than this is shown as silent; "
                                                  "send a heartbeat at least three times as often when idle.")


# -- the audit chain (POST /api/v1/audit, GET /api/v1/audit) ---------------------------------------------------------
# Each kiosk's audit log, entry for entry, exactly as the kiosk stored it (kiosk.audit): the server works every hash
# out again and keeps the chain, so a log rewritten or cut short at the kiosk no longer matches (docs/audit.md).

def _hex64(text: str) -> str:
    if len(text) != 64 or any(ch not in "0123456789abcdef" for ch in text):
        raise ValueError("must be 64 lower-case hex digits (a SHA-256)")
    return text


Hash = Annotated[str, Field(min_length=64, max_length=64, json_schema_extra={"pattern": "^[0-9a-f]{64}$"}),
                 AfterValidator(_hex64)]


class AuditHead(BaseModel):
    id: int = Field(ge=0, le=BIG, description="The newest entry's id (0: the log is empty).")
    hash: Hash = Field(description="The newest entry's hash (64 zeros when the log is empty).")


class PushedAuditEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int = Field(ge=1, le=BIG)
    at: Storable = Field(max_length=64, description="As stored (the hash covers the text).")
    actor: Storable = Field(max_length=200)
    action: Storable = Field(max_length=64)
    subject: Storable = Field(max_length=200)
    details: Storable = Field(max_length=20000, description="The stored JSON text, exactly.")
    prev_hash: Hash
    hash: Hash


class AuditPush(BaseModel):
    model_config = ConfigDict(extra="forbid")

    head: AuditHead = Field(description="The kiosk's newest entry now (sent even when there is nothing new).")
    entries: list[PushedAuditEntry] = Field(
        default_factory=list, description="The entries after the server's head, in id order; at most 200 (more is "
                                          "a 413).")


class AuditState(BaseModel):
    head: AuditHead = Field(description="The newest entry the server holds of this kiosk's log.")
    entries: int = Field(description="How many entries of this kiosk's log the server holds.")
    mismatch: str | None = Field(description="Null while the kiosk's chain matches what the server holds; else "
                                             "what did not match (the kiosk is flagged until the department looks).")


# -- access codes (POST /api/v1/access-codes) ------------------------------------------------------------------------
# The verifier of each report's access code (kiosk.access_codes.hash_access_code's text), never the code, so the
# status page (server.citizen_status) can check the code a citizen types.

VERIFIER_PATTERN = r"^sha256\$[0-9a-f]{32}\$[0-9a-f]{64}$"
_VERIFIER = re.compile(VERIFIER_PATTERN, re.ASCII)


def _verifier(text: str) -> str:
    if not _VERIFIER.match(text):
        raise ValueError("must be an access-code verifier as the kiosk stores it: sha256$<32 hex digits of salt>$<64 "
                         "hex digits of digest>, in lower case")
    return text


Verifier = Annotated[str, Field(max_length=110, json_schema_extra={"pattern": VERIFIER_PATTERN}),
                     AfterValidator(_verifier)]
AccessCodeOutcome = Literal["stored", "unchanged"]


class PushedAccessCode(Strict):
    tracking_number: Tracking = Field(description="A report this kiosk already pushed.")
    verifier: Verifier = Field(description="The report's access-code verifier as the kiosk stores it "
                                           "(kiosk.access_codes.hash_access_code), never the code itself.")


class AccessCodesPush(Strict):
    access_codes: list[PushedAccessCode] = Field(description="At most 200 (more is a 413). The latest verifier sent "
                                                             "for a report replaces the one before (a reissued code).")


class AccessCodeResult(BaseModel):
    tracking_number: str
    outcome: AccessCodeOutcome = Field(description="stored: the server now holds this verifier; unchanged: it held "
                                                   "it already.")


class AccessCodesAnswer(BaseModel):
    results: list[AccessCodeResult]
