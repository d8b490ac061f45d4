"""Just enough IPP (RFC 8010/8011) to ask the local CUPS scheduler how a printer and a job are doing.

``lpstat`` prints a job as finished whether it completed, was cancelled or was aborted, and its wording depends
on the locale; the scheduler itself knows exactly (``job-state`` 9 completed, 7 cancelled, 8 aborted;
``printer-state`` 5 stopped; ``printer-state-reasons`` such as ``media-empty-error``). Two read-only operations,
Get-Printer-Attributes and Get-Job-Attributes, over HTTP on CUPS's local socket (or ``CUPS_SERVER``), with the
standard library only: no pycups, which has no wheels and needs a compiler and libcups headers on the kiosk.
"""

from __future__ import annotations

import getpass
import http.client
import itertools
import os
import socket
import struct
from dataclasses import dataclass

from kiosk.translation import SOURCE_LANGUAGE

DEFAULT_SOCKET = "/run/cups/cups.sock"
DEFAULT_HOST, DEFAULT_PORT = "localhost", 631

GET_PRINTER_ATTRIBUTES = 0x000B
GET_JOB_ATTRIBUTES = 0x0009
GET_JOBS = 0x000A

# Status codes (RFC 8011 section 13)
STATUS_NOT_FOUND = 0x0406

# Job and printer states (enums)
JOB_PENDING, JOB_HELD, JOB_PROCESSING, JOB_STOPPED, JOB_CANCELED, JOB_ABORTED, JOB_COMPLETED = range(3, 10)
PRINTER_IDLE, PRINTER_PROCESSING, PRINTER_STOPPED = 3, 4, 5

# Delimiter and value tags
_OPERATION_GROUP, _END = 0x01, 0x03
_INTEGER, _BOOLEAN, _ENUM = 0x21, 0x22, 0x23
_TEXT, _NAME, _KEYWORD, _URI, _CHARSET, _LANGUAGE = 0x41, 0x42, 0x44, 0x45, 0x47, 0x48
_STRING_TAGS = frozenset(range(0x41, 0x50)) - {0x4A}
_request_ids = itertools.count(1)

# An attribute's value as decoded: integers and enums as int, booleans as bool, text, names and keywords as str, any
# other syntax (collections, dates, resolutions) as its raw bytes.
IppValue = int | bool | str | bytes
# An operation attribute of a request: (value tag, name, one value or a list of values).
RequestAttribute = tuple[int, str, IppValue | list[IppValue]]


class IppError(Exception):
    """The scheduler could not be reached or answered something that is not IPP."""


@dataclass(frozen=True)
class IppResponse:
    status: int
    attributes: dict[str, list[IppValue]]  # every group flattened; a name keeps all its values
    groups: tuple[tuple[int, dict[str, list[IppValue]]], ...] = ()  # each group: (delimiter tag, its attributes)

    @property
    def ok(self) -> bool:
        return self.status < 0x0100

    def first(self, name: str, default: IppValue | None = None) -> IppValue | None:
        values = self.attributes.get(name)
        return values[0] if values else default

    def integer(self, name: str) -> int | None:
        """The first value of an integer or enum attribute (a state), None when it is missing or not a number."""
        value = self.first(name)
        return value if isinstance(value, int) and not isinstance(value, bool) else None


