"""Officer mode: a top bar (who is logged in, Queue, Sync, Officers and Settings for administrators, Language,
Password, Lock) over the queue, a report's detail, the sync page, the officers' administration and the kiosk's
settings, in one stack.
**Password** opens the dialog where the logged-in officer changes their own password
(``OfficerService.change_own_password``). **Language** opens the choice of the language of the officer's own screens
(``OfficerService.set_language``, kept with the account): ``language_chosen(code)`` then asks the kiosk window to
show it (ui/officer/controller.py); ``languages`` are the ones offered. Every text follows the language live.

``sync`` is the kiosk's :class:`ui.kiosk_services.SyncWorker` (None for a standalone kiosk): the sync page shows its
status and runs it, and each decision an officer makes asks it for a run (so the decision reaches the department
server, and an approval's official number comes back, without waiting for the next scheduled run).

``settings`` is the kiosk's :class:`kiosk.settings_editor.SettingsEditor`: with it an administrator gets the Settings
page (ui/officer/settings_page.py); None: no Settings button.

It locks itself after ``config.officer.idle_lock_seconds`` without a touch, click or key anywhere in the application
(the kiosk's IdleWatchdog, installed on the application): ``logout(reason="auto_locked")``. Leaving, by Lock or by
the idle lock, always emits ``left``; the controller then throws this widget away and shows a wiped welcome page.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from kiosk.config import Config
from kiosk.translation import N_, Catalogues
from ui.idle import IdleWatchdog
from ui.keyboard_room import FOLDS_PROPERTY
from ui.officer.common import button, label, officer_style, value_label
from ui.officer.detail_view import DetailView
from ui.officer.language_dialog import LanguageDialog, LanguageValues
from ui.officer.password_dialogs import ChangePasswordDialog, ChangePasswordValues, PasswordChangedCard
from ui.officer.queue_view import QueueView
from ui.officer.sync_panel import SyncPanel
from ui.rows import RowsThatWrap

if TYPE_CHECKING:
    from kiosk.officers import OfficerService, OfficerSession
    from kiosk.receipts import CopyPrinter, ReceiptPrinter
    from kiosk.review import ReviewService
    from kiosk.settings_editor import SettingsEditor
    from kiosk.sync import SyncRun
    from kiosk.tracking import TrackingNumber
    from ui.kiosk_services import SyncWorker
    from ui.officer.officers_admin import OfficersAdmin
    from ui.officer.settings_page import SettingsPage

log = logging.getLogger(__name__)


class OfficerMode(QWidget):
    left = Signal(str)  # "logout" or "auto_locked"
    language_chosen = Signal(str)  # the code of the language the officer chose for their screens (and kept)

    def __init__(self, session: OfficerSession, *, officers: OfficerService, review: ReviewService, config: Config,
                 printer: ReceiptPrinter | None = None, copy_printer: CopyPrinter | None = None,
                 idle_lock_ms: int | None = None, page_size: int | None = None, sync: SyncWorker | None = None,
                 settings: SettingsEditor | None = None, languages: tuple[str, ...] = (),
                 catalogues: Catalogues | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("officer_mode")
        self.setStyleSheet(officer_style())
        self.session = session
        self._officers = officers
        self._review = review
        self._left = False

        bar = QFrame()
        bar.setObjectName("officer_top_bar")
        bar.setProperty(FOLDS_PROPERTY, True)  # folds away while the on-screen keyboard leaves little room
        self.mode_label = label("officer_mode_label", N_("Officer mode"), "officer_body", wrap=False)
        self.name_label = value_label("officer_name_label", session.display_name, "officer_body", wrap=False)
        self.badge_label = label("officer_badge_label", "", "officer_body", wrap=False)
        self.badge_label.say(N_("Badge %1"), session.officer.badge_number)
        self.queue_button = button("show_queue_button", N_("Queue"))
        self.sync_button = button("show_sync_button", N_("Sync"), accessible=N_("Sync with the department server"))
        self.admin_button = button("officers_admin_button", N_("Officers"))
        self.settings_button = button("settings_button", N_("Settings"), accessible=N_("Kiosk settings"))
        self.password_button = button("change_password_button", N_("Password"), accessible=N_("Change my password"))
        self.lock_button = button("lock_button", N_("Lock"), accessible=N_("Lock (log out)"))
        self.language_button = button("officer_language_button", N_("Language"),
                                      accessible=N_("Choose the language of my screens"))
        self.language_button.clicked.connect(self.ask_language)
        self.queue_button.clicked.connect(self.show_queue)
        self.admin_button.clicked.connect(self.show_admin)
        self.sync_button.clicked.connect(self.show_sync)
        self.password_button.clicked.connect(self.ask_password_change)
        self.lock_button.clicked.connect(lambda: self.leave("logout"))
        self.settings_button.clicked.connect(self.show_settings)
        who = QHBoxLayout()
        who.setSpacing(16)
        who.addWidget(self.mode_label)
        who.addStretch(1)
        who.addWidget(self.name_label)
        who.addWidget(self.badge_label)
        who.addSpacing(8)
        actions = QHBoxLayout()
        actions.setSpacing(16)
        actions.addStretch(1)  # on a line of their own, the buttons keep their size, on the right
        for widget in (self.queue_button, self.sync_button, self.admin_button, self.settings_button,
                       self.language_button, self.password_button, self.lock_button):
            actions.addWidget(widget)
        # An administrator's buttons go below who is logged in when one line cannot hold both (1280 px, or a
        # portrait screen), instead of making officer mode wider than the screen.
        row = RowsThatWrap(who, actions, spacing=16, trailing_stretch=False)
        row.setStretch(0, 1)  # on one line the room left goes between "Officer mode" and the name, as before
        row.setContentsMargins(20, 8, 20, 8)
        bar.setLayout(row)
        # Shown or hidden only once they have a parent: a parentless widget made visible is a window of its own for a
        # moment, which took the keys (and the window's activation) from the kiosk window.
        self.language_button.setVisible(len(languages) > 1)
        self.admin_button.setVisible(session.is_admin)
        self.settings_button.setVisible(session.is_admin and settings is not None)

        self.pages = QStackedWidget()
        self.pages.setObjectName("officer_pages")
        self.queue = QueueView(review, page_size=page_size)
        self.detail = DetailView(review, session, config, printer=printer, copy_printer=copy_printer)
        self.sync = sync
        self.sync_panel = SyncPanel(sync, config)
        self.pages.addWidget(self.queue)
        self.pages.addWidget(self.detail)
        self.pages.addWidget(self.sync_panel)
        self.admin: OfficersAdmin | None = None
        if session.is_admin:
            from ui.officer.officers_admin import OfficersAdmin

            self.admin = OfficersAdmin(officers, session, catalogues=catalogues)
            self.admin.back_requested.connect(self.show_queue)
            self.pages.addWidget(self.admin)
        self.settings_page: SettingsPage | None = None
        if session.is_admin and settings is not None:
            from ui.officer.settings_page import SettingsPage

            self.settings_page = SettingsPage(settings, session)
            self.settings_page.back_requested.connect(self.show_queue)
            self.pages.addWidget(self.settings_page)
        self.queue.open_requested.connect(self.open_report)
        self.detail.open_requested.connect(self.open_report)
        self.detail.back_requested.connect(self._back_from_detail)
        self.sync_panel.open_requested.connect(self.open_report)
        self.sync_panel.attention_changed.connect(self._show_sync_attention)
        if sync is not None:
            self.detail.decided.connect(lambda _tracking: sync.run_after_decision())
            sync.run_finished.connect(self._after_sync)

        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(bar)
        column.addWidget(self.pages, 1)
        self.password_dialog = ChangePasswordDialog(self)
        self.password_dialog.submitted.connect(self._change_password)
        self.password_changed_card = PasswordChangedCard(self)
        self.language = session.officer.language  # the language of this officer's screens, as the account keeps it
        self.language_dialog = LanguageDialog(self, languages, catalogues or Catalogues())
        self.language_dialog.submitted.connect(self._change_language)

        lock_ms = idle_lock_ms if idle_lock_ms is not None else config.officer.idle_lock_seconds * 1000
        self.watchdog = IdleWatchdog(lock_ms, self)
        self.watchdog.timed_out.connect(self._idle)
        # The stubs type instance() as the core application; officer mode is made of widgets, so it is a QApplication.
        self.watchdog.install(cast(QApplication, QApplication.instance()))
        self.queue.load()
        if sync is not None:
            sync.refresh_status()  # the top bar's Sync button shows whether something needs attention

    # -- pages ------------------------------------------------------------------------------------------------------

    def focus_first(self) -> None:
        """Give the keys to the page shown, where an officer starts: the list of reports on the queue."""
        if self.pages.currentWidget() is self.queue:
            self.queue.focus_table()

    def show_queue(self) -> None:
        if self.pages.currentWidget() is self.detail and self.detail.tracking_number is not None:
            self._back_from_detail(self.detail.tracking_number)
            return
        self.pages.setCurrentWidget(self.queue)

    def show_admin(self) -> None:
        if self.admin is not None:
            self.admin.load()
            self.pages.setCurrentWidget(self.admin)

    def show_settings(self) -> None:
        if self.settings_page is not None:
            self.settings_page.load()
            self.pages.setCurrentWidget(self.settings_page)

    def show_sync(self) -> None:
        if self.pages.currentWidget() is self.detail and self.detail.tracking_number is not None:
            self.queue.refresh_row(self.detail.tracking_number)
            self.detail.wipe()
        self.pages.setCurrentWidget(self.sync_panel)

    def open_report(self, tracking_number: TrackingNumber) -> None:
        if self.pages.currentWidget() is self.detail and self.detail.tracking_number == tracking_number:
            return  # a double tap opens it once
        from kiosk.review import ReportNotFound

        try:
            self.detail.load(tracking_number)
        except ReportNotFound:
            self.detail.message_card.show_message(
                N_("Report not found"), N_("Report %1 is no longer in this kiosk's queue."), tracking_number)
            return
        self.pages.setCurrentWidget(self.detail)

    def _show_sync_attention(self, attention: bool) -> None:
        if attention:
            self.sync_button.say(N_("Sync (!)"), accessible=N_("Sync with the department server: needs attention"))
        else:
            self.sync_button.say(N_("Sync"), accessible=N_("Sync with the department server"))

    def _after_sync(self, run: SyncRun) -> None:
        """A run may have brought official numbers or decisions made elsewhere: an approval on screen that waits
        for its number is read again (not while a dialog is open), and so is the queue when it is on screen."""
        if run.skipped or run.error or not (run.decisions_pulled or run.events_pushed):
            return
        current = self.pages.currentWidget()
        if current is self.detail:
            self.detail.reload_if_number_pending()
        elif current is self.queue:
            self.queue.model.reload()

    def _back_from_detail(self, tracking_number: TrackingNumber | None) -> None:
        self.pages.setCurrentWidget(self.queue)
        self.detail.wipe()
        if tracking_number is not None:
            self.queue.refresh_row(tracking_number)
        self.queue.focus_table()

    # -- the officer's own password --------------------------------------------------------------------------------

    def ask_password_change(self) -> None:
        self.password_dialog.prepare(self.session.username, self._officers.password_problems)
        self.password_dialog.open()
        self.password_dialog.current.setFocus(Qt.FocusReason.OtherFocusReason)

    def _change_password(self, values: ChangePasswordValues) -> None:
        from kiosk.officers import NotAllowed, OfficerError

        try:
            self._officers.change_own_password(self.session, values["current_password"], values["password"])
        except (OfficerError, NotAllowed) as exc:
            problems = getattr(exc, "problems", [exc.problem])
            # A wrong current password is emptied, as the login empties a refused one.
            if any(p.field == "current_password" for p in problems):
                self.password_dialog.current.wipe()
            self.password_dialog.show_problems(problems)
            return
        self.password_dialog.close_dialog()
        self.password_changed_card.show_changed(self.session.username)

    # -- the officer's own language -------------------------------------------------------------------------------

    def ask_language(self) -> None:
        self.language_dialog.prepare(self.language)
        self.language_dialog.open()

    def _change_language(self, values: LanguageValues) -> None:
        from kiosk.officers import NotAllowed, OfficerError

        try:
            account = self._officers.set_language(self.session.username, values["language"], by=self.session)
        except (OfficerError, NotAllowed) as exc:
            self.language_dialog.show_problems(getattr(exc, "problems", [exc.problem]))
            return
        self.language_dialog.close_dialog()
        self.language = account.language
        self.language_chosen.emit(account.language)

    # -- leaving ----------------------------------------------------------------------------------------------------

    def _idle(self) -> None:
        log.info("officer mode locked itself after %d s without input", self.watchdog_interval_ms() // 1000)
        self.leave("auto_locked")

    def watchdog_interval_ms(self) -> int:
        return self.watchdog.timeout_ms

    def leave(self, reason: str = "logout") -> None:
        """Log out (recorded in the audit log), forget what was on screen and emit ``left`` once."""
        if self._left:
            return
        self._left = True
        self.watchdog.uninstall()
        try:
            self._officers.logout(self.session, reason=reason)
        except Exception:  # the session ends on screen whatever happens to the audit write
            log.exception("recording the end of the officer session failed")
        self.detail.wipe()
        self.sync_panel.wipe()
        self.password_dialog.close_dialog()
        self.language_dialog.close_dialog()
        if self.admin is not None:
            self.admin.set_password_dialog.close_dialog()
        self.left.emit(reason)

    def is_left(self) -> bool:
        return self._left
