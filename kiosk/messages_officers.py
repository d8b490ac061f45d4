"""Messages of the officers part of officer mode, merged into :data:`kiosk.messages.CATALOG` (code -> (English,
Spanish)); the same completeness checks apply."""

from __future__ import annotations

CATALOG: dict[str, tuple[str, str]] = {}
