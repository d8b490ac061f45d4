"""``p2c-kiosk sync --once`` and ``p2c-kiosk sync status [--json]``: the sync to the department server from the command
line (docs/sync.md; registered by :func:`kiosk.cli.build_parser`).

- ``sync --once``: one forced run (push reports, push events, pull decisions, purge), then one delivery run of the
  e-mail notices when a mail server is configured (so an official number that arrived is e-mailed now).
- ``sync status``: pending reports, events and access-code verifiers, the last success, the last error, the next
  attempt, the reports or events the server refused and whether the server holds the kiosk's audit log as it is;
  ``--json`` as one JSON object.
- ``sync export-numbers``: the official numbers the kiosk gave its approvals while standalone, as JSON on stdout,
  for ``p2c-server import-numbers`` (docs/sync-api.md).

Exit codes: 0 done (the run succeeded); 2 sync is not configured (no ``[sync] server_url``, or no token in the
system keyring), or bad usage; 5 the server could not be reached, or refused the token or the run.
"""

from __future__ import annotations

import argparse
import json
import logging
from datetime import datetime
from typing import TYPE_CHECKING, TextIO

from kiosk.cli_common import EXIT_BAD_INPUT, EXIT_OK, EXIT_SYNC_FAILED, PROGRAM, cli_texts
from kiosk.translation import N_

if TYPE_CHECKING:
    from kiosk.home import Kiosk
    from kiosk.sync.engine import SyncStatus
    from kiosk.translation import Translation

log = logging.getLogger(__name__)

NOT_CONFIGURED = N_("sync is not configured: no department server in {path} ([sync] server_url). Set it and store "
                    "the kiosk's token with `p2c-kiosk configure --server URL --token-stdin`.")
NO_TOKEN = N_("sync: no token for {url} in the system keyring. Store the token `{add_command}` printed with "
              "`{command}`.")


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this part's subcommands to ``commands``, each with ``set_defaults(handler=...)``."""
    sync = commands.add_parser("sync", help="sync with the department server: one run now, or its status")
    sync.add_argument("--once", action="store_true", help="one run now (push reports and events, pull decisions, "
                                                          "purge what is due), whatever the back-off says")
    sync.set_defaults(handler=_sync)
    actions = sync.add_subparsers(dest="sync_command", metavar="ACTION")
    status = actions.add_parser("status", help="pending reports and events, last success, last error, refusals")
    status.add_argument("--json", action="store_true", help="one JSON object")
    status.set_defaults(handler=_status)
    export = actions.add_parser("export-numbers", help="the official numbers this kiosk gave its approvals while it "
                                                       "was standalone, as JSON for `p2c-server import-numbers`")
    export.set_defaults(handler=_export_numbers)


