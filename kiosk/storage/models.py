"""The kiosk's tables as peewee models, declared once and typed.

The tables themselves are made by the SQL of :mod:`kiosk.storage.migrations`; these classes describe the same
schema (columns, types, NOT NULL, SQL defaults, CHECKs, foreign keys, indexes, which tables are append-only), and
``tests/core/test_schema_matches_models.py`` builds both and compares them, so the two cannot drift apart.

The classes here are bound to no database. :func:`build_models` gives each opened store its own subclasses bound to
its database (``store.models.Report`` is a subclass of :class:`Report`), so two stores in one process (two kiosks in
a test, a kiosk and a benchmark, a kiosk and a second connection to its file) never share a global binding, and the
kiosk window's thread and the sync worker's never swap one under the other.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, fields
from typing import Any, TypeVar, cast

import peewee as pw

from kiosk.lifecycle import STATUSES  # noqa: F401  (re-exported)
from kiosk.storage.fields import UtcDateTimeField
from kiosk.translation import SOURCE_LANGUAGE
from kiosk.vocabulary import Status


def _sql_default(value: str | int) -> list[pw.Node]:
    """The column's DEFAULT clause, for a column whose rows are also written by plain SQL that leaves it out."""
    literal = "'" + value.replace("'", "''") + "'" if isinstance(value, str) else str(int(value))
    return [pw.SQL(f"DEFAULT {literal}")]


class StoreModel(pw.Model):
    """The base of every table. ``append_only``: the database refuses UPDATE and DELETE (triggers
    ``<table>_no_update`` and ``<table>_no_delete``, made by the migrations)."""

    class Meta:
        database = None
        legacy_table_names = False
        append_only = False


class SchemaVersion(StoreModel):
    id = pw.AutoField()
    version = pw.IntegerField()
    applied_at = UtcDateTimeField()


class Report(StoreModel):
    id = pw.AutoField()
    tracking_number = pw.TextField(unique=True)  # display form, T26-01-00042-1
    kiosk_number = pw.IntegerField()
    year = pw.IntegerField()
    sequence = pw.IntegerField()
    category = pw.TextField()
    language = pw.TextField()
    status = pw.TextField(default=Status.SUBMITTED.value)
    submitted_at = UtcDateTimeField()
    official_number = pw.TextField(null=True)
    access_code_hash = pw.TextField()
    location_summary = pw.TextField()
    data = pw.TextField()  # the normalised p2c-report/1 document as JSON
    nibrs_code = pw.TextField(null=True)  # confirmed by the approving officer
    updated_at = UtcDateTimeField(null=True)  # the latest status change after submission
    # Search keys (kiosk.report_keys), written by kiosk.storage.report_index.
    reporter_name = pw.TextField(default="", constraints=_sql_default(""))
    person_key = pw.TextField(default="", constraints=_sql_default(""))
    home_address_key = pw.TextField(default="", constraints=_sql_default(""))
    location_key = pw.TextField(default="", constraints=_sql_default(""))
    # Sync (schema v3, docs/sync.md).
    synced_at = UtcDateTimeField(null=True)  # when the server acknowledged the report
    sync_conflict = pw.TextField(null=True)  # the server's refusal, shown to officers
    purged_at = UtcDateTimeField(null=True)  # when the personal data was removed
    # The access-code verifier the server holds (schema v7): the status page's (docs/sync.md).
    access_code_pushed = pw.TextField(null=True)

    class Meta:
        indexes = ((("kiosk_number", "year", "sequence"), True),)


Report.add_index(Report.status, Report.submitted_at, name="report_status_submitted")
Report.add_index(Report.submitted_at, name="report_submitted")
Report.add_index(Report.person_key, Report.submitted_at, name="report_person")
Report.add_index(Report.home_address_key, Report.submitted_at, name="report_home_address")
Report.add_index(Report.location_key, Report.submitted_at, name="report_location")
# Only the (few) reports still to send.
Report.add_index(Report.id, name="report_sync_pending",
                 where=pw.SQL("synced_at IS NULL AND sync_conflict IS NULL"))
# Only the reports whose access-code verifier is still to send (schema v7).
Report.add_index(Report.id, name="report_access_code_pending",
                 where=pw.SQL("synced_at IS NOT NULL AND access_code_pushed IS NOT access_code_hash"))
Report.add_index(Report.status, Report.purged_at, Report.submitted_at, name="report_status_live")
Report.add_index(Report.status, Report.purged_at, Report.category, Report.submitted_at,
                 name="report_status_category_live")


