"""``p2c-kiosk doctor`` (kiosk.doctor, kiosk.cli_doctor): each part one line with what to do, exit 0/1/2, and under
two seconds even when a part hangs. Real parts: SQLite files (a sound one and one with a damaged page), a sysfs-like
tree laid out as the kernel lays out /sys, HTTP servers on 127.0.0.1 (one that answers with its clock, one that
refuses the token, one that never answers), the test's own keyring."""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest
from notices_support import MemoryKeyring, keyring_in_use

from kiosk.cli_doctor import diagnose, run_doctor
from kiosk.doctor import (
    Finding,
    Level,
    Secret,
    ServerAnswer,
    check_clock,
    check_database,
    check_disk,
    check_display,
    check_secrets,
    check_server,
    exit_code,
    run_checks,
)
from kiosk.keyring_secrets import KEYRING_SERVICE

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)


def test_checks_run_side_by_side_and_a_hung_one_does_not_hold_the_doctor():
    started = time.monotonic()
    findings = run_checks({
        "fine": lambda: Finding("fine", Level.OK, "all well"),
        "hung": lambda: time.sleep(30) or Finding("hung", Level.OK, "never"),
        "broken": lambda: 1 / 0,
        "slow": lambda: time.sleep(0.3) or Finding("slow", Level.WARNING, "a look"),
    }, budget=0.8)
    took = time.monotonic() - started

    assert took < 1.0
    assert [finding.check for finding in findings] == ["fine", "hung", "broken", "slow"]  # the order given
    assert findings[1].level is Level.WARNING and "no answer within 0.8 s" in findings[1].says
    assert findings[2].level is Level.FAULT and "ZeroDivisionError" in findings[2].says
    assert findings[3].says == "a look"
    assert exit_code(findings) == 2 and exit_code(findings[:1]) == 0 and exit_code([findings[3]]) == 1


def sysfs(tmp_path: Path, screen: str | None = "connected", touch: bool = True) -> Path:
    """A /sys with one DRM connector and two input devices (a keyboard, and a touchscreen when ``touch``)."""
    root = tmp_path / "sys"
    connector = root / "class/drm/card0-HDMI-A-1"
    connector.mkdir(parents=True)
    (root / "class/drm/card0").mkdir()  # the card itself has no status
    if screen is not None:
        (connector / "status").write_text(screen + "\n")
    for event, name, properties in (("event0", "AT Translated Set 2 keyboard", "0"),
                                    ("event5", "ILITEK ILITEK-TP", "2" if touch else "0")):
        device = root / "class/input" / event / "device"
        device.mkdir(parents=True)
        (device / "name").write_text(name + "\n")
        (device / "properties").write_text(properties + "\n")
    return root


def test_the_display_and_the_touchscreen(tmp_path):
    assert check_display(sysfs(tmp_path / "a")).line() == \
        "ok      display   screen card0-HDMI-A-1; touch: ILITEK ILITEK-TP"
    no_touch = check_display(sysfs(tmp_path / "b", touch=False))
    assert no_touch.level is Level.FAULT and "no touch input device" in no_touch.says and "USB" in no_touch.todo
    for screen in ("disconnected", None):
        assert check_display(sysfs(tmp_path / f"c{screen}", screen=screen)).says == "no screen is connected"


def test_disk_space(tmp_path):
    assert check_disk(tmp_path).level is Level.OK  # this machine's real disk
    free = lambda count: lambda _: SimpleNamespace(free=count)  # noqa: E731
    assert check_disk(tmp_path, free(500 << 20)).level is Level.WARNING
    low = check_disk(tmp_path, free(50 << 20))
    assert low.level is Level.FAULT and low.says == f"50.0 MB free for {tmp_path}"


