"""The citizen's status page on the reference server (docs/status-page.md): ``GET /status`` (the form; ``?t=`` fills
in the tracking number, as the receipt's QR link does, ``?lang=`` picks the language), ``POST /status`` (look a
report up), ``POST /status/answer`` (answer the officer's question) and ``GET /status/status.css``.

Server-rendered HTML without JavaScript (pages.py); the checks, the rate limits and the answer are
server.citizen_status's, the only thing the page calls. ``mount_status_page(app)`` adds the routes to the server's
application (server/app.py).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs

from fastapi import FastAPI, Request, Response
from starlette.concurrency import run_in_threadpool

from kiosk.config import Config
from kiosk.lookup import ANSWER_MIN_CHARS
from kiosk.messages import CATALOG, Problem, render
from kiosk.translation import PSEUDO_LANGUAGES, catalogues
from server import citizen_status
from server.citizen_status import StatusLocked, StatusRefused
from server.db import ServerDatabase
from server.errors import RETRY_AFTER_SECONDS
from server.status_page import texts
from server.status_page.pages import (
    FIELD_IDS,
    Errors,
    PageContext,
    form_page,
    gettext,
    status_page,
    unavailable_page,
)
from server.status_page.security import (
    CSRF_FIELD,
    NO_STORE,
    SECURITY_HEADERS,
    client_address,
    cookie_nonce,
    form_token,
    new_nonce,
    set_cookie,
    token_matches,
)

log = logging.getLogger(__name__)

# Every POST answer takes at least this long, whatever happened (a known number, an unknown one, a wrong code, a
# refused token): measured in docs/status-page.md, "The time floor", well above the slowest look-up on this machine.
POST_FLOOR_SECONDS = 0.25
# A form larger than this is refused before it is parsed: an answer of rules.narrative_max_chars (5,000 by default)
# characters of four UTF-8 bytes each, percent-encoded, is 60 KB.
MAX_FORM_BYTES = 96 * 1024
MAX_FIELDS = 12
FORM_TYPE = "application/x-www-form-urlencoded"
CSS = (Path(__file__).parent / "status.css").read_text(encoding="utf-8")


def mount_status_page(app: FastAPI, clock: Callable[[], datetime] | None = None) -> None:
    """Add the status page's routes to ``app`` (its ``state.database`` and ``state.config``, as server.app sets)."""
    page = _StatusPage(app.state.database, app.state.config, clock or (lambda: datetime.now(UTC)))
    app.add_api_route("/status", page.get_form, methods=["GET"], include_in_schema=False)
    app.add_api_route("/status", page.post_lookup, methods=["POST"], include_in_schema=False)
    app.add_api_route("/status/answer", page.post_answer, methods=["POST"], include_in_schema=False)
    app.add_api_route("/status/answer", page.get_form, methods=["GET"], include_in_schema=False)
    app.add_api_route("/status/status.css", page.get_css, methods=["GET"], include_in_schema=False)


