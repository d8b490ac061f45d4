"""The kiosk's HTTP client for the sync API (docs/sync-api.md): one method per endpoint, plain results back, and
every kind of trouble turned into one of a few typed errors the engine knows what to do with.

- :class:`ServerUnreachable`: no connection, a time-out, a connection cut in the middle, a 5xx, an answer that is
  not the JSON the protocol promises, or an unexpected status (a wrong ``server_url`` gives 404). Try again later.
- :class:`TokenRefused`: 401, the token is missing, unknown or revoked.
- :class:`BatchTooLarge`: 413, too many items or too many bytes in one push; send fewer.
- :class:`ItemsRefused`: 403, 409 or 422 with the error body's ``items``; nothing of the batch was stored, and the
  named items are to be set aside.
- :class:`NotOffered` (a ServerUnreachable): 404 with the protocol's error body: the server predates that path.

Usage: ``with SyncClient(url, token, timeout_seconds=20) as client: client.whoami()``; :func:`client_for` builds
one from the configuration. The token is sent in the ``Authorization`` header and never logged.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

import httpx

from kiosk.config import Config
from kiosk.sync.protocol import (
    API_PREFIX,
    MAX_PULL,
    AccessCodeItem,
    AuditEntryItem,
    AuditHeadItem,
    EventItem,
    HeartbeatItem,
    ReportItem,
    WhoAmI,
)

log = logging.getLogger(__name__)

USER_AGENT = "p2c-kiosk-sync/1"


class SyncError(Exception):
    """Something kept a request from succeeding; the message says what, without the token or personal data."""


class ServerUnreachable(SyncError):
    """No usable answer: connection refused, time-out, cut connection, 5xx, not JSON, or an unexpected status."""


class TokenRefused(SyncError):
    """401: the server does not know the token (or it was revoked)."""


class BatchTooLarge(SyncError):
    """413: the push had too many items or too many bytes."""


class NotOffered(ServerUnreachable):
    """404 on a path of the protocol: the server predates it (an optional part, such as the audit chain)."""


@dataclass(frozen=True)
class RefusedItem:
    """One item the server named in a 403/409/422: its position in the batch, what it is, and why."""

    index: int | None
    tracking_number: str | None
    event_id: str | None
    field: str | None
    code: str | None
    message: str


class ItemsRefused(SyncError):
    """403, 409 or 422: the server refused the batch (storing none of it) and named the items at fault."""

    def __init__(self, status: int, code: str, message: str, items: list[RefusedItem]) -> None:
        super().__init__(f"the server refused {len(items)} item(s) ({status} {code}): {message}")
        self.status = status
        self.code = code
        self.message = message
        self.items = items


# A JSON object as the server sent it: the engine checks what it reads of it (kiosk.sync.apply for a decision).
Answer = dict[str, object]


@dataclass(frozen=True)
class AuditState:
    """What the server holds of this kiosk's audit log: its head and, when the kiosk's chain no longer matches it,
    the server's words."""

    head_id: int
    head_hash: str
    mismatch: str | None


@dataclass(frozen=True)
class DecisionPage:
    decisions: list[Answer] = field(default_factory=list)
    next_cursor: int = 0
    more: bool = False


