"""The kiosk window: a stack of pages, fullscreen and locked in kiosk mode, an ordinary window with ``--windowed``."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget, QWidget

from kiosk.config import Config
from ui.i18n import LanguageSwitcher
from ui.page_holder import PageHolder
from ui.unavailable_page import UnavailablePage
from ui.welcome_page import WelcomePage

log = logging.getLogger(__name__)

WINDOWED_SIZE = (1280, 800)


class KioskKeyFilter(QObject):
    """Swallows, for the whole application, the keys a visitor could use to leave: Escape and Alt+F4.

    Installed on the application rather than the window so a dialog opened later cannot be escaped either.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride):
            key_event: QKeyEvent = event  # type: ignore[assignment]
            key = key_event.key()
            if key == Qt.Key.Key_Escape:
                return True
            if key == Qt.Key.Key_F4 and key_event.modifiers() & Qt.KeyboardModifier.AltModifier:
                return True
        return super().eventFilter(watched, event)


class KioskWindow(QMainWindow):
    """Holds the pages. In kiosk mode it covers the screen, stays on top and refuses to close until allowed."""

    def __init__(
        self,
        config: Config,
        switcher: LanguageSwitcher,
        *,
        kiosk_mode: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("kiosk_window")
        self._kiosk_mode = kiosk_mode
        self._close_allowed = not kiosk_mode
        self.switcher = switcher
        switcher.setParent(self)

        self.pages = QStackedWidget()
        self.pages.setObjectName("pages")
        self.setCentralWidget(self.pages)

        self._holders: dict[QWidget, PageHolder] = {}

        self.welcome_page = WelcomePage(config, switcher)
        self.unavailable_page = UnavailablePage(config)
        for page in (self.welcome_page, self.unavailable_page):
            self.add_page(page)
        # Until the reporting wizard exists, Start leads to an honest "not available yet" page.
        self.welcome_page.start_requested.connect(lambda: self.show_page(self.unavailable_page))
        self.unavailable_page.back_requested.connect(self.show_welcome)

        if kiosk_mode:
            self.setWindowFlags(self.windowFlags() | Qt.WindowType.FramelessWindowHint
                                | Qt.WindowType.WindowStaysOnTopHint)
            self._key_filter = KioskKeyFilter(self)
            QApplication.instance().installEventFilter(self._key_filter)
        else:
            self.resize(*WINDOWED_SIZE)
        self.retranslate()

    @property
    def kiosk_mode(self) -> bool:
        return self._kiosk_mode

    def present(self) -> None:
        """Show the window: fullscreen over the whole screen in kiosk mode, at its normal size otherwise."""
        # Hold the focus on the window itself, so no button starts out wearing the yellow focus mark; Tab (a keyboard
        # or a switch-access device) moves it to the buttons.
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self._kiosk_mode:
            self.show()
            return
        screen = self.screen() or QApplication.primaryScreen()
        # Without a window manager (a bare X server) showFullScreen() alone is ignored: set the geometry first.
        self.setGeometry(screen.geometry())
        self.showFullScreen()

    def add_page(self, page: QWidget) -> None:
        """Add a page to the stack (inside a holder that scrolls only when the screen is too small for it)."""
        holder = PageHolder(page)
        self._holders[page] = holder
        self.pages.addWidget(holder)

    def current_page(self) -> QWidget:
        holder = self.pages.currentWidget()
        assert isinstance(holder, PageHolder)
        return holder.page()

    def show_page(self, page: QWidget) -> None:
        holder = self._holders[page]
        holder.scroll_to_top()
        self.pages.setCurrentWidget(holder)

    def show_welcome(self) -> None:
        self.show_page(self.welcome_page)

    def allow_close(self) -> None:
        """Let the next close() through (officer mode's "shut down the kiosk" will call this)."""
        self._close_allowed = True

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._close_allowed:
            # The key filter and the translators are application-wide: they leave with the window.
            self._remove_key_filter()
            self.switcher.release()
            super().closeEvent(event)
        else:
            log.info("Ignored a request to close the kiosk window")
            event.ignore()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Police report kiosk"))

    def _remove_key_filter(self) -> None:
        key_filter = getattr(self, "_key_filter", None)
        app = QApplication.instance()
        if key_filter is not None and app is not None:
            app.removeEventFilter(key_filter)
