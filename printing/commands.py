"""``p2c-kiosk receipt``, ``copy`` and ``print``: receipts and report copies from the command line, handed to the
core's command line by the program's composition root (:mod:`p2c_kiosk`). The core never imports this module; its
command line loads it only when one of these commands is asked for (or the whole help is)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import peewee as pw

from kiosk.cli_common import (
    EXIT_BAD_INPUT,
    EXIT_NOT_PRINTED,
    EXIT_OK,
    PROGRAM,
    cli_texts,
    current_user,
    find_report,
    tracking_argument,
)
from kiosk.home import Kiosk
from kiosk.messages import Problem, render
from kiosk.report_document import StoredReport
from kiosk.report_errors import StoreError
from kiosk.translation import catalogues
from printing.receipt import receipt_content, render_receipt
from printing.report_copy import render_report_copy

Commands = argparse._SubParsersAction  # what the core's command line hands add_commands


def add_commands(commands: Commands[argparse.ArgumentParser]) -> None:
    add_receipt(commands)
    add_copy(commands)
    add_print(commands)


def add_receipt(commands: Commands[argparse.ArgumentParser]) -> None:
    receipt = commands.add_parser("receipt", help="write a report's receipt as PDF, with a new access code")
    receipt.add_argument("tracking_number", type=tracking_argument)
    receipt.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="the PDF file to write")
    receipt.add_argument("--paper", choices=("80mm", "letter"), help="paper size (default: printer.paper)")
    receipt.add_argument("--actor", help="who asked for it, recorded in the history (default: cli:USER)")
    receipt.set_defaults(handler=write_receipt)


def add_copy(commands: Commands[argparse.ArgumentParser]) -> None:
    report_copy = commands.add_parser("copy", help="write the full copy of a report as PDF (Letter)")
    report_copy.add_argument("tracking_number", type=tracking_argument)
    report_copy.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="the PDF file to write")
    report_copy.add_argument("--lang", choices=catalogues().installed(), help="language (default: the report's own)")
    report_copy.set_defaults(handler=write_copy)


def add_print(commands: Commands[argparse.ArgumentParser]) -> None:
    reprint = commands.add_parser("print", help="print a report's receipt again, with a new access code")
    reprint.add_argument("tracking_number", type=tracking_argument)
    reprint.add_argument("--actor", help="who asked for it, recorded in the history (default: cli:USER)")
    reprint.add_argument("--lang", choices=catalogues().installed(),
                         help="language of the messages (default: the command line's: $LANGUAGE, $LC_ALL, "
                              "$LC_MESSAGES, $LANG)")
    reprint.set_defaults(handler=print_receipt)


def write_receipt(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    texts = cli_texts()
    output = Path(args.output)
    # Checked before a new code is issued, so that a bad path leaves the old code working.
    if not _writable(output):
        print(texts.gettext("{program}: cannot write {file}: no such folder, or no permission").format(
            program=PROGRAM, file=output), file=stderr)
        return EXIT_BAD_INPUT

    def write(report: StoredReport, access_code: str) -> int:
        content = receipt_content(report, access_code, kiosk.config.kiosk.zone, kiosk.config.sync.status_page_url)
        pdf = render_receipt(content, kiosk.config.department, args.paper or kiosk.config.printer.paper)
        output.write_bytes(pdf.data)
        print(texts.gettext("Access code: {code}").format(code=access_code), file=stdout)
        print(texts.gettext("{file}: receipt of {tracking_number}, {width} × {height} mm. The access code is new: "
                            "the code on any earlier receipt no longer works.").format(
            file=output, tracking_number=report["tracking_number"], width=f"{pdf.width_mm:.0f}",
            height=f"{pdf.height_mm:.0f}"), file=stdout)
        return EXIT_OK

    return _with_new_code(kiosk, args, stderr, write)


def _writable(path: Path) -> bool:
    folder = path.parent if str(path.parent) else Path(".")
    if path.exists():
        return path.is_file() and os.access(path, os.W_OK)
    return folder.is_dir() and os.access(folder, os.W_OK)


def write_copy(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    report = find_report(kiosk, args.tracking_number, stderr)
    if isinstance(report, int):
        return report
    texts = cli_texts()
    pdf = render_report_copy(report, kiosk.config, args.lang)
    try:
        Path(args.output).write_bytes(pdf.data)
    except OSError as exc:
        print(texts.gettext("{program}: cannot write {file}: {error}").format(program=PROGRAM, file=args.output,
                                                                               error=exc), file=stderr)
        return EXIT_BAD_INPUT
    # Audited as officer mode's prints are: the copy holds every personal field of the report.
    try:
        kiosk.audit.record(f"cli:{current_user()}", "copy_printed", str(report["tracking_number"]), via="cli",
                           file=str(Path(args.output).absolute()))
    except (StoreError, pw.DatabaseError):
        print(f"p2c-kiosk: {render(Problem('', 'store.failed'), texts.language)}", file=stderr)
        Path(args.output).unlink(missing_ok=True)  # no unaudited copy left behind
        return EXIT_BAD_INPUT
    print(texts.ngettext("{file}: full copy of {tracking_number}, {count} page",
                         "{file}: full copy of {tracking_number}, {count} pages", pdf.pages).format(
        file=args.output, tracking_number=report["tracking_number"], count=pdf.pages), file=stdout)
    return EXIT_OK


def print_receipt(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    texts = cli_texts(args.lang)
    printer = kiosk.receipt_printer
    if printer is None:  # no printing face installed: cannot happen when this module's own entry points are found
        print(texts.gettext("{program}: no receipt printer is installed").format(program=PROGRAM), file=stderr)
        return EXIT_BAD_INPUT

    def send(report: StoredReport, access_code: str) -> int:
        outcome = printer.print_receipt(report["tracking_number"], access_code)
        if outcome.printed:
            print(render(Problem("", "print.printed"), texts.language), file=stdout)
            return EXIT_OK
        print(render(Problem("", f"print.{outcome.reason}"), texts.language), file=stderr)
        if outcome.spooled_pdf is not None:
            print(render(Problem("", "print.spooled", {"path": str(outcome.spooled_pdf)}), texts.language),
                  file=stderr)
        print(texts.gettext("Access code: {code}").format(code=access_code), file=stdout)
        return EXIT_NOT_PRINTED

    return _with_new_code(kiosk, args, stderr, send)


def _with_new_code(kiosk: Kiosk, args: argparse.Namespace, stderr: TextIO,
                   then: Callable[[StoredReport, str], int]) -> int:
    """Issue a new access code for the report (the old one stops working; the history records it), then ``then``."""
    texts = cli_texts(getattr(args, "lang", None))  # `print --lang`
    found = find_report(kiosk, args.tracking_number, stderr, texts.language)
    if isinstance(found, int):
        return found
    actor = args.actor or f"cli:{current_user()}"
    output = getattr(args, "output", None)
    where = {"file": str(Path(output).absolute())} if output else {}
    try:
        # The new code and the audit entry commit together, as officer mode's reprint (kiosk.review.service).
        with kiosk.store.db.atomic("IMMEDIATE"):
            access_code = kiosk.reports.reissue_access_code(found["tracking_number"], actor)
            kiosk.audit.record(actor, "receipt_reprinted", str(found["tracking_number"]), via="cli", **where)
    except (StoreError, pw.DatabaseError):
        print(f"p2c-kiosk: {render(Problem('', 'store.failed'), texts.language)}", file=stderr)
        return EXIT_BAD_INPUT
    try:
        return then(kiosk.reports.get(found["tracking_number"]), access_code)
    except OSError as exc:
        print(texts.gettext("{program}: cannot write {file}: {error}").format(
            program=PROGRAM, file=getattr(args, "output", ""), error=exc), file=stderr)
        return EXIT_BAD_INPUT