class _Form(Exception):
    """The POST body could not be taken: ``status`` and the text to show."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


class _StatusPage:
    def __init__(self, database: ServerDatabase, config: Config, clock: Callable[[], datetime]) -> None:
        self.database = database
        self.config = config
        self.clock = clock
        self.languages = tuple(code for code in catalogues().installed() if code not in PSEUDO_LANGUAGES)

    # -- routes ------------------------------------------------------------------------------------------------------

    async def get_css(self) -> Response:
        return Response(CSS, media_type="text/css; charset=utf-8",
                        headers={**SECURITY_HEADERS, "Cache-Control": "public, max-age=3600"})

    async def get_form(self, request: Request) -> Response:
        try:
            return await self._form(request)
        except Exception as exc:  # the visitor sees a plain message, never a stack trace
            return self._unavailable(request, exc)

    async def _form(self, request: Request) -> Response:
        chosen = self._known(request.query_params.get("lang"))
        language = chosen or self._negotiated(request)
        tracking = request.query_params.get("t", "")[:40]
        nonce = cookie_nonce(request) or new_nonce()
        context = await self._context(language, nonce, chosen is not None)
        return self._html(form_page(context, tracking.strip()), 200, request, nonce)

    async def post_lookup(self, request: Request) -> Response:
        started = time.monotonic()
        try:
            return await self._lookup(request)
        except Exception as exc:  # the visitor sees a plain message, never a stack trace
            return self._unavailable(request, exc)
        finally:
            await _pad(started)

    async def post_answer(self, request: Request) -> Response:
        started = time.monotonic()
        try:
            return await self._answer(request)
        except Exception as exc:  # the visitor sees a plain message, never a stack trace
            return self._unavailable(request, exc)
        finally:
            await _pad(started)

    # -- the two POSTs ------------------------------------------------------------------------------------------------

    async def _lookup(self, request: Request) -> Response:
        refused = await self._refuse_form(request)
        if isinstance(refused, Response):
            return refused
        form, nonce = refused
        chosen = self._known(form.get("switch")) or self._known(form.get("lang"))
        tracking, code = form.get("t", ""), form.get("code", "")
        client = client_address(request)
        try:
            status = await run_in_threadpool(citizen_status.check, self.database, self.config, tracking, code,
                                             client=client, now=self.clock())
        except StatusRefused as exc:
            return await self._refused_form(request, exc, chosen, nonce, tracking)
        language = chosen or await self._report_language(tracking) or self._negotiated(request)
        context = await self._context(language, nonce, chosen is not None)
        return self._html(status_page(context, status, code, *self._answer_limits()), 200, request, nonce)

    async def _answer(self, request: Request) -> Response:
        refused = await self._refuse_form(request)
        if isinstance(refused, Response):
            return refused
        form, nonce = refused
        chosen = self._known(form.get("lang"))
        tracking, code, text = form.get("t", ""), form.get("code", ""), form.get("answer", "")
        client = client_address(request)
        try:
            status = await run_in_threadpool(citizen_status.answer, self.database, self.config, tracking, code,
                                             text, client=client, now=self.clock())
        except StatusRefused as exc:
            if isinstance(exc, StatusLocked) or exc.problem.field in ("tracking_number", "access_code"):
                return await self._refused_form(request, exc, chosen, nonce, tracking)
            return await self._refused_answer(request, exc.problem, chosen, nonce, tracking, code, text)
        language = chosen or await self._report_language(tracking) or self._negotiated(request)
        context = await self._context(language, nonce, chosen is not None)
        page = status_page(context, status, code, *self._answer_limits(), answered=True)
        return self._html(page, 200, request, nonce)

    async def _refused_answer(self, request: Request, problem: Problem, chosen: str | None, nonce: str,
                              tracking: str, code: str, text: str) -> Response:
        """The status page again with the answer's problem (the answer kept, to be corrected)."""
        try:
            status = await run_in_threadpool(citizen_status.check, self.database, self.config, tracking, code,
                                             client=client_address(request), now=self.clock())
        except StatusRefused as exc:
            return await self._refused_form(request, exc, chosen, nonce, tracking)
        language = chosen or await self._report_language(tracking) or self._negotiated(request)
        context = await self._context(language, nonce, chosen is not None)
        message = _problem_text(problem, language)
        errors = Errors(by_field={"answer": message}) if status.can_answer else Errors(general=[message])
        page = status_page(context, status, code, *self._answer_limits(), answer=text, errors=errors)
        return self._html(page, 422, request, nonce)

    async def _refused_form(self, request: Request, exc: StatusRefused, chosen: str | None, nonce: str,
                            tracking: str) -> Response:
        language = chosen or self._negotiated(request)
        problem = exc.problem
        field_id = FIELD_IDS.get(problem.field)
        message = _problem_text(problem, language)
        errors = Errors(by_field={field_id: message}) if field_id in ("tracking", "code") else Errors(general=[message])
        context = await self._context(language, nonce, chosen is not None)
        return self._html(form_page(context, tracking.strip()[:40], errors), 429 if isinstance(exc, StatusLocked)
                          else 422, request, nonce)

    def _unavailable(self, request: Request, exc: Exception) -> Response:
        """Whatever went wrong (the database is down, a bug): lookup.unavailable in the visitor's language, never a
        stack trace, and Retry-After as the API's 503 has. The log gets the exception's class and where it happened,
        never its text (it may hold what the visitor typed)."""
        where = exc.__traceback__
        while where is not None and where.tb_next is not None:
            where = where.tb_next
        place = f"{Path(where.tb_frame.f_code.co_filename).name}:{where.tb_lineno}" if where is not None else "?"
        log.error("status page: %s %s failed: %s at %s", request.method, request.url.path, exc.__class__.__name__,
                  place)
        language = self._known(request.query_params.get("lang")) or self._negotiated(request)
        page = unavailable_page(PageContext(language, self.languages, self.config.department.name, ""),
                                render(Problem("", "lookup.unavailable"), language))
        return Response(page, status_code=503, media_type="text/html; charset=utf-8",
                        headers={**SECURITY_HEADERS, **NO_STORE, "Retry-After": str(RETRY_AFTER_SECONDS)})

    async def _refuse_form(self, request: Request) -> tuple[dict[str, str], str] | Response:
        """The form's fields and the cookie's nonce, or the page that refuses it: a body that is not a form, too
        large, or without a matching CSRF token (then a new cookie comes with the page)."""
        language = self._negotiated(request)
        try:
            form = await _read_form(request)
        except _Form as exc:
            kept = cookie_nonce(request) or new_nonce()
            context = await self._context(language, kept, False)
            text = gettext(language, exc.text).format(max=self.config.rules.narrative_max_chars)
            return self._html(form_page(context, "", Errors(general=[text])), exc.status, request, kept)
        nonce = cookie_nonce(request)
        secret = await run_in_threadpool(citizen_status.server_secret, self.database)
        if nonce is None or not token_matches(secret, nonce, form.get(CSRF_FIELD, "")):
            chosen = self._known(form.get("switch")) or self._known(form.get("lang"))
            fresh = nonce or new_nonce()
            context = await self._context(chosen or language, fresh, chosen is not None)
            errors = Errors(general=[gettext(chosen or language, texts.EXPIRED)])
            return self._html(form_page(context, form.get("t", "").strip()[:40], errors), 403, request, fresh)
        return form, nonce

    # -- pieces ------------------------------------------------------------------------------------------------------

    async def _context(self, language: str, nonce: str, chosen: bool) -> PageContext:
        secret = await run_in_threadpool(citizen_status.server_secret, self.database)
        return PageContext(language, self.languages, self.config.department.name, form_token(secret, nonce), chosen)

    async def _report_language(self, tracking: str) -> str | None:
        try:
            language = await run_in_threadpool(citizen_status.report_language, self.database, tracking)
        except Exception as exc:  # the page then keeps the visitor's language
            log.warning("status page: the report's language is unknown: %s", exc.__class__.__name__)
            return None
        return self._known(language)

    def _answer_limits(self) -> tuple[int, int]:
        return self.config.rules.narrative_max_chars, ANSWER_MIN_CHARS

    def _known(self, language: str | None) -> str | None:
        return language if language in self.languages else None

    def _negotiated(self, request: Request) -> str:
        """The first of the browser's Accept-Language the page has ("es-MX" finds "es", "pt" finds "pt_BR"), else
        English."""
        header = request.headers.get("accept-language", "")[:500]
        wanted: list[tuple[float, int, str]] = []
        for position, part in enumerate(header.split(",")[:20]):
            tag, _, params = part.strip().partition(";")
            quality = 1.0
            if params.strip().startswith("q="):
                try:
                    quality = float(params.strip()[2:])
                except ValueError:
                    quality = 0.0
            if tag and quality > 0:
                wanted.append((-quality, position, tag.strip().replace("-", "_")))
        for _, _, tag in sorted(wanted):
            for code in self.languages:
                if code.lower() == tag.lower():
                    return code
            primary = tag.split("_")[0].lower()
            for code in self.languages:
                if code.split("_")[0].lower() == primary:
                    return code
        return self.languages[0] if self.languages else "en"

    @staticmethod
    def _html(text: str, status: int, request: Request, nonce: str) -> Response:
        response = Response(text, status_code=status, media_type="text/html; charset=utf-8",
                            headers={**SECURITY_HEADERS, **NO_STORE})
        set_cookie(response, request, nonce)
        return response


async def _read_form(request: Request) -> dict[str, str]:
    """The POSTed form's fields (the first value of each). Raises _Form for a body that is not a form or too large."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != FORM_TYPE:
        raise _Form(400, texts.BAD_FORM)
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_FORM_BYTES:
        raise _Form(413, texts.TOO_LARGE)
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise _Form(413, texts.TOO_LARGE)
    try:
        fields = parse_qs(body.decode("ascii"), keep_blank_values=True, max_num_fields=MAX_FIELDS,
                          encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise _Form(400, texts.BAD_FORM) from None
    return {name: values[0] for name, values in fields.items() if values}


async def _pad(started: float) -> None:
    remaining = POST_FLOOR_SECONDS - (time.monotonic() - started)
    if remaining > 0:
        await asyncio.sleep(remaining)


def _problem_text(problem: Problem, language: str) -> str:
    if problem.code not in CATALOG:
        log.error("status page: no text for the refusal %s", problem.code)
        return render(Problem("", "lookup.unavailable"), language)
    return render(problem, language)


def headers_of_the_page() -> Mapping[str, str]:
    """The headers every HTML answer of the page carries (for docs and tests)."""
    return {**SECURITY_HEADERS, **NO_STORE}
