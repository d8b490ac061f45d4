"""The kiosk window: the header bar, the welcome page, the report wizard and "Check a report", the idle watchdog, the
officer gesture.

Fullscreen and locked in kiosk mode, an ordinary window with ``--windowed``. Every visit ends in
:meth:`KioskWindow.reset_to_welcome`, which wipes the wizard (:meth:`ui.wizard.report_wizard.ReportWizard.wipe`:
every input emptied with its undo history, every answer unchosen, every problem, list and number the pages showed
forgotten, each page scrolled to the top, the first question again) and keeps it for the next visitor, as the
look-up pages ("Check a report", built on first use) are. tests/ui/test_wiped_wizard.py holds a wiped wizard to a
newly built one, widget by widget. Building and throwing away a wizard per visit cost ~40 % of a visitor's CPU, and
memory every visit that never came back (issue 19).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from ui.header_bar import HeaderBar
from ui.i18n import LanguageSwitcher
from ui.idle import IdleWatchdog
from ui.input_watch import InputWatch
from ui.keyboard_room import FOLDS_PROPERTY, KeyboardRoom
from ui.keypad import parse_key_map
from ui.keypad_input import KeypadInput, Narrating
from ui.officer_gesture import LongPress, OfficerShortcut, is_officer_keys
from ui.page_holder import PageHolder
from ui.theme import Theme
from ui.timings import Timings
from ui.welcome_page import WelcomePage

if TYPE_CHECKING:
    from kiosk.home import Kiosk
    from kiosk.lookup import StatusLookup
    from ui.idle import IdleOverlay, StartOverOverlay
    from ui.lookup import CheckReportFlow
    from ui.wizard.context import WizardContext
    from ui.wizard.report_wizard import ReportWizard

log = logging.getLogger(__name__)

WINDOWED_SIZE = (1280, 800)
PREBUILD_DELAY_MS = 300  # the wizard is built this long after the welcome page is shown; nobody taps Start sooner
# The keypad's Next and Back (ui/keypad_input.py): the buttons they press on the page shown, the first one shown and
# enabled; Next only takes the focus to the buttons that send or end something (the visitor presses Enter there).
KEYPAD_NEXT_PRESSES = ("start_button", "next_button", "check_report_check_button")
KEYPAD_NEXT_FOCUSES = ("submit_button", "answer_send_button", "finish_button", "report_status_finish_button")
# On the first question there is no Back: "Start over" is the way back to the welcome page there.
KEYPAD_BACK_PRESSES = ("back_button", "check_report_back_button", "start_over_button")


class KioskKeyFilter(QObject):
    """Swallows the keys a visitor could use to leave: Escape and Alt+F4.

    A part of the window's :class:`ui.input_watch.InputWatch`, so it sees the keys of every window opened over the
    kiosk window too: a dialog opened later cannot be escaped either.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride):
            key_event = cast(QKeyEvent, event)  # Qt sends these three event types as QKeyEvents
            key = key_event.key()
            if key == Qt.Key.Key_Escape:
                return True
            if key == Qt.Key.Key_F4 and key_event.modifiers() & Qt.KeyboardModifier.AltModifier:
                return True
        return super().eventFilter(watched, event)


