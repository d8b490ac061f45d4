"""Peewee models, built per database so that two stores in one process (two kiosks in a test, a kiosk and a
benchmark) never share a global binding. The tables themselves are created by the SQL in
:mod:`kiosk.storage.migrations`; these classes must match it."""

from __future__ import annotations

from dataclasses import dataclass

import peewee as pw

STATUSES = ("submitted", "in_review", "needs_info", "approved", "rejected")


@dataclass(frozen=True)
class Models:
    SchemaVersion: type[pw.Model]
    Report: type[pw.Model]
    ReportEvent: type[pw.Model]

    def all(self) -> list[type[pw.Model]]:
        return [self.SchemaVersion, self.Report, self.ReportEvent]


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

    class ReportEvent(Base):
        report = pw.ForeignKeyField(Report, backref="events", on_delete="RESTRICT")
        at = pw.TextField()
        actor = pw.TextField()
        action = pw.TextField()
        status = pw.TextField()
        reason_code = pw.TextField(null=True)
        message = pw.TextField(null=True)

    return Models(SchemaVersion=SchemaVersion, Report=Report, ReportEvent=ReportEvent)
