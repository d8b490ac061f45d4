"""kiosk.sd_notify against real sockets the test owns (a path and an abstract-namespace name), and its watchdog
interval against libsystemd's own sd_watchdog_enabled, called through ctypes in a child process that has the
environment systemd would give it."""

from __future__ import annotations

import ctypes.util
import itertools
import json
import logging
import os
import socket
import struct
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from kiosk.sd_notify import Notifier, socket_address, status_line, watchdog_usec

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def notify_socket(tmp_path):
    """A bound datagram socket, as systemd's, that also learns each sender's process id (SO_PASSCRED)."""
    path = tmp_path / "notify"
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(str(path))
    receiver.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
    receiver.settimeout(5)
    yield path, receiver
    receiver.close()


def receive(receiver: socket.socket) -> tuple[str, int]:
    """One message and the process id of its sender."""
    data, ancillary, _, _ = receiver.recvmsg(4096, socket.CMSG_SPACE(12))
    pid = next(struct.unpack("iII", payload)[0] for level, kind, payload in ancillary
               if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS)
    return data.decode(), pid


def test_ready_status_and_watchdog_reach_the_socket(notify_socket):
    path, receiver = notify_socket
    notifier = Notifier({"NOTIFY_SOCKET": str(path)})

    assert notifier.ready(status=status_line(["ready", "3 reports waiting for sync", "", "printer: paper low"]))
    assert notifier.watchdog()
    assert notifier.status("ready · printer: paper out")
    assert notifier.status("ready · printer: paper out")  # unchanged: not sent again
    assert notifier.stopping()

    assert receive(receiver) == ("READY=1\nSTATUS=ready · 3 reports waiting for sync · printer: paper low",
                                 os.getpid())
    assert receive(receiver)[0] == "WATCHDOG=1"
    assert receive(receiver)[0] == "STATUS=ready · printer: paper out"
    assert receive(receiver)[0] == "STOPPING=1"
    notifier.close()


def test_an_abstract_namespace_socket():
    name = f"p2c-kiosk-test-{uuid.uuid4().hex}"
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind("\0" + name)
    receiver.settimeout(5)
    try:
        assert Notifier({"NOTIFY_SOCKET": "@" + name}).ready()
        assert receiver.recv(4096) == b"READY=1"
    finally:
        receiver.close()


def test_without_systemd_nothing_is_sent_and_nothing_said(caplog):
    for environ in ({}, {"NOTIFY_SOCKET": ""}, {"NOTIFY_SOCKET": "relative/path"}, {"NOTIFY_SOCKET": "@"}):
        notifier = Notifier(environ)
        assert not notifier.enabled
        assert not notifier.ready() and not notifier.watchdog()
    assert socket_address({"NOTIFY_SOCKET": "@x"}) == "\0x"
    assert caplog.records == []


def test_a_socket_that_went_away_is_logged_once_not_at_every_ping(tmp_path, caplog):
    notifier = Notifier({"NOTIFY_SOCKET": str(tmp_path / "gone")})
    with caplog.at_level(logging.WARNING, logger="kiosk.sd_notify"):
        assert [notifier.watchdog() for _ in range(5)] == [False] * 5
    assert len(caplog.records) == 1 and "cannot tell systemd (WATCHDOG" in caplog.records[0].getMessage()


def test_a_line_break_cannot_start_another_message_line(notify_socket):
    path, receiver = notify_socket
    Notifier({"NOTIFY_SOCKET": str(path)}).status("printer: jam\nREADY=1")
    assert receive(receiver)[0] == "STATUS=printer: jam READY=1"
    assert status_line(["a\nb", "  ", "c"]) == "a b · c"


