"""The kiosk's heartbeat (``POST /api/v1/heartbeat``, docs/sync-api.md): what the sync engine sends at the end of
every run that reached the server, and how it stays out of the run's way.

- :func:`error_code` turns what stopped a run into the code the heartbeat carries (never the error's words).
- :class:`Heartbeats` sends one heartbeat on a run's client and swallows every error (a SyncError at INFO, anything
  else at WARNING with its trace): a heartbeat never fails a run, never writes the run's error and never touches the
  back-off. A 404 (a server that predates the heartbeat) is logged once at INFO and the heartbeat is not sent again
  by this process; a 422 logs the fields it names once at WARNING.
- The printer's state comes from a port the container hands the engine (kiosk.home: the printing face's entry
  point); the core never imports the printing face. :func:`printer_from_readiness` and :func:`printer_from_finding`
  read what such a port returns, without importing its types.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from kiosk.sync.protocol import HeartbeatItem, HeartbeatPrinter

if TYPE_CHECKING:
    from kiosk.doctor import Finding
    from kiosk.sync.client import SyncClient

log = logging.getLogger(__name__)

PrinterHealth = Callable[[], HeartbeatPrinter]  # the port: the receipt printer's state now; may raise

# The error codes a run's failure is sent as (last_error.code).
SYNC_UNREACHABLE = "sync_unreachable"
SYNC_TOKEN_REFUSED = "sync_token_refused"
SYNC_BATCH_TOO_LARGE = "sync_batch_too_large"
SYNC_NO_TOKEN = "sync_no_token"
SYNC_ITEMS_REFUSED = "sync_items_refused"
SYNC_FAILED = "sync_failed"  # any other trouble of a run

_CODE = re.compile(r"[a-z][a-z0-9._-]{0,63}")
_MESSAGE_MAX = 200


def error_code(exc: BaseException) -> str:
    """The heartbeat's code for what stopped a run (a SyncError of kiosk.sync.client, or the engine's own)."""
    from kiosk.sync.client import BatchTooLarge, ItemsRefused, ServerUnreachable, TokenRefused

    if isinstance(exc, ServerUnreachable):
        return SYNC_UNREACHABLE
    if isinstance(exc, TokenRefused):
        return SYNC_TOKEN_REFUSED
    if isinstance(exc, BatchTooLarge):
        return SYNC_BATCH_TOO_LARGE
    if isinstance(exc, ItemsRefused) or isinstance(exc.__cause__, ItemsRefused):
        return SYNC_ITEMS_REFUSED
    return SYNC_FAILED


class Heartbeats:
    """Sends heartbeats for one engine (so for one process), remembering what the server said it cannot take."""

    def __init__(self) -> None:
        self._not_offered = False
        self._warned_refused = False
        self._lock = threading.Lock()

    @property
    def offered(self) -> bool:
        """False once the server answered 404: this process asks no more."""
        return not self._not_offered

    def send(self, client: SyncClient, build: Callable[[], HeartbeatItem]) -> bool:
        """Send the heartbeat ``build`` makes on ``client``; True when the server took it. Never raises."""
        from kiosk.sync.client import ItemsRefused, NotOffered, SyncError

        if self._not_offered:
            return False
        try:
            client.heartbeat(build())
        except NotOffered:
            with self._lock:
                self._not_offered = True
            log.info("sync: the server does not take heartbeats (an older server); not sending them again")
            return False
        except ItemsRefused as refused:
            with self._lock:
                warn, self._warned_refused = not self._warned_refused, True
            if warn:
                fields = sorted({item.field or "?" for item in refused.items})
                log.warning("sync: the server refused the heartbeat (%d %s), naming %s", refused.status,
                            refused.code or "no code", ", ".join(fields) or "no field")
            return False
        except SyncError as exc:
            log.info("sync: the heartbeat was not delivered: %s", exc)
            return False
        except Exception:
            # Building or sending it broke in a way no SyncError covers (the disk, a transport's bug): the run's
            # work is done and stored, so the heartbeat is dropped, with the trace for whoever reads the log.
            log.warning("sync: the heartbeat could not be sent", exc_info=True)
            return False
        return True


def printer_state(port: PrinterHealth | None) -> HeartbeatPrinter:
    """What ``port`` says now, checked; ``unknown`` when there is no port, or it fails or says something that is
    not a code."""
    if port is None:
        return {"state": "unknown"}
    try:
        found = port()
    except Exception:
        log.warning("sync: the printer check failed; the heartbeat says unknown", exc_info=True)
        return {"state": "unknown"}
    return _checked(found)


def _checked(found: HeartbeatPrinter) -> HeartbeatPrinter:
    state = found.get("state")
    if not isinstance(state, str) or not _CODE.fullmatch(state):
        return {"state": "unknown"}
    message = found.get("message")
    if isinstance(message, str) and (line := "".join(ch for ch in " ".join(message.split())
                                                     if ch.isprintable())[:_MESSAGE_MAX]):
        return {"state": state, "message": line}
    return {"state": state}


class _Problem(Protocol):
    @property
    def value(self) -> str: ...


class Readiness(Protocol):
    """What printing.readiness.Readiness offers (read without importing the printing face)."""

    @property
    def problem(self) -> _Problem | None: ...

    @property
    def says(self) -> str: ...


def printer_from_readiness(readiness: Readiness) -> HeartbeatPrinter:
    """The heartbeat's printer from the printing face's readiness: ``ok``, ``none`` (no printer configured), or the
    first problem's stable code (``paper_out``, ``paper_jam``, ``cover_open``...) with the face's words."""
    problem = readiness.problem
    if problem is None:
        return {"state": "ok"}
    if problem.value == "no_printer":
        return {"state": "none"}
    return _checked({"state": problem.value, "message": readiness.says})


def printer_from_finding(finding: Finding) -> HeartbeatPrinter:
    """The heartbeat's printer from the doctor's printer line (printing.doctor.check_printer): ``ok``, ``none`` (no
    printer set up), ``printer_warning`` or ``printer_error``, with the line's words."""
    from kiosk.doctor import Level

    if finding.level is Level.OK:
        return {"state": "none"} if finding.says.startswith("none set up") else {"state": "ok"}
    state = "printer_warning" if finding.level is Level.WARNING else "printer_error"
    return _checked({"state": state, "message": finding.says})
