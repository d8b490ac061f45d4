"""A small real TCP proxy on 127.0.0.1 that breaks HTTP traffic on purpose, for the sync resilience tests.

It sits between a kiosk and the reference server and reads whole HTTP/1.1 messages (Content-Length or chunked
bodies), so it can act on one request at a time, on a kept-alive connection as well as on a fresh one:

- pass traffic through (the default; every request goes to the server on a fresh upstream connection);
- refuse connections (nothing listens on the port any more: the "server is down"; open connections are closed);
- answer the next N requests itself with a real ``HTTP/1.1 500`` (or 503) without forwarding them;
- forward a request, read the server's whole answer and then hold it back beyond the client's time-out (the
  server has stored the batch but the client never sees the acknowledgement);
- forward a request and cut the connection in the middle of the server's answer (after some bytes).

Faults are rules: ``kind``, how many requests they still apply to, and an optional path prefix; a request that
matches no rule passes. ``connections`` counts accepted client connections and ``requests`` records what happened
to every request, so tests can show the fault really happened.

    with FaultProxy(server_port) as proxy:
        proxy.fail_with(500, count=2, path="/api/v1/reports")
        ... point the kiosk at proxy.url ...
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
import time
from dataclasses import dataclass

HOST = "127.0.0.1"
_REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}


class ConnectionClosed(Exception):
    """The peer closed the connection in the middle of a message."""


@dataclass
class Fault:
    kind: str  # "error", "hold" or "cut"
    remaining: int | None  # None: every matching request until cleared
    path: str = ""  # applies to requests whose path starts with this ("" = every request)
    status: int = 500  # for "error"
    seconds: float = 10.0  # for "hold": how long the answer is held back (the client gives up before)
    after_bytes: int | None = None  # for "cut": bytes of the answer sent before the cut (None: half of it)
    skip: int = 0  # this many matching requests pass untouched before the fault applies


@dataclass(frozen=True)
class RequestRecord:
    method: str
    path: str
    outcome: str  # "passed", "error 500", "held", "cut", "upstream down"
    upstream_status: int | None  # the server's status when the request reached it
    answer: bytes = b""  # the server's answer body (whether or not the client got it)


class _Reader:
    """Buffered reading of HTTP/1.1 messages from a socket."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def _fill(self) -> bool:
        data = self.sock.recv(65536)
        if not data:
            return False
        self.buffer += data
        return True

    def head(self) -> bytes | None:
        """The start line and headers (with the blank line), or None when the peer closed before sending any."""
        while b"\r\n\r\n" not in self.buffer:
            if not self._fill():
                if self.buffer:
                    raise ConnectionClosed("closed in the middle of a message head")
                return None
        end = self.buffer.index(b"\r\n\r\n") + 4
        head, self.buffer = self.buffer[:end], self.buffer[end:]
        return head

    def exactly(self, count: int) -> bytes:
        while len(self.buffer) < count:
            if not self._fill():
                raise ConnectionClosed("closed in the middle of a message body")
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def line(self) -> bytes:
        while b"\r\n" not in self.buffer:
            if not self._fill():
                raise ConnectionClosed("closed in the middle of a chunk")
        end = self.buffer.index(b"\r\n") + 2
        data, self.buffer = self.buffer[:end], self.buffer[end:]
        return data

    def rest(self) -> bytes:
        while self._fill():
            pass
        data, self.buffer = self.buffer, b""
        return data

    def message(self, *, response: bool, request_method: str = "") -> tuple[bytes, bytes] | None:
        """(head, body) of the next message, the body as it was sent (chunked stays chunked)."""
        head = self.head()
        if head is None:
            return None
        headers = _headers(head)
        if response:
            status = _status(head)
            if request_method == "HEAD" or status in (204, 304) or 100 <= status < 200:
                return head, b""
        if "chunked" in headers.get("transfer-encoding", "").lower():
            body = b""
            while True:
                size_line = self.line()
                body += size_line
                size = int(size_line.split(b";")[0].strip(), 16)
                if size == 0:
                    while True:  # trailers, up to the blank line
                        trailer = self.line()
                        body += trailer
                        if trailer == b"\r\n":
                            return head, body
                body += self.exactly(size + 2)
        if "content-length" in headers:
            return head, self.exactly(int(headers["content-length"]))
        if response:
            return head, self.rest()  # delimited by the end of the connection
        return head, b""


