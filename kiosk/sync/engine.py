"""The sync engine (docs/sync.md): one run pushes every pending report, then every pending history event, pulls the
decisions made elsewhere, and purges the personal data that is due. It works from the database only (what the
server has not acknowledged is the outbox), so a kiosk that was switched off resumes where it stopped.

While the server fails, runs are spaced by exponential back-off with jitter, kept in ``sync_state`` so that it also
survives a restart. ``run_once`` never raises for network or server trouble; the error is in the result and in the
state, for ``p2c-kiosk sync status`` and the officers' sync page.

Runs are serialised by a lock, so the engine may be shared by the kiosk window's timer (on a worker thread) and the
"Sync now" button; each thread uses the store's connection for that thread.
"""

from __future__ import annotations

import logging
import random as _random
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, overload

from kiosk.clock import Clock
from kiosk.config import Config
from kiosk.storage.database import Store
from kiosk.storage.timestamps import utc_from_text, utc_text
from kiosk.sync import state
from kiosk.tracking import TrackingNumber
from kiosk.vocabulary import EventAction

if TYPE_CHECKING:
    import httpx

    from kiosk.audit import AuditLog
    from kiosk.notices.outbox import NoticeOutbox
    from kiosk.sync.client import Answer, ItemsRefused, RefusedItem, SyncClient
    from kiosk.sync.heartbeat import PrinterHealth
    from kiosk.sync.protocol import HeartbeatItem

log = logging.getLogger(__name__)

_P = TypeVar("_P", state.PendingReport, state.PendingEvent, state.PendingVerifier)  # what a run pushes
TokenSource = Callable[[], str | None]


@dataclass(frozen=True)
class SyncConflict:
    """A report or event the server refused, shown to officers. ``at``: when the refused report was submitted or the
    refused event happened (kiosk time zone)."""

    tracking_number: TrackingNumber
    kind: str  # "report" or "event"
    action: str | None  # the event's action; None for a report
    message: str  # the server's words
    at: datetime


@dataclass(frozen=True)
class SyncRun:
    """What one run did. ``error`` is None when the run succeeded (conflicts are not errors)."""

    skipped: bool = False
    reports_pushed: int = 0
    events_pushed: int = 0
    decisions_pulled: int = 0
    conflicts: int = 0
    purged: int = 0
    error: str | None = None
    # Access-code verifiers the server took (the status page's; 0 from a server that predates it).
    verifiers_pushed: int = 0
    next_attempt_at: datetime | None = None
    # The department server's words when it found this kiosk's audit log no longer matches the chain it holds.
    audit_mismatch: str | None = None

    @property
    def ok(self) -> bool:
        return not self.skipped and self.error is None


@dataclass(frozen=True)
class SyncStatus:
    configured: bool
    server_url: str
    pending_reports: int
    pending_events: int
    conflicts: list[SyncConflict] = field(default_factory=list)
    # Access-code verifiers of reports the server has, not yet pushed (POST /access-codes): new, reissued or backfilled.
    pending_verifiers: int = 0
    last_success_at: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    next_attempt_at: datetime | None = None
    failures: int = 0
    audit_mismatch: str | None = None  # see SyncRun