class ReportEvent(StoreModel):
    """One change of a report; the history is append-only."""

    id = pw.AutoField()
    report = pw.ForeignKeyField(Report, backref="events", on_delete="RESTRICT", index=False)
    report_id: int  # the foreign key's value (peewee's accessor, declared for the type checker)
    at = UtcDateTimeField()
    actor = pw.TextField()
    action = pw.TextField()
    status = pw.TextField()
    reason_code = pw.TextField(null=True)
    message = pw.TextField(null=True)

    class Meta:
        append_only = True


ReportEvent.add_index(ReportEvent.report, ReportEvent.id, name="report_event_report")


class ReportNameToken(StoreModel):
    """One word of a report's reporter name (kiosk.report_keys), with copies of the report's columns the officer queue
    sorts and filters name matches by (schema v4): filled from the report when the token is written and kept equal to
    it by triggers, so a name search reads token rows only. A purged report has no tokens (kiosk.sync.purge)."""

    token = pw.TextField()
    report = pw.ForeignKeyField(Report, on_delete="CASCADE", index=False)
    report_id: int
    submitted_at = UtcDateTimeField(null=True)  # NULL only inside the statement that inserts the token
    status = pw.TextField(null=True)
    category = pw.TextField(null=True)

    class Meta:
        primary_key = pw.CompositeKey("token", "report")
        without_rowid = True


ReportNameToken.add_index(ReportNameToken.report, name="report_name_token_report")


class ReportCount(StoreModel):
    """How many reports have each status and category, purged or not (purged 0: the queue lists them), kept by
    triggers on report in the transaction of every change (schema v4): the officer queue's counts without counting."""

    status = pw.TextField()
    category = pw.TextField()
    purged = pw.IntegerField()
    reports = pw.IntegerField()

    class Meta:
        primary_key = pw.CompositeKey("status", "category", "purged")
        without_rowid = True


# The triggers that keep derived rows equal to the reports inside the writing transaction (schema v4), by table:
# report_count, and the name tokens' copies of their report's columns.
KEEPING_TRIGGERS: dict[str, tuple[str, ...]] = {
    "report": ("report_count_insert", "report_count_update", "report_count_delete", "report_name_token_follow"),
    "report_name_token": ("report_name_token_copy",),
}


class ReportSerial(StoreModel):
    serial_key = pw.TextField()
    report = pw.ForeignKeyField(Report, on_delete="CASCADE", index=False)
    report_id: int

    class Meta:
        primary_key = pw.CompositeKey("serial_key", "report")
        without_rowid = True


ReportSerial.add_index(ReportSerial.report, name="report_serial_report")


class OfficialSequence(StoreModel):
    year = pw.IntegerField(primary_key=True)
    last = pw.IntegerField()


class Officer(StoreModel):
    id = pw.AutoField()
    username = pw.TextField(unique=True)
    display_name = pw.TextField()
    badge_number = pw.TextField()
    role = pw.TextField(constraints=[pw.Check("role IN ('officer', 'admin')")])
    password_hash = pw.TextField()  # argon2id
    active = pw.BooleanField(default=True, constraints=_sql_default(1))
    locked_at = UtcDateTimeField(null=True)
    created_at = UtcDateTimeField()
    password_changed_at = UtcDateTimeField()
    # The language of the officer's own screens (a catalogue's code; the source language until they choose one).
    language = pw.TextField(default=SOURCE_LANGUAGE, constraints=_sql_default(SOURCE_LANGUAGE))


class LoginFailure(StoreModel):
    id = pw.AutoField()
    officer = pw.ForeignKeyField(Officer, null=True, index=False)
    officer_id: int | None
    at = UtcDateTimeField()


LoginFailure.add_index(LoginFailure.officer, LoginFailure.at, name="login_failure_officer")


class AuditEntry(StoreModel):
    """Written by :mod:`kiosk.audit` with plain SQL (the hash chain is over the stored text); append-only."""

    id = pw.AutoField()
    at = UtcDateTimeField()
    actor = pw.TextField()
    action = pw.TextField()
    subject = pw.TextField(default="", constraints=_sql_default(""))
    details = pw.TextField(default="{}", constraints=_sql_default("{}"))  # JSON; never a secret nor citizen input
    prev_hash = pw.TextField()
    hash = pw.TextField()

    class Meta:
        append_only = True


