"""The fault proxy itself, between httpx and a tiny real HTTP server on 127.0.0.1: each mode does what the
resilience tests rely on it doing."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from fault_proxy import FaultProxy


class _Upstream(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.posts: list[bytes] = []


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as uvicorn does

    def do_GET(self) -> None:
        self._answer({"path": self.path})

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.posts.append(body)  # type: ignore[attr-defined]
        self._answer({"stored": len(body), "padding": "x" * 2000})

    def _answer(self, value: dict) -> None:
        data = json.dumps(value).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def upstream() -> Iterator[_Upstream]:
    server = _Upstream()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def proxy(upstream: _Upstream) -> Iterator[FaultProxy]:
    with FaultProxy(upstream.server_address[1]) as running:
        yield running


def test_passes_requests_and_answers_through_on_one_kept_alive_connection(proxy, upstream):
    with httpx.Client(base_url=proxy.url, timeout=5) as client:
        assert client.get("/api/v1/health").json() == {"path": "/api/v1/health"}
        answer = client.post("/api/v1/reports", content=b'{"reports": []}')
    assert answer.status_code == 200 and answer.json()["stored"] == 15
    assert upstream.posts == [b'{"reports": []}']
    assert proxy.connections == 1
    assert proxy.outcomes() == ["passed", "passed"]


def test_refused_while_down_then_accepts_on_the_same_port(proxy):
    port = proxy.port
    with httpx.Client(base_url=proxy.url, timeout=2) as client:
        assert client.get("/a").status_code == 200
        proxy.refuse()
        with pytest.raises(httpx.ConnectError):
            client.get("/b")
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=2)
        proxy.accept()
        assert client.get("/c").json() == {"path": "/c"}
    assert proxy.port == port
    assert proxy.outcomes() == ["passed", "passed"]


def test_answers_errors_itself_without_forwarding(proxy, upstream):
    proxy.fail_with(503, count=2, path="/api/v1/reports")
    with httpx.Client(base_url=proxy.url, timeout=5) as client:
        statuses = [client.post("/api/v1/reports", content=b"{}").status_code for _ in range(3)]
        assert client.get("/api/v1/health").status_code == 200
    assert statuses == [503, 503, 200]
    assert len(upstream.posts) == 1  # only the third reached the server
    assert proxy.outcomes() == ["error 503", "error 503", "passed", "passed"]
    assert proxy.faults_left() == 0


def test_holds_the_answer_after_the_server_stored_the_request(proxy, upstream):
    proxy.hold_responses(seconds=10, path="/api/v1/reports")
    with httpx.Client(base_url=proxy.url, timeout=0.5) as client, pytest.raises(httpx.ReadTimeout):
        client.post("/api/v1/reports", content=b'{"n": 1}')
    assert upstream.posts == [b'{"n": 1}']
    record = proxy.requests[-1]
    assert record.outcome == "held" and record.upstream_status == 200
    assert json.loads(record.answer)["stored"] == 8  # what the client never saw


def test_lets_some_requests_pass_before_a_fault(proxy, upstream):
    proxy.fail_with(500, count=1, path="/api/v1/reports", skip=2)
    with httpx.Client(base_url=proxy.url, timeout=5) as client:
        statuses = [client.post("/api/v1/reports", content=b"{}").status_code for _ in range(4)]
    assert statuses == [200, 200, 500, 200]
    assert len(upstream.posts) == 3


def test_cuts_the_connection_in_the_middle_of_the_answer(proxy, upstream):
    proxy.cut_responses(path="/api/v1/reports")
    with httpx.Client(base_url=proxy.url, timeout=5) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            client.post("/api/v1/reports", content=b'{"n": 2}')
        assert client.post("/api/v1/reports", content=b'{"n": 3}').status_code == 200  # a new connection
    assert upstream.posts == [b'{"n": 2}', b'{"n": 3}']
    assert proxy.outcomes() == ["cut", "passed"]
    assert proxy.connections == 2


def test_cuts_after_a_given_number_of_bytes(proxy):
    proxy.cut_responses(after_bytes=10)
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as raw:
        raw.sendall(b"GET /x HTTP/1.1\r\nHost: test\r\n\r\n")
        received = b""
        while chunk := raw.recv(4096):
            received += chunk
    assert received == b"HTTP/1.1 2"


def test_a_server_that_is_gone_closes_the_client_connection(upstream):
    port = upstream.server_address[1]
    upstream.shutdown()
    upstream.server_close()
    with FaultProxy(port) as proxy, httpx.Client(base_url=proxy.url, timeout=5) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            client.get("/x")
        assert proxy.outcomes() == ["upstream down"]
