"""The one error body of the sync API (docs/sync-api.md, "Errors") and the handlers that give every error that body,
FastAPI's own validation errors and Starlette's 404/405 included."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import peewee as pw
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from kiosk.sync.protocol import MAX_ACCESS_CODE_BATCH, MAX_BATCH

log = logging.getLogger(__name__)


class ErrorItem(BaseModel):
    index: int | None = None
    tracking_number: str | None = None
    event_id: str | None = None
    field: str | None = None
    code: str
    message: str


class ErrorDetail(BaseModel):
    code: str
    message: str
    items: list[ErrorItem] = []


class ErrorBody(BaseModel):
    error: ErrorDetail


# The top-level code of each status.
CODES = {400: "invalid", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         409: "conflict", 413: "batch_too_large", 415: "invalid", 422: "invalid", 503: "unavailable"}
SUMMARIES = {
    401: "No token, or a token the server does not know (or has revoked).",
    403: "A report or event of another kiosk.",
    404: "Unknown path.",
    409: "A conflict with what the server already holds.",
    413: "Too many items in one push, or a body over 8 MiB.",
    422: "Invalid input; each item names the field.",
    503: "The server's database cannot be reached; nothing was stored. Try again later (Retry-After).",
}
# The pushes whose items carry a tracking number: a validation error names the item's index and tracking number
# (and its event id for events).
ITEM_LISTS = ("reports", "events", "access_codes")
# The most items of each list in one push (more is a 413, said before any validation error).
BATCH_LIMITS = {"reports": MAX_BATCH, "events": MAX_BATCH, "entries": MAX_BATCH, "access_codes": MAX_ACCESS_CODE_BATCH}
# Seconds a client is asked to wait when the database is away (503).
RETRY_AFTER_SECONDS = 30


class Refused(Exception):
    """A request the server refuses; becomes an error body with ``status``."""

    def __init__(self, status: int, message: str, items: Sequence[ErrorItem] = (), code: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.items = list(items)
        self.code = code or CODES.get(status, "error")
        self.headers = headers


def error_response(status: int, code: str, message: str, items: Sequence[ErrorItem] = (),
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(error=ErrorDetail(code=code, message=message, items=list(items)))
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of a route: these error statuses, each with the error body."""
    return {status: {"model": ErrorBody, "description": SUMMARIES[status]} for status in statuses}


def field_path(loc: Sequence[int | str]) -> str:
    """``("body", "reports", 3, "report")`` → ``reports[3].report``; ``("query", "limit")`` → ``limit``."""
    parts = list(loc[1:] if loc and loc[0] in ("body", "query", "path", "header") else loc)
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text or "body"


def validation_items(errors: Sequence[dict[str, Any]], body: object) -> list[ErrorItem]:
    items = []
    for error in errors:
        loc = tuple(error.get("loc", ()))
        index = tracking = event_id = None
        if len(loc) >= 3 and loc[0] == "body" and loc[1] in ITEM_LISTS and isinstance(loc[2], int):
            index = loc[2]
            tracking, event_id = _identity(body, loc[1], index)
        message = str(error.get("msg", "is not valid"))
        if error.get("type") == "missing":
            message = "is required"
        field = field_path(loc)
        if error.get("type") == "json_invalid":
            field, message = "body", "is not valid JSON: " + message
        items.append(ErrorItem(index=index, tracking_number=tracking, event_id=event_id, field=field,
                               code=str(error.get("type", "invalid")), message=message))
    return items


def _identity(body: Any, key: str, index: int) -> tuple[str | None, str | None]:
    """The tracking number and event id of item ``index`` of ``body[key]``, when they are strings."""
    try:
        item = body[key][index]
        tracking = item.get("tracking_number")
        event_id = item.get("event_id") if key == "events" else None
    except (KeyError, IndexError, TypeError, AttributeError):
        return None, None
    return (tracking if isinstance(tracking, str) else None), (event_id if isinstance(event_id, str) else None)


def batch_size_error(body: object) -> Refused | None:
    """413 when ``body`` holds more reports, events, audit entries or access codes than BATCH_LIMITS allows (checked
    before anything else)."""
    if isinstance(body, dict):
        for key, limit in BATCH_LIMITS.items():
            value = body.get(key)
            if isinstance(value, list) and len(value) > limit:
                return Refused(413, f"{len(value)} {key} in one push; send at most {limit} at a time",
                               [ErrorItem(field=key, code="batch_too_large",
                                          message=f"holds {len(value)} items; at most {limit} are allowed")],
                               code="batch_too_large")
    return None


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(Refused)
    def _refused(request: Request, exc: Refused) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.items, exc.headers)

    @app.exception_handler(RequestValidationError)
    def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        too_large = batch_size_error(exc.body)
        if too_large is not None:
            return error_response(413, too_large.code, too_large.message, too_large.items)
        items = validation_items(exc.errors(), exc.body)
        return error_response(422, "invalid", "the request is not valid; each item names a field and what is wrong",
                              items)

    @app.exception_handler(StarletteHTTPException)
    def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        status = exc.status_code
        headers = dict(exc.headers or {})
        if status == 400:
            # FastAPI says 400 when the body cannot be parsed at all (not UTF-8, not JSON): bad input, so 422.
            return error_response(422, "invalid", "the body is not valid JSON in UTF-8",
                                  [ErrorItem(field="body", code="json_invalid",
                                             message="send a JSON object encoded in UTF-8")], headers)
        if status == 404:
            return error_response(404, "not_found", f"no such path: {request.url.path}"[:300], (), headers)
        if status == 405:
            return error_response(405, "method_not_allowed", f"{request.method} is not allowed here", (), headers)
        message = exc.detail if isinstance(exc.detail, str) else "the request was refused"
        return error_response(status, CODES.get(status, "error"), message, (), headers)

    @app.exception_handler(pw.OperationalError)
    @app.exception_handler(pw.InterfaceError)
    def _database_away(request: Request, exc: Exception) -> JSONResponse:
        # The database cannot be reached, is gone or is locked for too long: the transaction was rolled back, so the
        # client may simply send the same request again later.
        log.error("database unavailable (%s) on %s %s", exc.__class__.__name__, request.method, request.url.path)
        return error_response(503, "unavailable", "the server's database cannot be reached; nothing was stored; "
                              "try again later", (), {"Retry-After": str(RETRY_AFTER_SECONDS)})

    @app.exception_handler(Exception)
    def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected %s on %s %s", exc.__class__.__name__, request.method, request.url.path, exc_info=exc)
        return error_response(500, "internal", "the server failed; try again later")
