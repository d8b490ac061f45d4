"""The kiosk's durable store: SQLite through peewee, in WAL mode with ``synchronous=FULL``."""

from kiosk.storage.database import Store, StoreError, open_store

__all__ = ["Store", "StoreError", "open_store"]
