"""The reference department server's web application: ``create_app(db_url, config)``, and what ``p2c-server serve``
hands uvicorn: ``app_from_environment`` (each worker process builds its own application, with its own connection
pool, from ``$P2C_SERVER_DB`` and ``$P2C_SERVER_CONFIG``), ``ServeConfig`` and ``ServeProtocol``.

Endpoints are plain ``def`` functions (FastAPI runs them on its thread pool); each opens a database connection for
the request and closes it after (peewee keeps one connection per thread). See docs/sync-api.md for the protocol.

What a process keeps in memory is its own by design, never something another worker needs (docs/server.md,
"Several workers"): the connection pool; ``LastSeen``'s note of when this process last wrote a kiosk's last-seen time
(with N workers a kiosk's row is written at most N times a minute instead of once; the time itself is in the
database); the slow-client timers, which belong to one connection and so to one process. The writers' lock and the
official number sequence are in the database.
"""

import asyncio
import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

import uvicorn
from fastapi import Depends, FastAPI, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from uvicorn.server import ServerState

from kiosk.config import Config
from kiosk.storage.timestamps import utc_text
from kiosk.sync.protocol import API_PREFIX, API_VERSION, MAX_ACCESS_CODE_BATCH, MAX_BATCH, MAX_PULL
from server.audit_chain import audit_state, push_audit
from server.body_limit import BodyLimit
from server.db import ServerDatabase, default_database_url, open_database
from server.decisions import decisions_page
from server.errors import ErrorItem, Refused, install_handlers, responses
from server.heartbeat import LastSeen
from server.kiosks import KioskInfo, kiosk_for_token
from server.push_access_codes import push_access_codes
from server.push_events import push_events
from server.push_reports import push_reports
from server.schemas import (
    AccessCodesAnswer,
    AccessCodesPush,
    AuditPush,
    AuditState,
    DecisionsAnswer,
    EventsAnswer,
    EventsPush,
    Health,
    Heartbeat,
    HeartbeatAnswer,
    ReportsAnswer,
    ReportsPush,
    WhoAmI,
)
from server.settings import CONFIG_ENV, ServerSettings, load_department_config, load_settings
from server.slow_clients import BodyTimeout, HeadTimedH11Protocol
from server.status_page import mount_status_page

TITLE = "P2C kiosk sync API"
DESCRIPTION = ("The protocol between P2C lobby kiosks and their department's server (docs/sync-api.md). "
               "Every error has the body {\"error\": {\"code\", \"message\", \"items\"}}.")
