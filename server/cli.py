"""``p2c-server``: run the reference department server and look after its kiosks, reports and decisions.

    p2c-server [--db URL] [--config FILE] serve [--host H] [--port P] [--workers N] [--ssl-certfile F --ssl-keyfile F]
                                                 [--trusted-proxy ADDRESS ...]
    p2c-server [--db URL] migrate                          bring the database to this version's schema (backup first)
    p2c-server [--db URL] kiosk add NAME --number NN      prints the kiosk's token, once
    p2c-server [--db URL] kiosk list | kiosk revoke NUMBER | kiosk rotate NUMBER
    p2c-server [--db URL] [--config FILE] kiosks [--json]      each kiosk's last-seen time and latest heartbeat
    p2c-server [--db URL] reports [--json]
    p2c-server [--db URL] [--config FILE] decide TRACKING approve|request-info|reject --officer NAME [...]
    p2c-server [--db URL] conflicts
    p2c-server [--db URL] import-numbers FILE [--kiosk N]   official numbers a kiosk gave itself while standalone
    p2c-server [--db URL] audit verify [--kiosk N] [--json]  each kiosk's audit chain as the server holds it

``--db`` defaults to $P2C_SERVER_DB, else the URL in the file $P2C_SERVER_DB_FILE names (a systemd credential or a
container secret), else sqlite:///./p2c-server.sqlite3. Exit codes: 0 done, 1 ``audit verify`` found a kiosk whose
chain does not match, 2 a usage or input error (the message says what to fix).
"""

from __future__ import annotations

import argparse
import copy
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn, TextIO

from kiosk.config import ConfigError
from kiosk.tracking import TrackingNumber, TrackingNumberError
from server.audit_chain import verify_chains
from server.db import DB_ENV, DatabaseUrlError, ServerDatabase, default_database_url, open_database
from server.decisions import ACTIONS, DecisionError, decide
from server.heartbeat import KioskHealthListing, kiosk_health
from server.kiosks import KioskError, add_kiosk, list_kiosks, revoke_kiosk
from server.listing import list_conflicts, list_reports
from server.migrations import MigrationError, migrate
from server.official_numbers import NumbersImportError, import_numbers, read_numbers_file
from server.settings import CONFIG_ENV, Settings, load_settings


def tracking_argument(text: str) -> TrackingNumber:
    """``type=`` of a command-line tracking number: the command line's edge, where the number is parsed once; a
    malformed one is argparse's refusal (exit code 2)."""
    try:
        return TrackingNumber.parse(text)
    except TrackingNumberError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a tracking number (such as T26-01-00042-1)") from None

