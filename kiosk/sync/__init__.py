"""Sync to the department server (docs/sync.md, docs/sync-api.md).

``from kiosk.sync import SyncEngine, SyncRun, SyncStatus, SyncConflict, token_from_keyring, store_token``. The names
are loaded on first use, so that ``import kiosk.sync`` (and :mod:`kiosk.sync.protocol`, which the server shares)
pulls in neither httpx nor the database layer.

- :mod:`kiosk.sync.engine`: the engine (push reports, push events, pull decisions, purge; back-off).
- :mod:`kiosk.sync.client`: the HTTP client and its typed errors.
- :mod:`kiosk.sync.state`: what is pending and what was acknowledged, read from and written to the database.
- :mod:`kiosk.sync.secrets`: the token in the system keyring.
- :mod:`kiosk.sync.apply`, :mod:`kiosk.sync.purge`: what a decision or an official number changes; the purge.
- :mod:`kiosk.sync.order`: the one order of decisions (versions, overruled changes, the e-mail of a decision once it is
  final in the server's order).
- :mod:`kiosk.sync.audit_anchor`: the audit log anchored at the server.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.sync.engine import SyncConflict, SyncEngine, SyncRun, SyncStatus
    from kiosk.sync.secrets import store_token, token_from_keyring

__all__ = ["SyncConflict", "SyncEngine", "SyncRun", "SyncStatus", "store_token", "token_from_keyring"]

_WHERE = {
    "SyncEngine": "kiosk.sync.engine",
    "SyncRun": "kiosk.sync.engine",
    "SyncStatus": "kiosk.sync.engine",
    "SyncConflict": "kiosk.sync.engine",
    "token_from_keyring": "kiosk.sync.secrets",
    "store_token": "kiosk.sync.secrets",
}


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'kiosk.sync' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