def test_the_watchdog_is_pinged_at_half_its_interval_by_a_process_systemd_started(notify_socket):
    """A child with the environment systemd gives a service (WATCHDOG_PID is the child itself): READY=1, then
    pings about every WATCHDOG_USEC/2, each from that process."""
    path, receiver = notify_socket
    code = textwrap.dedent("""
        import os, time
        from kiosk.sd_notify import Notifier
        notifier = Notifier()
        notifier.ready()
        for _ in range(4):
            time.sleep(notifier.ping_interval)
            notifier.watchdog()
    """)
    wrapper = f"import os; os.environ['WATCHDOG_PID'] = str(os.getpid()); exec({code!r})"
    child = subprocess.Popen([sys.executable, "-c", wrapper], cwd=ROOT,
                             env={**os.environ, "NOTIFY_SOCKET": str(path), "WATCHDOG_USEC": "1000000"})
    try:
        assert receive(receiver) == ("READY=1", child.pid)
        times = []
        for _ in range(4):
            message, sender = receive(receiver)
            assert (message, sender) == ("WATCHDOG=1", child.pid)
            times.append(time.monotonic())
    finally:
        assert child.wait(timeout=10) == 0
    gaps = sorted(later - earlier for earlier, later in itertools.pairwise(times))
    # Half of 1 s; at the whole interval the gaps would be 1 s, and systemd would already be restarting it.
    assert 0.4 <= gaps[1] <= 0.75, gaps


def test_under_cage_the_kiosk_pings_for_its_parent():
    """systemd names the main process (cage) in WATCHDOG_PID; the kiosk is its child."""
    environ = {"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "4242"}
    assert watchdog_usec(environ, pid=4243, parent_pid=4242) == 30_000_000
    assert watchdog_usec(environ, pid=4243, parent_pid=1) is None
    assert Notifier(environ, pid=4243, parent_pid=4242).ping_interval == 15.0


# -- the interval as libsystemd reads it ---------------------------------------------------------------------------

CASES = [
    {},
    {"WATCHDOG_USEC": "30000000"},
    {"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "{pid}"},
    {"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "{other}"},
    {"WATCHDOG_USEC": "0", "WATCHDOG_PID": "{pid}"},
    {"WATCHDOG_USEC": "-5"},
    {"WATCHDOG_USEC": "ten"},
    {"WATCHDOG_USEC": "18446744073709551615"},
    {"WATCHDOG_USEC": "18446744073709551614"},
    {"WATCHDOG_USEC": "1"},
    {"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "nope"},
    {"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "0"},
    {"WATCHDOG_PID": "{pid}"},
    # How safe_atou64 reads a number (strtoull, base 0): white space before, a plus, hexadecimal and octal; nothing
    # after; no other digits.
    {"WATCHDOG_USEC": "' 30'"},
    {"WATCHDOG_USEC": "'30 '"},
    {"WATCHDOG_USEC": "+30"},
    {"WATCHDOG_USEC": "0x1F"},
    {"WATCHDOG_USEC": "0x"},
    {"WATCHDOG_USEC": "010"},
    {"WATCHDOG_USEC": "08"},
    {"WATCHDOG_USEC": "18446744073709551616"},
    {"WATCHDOG_USEC": "３０"},
    {"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "0x{pid}"},
]


def test_the_interval_is_what_sd_watchdog_enabled_says():
    library = ctypes.util.find_library("systemd")
    if library is None:
        pytest.skip("libsystemd is not installed (it comes with systemd: scripts/debian-packages/deploy.txt)")
    code = textwrap.dedent(f"""
        import ctypes, json, os, sys
        from kiosk.sd_notify import watchdog_usec
        libsystemd = ctypes.CDLL({library!r})
        usec = ctypes.c_uint64(0)
        found = libsystemd.sd_watchdog_enabled(0, ctypes.byref(usec))
        theirs = usec.value if found > 0 else None
        # As sd_watchdog_enabled: no parent to count (the cage case is the one difference, tested above).
        print(json.dumps([theirs, watchdog_usec(parent_pid=-1)]))
    """)
    for case in CASES:
        env = {key: value for key, value in os.environ.items() if not key.startswith("WATCHDOG_")}
        # The child's own pid is known only once it runs: a small shell puts it in, then becomes Python.
        script = "".join(f"export {key}={value.replace('{pid}', '$$').replace('{other}', '1')}; "
                         for key, value in case.items())
        result = subprocess.run(["sh", "-c", f'{script}exec "$0" -c "$1"', sys.executable, code],
                                capture_output=True, text=True, env=env, cwd=ROOT, timeout=30)
        assert result.returncode == 0, result.stderr
        theirs, ours = json.loads(result.stdout)
        assert ours == theirs, case