EXIT_USAGE = 2
# A machine's worth: each worker is a process with its own connection pool (docs/server.md, "Several workers").
MAX_WORKERS = 64
EXIT_AUDIT_MISMATCH = 1
# uvicorn's variable for the proxies whose X-Forwarded-For is believed (the systemd unit and compose file set it).
FORWARDED_ENV = "FORWARDED_ALLOW_IPS"
# A heartbeat's clock skew includes the network's delay: `kiosks` mentions it from this many seconds on.
CLOCK_SKEW_SHOWN = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse's own exit code is 2 as well; keep its wording
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"p2c-server: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="p2c-server", description="The P2C reference department server.")
    parser.add_argument("--db", default=None,
                        help="database URL: sqlite:///path or postgresql://user@host:port/db "
                             "(default: $P2C_SERVER_DB, the URL in the file $P2C_SERVER_DB_FILE names, or "
                             "sqlite:///./p2c-server.sqlite3)")
    parser.add_argument("--config", default=None,
                        help="the department's configuration, a kiosk.toml-format file "
                             "(default: $P2C_SERVER_CONFIG, else the kiosk defaults)")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    serve = commands.add_parser("serve", help="run the server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8600)
    serve.add_argument("--ssl-certfile", default=None, help="serve HTTPS with this certificate (PEM)")
    serve.add_argument("--ssl-keyfile", default=None, help="the certificate's private key (PEM)")
    serve.add_argument("--workers", type=int, default=1,
                       help="worker processes (uvicorn's own supervisor; default 1). With more than one, use "
                            "PostgreSQL: docs/server.md")
    serve.add_argument("--trusted-proxy", action="append", default=[], metavar="ADDRESS",
                       help="the reverse proxy's address or network (repeat for several; * for any, when only the "
                            "proxy can reach the port): only a connection from one of them may name the visitor's "
                            "address in X-Forwarded-For (and the scheme in X-Forwarded-Proto). Default: the "
                            "comma-separated list in $FORWARDED_ALLOW_IPS, else none: the socket's peer is the visitor "
                            "(docs/server.md)")

    commands.add_parser("migrate", help="bring the database to this version's schema: a backup first, then one step "
                                        "per version (serve and every command do it too; this one says what it did)")

    kiosk = commands.add_parser("kiosk", help="register, list and revoke kiosks")
    kiosk_commands = kiosk.add_subparsers(dest="kiosk_command", required=True, parser_class=_Parser)
    add = kiosk_commands.add_parser("add", help="register a kiosk and print its token (once)")
    add.add_argument("name")
    add.add_argument("--number", type=int, required=True, help="the kiosk's number (1-99, [kiosk] number)")
    kiosk_commands.add_parser("list", help="the registered kiosks")
    rotate = kiosk_commands.add_parser("rotate", help="give a kiosk a new token (printed once); the old one stops "
                                                      "working at once")
    rotate.add_argument("number", type=int)
    revoke = kiosk_commands.add_parser("revoke", help="stop accepting a kiosk's token")
    revoke.add_argument("number", type=int)

    kiosks = commands.add_parser("kiosks", help="every kiosk's last-seen time and latest heartbeat; silent ones "
                                                "are marked ([server] silent_after_minutes)")
    kiosks.add_argument("--json", action="store_true", help="as JSON (a list of objects)")

    reports = commands.add_parser("reports", help="the reports the server holds")
    reports.add_argument("--json", action="store_true", help="as JSON (a list of objects)")

    decide_cmd = commands.add_parser("decide", help="decide a report at the server")
    decide_cmd.add_argument("tracking_number", type=tracking_argument)
    decide_cmd.add_argument("decision", choices=sorted(ACTIONS))
    decide_cmd.add_argument("--officer", required=True, help="who decides (recorded as server:NAME)")
    decide_cmd.add_argument("--nibrs", default=None, help="approve: the confirmed NIBRS code")
    decide_cmd.add_argument("--reason", default=None, help="reject: duplicate, wrong_offense_type, outside_city, "
                                                           "suspect_or_evidence, not_eligible or other")
    decide_cmd.add_argument("--duplicate-of", type=tracking_argument,
                            help="reject as duplicate: the original's tracking number")
    decide_cmd.add_argument("--message", default="", help="a message to the citizen")
    decide_cmd.add_argument("--question", default="", help="request-info: what the citizen should answer")
    decide_cmd.add_argument("--phone-note", default="", help="request-info: a note of a phone call (history only)")

    commands.add_parser("conflicts", help="pushes refused as conflicts, for an officer to look at")

    numbers = commands.add_parser("import-numbers", help="let a formerly standalone kiosk bring the official "
                                                         "numbers it gave itself (its export-numbers file)")
    numbers.add_argument("file", help="the file `p2c-kiosk sync export-numbers` wrote")
    numbers.add_argument("--kiosk", type=int, default=None, help="the kiosk's number (checked against the file)")

    audit = commands.add_parser("audit", help="the kiosks' audit chains as the server holds them")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True, parser_class=_Parser)
    verify = audit_commands.add_parser("verify", help="check each kiosk's chain (exit 1 when one does not match)")
    verify.add_argument("--kiosk", type=int, default=None, help="only this kiosk")
    verify.add_argument("--json", action="store_true", help="as JSON (a list of objects)")
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None,
         clock: Callable[[], datetime] | None = None) -> int:
    """Run ``p2c-server`` with ``argv``. ``clock`` gives "now" for ``kiosks`` (tests pass their own)."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    args = build_parser().parse_args(argv)
    args.config = args.config or os.environ.get(CONFIG_ENV) or None
    try:
        url = args.db or default_database_url()
        settings = load_settings(args.config)
        if args.command == "serve":
            return _serve(args, url, settings)
        if args.command == "migrate":
            return _migrate(url, out)
        database = open_database(url)
        try:
            if args.command == "kiosks":
                return _kiosks(args, database, settings, (clock or _utc_now)(), out)
            return _run(args, database, settings, out)
        finally:
            database.close()
    except (ConfigError, DatabaseUrlError, KioskError, DecisionError, NumbersImportError, MigrationError) as exc:
        print(f"p2c-server: {exc}", file=err)
        return EXIT_USAGE


def _run(args: argparse.Namespace, database: ServerDatabase, settings: Settings, out: TextIO) -> int:
    if args.command == "kiosk":
        if args.kiosk_command == "add":
            token = add_kiosk(database, args.name, args.number)
            print(f"Kiosk {args.number} ({args.name.strip()}) is registered. Its token, shown only this once:",
                  file=out)
            print(token, file=out)
            print("On the kiosk: p2c-kiosk configure --server URL --token-stdin (paste the token)", file=out)
        elif args.kiosk_command == "rotate":
            _rotate(database, args.number, out)
        elif args.kiosk_command == "list":
            for info in list_kiosks(database):
                state = "active" if info.active else "revoked"
                print(f"{info.number:>2}  {info.name}  {state}  since {info.created_at}", file=out)
        else:
            info = revoke_kiosk(database, args.number)
            print(f"Kiosk {info.number} ({info.name}) is revoked; its token no longer works.", file=out)
        return 0
    if args.command == "reports":
        rows = list_reports(database)
        if args.json:
            json.dump(rows, out, indent=2)
            out.write("\n")
        else:
            for row in rows:
                print(f"{row['tracking_number']}  kiosk {row['kiosk_number']:>2}  {row['status']:<10}  "
                      f"{row['official_number'] or '-'}", file=out)
            print(f"{len(rows)} reports", file=out)
        return 0
    if args.command == "decide":
        decision = decide(database, settings.department, args.tracking_number, args.decision, args.officer,
                          nibrs_code=args.nibrs, reason=args.reason, message=args.message, question=args.question,
                          phone_note=args.phone_note, duplicate_of=args.duplicate_of)
        number = f" as {decision.official_number}" if decision.official_number else ""
        print(f"{decision.tracking_number}: {decision.status}{number} (event {decision.event_id})", file=out)
        return 0
    if args.command == "import-numbers":
        return _import_numbers(args, database, out)
    if args.command == "audit":
        return _audit_verify(args, database, out)
    conflicts = list_conflicts(database)
    for conflict in conflicts:
        event = f" event {conflict['event_id']}" if conflict["event_id"] else ""
        print(f"{conflict['last_at']}  kiosk {conflict['kiosk_number']:>2}  {conflict['tracking_number']}{event}  "
              f"{conflict['code']}  (seen {conflict['times']}x): {conflict['message']}", file=out)
    print(f"{len(conflicts)} conflicts", file=out)
    return 0


def _rotate(database: ServerDatabase, number: int, out: TextIO) -> None:
    """A new token for an active kiosk: revoked, then added again under its name (a new token is a new start: its
    health shows "never seen" until it next syncs). Two steps: if the second fails, `kiosk add` finishes it."""
    current = next((info for info in list_kiosks(database) if info.number == number), None)
    if current is None or not current.active:
        raise KioskError(f"there is no active kiosk {number}; `p2c-server kiosk list` shows the registered ones "
                         f"(a revoked kiosk gets a token with `kiosk add NAME --number {number}`)")
    revoke_kiosk(database, number)
    token = add_kiosk(database, current.name, number)
    print(f"Kiosk {number} ({current.name}) has a new token; the old one no longer works. Shown only this once:",
          file=out)
    print(token, file=out)
    print("On the kiosk: p2c-kiosk configure --server URL --token-stdin (paste the token); until then it keeps its "
          "reports and retries", file=out)


def _migrate(url: str, out: TextIO) -> int:
    database = open_database(url, pool_size=1, migrate_schema=False)
    try:
        result = migrate(database)
    finally:
        database.close()
    if result.from_version == result.to_version:
        print(f"The database is at schema version {result.to_version}, this server's; nothing to do.", file=out)
    else:
        print(f"The database went from schema version {result.from_version} to {result.to_version}.", file=out)
    if result.backup:
        print(f"Backup taken before: {result.backup}", file=out)
    return 0


def _import_numbers(args: argparse.Namespace, database: ServerDatabase, out: TextIO) -> int:
    try:
        text = Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise NumbersImportError(f"cannot read {args.file}: {exc.__class__.__name__}") from None
    kiosk, pairs = read_numbers_file(text)
    if args.kiosk is not None and args.kiosk != kiosk:
        raise NumbersImportError(f"the file holds kiosk {kiosk}'s numbers, not kiosk {args.kiosk}'s")
    added = import_numbers(database, kiosk, pairs)
    print(f"kiosk {kiosk}: {added} official number(s) imported, {len(pairs) - added} already there; the kiosk's "
          "approvals that carry them are now accepted", file=out)
    return 0


def _audit_verify(args: argparse.Namespace, database: ServerDatabase, out: TextIO) -> int:
    if args.kiosk is not None and all(k.number != args.kiosk for k in list_kiosks(database)):
        raise KioskError(f"there is no kiosk {args.kiosk}; `p2c-server kiosk list` shows the registered ones")
    chains = verify_chains(database, args.kiosk)
    if args.json:
        json.dump(chains, out, indent=2)
        out.write("\n")
    else:
        for chain in chains:
            head = f"head {chain['head_id']}:{chain['head_hash'][:16]}..."
            if chain["state"] == "intact":
                line = (f"intact  {chain['entries']} entries  {head}  last push "
                        f"{(chain['last_push_at'] or '-')[:19].replace('T', ' ')}")
            elif chain["state"] == "empty":
                line = "no entries received yet"
            elif chain["state"] == "mismatch":
                line = (f"MISMATCH since {(chain['mismatch_at'] or '-')[:19].replace('T', ' ')}: {chain['problem']} "
                        f"(the server holds {chain['entries']} entries, {head})")
            else:
                line = f"BROKEN at the server: {chain['problem']}"
            print(f"{chain['kiosk_number']:>2}  {chain['kiosk_name']}  {line}", file=out)
        bad = sum(1 for chain in chains if chain["state"] in ("mismatch", "broken"))
        print(f"{len(chains)} kiosks; {bad} whose audit chain does not match", file=out)
    return EXIT_AUDIT_MISMATCH if any(chain["state"] in ("mismatch", "broken") for chain in chains) else 0


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _kiosks(args: argparse.Namespace, database: ServerDatabase, settings: Settings, now: datetime,
            out: TextIO) -> int:
    limit = settings.server.silent_after
    rows = kiosk_health(database, limit, now)
    if args.json:
        json.dump(rows, out, indent=2)
        out.write("\n")
        return 0
    for row in rows:
        print(_kiosk_line(row), file=out)
    silent = sum(1 for row in rows if row["state"] == "silent")
    never = sum(1 for row in rows if row["state"] == "never_seen")
    print(f"{len(rows)} kiosks; {silent} silent (nothing heard for more than {settings.server.silent_after_minutes} "
          f"min), {never} never seen", file=out)
    return 0


def _kiosk_line(row: KioskHealthListing) -> str:
    parts = [f"{row['number']:>2}  {row['name']}  {row['state'].upper().replace('_', ' ')}"]
    if row["last_seen_at"] is not None and row["seen_seconds_ago"] is not None:
        parts.append(f"last seen {row['last_seen_at'][:16].replace('T', ' ')} UTC ({_ago(row['seen_seconds_ago'])})")
    if row["heartbeat_at"] is None:
        if row["last_seen_at"] is not None:
            parts.append("no heartbeat yet")
        return "  ".join(parts)
    parts.append(f"version {row['version']}")
    if row["uptime_seconds"] is not None:
        parts.append(f"up {_duration(row['uptime_seconds'])}")
    parts.append(f"backlog {row['reports_waiting']} reports, {row['events_waiting']} events")
    printer = f"printer {row['printer_state']}"
    if row["printer_message"]:
        printer += f" ({row['printer_message']})"
    parts.append(printer)
    if row["disk_free_bytes"] is not None:
        parts.append(f"disk {_bytes(row['disk_free_bytes'])} free")
    if row["last_error_code"]:
        parts.append(f"last error {row['last_error_code']} at {(row['last_error_at'] or '')[:16].replace('T', ' ')}")
    skew = row["clock_skew_seconds"]
    if skew is not None and abs(skew) >= CLOCK_SKEW_SHOWN:
        parts.append(f"clock {_duration(round(abs(skew)))} {'ahead' if skew > 0 else 'behind'}")
    return "  ".join(parts)


def _ago(seconds: int) -> str:
    return f"{_duration(seconds)} ago" if seconds >= 60 else "just now"


def _duration(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 120 * 60:
        return f"{seconds // 60} min"
    if seconds < 48 * 3600:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} days"


def _bytes(count: int) -> str:
    for unit, size in (("TB", 10**12), ("GB", 10**9), ("MB", 10**6)):
        if count >= size:
            return f"{count / size:.1f} {unit}"
    return f"{count} bytes"


def _serve(args: argparse.Namespace, url: str, settings: Settings) -> int:
    """uvicorn with ``--workers`` processes (its own supervisor, no gunicorn: docs/server.md). The database is
    migrated here, once, before any worker starts; each worker then builds its own application and connection pool
    (server.app.app_from_environment), so nothing is shared between processes but the listening socket and the
    database."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from server.app import ServeConfig, ServeProtocol

    if bool(args.ssl_certfile) != bool(args.ssl_keyfile):
        print("p2c-server: --ssl-certfile and --ssl-keyfile go together", file=sys.stderr)
        return EXIT_USAGE
    if not 1 <= args.workers <= MAX_WORKERS:
        print(f"p2c-server: --workers must be from 1 to {MAX_WORKERS}", file=sys.stderr)
        return EXIT_USAGE
    proxies = _trusted_proxies(args.trusted_proxy or os.environ.get(FORWARDED_ENV, "").split(","))
    if proxies is None:
        return EXIT_USAGE
    open_database(url, pool_size=1).close()  # migrate (or say why not) before the workers start
    if args.db:  # else each worker finds it where this process did: $P2C_SERVER_DB or $P2C_SERVER_DB_FILE
        os.environ[DB_ENV] = url  # what each worker process reads (spawned, it inherits the environment)
    if args.config:
        os.environ[CONFIG_ENV] = str(Path(args.config).resolve())
    else:
        os.environ.pop(CONFIG_ENV, None)
    config = ServeConfig("server.app:app_from_environment", factory=True, host=args.host, port=args.port,
                         workers=args.workers, ssl_certfile=args.ssl_certfile, ssl_keyfile=args.ssl_keyfile,
                         log_level="info", log_config=_log_config(), server_header=False, http=ServeProtocol,
                         proxy_headers=bool(proxies), forwarded_allow_ips=",".join(proxies) or None,
                         header_timeout=settings.server.header_timeout_seconds)
    server = uvicorn.Server(config)
    if args.workers > 1:
        Multiprocess(config, sockets=[config.bind_socket()]).run()
        return 0
    server.run()
    return 0 if server.started else 1


