"""The server's own tables (peewee models built for one database, like the kiosk's ``build_models``).

- ``kiosk``: each kiosk the department registered: its number (unique), name, the SHA-256 of its token, active.
- ``report``: one row per tracking number: the report as the kiosk sent it (``body``, canonical JSON), its content
  hash, and the server's view of its status, official number and NIBRS code.
- ``event``: every history event the server holds, pushed by a kiosk (``origin`` = its number) or made at the server
  (``origin`` NULL). Its autoincrement ``id`` is the decisions cursor.
- ``official_sequence``: the department's official report number sequence, one row per year.
- ``conflict``: what was refused as a conflict (409), for ``p2c-server conflicts``; one row per distinct refusal, with
  how often it was seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import peewee as pw


@dataclass(frozen=True)
class Models:
    Kiosk: Any
    Report: Any
    Event: Any
    OfficialSequence: Any
    Conflict: Any

    @property
    def all(self) -> list[Any]:
        return [self.Kiosk, self.Report, self.Event, self.OfficialSequence, self.Conflict]


def build_models(db: pw.Database) -> Models:
    class Base(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Kiosk(Base):
        number = pw.IntegerField(unique=True)
        name = pw.TextField()
        token_hash = pw.TextField(unique=True)
        active = pw.BooleanField(default=True)
        created_at = pw.TextField()

    class Report(Base):
        tracking_number = pw.TextField(unique=True)
        kiosk_number = pw.IntegerField(index=True)
        content_hash = pw.TextField()
        submitted_at = pw.TextField()
        body = pw.TextField()
        status = pw.TextField()
        # Unique: the department's official numbers name one report each (kiosk-supplied ones included).
        official_number = pw.TextField(null=True, unique=True)
        nibrs_code = pw.TextField(null=True)
        received_at = pw.TextField()

    class Event(Base):
        id = pw.BigAutoField()
        event_id = pw.TextField(unique=True)
        tracking_number = pw.TextField(index=True)
        kiosk_number = pw.IntegerField()  # the report's kiosk
        origin = pw.IntegerField(null=True)  # the kiosk that pushed it; NULL when made at the server
        body_hash = pw.TextField(null=True)  # content hash of the event as pushed (NULL when made at the server)
        at = pw.TextField()
        actor = pw.TextField()
        action = pw.TextField()
        status = pw.TextField()
        reason_code = pw.TextField(null=True)
        message = pw.TextField(null=True)
        nibrs_code = pw.TextField(null=True)
        official_number = pw.TextField(null=True)
        received_at = pw.TextField()

        class Meta:
            indexes = ((("kiosk_number", "id"), False),)

    class OfficialSequence(Base):
        year = pw.IntegerField(primary_key=True)
        last = pw.IntegerField()

    class Conflict(Base):
        key = pw.TextField(unique=True)  # kind, tracking number, event id and the refused body's hash
        kind = pw.TextField()  # "report" or "event"
        kiosk_number = pw.IntegerField()
        tracking_number = pw.TextField()
        event_id = pw.TextField(null=True)
        code = pw.TextField()
        message = pw.TextField()
        stored_hash = pw.TextField(null=True)
        offered_hash = pw.TextField(null=True)
        offered_body = pw.TextField(null=True)
        first_at = pw.TextField()
        last_at = pw.TextField()
        times = pw.IntegerField(default=1)

    return Models(Kiosk, Report, Event, OfficialSequence, Conflict)
