"""The server's own time-outs for clients that send slowly or not at all, whatever proxy is in front of it.

- ``head_timed_protocol(seconds)``: uvicorn's h11 protocol with a header time-out. A connection that has not sent a
  whole request head within ``seconds`` of opening (or of the previous answer on it, for the next request) gets 408
  and is closed. uvicorn's own keep-alive time-out only covers a connection that sends nothing at all; one byte of a
  head is enough to cancel it.
- ``BodyTimeout``: ASGI middleware that gives each read of the body ``seconds``; a body that stops arriving gets 408
  and the connection is closed. It sits outside ``BodyLimit``, which reads the body before any route (and before the
  token is checked), so it covers unauthenticated clients too.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket

import h11
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from server.errors import ErrorBody, ErrorDetail

log = logging.getLogger(__name__)

TIMEOUT_CODE = "request_timeout"


def timeout_body(message: str) -> bytes:
    """The server's error body for a 408."""
    return ErrorBody(error=ErrorDetail(code=TIMEOUT_CODE, message=message, items=[])).model_dump_json().encode()


def _raw_408(message: str) -> bytes:
    body = timeout_body(message)
    head = (f"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n"
            f"connection: close\r\n\r\n")
    return head.encode("ascii") + body


def _no_delay(transport: asyncio.BaseTransport) -> None:
    """Send each answer at once (TCP_NODELAY). uvicorn's worker processes get sockets without it, so an answer in two
    writes waited for the client's delayed acknowledgement: ~44 ms a request with --workers 2 (uvicorn issue #3149)."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class HeadTimedH11Protocol(H11Protocol):
    """H11Protocol closing a connection whose request head is not complete ``head_timeout`` seconds after the
    connection opened or the previous answer went out. Made with ``head_timed_protocol``."""

    head_timeout: float = 10.0
    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)  # type: ignore[arg-type]  # uvicorn types it as asyncio.Transport; asyncio passes a BaseTransport
        _no_delay(transport)
        self._arm_head_timer()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self._cancel_head_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)

    def _arm_head_timer(self) -> None:
        self._cancel_head_timer()
        self._head_timer = self.loop.call_later(self.head_timeout, self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        if self.conn.trailing_data[0]:
            # Part of a head came: answer 408 so the client knows why. Nothing at all: just close, as a keep-alive
            # connection is closed.
            # Never the client's address: nothing personal in logs.
            log.info("closing a connection: no whole request head within %s s", self.head_timeout)
            self.transport.write(_raw_408(f"the request head did not arrive within {self.head_timeout:g} s"))
        self.transport.close()


def head_timed_protocol(seconds: float) -> type[H11Protocol]:
    """The protocol class for ``uvicorn.Config(http=...)`` with a header time-out of ``seconds``."""
    return type("HeadTimedH11Protocol", (HeadTimedH11Protocol,), {"head_timeout": float(seconds)})


class BodyTimeout:
    """Pure ASGI middleware: each ``receive()`` of an HTTP request waits at most ``seconds``; after that the client
    gets 408 (when no answer has started) and the connection is closed."""

    def __init__(self, app: ASGIApp, seconds: float = 20.0) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False
        timed_out = False

        async def timed_receive() -> Message:
            nonlocal timed_out
            try:
                return await asyncio.wait_for(receive(), self.seconds)
            except TimeoutError:
                timed_out = True
                # Starlette and the routes treat a disconnect as the end of the request.
                return {"type": "http.disconnect"}

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if timed_out:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, timed_receive, tracked_send)
        if timed_out:
            log.info("408, connection closed: the request body stopped arriving for %s s", self.seconds)
            if not started:
                body = timeout_body(f"the request body stopped arriving for {self.seconds:g} s")
                await send({"type": "http.response.start", "status": 408,
                            "headers": [(b"content-type", b"application/json"),
                                        (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
                await send({"type": "http.response.body", "body": body})
