"""The look-up pages in one stack, with the look-up service: Check reads the tracking number the visitor typed (or
scanned: :mod:`ui.lookup.check_page` splits a receipt's code into the two fields) with
:func:`kiosk.lookup.read_tracking_number` and asks the service, a refusal is shown next to its field in the visitor's
language, the status page follows; Send adds the citizen's answer. Back and Finish end the visit (``finished``),
and the kiosk window then empties the flow (:meth:`wipe`) and keeps it for the next visitor who checks a report."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from kiosk.config import Config
from kiosk.lookup import LookupLocked, LookupRefused, StatusLookup, read_tracking_number
from kiosk.messages import Problem
from kiosk.reports import StoreError
from kiosk.tracking import TrackingNumber
from ui.i18n import LanguageSwitcher
from ui.lookup.check_page import CheckPage
from ui.lookup.status_page import StatusPage
from ui.page_holder import PageHolder

log = logging.getLogger(__name__)

UNAVAILABLE = Problem("", "lookup.unavailable")


class CheckReportFlow(QStackedWidget):
    finished = Signal()

    def __init__(self, lookup: Callable[[], StatusLookup], switcher: LanguageSwitcher, config: Config,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("check_report_flow")
        self._lookup = lookup
        self._switcher = switcher
        # The numbers of the report on the status page, for Send; forgotten by wipe().
        self._numbers: tuple[TrackingNumber, str] | None = None
        language = lambda: switcher.language  # noqa: E731
        self.check_page = CheckPage(language)
        self.status_page = StatusPage(language, config.rules.narrative_max_chars)
        self.check_holder = PageHolder(self.check_page)
        self.status_holder = PageHolder(self.status_page)
        for holder in (self.check_holder, self.status_holder):
            # Not a stop of its own for Tab or a keypad: the focus goes to the page's controls (it scrolls to them).
            holder.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.check_screen = with_button_bar(self.check_holder, self.check_page.button_bar)
        self.status_screen = with_button_bar(self.status_holder, self.status_page.button_bar)
        self.addWidget(self.check_screen)
        self.addWidget(self.status_screen)
        self.check_page.check_requested.connect(self.check)
        self.check_page.back_requested.connect(self.finished)
        self.status_page.send_requested.connect(self.send)
        self.status_page.finish_requested.connect(self.finished)
        switcher.language_changed.connect(self._language_changed)
        self._language_changed(switcher.language)

    def current_page(self) -> QWidget:
        return self.status_page if self.currentWidget() is self.status_screen else self.check_page

    def start(self) -> None:
        self.wipe()
        self.check_page.focus_first()

    # -- the actions ------------------------------------------------------------------------------------------------

    def check(self) -> None:
        typed, code = self.check_page.values()
        try:
            status = self._service().check(read_tracking_number(typed), code)
        except (LookupRefused, LookupLocked) as refusal:
            self.check_page.show_problems([refusal.problem])
            return
        except StoreError:
            self.check_page.show_problems([UNAVAILABLE])
            return
        self._numbers = (status.tracking_number, code)
        self.check_page.wipe()  # the numbers leave the inputs; only the service's answer is shown now
        self.status_page.show_status(status)
        self.status_holder.scroll_to_top()
        self.setCurrentWidget(self.status_screen)

    def send(self) -> None:
        if self._numbers is None:
            return
        text = self.status_page.answer_text()
        service = self._service()
        problem = service.answer_problem(text)
        if problem is not None:
            self.status_page.show_problems([problem])
            return
        try:
            status = service.answer(*self._numbers, text)
        except (LookupRefused, LookupLocked) as refusal:
            self.status_page.show_problems([refusal.problem])
            return
        except StoreError:
            self.status_page.show_problems([UNAVAILABLE])
            return
        self.status_page.show_status(status, answered=True)
        self.status_holder.scroll_to_top()

    def _service(self) -> Any:
        return self._lookup()

    # -- wiping and language ----------------------------------------------------------------------------------------

    def wipe(self) -> None:
        """Forget the numbers and empty both pages (inputs, their undo histories, problems); show the first page."""
        self._numbers = None
        self.check_page.wipe()
        self.status_page.wipe()
        self.setCurrentWidget(self.check_screen)
        self.check_holder.scroll_to_top()

    def _language_changed(self, code: str) -> None:
        self.check_page.render_problems()
        self.status_page.render_problems()
        self.status_page.retranslate()


def with_button_bar(holder: PageHolder, bar: QWidget) -> QWidget:
    """The scrolling page above its bar of buttons, as the wizard's pages sit above Back/Next."""
    screen = QWidget()
    screen.setObjectName(f"{holder.objectName()}_screen")
    layout = QVBoxLayout(screen)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(holder, 1)
    layout.addWidget(bar)
    return screen