class IppClient:
    """Talks to one CUPS scheduler: ``server`` is a socket path, ``host`` or ``host:port``; by default the same one
    ``lp`` uses (``$CUPS_SERVER``, else the local socket, else localhost:631)."""

    def __init__(self, server: str | None = None, timeout: float = 5.0) -> None:
        self.server = server or os.environ.get("CUPS_SERVER") or (
            DEFAULT_SOCKET if os.path.exists(DEFAULT_SOCKET) else f"{DEFAULT_HOST}:{DEFAULT_PORT}")
        self.timeout = timeout

    def printer_attributes(self, printer: str, names: tuple[str, ...]) -> IppResponse:
        return self._call(GET_PRINTER_ATTRIBUTES, f"/printers/{printer}", [
            (_URI, "printer-uri", f"ipp://localhost/printers/{printer}"),
            (_NAME, "requesting-user-name", _user()),
            (_KEYWORD, "requested-attributes", list(names)),
        ])

    def jobs(self, printer: str, which: str, names: tuple[str, ...]) -> IppResponse:
        """Get-Jobs of every user on ``printer``; ``which`` is "completed" (ended: completed, cancelled or aborted)
        or "not-completed". Each job is one of the answer's job groups (tag 0x02)."""
        return self._call(GET_JOBS, f"/printers/{printer}", [
            (_URI, "printer-uri", f"ipp://localhost/printers/{printer}"),
            (_NAME, "requesting-user-name", _user()),
            (_KEYWORD, "which-jobs", which),
            (_BOOLEAN, "my-jobs", False),
            (_KEYWORD, "requested-attributes", list(names)),
        ])

    def job_attributes(self, job_id: int, names: tuple[str, ...]) -> IppResponse:
        return self._call(GET_JOB_ATTRIBUTES, "/jobs", [
            (_URI, "job-uri", f"ipp://localhost/jobs/{job_id}"),
            (_NAME, "requesting-user-name", _user()),
            (_KEYWORD, "requested-attributes", list(names)),
        ])

    def _call(self, operation: int, path: str, attributes: list[RequestAttribute]) -> IppResponse:
        body = encode_request(operation, next(_request_ids), attributes)
        connection = self._connection()
        try:
            connection.request("POST", path, body=body, headers={"Content-Type": "application/ipp"})
            response = connection.getresponse()
            payload = response.read()
            if response.status != 200:
                raise IppError(f"the print system answered HTTP {response.status}")
        except (OSError, http.client.HTTPException) as exc:
            raise IppError(f"cannot reach the print system at {self.server}: {exc}") from exc
        finally:
            connection.close()
        return decode_response(payload)

    def _connection(self) -> http.client.HTTPConnection:
        if self.server.startswith("/"):
            return _UnixConnection(self.server, self.timeout)
        host, _, port = self.server.partition(":")
        return http.client.HTTPConnection(host, int(port or DEFAULT_PORT), timeout=self.timeout)


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self._path)
        self.sock = sock


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "p2c-kiosk"


def encode_request(operation: int, request_id: int, attributes: list[RequestAttribute]) -> bytes:
    """An IPP/2.0 request with the operation attributes given as (value tag, name, value or list of values);
    ``attributes-charset`` and ``attributes-natural-language`` come first, as the standard asks."""
    out = bytearray(struct.pack(">bbhi", 2, 0, operation, request_id))
    out.append(_OPERATION_GROUP)
    everything: list[RequestAttribute] = [(_CHARSET, "attributes-charset", "utf-8"),
                                          (_LANGUAGE, "attributes-natural-language", SOURCE_LANGUAGE), *attributes]
    for tag, name, value in everything:
        values = value if isinstance(value, list) else [value]
        for index, one in enumerate(values):
            encoded_name = name.encode() if index == 0 else b""
            if tag in (_INTEGER, _ENUM):
                data = struct.pack(">i", one)
            elif tag == _BOOLEAN:
                data = b"\x01" if one else b"\x00"
            else:
                data = str(one).encode("utf-8")
            out += struct.pack(">bh", tag, len(encoded_name)) + encoded_name + struct.pack(">h", len(data)) + data
    out.append(_END)
    return bytes(out)


def decode_response(payload: bytes) -> IppResponse:
    """Status code and attributes of an IPP response. Collections and unknown syntaxes are kept as raw bytes:
    only integers, enums, booleans and strings are needed here."""
    if len(payload) < 9:
        raise IppError("the print system's answer is too short to be IPP")
    _, _, status, _ = struct.unpack(">bbhi", payload[:8])
    attributes: dict[str, list[IppValue]] = {}
    groups: list[tuple[int, dict[str, list[IppValue]]]] = []
    group: dict[str, list[IppValue]] = {}
    position, name = 8, ""
    try:
        while position < len(payload):
            tag = payload[position]
            position += 1
            if tag == _END:
                break
            if tag < 0x10:  # the start of another attribute group
                group = {}
                groups.append((tag, group))
                continue
            (name_length,) = struct.unpack(">h", payload[position:position + 2])
            position += 2
            if name_length:
                name = payload[position:position + name_length].decode("utf-8", "replace")
            position += name_length
            (value_length,) = struct.unpack(">h", payload[position:position + 2])
            position += 2
            raw = payload[position:position + value_length]
            position += value_length
            value = _value(tag, raw)
            attributes.setdefault(name, []).append(value)
            group.setdefault(name, []).append(value)
    except struct.error as exc:
        raise IppError("the print system's answer is not valid IPP") from exc
    return IppResponse(status, attributes, tuple(groups))


def _value(tag: int, raw: bytes) -> IppValue:
    if tag in (_INTEGER, _ENUM) and len(raw) == 4:
        number: int = struct.unpack(">i", raw)[0]
        return number
    if tag == _BOOLEAN and len(raw) == 1:
        return raw != b"\x00"
    if tag in _STRING_TAGS:
        return raw.decode("utf-8", "replace")
    return raw
