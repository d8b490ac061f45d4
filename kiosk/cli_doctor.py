"""``p2c-kiosk doctor [--json]``: how this kiosk is doing, one line per part with what to do (kiosk.doctor), in under
two seconds. Exit 0 when all is well, 1 on a warning, 2 on a fault.

It runs before the kiosk is opened (``without_kiosk``): a kiosk.toml with mistakes is itself a finding, and nothing
is written, neither the default configuration nor a log. The printer, and any other face's part, are checked by
the functions the ``p2c_kiosk.doctor`` entry points name (each takes the kiosk's container and gives a Finding).

Run as root on a deployed kiosk (``sudo p2c-kiosk doctor``), it reads the secrets as root (the encrypted
credentials are root's), then becomes the data folder's owner for everything else, so that opening the database
never leaves a file in the data folder that the kiosk cannot write.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from kiosk.cli_common import leave_root
from kiosk.config import CONFIG_FILE_NAME, Config, ConfigError, read_config_file
from kiosk.doctor import (
    BUDGET_SECONDS,
    Backlog,
    Check,
    Finding,
    Level,
    Secret,
    ServerAnswer,
    check_clock,
    check_database,
    check_disk,
    check_display,
    check_encryption,
    check_secrets,
    check_server,
    check_speech,
    exit_code,
    http_date,
    run_checks,
)

if TYPE_CHECKING:
    from kiosk.home import Kiosk

DOCTOR_GROUP = "p2c_kiosk.doctor"  # entry points: name -> function(kiosk) -> Finding
DATABASE_FILE = "kiosk.sqlite3"
# The lines' order; the faces' own checks come after.
ORDER = ("config", "display", "printer", "speech", "disk", "database", "storage", "secrets", "server", "clock")
SERVER_TIMEOUT = 1.0  # seconds, for each of the two requests to the server


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    doctor = commands.add_parser("doctor", help="check this kiosk's health, one line per part with what to do "
                                                "(exit 0 all well, 1 a warning, 2 a fault)")
    doctor.add_argument("--json", action="store_true", help="one JSON object instead of lines")
    doctor.set_defaults(without_kiosk=run_doctor)


def run_doctor(home: Path, args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    findings = diagnose(home)
    code = exit_code(findings)
    if args.json:
        print(json.dumps({"status": Level(code).word, "exit": code,
                          "checks": [finding.as_json() for finding in findings]}, ensure_ascii=False), file=stdout)
    else:
        for finding in findings:
            print(finding.line(), file=stdout)
    return code


def diagnose(home: Path, sysfs: Path = Path("/sys"), budget: float = BUDGET_SECONDS) -> list[Finding]:
    """Every finding for the kiosk whose data folder is ``home``, in a fixed order."""
    started = time.monotonic()
    # Missing secrets and the like are the doctor's lines; the same words logged would only repeat them on stderr.
    logging.disable(logging.WARNING)
    try:
        config, config_finding = _read_config(home)
        checks: dict[str, Check] = {"display": lambda: check_display(sysfs)}
        findings_first: list[Finding] = [config_finding]
        if config is not None:
            findings_first.append(check_encryption(config.storage.encrypted))
            findings_first.append(check_secrets(_secrets(config)))  # first: as root, before leaving root
        leave_root(home)
        checks["disk"] = lambda: check_disk(home if home.exists() else home.parent)
        time_zone = config.kiosk.time_zone if config is not None else "UTC"
        checks["clock"] = lambda: check_clock(time_zone, _now)
        if config is not None:
            speech, languages = config.speech.engine, config.kiosk.languages
            checks["speech"] = lambda: check_speech(speech, languages)
            checks.update(_kiosk_checks(home, config))
        remaining = max(0.3, budget - (time.monotonic() - started))
        findings = findings_first + run_checks(checks, budget=remaining)
        return sorted(findings, key=lambda finding: ORDER.index(finding.check) if finding.check in ORDER
                      else len(ORDER))
    finally:
        logging.disable(logging.NOTSET)


def _kiosk_checks(home: Path, config: Config) -> dict[str, Check]:
    """The checks that need the kiosk's container: the database, the server and the faces' (the printer)."""
    from kiosk.home import Kiosk

    kiosk = Kiosk(home, config)
    checks: dict[str, Check] = {
        "database": lambda: check_database(home / DATABASE_FILE, lambda: _quick_check(kiosk)),
        "server": lambda: check_server(config.sync.server_url, lambda: _ask_server(config),
                                       lambda: _backlog(home, kiosk), _now),
    }
    checks.update(_face_checks(kiosk))
    return checks


def _read_config(home: Path) -> tuple[Config | None, Finding]:
    path = home / CONFIG_FILE_NAME
    if not path.exists():
        from kiosk.config import config_from_mapping

        return config_from_mapping({}), Finding("config", Level.WARNING, f"no {path} yet: the defaults apply",
                                                "the kiosk writes it when it first starts; edit it then")
    try:
        return read_config_file(path), Finding("config", Level.OK, f"{path}: no problems")
    except ConfigError as exc:
        first = str(exc).splitlines()[0]
        return None, Finding("config", Level.FAULT, first, "fix it (p2c-kiosk config check lists every mistake), "
                                                          "then restart the kiosk")


def _secrets(config: Config) -> list[Secret]:
    from kiosk.notices.secrets import smtp_keyring_user
    from kiosk.sync.secrets import sync_keyring_user

    needed = []
    if config.storage.encrypted:
        needed.append(Secret("storage key", _keyring_reader("storage-key"),
                             "put its credential back from your backup (docs/deployment.md); without it the "
                             "kiosk cannot open its data", fault_when_missing=True))
    if config.sync.server_url:
        needed.append(Secret("server token", _keyring_reader(sync_keyring_user(config)),
                             "set it with `sudo p2c-kiosk configure --server URL --token-stdin`"))
    if config.notices.smtp_username:
        needed.append(Secret("SMTP password", _keyring_reader(smtp_keyring_user(config)),
                             "set it with `sudo p2c-kiosk configure --smtp-password-stdin`"))
    return needed


def _keyring_reader(user: str) -> Callable[[], str | None]:
    def read() -> str | None:
        import keyring
        import keyring.errors

        from kiosk.keyring_secrets import KEYRING_SERVICE

        try:
            return keyring.get_password(KEYRING_SERVICE, user)
        except keyring.errors.KeyringError:
            return None

    return read


def _quick_check(kiosk: Kiosk) -> list[str]:
    cursor = kiosk.store.db.execute_sql("PRAGMA quick_check")
    return [str(row[0]) for row in cursor.fetchall()]


def _backlog(home: Path, kiosk: Kiosk) -> Backlog | None:
    if not (home / DATABASE_FILE).exists():
        return None
    try:
        status = kiosk.sync.status()
    except Exception:  # the database line says why it cannot be opened
        return None
    return Backlog(status.pending_reports, status.pending_events, status.last_success_at, status.last_error)


def _ask_server(config: Config) -> ServerAnswer:
    import httpx

    from kiosk.sync.client import SyncClient, TokenRefused
    from kiosk.sync.protocol import API_PREFIX
    from kiosk.sync.secrets import token_from_keyring

    url = config.sync.server_url.rstrip("/")
    response = httpx.get(f"{url}{API_PREFIX}/health", timeout=SERVER_TIMEOUT, follow_redirects=False)
    response.raise_for_status()
    date = http_date(response.headers.get("date"))
    token = token_from_keyring(config)()
    if not token:
        return ServerAnswer(date, None)
    try:
        with SyncClient(url, token, timeout_seconds=SERVER_TIMEOUT) as client:
            client.whoami()
    except TokenRefused:
        return ServerAnswer(date, False)
    return ServerAnswer(date, True)


def _face_checks(kiosk: Kiosk) -> dict[str, Check]:
    """The faces' checks (the printer's first of all), from the ``p2c_kiosk.doctor`` entry points."""
    from importlib.metadata import entry_points

    checks: dict[str, Check] = {}
    for entry in sorted(entry_points(group=DOCTOR_GROUP), key=lambda found: found.name):
        def check(entry: Any = entry) -> Finding:
            finding: Finding = entry.load()(kiosk)
            return finding
        checks[entry.name] = check
    if "printer" not in checks:
        checks["printer"] = lambda: Finding("printer", Level.WARNING, "not checked: no printing face with a "
                                            "doctor check is installed", "reinstall the kiosk (deploy/install.sh)")
    return checks


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)
