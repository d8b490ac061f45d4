"""The server's own tables (peewee models built for one database, like the kiosk's ``build_models``).

- ``kiosk``: each kiosk the department registered: its number (unique), name, the SHA-256 of its token, active.
- ``report``: one row per tracking number: the report as the kiosk sent it (``body``, canonical JSON), its content
  hash, and the server's view of its status, official number and NIBRS code.
- ``event``: every history event the server holds, pushed by a kiosk (``origin`` = its number) or made at the server
  (``origin`` NULL). Its autoincrement ``id`` is the decisions cursor.
- ``official_sequence``: the department's official report number sequence, one row per year.
- ``conflict``: what was refused as a conflict (409), for ``p2c-server conflicts``; one row per distinct refusal, with
  how often it was seen.
- ``imported_number``: official numbers a formerly standalone kiosk gave itself, imported by the department
  (``p2c-server import-numbers``): the only numbers a kiosk may bring along with its approvals.
- ``audit_entry``: each kiosk's audit log as the kiosk pushed it (``POST /api/v1/audit``), entry for entry, and
  ``audit_chain``: one row per kiosk with the head the server holds and, when the kiosk's chain stopped matching it,
  when and why (docs/audit.md).
- ``kiosk_health``: one row per kiosk number: when the server last heard from it (any authenticated request) and its
  latest heartbeat (``POST /api/v1/heartbeat``), for ``p2c-server kiosks``. Its heartbeat columns are NULL until the
  kiosk sends one (an older kiosk never does).
- ``lookup_failure``: each wrong access code typed on the status page (server.citizen_status), by tracking number and
  client key (a keyed hash of the visitor's address, never the address), for the rate limits every worker shares.
- ``server_secret``: one row, the server's random secret (hex), made by the migration; the key of the client keys.

A table or column added in a later version needs a step in ``server/migrations.py`` (one step per version, each in
one transaction, a backup first); tables are not created when a database is opened. A test compares the migrated
schema with these models.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TypeVar, cast

import peewee as pw


class ServerModel(pw.Model):
    """The base of the server's tables. The classes here are bound to no database: :func:`build_models` gives each
    opened database its own subclasses (``database.models.Report`` is a subclass of :class:`Report`), as the kiosk's
    store does (kiosk.storage.models), so two databases in one process never share a binding."""

    class Meta:
        database = None
        legacy_table_names = False


class Kiosk(ServerModel):
    id = pw.AutoField()
    number = pw.IntegerField(unique=True)
    name = pw.TextField()
    token_hash = pw.TextField(unique=True)
    active = pw.BooleanField(default=True)
    created_at = pw.TextField()


class Report(ServerModel):
    id = pw.AutoField()
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
    # The access code's verifier (kiosk.access_codes: ``sha256$<salt>$<digest>``) as the kiosk pushed it
    # (``POST /api/v1/access-codes``), never the code; NULL until it did.
    access_code_verifier = pw.TextField(null=True)


class Event(ServerModel):
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
    # The report's version after this event: how many status changes its history holds up to it, in the server's
    # order (docs/sync-api.md). Added after the first release: NULL in an older database until it is opened.
    version = pw.IntegerField(null=True)

    class Meta:
        indexes = ((("kiosk_number", "id"), False),)


class OfficialSequence(ServerModel):
    year = pw.IntegerField(primary_key=True)
    last = pw.IntegerField()


class Conflict(ServerModel):
    id = pw.AutoField()
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


class ImportedNumber(ServerModel):
    """An official number a kiosk gave one of its reports while it was standalone, imported by the department."""

    tracking_number = pw.TextField(primary_key=True)
    kiosk_number = pw.IntegerField()
    official_number = pw.TextField(unique=True)
    imported_at = pw.TextField()


class AuditEntry(ServerModel):
    """One entry of a kiosk's audit log, exactly as the kiosk stored it (the hash covers the stored text)."""

    id = pw.BigAutoField()
    kiosk_number = pw.IntegerField()
    entry_id = pw.BigIntegerField()
    at = pw.TextField()
    actor = pw.TextField()
    action = pw.TextField()
    subject = pw.TextField()
    details = pw.TextField()
    prev_hash = pw.TextField()
    hash = pw.TextField()
    received_at = pw.TextField()

    class Meta:
        indexes = ((("kiosk_number", "entry_id"), True),)