def _trusted_proxies(given: list[str]) -> list[str] | None:
    """``--trusted-proxy`` (or $FORWARDED_ALLOW_IPS) as uvicorn takes it: addresses, networks or ``*``; None after
    saying which is not one. Unlike uvicorn's own default (127.0.0.1), nothing is trusted unless named: the status
    page counts wrong codes per client address, and a visitor on the server's machine must not pick theirs."""
    import ipaddress

    proxies = []
    for text in (item.strip() for item in given):
        if not text:
            continue
        if text == "*":
            proxies.append(text)
            continue
        try:
            proxies.append(str(ipaddress.ip_network(text, strict=False)))
        except ValueError:
            print(f"p2c-server: trusted proxy {text!r} (--trusted-proxy or ${FORWARDED_ENV}) is not an IP address "
                  "or network (such as 10.0.0.5 or 10.0.0.0/24) or *", file=sys.stderr)
            return None
    return proxies


def _log_config() -> dict[str, Any]:
    """uvicorn's logging with each line's process id, so a line says which worker wrote it. The access log names
    neither the client's address nor the query string (:class:`AccessLogFilter`): the status page's links carry a
    tracking number in ``?t=``, and a visitor's address is personal."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    for formatter in config["formatters"].values():
        formatter["fmt"] = formatter["fmt"].replace("%(levelprefix)s", "%(levelprefix)s [%(process)d]", 1)
    config["formatters"]["access"]["fmt"] = config["formatters"]["access"]["fmt"].replace("%(client_addr)s - ", "")
    config.setdefault("filters", {})["access_private"] = {"()": "server.cli.AccessLogFilter"}
    config["handlers"]["access"]["filters"] = ["access_private"]
    return config


class AccessLogFilter(logging.Filter):
    """Takes the client's address and the query string out of each uvicorn access log record (its arguments are
    client address, method, path with query, HTTP version, status), for every handler that formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5:
            _client, method, path, version, status = args
            record.args = ("-", method, str(path).split("?", 1)[0], version, status)
        return True


if __name__ == "__main__":
    sys.exit(main())
