"""Delivering the outbox: pending notices go to the configured SMTP server, each marked sent in its own small
transaction as soon as the server has accepted it.

Exactly once, as far as it can be: a notice is *claimed* before it is sent (its next attempt is moved past the time
one send can take, so a second sender running at the same moment leaves it alone) and marked ``sent`` right after
the server's "250 OK". A crash between the two can send that one notice again, once; it then carries the same
Message-ID, so mail systems can recognise the copy. Failures are retried with exponential back-off; only a
permanent (5xx) refusal of the recipient or of the message ends in ``failed``.
"""

from __future__ import annotations

import logging
import random as _random
import re
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Protocol

from kiosk.clock import Clock
from kiosk.config import Config
from kiosk.notices.outbox import NoticeOutbox
from kiosk.notices.templates import language_tag
from kiosk.storage.models import Notice as NoticeRow

log = logging.getLogger(__name__)

BASE_DELAY_SECONDS = 30
MAX_DELAY_SECONDS = 3600
JITTER = 0.2
ERROR_MAX_CHARS = 200


class Audit(Protocol):
    def record(self, actor: str, action: str, subject: str = "", **details: str | int | None) -> None: ...


@dataclass(frozen=True)
class DeliveryRun:
    """What one :meth:`NoticeSender.deliver_due` did. ``waiting``: notices still pending in the whole outbox
    afterwards; ``retried``: notices tried in this run that will be tried again later."""

    sent: int = 0
    failed: int = 0
    waiting: int = 0
    retried: int = 0
    configured: bool = True
    problem: str = ""


def retry_delay(attempts: int, random: Callable[[], float] = _random.random) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt: 30 s, 1 min, 2 min, ... capped at one hour, each
    moved by up to ±20 % (``random()`` in [0, 1)) so that notices held up together do not retry together."""
    base = min(BASE_DELAY_SECONDS * 2 ** max(attempts - 1, 0), MAX_DELAY_SECONDS)
    return timedelta(seconds=base * (1 + JITTER * (2 * random() - 1)))


def message_id(notice_id: int, tracking_number: str, kind: str, kiosk_number: int, sender: str) -> str:
    """A Message-ID that is the same on every attempt to send one notice, and differs between notices and kiosks."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "p2c-kiosk.invalid"
    return f"<p2c-notice-{notice_id}.{kind.replace('_', '-')}.{tracking_number}.kiosk{kiosk_number:02d}@{domain}>"


class _Retry(Exception):
    """A failure worth trying again later (server down, busy, 4xx, login problem)."""


class _Permanent(Exception):
    """The server refused this notice for good (5xx for the recipient or the message)."""


class _ConnectionLost(_Retry):
    """The connection broke while sending: the rest of the run waits for the next one."""