BIG_INT = 2**62
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(db_url: str, config: Config | None = None, database: ServerDatabase | None = None,
               settings: ServerSettings | None = None, clock: Callable[[], datetime] = _utc_now) -> FastAPI:
    """The application for the database at ``db_url`` (its tables are created if missing), the department's
    configuration (the kiosk defaults when None) and the server's own settings (the defaults when None). ``clock``
    gives the time kept as a kiosk's last-seen and heartbeat time."""
    department = config or load_department_config(None)
    server_settings = settings or ServerSettings()
    db = database or open_database(db_url, pool_size=server_settings.pool_size)
    last_seen = LastSeen(db, clock)
    bearer = HTTPBearer(auto_error=False, description="The kiosk's token from `p2c-server kiosk add`.")

    def current_kiosk(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> KioskInfo:
        kiosk = None
        if credentials is not None and credentials.scheme.lower() == "bearer":
            with db.db.connection_context():
                kiosk = kiosk_for_token(db, credentials.credentials)
                if kiosk is not None:
                    last_seen.seen(kiosk)
        if kiosk is None:
            raise Refused(401, "send the kiosk's token as Authorization: Bearer <token>; this one is missing, "
                               "unknown or revoked (p2c-server kiosk add gives a new one)",
                          headers={"WWW-Authenticate": 'Bearer realm="p2c"'})
        return kiosk

    Kiosk = Annotated[KioskInfo, Depends(current_kiosk)]
    app = FastAPI(title=TITLE, version=str(API_VERSION), description=DESCRIPTION)
    app.state.database = db
    app.state.config = department
    install_handlers(app)
    mount_status_page(app)  # the citizen's status page, GET /status (docs/status-page.md)
    app.add_middleware(BodyLimit)
    app.add_middleware(BodyTimeout, seconds=server_settings.body_timeout_seconds)  # outermost: times BodyLimit's reads

    @app.get(f"{API_PREFIX}/health", response_model=Health, summary="Is the server up (no token needed)")
    def health() -> Health:
        return Health(status="ok", api_version=API_VERSION)

    @app.get(f"{API_PREFIX}/whoami", response_model=WhoAmI, responses=responses(401, 503),
             summary="Which kiosk the token belongs to")
    def whoami(kiosk: Kiosk) -> WhoAmI:
        return WhoAmI(kiosk_name=kiosk.name, kiosk_number=kiosk.number)

    @app.post(f"{API_PREFIX}/reports", response_model=ReportsAnswer,
              responses=responses(401, 403, 409, 413, 422, 503), summary="Push reports (all or nothing, idempotent)")
    def post_reports(push: ReportsPush, kiosk: Kiosk) -> Response:
        _check_batch(len(push.reports), "reports")
        return _answer(ReportsAnswer(results=push_reports(db, department, kiosk, push.reports)))

    @app.post(f"{API_PREFIX}/events", response_model=EventsAnswer,
              responses=responses(401, 403, 409, 413, 422, 503), summary="Push history events (all or nothing)")
    def post_events(push: EventsPush, kiosk: Kiosk) -> Response:
        _check_batch(len(push.events), "events")
        return _answer(EventsAnswer(results=push_events(db, department, kiosk, push.events)))

    @app.get(f"{API_PREFIX}/decisions", response_model=DecisionsAnswer, responses=responses(401, 422, 503),
             summary="Pull decisions made elsewhere on this kiosk's reports")
    def get_decisions(request: Request, kiosk: Kiosk, after: Annotated[int, Query(ge=0, le=BIG_INT)] = 0,
                      limit: Annotated[int, Query(ge=1, le=MAX_PULL)] = 100) -> Response:
        unknown = sorted(set(request.query_params) - {"after", "limit"})
        if unknown:
            # A misspelt "after" would silently start the feed again from the beginning.
            raise Refused(422, "unknown query parameters; only after and limit are understood",
                          [ErrorItem(field=name[:100], code="unknown_parameter", message="is not a parameter here")
                           for name in unknown[:20]])
        return _answer(decisions_page(db, kiosk, after, limit))

    @app.post(f"{API_PREFIX}/heartbeat", response_model=HeartbeatAnswer, responses=responses(401, 413, 422, 503),
              summary="Send the kiosk's health (the server keeps the latest)")
    def post_heartbeat(beat: Heartbeat, kiosk: Kiosk) -> HeartbeatAnswer:
        with db.db.connection_context():
            received = last_seen.heartbeat(kiosk, beat)
        return HeartbeatAnswer(received_at=utc_text(received),
                               silent_after_seconds=int(server_settings.silent_after.total_seconds()))

    @app.get(f"{API_PREFIX}/audit", response_model=AuditState, responses=responses(401, 503),
             summary="The head of this kiosk's audit log as the server holds it")
    def get_audit(kiosk: Kiosk) -> AuditState:
        return audit_state(db, kiosk)

    @app.post(f"{API_PREFIX}/audit", response_model=AuditState, responses=responses(401, 409, 413, 422, 503),
              summary="Push audit entries and the kiosk's head (the server checks the chain)")
    def post_audit(push: AuditPush, kiosk: Kiosk) -> AuditState:
        _check_batch(len(push.entries), "entries")
        return push_audit(db, kiosk, push)

    @app.post(f"{API_PREFIX}/access-codes", response_model=AccessCodesAnswer,
              responses=responses(401, 403, 413, 422, 503),
              summary="Push access-code verifiers of pushed reports (all or nothing; the latest replaces)")
    def post_access_codes(push: AccessCodesPush, kiosk: Kiosk) -> AccessCodesAnswer:
        _check_batch(len(push.access_codes), "access_codes", MAX_ACCESS_CODE_BATCH)
        return AccessCodesAnswer(results=push_access_codes(db, kiosk, push.access_codes))

    return app


def _answer(answer: BaseModel) -> Response:
    """``answer`` as the JSON response. The endpoints that answer with many items build their answer model
    themselves, so FastAPI's validating it again as the response model (on the thread pool once more) is skipped;
    the response model still documents it."""
    return Response(answer.model_dump_json(), media_type="application/json")


def _check_batch(count: int, key: str, limit: int = MAX_BATCH) -> None:
    if count > limit:
        raise Refused(413, f"{count} {key} in one push; send at most {limit} at a time",
                      [ErrorItem(field=key, code="batch_too_large",
                                 message=f"holds {count} items; at most {limit} are allowed")],
                      code="batch_too_large")


def app_from_environment() -> FastAPI:
    """The application of one worker process of ``p2c-server serve`` (uvicorn's ``factory``): the database at
    ``$P2C_SERVER_DB`` and the settings in ``$P2C_SERVER_CONFIG`` (the defaults when unset)."""
    _stop_with_supervisor()
    settings = load_settings(os.environ.get(CONFIG_ENV) or None)
    return create_app(default_database_url(), settings.department, settings=settings.server)


def _stop_with_supervisor() -> None:
    """In a worker process of uvicorn's supervisor: ask Linux for SIGTERM when the supervisor dies, however it dies
    (kill -9, the OOM killer), so that no worker outlives it holding the port. A no-op in a process of its own."""
    supervisor = multiprocessing.parent_process()
    if supervisor is None or not sys.platform.startswith("linux"):
        return
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != supervisor.pid:  # it died before the request was made
        os.kill(os.getpid(), signal.SIGTERM)


class ServeConfig(uvicorn.Config):
    """uvicorn's configuration with the server's header time-out, which :class:`ServeProtocol` reads. A module-level
    class, so the configuration survives the trip to each worker process (uvicorn pickles it)."""

    def __init__(self, app: str, *, header_timeout: float, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self.header_timeout = header_timeout


class ServeProtocol(HeadTimedH11Protocol):
    """The h11 protocol with the header time-out of its :class:`ServeConfig` (server.slow_clients)."""

    def __init__(self, config: uvicorn.Config, server_state: ServerState, app_state: dict[str, Any],
                 _loop: asyncio.AbstractEventLoop | None = None) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.head_timeout = float(getattr(config, "header_timeout", self.head_timeout))
