"""``p2c-kiosk``: the kiosk without a screen, for tests, officers' scripts and the kiosk window itself.

Exit codes: 0 done; 1 not found; 2 bad input or usage (every problem listed on stderr as ``field.path: message``).
This is the one module of ``kiosk`` that may import the faces (``ui``, ``printing``), and only inside the
subcommand that needs them.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from kiosk import __version__
from kiosk.config import ConfigError, resolve_home
from kiosk.home import Kiosk, configure_logging, open_kiosk
from kiosk.lifecycle import STATUSES
from kiosk.messages import CATALOG, Problem, render
from kiosk.report_errors import ReportNotFound, ReportRejected, StoreError
from kiosk.tracking import TrackingNumberError

log = logging.getLogger(__name__)

EXIT_OK, EXIT_NOT_FOUND, EXIT_BAD_INPUT = 0, 1, 2
EXIT_NOT_PRINTED = 3  # `print`: the receipt did not come out of the printer; it is kept in the spool folder


def build_parser(only_run: bool = False) -> argparse.ArgumentParser:
    """The whole command line; with ``only_run``, just what ``run`` needs (the kiosk window's start-up then skips
    importing the officer, review, notices and sync command modules: ~11 ms)."""
    parser = argparse.ArgumentParser(prog="p2c-kiosk", description="P2C lobby kiosk for police self-reporting.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--home", help="data folder (configuration, database, logs); default: $P2C_KIOSK_HOME "
                                       "or ~/.local/share/p2c-kiosk")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser("run", help="open the kiosk window (the default)")
    run.add_argument("--windowed", action="store_true", help="a normal window instead of the full-screen kiosk")
    run.add_argument("--smoke-test", nargs="?", const="", metavar="PNG",
                     help="for checks and benchmarks: quit once the welcome page is painted (saving it to PNG)")
    if only_run:
        return parser

    submit = commands.add_parser("submit", help="submit a report (a p2c-report/1 JSON file, or - for stdin)")
    submit.add_argument("file", help="the report file, or - to read standard input")
    submit.add_argument("--json", action="store_true", help="print {tracking_number, access_code} as JSON")
    submit.add_argument("--lang", choices=("en", "es"),
                        help="language of error messages (default: the report's own language)")

    show = commands.add_parser("show", help="show one report by tracking number")
    show.add_argument("tracking_number")
    show.add_argument("--json", action="store_true", help="print the stored report in the report format")

    listing = commands.add_parser("list", help="list reports, newest first")
    listing.add_argument("--status", choices=STATUSES)
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--offset", type=int, default=0)
    listing.add_argument("--json", action="store_true", help="one JSON object per line")

    commands.add_parser("export", help="every report in the report format, one JSON object per line")

    receipt = commands.add_parser("receipt", help="write a report's receipt as PDF, with a new access code")
    receipt.add_argument("tracking_number")
    receipt.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="the PDF file to write")
    receipt.add_argument("--paper", choices=("80mm", "letter"), help="paper size (default: printer.paper)")
    receipt.add_argument("--actor", help="who asked for it, recorded in the history (default: cli:USER)")

    report_copy = commands.add_parser("copy", help="write the full copy of a report as PDF (Letter)")
    report_copy.add_argument("tracking_number")
    report_copy.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="the PDF file to write")
    report_copy.add_argument("--lang", choices=("en", "es"), help="language (default: the report's own)")

    reprint = commands.add_parser("print", help="print a report's receipt again, with a new access code")
    reprint.add_argument("tracking_number")
    reprint.add_argument("--actor", help="who asked for it, recorded in the history (default: cli:USER)")
    reprint.add_argument("--lang", choices=("en", "es"), default="en", help="language of the messages")

    # Officer mode's commands live in modules of their own; each adds its subcommands with
    # ``set_defaults(handler=...)`` (a function with the same arguments as the handlers below).
    from kiosk import cli_notices, cli_officers, cli_review, cli_sync

    for module in (cli_officers, cli_review, cli_notices, cli_sync):
        module.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    args = build_parser(only_run=wants_run(argv)).parse_args(argv)
    home = resolve_home(args.home)
    try:
        configure_logging(home)
        # The kiosk window opens the database just after its first paint (ui.kiosk_services); every other command
        # opens it here, so that a database that cannot be opened is reported at once.
        kiosk = open_kiosk(home, open_store_now=(args.command or "run") != "run")
    except ConfigError as exc:
        print(f"p2c-kiosk: configuration: {exc}", file=stderr)
        return EXIT_BAD_INPUT
    except (OSError, StoreError) as exc:
        print(f"p2c-kiosk: cannot open the data folder {home}: {exc}", file=stderr)
        return EXIT_BAD_INPUT
    try:
        command = args.command or "run"
        handler = getattr(args, "handler", None) or {
            "run": _run, "submit": _submit, "show": _show, "list": _list, "export": _export,
            "receipt": _receipt, "copy": _copy, "print": _print}[command]
        return handler(kiosk, args, stdin, stdout, stderr)
    except BrokenPipeError:
        return EXIT_OK
    finally:
        kiosk.close()


def wants_run(argv: Sequence[str] | None) -> bool:
    """Whether the command line asks for the kiosk window (``run``, or no command at all) and not for help."""
    words = list(sys.argv[1:] if argv is None else argv)
    while words and words[0].startswith("-"):
        option = words.pop(0)
        if option in ("-h", "--help", "--version"):
            return False
        if option == "--home" and words:
            words.pop(0)
    return not words or words[0] == "run"


def _run(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    from printing import build_receipt_printer
    from ui.app import NoDisplayError, run_kiosk

    smoke = getattr(args, "smoke_test", None)
    try:
        return run_kiosk(kiosk.config, lambda: kiosk.reports, windowed=getattr(args, "windowed", False),
                         printer=build_receipt_printer(kiosk), smoke_test=smoke is not None,
                         screenshot=Path(smoke) if smoke else None,
                         # On first use: the database opens after the welcome page's first paint.
                         lookup=lambda: kiosk.lookup, kiosk=kiosk)
    except NoDisplayError as exc:
        print(f"p2c-kiosk: {exc}", file=stderr)
        return EXIT_BAD_INPUT


def _submit(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    language = args.lang or "en"
    try:
        text = stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"p2c-kiosk: cannot read {args.file}: {exc}", file=stderr)
        return EXIT_BAD_INPUT
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        _print_problems([Problem("", "shape.not_json", {"detail": f"line {exc.lineno}, column {exc.colno}: "
                                                                  f"{exc.msg}"})], language, stderr)
        return EXIT_BAD_INPUT
    if args.lang is None and isinstance(data, dict) and data.get("language") in ("en", "es"):
        language = data["language"]
    try:
        receipt = kiosk.reports.submit(data)
    except ReportRejected as exc:
        _print_problems(exc.problems, language, stderr)
        return EXIT_BAD_INPUT
    except StoreError:
        print(f"p2c-kiosk: {render(Problem('', 'store.failed'), language)}", file=stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps({"tracking_number": receipt.tracking_number, "access_code": receipt.access_code}),
              file=stdout)
    else:
        print(f"Access code: {receipt.access_code}", file=stdout)
        print(receipt.tracking_number, file=stdout)
    stdout.flush()
    return EXIT_OK


def _show(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    report = _find(kiosk, args.tracking_number, stderr)
    if isinstance(report, int):
        return report
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2), file=stdout)
    else:
        _print_report(report, stdout)
    return EXIT_OK


def _list(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    if args.limit < 1 or args.offset < 0:
        print("p2c-kiosk list: --limit must be 1 or more and --offset 0 or more", file=stderr)
        return EXIT_BAD_INPUT
    rows = kiosk.reports.list_reports(status=args.status, limit=args.limit, offset=args.offset)
    for row in rows:
        if args.json:
            print(json.dumps({"tracking_number": row.tracking_number, "submitted_at": row.submitted_at.isoformat(),
                              "category": row.category, "status": row.status, "location": row.location},
                             ensure_ascii=False), file=stdout)
        else:
            print(f"{row.tracking_number}  {row.submitted_at:%Y-%m-%d %H:%M}  {row.status:<10}  "
                  f"{row.category:<14}  {row.location}", file=stdout)
    return EXIT_OK


def _export(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    for report in kiosk.reports.export():
        print(json.dumps(report, ensure_ascii=False, separators=(",", ":")), file=stdout)
    return EXIT_OK


def _receipt(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    from printing.receipt import receipt_content, render_receipt

    output = Path(args.output)
    # Checked before a new code is issued, so that a bad path leaves the old code working.
    if not _writable(output):
        print(f"p2c-kiosk: cannot write {output}: no such folder, or no permission", file=stderr)
        return EXIT_BAD_INPUT

    def write(report: dict[str, Any], access_code: str) -> int:
        content = receipt_content(report, access_code, kiosk.config.kiosk.zone)
        pdf = render_receipt(content, kiosk.config.department, args.paper or kiosk.config.printer.paper)
        output.write_bytes(pdf.data)
        print(f"Access code: {access_code}", file=stdout)
        print(f"{output}: receipt of {report['tracking_number']}, {pdf.width_mm:.0f} × {pdf.height_mm:.0f} mm. "
              "The access code is new: the code on any earlier receipt no longer works.", file=stdout)
        return EXIT_OK

    return _with_new_code(kiosk, args, stderr, write)


def _writable(path: Path) -> bool:
    folder = path.parent if str(path.parent) else Path(".")
    if path.exists():
        return path.is_file() and os.access(path, os.W_OK)
    return folder.is_dir() and os.access(folder, os.W_OK)


def _copy(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    from printing.report_copy import render_report_copy

    report = _find(kiosk, args.tracking_number, stderr)
    if isinstance(report, int):
        return report
    pdf = render_report_copy(report, kiosk.config, args.lang)
    try:
        Path(args.output).write_bytes(pdf.data)
    except OSError as exc:
        print(f"p2c-kiosk: cannot write {args.output}: {exc}", file=stderr)
        return EXIT_BAD_INPUT
    print(f"{args.output}: full copy of {report['tracking_number']}, {pdf.pages} page(s)", file=stdout)
    return EXIT_OK


def _print(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    from printing import build_receipt_printer

    printer = build_receipt_printer(kiosk)

    def send(report: dict[str, Any], access_code: str) -> int:
        outcome = printer.print_receipt(report["tracking_number"], access_code)
        if outcome.printed:
            print(render(Problem("", "print.printed"), args.lang), file=stdout)
            return EXIT_OK
        print(render(Problem("", f"print.{outcome.reason}"), args.lang), file=stderr)
        if outcome.spooled_pdf is not None:
            print(render(Problem("", "print.spooled", {"path": str(outcome.spooled_pdf)}), args.lang), file=stderr)
        print(f"Access code: {access_code}", file=stdout)
        return EXIT_NOT_PRINTED

    return _with_new_code(kiosk, args, stderr, send)


def _with_new_code(kiosk: Kiosk, args: argparse.Namespace, stderr: TextIO,
                   then: Callable[[dict[str, Any], str], int]) -> int:
    """Issue a new access code for the report (the old one stops working; the history records it), then ``then``."""
    found = _find(kiosk, args.tracking_number, stderr)
    if isinstance(found, int):
        return found
    actor = args.actor or f"cli:{_user()}"
    try:
        access_code = kiosk.reports.reissue_access_code(found["tracking_number"], actor)
    except StoreError:
        print(f"p2c-kiosk: {render(Problem('', 'store.failed'), 'en')}", file=stderr)
        return EXIT_BAD_INPUT
    try:
        return then(kiosk.reports.get(found["tracking_number"]), access_code)
    except OSError as exc:
        print(f"p2c-kiosk: cannot write {getattr(args, 'output', '')}: {exc}", file=stderr)
        return EXIT_BAD_INPUT


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _find(kiosk: Kiosk, tracking_number: str, stderr: TextIO) -> dict[str, Any] | int:
    """The stored report, or the exit code after saying on stderr why there is none."""
    try:
        return kiosk.reports.get(tracking_number)
    except TrackingNumberError as exc:
        print(f"tracking_number: {render(Problem('', exc.code), 'en')}", file=stderr)
        return EXIT_BAD_INPUT
    except ReportNotFound:
        print(f"tracking_number: {CATALOG['tracking.not_found'][0]}", file=stderr)
        return EXIT_NOT_FOUND


def _print_problems(problems: list[Problem], language: str, stderr: TextIO) -> None:
    for problem in problems:
        print(f"{problem.field or 'report'}: {render(problem, language)}", file=stderr)


def _print_report(report: dict[str, Any], out: TextIO) -> None:
    pending = report["status"] == "approved" and not report["official_number"]
    head = [
        ("Tracking number", report["tracking_number"]),
        ("Status", report["status"]),
        ("Official number", "pending (from the department server)" if pending else report["official_number"] or "-"),
        ("Submitted", report["submitted_at"]),
        ("Category", report["category"]),
        ("Language", report["language"]),
    ]
    if report.get("purged_at"):
        # Personal data removed after the department server had the report (kiosk.sync.purge): a stub is left.
        for label, value in [*head, ("Purged", f"{report['purged_at']} (the full report is on the server)")]:
            print(f"{label:<16} {value}", file=out)
        _print_history(report, out)
        return
    reporter, incident = report["reporter"], report["incident"]
    location = incident["location"]
    lines = [
        *head,
        ("Reporter", f"{reporter['first_name']} {reporter['last_name']} (born {reporter['date_of_birth']})"),
        ("Phone", reporter["phone"] or "-"),
        ("Email", reporter["email"] or "-"),
        ("Contact by", reporter["contact_preference"]),
        ("From", incident["occurred_from"]),
        ("To", incident["occurred_to"]),
        ("Location", ", ".join(p for p in (location["line1"], location["line2"], location["city"],
                                          location["state"], location["zip"]) if p)),
        ("Place type", location["place_type"]),
    ]
    for label, value in lines:
        print(f"{label:<16} {value}", file=out)
    print("Items:", file=out)
    for item in report["items"]:
        value = f"${item['value']}" if item.get("value") else "value not given"
        print(f"  - {item['disposition']}: {item['description']} (x{item['quantity']}, {value})", file=out)
    print("Narrative:", file=out)
    print(f"  {incident['narrative']}", file=out)
    _print_history(report, out)


def _print_history(report: dict[str, Any], out: TextIO) -> None:
    print("History:", file=out)
    for event in report["history"]:
        print(f"  {event['at']}  {event['action']} by {event['actor']} -> {event['status']}", file=out)