class NoticeSender:
    def __init__(self, outbox: NoticeOutbox, config: Config, clock: Clock, password: Callable[[], str | None],
                 audit: Audit | None = None, *, random: Callable[[], float] | None = None,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        self._outbox = outbox
        self._config = config
        self._clock = clock
        self._password = password
        self._audit = audit
        self._random = random or _random.random
        self._ssl_context = ssl_context
        self._db = outbox.store.db
        self._Notice = outbox.store.models.Notice

    def deliver_due(self, limit: int = 20) -> DeliveryRun:
        """Send up to ``limit`` notices that are due. Never raises for mail server trouble: failures are recorded
        on the notices (attempts, next attempt, last error) and counted in the result."""
        settings = self._config.notices
        if not settings.smtp_host:
            return DeliveryRun(waiting=self._waiting(), configured=False,
                               problem="no mail server is configured (notices.smtp_host)")
        due = self._outbox.due(self._clock.now(), limit)
        if not due:
            return DeliveryRun(waiting=self._waiting())
        sent = failed = retried = 0
        try:
            connection = self._connect()
        except _Retry as exc:
            log.warning("notices: cannot reach the mail server %s:%d: %s", settings.smtp_host, settings.smtp_port,
                        exc)
            for row in due:
                self._reschedule(row, str(exc))
            return DeliveryRun(retried=len(due), waiting=self._waiting(), problem=str(exc))
        try:
            for row in due:
                if not self._claim(row):
                    continue  # another sender took it a moment ago
                try:
                    self._send(connection, row)
                except _Permanent as exc:
                    self._fail(row, str(exc))
                    failed += 1
                except _ConnectionLost as exc:
                    self._reschedule(row, str(exc))
                    retried += 1
                    break
                except _Retry as exc:
                    self._reschedule(row, str(exc))
                    retried += 1
                else:
                    self._mark_sent(row)
                    sent += 1
        finally:
            _quit(connection)
        return DeliveryRun(sent=sent, failed=failed, retried=retried, waiting=self._waiting())

    # -- SMTP ----------------------------------------------------------------------------------------------------

    def _connect(self) -> smtplib.SMTP:
        settings = self._config.notices
        password = None
        if settings.smtp_username:
            password = self._password()
            if not password:
                raise _Retry("no SMTP password in the keyring: run `p2c-kiosk configure --smtp-password-stdin`")
        where = f"{settings.smtp_host}:{settings.smtp_port}"
        connection: smtplib.SMTP | None = None
        try:
            if settings.security == "tls":
                connection = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port,
                                              timeout=settings.timeout_seconds, context=self._tls())
            else:
                connection = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.timeout_seconds)
            connection.ehlo()
            if settings.security == "starttls":
                connection.starttls(context=self._tls())
                connection.ehlo()
            if settings.smtp_username:
                connection.login(settings.smtp_username, password or "")
            return connection
        except smtplib.SMTPAuthenticationError as exc:
            _quit(connection)
            raise _Retry(f"the mail server refused the login (SMTP {exc.smtp_code}): check notices.smtp_username "
                         "and the password in the keyring") from exc
        except smtplib.SMTPNotSupportedError as exc:
            _quit(connection)
            raise _Retry(f"the mail server {where} does not offer what notices.security / smtp_username need: "
                         f"{_short(str(exc))}") from exc
        except smtplib.SMTPResponseException as exc:
            _quit(connection)
            raise _Retry(f"the mail server {where} answered {exc.smtp_code}: {_server_text(exc.smtp_error)}") from exc
        except ssl.SSLError as exc:
            _quit(connection)
            raise _Retry(f"TLS with the mail server {where} failed: {_short(exc.reason or str(exc))}") from exc
        except TimeoutError as exc:
            _quit(connection)
            raise _Retry(f"the mail server {where} did not answer within {settings.timeout_seconds} s") from exc
        except (OSError, smtplib.SMTPException) as exc:
            _quit(connection)
            raise _Retry(f"cannot connect to the mail server {where} ({_describe(exc)})") from exc

    def _tls(self) -> ssl.SSLContext:
        return self._ssl_context or ssl.create_default_context()

    def _send(self, connection: smtplib.SMTP, row: NoticeRow) -> None:
        recipient = row.recipient
        if recipient is None:  # not pending, so not due: the outbox never hands one over
            raise _Permanent("the notice has no e-mail address")
        try:
            message = self._message(row)
        except (ValueError, TypeError) as exc:
            raise _Permanent("the e-mail address or the message cannot be used in an e-mail") from exc
        sender = parseaddr(self._config.notices.sender)[1]
        try:
            connection.send_message(message, from_addr=sender, to_addrs=[recipient])
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()), (0, b""))
            reason = f"the recipient was refused (SMTP {code}: {_server_text(text)})"
            raise (_Permanent if code >= 500 else _Retry)(reason) from exc
        except smtplib.SMTPSenderRefused as exc:
            # About notices.sender, not this citizen: wait for the configuration to be fixed.
            raise _Retry(f"the sender address was refused (SMTP {exc.smtp_code}: {_server_text(exc.smtp_error)})"
                         ) from exc
        except smtplib.SMTPDataError as exc:
            reason = f"the message was refused (SMTP {exc.smtp_code}: {_server_text(exc.smtp_error)})"
            raise (_Permanent if exc.smtp_code >= 500 else _Retry)(reason) from exc
        except smtplib.SMTPServerDisconnected as exc:
            raise _ConnectionLost("the mail server closed the connection") from exc
        except smtplib.SMTPResponseException as exc:
            raise _Retry(f"the mail server answered {exc.smtp_code}: {_server_text(exc.smtp_error)}") from exc
        except TimeoutError as exc:
            raise _ConnectionLost(f"the mail server did not answer within {self._config.notices.timeout_seconds} s"
                                  ) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise _ConnectionLost(f"sending failed ({_describe(exc)})") from exc

    def _message(self, row: NoticeRow) -> EmailMessage:
        settings = self._config.notices
        tracking = row.report.tracking_number
        message = EmailMessage()
        message["Subject"] = row.subject
        message["From"] = settings.sender
        message["To"] = Address(addr_spec=row.recipient)
        # The time the notice was written, so every attempt sends the very same message.
        message["Date"] = format_datetime(row.created_at)
        message["Message-ID"] = message_id(row.id, tracking, row.kind, self._config.kiosk.number, settings.sender)
        message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies, please
        message.set_content(row.body_text, charset="utf-8")
        message.add_alternative(row.body_html, subtype="html", charset="utf-8")
        # After the body (set_content drops Content-* headers); a BCP 47 tag (pt-BR), not the catalogue's pt_BR.
        message["Content-Language"] = language_tag(row.language)
        return message

    # -- the outbox's rows ---------------------------------------------------------------------------------------

    def _claim(self, row: NoticeRow) -> bool:
        """Move the notice's next attempt past the time one send can take; False when another sender changed it
        first. A crash after this leaves the notice pending: it is tried again once the claim runs out."""
        hold = timedelta(seconds=3 * self._config.notices.timeout_seconds + 60)
        Notice = self._Notice
        with self._db.atomic():
            changed: int = (Notice.update(next_attempt_at=self._clock.now() + hold)
                       .where((Notice.id == row.id) & (Notice.status == "pending")
                              & (Notice.next_attempt_at == row.next_attempt_at))
                       .execute())
        return changed == 1

    def _mark_sent(self, row: NoticeRow) -> None:
        Notice = self._Notice
        tracking = row.report.tracking_number
        with self._db.atomic():
            Notice.update(status="sent", sent_at=self._clock.now(), next_attempt_at=None, last_error=None,
                          attempts=Notice.attempts + 1).where(Notice.id == row.id).execute()
            self._record("notice_sent", tracking, kind=row.kind, notice_id=row.id)
        log.info("notice %d (%s) for report %s sent", row.id, row.kind, tracking)

    def _reschedule(self, row: NoticeRow, error: str) -> None:
        attempts = row.attempts + 1
        delay = retry_delay(attempts, self._random)
        Notice = self._Notice
        with self._db.atomic():
            Notice.update(attempts=attempts, next_attempt_at=self._clock.now() + delay,
                          last_error=_short(error)).where((Notice.id == row.id) & (Notice.status == "pending")
                                                          ).execute()
        log.info("notice %d (%s) for report %s: attempt %d failed (%s); next in %d s", row.id, row.kind,
                 row.report.tracking_number, attempts, _short(error), delay.total_seconds())

    def _fail(self, row: NoticeRow, error: str) -> None:
        Notice = self._Notice
        tracking = row.report.tracking_number
        with self._db.atomic():
            Notice.update(status="failed", attempts=row.attempts + 1, next_attempt_at=None,
                          last_error=_short(error)).where(Notice.id == row.id).execute()
            self._record("notice_failed", tracking, kind=row.kind, notice_id=row.id)
        log.warning("notice %d (%s) for report %s failed for good: %s", row.id, row.kind, tracking, _short(error))

    def _record(self, action: str, tracking_number: str, **details: str | int | None) -> None:
        if self._audit is None:
            return
        try:
            self._audit.record("system", action, tracking_number, **details)
        except Exception:  # the delivery itself is recorded on the notice; the audit trouble is logged
            log.exception("notices: could not write the audit entry %s for %s", action, tracking_number)

    def _waiting(self) -> int:
        return self._Notice.select().where(self._Notice.status == "pending").count()


_ADDRESS = re.compile(r"<?[^\s<>@]+@[^\s<>@]+>?")


def _server_text(text: bytes | str) -> str:
    """A mail server's words, without any e-mail address in them (servers often repeat the recipient)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return _short(_ADDRESS.sub("<address>", text))


def _short(text: str) -> str:
    one_line = " ".join(_ADDRESS.sub("<address>", str(text)).split())
    return one_line if len(one_line) <= ERROR_MAX_CHARS else one_line[: ERROR_MAX_CHARS - 1] + "…"


def _describe(exc: BaseException) -> str:
    detail = getattr(exc, "strerror", None) or str(exc)
    return _short(f"{exc.__class__.__name__}: {detail}" if detail else exc.__class__.__name__)


def _quit(connection: smtplib.SMTP | None) -> None:
    if connection is None:
        return
    try:
        connection.quit()
    except (OSError, smtplib.SMTPException):
        connection.close()