class _RunFailed(Exception):
    """A run stopped for a reason that is not the client's (e.g. no token); the message says why, ``code`` says it
    for the heartbeat (kiosk.sync.heartbeat)."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class _Tally:
    reports: int = 0
    events: int = 0
    decisions: int = 0
    conflicts: int = 0
    verifiers: int = 0
    audit_mismatch: str | None = None


class SyncEngine:
    """``SyncEngine(store, config, clock, token=token_from_keyring(config), outbox=outbox, audit=audit)``.

    ``token``: a function giving the current token (read at each run) or the token itself. ``random``: a function
    giving a number in [0, 1) for the back-off's jitter (tests pass a fixed one). ``transport``: an httpx transport
    for the client (None: real sockets).

    For the heartbeat sent at the end of each run (kiosk.sync.heartbeat): ``printer``, the port giving the receipt
    printer's state (None: "unknown"); ``started``, the ``time.monotonic()`` the program started at (default: when
    the engine was built); ``home``, the data folder whose free space is sent (default: the database's folder)."""

    def __init__(self, store: Store, config: Config, clock: Clock, *, token: TokenSource | str | None = None,
                 outbox: NoticeOutbox | None = None, audit: AuditLog | None = None,
                 random: Callable[[], float] | None = None, transport: httpx.BaseTransport | None = None,
                 printer: PrinterHealth | None = None, started: float | None = None,
                 home: Path | None = None) -> None:
        from kiosk.sync.heartbeat import Heartbeats

        self._store = store
        self._config = config
        self._clock = clock
        self._token: TokenSource = token if callable(token) else (lambda: token)
        self._outbox = outbox
        self._audit = audit
        self._random = random or _random.random
        self._transport = transport
        self._lock = threading.Lock()
        self._printer = printer
        self._started = time.monotonic() if started is None else started
        self._home = home or (store.path.parent if store.path is not None else Path.cwd())
        self._heartbeats = Heartbeats()
        self._told_no_access_codes = False  # the INFO line for a server without POST /access-codes, once

    @property
    def configured(self) -> bool:
        return self._config.sync.configured

    # -- one run -----------------------------------------------------------------------------------------------------

    def run_once(self, force: bool = False) -> SyncRun:
        """One run (see the module's docstring). Skipped when sync is not configured or, unless ``force``, while the
        back-off's next attempt is in the future. A run waits for one already under way on another thread."""
        if not self.configured:
            return SyncRun(skipped=True)
        with self._lock:
            saved = state.read_state(self._store)
            next_attempt = _parse(saved.get(state.NEXT_ATTEMPT_AT))
            if not force and next_attempt is not None and next_attempt > self._clock.now():
                return SyncRun(skipped=True, next_attempt_at=self._local(next_attempt))
            tally = _Tally()
            try:
                self._run(tally, saved)
            except Exception as exc:
                from kiosk.sync.client import SyncError

                if not isinstance(exc, SyncError | _RunFailed):
                    raise
                from kiosk.sync.heartbeat import error_code

                code = exc.code if isinstance(exc, _RunFailed) and exc.code else error_code(exc)
                return self._failed(tally, saved, str(exc), code)
            purged = self._purge()
            now = self._clock.now()
            state.write_state(self._store, {state.LAST_SUCCESS_AT: utc_text(now), state.FAILURES: 0,
                                            state.NEXT_ATTEMPT_AT: None})
            log.info("sync: run done: %d report(s), %d event(s), %d access-code verifier(s) pushed, %d decision(s) "
                     "pulled, %d conflict(s), %d purged", tally.reports, tally.events, tally.verifiers,
                     tally.decisions, tally.conflicts, purged)
            return SyncRun(reports_pushed=tally.reports, events_pushed=tally.events,
                           decisions_pulled=tally.decisions, conflicts=tally.conflicts, purged=purged,
                           audit_mismatch=tally.audit_mismatch, verifiers_pushed=tally.verifiers)

    def _run(self, tally: _Tally, saved: dict[str, str]) -> None:
        token = self._token()
        if not token:
            from kiosk.sync.heartbeat import SYNC_NO_TOKEN

            raise _RunFailed("no sync token in the system keyring: store it with "
                             "`p2c-kiosk configure --server URL --token-stdin`", SYNC_NO_TOKEN)
        from kiosk.sync.client import client_for

        with client_for(self._config, token, transport=self._transport) as client:
            self._push_reports(client, tally)
            self._push_events(client, tally)
            self._push_verifiers(client, tally)
            self._pull_decisions(client, tally, int(saved.get(state.DECISIONS_CURSOR, "0") or 0))
            self._anchor_audit(client, tally)
            self._heartbeats.send(client, self.heartbeat)

    def heartbeat(self) -> HeartbeatItem:
        """The heartbeat the engine sends at the end of a run (docs/sync-api.md), as it would be now: the backlog,
        the last error the engine recorded (its code and time, never its words), the printer's state from the
        container's port, and the free space."""
        import kiosk
        from kiosk.sync.heartbeat import printer_state
        from kiosk.sync.protocol import HeartbeatItem

        saved = state.read_state(self._store)
        code, at = saved.get(state.LAST_ERROR_CODE), _parse(saved.get(state.LAST_ERROR_AT))
        if code is None and saved.get(state.LAST_ERROR):
            code = "sync_failed"  # recorded by a version that kept no code
        return HeartbeatItem(
            sent_at=utc_text(self._clock.now()),
            version=kiosk.__version__,
            uptime_seconds=max(0, int(time.monotonic() - self._started)),
            backlog={"reports": state.count_pending_reports(self._store),
                     "events": state.count_pending_events(self._store)},
            printer=printer_state(self._printer),
            disk_free_bytes=shutil.disk_usage(self._home).free,
            last_error=None if code is None or at is None else {"code": code, "at": utc_text(at)},
        )

    def _failed(self, tally: _Tally, saved: dict[str, str], error: str, code: str) -> SyncRun:
        failures = int(saved.get(state.FAILURES, "0") or 0) + 1
        sync = self._config.sync
        delay = min(sync.interval_seconds * 2 ** min(failures - 1, 30), sync.max_backoff_seconds)
        delay *= 0.5 + 0.5 * self._random()
        now = self._clock.now()
        next_attempt = now + timedelta(seconds=delay)
        state.write_state(self._store, {state.LAST_ERROR: error, state.LAST_ERROR_CODE: code,
                                        state.LAST_ERROR_AT: utc_text(now),
                                        state.FAILURES: failures, state.NEXT_ATTEMPT_AT: utc_text(next_attempt)})
        log.warning("sync: run failed (%d in a row; next attempt in %d s): %s", failures, round(delay), error)
        return SyncRun(reports_pushed=tally.reports, events_pushed=tally.events, decisions_pulled=tally.decisions,
                       conflicts=tally.conflicts, error=error, next_attempt_at=self._local(next_attempt),
                       audit_mismatch=tally.audit_mismatch, verifiers_pushed=tally.verifiers)

    # -- the three steps ---------------------------------------------------------------------------------------------

    def _push_reports(self, client: SyncClient, tally: _Tally) -> None:
        def synced(batch: list[state.PendingReport], _results: list[Answer]) -> None:
            with self._store.db.atomic("IMMEDIATE"):
                state.mark_reports_synced(self._store, [item.id for item in batch], self._clock.now())
            tally.reports += len(batch)

        def send(batch: list[state.PendingReport]) -> list[Answer]:
            return client.push_reports([item.wire for item in batch])

        self._push("report", state.pending_reports, send, synced, tally,
                   key=lambda item: item.tracking_number, refused_key=lambda item: item.tracking_number,
                   set_aside=self._set_aside_report)

    def _push_events(self, client: SyncClient, tally: _Tally) -> None:
        def acknowledged(batch: list[state.PendingEvent], results: list[Answer]) -> None:
            self._ack_events(batch, results)
            tally.events += len(batch)

        def send(batch: list[state.PendingEvent]) -> list[Answer]:
            return client.push_events([item.wire for item in batch])

        self._push("event", state.pending_events, send, acknowledged, tally,
                   key=lambda item: item.wire["event_id"], refused_key=lambda item: item.event_id,
                   set_aside=self._set_aside_event)

    def _push_verifiers(self, client: SyncClient, tally: _Tally) -> None:
        """Send the access-code verifier of every report the server has and does not hold it of (new reports, codes
        an officer reissued, and every report from before the status page: the backfill), in batches of at most
        MAX_ACCESS_CODE_BATCH. A server that predates ``POST /access-codes`` (404) does not fail the run: the
        verifiers stay pending and the next run tries again."""
        from kiosk.sync.client import NotOffered
        from kiosk.sync.protocol import MAX_ACCESS_CODE_BATCH

        def pushed(batch: list[state.PendingVerifier], _results: list[Answer]) -> None:
            with self._store.db.atomic("IMMEDIATE"):
                state.mark_verifiers_pushed(self._store, [(item.id, item.verifier) for item in batch])
            tally.verifiers += len(batch)

        def send(batch: list[state.PendingVerifier]) -> list[Answer]:
            return client.push_access_codes([item.wire for item in batch])

        try:
            self._push("access-code verifier", state.pending_verifiers, send, pushed, tally,
                       key=lambda item: item.tracking_number, refused_key=lambda item: item.tracking_number,
                       set_aside=self._set_aside_verifier, most=MAX_ACCESS_CODE_BATCH)
        except NotOffered:
            if not self._told_no_access_codes:
                self._told_no_access_codes = True
                log.info("sync: the server does not take access-code verifiers (an older server); the status page "
                         "cannot check this kiosk's receipts yet, trying again on later runs")

    def _push(self, what: str, pending: Callable[[Store, int, int], list[_P]],
              send: Callable[[list[_P]], list[Answer]], done: Callable[[list[_P], list[Answer]], None],
              tally: _Tally, *,
              key: Callable[[_P], str], refused_key: Callable[[RefusedItem], str | None],
              set_aside: Callable[[_P, str, str | None], None], most: int | None = None) -> None:
        """Send everything ``pending`` gives (``what``: "report" or "event") in batches of ``[sync] batch_size``
        (``send`` puts a batch on the wire),
        oldest first, and hand each batch the server took to ``done`` with the server's results. A batch the server
        finds too large is sent again in halves, down to one item, which is then set aside; items the server refuses
        are set aside (``set_aside(item, the server's words)``, found in the batch by ``key``/``refused_key``) and
        the rest of their batch is sent again at once."""
        from kiosk.sync.client import BatchTooLarge, ItemsRefused

        size, after = self._config.sync.batch_size, 0
        if most is not None:
            size = min(size, most)
        while batch := pending(self._store, size, after):
            try:
                results = send(batch)
            except BatchTooLarge as exc:
                if size > 1:
                    size = max(1, size // 2)
                    log.info("sync: the server found the batch too large; sending %d %s(s) at a time", size, what)
                    continue
                set_aside(batch[0], f"too large for the server: {exc}", None)
                tally.conflicts += 1
                continue
            except ItemsRefused as refused:
                found = _refused_in_batch([key(item) for item in batch], refused, refused_key)
                if not found:
                    raise _RunFailed(f"{refused} (no {what} of the batch was named, so none could be set "
                                     "aside)", "sync_items_refused") from refused
                with self._store.db.atomic("IMMEDIATE"):
                    for index, item in found.items():
                        set_aside(batch[index], _words(item, refused.status), item.code)
                tally.conflicts += len(found)
                continue  # the rest is sent again at once
            done(batch, results)
            after = batch[-1].id

    def _ack_events(self, batch: list[state.PendingEvent], results: list[Answer]) -> None:
        """Mark the batch acknowledged, in one transaction with what follows from it: each decision is now final in
        the server's order, so an approval takes the number the server gave and the citizen's e-mail of each
        decision is queued (kiosk.sync.order.on_acknowledged)."""
        from kiosk.sync.order import on_acknowledged
        from kiosk.sync.protocol import DECISION_ACTIONS

        store = self._store
        with store.db.atomic("IMMEDIATE"):
            state.ack_events(store, [(item.id, item.wire["event_id"]) for item in batch], self._clock.now())
            for item, result in zip(batch, results, strict=True):
                if item.action not in DECISION_ACTIONS:
                    continue
                number = result.get("official_number")
                outbox, audit = self._appliers()
                on_acknowledged(store, self._config, outbox, audit, item.id,
                                number if isinstance(number, str) and item.action == EventAction.APPROVED else None)

    def _pull_decisions(self, client: SyncClient, tally: _Tally, cursor: int) -> None:
        from kiosk.sync.apply import apply_decision

        limit = max(self._config.sync.batch_size, 100)
        while True:
            page = client.pull_decisions(cursor, limit)
            for decision in page.decisions:
                outbox, audit = self._appliers()
                if apply_decision(self._store, self._config, self._clock, outbox, audit, decision):
                    tally.decisions += 1
            moved = page.next_cursor != cursor
            if moved:
                state.write_state(self._store, {state.DECISIONS_CURSOR: page.next_cursor})
                cursor = page.next_cursor
            if not page.more or not page.decisions or not moved:
                return

    def _anchor_audit(self, client: SyncClient, tally: _Tally) -> None:
        from kiosk.sync.audit_anchor import anchor

        _outbox, audit = self._appliers()
        tally.audit_mismatch = anchor(self._store, audit, client)

    def _appliers(self) -> tuple[NoticeOutbox, AuditLog]:
        """The outbox and the audit log what the server decided is stored with (kiosk.sync.apply)."""
        if self._outbox is None or self._audit is None:
            raise RuntimeError("this SyncEngine was built without an outbox and an audit log, so it cannot store "
                               "what the server decided: give both")
        return self._outbox, self._audit

    def _purge(self) -> int:
        from kiosk.sync.purge import purge_due

        return purge_due(self._store, self._config, self._clock)

    # -- refusals ----------------------------------------------------------------------------------------------------

    def _set_aside_report(self, item: state.PendingReport, message: str, code: str | None) -> None:
        state.mark_report_conflict(self._store, item.id, message)
        log.warning("sync: the server refused report %s; set aside for an officer", item.tracking_number)

    def _set_aside_event(self, item: state.PendingEvent, message: str, code: str | None) -> None:
        """Set a refused event aside (inside the engine's transaction). A refused status change takes every later
        local status change of its report with it (each was made on top of it); when the server's order holds
        another change in its place (kiosk.sync.order.OVERRULED_CODES), the report's status is replayed from the
        changes that stand, and each overruled change is audited."""
        from kiosk.sync import order

        state.mark_event_conflict(self._store, item.id, item.wire["event_id"], message)
        log.warning("sync: the server refused the %s event of report %s (%s); set aside", item.action,
                    item.tracking_number, code or "no code")
        if not order.is_transition(item.action):
            return
        followers = order.refuse_followers(self._store, item.report_id, item.id,
                                           f"made on top of the {item.action} the server refused: {message}")
        if code in order.OVERRULED_CODES:
            order.replay(self._store, item.report_id)
            _outbox, audit = self._appliers()
            for local_id in (item.id, *followers):
                audit.record(order.SYNC_ACTOR, order.OVERRULED_AUDIT, item.tracking_number, event=local_id,
                             refusal=code)

    def _set_aside_verifier(self, item: state.PendingVerifier, message: str, code: str | None) -> None:
        """A verifier the server refused (its report is not one it holds of this kiosk, or the stored verifier is
        malformed): sending it again cannot help, so it is not sent again until the code is reissued."""
        state.mark_verifiers_pushed(self._store, [(item.id, item.verifier)])
        log.warning("sync: the server refused the access-code verifier of report %s (%s); the status page will not "
                    "know its code until an officer reissues it", item.tracking_number, code or "no code")

    # -- status ------------------------------------------------------------------------------------------------------

    def status(self) -> SyncStatus:
        """The engine's state as officers see it (times in the kiosk's zone)."""
        saved = state.read_state(self._store)
        conflicts = [SyncConflict(c.tracking_number, c.kind, c.action, c.message, self._local(c.at))
                     for c in state.conflicts(self._store)]
        return SyncStatus(
            configured=self.configured,
            server_url=self._config.sync.server_url,
            pending_reports=state.count_pending_reports(self._store),
            pending_events=state.count_pending_events(self._store),
            conflicts=conflicts,
            pending_verifiers=state.count_pending_verifiers(self._store),
            last_success_at=self._local(_parse(saved.get(state.LAST_SUCCESS_AT))),
            last_error=saved.get(state.LAST_ERROR),
            last_error_at=self._local(_parse(saved.get(state.LAST_ERROR_AT))),
            next_attempt_at=self._local(_parse(saved.get(state.NEXT_ATTEMPT_AT))),
            failures=int(saved.get(state.FAILURES, "0") or 0),
            audit_mismatch=saved.get(state.AUDIT_MISMATCH),
        )

    @overload
    def _local(self, moment: datetime) -> datetime: ...

    @overload
    def _local(self, moment: datetime | None) -> datetime | None: ...

    def _local(self, moment: datetime | None) -> datetime | None:
        return moment.astimezone(self._config.kiosk.zone) if moment is not None else None


def _refused_in_batch(keys: list[str], refused: ItemsRefused,
                      key_of: Callable[[RefusedItem], str | None]) -> dict[int, RefusedItem]:
    """The batch positions the server's refusal names (``keys``: each position's tracking number or event id), each
    with the first refused item naming it. An item's index is trusted when its key (if given) agrees; otherwise
    the key alone finds the position."""
    found: dict[int, RefusedItem] = {}
    position = {key: index for index, key in enumerate(keys)}
    for item in refused.items:
        index = _batch_index(item.index, len(keys))
        key = key_of(item)
        if index is None or (key and keys[index] != key):
            index = position.get(key or "")
        if index is not None:
            found.setdefault(index, item)
    return found


def _batch_index(index: int | None, size: int) -> int | None:
    return index if index is not None and 0 <= index < size else None


def _words(item: RefusedItem, status: int) -> str:
    """The server's words for one refused item, with the field it names (without the batch position, which means
    nothing later)."""
    import re

    message = item.message.strip() or "refused"
    where = re.sub(r"^(reports|events)\[\d+\]\.?", "", item.field or "")
    code = f" ({status} {item.code})" if item.code else f" ({status})"
    text = f"{where}: {message}" if where and where not in message else message
    return (text + code)[:1000]


def _parse(text: str | None) -> datetime | None:
    """A time the engine stored as text (``sync_state``, the wire times); None when missing or unreadable."""
    if not text:
        return None
    try:
        return utc_from_text(text)
    except ValueError:
        return None