class SyncClient:
    """One kiosk's connection to the server. Keeps one HTTP connection open between calls; close it when done."""

    def __init__(self, server_url: str, token: str, *, timeout_seconds: float = 20.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.server_url = server_url.rstrip("/")
        self._http = httpx.Client(
            base_url=self.server_url + API_PREFIX,
            headers={"Authorization": f"Bearer {token}", "User-Agent": USER_AGENT, "Accept": "application/json"},
            timeout=httpx.Timeout(timeout_seconds),
            transport=transport,
            follow_redirects=False,
        )

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # -- the endpoints -------------------------------------------------------------------------------------------

    def whoami(self) -> WhoAmI:
        """``{"kiosk_name": ..., "kiosk_number": ...}``: which kiosk the server knows the token as."""
        answer = self._request("GET", "/whoami")
        name, number = answer.get("kiosk_name"), answer.get("kiosk_number")
        if not isinstance(name, str) or not isinstance(number, int):
            raise ServerUnreachable(f"{self._where('/whoami')} answered without kiosk_name and kiosk_number")
        return {"kiosk_name": name, "kiosk_number": number}

    def push_reports(self, reports: list[ReportItem]) -> list[Answer]:
        """Push a batch of reports (wire form); their results in request order (``outcome`` per tracking number)."""
        answer = self._request("POST", "/reports", {"reports": reports})
        return self._results(answer, "/reports", len(reports), "tracking_number",
                             [item["tracking_number"] for item in reports])

    def push_events(self, events: list[EventItem]) -> list[Answer]:
        """Push a batch of history events; their results in request order (``outcome``, ``official_number``)."""
        answer = self._request("POST", "/events", {"events": events})
        return self._results(answer, "/events", len(events), "event_id", [item["event_id"] for item in events])

    def push_access_codes(self, items: list[AccessCodeItem]) -> list[Answer]:
        """``POST /access-codes``: the verifiers of reports the server holds; their results in request order
        (``outcome``: ``stored`` or ``unchanged``). NotOffered on any 404 (a server that predates the status page)."""
        response = self._send("POST", "/access-codes", {"access_codes": items})
        if response.status_code == 404:
            raise NotOffered(f"{self._where('/access-codes')} answered 404: the server does not offer it (an older "
                             "server?)")
        answer = self._answer(response, "/access-codes")
        return self._results(answer, "/access-codes", len(items), "tracking_number",
                             [item["tracking_number"] for item in items])

    def pull_decisions(self, after: int, limit: int = 100) -> DecisionPage:
        """One page of the decisions feed after the cursor ``after``."""
        limit = max(1, min(limit, MAX_PULL))
        answer = self._request("GET", "/decisions", params={"after": after, "limit": limit})
        decisions, cursor, more = answer.get("decisions"), answer.get("next_cursor"), answer.get("more")
        if (not isinstance(decisions, list) or not all(isinstance(d, dict) for d in decisions)
                or not isinstance(cursor, int) or isinstance(cursor, bool) or not isinstance(more, bool)):
            raise ServerUnreachable(f"{self._where('/decisions')} answered without decisions, next_cursor and more")
        return DecisionPage(decisions=decisions, next_cursor=cursor, more=more)

    def audit_state(self) -> AuditState:
        """``GET /audit``: the head of this kiosk's audit log the server holds. NotOffered from an older server."""
        return self._audit_state(self._request("GET", "/audit"), "/audit")

    def push_audit(self, head: AuditHeadItem, entries: list[AuditEntryItem]) -> AuditState:
        """``POST /audit``: entries after the server's head and the kiosk's head. ItemsRefused (409
        ``audit_mismatch``) when the server finds the chain no longer matches."""
        return self._audit_state(self._request("POST", "/audit", {"head": head, "entries": entries}), "/audit")

    def heartbeat(self, item: HeartbeatItem) -> Answer:
        """``POST /heartbeat``: the kiosk's health; the server's answer (``received_at``, ``silent_after_seconds``).
        NotOffered on any 404 (a server that predates the heartbeat), ItemsRefused (422) naming the fields."""
        response = self._send("POST", "/heartbeat", item)
        if response.status_code == 404:
            raise NotOffered(f"{self._where('/heartbeat')} answered 404: the server does not offer it (an older "
                             "server?)")
        return self._answer(response, "/heartbeat")

    def _audit_state(self, answer: Answer, path: str) -> AuditState:
        head = answer.get("head")
        head_id = head.get("id") if isinstance(head, dict) else None
        head_hash = head.get("hash") if isinstance(head, dict) else None
        mismatch = answer.get("mismatch")
        if (not isinstance(head_id, int) or isinstance(head_id, bool) or not isinstance(head_hash, str)
                or not (mismatch is None or isinstance(mismatch, str))):
            raise ServerUnreachable(f"{self._where(path)} answered without the audit head")
        return AuditState(head_id, head_hash, mismatch)

    # -- plumbing -------------------------------------------------------------------------------------------------

    def _where(self, path: str) -> str:
        return f"the server at {self.server_url}{API_PREFIX}{path}"

    def _request(self, method: str, path: str, body: object = None,
                 params: dict[str, int] | None = None) -> Answer:
        return self._answer(self._send(method, path, body, params), path)

    def _send(self, method: str, path: str, body: object = None,
              params: dict[str, int] | None = None) -> httpx.Response:
        content = None
        headers = None
        if body is not None:
            content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            headers = {"Content-Type": "application/json"}
        try:
            response = self._http.request(method, path, content=content, headers=headers, params=params)
        except httpx.TimeoutException as exc:
            raise ServerUnreachable(f"{self._where(path)} did not answer in time ({exc.__class__.__name__})") from exc
        except httpx.TransportError as exc:
            # ConnectError, ReadError, RemoteProtocolError (a connection cut in the middle of an answer), ...
            raise ServerUnreachable(f"{self._where(path)} cannot be reached ({exc.__class__.__name__}: {exc})"
                                    ) from exc
        return response

    def _answer(self, response: httpx.Response, path: str) -> Answer:
        status = response.status_code
        try:
            data = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            data = None
        if 200 <= status < 300:
            if not isinstance(data, dict):
                raise ServerUnreachable(f"{self._where(path)} answered {status} without a JSON object")
            return data
        error = data.get("error") if isinstance(data, dict) else None
        error = error if isinstance(error, dict) else {}
        code = str(error.get("code") or "")
        message = str(error.get("message") or "")
        if status >= 500:
            raise ServerUnreachable(f"{self._where(path)} failed ({status}{' ' + code if code else ''})")
        if status == 401:
            raise TokenRefused(f"{self._where(path)} refused the token (401): store the kiosk's token with "
                               "`p2c-kiosk configure --server URL --token-stdin`")
        if status == 413:
            raise BatchTooLarge(f"{self._where(path)} refused the batch as too large (413 {code})")
        if status in (403, 409, 422) and error:
            items = [_item(raw) for raw in error.get("items") or [] if isinstance(raw, dict)]
            raise ItemsRefused(status, code, message, items)
        if status == 404 and code == "not_found":
            raise NotOffered(f"{self._where(path)} answered 404: the server does not offer it (an older server?)")
        if data is None:
            raise ServerUnreachable(f"{self._where(path)} answered {status} without JSON: is sync.server_url the "
                                    "department server's address?")
        raise ServerUnreachable(f"{self._where(path)} answered {status}{' ' + code if code else ''}: "
                                f"is sync.server_url the department server's address?")

    def _results(self, answer: Answer, path: str, count: int, key: str, sent: list[str]) -> list[Answer]:
        results = answer.get("results")
        if (not isinstance(results, list) or len(results) != count
                or not all(isinstance(r, dict) and r.get(key) == want for r, want in zip(results, sent, strict=False))):
            raise ServerUnreachable(f"{self._where(path)} answered without one result per {key} in request order")
        return results


def _item(raw: Answer) -> RefusedItem:
    def text(key: str) -> str | None:
        value = raw.get(key)
        return value if isinstance(value, str) else None

    index = raw.get("index")
    return RefusedItem(index=index if isinstance(index, int) and not isinstance(index, bool) else None,
                       tracking_number=text("tracking_number"), event_id=text("event_id"), field=text("field"),
                       code=text("code"), message=text("message") or "refused")


def client_for(config: Config, token: str, *, transport: httpx.BaseTransport | None = None) -> SyncClient:
    """A client for ``config.sync.server_url`` with its time-out."""
    return SyncClient(config.sync.server_url, token, timeout_seconds=config.sync.timeout_seconds, transport=transport)
