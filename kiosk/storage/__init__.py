"""The kiosk's durable store: SQLite through peewee, in WAL mode with ``synchronous=FULL``.

``Store`` and ``open_store`` are loaded on first use (peewee takes ~15 ms to import, which the kiosk window's
start-up should not pay before its first paint); ``StoreError`` is always at hand.
"""

from typing import TYPE_CHECKING, Any

from kiosk.storage.errors import StoreError

if TYPE_CHECKING:
    from kiosk.storage.database import Store, open_store

__all__ = ["Store", "StoreError", "open_store"]


def __getattr__(name: str) -> Any:
    if name in ("Store", "open_store"):
        from kiosk.storage import database

        return getattr(database, name)
    raise AttributeError(f"module 'kiosk.storage' has no attribute {name!r}")