class AuditChain(ServerModel):
    """The head of each kiosk's audit chain as the server holds it, and whether the kiosk's chain still matches."""

    kiosk_number = pw.IntegerField(primary_key=True)
    head_id = pw.BigIntegerField(default=0)
    head_hash = pw.TextField()
    last_push_at = pw.TextField(null=True)
    mismatch_at = pw.TextField(null=True)  # when the kiosk's chain stopped matching; NULL while it matches
    mismatch = pw.TextField(null=True)  # what did not match, in words


class KioskHealth(ServerModel):
    kiosk_number = pw.IntegerField(primary_key=True)
    last_seen_at = pw.TextField()  # the server's clock, at most LAST_SEEN_RESOLUTION old (server.heartbeat)
    heartbeat_at = pw.TextField(null=True)  # the server's clock when the latest heartbeat arrived
    kiosk_clock = pw.TextField(null=True)  # the heartbeat's sent_at, as the kiosk wrote it
    clock_skew_seconds = pw.FloatField(null=True)  # kiosk clock minus server clock (network delay included)
    version = pw.TextField(null=True)
    uptime_seconds = pw.BigIntegerField(null=True)
    reports_waiting = pw.IntegerField(null=True)
    events_waiting = pw.IntegerField(null=True)
    printer_state = pw.TextField(null=True)
    printer_message = pw.TextField(null=True)
    disk_free_bytes = pw.BigIntegerField(null=True)
    last_error_code = pw.TextField(null=True)
    last_error_at = pw.TextField(null=True)


class LookupFailure(ServerModel):
    """A wrong access code typed on the status page (server.citizen_status)."""

    id = pw.BigAutoField()
    tracking_number = pw.TextField()  # as the visitor typed it, once read (known or not)
    client_key = pw.TextField()  # a keyed hash of the visitor's address
    at = pw.TextField(index=True)  # the clean-up deletes the oldest (schema version 3)

    class Meta:
        indexes = ((("tracking_number", "at"), False), (("client_key", "at"), False))


class ServerSecret(ServerModel):
    """The server's random secret (one row, id 1), hex."""

    id = pw.IntegerField(primary_key=True)
    secret = pw.TextField()


@dataclass(frozen=True)
class Models:
    """One database's models: each a subclass of the declared model above, bound to that database."""

    Kiosk: type[Kiosk]
    Report: type[Report]
    Event: type[Event]
    OfficialSequence: type[OfficialSequence]
    Conflict: type[Conflict]
    KioskHealth: type[KioskHealth]
    ImportedNumber: type[ImportedNumber]
    AuditEntry: type[AuditEntry]
    AuditChain: type[AuditChain]
    LookupFailure: type[LookupFailure]
    ServerSecret: type[ServerSecret]

    @property
    def all(self) -> list[type[ServerModel]]:
        return [getattr(self, f.name) for f in fields(self)]


_M = TypeVar("_M", bound=ServerModel)


def build_models(db: pw.Database) -> Models:
    """The declared models bound to ``db`` (the server's tables have no foreign keys, so a subclass each is all)."""

    def bind(model: type[_M]) -> type[_M]:
        meta = type("Meta", (), {"database": db, "table_name": model._meta.table_name})
        return cast("type[_M]", type(model.__name__, (model,), {"__module__": model.__module__,
                                                               "__qualname__": model.__qualname__, "Meta": meta}))

    return Models(Kiosk=bind(Kiosk), Report=bind(Report), Event=bind(Event),
                  OfficialSequence=bind(OfficialSequence), Conflict=bind(Conflict),
                  KioskHealth=bind(KioskHealth), ImportedNumber=bind(ImportedNumber), AuditEntry=bind(AuditEntry),
                  AuditChain=bind(AuditChain), LookupFailure=bind(LookupFailure),
                  ServerSecret=bind(ServerSecret))
