"""Print the sync API's OpenAPI document: ``python -m server.openapi > docs/sync-openapi.json``."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any


def openapi_document() -> dict[str, Any]:
    """The document of the application (built on a throw-away SQLite file: the document does not depend on it)."""
    from server.app import create_app

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(f"sqlite:///{Path(folder) / 'openapi.sqlite3'}")
        document = app.openapi()
        app.state.database.close()
    return document


def openapi_text() -> str:
    return json.dumps(openapi_document(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(openapi_text())
