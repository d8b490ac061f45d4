"""The kiosk's durable store: SQLite through peewee, in WAL mode with ``synchronous=FULL``.

- :mod:`kiosk.storage.database`: ``Store`` and ``open_store`` (they import peewee, ~15 ms: the kiosk's container,
  kiosk.home.Kiosk, opens the store the first time something asks for it, after the kiosk window's first paint);
- :mod:`kiosk.storage.errors`: ``StoreError``, re-exported here, which any layer may catch without importing the
  database layer;
- :mod:`kiosk.storage.models`, :mod:`kiosk.storage.migrations`: the tables and how a file gets to them.
"""

from kiosk.storage.errors import StoreError

__all__ = ["StoreError"]