def _sync(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    texts = cli_texts()
    if not args.once:
        print(texts.gettext("{program}: say what to do: `{once}` (one run now) or `{status}`").format(
            program=f"{PROGRAM} sync", once=f"{PROGRAM} sync --once", status=f"{PROGRAM} sync status"), file=stderr)
        return EXIT_BAD_INPUT
    if not kiosk.config.sync.configured:
        print(texts.gettext(NOT_CONFIGURED).format(path=kiosk.home / "kiosk.toml"), file=stderr)
        return EXIT_BAD_INPUT
    from kiosk.sync import token_from_keyring

    if not token_from_keyring(kiosk.config)():
        url = kiosk.config.sync.server_url
        print(texts.gettext(NO_TOKEN).format(url=url, add_command="p2c-server kiosk add",
                                             command=f"{PROGRAM} configure --server {url} --token-stdin"), file=stderr)
        return EXIT_BAD_INPUT
    run = kiosk.sync.run_once(force=True)
    print(texts.gettext("pushed {reports} report(s) and {events} event(s), pulled {decisions} decision(s), "
                        "{refusals} new refusal(s), {purged} report(s) purged").format(
        reports=run.reports_pushed, events=run.events_pushed, decisions=run.decisions_pulled,
        refusals=run.conflicts, purged=run.purged), file=stdout)
    if run.error:
        print(f"p2c-kiosk sync: {run.error}", file=stderr)
        if run.next_attempt_at is not None:
            print(texts.gettext("the kiosk tries again by itself at {when}").format(when=_when(run.next_attempt_at)),
                  file=stderr)
        return EXIT_SYNC_FAILED
    if run.audit_mismatch:
        print(texts.gettext("p2c-kiosk sync: the department's server says this kiosk's audit log no longer matches "
                            "the chain it holds: {problem}").format(problem=run.audit_mismatch), file=stderr)
    _deliver(kiosk, stdout, texts)
    return EXIT_OK


def _deliver(kiosk: Kiosk, stdout: TextIO, texts: Translation) -> None:
    """One delivery run of the notices that are due (an official number that arrived, a decision pulled), when a
    mail server is configured; a failure leaves them waiting in the outbox and does not change the exit code."""
    if not kiosk.config.notices.smtp_host:
        return
    try:
        from kiosk.notices import NoticeSender, smtp_password_from_keyring

        sender = NoticeSender(kiosk.outbox, kiosk.config, kiosk.clock, smtp_password_from_keyring(kiosk.config),
                              audit=kiosk.audit)
        delivery = sender.deliver_due()
    except Exception as exc:
        log.warning("notice delivery after a sync run failed: %s", exc.__class__.__name__)
        return
    if delivery.sent or delivery.failed or delivery.retried:
        print(texts.gettext("notices: sent {sent}, failed {failed}, to retry {retried}").format(
            sent=delivery.sent, failed=delivery.failed, retried=delivery.retried), file=stdout)


def _status(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    status = kiosk.sync.status()
    if args.json:
        print(json.dumps(status_document(status), ensure_ascii=False), file=stdout)
        return EXIT_OK
    texts = cli_texts()
    if not status.configured:
        print(texts.gettext("Sync: not configured (standalone kiosk; [sync] server_url in {path})").format(
            path=kiosk.home / "kiosk.toml"), file=stdout)
    lines = [
        *([(texts.gettext("Server:"), status.server_url)] if status.configured else []),
        (texts.gettext("Pending reports:"), str(status.pending_reports)),
        (texts.gettext("Pending events:"), str(status.pending_events)),
        # Translators: access-code verifiers (the salted hash of each receipt's code) the server does not have yet.
        (texts.gettext("Pending verifiers:"), str(status.pending_verifiers)),
        (texts.gettext("Last success:"), _when(status.last_success_at)),
        (texts.gettext("Last error:"), f"{_when(status.last_error_at)}: {status.last_error}" if status.last_error
         else "-"),
        (texts.gettext("Failures in a row:"), str(status.failures)),
        (texts.gettext("Next attempt:"), _when(status.next_attempt_at)),
        (texts.gettext("Refused:"), str(len(status.conflicts))),
        (texts.gettext("Audit log:"), texts.gettext("DOES NOT MATCH the server's: {problem}").format(
            problem=status.audit_mismatch) if status.audit_mismatch
         else texts.gettext("anchored at the server") if status.configured else "-"),
    ]
    width = max([19, *(len(label) + 1 for label, _ in lines)])  # the values in one column
    for label, value in lines:
        print(f"{label:<{width}}{value}", file=stdout)
    for conflict in status.conflicts:
        what = conflict.kind if conflict.action is None else f"{conflict.kind} {conflict.action}"
        print(f"  {conflict.tracking_number}  {what}: {conflict.message}", file=stdout)
    return EXIT_OK


def status_document(status: SyncStatus) -> dict[str, object]:
    """``SyncStatus`` as plain JSON (times ISO 8601 in the kiosk's zone, or null)."""
    return {
        "configured": status.configured,
        "server_url": status.server_url,
        "pending_reports": status.pending_reports,
        "pending_events": status.pending_events,
        "pending_verifiers": status.pending_verifiers,
        "last_success_at": _iso(status.last_success_at),
        "last_error": status.last_error,
        "last_error_at": _iso(status.last_error_at),
        "next_attempt_at": _iso(status.next_attempt_at),
        "failures": status.failures,
        "audit_mismatch": status.audit_mismatch,
        "conflicts": [{"tracking_number": c.tracking_number, "kind": c.kind, "action": c.action,
                       "message": c.message, "at": _iso(c.at)}
                      for c in status.conflicts],
    }


NUMBERS_FORMAT = "p2c-official-numbers/1"  # read by p2c-server import-numbers (server.official_numbers)


def _export_numbers(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Every approval this kiosk numbered itself (a standalone kiosk's), as the department's server imports them."""
    numbers = [{"tracking_number": tracking, "official_number": number, "approved_at": at}
               for tracking, number, at in kiosk.store.db.execute_sql(
                   "SELECT r.tracking_number, r.official_number, MAX(e.at) FROM report r "
                   "JOIN report_event e ON e.report_id = r.id AND e.action = 'approved' "
                   "WHERE r.official_number IS NOT NULL AND r.status = 'approved' "
                   # not a number the server gave (an approval it acknowledged, or one pulled from it)
                   "AND NOT EXISTS (SELECT 1 FROM report_event a JOIN event_sync s ON s.event_id = a.id "
                   "WHERE a.report_id = r.id AND a.action = 'approved' AND s.acked_at IS NOT NULL) "
                   "GROUP BY r.id ORDER BY r.id").fetchall()]
    print(json.dumps({"format": NUMBERS_FORMAT, "kiosk_number": kiosk.config.kiosk.number, "numbers": numbers},
                     ensure_ascii=False, indent=1), file=stdout)
    print(cli_texts().gettext("{count} official number(s); at the server: {command}").format(
        count=len(numbers), command=f"p2c-server import-numbers FILE --kiosk {kiosk.config.kiosk.number}"),
          file=stderr)
    return EXIT_OK


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S %Z}" if moment is not None else "-"