def test_the_database_quick_check_on_real_files(tmp_path):
    sound = tmp_path / "sound.sqlite3"
    with sqlite3.connect(sound) as connection:
        connection.execute("create table report (id integer primary key, body text)")
        connection.executemany("insert into report (body) values (?)", [("x" * 500,)] * 200)
    connection.close()

    def quick_check(path: Path):
        def run():
            with sqlite3.connect(path) as opened:
                rows = [row[0] for row in opened.execute("PRAGMA quick_check")]
            opened.close()
            return rows
        return run

    assert check_database(sound, quick_check(sound)).line() == "ok      database  quick_check: ok"

    damaged = tmp_path / "damaged.sqlite3"
    data = bytearray(sound.read_bytes())
    data[4096 * 3 + 8: 4096 * 3 + 600] = os.urandom(592)  # the middle of a b-tree page
    damaged.write_bytes(bytes(data))
    finding = check_database(damaged, quick_check(damaged))
    assert finding.level is Level.FAULT and finding.says.startswith(("quick_check: ", "cannot be opened: "))

    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all" * 100)
    finding = check_database(garbage, quick_check(garbage))
    assert finding.level is Level.FAULT and "cannot be opened" in finding.says and "do not delete" in finding.todo

    assert check_database(tmp_path / "none.sqlite3", quick_check(tmp_path / "none.sqlite3")).level is Level.WARNING


def test_secrets_are_read_never_shown():
    token = "tok-never-printed"
    present = Secret("server token", lambda: token, "set it")
    missing = Secret("SMTP password", lambda: None, "set it with `sudo p2c-kiosk configure --smtp-password-stdin`")
    key = Secret("storage key", lambda: None, "put it back", fault_when_missing=True)

    assert check_secrets([present]).line() == "ok      secrets   server token present"
    warning = check_secrets([present, missing])
    assert warning.level is Level.WARNING and "missing: SMTP password" in warning.says
    assert "--smtp-password-stdin" in warning.todo and token not in warning.line()
    assert check_secrets([key, present]).level is Level.FAULT
    assert check_secrets([]).level is Level.OK


def test_encryption_at_rest_turned_off_is_a_warning_that_says_how_to_turn_it_on(tmp_path):
    home = tmp_path / "home"
    write_config(home)  # [storage] encryption = "off"
    with keyring_in_use(MemoryKeyring()):
        code, text = doctor(home, sysfs_root=sysfs(tmp_path))
    line = next(line for line in text.splitlines() if line.split()[1] == "storage")
    assert line.startswith("warning storage   encryption at rest is OFF")
    assert "readable by anyone who takes this disk" in line
    assert 'set [storage] encryption = "on" in kiosk.toml and restart the kiosk' in line
    assert code >= 1

    (home / "kiosk.toml").write_text('[storage]\nencryption = "on"\n', encoding="utf-8")
    with keyring_in_use(MemoryKeyring()) as keys:
        keys.set_password(KEYRING_SERVICE, "storage-key", "ab" * 32)
        findings = {finding.check: finding for finding in diagnose(home, sysfs=sysfs(tmp_path / "on"))}
    assert findings["storage"].line() == "ok      storage   encrypted at rest"


def test_the_secrets_line_names_each_missing_secret_the_configuration_calls_for(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "kiosk.toml").write_text(
        '[sync]\nserver_url = "https://records.example.gov/p2c"\n'
        '[notices]\nsmtp_host = "mail.example.gov"\nsmtp_username = "kiosk01"\n', encoding="utf-8")

    def secrets_line(**kept: str) -> str:
        with keyring_in_use(MemoryKeyring()) as keys:
            for user, secret in kept.items():
                keys.set_password(KEYRING_SERVICE, user.replace("_", ":", 1), secret)
            return next(finding for finding in diagnose(home, sysfs=sysfs(tmp_path / str(len(kept)))) if
                        finding.check == "secrets").line()

    nothing = secrets_line()
    assert nothing.startswith("fault   secrets   missing: storage key, server token, SMTP password — ")
    assert "--token-stdin" in nothing and "--smtp-password-stdin" in nothing
    some = secrets_line(**{"storage-key": "ab" * 32, "sync_https://records.example.gov/p2c": "tok-kept"})
    assert some.startswith("warning secrets   missing: SMTP password — SMTP password: set it with `sudo p2c-kiosk "
                           "configure --smtp-password-stdin`")
    assert "tok-kept" not in some
    everything = secrets_line(**{"storage-key": "ab" * 32, "sync_https://records.example.gov/p2c": "tok-kept",
                                 "smtp_kiosk01@mail.example.gov": "pw"})
    assert everything == "ok      secrets   storage key, server token, SMTP password present"