class FirstPaintHook(QObject):
    """Calls ``then`` once, as soon as the event loop is free after ``widget`` was first painted."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
        return False


class KioskWindow(QMainWindow):
    """Holds the pages. In kiosk mode it covers the screen, stays on top and refuses to close until allowed.

    ``officer_requested`` fires on the hidden officer gesture: a 3-second press on the department's name (on the
    welcome page or in the header bar), or Ctrl+Alt+O.

    ``kiosk`` is the container the window takes its services from, each when first needed: the report service,
    the clock and the receipt printer when the first wizard is built (just after the welcome page is painted), the
    status look-up when a visitor first checks a report. So nothing opens the database, or imports a service's
    modules, before the first paint. With ``check_reports`` False the welcome page offers no "Check a report".
    """

    officer_requested = Signal()

    def __init__(
        self,
        kiosk: Kiosk,
        switcher: LanguageSwitcher,
        *,
        kiosk_mode: bool,
        theme: Theme,
        timings: Timings | None = None,
        check_reports: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("kiosk_window")
        self._kiosk_mode = kiosk_mode
        self._closing = False
        self._close_allowed = not kiosk_mode
        self.kiosk = kiosk
        config = self.config = kiosk.config
        self.switcher = switcher
        switcher.setParent(self)
        self.theme = theme
        theme.setParent(self)
        self.timings = timings or Timings.from_config(config)
        # What the wizard's pages get; made with the first wizard (just after the welcome page is painted).
        self._context: WizardContext | None = None

        central = self._central = QWidget()
        central.setObjectName("central")
        self.setCentralWidget(central)
        self.header = HeaderBar(config, switcher, theme)
        self.pages = QStackedWidget()
        self.pages.setObjectName("pages")
        # The pages give way (to the on-screen keyboard, ui/keyboard_room.py, or to a narrow portrait screen) rather
        # than push the window past the screen: a page bigger than the room left scrolls, reflows or is squeezed, but
        # the window stays the screen's size.
        self.pages.setMinimumSize(1, 1)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.header)
        column.addWidget(self.pages, 1)

        self.welcome_page = WelcomePage(config)
        self.welcome_page.start_requested.connect(self.start_report)
        self._check_reports = check_reports
        self._lookup_flow: CheckReportFlow | None = None
        self.welcome_page.set_check_available(check_reports)
        self.welcome_page.check_requested.connect(self.check_report)
        self.welcome_holder = PageHolder(self.welcome_page)
        self.pages.addWidget(self.welcome_holder)
        # The wizard is built just after the welcome page is first shown (or on first use), so start-up stays fast,
        # and kept: every visit wipes it.
        self._wizard: ReportWizard | None = None
        self.pages.currentChanged.connect(lambda _index: self._page_shown())

        # The overlays are built when first needed (the first idle time-out or "Start over"), not at start-up.
        self._idle_overlay: IdleOverlay | None = None
        self._start_over_overlay: StartOverOverlay | None = None
        # The input watch's parts (a filter on the kiosk's windows, not on the whole application: ui/input_watch.py),
        # in the order they see an event: the keypad (before the kiosk keys: Escape is Back), the kiosk keys (kiosk
        # mode only), Ctrl+Alt+O, the idle watchdog.
        self.input_watch = InputWatch(self)
        # Reads the pages aloud once a visitor asks (ui/narrator.py); handed in after the first paint (ui/app.py).
        self._narrator: Narrating | None = None
        # The [keypad] setting's key names were checked with the configuration (kiosk/keypad_keys.py).
        self.keypad = KeypadInput(parse_key_map(config.keypad.mapping()), self, self)
        self.keypad.used.connect(self._assisted)
        self.input_watch.add(self.keypad)
        if kiosk_mode:
            self._key_filter = KioskKeyFilter(self)
            self.input_watch.add(self._key_filter)
        self._officer_keys = OfficerShortcut(self)
        self._officer_keys.pressed.connect(self.officer_requested)
        self.input_watch.add(self._officer_keys)
        self.watchdog = IdleWatchdog(self.timings.idle_timeout_ms, self)
        self.watchdog.timed_out.connect(self._idle)
        self.input_watch.add(self.watchdog)
        self.watchdog.restart()
        self._first_paint = FirstPaintHook(self.welcome_page, self._after_first_paint)

        self._officer_press = LongPress(self.timings.officer_hold_ms, self)
        self._officer_press.watch(self.welcome_page.department_label)
        self._officer_press.watch(self.header.department_label)
        self._officer_press.held.connect(self.officer_requested)

        # The on-screen keyboard covers the lower part of the screen: while it is up, everything under the header
        # (pages, the wizard's Next/Back, officer mode) ends above it, and the field being typed in is scrolled
        # into view.
        self.keyboard_room = KeyboardRoom(self, column)
        self.header.setProperty(FOLDS_PROPERTY, True)

        if kiosk_mode:
            self.setWindowFlags(self.windowFlags() | Qt.WindowType.FramelessWindowHint
                                | Qt.WindowType.WindowStaysOnTopHint)
        else:
            self.resize(*WINDOWED_SIZE)
        self._page_shown()
        self.retranslate()

    # -- showing ----------------------------------------------------------------------------------------------------

    @property
    def kiosk_mode(self) -> bool:
        return self._kiosk_mode

    def present(self) -> None:
        """Show the window: fullscreen over the whole screen in kiosk mode, at its normal size otherwise."""
        # Hold the focus on the window itself, so no button starts out wearing the yellow focus mark; Tab (a keyboard
        # or a switch-access device) moves it to the buttons.
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        QTimer.singleShot(PREBUILD_DELAY_MS, self._prebuild)
        if not self._kiosk_mode:
            self.show()
            return
        screen = self.screen() or QGuiApplication.primaryScreen()
        # Without a window manager (a kiosk's bare X server) showFullScreen() alone is ignored: set the geometry first.
        self.setGeometry(screen.geometry())
        self.showFullScreen()

    def _after_first_paint(self) -> None:
        # The input watch starts once the welcome page is painted: its windows exist then, and nothing of the first
        # show and paint (~35 ms when a Python filter saw it) goes through Python.
        if not self._closing:
            self.input_watch.start()

    @property
    def wizard(self) -> ReportWizard:
        """The report wizard of the current visit (built now if it was not yet)."""
        if self._wizard is None:
            self._wizard = self._new_wizard()
        return self._wizard

    @property
    def idle_overlay(self) -> IdleOverlay:
        """"Are you still there?" over the whole window (built on first use)."""
        if self._idle_overlay is None:
            from ui.idle import IdleOverlay

            overlay = IdleOverlay(self.timings.idle_countdown_ms, self._central)
            overlay.more_time.connect(self._more_time)
            overlay.expired.connect(self._idle_expired)
            self._idle_overlay = overlay
        return self._idle_overlay

    @property
    def start_over_overlay(self) -> StartOverOverlay:
        """"Start over?" over the whole window (built on first use)."""
        if self._start_over_overlay is None:
            from ui.idle import StartOverOverlay

            overlay = StartOverOverlay(self._central)
            overlay.confirmed.connect(self.reset_to_welcome)
            self._start_over_overlay = overlay
        return self._start_over_overlay

    def _hide_overlays(self) -> None:
        if self._idle_overlay is not None:
            self._idle_overlay.stop()
        if self._start_over_overlay is not None:
            self._start_over_overlay.hide()

    def _prebuild(self) -> None:
        if self._wizard is None and not self._closing:
            self._wizard = self._new_wizard()

    def current_page(self) -> QWidget:
        """The welcome page, the wizard's current page, or the look-up page shown."""
        current = self.pages.currentWidget()
        if self._lookup_flow is not None and current is self._lookup_flow:
            return self._lookup_flow.current_page()
        if current is self.welcome_holder or self._wizard is None:
            return self.welcome_page
        return self._wizard.currentPage()

    def show_welcome(self) -> None:
        self.welcome_holder.scroll_to_top()
        self.pages.setCurrentWidget(self.welcome_holder)

    def start_report(self) -> None:
        log.info("a visitor started a report")
        wizard = self.wizard
        self.pages.setCurrentWidget(wizard)
        page = wizard.currentPage()
        if page is not None:
            page.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def lookup_flow(self) -> CheckReportFlow:
        """The "Check a report" pages of the current visit (built now if they were not yet)."""
        if self._lookup_flow is None:
            # Imported on first use: the look-up pages and the look-up core are not part of the kiosk's start-up.
            from ui.lookup import CheckReportFlow

            flow = CheckReportFlow(self._lookup, self.switcher, self.config)
            flow.finished.connect(self.reset_to_welcome)
            self.pages.addWidget(flow)
            self._lookup_flow = flow
        return self._lookup_flow

    def check_report(self) -> None:
        if not self._check_reports:
            return
        log.info("a visitor is checking a report")
        flow = self.lookup_flow
        self.pages.setCurrentWidget(flow)
        flow.start()

    def _lookup(self) -> StatusLookup:
        return self.kiosk.lookup  # built (and the database opened) the first time a visitor checks a report

    def _page_shown(self) -> None:
        self.header.show_department(self.pages.currentWidget() is not self.welcome_holder)

    # -- ending a visit ---------------------------------------------------------------------------------------------

    def reset_to_welcome(self) -> None:
        """Wipe everything this visitor entered and show the welcome page in the default language, normal theme.

        The welcome page is shown first, then the wizard and the look-up pages, hidden now, are wiped (the numbers
        typed, the answers, the undo histories, the receipt's numbers, the done page's timer) and kept for the next
        visitor; the clipboard is emptied.
        """
        self._hide_overlays()
        self.show_welcome()
        if self._wizard is not None:
            self._wizard.wipe()
        if self._lookup_flow is not None:
            self._lookup_flow.wipe()
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.clear()
        self.switcher.set_language(self.config.kiosk.default_language)
        self.theme.set(large_text=False, high_contrast=False)
        self.watchdog.set_assisted(False)
        self.watchdog.restart()
        log.info("visit wiped; back to the welcome page")

    def _new_wizard(self) -> ReportWizard:
        # Imported on first use (the prebuild, just after the welcome page is painted): the wizard's ten pages
        # and their field widgets are not part of the kiosk's start-up.
        from ui.wizard.report_wizard import ReportWizard

        keys_with = self.focusWidget()  # what has the keys now (the welcome page, officer mode...)
        wizard = ReportWizard(self._wizard_context())
        wizard.visit_finished.connect(self.reset_to_welcome)
        wizard.start_over_requested.connect(self._start_over)
        self.pages.addWidget(wizard)
        wizard.restart()
        # QWizard's restart gives its first page's Next button the focus even while the wizard is hidden (built ahead
        # for the next visitor): that took the keys from the screen shown. Hand them back.
        if keys_with is not None and keys_with.isVisible() and self.focusWidget() is not keys_with:
            keys_with.setFocus(Qt.FocusReason.OtherFocusReason)
        return wizard

    def _wizard_context(self) -> WizardContext:
        if self._context is None:
            from ui.wizard.context import WizardContext

            kiosk = self.kiosk
            self._context = WizardContext(config=self.config, reports=kiosk.reports, clock=kiosk.clock,
                                          switcher=self.switcher, printer=kiosk.receipt_printer,
                                          timings=self.timings, theme=self.theme)
        return self._context

    def _start_over(self) -> None:
        from ui.wizard.page_ids import PageId

        if self.wizard.currentId() == PageId.SCREEN_EMERGENCY:
            self.reset_to_welcome()  # nothing answered yet worth asking about
        else:
            self.start_over_overlay.open()

    def is_pristine(self) -> bool:
        """Nothing of a visitor on screen: the welcome page, default language, default theme."""
        return (self.pages.currentWidget() is self.welcome_holder
                and self.switcher.language == self.config.kiosk.default_language and self.theme.is_default()
                and not self.switcher.pseudo)

    # -- the keypad and the narrator ------------------------------------------------------------------------------

    def set_narrator(self, narrator: Narrating | None) -> None:
        """The narrator (ui/narrator.py) that Help starts and any key interrupts; the keypad works without one."""
        self._narrator = narrator
        self.keypad.set_narrator(narrator)

    @property
    def narrator(self) -> Narrating | None:
        return self._narrator

    def keypad_applies(self) -> bool:
        """A citizen's page is shown (officer mode keeps its keys as a desktop program has them)."""
        current = self.pages.currentWidget()
        return current is self.welcome_holder or (current is not None and current in (self._wizard, self._lookup_flow))

    def keypad_next(self) -> None:
        """The keypad's Next: the page's Next (Start, Check), or the focus to Submit or Finish."""
        button = self._keypad_button(KEYPAD_NEXT_PRESSES)
        if button is not None:
            button.click()
            return
        button = self._keypad_button(KEYPAD_NEXT_FOCUSES)
        if button is not None:
            button.setFocus(Qt.FocusReason.TabFocusReason)

    def keypad_back(self) -> None:
        """The keypad's Back: "go back to my report" over "Start over?", else the page's Back."""
        overlay = self._start_over_overlay
        if overlay is not None and overlay.is_open():
            overlay.keep_button.click()
            return
        button = self._keypad_button(KEYPAD_BACK_PRESSES)
        if button is not None:
            button.click()

    def keypad_more_time(self) -> bool:
        overlay = self._idle_overlay
        if overlay is None or not overlay.is_open():
            return False
        overlay.more_time_button.click()
        return True

    def _keypad_button(self, names: tuple[str, ...]) -> QAbstractButton | None:
        """The first of ``names`` shown and enabled on the page shown (buttons covered by an overlay are not)."""
        shown = self.pages.currentWidget()
        if shown is None:
            return None
        for name in names:
            for button in shown.findChildren(QAbstractButton, name):
                if button.isVisible() and button.isEnabled():
                    return button
        return None

    def _assisted(self) -> None:
        """The visitor uses the keypad or the speech: the idle warning comes later (ui/idle.py)."""
        if not self.watchdog.assisted:
            log.info("the visitor uses the keypad or speech: the idle warning comes later")
            self.watchdog.set_assisted(True)

    # -- idle -------------------------------------------------------------------------------------------------------

    def _idle(self) -> None:
        if self.is_pristine():
            self.watchdog.restart()
            return
        if not self.watchdog.assisted and self._narrator is not None and self._narrator.active:
            # Speech on, and no key pressed: the longer time, counted from the last activity.
            usual = self.watchdog.timeout_ms
            self._assisted()
            self.watchdog.wait(self.watchdog.timeout_ms - usual)
            return
        log.info("no touch for %d s: asking whether the visitor is still there", self.timings.idle_timeout_ms // 1000)
        if self._start_over_overlay is not None:
            self._start_over_overlay.hide()
        self.idle_overlay.set_key_hint(self.watchdog.assisted)
        self.idle_overlay.start()

    def _more_time(self) -> None:
        log.info("the visitor asked for more time")
        self.watchdog.restart()

    def _idle_expired(self) -> None:
        log.info("nobody answered: wiping the visit")
        self.reset_to_welcome()

    # -- officer ----------------------------------------------------------------------------------------------------

    # -- closing ----------------------------------------------------------------------------------------------------

    def allow_close(self) -> None:
        """Let the next close() through (officer mode's "shut down the kiosk" will call this)."""
        self._close_allowed = True

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._close_allowed:
            # The input watch (on the kiosk's windows and the focused input) and the translators (application-wide)
            # leave with the window.
            self.input_watch.stop()
            self.watchdog.uninstall()
            self._closing = True
            if self._idle_overlay is not None:
                self._idle_overlay.stop()
            if self._wizard is not None:
                from ui.wizard.page_ids import PageId

                self._wizard.page(PageId.DONE).return_timer.stop()
            self.switcher.release()
            super().closeEvent(event)
        else:
            log.info("Ignored a request to close the kiosk window")
            event.ignore()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Ctrl+Alt+O that reached the kiosk window without passing its QWindow (where the input watch takes it): sent
        # straight to the window widget (Qt Test's widget keys), or passed up by a child that did not want it.
        if self.input_watch.started and is_officer_keys(event):
            self._officer_keys.press()
            return
        super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Police report kiosk"))


