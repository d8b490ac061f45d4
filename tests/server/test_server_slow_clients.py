"""Slow clients (issue 16, part 3): connections that never finish their request head, or declare a body and never
send it, are closed by the server itself after its header and body time-outs; other clients are served meanwhile."""

from __future__ import annotations

import selectors
import socket
import time
from pathlib import Path

import httpx
import pytest
from server_support import ServerProcess, fresh_database_url

HEADER_TIMEOUT = 1
BODY_TIMEOUT = 2
PARTIAL_HEADS = 250
BODIES_NEVER_SENT = 120
HALF_BODIES = 30
SILENT = 30


def _open(port: int, first: bytes) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    if first:
        sock.sendall(first)
    sock.setblocking(False)
    return sock


def _read_until_closed(socks: dict[socket.socket, str], deadline: float) -> dict[socket.socket, tuple[bytes, bool]]:
    """What each socket received, and whether the server closed it (EOF or reset) before ``deadline``."""
    got = {sock: bytearray() for sock in socks}
    closed: set[socket.socket] = set()
    with selectors.DefaultSelector() as selector:
        for sock in socks:
            selector.register(sock, selectors.EVENT_READ)
        while len(closed) < len(socks) and time.monotonic() < deadline:
            for key, _ in selector.select(timeout=max(0.0, min(0.5, deadline - time.monotonic()))):
                fileobj = key.fileobj
                assert isinstance(fileobj, socket.socket)
                sock = fileobj
                try:
                    data = sock.recv(65536)
                except ConnectionResetError:
                    data = b""
                if data:
                    got[sock] += data
                else:
                    closed.add(sock)
                    selector.unregister(sock)
    return {sock: (bytes(got[sock]), sock in closed) for sock in socks}


def test_slow_clients_are_closed_by_the_server_and_others_are_served(tmp_path: Path) -> None:
    config = tmp_path / "server.toml"
    config.write_text(f"[server]\nheader_timeout_seconds = {HEADER_TIMEOUT}\n"
                      f"body_timeout_seconds = {BODY_TIMEOUT}\n", encoding="utf-8")
    with ServerProcess(fresh_database_url("sqlite", tmp_path), config_path=config) as server:
        head = (f"POST /api/v1/reports HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
                f"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n").encode()
        kinds: dict[socket.socket, str] = {}
        started = time.monotonic()
        for _ in range(PARTIAL_HEADS):
            kinds[_open(server.port, head[:40])] = "partial head"
        for _ in range(BODIES_NEVER_SENT):
            kinds[_open(server.port, head)] = "body never sent"
        for _ in range(HALF_BODIES):
            kinds[_open(server.port, head + b'{"reports": [')] = "half a body"
        for _ in range(SILENT):
            kinds[_open(server.port, b"")] = "nothing sent"
        try:
            # Well before the time-outs, all of them are still open, and a normal request is served.
            time.sleep(0.3)
            early = _read_until_closed(kinds, time.monotonic() + 0.2)
            assert not any(closed for _, closed in early.values())
            answer = httpx.get(server.url + "/api/v1/health", timeout=5)
            assert answer.status_code == 200

            results = _read_until_closed(kinds, started + HEADER_TIMEOUT + BODY_TIMEOUT + 6)
            still_open = [kinds[sock] for sock, (_, closed) in results.items() if not closed]
            assert not still_open, f"{len(still_open)} connections still open: {sorted(set(still_open))}"
            for sock, (data, _) in results.items():
                if kinds[sock] == "nothing sent":
                    assert data == b""
                else:
                    assert data.startswith(b"HTTP/1.1 408 "), (kinds[sock], data[:200])
                    assert b'"code":"request_timeout"' in data
            # The time-outs are the server's own: none closed before its time-out.
            assert time.monotonic() - started >= HEADER_TIMEOUT
            assert httpx.get(server.url + "/api/v1/health", timeout=5).status_code == 200
        finally:
            for sock in kinds:
                sock.close()


def test_the_time_outs_are_declared_with_their_defaults_and_limits(tmp_path: Path) -> None:
    from kiosk.config import ConfigError
    from server.settings import ServerSettings, load_settings

    assert (ServerSettings().header_timeout_seconds, ServerSettings().body_timeout_seconds) == (10, 20)
    path = tmp_path / "server.toml"
    path.write_text("[server]\nheader_timeout_seconds = 0\nbody_timeout_seconds = 601\n", encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_settings(path)
    assert [problem.key for problem in refused.value.problems] == ["server.header_timeout_seconds",
                                                                   "server.body_timeout_seconds"]


def test_closing_a_slow_connection_logs_no_client_address(caplog: pytest.LogCaptureFixture) -> None:
    """Both time-outs say in the log what they closed, never whose connection it was (nothing personal in logs)."""
    import asyncio
    import logging
    import threading

    import uvicorn

    from server.slow_clients import BodyTimeout, head_timed_protocol

    async def app(scope, receive, send) -> None:  # reads the body, then answers
        if scope["type"] != "http":
            return
        while (await receive()).get("more_body"):
            pass
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    config = uvicorn.Config(BodyTimeout(app, seconds=0.3), host="127.0.0.1", port=0, lifespan="off",
                            http=head_timed_protocol(0.3), log_level="info")
    server = uvicorn.Server(config)
    caplog.set_level(logging.INFO)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        partial = socket.create_connection(("127.0.0.1", port), timeout=5)
        partial.sendall(b"POST / HTTP/1.1\r\nHost: x")
        body = socket.create_connection(("127.0.0.1", port), timeout=5)
        body.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
        for sock in (partial, body):
            assert sock.recv(65536).startswith(b"HTTP/1.1 408")
            sock.close()
    finally:
        server.should_exit = True
        thread.join(10)
    closing = [r.getMessage() for r in caplog.records if r.name == "server.slow_clients"]
    assert len(closing) == 2, closing
    assert not any("127.0.0.1" in message for message in closing), closing