def test_the_clock_and_the_time_zone():
    assert check_clock("America/New_York", lambda: NOW, lambda: True).line() == \
        "ok      clock     2026-12-07 10:00 EST (America/New_York), synchronized"
    assert check_clock("America/New_York", lambda: NOW, lambda: False).level is Level.WARNING
    assert check_clock("Mars/Olympus_Mons", lambda: NOW).level is Level.FAULT
    assert check_clock("UTC", lambda: datetime(2001, 1, 1, tzinfo=UTC), lambda: True).level is Level.FAULT


class Server:
    """A department server on 127.0.0.1: /api/v1/health with a Date header ``skew`` off this clock, /api/v1/whoami
    taking only ``token``; with ``hang`` it accepts connections and never answers."""

    def __init__(self, skew: timedelta = timedelta(0), token: str = "good-token", hang: bool = False) -> None:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if hang:
                    time.sleep(10)
                    return
                if self.path == "/api/v1/health":
                    self._answer(200, {"status": "ok"})
                elif self.path == "/api/v1/whoami":
                    if self.headers.get("Authorization") == f"Bearer {token}":
                        self._answer(200, {"kiosk_name": "lobby", "kiosk_number": 1})
                    else:
                        self._answer(401, {"code": "token_refused", "message": "unknown token"})
                else:
                    self._answer(404, {})

            def _answer(self, status: int, body: dict) -> None:
                payload = json.dumps(body).encode()
                self.send_response_only(status)
                self.send_header("Date", format_datetime(datetime.now(UTC) + outer.skew, usegmt=True))
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.skew = skew
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def write_config(home: Path, server: str = "") -> None:
    home.mkdir(exist_ok=True)
    storage = '[storage]\nencryption = "off"\n' if _has_storage_setting() else ""
    (home / "kiosk.toml").write_text(f'[sync]\nserver_url = "{server}"\n{storage}', encoding="utf-8")


def _has_storage_setting() -> bool:
    from kiosk.config import Config

    return "storage" in Config.__dataclass_fields__


def doctor(home: Path, *, as_json: bool = False, sysfs_root: Path | None = None) -> tuple[int, str]:
    out = io.StringIO()
    args = argparse.Namespace(json=as_json)
    if sysfs_root is None:
        return run_doctor(home, args, out, io.StringIO()), out.getvalue()
    from kiosk import cli_doctor

    findings = cli_doctor.diagnose(home, sysfs=sysfs_root)
    return exit_code(findings), "\n".join(finding.line() for finding in findings)


def test_the_server_reachable_its_clock_and_its_token(tmp_path):
    answers = []
    for server, token in ((Server(), "good-token"), (Server(skew=timedelta(minutes=10)), "good-token"),
                          (Server(), "stale-token")):
        home = tmp_path / str(len(answers))
        write_config(home, server.url)
        with keyring_in_use(MemoryKeyring()) as keys:
            keys.set_password(KEYRING_SERVICE, f"sync:{server.url}", token)
            findings = {finding.check: finding for finding in diagnose(home, sysfs=sysfs(home))}
        server.close()
        answers.append(findings["server"])
        assert token not in json.dumps([finding.as_json() for finding in findings.values()])
    reachable, skewed, refused = answers
    assert reachable.level is Level.OK and reachable.says.endswith("reachable")
    assert skewed.level is Level.WARNING
    assert re.search(r"reachable, but the clocks differ by (599|600|601) s", skewed.says)  # Date: whole seconds
    assert refused.level is Level.FAULT and "refuses this kiosk's token" in refused.says


def test_a_server_that_never_answers_keeps_the_doctor_under_two_seconds(tmp_path):
    server = Server(hang=True)
    home = tmp_path / "home"
    write_config(home, server.url)
    try:
        started = time.monotonic()
        code, text = doctor(home, sysfs_root=sysfs(tmp_path))
        took = time.monotonic() - started
    finally:
        server.close()
    server_line = next(line for line in text.splitlines() if line.split()[1] == "server")
    assert took < 2.0, took
    assert server_line.startswith("warning") and ("cannot be reached" in server_line or "no answer" in server_line)
    assert code >= 1


