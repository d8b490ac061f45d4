"""Room for the on-screen keyboard: while it is up, the window's content ends above it.

The Qt Virtual Keyboard draws over the bottom of the screen (half of a 1280x800 screen). Rather than scrolling pages
behind it, :class:`KeyboardRoom` gives the window's content a bottom margin as tall as the keyboard, so the page area
(and with it the wizard's Next/Back bar, officer mode and its dialogs) shrinks to the space above the keyboard and the
page scrolls there. When that space is short, the header bar (department name, text size, contrast, languages) folds
away too (and officer mode's top bar: any widget with the dynamic property ``folds_for_keyboard``), and comes back when
the keyboard goes. The focused field, its label and its error are then scrolled into view, with its form's button
when there is room.

The work never runs inside the input method's own signals: resizing widgets while the keyboard is telling Qt about
itself is where the officer dialog's crash (issue 14) came from. Each change only schedules one pass on the event
loop.
"""

from __future__ import annotations

import contextlib
import logging

from PySide6.QtCore import QObject, QPoint, QRect, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLayout, QScrollArea, QWidget

from ui.forms import ENTER_BUTTON, form_of
from ui.widgets import running_application

log = logging.getLogger(__name__)

# Below this much height above the keyboard, the bars fold away while the keyboard is up.
HEADER_FOLDS_BELOW_PX = 640
# The dynamic property that marks a bar (the header, officer mode's top bar) as one that folds away.
FOLDS_PROPERTY = "folds_for_keyboard"
# Space kept between the focused field (with its error) and the keyboard or the scroll area's edge.
FIELD_MARGIN_PX = 16
# The second look at the focused field after the room changed.
AGAIN_AFTER_MS = 60


