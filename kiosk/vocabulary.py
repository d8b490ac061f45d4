"""The kiosk's domain words, defined once: every layer (core, screens, printing, the server, the report format's JSON)
names a category, a status, a rejection reason, a screening question, a language, a place type or a contact
preference through these enums.

They are ``StrEnum``s: a member compares equal to, hashes like and serialises (``json.dumps``, SQL parameters) as its
value, so the strings stored in databases and in the report format are exactly the ones used before this module.
The words shown for them (officer mode's English names, the citizen's translated names) live with the screens and
the message catalogues, keyed by these members. tests/test_vocabulary.py checks that no other module writes one of
these codes as a string literal.

Also here: the value types a report is known by (:class:`TrackingNumber`, :class:`AccessCode`) and the receipt's QR
payload, which the receipt prints and the kiosk's scanner reads back.
"""

from __future__ import annotations

import re
from enum import StrEnum

from kiosk.access_codes import normalise as _normalise_access_code
from kiosk.tracking import TrackingNumber, TrackingNumberError

__all__ = [
    "AccessCode",
    "Category",
    "ContactPreference",
    "EventAction",
    "NoticeKind",
    "PlaceType",
    "RejectionReason",
    "ScreeningQuestion",
    "Status",
    "TrackingNumber",
    "TrackingNumberError",
    "parse_qr_payload",
    "qr_payload",
    "read_scanned_receipt",
    "status_page_link",
]


class Category(StrEnum):
    """The four kinds of incident a citizen may report at the kiosk."""

    VANDALISM = "vandalism"
    LARCENY = "larceny"
    LOST_PROPERTY = "lost_property"
    IDENTITY_THEFT = "identity_theft"


class Status(StrEnum):
    """Where a report is in its lifecycle (kiosk.lifecycle says how it moves)."""

    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    NEEDS_INFO = "needs_info"
    APPROVED = "approved"
    REJECTED = "rejected"


class EventAction(StrEnum):
    """What a report's history event records (kiosk.lifecycle.TRANSITIONS, plus the submission and a reprinted receipt).
    Some are spelt like a status, but they are a vocabulary of their own: an event is an action, a status is where the
    report stands."""

    SUBMITTED = "submitted"
    REVIEW_STARTED = "review_started"
    APPROVED = "approved"
    INFO_REQUESTED = "info_requested"
    REJECTED = "rejected"
    SUPPLEMENTED = "supplemented"
    RECEIPT_REPRINTED = "receipt_reprinted"


class NoticeKind(StrEnum):
    """Which e-mail notice the citizen is sent (kiosk/notices)."""

    SUBMITTED = "submitted"
    NEEDS_INFO = "needs_info"
    APPROVED = "approved"
    REJECTED = "rejected"


class RejectionReason(StrEnum):
    """Why an officer may reject a report: the seed's list, plus ``other`` with the officer's own words."""

    DUPLICATE = "duplicate"
    WRONG_OFFENSE_TYPE = "wrong_offense_type"
    OUTSIDE_CITY = "outside_city"
    SUSPECT_OR_EVIDENCE = "suspect_or_evidence"
    NOT_ELIGIBLE = "not_eligible"
    OTHER = "other"

    @property
    def next_steps_key(self) -> str:
        """The message key of what the citizen should do instead (kiosk/messages_review.py), every reason has one."""
        return f"review.next_steps.{self.value}"


class ScreeningQuestion(StrEnum):
    """The three questions asked before a report starts (the report format's ``screening`` keys): any answer other
    than no, yes, no sends the visitor to the desk or to another agency."""

    EMERGENCY = "emergency"
    IN_CITY = "in_city"
    SUSPECT_OR_EVIDENCE = "suspect_or_evidence"


class PlaceType(StrEnum):
    """What kind of place the incident happened at."""

    RESIDENCE = "residence"
    STREET = "street"
    PARKING_LOT = "parking_lot"
    BUSINESS = "business"
    PARK = "park"
    SCHOOL = "school"
    PUBLIC_TRANSIT = "public_transit"
    VEHICLE = "vehicle"
    ONLINE = "online"
    OTHER = "other"


