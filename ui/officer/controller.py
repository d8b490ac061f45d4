"""Wires officer mode into the kiosk window: the officer gesture opens the login, a successful login shows officer
mode in the window's page stack, and leaving it throws officer mode away and wipes back to the welcome page.

    OfficerModeController(window, kiosk, copy_printer=copy_printer, sync=sync_worker)

``kiosk`` is the kiosk's container (kiosk.home.Kiosk): officer mode's services (the officer accounts, the review,
the receipt printer) are asked of it on the first officer gesture, so the kiosk's start-up builds none of them and
opens no database for officer mode. ``copy_printer`` prints full copies (None: officer mode offers none); ``sync`` is
the kiosk's sync worker (``ui.kiosk_services.SyncWorker``), None for a standalone kiosk.

The officer screens are imported on first use, so the citizen's start-up does not pay for them. While the login or
officer mode is shown the citizen's idle watchdog is paused (``reset_to_welcome`` restarts it) and the header bar
(languages, text size) is hidden; the login itself goes back to the welcome page after the officer idle time.

Officer mode is shown in the officer's own language, kept with their account: after the login the window's language
switcher shows it (when the kiosk offers it), and again when the officer chooses another one in officer mode. Leaving
officer mode (Lock, the idle lock) shows the welcome page in the kiosk's default language.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from kiosk.home import Kiosk
    from kiosk.officers import OfficerSession
    from kiosk.receipts import CopyPrinter
    from ui.idle import IdleWatchdog
    from ui.kiosk_services import SyncWorker
    from ui.officer.login_dialog import LoginDialog
    from ui.officer.officer_mode import OfficerMode
    from ui.shell import KioskWindow

log = logging.getLogger(__name__)


class OfficerModeController(QObject):
    def __init__(self, window: KioskWindow, kiosk: Kiosk, *, copy_printer: CopyPrinter | None = None,
                 sync: SyncWorker | None = None, idle_lock_ms: int | None = None,
                 page_size: int | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.kiosk = kiosk
        self.config = kiosk.config
        self.copy_printer = copy_printer
        self.idle_lock_ms = idle_lock_ms if idle_lock_ms is not None else self.config.officer.idle_lock_seconds * 1000
        self.page_size = page_size
        self.sync = sync
        self.login: LoginDialog | None = None
        self.mode: OfficerMode | None = None
        self._login_watchdog: IdleWatchdog | None = None
        window.officer_requested.connect(self.open_login)

    # -- the login --------------------------------------------------------------------------------------------------

    def open_login(self) -> None:
        if self.mode is not None:
            return  # already in officer mode: the gesture does nothing
        from ui.idle import IdleWatchdog
        from ui.officer.login_dialog import LoginDialog

        self._quiet_citizen_side()
        if self.login is None or self._login_watchdog is None:
            self.login = LoginDialog(self.kiosk.officers, self.config.department.name)
            self.login.logged_in.connect(self._logged_in)
            self.login.cancelled.connect(self._login_cancelled)
            self.window.pages.addWidget(self.login)
            self._login_watchdog = IdleWatchdog(self.idle_lock_ms, self)
            self._login_watchdog.timed_out.connect(self._login_cancelled)
        self.login.restart()
        self.window.pages.setCurrentWidget(self.login)
        self.login.focus_first()
        # The stubs type instance() as the core application; the kiosk's window needs a QApplication.
        self._login_watchdog.install(cast(QApplication, QApplication.instance()))
        log.info("officer login opened")

    def _quiet_citizen_side(self) -> None:
        self.window.watchdog.pause()
        self.window.idle_overlay.stop()
        self.window.start_over_overlay.hide()
        self.window.header.hide()

    def _drop_login(self) -> None:
        if self._login_watchdog is not None:
            self._login_watchdog.uninstall()
        if self.login is not None:
            login, self.login = self.login, None
            self.window.pages.removeWidget(login)
            login.hide()
            login.setParent(None)
            login.deleteLater()

    def _login_cancelled(self) -> None:
        log.info("officer login closed without logging in")
        self._drop_login()
        self._back_to_citizens()

    # -- officer mode -----------------------------------------------------------------------------------------------

    def _logged_in(self, session: OfficerSession) -> None:
        from ui.officer.officer_mode import OfficerMode

        self._drop_login()
        kiosk = self.kiosk
        switcher = self.window.switcher
        # Built in the officer's language, so its first paint is in it.
        self._show_language(session.officer.language)
        offered = tuple(code for code in kiosk.officers.languages() if code in switcher.languages)
        self.mode = OfficerMode(session, officers=kiosk.officers, review=kiosk.review, config=self.config,
                                printer=kiosk.receipt_printer, copy_printer=self.copy_printer,
                                idle_lock_ms=self.idle_lock_ms, page_size=self.page_size, sync=self.sync,
                                settings=kiosk.settings if session.is_admin else None, languages=offered,
                                catalogues=switcher.catalogues)
        self.mode.left.connect(self._left)
        self.mode.language_chosen.connect(self._show_language)
        self.window.pages.addWidget(self.mode)
        self.window.pages.setCurrentWidget(self.mode)
        self.mode.focus_first()
        log.info("officer mode shown")

    def _show_language(self, language: str) -> None:
        """Show the kiosk's screens (officer mode's) in ``language``, the officer's; one the kiosk does not offer (no
        longer in ``kiosk.languages``) leaves the screens as they are, and says so in the log."""
        switcher = self.window.switcher
        if language == switcher.language:
            return
        if language not in switcher.languages:
            log.warning("an officer's language (%s) is not one this kiosk offers: officer mode stays in %s", language,
                        switcher.language)
            return
        switcher.set_language(language)

    def _left(self, reason: str) -> None:
        mode, self.mode = self.mode, None
        if mode is not None:
            self.window.pages.removeWidget(mode)
            mode.hide()
            mode.setParent(None)
            mode.deleteLater()
        log.info("officer mode left (%s)", reason)
        self._back_to_citizens()

    def _back_to_citizens(self) -> None:
        self.window.header.show()
        self.window.reset_to_welcome()  # restarts the citizen's watchdog, default language and theme

    def current(self) -> QWidget | None:
        return self.mode or self.login