def test_no_server_and_a_server_away_are_warnings_with_what_to_do():
    unset = check_server("", lambda: ServerAnswer(None, None), lambda: None, lambda: NOW)
    assert unset.level is Level.WARNING and "configure --server" in unset.todo

    def unreachable() -> ServerAnswer:
        raise ConnectionRefusedError

    from kiosk.doctor import Backlog

    away = check_server("https://records.example.gov", unreachable, lambda: Backlog(3, 1, None, None), lambda: NOW)
    assert away.line() == ("warning server    https://records.example.gov cannot be reached (ConnectionRefusedError); "
                           "3 reports and 1 events wait for sync — check the network; the kiosk keeps reports and "
                           "sends them when it can")


def test_the_command_one_line_per_part_or_json_and_its_exit_code(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    with keyring_in_use(MemoryKeyring()):
        code, text = doctor(home)
        json_code, json_text = doctor(home, as_json=True)

    lines = text.splitlines()
    checks = [line.split()[1] for line in lines]
    assert checks[:2] == ["config", "display"] and {"disk", "database", "clock", "server", "printer"} <= set(checks)
    assert all(line.split()[0] in ("ok", "warning", "fault") for line in lines)
    assert all(" — " in line for line in lines if not line.startswith("ok"))  # what to do, on every other line
    assert code == max(("ok", "warning", "fault").index(line.split()[0]) for line in lines)
    answer = json.loads(json_text)
    assert answer["exit"] == json_code and [check["check"] for check in answer["checks"]] == checks
    assert list(home.iterdir()) == []  # the doctor wrote nothing: no kiosk.toml, no log, no database


def test_a_configuration_with_mistakes_is_a_fault_line(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "kiosk.toml").write_text("[kiosk]\nidle_timeout_seconds = true\n")
    code, text = doctor(home)
    assert code == 2
    assert text.splitlines()[0].startswith("fault   config ") and "config check" in text.splitlines()[0]


def test_as_root_it_becomes_the_owner_of_the_data_folder():
    """Nothing it does after reading the secrets can leave a file of root's in the kiosk's data folder."""
    if os.geteuid() != 0:
        pytest.skip("only root can become another user")
    import pwd
    import tempfile

    with tempfile.TemporaryDirectory(prefix="p2c-doctor-") as folder:  # pytest's own is root's alone
        os.chmod(folder, 0o755)
        _becomes_the_owner(Path(folder), pwd.getpwnam("nobody"))


def _becomes_the_owner(tmp_path: Path, nobody) -> None:
    home = tmp_path / "home"
    home.mkdir()
    os.chown(home, nobody.pw_uid, nobody.pw_gid)
    code = (f"import os, sys; from pathlib import Path; from kiosk.cli_common import become_owner_of; "
            f"home = Path({str(home)!r}); become_owner_of(home); (home / 'made').write_text('x'); "
            f"print(os.getresuid(), os.getresgid(), os.getgroups()); "
            f"open({str(tmp_path / 'roots')!r}, 'w')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=30)
    ids = f"({nobody.pw_uid}, {nobody.pw_uid}, {nobody.pw_uid}) ({nobody.pw_gid}, {nobody.pw_gid}, {nobody.pw_gid})"
    assert result.stdout.startswith(ids)
    assert (home / "made").stat().st_uid == nobody.pw_uid
    assert "PermissionError" in result.stderr and not (tmp_path / "roots").exists()  # and root's powers are gone


def test_under_two_seconds_as_a_command(tmp_path):
    """The whole command in a new process, imports included."""
    home = tmp_path / "home"
    write_config(home)
    code = ("import argparse, sys; from pathlib import Path; from kiosk.cli_doctor import run_doctor; "
            f"sys.exit(run_doctor(Path({str(home)!r}), argparse.Namespace(json=True), sys.stdout, sys.stderr))")
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=30)
    took = time.monotonic() - started
    assert result.returncode in (1, 2) and json.loads(result.stdout)["exit"] == result.returncode
    assert took < 2.0, took