class ContactPreference(StrEnum):
    """How the citizen wants to be contacted about their report."""

    EMAIL = "email"
    PHONE = "phone"


class AccessCode(str):
    """A report's access code in its shown form, ``K7QM-2XHD``: built from any accepted spelling (any case, with or
    without the hyphen or spaces). Only checks the shape (eight characters); whether it opens a report is the
    look-up's business."""

    LENGTH = 8

    def __new__(cls, text: str) -> AccessCode:
        raw = _normalise_access_code(text)
        if len(raw) != cls.LENGTH:
            raise ValueError(f"an access code has {cls.LENGTH} characters, like K7QM-2XHD")
        return super().__new__(cls, f"{raw[:4]}-{raw[4:]}")


# The receipt's QR code holds one of two payloads (docs/printing.md, docs/lookup.md):
# - with ``[sync] status_page_url`` set, the status page's link with the tracking number filled in and never the access
#   code (a link gets copied and shared): ``https://police.example.gov/status?t=T26-01-00042-1``;
# - without it (and on every receipt printed before), P2C:<tracking number>:<access code>, e.g.
#   P2C:T26-01-00042-1:K7QM-2XHD: upper-case letters, digits, ':' and '-' only, so QR's alphanumeric mode keeps the
#   code small.
# A USB scanner types either into the kiosk's status look-up, which reads both (read_scanned_receipt).
QR_PREFIX = "P2C"
STATUS_PAGE_TRACKING_KEY = "t"  # the status page's query key for the tracking number
_QR_PAYLOAD = re.compile(r"^\s*P2C:([^:]+):([^:]+?)\s*$", re.IGNORECASE)
_LINK = re.compile(r"^\s*https?://\S+\s*$", re.IGNORECASE)


def status_page_link(status_page_url: str, tracking_number: TrackingNumber | str) -> str:
    """The status page's address with the tracking number filled in: ``<status_page_url>?t=<tracking number>``
    (``status_page_url`` as the configuration holds it: no query, no fragment)."""
    return f"{status_page_url}?{STATUS_PAGE_TRACKING_KEY}={tracking_number}"


def qr_payload(tracking_number: TrackingNumber, access_code: str, status_page_url: str = "") -> str:
    """The receipt's QR payload: the status page's link when ``status_page_url`` is set, else
    ``P2C:T26-01-00042-1:K7QM-2XHD`` from a tracking number and an access code in any accepted spelling. Raises
    ValueError when the access code is malformed (checked either way: a receipt always prints it)."""
    code = AccessCode(access_code)
    if status_page_url:
        return status_page_link(status_page_url, tracking_number)
    return f"{QR_PREFIX}:{tracking_number}:{code}"


def parse_qr_payload(text: str) -> tuple[str, str] | None:
    """The tracking number and the access code, as the payload spells them (the look-up validates them), from a
    scanned ``P2C:`` receipt QR code; None when ``text`` is not one."""
    match = _QR_PAYLOAD.match(text or "")
    if not match:
        return None
    return match.group(1).strip(), match.group(2).strip()


def read_scanned_receipt(text: str) -> tuple[str, str | None] | None:
    """What a scanner typed from a receipt's QR code: (tracking number, access code) from a ``P2C:`` payload, or
    (tracking number, None) from a status page link (any ``http(s)://`` address whose query has ``t=``: a receipt
    printed before the department moved its page still works). As the payload spells them (the look-up validates
    them); None when ``text`` is neither. Scanners that type in capitals are allowed for (``T=``)."""
    old = parse_qr_payload(text)
    if old is not None:
        return old
    if not _LINK.match(text or ""):
        return None
    from urllib.parse import parse_qsl, urlsplit

    try:
        query = urlsplit(text.strip()).query
    except ValueError:
        return None
    for key, value in parse_qsl(query):
        if key.lower() == STATUS_PAGE_TRACKING_KEY and value.strip():
            return value.strip(), None
    return None
