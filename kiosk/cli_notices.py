"""``p2c-kiosk notices ...`` and ``p2c-kiosk configure``: the e-mail outbox and the kiosk's secrets from the command
line (registered by :func:`kiosk.cli.build_parser`).

``configure`` stores secrets in the system keyring (on a deployed kiosk: encrypted systemd credentials, with sudo),
each read as one line of standard input and never printed: ``--smtp-password-stdin``; ``--server URL`` with
``--token-stdin`` for the sync server. When both secrets are read, they come from standard input one line each, SMTP
password first. It runs before the kiosk is opened, as :func:`kiosk.cli_configure.run_configure` says.
"""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from kiosk.cli_common import EXIT_BAD_INPUT, EXIT_OK, PROGRAM, cli_texts
from kiosk.cli_configure import run_configure
from kiosk.home import Kiosk

# kiosk.notices.NOTICE_STATUSES, written out so that building the parser does not import the SMTP modules.
NOTICE_STATUSES = ("pending", "sent", "no_email", "failed")


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this part's subcommands to ``commands``, each with ``set_defaults(handler=...)``."""
    notices = commands.add_parser("notices", help="e-mail notices to citizens: list the outbox, send what is due")
    actions = notices.add_subparsers(dest="notices_command", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="list notices, newest first (recipients shown masked)")
    listing.add_argument("--status", choices=NOTICE_STATUSES)
    listing.add_argument("--limit", type=int, default=100)
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    listing.set_defaults(handler=_list)

    send = actions.add_parser("send", help="send the notices that are due now (one delivery run)")
    send.add_argument("--limit", type=int, default=100, help="at most this many notices in this run")
    send.set_defaults(handler=_send)

    configure = commands.add_parser("configure", help="store the kiosk's secrets in the system keyring (on a deployed "
                                                      "kiosk: encrypted systemd credentials; run it with sudo)")
    configure.add_argument("--smtp-password-stdin", action="store_true",
                           help="read the SMTP password (for notices.smtp_username at notices.smtp_host) from the "
                                "first line of standard input")
    configure.add_argument("--server", metavar="URL",
                           help="the department's sync server, e.g. https://records.example.gov/p2c: written to "
                                "[sync] server_url in kiosk.toml (its comments kept)")
    configure.add_argument("--token-stdin", action="store_true",
                           help="read the kiosk's sync token (printed by `p2c-server kiosk add`) from the next line "
                                "of standard input, check it with the server, and store it in the system keyring")
    configure.set_defaults(runs_alone=run_configure)


def _list(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    if args.limit < 1:
        print(cli_texts().gettext("{program}: --limit must be 1 or more").format(program=f"{PROGRAM} notices list"),
              file=stderr)
        return EXIT_BAD_INPUT
    for notice in kiosk.outbox.list_notices(status=args.status, limit=args.limit):
        recipient = mask_address(notice.recipient)
        if args.json:
            print(json.dumps({
                "tracking_number": notice.tracking_number, "kind": notice.kind, "status": notice.status,
                "recipient": recipient, "attempts": notice.attempts, "last_error": notice.last_error,
                "created_at": notice.created_at.isoformat(),
                "sent_at": notice.sent_at.isoformat() if notice.sent_at else None,
                "next_attempt_at": notice.next_attempt_at.isoformat() if notice.next_attempt_at else None,
            }, ensure_ascii=False), file=stdout)
        else:
            print(f"{notice.tracking_number}  {notice.kind:<10}  {notice.status:<8}  {notice.attempts:>3}  "
                  f"{recipient or '-':<24}  {notice.last_error or ''}".rstrip(), file=stdout)
    return EXIT_OK


def _send(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    from kiosk.notices import NoticeSender, smtp_password_from_keyring

    texts = cli_texts()
    if args.limit < 1:
        print(texts.gettext("{program}: --limit must be 1 or more").format(program=f"{PROGRAM} notices send"),
              file=stderr)
        return EXIT_BAD_INPUT
    sender = NoticeSender(kiosk.outbox, kiosk.config, kiosk.clock, smtp_password_from_keyring(kiosk.config),
                          audit=kiosk.audit)
    run = sender.deliver_due(limit=args.limit)
    if not run.configured:
        print(texts.gettext("No mail server is configured (notices.smtp_host in {path}): {count} notice(s) wait in "
                            "the outbox.").format(path=kiosk.home / "kiosk.toml", count=run.waiting), file=stdout)
        return EXIT_OK
    print(texts.gettext("sent {sent}, failed {failed}, to retry {retried}, waiting {waiting}").format(
        sent=run.sent, failed=run.failed, retried=run.retried, waiting=run.waiting), file=stdout)
    if run.problem:
        print(texts.gettext("mail server: {problem}").format(problem=run.problem), file=stdout)
    return EXIT_OK


def mask_address(address: str | None) -> str | None:
    """An e-mail address shown without giving it away: ``j***@example.net``."""
    if not address:
        return None
    local, at, domain = address.partition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"
