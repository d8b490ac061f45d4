"""The kiosks a department registered, and telling them apart by their bearer tokens.

A token is 256 random bits (``secrets.token_urlsafe(32)``) shown once when the kiosk is added; the server keeps
only its SHA-256. A slow password hash would add nothing for a random token that long.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from kiosk.storage.timestamps import utc_text
from server.db import ServerDatabase, write_transaction


class KioskError(ValueError):
    """A kiosk command that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class KioskInfo:
    number: int
    name: str
    active: bool
    created_at: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def now_stamp() -> str:
    return utc_text(datetime.now(UTC))


def add_kiosk(database: ServerDatabase, name: str, number: int) -> str:
    """Register kiosk ``number`` and return its new token (shown once). A revoked kiosk's number may be added again:
    it gets the new name and token."""
    name = (name or "").strip()
    if not name:
        raise KioskError("the kiosk needs a name, such as \"Lobby North\"")
    if len(name) > 200:
        raise KioskError("the kiosk's name is too long (at most 200 characters)")
    if not isinstance(number, int) or not 1 <= number <= 99:
        raise KioskError("the kiosk number must be from 1 to 99 (the number in its kiosk.toml, [kiosk] number)")
    token = secrets.token_urlsafe(32)
    Kiosk = database.models.Kiosk
    with database.db.connection_context(), write_transaction(database):
        existing = Kiosk.get_or_none(Kiosk.number == number)
        if existing is not None and existing.active:
            raise KioskError(f"kiosk {number} is already registered as \"{existing.name}\"; "
                             f"revoke it first (p2c-server kiosk revoke {number}) to give it a new token")
        if existing is not None:
            Kiosk.update(name=name, token_hash=token_hash(token), active=True, created_at=now_stamp()).where(
                Kiosk.id == existing.id).execute()
            # A new token is a new machine (or a new start): what the old one last said is not its health.
            KioskHealth = database.models.KioskHealth
            KioskHealth.delete().where(KioskHealth.kiosk_number == number).execute()
        else:
            Kiosk.create(number=number, name=name, token_hash=token_hash(token), active=True, created_at=now_stamp())
    return token


def revoke_kiosk(database: ServerDatabase, number: int) -> KioskInfo:
    Kiosk = database.models.Kiosk
    with database.db.connection_context(), write_transaction(database):
        row = Kiosk.get_or_none(Kiosk.number == number)
        if row is None:
            raise KioskError(f"there is no kiosk {number}; `p2c-server kiosk list` shows the registered ones")
        Kiosk.update(active=False).where(Kiosk.id == row.id).execute()
    return KioskInfo(row.number, row.name, False, row.created_at)


def list_kiosks(database: ServerDatabase) -> list[KioskInfo]:
    Kiosk = database.models.Kiosk
    with database.db.connection_context():
        return [KioskInfo(row.number, row.name, row.active, row.created_at)
                for row in Kiosk.select().order_by(Kiosk.number)]


def kiosk_for_token(database: ServerDatabase, token: str) -> KioskInfo | None:
    """The active kiosk holding ``token`` (call with a connection open), or None."""
    # Plain SQL: every request asks this, and building the statement through the ORM costs more than running it.
    db, table = database.db, database.models.Kiosk._meta.table_name
    row = db.execute_sql(f"SELECT number, name, active, created_at FROM {db.quote[0]}{table}{db.quote[1]} "
                         f"WHERE token_hash = {db.param} AND active = {db.param}",
                         (token_hash(token), True)).fetchone()
    return None if row is None else KioskInfo(row[0], row[1], bool(row[2]), row[3])