class KeyboardRoom(QObject):
    """Keeps ``content`` (the layout holding everything the window shows) above the on-screen keyboard.

    ``window`` is the top-level widget the keyboard rectangle is measured in. A bar folds by getting a maximum
    height of 0, not by being hidden, so whoever shows and hides it for other reasons (officer mode hides the header)
    is not overruled when it unfolds.
    """

    def __init__(self, window: QWidget, content: QLayout) -> None:
        super().__init__(window)
        self._window = window
        self._content = content
        self._folded: dict[QWidget, int] = {}  # each folded bar and the maximum height it had
        self._bottom = 0
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self.fit)
        # Once more a moment later: pages and dialogs fit their height to the new room in posted events.
        self._again = QTimer(self)
        self._again.setSingleShot(True)
        self._again.setInterval(AGAIN_AFTER_MS)
        self._again.timeout.connect(self.show_focus)
        method = QGuiApplication.inputMethod()
        method.visibleChanged.connect(self._pending.start)
        method.keyboardRectangleChanged.connect(self._pending.start)
        running_application().focusChanged.connect(self._focus_changed)

    # -- what the keyboard covers -------------------------------------------------------------------------------

    def keyboard_rect(self) -> QRect:
        """The keyboard's rectangle in the window's coordinates; empty while it is hidden (or there is none)."""
        method = QGuiApplication.inputMethod()
        if not method.isVisible():
            return QRect()
        return method.keyboardRectangle().toAlignedRect().intersected(self._window.rect())

    def covered_height(self) -> int:
        """How much of the window's bottom the keyboard takes (0 while it is hidden)."""
        rect = self.keyboard_rect()
        if rect.isEmpty():
            return 0
        return max(0, self._window.height() - rect.top())

    # -- fitting ------------------------------------------------------------------------------------------------

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and self._window.isAncestorOf(new):
            self._pending.start()

    def fit(self) -> None:
        """Give the content the room above the keyboard (all of the window when it is hidden); show the focus."""
        bottom = self.covered_height()
        fold = bottom > 0 and self._window.height() - bottom < HEADER_FOLDS_BELOW_PX and not self._focus_in_a_bar()
        changed = bottom != self._bottom or fold != bool(self._folded)
        if changed:
            self._bottom = bottom
            margins = self._content.contentsMargins()
            margins.setBottom(bottom)
            self._content.setContentsMargins(margins)
            self._fold_bars(fold)
            self._content.activate()  # lay out now, so the scroll below sees the new sizes
            log.debug("keyboard room: %d px covered, bars %s", bottom, "folded" if fold else "shown")
        self.show_focus()
        self._again.start()

    def _bars(self) -> list[QWidget]:
        return [bar for bar in self._window.findChildren(QWidget) if bar.property(FOLDS_PROPERTY)]

    def _focus_in_a_bar(self) -> bool:
        focused = QApplication.focusWidget()
        return focused is not None and any(bar.isAncestorOf(focused) for bar in self._bars())

    def _fold_bars(self, fold: bool) -> None:
        if fold:
            for bar in self._bars():
                if bar not in self._folded and bar.isVisible():
                    self._folded[bar] = bar.maximumHeight()
                    bar.setMaximumHeight(0)
        else:
            for bar, height in self._folded.items():
                with contextlib.suppress(RuntimeError):  # a bar deleted meanwhile (officer mode left)
                    bar.setMaximumHeight(height)
            self._folded.clear()

    def show_focus(self) -> None:
        """Scroll the focused field into view inside its page or dialog: with its label and error when they fit, and
        with its form's button (Save item, Check, Send) when that sits in the same scrolling page and fits too."""
        focused = QApplication.focusWidget()
        if focused is None or not self._window.isAncestorOf(focused) or self._bottom == 0:
            return
        area = _scroll_area_of(focused)
        if area is None:
            return
        content = area.widget()
        if content is None:
            return
        room = area.viewport().height() - 2 * FIELD_MARGIN_PX
        field = _field_of(focused, area)
        top = field.mapTo(content, QPoint(0, 0)).y()
        bottom = top + field.height()
        if field.height() > room:  # taller than the room: the box itself, from its top
            top = focused.mapTo(content, QPoint(0, 0)).y()
            bottom = top + min(focused.height(), room)
        button = _form_button(focused, content)
        if button is not None:
            button_bottom = button.mapTo(content, QPoint(0, 0)).y() + button.height()
            box_top = focused.mapTo(content, QPoint(0, 0)).y()
            if button_bottom > bottom and button_bottom - top <= room:
                bottom = button_bottom
            elif button_bottom > bottom and button_bottom - box_top <= room:  # the box and the button, not the label
                top, bottom = box_top, button_bottom
        bar = area.verticalScrollBar()
        shown_top, shown_bottom = bar.value(), bar.value() + area.viewport().height()
        if top - FIELD_MARGIN_PX < shown_top:
            bar.setValue(max(0, top - FIELD_MARGIN_PX))
        elif bottom + FIELD_MARGIN_PX > shown_bottom:
            bar.setValue(min(top - FIELD_MARGIN_PX, bottom + FIELD_MARGIN_PX - area.viewport().height()))


def _scroll_area_of(widget: QWidget) -> QScrollArea | None:
    """The nearest scroll area holding ``widget`` (a page holder, an overlay's body)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            content = parent.widget()
            if content is not None and content.isAncestorOf(widget):
                return parent
        parent = parent.parentWidget()
    return None


def _field_of(widget: QWidget, area: QScrollArea) -> QWidget:
    """The labelled field a text box belongs to (label, hint, box, error: objectName ``*_field``), else the box."""
    parent = widget.parentWidget()
    content = area.widget()
    while parent is not None and parent is not content:
        if parent.objectName().endswith("_field"):
            return parent
        parent = parent.parentWidget()
    return widget


def _form_button(widget: QWidget, content: QWidget) -> QWidget | None:
    """The button of the form ``widget`` is in (ui.forms), when it is shown inside the same scrolling ``content``."""
    form = form_of(widget)
    button = form.property(ENTER_BUTTON) if form is not None else None
    if isinstance(button, QWidget) and button.isVisible() and content.isAncestorOf(button):
        return button
    return None
