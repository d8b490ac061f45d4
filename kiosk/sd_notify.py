"""systemd's notify protocol (sd_notify(3)), in a few lines of socket code and no Qt: how the kiosk tells systemd
that it is ready, that its GUI thread is alive, and in one phrase how it is doing.

Each message is one datagram of ``KEY=VALUE`` lines sent to the AF_UNIX socket named by ``$NOTIFY_SOCKET`` (a path,
or ``@name`` for an abstract-namespace socket). Outside systemd the variable is unset and every call is a quiet
no-op that returns False, so the same code runs on a developer's desktop.

The watchdog interval is read the way libsystemd's ``sd_watchdog_enabled`` reads it: ``$WATCHDOG_USEC`` (a positive
number of microseconds), for the process named by ``$WATCHDOG_PID`` when that is set. One difference, on purpose:
under cage the service's main process is cage, so systemd names cage in ``$WATCHDOG_PID`` and the kiosk, cage's
child, would never ping. The parent process named there counts as well (the unit has NotifyAccess=all, so systemd
takes the kiosk's pings). The kiosk pings at half the interval (:attr:`Notifier.ping_interval`), from a timer on its
GUI thread: when that thread freezes, the pings stop and systemd restarts the service.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterable, Mapping

log = logging.getLogger(__name__)

SOCKET_ENV = "NOTIFY_SOCKET"
WATCHDOG_USEC_ENV = "WATCHDOG_USEC"
WATCHDOG_PID_ENV = "WATCHDOG_PID"
USEC_INFINITY = 2**64 - 1  # systemd's "no limit", which sd_watchdog_enabled refuses
STATUS_SEPARATOR = " · "


def socket_address(environ: Mapping[str, str] | None = None) -> str | None:
    """The address to send to: ``$NOTIFY_SOCKET`` with a leading ``@`` turned into the NUL of an abstract-namespace
    name; None when it is unset or not a socket systemd would use (neither an absolute path nor ``@name``)."""
    env = os.environ if environ is None else environ
    value = env.get(SOCKET_ENV, "")
    if value.startswith("@") and len(value) > 1:
        return "\0" + value[1:]
    if value.startswith("/"):
        return value
    return None


def watchdog_usec(environ: Mapping[str, str] | None = None, pid: int | None = None,
                  parent_pid: int | None = None) -> int | None:
    """The watchdog interval in microseconds that systemd expects pings within, or None when there is no watchdog
    for this process. As ``sd_watchdog_enabled``: None when ``$WATCHDOG_USEC`` is unset, not a number, zero or
    infinite, or when ``$WATCHDOG_PID`` is set, is not a number or names another process; except that it may name
    ``parent_pid`` as well (the module's help says why)."""
    env = os.environ if environ is None else environ
    pid = os.getpid() if pid is None else pid
    parent_pid = os.getppid() if parent_pid is None else parent_pid
    text = env.get(WATCHDOG_USEC_ENV)
    if text is None:
        return None
    usec = _unsigned(text)
    if usec is None or usec <= 0 or usec >= USEC_INFINITY:
        return None
    named = env.get(WATCHDOG_PID_ENV)
    if named is not None:
        watched = _unsigned(named)
        if watched is None or watched <= 0 or watched not in (pid, parent_pid):
            return None
    return usec


def _unsigned(text: str) -> int | None:
    """An unsigned number as systemd's safe_atou64 reads it (strtoull with base 0): leading white space and a ``+``
    allowed, ``0x`` for hexadecimal and a leading ``0`` for octal, nothing after the digits, no sign, at most
    2**64 - 1."""
    rest = text.lstrip(" \t\n\v\f\r").removeprefix("+")
    if rest[:2].lower() == "0x":
        base, digits = 16, rest[2:]
    elif rest.startswith("0") and len(rest) > 1:
        base, digits = 8, rest[1:]
    else:
        base, digits = 10, rest
    if not digits or any(character not in "0123456789abcdef"[:base] for character in digits.lower()):
        return None
    value = int(digits, base)
    return value if value < 2**64 else None


def status_line(parts: Iterable[str]) -> str:
    """One ``STATUS=`` phrase from its parts (empty ones left out): ``ready · 3 reports waiting for sync``. A
    message is lines, so a line break inside a part becomes a space."""
    return STATUS_SEPARATOR.join(" ".join(part.split()) for part in parts if part and part.strip())


class Notifier:
    """Talks to systemd for one process. Every method returns whether the message went out; without systemd (no
    ``$NOTIFY_SOCKET``) nothing is sent and nothing is logged. A failed send is logged once, not at every ping."""

    def __init__(self, environ: Mapping[str, str] | None = None, pid: int | None = None,
                 parent_pid: int | None = None) -> None:
        self.address = socket_address(environ)
        usec = watchdog_usec(environ, pid, parent_pid)
        self.watchdog_interval: float | None = None if usec is None else usec / 1_000_000
        self._socket: socket.socket | None = None
        self._failing = False
        self._last_status: str | None = None

    @property
    def enabled(self) -> bool:
        """Whether there is a systemd to tell."""
        return self.address is not None

    @property
    def ping_interval(self) -> float | None:
        """Seconds between two watchdog pings: half the interval systemd gave; None without a watchdog."""
        return None if self.watchdog_interval is None else self.watchdog_interval / 2

    def ready(self, status: str | None = None) -> bool:
        """Start-up is over: the welcome page is on the screen."""
        return self.send("READY=1", *([f"STATUS={status}"] if status else []))

    def watchdog(self) -> bool:
        """The GUI thread is alive."""
        return self.send("WATCHDOG=1")

    def status(self, text: str) -> bool:
        """What an operator should know, in one phrase (``systemctl status p2c-kiosk`` shows it). Sent only when it
        changed."""
        if text == self._last_status:
            return True
        return self.send(f"STATUS={text}")

    def stopping(self, status: str | None = None) -> bool:
        return self.send("STOPPING=1", *([f"STATUS={status}"] if status else []))

    def send(self, *lines: str) -> bool:
        """Send ``lines`` (``KEY=VALUE`` each) as one datagram."""
        if self.address is None:
            return False
        message = "\n".join(line.replace("\n", " ") for line in lines).encode()
        try:
            if self._socket is None:
                self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            self._socket.sendto(message, self.address)
        except OSError as exc:
            if not self._failing:
                log.warning("cannot tell systemd (%s at %s): %s", lines[0].split("=")[0],
                            self.address.replace("\0", "@"), exc)
            self._failing = True
            return False
        if self._failing:
            log.info("systemd's notify socket answers again")
            self._failing = False
        for line in lines:
            if line.startswith("STATUS="):
                self._last_status = line.removeprefix("STATUS=")
        return True

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None
