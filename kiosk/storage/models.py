"""Peewee models, built per database so that two stores in one process (two kiosks in a test, a kiosk and a
benchmark) never share a global binding. The tables themselves are created by the SQL in
:mod:`kiosk.storage.migrations`; these classes must match it."""

from __future__ import annotations

from dataclasses import dataclass

import peewee as pw

from kiosk.lifecycle import STATUSES  # noqa: F401  (re-exported)


@dataclass(frozen=True)
class Models:
    SchemaVersion: type[pw.Model]
    Report: type[pw.Model]
    ReportEvent: type[pw.Model]
    ReportNameToken: type[pw.Model]
    ReportSerial: type[pw.Model]
    OfficialSequence: type[pw.Model]
    Officer: type[pw.Model]
    LoginFailure: type[pw.Model]
    AuditEntry: type[pw.Model]
    Notice: type[pw.Model]
    LookupFailure: type[pw.Model]
    EventSync: type[pw.Model]
    SyncState: type[pw.Model]

    def all(self) -> list[type[pw.Model]]:
        return [self.SchemaVersion, self.Report, self.ReportEvent, self.ReportNameToken, self.ReportSerial,
                self.OfficialSequence, self.Officer, self.LoginFailure, self.AuditEntry, self.Notice,
                self.LookupFailure, self.EventSync, self.SyncState]


def build_models(db: pw.Database) -> Models:
    class Base(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class SchemaVersion(Base):
        version = pw.IntegerField()
        applied_at = pw.TextField()

    class Report(Base):
        tracking_number = pw.TextField(unique=True)  # display form, T26-01-00042-1
        kiosk_number = pw.IntegerField()
        year = pw.IntegerField()
        sequence = pw.IntegerField()
        category = pw.TextField()
        language = pw.TextField()
        status = pw.TextField(default="submitted")
        submitted_at = pw.TextField()  # ISO 8601 in UTC, so text order is time order
        official_number = pw.TextField(null=True)
        access_code_hash = pw.TextField()
        location_summary = pw.TextField()
        data = pw.TextField()  # the normalised p2c-report/1 document as JSON
        nibrs_code = pw.TextField(null=True)  # confirmed by the approving officer
        updated_at = pw.TextField(null=True)  # the latest status change after submission (UTC ISO 8601)
        # Search keys (kiosk.report_keys), written by kiosk.storage.report_index.
        reporter_name = pw.TextField(default="")
        person_key = pw.TextField(default="")
        home_address_key = pw.TextField(default="")
        location_key = pw.TextField(default="")
        # Sync (schema v3, docs/sync.md).
        synced_at = pw.TextField(null=True)  # when the server acknowledged the report (UTC ISO 8601)
        sync_conflict = pw.TextField(null=True)  # the server's refusal, shown to officers
        purged_at = pw.TextField(null=True)  # when the personal data was removed

    class ReportEvent(Base):
        report = pw.ForeignKeyField(Report, backref="events", on_delete="RESTRICT")
        at = pw.TextField()
        actor = pw.TextField()
        action = pw.TextField()
        status = pw.TextField()
        reason_code = pw.TextField(null=True)
        message = pw.TextField(null=True)

    class ReportNameToken(Base):
        token = pw.TextField()
        report = pw.ForeignKeyField(Report, on_delete="CASCADE")

        class Meta:
            primary_key = pw.CompositeKey("token", "report")

    class ReportSerial(Base):
        serial_key = pw.TextField()
        report = pw.ForeignKeyField(Report, on_delete="CASCADE")

        class Meta:
            primary_key = pw.CompositeKey("serial_key", "report")

    class OfficialSequence(Base):
        year = pw.IntegerField(primary_key=True)
        last = pw.IntegerField()

    class Officer(Base):
        username = pw.TextField(unique=True)
        display_name = pw.TextField()
        badge_number = pw.TextField()
        role = pw.TextField()  # "officer" or "admin"
        password_hash = pw.TextField()  # argon2id
        active = pw.BooleanField(default=True)
        locked_at = pw.TextField(null=True)
        created_at = pw.TextField()
        password_changed_at = pw.TextField()

    class LoginFailure(Base):
        officer = pw.ForeignKeyField(Officer, null=True)
        at = pw.TextField()

    class AuditEntry(Base):
        at = pw.TextField()
        actor = pw.TextField()
        action = pw.TextField()
        subject = pw.TextField(default="")
        details = pw.TextField(default="{}")  # JSON; never a password, an access code or what a citizen typed
        prev_hash = pw.TextField()
        hash = pw.TextField()

    class Notice(Base):
        report = pw.ForeignKeyField(Report)
        kind = pw.TextField()  # submitted, needs_info, approved, rejected
        language = pw.TextField()
        recipient = pw.TextField(null=True)
        subject = pw.TextField()
        body_text = pw.TextField()
        body_html = pw.TextField()
        status = pw.TextField()  # pending, sent, no_email, failed
        attempts = pw.IntegerField(default=0)
        next_attempt_at = pw.TextField(null=True)
        last_error = pw.TextField(null=True)
        created_at = pw.TextField()
        sent_at = pw.TextField(null=True)

    class LookupFailure(Base):
        tracking_number = pw.TextField()
        at = pw.TextField()

    class EventSync(Base):
        """A history event the server has acknowledged (acked_at) or refused (conflict), or one pulled from it
        (remote_id = the server's event id)."""

        event = pw.ForeignKeyField(ReportEvent, primary_key=True, column_name="event_id")
        remote_id = pw.TextField(null=True, unique=True)
        acked_at = pw.TextField(null=True)
        conflict = pw.TextField(null=True)

    class SyncState(Base):
        """The sync engine's state, one value per key (decisions_cursor, last_success_at, failures, ...)."""

        key = pw.TextField(primary_key=True)
        value = pw.TextField(null=True)

    return Models(SchemaVersion=SchemaVersion, Report=Report, ReportEvent=ReportEvent,
                  ReportNameToken=ReportNameToken, ReportSerial=ReportSerial, OfficialSequence=OfficialSequence,
                  Officer=Officer, LoginFailure=LoginFailure, AuditEntry=AuditEntry, Notice=Notice,
                  LookupFailure=LookupFailure, EventSync=EventSync, SyncState=SyncState)
