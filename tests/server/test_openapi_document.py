"""docs/sync-openapi.json is the reference server's own OpenAPI document, kept in the repository for departments
that write their own server; it must not drift from the code."""

from __future__ import annotations

import json
from pathlib import Path

from server.openapi import openapi_document

DOC = Path(__file__).resolve().parents[2] / "docs" / "sync-openapi.json"


def test_the_committed_document_is_the_servers():
    committed = json.loads(DOC.read_text(encoding="utf-8"))
    assert committed == openapi_document(), (
        "docs/sync-openapi.json is out of date: .venv/bin/python -m server.openapi > docs/sync-openapi.json")


def test_every_endpoint_declares_the_error_body_for_its_errors():
    document = openapi_document()
    error_ref = "#/components/schemas/ErrorBody"
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": error_ref}, f"{method.upper()} {path} {status}"
    assert "HTTPValidationError" not in document["components"]["schemas"]
    assert set(document["paths"]) == {f"/api/v1/{name}" for name in ("health", "whoami", "reports", "events", "audit",
                                                                      "decisions", "heartbeat", "access-codes")}
