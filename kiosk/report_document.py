"""The report format ``p2c-report/1`` as types, for the core's signatures and its callers' type checker.

:class:`ReportDocument` is a report as :func:`kiosk.rules.validate_report` normalises it and the database keeps it;
:class:`StoredReport` is what :meth:`kiosk.reports.ReportService.get` and ``export`` give back: the document plus the
keys the kiosk adds. They describe the normalised (output) form of docs/report-format.md, where every key is present
except ``items[].value``; tests/test_report_schema.py checks every key and type here against
docs/report-format.schema.json. Values are plain JSON, so codes are ``str``: compare them with the members of
:mod:`kiosk.vocabulary`, which are str enums.

The input a citizen or a tool hands in is not typed here: it is any parsed JSON (``object``) until the rules have read
it (:mod:`kiosk.rules.shape`).
"""

# No "from __future__ import annotations" here: Python 3.11 reads NotRequired only from evaluated annotations, and
# the type tests (tests/test_report_schema.py) read which keys are required at run time.
from typing import NotRequired, TypedDict

from kiosk.tracking import TrackingNumber


class Address(TypedDict):
    line1: str
    line2: str  # "" when not given
    city: str
    state: str  # USPS code, upper case
    zip: str  # 5 digits or ZIP+4


class Location(Address):
    place_type: str  # kiosk.vocabulary.PlaceType


class Screening(TypedDict):
    emergency: bool
    in_city: bool
    suspect_or_evidence: bool


class Reporter(TypedDict):
    first_name: str
    last_name: str
    date_of_birth: str  # YYYY-MM-DD
    address: Address
    phone: str  # E.164, or "" when not given
    email: str  # "" when not given
    contact_preference: str  # kiosk.vocabulary.ContactPreference


class Incident(TypedDict):
    occurred_from: str  # ISO 8601 with its offset
    occurred_to: str
    location: Location
    narrative: str


class Item(TypedDict):
    disposition: str  # stolen, damaged, lost or fraud
    description: str
    brand: str
    model: str
    serial_number: str
    institution: str
    account_last4: str
    quantity: int
    value: NotRequired[str]  # two decimals ("650.00"), present only when given


class ReportDocument(TypedDict):
    """A report in the normalised ``p2c-report/1`` form, as validated and stored."""

    format: str
    category: str  # kiosk.vocabulary.Category
    language: str  # kiosk.vocabulary.Language
    screening: Screening
    reporter: Reporter
    incident: Incident
    items: list[Item]
    attested: bool


class HistoryEvent(TypedDict):
    """One entry of a stored report's ``history``, oldest first."""

    at: str  # ISO 8601, in the kiosk's time zone
    actor: str  # "citizen", "officer:<username>", "sync", ...
    action: str  # kiosk.vocabulary.EventAction
    status: str  # kiosk.vocabulary.Status after the event
    reason_code: str | None  # kiosk.vocabulary.RejectionReason of a rejection
    message: str | None


class StoredReport(TypedDict):
    """A stored report as :meth:`kiosk.reports.ReportService.get` gives it: the document plus the keys the kiosk
    adds. A report whose personal data was purged (kiosk.sync.purge) keeps only ``format``, ``category`` and
    ``language`` of the document and carries ``purged_at``; that is why the document's other keys are not required
    here (all other reports have them all)."""

    format: str
    category: str
    language: str
    screening: NotRequired[Screening]
    reporter: NotRequired[Reporter]
    incident: NotRequired[Incident]
    items: NotRequired[list[Item]]
    attested: NotRequired[bool]
    tracking_number: TrackingNumber  # from the kiosk's database (TrackingNumber.from_stored)
    status: str  # kiosk.vocabulary.Status
    submitted_at: str  # ISO 8601, in the kiosk's time zone
    official_number: str | None
    history: list[HistoryEvent]
    purged_at: NotRequired[str]  # ISO 8601, in the kiosk's time zone; only on a purged report
