"""``p2c-kiosk review`` and ``p2c-kiosk queue``: the officer's review without a screen, for scripts and tests.

    p2c-kiosk review TRACKING approve [--nibrs CODE] [--message TEXT]          --officer NAME  (password on stdin)
    p2c-kiosk review TRACKING request-info --message TEXT [--phone-note TEXT]  --officer NAME
    p2c-kiosk review TRACKING reject --reason CODE [--message TEXT] [--next-steps TEXT] [--duplicate-of TRACKING]
    p2c-kiosk review TRACKING show [--json]                                    --officer NAME
    p2c-kiosk queue [--status S]... [--category C] [--search TEXT] [--from DATE] [--to DATE] [--limit N] [--json]

``review`` logs the officer in with the password read as one line of standard input (a failure counts toward the
account's lock-out exactly as at the screen), opens the report (audited; a submitted report moves to in_review),
then acts through the same :class:`kiosk.review.ReviewService` calls as the screens, so the same checks, history
events, audit entries and e-mail notices follow. ``approve`` without ``--nibrs`` confirms the suggested code. After
a decision one delivery run sends the notice at once when a mail server is configured; if it fails, the notice
waits in the outbox and the exit code does not change. The session is logged out at the end.

Exit codes: 0 done; 1 report not found; 2 bad input or usage, or the login was refused (one message for every
cause); 4 conflict: another officer (or the citizen) acted first, or the report's status no longer allows it.
"""

from __future__ import annotations

import argparse
import json
import logging
from datetime import date
from typing import TYPE_CHECKING, TextIO

from kiosk.cli_common import (
    EXIT_BAD_INPUT,
    EXIT_CONFLICT,
    EXIT_NOT_FOUND,
    EXIT_OK,
    PROGRAM,
    cli_texts,
    print_problems,
    tracking_argument,
)
from kiosk.cli_reports import print_labelled, print_report
from kiosk.lifecycle import REJECT_REASONS, STATUSES
from kiosk.messages import Problem, render
from kiosk.vocabulary import Category

if TYPE_CHECKING:
    from kiosk.home import Kiosk
    from kiosk.officers import OfficerSession
    from kiosk.review import ReportDetail
    from kiosk.tracking import TrackingNumber
    from kiosk.translation import Translation

log = logging.getLogger(__name__)

CATEGORIES: tuple[Category, ...] = tuple(Category)


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this part's subcommands to ``commands``, each with ``set_defaults(handler=...)``."""
    review = commands.add_parser("review", help="an officer's review of one report (password on stdin)")
    review.add_argument("tracking_number", type=tracking_argument)
    actions = review.add_subparsers(dest="action", metavar="ACTION", required=True)

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        parser = actions.add_parser(name, help=help_text)
        parser.add_argument("--officer", required=True, metavar="USERNAME",
                            help="the officer acting; the password is read as one line of standard input")
        parser.set_defaults(handler=_review)
        return parser

    approve = action("approve", "approve: assign the official number and the NIBRS code")
    approve.add_argument("--nibrs", metavar="CODE", help="NIBRS offense code (default: the suggested one)")
    approve.add_argument("--message", default="", help="a note for the history")

    info = action("request-info", "ask the citizen for more information (e-mailed)")
    info.add_argument("--message", required=True, help="the question to the citizen")
    info.add_argument("--phone-note", default="", help="a note of a phone call with the citizen (history only)")

    reject = action("reject", "reject the report with a reason")
    reject.add_argument("--reason", required=True, choices=REJECT_REASONS)
    reject.add_argument("--message", default="", help="why (required with --reason other)")
    reject.add_argument("--next-steps", help="what the citizen should do next (default: the reason's text)")
    reject.add_argument("--duplicate-of", metavar="TRACKING", type=tracking_argument,
                        help="the original report (with --reason duplicate)")

    show = action("show", "the report with possible duplicates, the NIBRS suggestion and the notices")
    show.add_argument("--json", action="store_true")

    queue = commands.add_parser("queue", help="the officers' queue, newest first")
    queue.add_argument("--status", action="append", choices=STATUSES, default=[],
                       help="only reports with this status (repeat for several)")
    queue.add_argument("--category", choices=CATEGORIES)
    queue.add_argument("--search", default="", type=_search,
                       help="a tracking number, or words of the reporter's name")
    queue.add_argument("--from", dest="date_from", type=date.fromisoformat, metavar="YYYY-MM-DD",
                       help="submitted on or after this local date")
    queue.add_argument("--to", dest="date_to", type=date.fromisoformat, metavar="YYYY-MM-DD",
                       help="submitted on or before this local date")
    queue.add_argument("--limit", type=int, default=50)
    queue.add_argument("--json", action="store_true", help="one JSON object per line")
    queue.set_defaults(handler=_queue)