def _headers(head: bytes) -> dict[str, str]:
    lines = head.decode("latin-1").split("\r\n")[1:]
    result = {}
    for line in lines:
        if ":" in line:
            name, value = line.split(":", 1)
            result[name.strip().lower()] = value.strip()
    return result


def _status(head: bytes) -> int:
    return int(head.split(b" ", 2)[1])


def _plain_body(head: bytes, body: bytes) -> bytes:
    """The body without chunked framing."""
    if "chunked" not in _headers(head).get("transfer-encoding", "").lower():
        return body
    plain, rest = b"", body
    while rest:
        size_line, rest = rest.split(b"\r\n", 1)
        size = int(size_line.split(b";")[0].strip(), 16)
        if size == 0:
            break
        plain, rest = plain + rest[:size], rest[size + 2:]
    return plain


def _request_line(head: bytes) -> tuple[str, str]:
    parts = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
    return parts[0], parts[1] if len(parts) > 1 else ""


def error_response(status: int) -> bytes:
    body = f'{{"error": "the proxy answered {status} on purpose"}}'.encode()
    reason = _REASONS.get(status, "Error")
    return (f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n"
            "\r\n").encode() + body


class FaultProxy:
    """A TCP proxy from ``127.0.0.1:<port>`` (a free port unless given) to ``127.0.0.1:<target_port>``."""

    def __init__(self, target_port: int, *, port: int = 0, connect_timeout: float = 5.0) -> None:
        self.target_port = target_port
        self.connect_timeout = connect_timeout
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._clients: set[socket.socket] = set()
        self._threads: set[threading.Thread] = set()
        self._stopped = threading.Event()
        self.connections = 0
        self.requests: list[RequestRecord] = []
        self._listener: socket.socket | None = self._listen(port)
        self.port = self._listener.getsockname()[1]
        self._acceptor = threading.Thread(target=self._accept_loop, name="fault-proxy-accept", daemon=True)
        self._acceptor.start()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    # -- modes ----------------------------------------------------------------------------------------------------

    def passthrough(self) -> None:
        """Clear every fault and accept connections again."""
        with self._lock:
            self._faults.clear()
        self.accept()

    def refuse(self) -> None:
        """Stop listening: a connection to the port is refused, and connections already open are closed."""
        with self._lock:
            listener, self._listener = self._listener, None
            clients = list(self._clients)
        if listener is not None:
            _shut(listener)
        for client in clients:
            _shut(client)

    def accept(self) -> None:
        """Listen on the same port again after :meth:`refuse`."""
        with self._lock:
            if self._listener is None:
                self._listener = self._listen(self.port)

    def fail_with(self, status: int = 500, *, count: int | None = 1, path: str = "", skip: int = 0) -> None:
        """Answer the next ``count`` matching requests (after letting ``skip`` of them pass) with ``status`` without
        forwarding them."""
        self._add(Fault("error", count, path, status=status, skip=skip))

    def hold_responses(self, *, count: int | None = 1, seconds: float = 10.0, path: str = "", skip: int = 0) -> None:
        """Forward the next ``count`` matching requests (after ``skip``), let the server answer in full, and hold the
        answer back for ``seconds`` (choose more than the client's time-out); then close the connection without
        sending it."""
        self._add(Fault("hold", count, path, seconds=seconds, skip=skip))

    def cut_responses(self, *, count: int | None = 1, after_bytes: int | None = None, path: str = "",
                      skip: int = 0) -> None:
        """Forward the next ``count`` matching requests (after ``skip``) and close the connection after sending
        ``after_bytes`` of the server's answer (default: half of it, so the headers arrive and the body is cut)."""
        self._add(Fault("cut", count, path, after_bytes=after_bytes, skip=skip))

    def faults_left(self) -> int:
        """How many counted fault applications are still to come."""
        with self._lock:
            return sum(fault.remaining or 0 for fault in self._faults)

    def records(self, path: str = "") -> list[RequestRecord]:
        with self._lock:
            return [record for record in self.requests if record.path.startswith(path)]

    def outcomes(self, path: str = "") -> list[str]:
        with self._lock:
            return [record.outcome for record in self.requests if record.path.startswith(path)]

    def close(self) -> None:
        self._stopped.set()
        self.refuse()
        self._acceptor.join(timeout=5)
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the machinery --------------------------------------------------------------------------------------------

    def _add(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if path.startswith(fault.path) and (fault.remaining is None or fault.remaining > 0):
                    if fault.skip > 0:
                        fault.skip -= 1
                        return None
                    if fault.remaining is not None:
                        fault.remaining -= 1
                    return fault
        return None

    def _record(self, method: str, path: str, outcome: str, upstream_status: int | None, answer: bytes = b"") -> None:
        with self._lock:
            self.requests.append(RequestRecord(method, path, outcome, upstream_status, answer))

    @staticmethod
    def _listen(port: int) -> socket.socket:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((HOST, port))
        listener.listen(64)
        listener.settimeout(0.05)
        return listener

    def _accept_loop(self) -> None:
        while not self._stopped.is_set():
            with self._lock:
                listener = self._listener
            if listener is None:
                time.sleep(0.02)
                continue
            try:
                client, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            client.settimeout(None)
            thread = threading.Thread(target=self._serve, args=(client,), name="fault-proxy-conn", daemon=True)
            with self._lock:
                self.connections += 1
                self._clients.add(client)
                self._threads.add(thread)
            thread.start()

    def _serve(self, client: socket.socket) -> None:
        reader = _Reader(client)
        try:
            while not self._stopped.is_set():
                request = reader.message(response=False)
                if request is None:
                    return
                if not self._handle(client, *request):
                    return
        except (OSError, ConnectionClosed, ValueError):
            return
        finally:
            _shut(client)
            with self._lock:
                self._clients.discard(client)
                self._threads.discard(threading.current_thread())

    def _handle(self, client: socket.socket, head: bytes, body: bytes) -> bool:
        """Deal with one request; False when the client connection must end."""
        method, path = _request_line(head)
        fault = self._take_fault(path)
        if fault is not None and fault.kind == "error":
            self._record(method, path, f"error {fault.status}", None)  # before the client can see the answer
            client.sendall(error_response(fault.status))
            return True
        try:
            answer = self._forward(head + body, method)
        except (OSError, ConnectionClosed):
            self._record(method, path, "upstream down", None)
            return False  # the client sees its connection closed without an answer
        upstream_status, answer_body = _status(answer[0]), _plain_body(answer[0], answer[1])
        data = answer[0] + answer[1]
        if fault is not None and fault.kind == "hold":
            self._record(method, path, "held", upstream_status, answer_body)
            self._hold(client, fault.seconds)
            return False
        if fault is not None and fault.kind == "cut":
            cut = len(data) // 2 if fault.after_bytes is None else min(fault.after_bytes, len(data) - 1)
            self._record(method, path, "cut", upstream_status, answer_body)
            client.sendall(data[:cut])
            return False
        self._record(method, path, "passed", upstream_status, answer_body)
        client.sendall(data)
        return "close" not in _headers(answer[0]).get("connection", "").lower()

    def _forward(self, request: bytes, method: str) -> tuple[bytes, bytes]:
        with socket.create_connection((HOST, self.target_port), timeout=self.connect_timeout) as upstream:
            upstream.settimeout(60)
            upstream.sendall(request)
            answer = _Reader(upstream).message(response=True, request_method=method)
        if answer is None:
            raise ConnectionClosed("the server closed the connection without answering")
        return answer

    def _hold(self, client: socket.socket, seconds: float) -> None:
        """Keep the connection open, sending nothing, until the client gives up or ``seconds`` pass."""
        deadline = time.monotonic() + seconds
        while not self._stopped.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return
            readable, _, _ = select.select([client], [], [], min(left, 0.05))
            if readable:
                with contextlib.suppress(OSError):
                    if not client.recv(65536):
                        return  # the client closed its side after its time-out


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
