"""What the kiosk window does with the rest of the kiosk once it is on screen: open the database just after the
welcome page's first paint, wire officer mode to the officer gesture, and send the e-mail outbox in the background.

If the database cannot be opened the kiosk stays up: the failure is logged, each later use tries again, and a
visitor who submits is told to see the desk officer (the wizard's storage-failure page).

Kept apart from :mod:`ui.app` so that a window built for a test or a screenshot (with only a report service) does
none of this, and so that the start-up path imports none of it before the first paint.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QThreadPool, QTimer

from kiosk.reports import StoreError

if TYPE_CHECKING:
    from kiosk.home import Kiosk
    from kiosk.receipts import ReceiptPrinter
    from ui.shell import KioskWindow

log = logging.getLogger(__name__)

# The outbox is looked at this often; a notice that failed waits for its own back-off time on top.
NOTICE_INTERVAL_MS = 60_000
FIRST_NOTICE_RUN_MS = 5_000


class _AfterFirstPaint(QObject):
    """Calls ``then`` once, on the event loop's next turn after ``widget`` was first painted."""

    def __init__(self, widget: QObject, then: object) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)  # type: ignore[arg-type]
        return False


class NoticeDelivery(QObject):
    """Every minute, one delivery run of the e-mail outbox on a worker thread (never on the UI thread). A run
    that is still going when the next is due is not doubled."""

    def __init__(self, kiosk: Kiosk, parent: QObject, interval_ms: int = NOTICE_INTERVAL_MS,
                 first_ms: int = FIRST_NOTICE_RUN_MS) -> None:
        super().__init__(parent)
        self._kiosk = kiosk
        self._busy = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.run_once)
        self._timer.start()
        QTimer.singleShot(first_ms, self.run_once)

    def run_once(self) -> None:
        if self._busy:
            return
        self._busy = True
        QThreadPool.globalInstance().start(self._deliver)

    def _deliver(self) -> None:
        try:
            from kiosk.notices import NoticeSender, smtp_password_from_keyring

            kiosk = self._kiosk
            sender = NoticeSender(kiosk.outbox, kiosk.config, kiosk.clock, smtp_password_from_keyring(kiosk.config),
                                  audit=kiosk.audit)
            run = sender.deliver_due()
            log.info("notice delivery: %s", run)
        except Exception:  # the outbox keeps the notices; the next run tries again
            log.exception("notice delivery run failed")
        finally:
            self._busy = False


def attach_officer_mode(window: KioskWindow, kiosk: Kiosk, printer: ReceiptPrinter | None) -> None:
    """The officer gesture opens the login; officer mode's services are built on the first gesture."""
    from ui.officer.controller import OfficerModeController
    from ui.officer.copy_printer import KioskCopyPrinter

    OfficerModeController(
        window, officers=lambda: kiosk.officers, review=lambda: kiosk.review, outbox=lambda: kiosk.outbox,
        audit=lambda: kiosk.audit, config=kiosk.config, clock=kiosk.clock, printer=printer,
        copy_printer=KioskCopyPrinter(kiosk.config, kiosk.home / "spool", clock=kiosk.clock))


def attach_kiosk(window: KioskWindow, kiosk: Kiosk, printer: ReceiptPrinter | None, *,
                 deliver_notices: bool = True) -> None:
    """Everything the running kiosk adds to its window (see the module docstring), done just after the welcome
    page's first paint: the database opens, officer mode is wired, the outbox starts being sent."""

    def after_first_paint() -> None:
        try:
            kiosk.reports.open()
        except StoreError:
            log.error("the database could not be opened; reports cannot be taken until it can", exc_info=True)
        attach_officer_mode(window, kiosk, printer)
        if deliver_notices:
            NoticeDelivery(kiosk, window)

    _AfterFirstPaint(window.welcome_page, after_first_paint)