class Notice(StoreModel):
    id = pw.AutoField()
    report = pw.ForeignKeyField(Report, index=False)
    report_id: int
    kind = pw.TextField()  # submitted, needs_info, approved, rejected
    language = pw.TextField()
    recipient = pw.TextField(null=True)
    subject = pw.TextField()
    body_text = pw.TextField()
    body_html = pw.TextField()
    status = pw.TextField(constraints=[pw.Check("status IN ('pending', 'sent', 'no_email', 'failed')")])
    attempts = pw.IntegerField(default=0, constraints=_sql_default(0))
    next_attempt_at = UtcDateTimeField(null=True)
    last_error = pw.TextField(null=True)
    created_at = UtcDateTimeField()
    sent_at = UtcDateTimeField(null=True)


Notice.add_index(Notice.status, Notice.next_attempt_at, name="notice_due")
Notice.add_index(Notice.report, Notice.id, name="notice_report")


class LookupFailure(StoreModel):
    id = pw.AutoField()
    tracking_number = pw.TextField()
    at = UtcDateTimeField()


LookupFailure.add_index(LookupFailure.tracking_number, LookupFailure.at, name="lookup_failure_tracking")


class EventSync(StoreModel):
    """A history event the server has acknowledged (acked_at) or refused (conflict), or one pulled from it
    (remote_id = the server's event id)."""

    event = pw.ForeignKeyField(ReportEvent, primary_key=True, column_name="event_id")
    event_id: int
    remote_id = pw.TextField(null=True, unique=True)
    acked_at = UtcDateTimeField(null=True)
    conflict = pw.TextField(null=True)


class SyncState(StoreModel):
    """The sync engine's state, one value per key (decisions_cursor, last_success_at, failures, ...)."""

    key = pw.TextField(primary_key=True)
    value = pw.TextField(null=True)

    class Meta:
        without_rowid = True


@dataclass(frozen=True)
class Models:
    """One store's models: each a subclass of the declared model above, bound to that store's database."""

    SchemaVersion: type[SchemaVersion]
    Report: type[Report]
    ReportEvent: type[ReportEvent]
    ReportNameToken: type[ReportNameToken]
    ReportCount: type[ReportCount]
    ReportSerial: type[ReportSerial]
    OfficialSequence: type[OfficialSequence]
    Officer: type[Officer]
    LoginFailure: type[LoginFailure]
    AuditEntry: type[AuditEntry]
    Notice: type[Notice]
    LookupFailure: type[LookupFailure]
    EventSync: type[EventSync]
    SyncState: type[SyncState]

    def all(self) -> list[type[StoreModel]]:
        return [getattr(self, f.name) for f in fields(self)]


_M = TypeVar("_M", bound=StoreModel)


def build_models(db: pw.Database) -> Models:
    """The declared models bound to ``db``: a subclass of each, with its foreign keys pointing at the other
    subclasses (so joins, ``row.report`` and backrefs such as ``report.events`` stay within ``db``)."""
    bound: dict[type[StoreModel], type[StoreModel]] = {}

    def bind(model: type[_M]) -> type[_M]:
        subclass = _bound_subclass(model, db, bound)
        bound[model] = subclass
        return subclass

    # Keyword arguments are evaluated in order: a model comes after those its foreign keys refer to.
    return Models(SchemaVersion=bind(SchemaVersion), Report=bind(Report), ReportEvent=bind(ReportEvent),
                  ReportNameToken=bind(ReportNameToken), ReportCount=bind(ReportCount),
                  ReportSerial=bind(ReportSerial),
                  OfficialSequence=bind(OfficialSequence), Officer=bind(Officer), LoginFailure=bind(LoginFailure),
                  AuditEntry=bind(AuditEntry), Notice=bind(Notice), LookupFailure=bind(LookupFailure),
                  EventSync=bind(EventSync), SyncState=bind(SyncState))


def _bound_subclass(model: type[_M], db: pw.Database, bound: dict[type[StoreModel], type[StoreModel]]) -> type[_M]:
    meta = model._meta
    attrs: dict[str, Any] = {
        "__module__": model.__module__,
        "__qualname__": model.__qualname__,
        # Options peewee does not pass on to subclasses by itself.
        "Meta": type("Meta", (), {"database": db, "table_name": meta.table_name,
                                  "without_rowid": meta.without_rowid}),
    }
    for field in meta.refs:  # the foreign keys, re-pointed at the bound subclass of the model they refer to
        target = bound[field.rel_model]
        twin = copy.deepcopy(field)
        twin.rel_model = target
        twin.rel_field = target._meta.fields[field.rel_field.name]
        twin.declared_backref = field.backref
        attrs[field.name] = twin
    return cast("type[_M]", type(model.__name__, (model,), attrs))
