"""The bar at the top of every page: the department's name (the officer gesture's spot), the large-text and
high-contrast switches, and the languages, each named in its own language."""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QWidget
from shiboken6 import getCppPointer, wrapInstance

from kiosk.config import Config
from ui.i18n import LanguageSwitcher
from ui.rows import RowsThatWrap
from ui.theme import Theme
from ui.widgets import Translatable, set_button_text, text_label, touch_button


class HeaderBar(Translatable, QFrame):
    def __init__(self, config: Config, switcher: LanguageSwitcher, theme: Theme,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("header_bar")
        self._switcher = switcher
        self._theme = theme
        self.department_label = text_label("header_department_label", "header_title", centred=False)
        self.department_label.setText(config.department.name)
        self.large_text_button = touch_button("large_text_button", "toggle")
        self.large_text_button.setCheckable(True)
        self.large_text_button.toggled.connect(lambda on: theme.set(large_text=on))
        self.high_contrast_button = touch_button("high_contrast_button", "toggle")
        self.high_contrast_button.setCheckable(True)
        self.high_contrast_button.toggled.connect(lambda on: theme.set(high_contrast=on))
        theme.changed.connect(self._mark_theme)

        self.language_buttons: dict[str, QPushButton] = {}
        title = QHBoxLayout()
        title.addWidget(self.department_label, 100, Qt.AlignmentFlag.AlignVCenter)
        toggles = QHBoxLayout()
        toggles.setSpacing(8)
        toggles.addStretch(1)
        toggles.addWidget(self.large_text_button)
        toggles.addWidget(self.high_contrast_button)
        languages = QHBoxLayout()
        languages.setSpacing(8)
        languages.addStretch(1)
        self._catalogues = switcher.catalogues
        for code in switcher.languages:
            button = touch_button(f"language_{code.lower()}_button", "language")
            button.setCheckable(True)
            button.clicked.connect(lambda _checked=False, c=code: self._choose_language(c))
            self.language_buttons[code] = button
            languages.addWidget(button)
            # With one configured language there is nothing to choose.
            button.setVisible(len(switcher.languages) > 1)
        # The department's name, the text switches and the languages on one line; on a screen too narrow for that
        # (four languages in large text, a portrait 1080-px screen) the languages go below the switches, and the
        # switches below the name.
        controls = RowsThatWrap(toggles, languages, spacing=20, trailing_stretch=False)
        rows = RowsThatWrap(title, controls, spacing=12, trailing_stretch=False)
        rows.setContentsMargins(24, 8, 24, 8)
        self.setLayout(rows)
        switcher.language_changed.connect(self._mark_language)
        self._mark_language(switcher.language)
        self.retranslate()

    def _keep_title_readable(self) -> None:
        """The department's name may wrap to two lines beside the switches, never to a sliver: at its narrowest it is
        half its one-line width (or its longest word). Narrower than that, the switches go below it (RowsThatWrap)."""
        label = self.department_label
        label.ensurePolished()  # the style sheet's font, not the default one
        metrics = label.fontMetrics()
        text = label.text()
        longest_word = max((metrics.horizontalAdvance(word) for word in text.split()), default=0)
        label.setMinimumWidth(max(longest_word, metrics.horizontalAdvance(text) // 2 + metrics.averageCharWidth() * 2))

    def retranslate(self) -> None:
        set_button_text(self.large_text_button, self.tr("Larger text"))
        set_button_text(self.high_contrast_button, self.tr("High contrast"))
        for code, button in self.language_buttons.items():
            # Each language is named in its own language, so a visitor finds theirs whatever the kiosk shows now.
            set_button_text(button, self._catalogues.get(code).own_name)

    def show_department(self, visible: bool) -> None:
        """The welcome page shows the name large itself; other pages show it here. Called whenever the window shows
        another kind of page (welcome, report, check a report): the header then goes back to the end of the Tab
        order, after the pages built since (:meth:`keep_last_in_tab_order`)."""
        self.department_label.setVisible(visible)
        if visible:
            self._keep_title_readable()  # measured in the font the style sheet gives it by now
        self.keep_last_in_tab_order()

    def tab_stops(self) -> list[QPushButton]:
        """The header's controls in their Tab order: the text switches, then the languages."""
        return [self.large_text_button, self.high_contrast_button, *self.language_buttons.values()]

    def keep_last_in_tab_order(self) -> None:
        """Put the header's controls at the end of the window's Tab order: a keyboard or keypad visitor goes through
        the page's own controls and its Back / Next first, and is not walked through six switches on every page
        (issue 21). They stay one Shift+Tab away from a page's first control. Qt puts a widget built later (the
        wizard, after the first paint; "Check a report", on first use) at the end of the chain, after these, so this
        runs again whenever the window shows another kind of page."""
        window = self.window()
        if window is self:
            return
        stops = self.tab_stops()
        tab_chain = [widget for widget in _focus_chain(window) if widget.focusPolicy() & Qt.FocusPolicy.TabFocus]
        takes_tab = [widget for widget in tab_chain if not self.isAncestorOf(widget)]
        if not takes_tab or tab_chain[-len(stops):] == stops:
            return  # nothing but the header, or already last
        # Qt's setTabOrder(a, b) does nothing when b already follows a round the ring (the window heads it, and Tab
        # from the window goes to its first control): the header is first put after the first control, then after
        # the last.
        for last in dict.fromkeys((takes_tab[0], takes_tab[-1])):
            for stop in stops:
                QWidget.setTabOrder(last, stop)
                last = stop

    def _choose_language(self, code: str) -> None:
        self._switcher.set_language(code)
        # Shows the language actually in use (still English if the translation could not be loaded).
        self._mark_language(self._switcher.language)

    def _mark_language(self, code: str) -> None:
        for button_code, button in self.language_buttons.items():
            button.setChecked(button_code == code)

    def _mark_theme(self) -> None:
        for button, on in ((self.large_text_button, self._theme.large_text),
                           (self.high_contrast_button, self._theme.high_contrast)):
            if button.isChecked() != on:
                button.blockSignals(True)
                button.setChecked(on)
                button.blockSignals(False)


def _next_in_focus_chain_function() -> Callable[[int], int | None] | None:
    """Qt's ``QWidget::nextInFocusChain()`` called on a C++ address, without PySide in between (None where Qt's
    library or the function cannot be found: not on this kiosk's Linux)."""
    try:
        function = ctypes.CDLL("libQt6Widgets.so.6")._ZNK7QWidget16nextInFocusChainEv
    except (OSError, AttributeError):
        return None
    function.restype = ctypes.c_void_p
    function.argtypes = [ctypes.c_void_p]
    return cast("Callable[[int], int | None]", function)


_NEXT_IN_FOCUS_CHAIN = _next_in_focus_chain_function()


def _focus_chain(window: QWidget) -> list[QWidget]:
    """The window's focus chain in order, the window itself left out.

    Walked in C++: PySide makes the widget that ``a.nextInFocusChain()`` returns a child of ``a``'s Python wrapper
    (its heuristic for a returned pointer), and keeps it there. Walked from Python, the header's, the welcome page's
    and the window's wrappers took in the next visitor's widgets, and kept their wrappers once the widgets were
    deleted: ~45 objects per visit, never freed (tests/ui/test_soak.py). Only the widgets are wrapped here, each
    with no parent of Python's: a widget that has its wrapper already gets it back."""
    if _NEXT_IN_FOCUS_CHAIN is None:
        chain: list[QWidget] = []
        widget = window.nextInFocusChain()
        while widget is not None and widget is not window:
            chain.append(widget)
            widget = widget.nextInFocusChain()
        return chain
    start = getCppPointer(window)[0]
    addresses: list[int] = []
    address = _NEXT_IN_FOCUS_CHAIN(start)
    while address and address != start:
        addresses.append(address)
        address = _NEXT_IN_FOCUS_CHAIN(address)
    return [cast(QWidget, wrapInstance(address, QWidget)) for address in addresses]