def _search(text: str) -> TrackingNumber | str:
    """``--search``: the tracking number it spells, or the name words (kiosk.review.model.read_search)."""
    from kiosk.review.model import read_search

    return read_search(text)


def _review(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    from kiosk.officers import LoginRefused

    texts = cli_texts()
    tracking: TrackingNumber = args.tracking_number  # read by tracking_argument
    password = stdin.readline().rstrip("\r\n")
    if not password:
        print(texts.gettext("password: give the officer's password as one line of standard input."), file=stderr)
        return EXIT_BAD_INPUT
    try:
        session = kiosk.officers.login(args.officer, password)
    except LoginRefused as exc:
        print(f"p2c-kiosk: {render(exc.problem, texts.language)}", file=stderr)
        return EXIT_BAD_INPUT
    try:
        return _act(kiosk, args, tracking, session, stdout, stderr)
    finally:
        kiosk.officers.logout(session)


def _act(kiosk: Kiosk, args: argparse.Namespace, tracking: TrackingNumber, session: OfficerSession, stdout: TextIO,
         stderr: TextIO) -> int:
    from kiosk.review import ReportNotFound, ReviewConflict, ReviewInputError

    texts = cli_texts()
    review = kiosk.review
    try:
        detail = review.open_report(tracking, session)
    except ReportNotFound:
        print(f"tracking_number: {render(Problem('', 'tracking.not_found'), texts.language)}", file=stderr)
        return EXIT_NOT_FOUND
    if args.action == "show":
        _show(detail, args.json, stdout, texts)
        return EXIT_OK
    try:
        if args.action == "approve":
            code = args.nibrs if args.nibrs is not None else detail.nibrs.code
            decision = review.approve(tracking, session, nibrs_code=code, expected_version=detail.version,
                                      message=args.message)
            number = decision.official_number or texts.gettext(
                "pending (it comes from the department server at the next sync)")
            print(texts.gettext("{tracking_number} approved: official number {number}, NIBRS {code}").format(
                tracking_number=tracking, number=number, code=code.strip().upper()), file=stdout)
        elif args.action == "request-info":
            review.request_info(tracking, session, question=args.message, phone_note=args.phone_note,
                                expected_version=detail.version)
            print(texts.gettext("{tracking_number}: more information requested from the citizen").format(
                tracking_number=tracking), file=stdout)
        else:
            review.reject(tracking, session, reason=args.reason, next_steps=args.next_steps,
                          duplicate_of=args.duplicate_of, message=args.message, expected_version=detail.version)
            print(texts.gettext("{tracking_number} rejected ({reason})").format(
                tracking_number=tracking, reason=args.reason), file=stdout)
    except ReviewInputError as exc:
        print_problems(exc.problems, texts.language, stderr, where="")
        return EXIT_BAD_INPUT
    except ReviewConflict as exc:
        print(f"p2c-kiosk: {render(exc.problem, texts.language)}", file=stderr)
        return EXIT_CONFLICT
    _deliver(kiosk, tracking, stdout, texts)
    return EXIT_OK


def _deliver(kiosk: Kiosk, tracking: TrackingNumber, stdout: TextIO, texts: Translation) -> None:
    """One delivery run, so the citizen's e-mail leaves now; any failure leaves the notice waiting in the outbox."""
    try:
        from kiosk.notices import NoticeSender, smtp_password_from_keyring

        sender = NoticeSender(kiosk.outbox, kiosk.config, kiosk.clock, smtp_password_from_keyring(kiosk.config),
                              audit=kiosk.audit)
        sender.deliver_due()
    except Exception as exc:
        log.warning("notice delivery after a review decision failed: %s", exc.__class__.__name__)
    notices = kiosk.outbox.for_report(tracking)
    if notices:
        latest = notices[-1]
        print(texts.gettext("notice {kind}: {status}").format(kind=latest.kind, status=latest.status), file=stdout)


def _show(detail: ReportDetail, as_json: bool, stdout: TextIO, texts: Translation) -> None:
    if as_json:
        print(json.dumps({
            "report": detail.report,
            "version": detail.version,
            "items_total": str(detail.items_total),
            "contact": detail.contact,
            "decisions": list(detail.decisions),
            "nibrs": {"code": detail.nibrs.code, "title": detail.nibrs.title, "why": detail.nibrs.why},
            "duplicates": [{"tracking_number": d.tracking_number, "submitted_at": d.submitted_at.isoformat(),
                            "status": d.status, "category": d.category, "reasons": list(d.reasons)}
                           for d in detail.duplicates],
            "notices": [{"kind": n.kind, "status": n.status, "attempts": n.attempts, "last_error": n.last_error}
                        for n in detail.notices],
        }, ensure_ascii=False, indent=2), file=stdout)
        return
    print_report(detail.report, stdout, texts.language)
    print_labelled([
        (texts.gettext("Items total"), f"${detail.items_total}"),
        (texts.gettext("Contact"), detail.contact),
        (texts.gettext("NIBRS suggested"), f"{detail.nibrs.code} {detail.nibrs.title} ({detail.nibrs.why})"),
        (texts.gettext("Decisions"), ", ".join(detail.decisions) or texts.gettext("none (decided)")),
    ], stdout)
    print(texts.gettext("Possible duplicates:") if detail.duplicates else texts.gettext("Possible duplicates: none"),
          file=stdout)
    for dup in detail.duplicates:
        print(f"  {dup.tracking_number}  {dup.submitted_at:%Y-%m-%d %H:%M}  {dup.status:<10}  {dup.category:<14}  "
              f"{', '.join(dup.reasons)}", file=stdout)
    print(texts.gettext("Notices:") if detail.notices else texts.gettext("Notices: none"), file=stdout)
    for notice in detail.notices:
        print(f"  {notice.kind:<10} {notice.status:<9} attempts {notice.attempts}"
              + (f"  ({notice.last_error})" if notice.last_error else ""), file=stdout)


def _queue(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    from kiosk.review import QueueFilter

    if args.limit < 1:
        print(cli_texts().gettext("{program}: --limit must be 1 or more").format(program=f"{PROGRAM} queue"),
              file=stderr)
        return EXIT_BAD_INPUT
    flt = QueueFilter(statuses=tuple(args.status), category=args.category, submitted_from=args.date_from,
                      submitted_to=args.date_to, search=args.search)
    rows = kiosk.review.queue_page(flt, limit=args.limit)
    for row in rows:
        if args.json:
            print(json.dumps({"tracking_number": row.tracking_number, "submitted_at": row.submitted_at.isoformat(),
                              "category": row.category, "status": row.status, "location": row.location,
                              "reporter_name": row.reporter_name, "age_seconds": int(row.age.total_seconds())},
                             ensure_ascii=False), file=stdout)
        else:
            print(f"{row.tracking_number}  {row.submitted_at:%Y-%m-%d %H:%M}  {row.status:<10}  {row.category:<14}  "
                  f"{_age(row.age.total_seconds()):>5}  {row.reporter_name}  ({row.location})", file=stdout)
    if not args.json:
        counts = kiosk.review.status_counts(flt)
        print("  ".join(f"{status} {counts[status]}" for status in STATUSES), file=stdout)
    return EXIT_OK


def _age(seconds: float) -> str:
    if seconds < 3600:
        return f"{int(seconds // 60)}m"
    if seconds < 86400:
        return f"{int(seconds // 3600)}h"
    return f"{int(seconds // 86400)}d"
