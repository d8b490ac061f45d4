"""``p2c-kiosk submit``, ``show``, ``list`` and ``export``: reports without a screen (registered by
:func:`kiosk.cli.build_parser`)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from kiosk import json_input
from kiosk.cli_common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    PROGRAM,
    cli_language,
    cli_texts,
    find_report,
    print_problems,
    tracking_argument,
)
from kiosk.lifecycle import STATUSES
from kiosk.messages import Problem, render
from kiosk.report_errors import ReportRejected, StoreError
from kiosk.storage.errors import disk_full
from kiosk.translation import catalogues
from kiosk.vocabulary import Status

if TYPE_CHECKING:
    from kiosk.home import Kiosk
    from kiosk.report_document import StoredReport
    from kiosk.translation import Translation


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this part's subcommands to ``commands``, each with ``set_defaults(handler=...)``."""
    submit = commands.add_parser("submit", help="submit a report (a p2c-report/1 JSON file, or - for stdin)")
    submit.add_argument("file", help="the report file, or - to read standard input")
    submit.add_argument("--json", action="store_true", help="print {tracking_number, access_code} as JSON")
    submit.add_argument("--lang", choices=catalogues().installed(),
                        help="language of error messages (default: the report's own language, else the command "
                             "line's: $LANGUAGE, $LC_ALL, $LC_MESSAGES, $LANG)")
    submit.set_defaults(handler=_submit)

    show = commands.add_parser("show", help="show one report by tracking number")
    show.add_argument("tracking_number", type=tracking_argument)
    show.add_argument("--json", action="store_true", help="print the stored report in the report format")
    show.set_defaults(handler=_show)

    listing = commands.add_parser("list", help="list reports, newest first")
    listing.add_argument("--status", choices=STATUSES)
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--offset", type=int, default=0)
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    listing.set_defaults(handler=_list)

    export = commands.add_parser("export", help="every report in the report format, one JSON object per line")
    export.set_defaults(handler=_export)


def _submit(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    language = args.lang or cli_language()
    try:
        text = stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(cli_texts(language).gettext("{program}: cannot read {file}: {error}").format(
            program=PROGRAM, file=args.file, error=exc), file=stderr)
        return EXIT_BAD_INPUT
    try:
        data = json_input.load(text)
    except json_input.JsonInputError as exc:
        print_problems([Problem("", "shape.not_json", {"detail": exc.detail})], language, stderr)
        return EXIT_BAD_INPUT
    if args.lang is None and isinstance(data, dict) and data.get("language") in catalogues().installed():
        language = data["language"]
    try:
        receipt = kiosk.reports.submit(data)
    except ReportRejected as exc:
        print_problems(exc.problems, language, stderr)
        return EXIT_BAD_INPUT
    except StoreError as exc:
        full = disk_full(exc, kiosk.home)  # say plainly that the disk is full, and how much is left
        message = str(full) if full is not None else render(Problem("", "store.failed"), language)
        print(f"p2c-kiosk: {message}", file=stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps({"tracking_number": receipt.tracking_number, "access_code": receipt.access_code}),
              file=stdout)
    else:
        # The result is for whoever runs the command: in --lang, else the command line's language.
        print(cli_texts(args.lang).gettext("Access code: {code}").format(code=receipt.access_code), file=stdout)
        print(receipt.tracking_number, file=stdout)
    stdout.flush()
    return EXIT_OK


def _show(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    report = find_report(kiosk, args.tracking_number, stderr)
    if isinstance(report, int):
        return report
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2), file=stdout)
    else:
        print_report(report, stdout, cli_language())
    return EXIT_OK


def _list(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    if args.limit < 1 or args.offset < 0:
        print(cli_texts().gettext("{program}: --limit must be 1 or more and --offset 0 or more").format(
            program=f"{PROGRAM} list"), file=stderr)
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


def print_report(report: StoredReport, out: TextIO, language: str) -> None:
    """A stored report for people to read (``show``; ``review ... show`` adds the officer's view below it), its
    labels in ``language``; the report's own words (codes, names, the narrative) as they are stored."""
    texts = cli_texts(language)
    pending = report["status"] == Status.APPROVED and not report["official_number"]
    head = [
        (texts.gettext("Tracking number"), report["tracking_number"]),
        (texts.gettext("Status"), report["status"]),
        (texts.gettext("Official number"), texts.gettext("pending (from the department server)") if pending
         else report["official_number"] or "-"),
        (texts.gettext("Submitted"), report["submitted_at"]),
        (texts.gettext("Category"), report["category"]),
        (texts.gettext("Language"), report["language"]),
    ]
    if report.get("purged_at"):
        # Personal data removed after the department server had the report (kiosk.sync.purge): a stub is left.
        print_labelled([*head, (texts.gettext("Purged"), texts.gettext("{when} (the full report is on the server)")
                                .format(when=report["purged_at"]))], out)
        _print_history(report, out, texts)
        return
    reporter, incident = report["reporter"], report["incident"]
    location = incident["location"]
    print_labelled([
        *head,
        (texts.gettext("Reporter"), texts.gettext("{first_name} {last_name} (born {date_of_birth})").format(
            first_name=reporter["first_name"], last_name=reporter["last_name"],
            date_of_birth=reporter["date_of_birth"])),
        (texts.gettext("Phone"), reporter["phone"] or "-"),
        (texts.gettext("Email"), reporter["email"] or "-"),
        (texts.gettext("Contact by"), reporter["contact_preference"]),
        (texts.gettext("From"), incident["occurred_from"]),
        (texts.gettext("To"), incident["occurred_to"]),
        (texts.gettext("Location"), ", ".join(p for p in (location["line1"], location["line2"], location["city"],
                                                         location["state"], location["zip"]) if p)),
        (texts.gettext("Place type"), location["place_type"]),
    ], out)
    print(texts.gettext("Items:"), file=out)
    for item in report["items"]:
        value = f"${item['value']}" if item.get("value") else texts.gettext("value not given")
        print(f"  - {item['disposition']}: {item['description']} (x{item['quantity']}, {value})", file=out)
    print(texts.gettext("Narrative:"), file=out)
    print(f"  {incident['narrative']}", file=out)
    _print_history(report, out, texts)


LABEL_WIDTH = 16  # the labels' column, wider when a language's longest label needs it


def print_labelled(lines: list[tuple[str, object]], out: TextIO) -> None:
    """``label  value`` lines, the values in one column."""
    width = max([LABEL_WIDTH, *(len(label) for label, _ in lines)])
    for label, value in lines:
        print(f"{label:<{width}} {value}", file=out)


def _print_history(report: StoredReport, out: TextIO, texts: Translation) -> None:
    print(texts.gettext("History:"), file=out)
    for event in report["history"]:
        print("  " + texts.gettext("{at}  {action} by {actor} -> {status}").format(
            at=event["at"], action=event["action"], actor=event["actor"], status=event["status"]), file=out)
