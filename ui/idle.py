"""Idle: no touch for a while asks "Are you still there?", and a countdown after that wipes the visit.

The kiosk window's watchdog is a part of its input watch (ui/input_watch.py: a filter on the kiosk's windows and the
focused input), so a touch, click or key anywhere a visitor can reach (a window over the kiosk's, the on-screen
keyboard) counts. :meth:`IdleWatchdog.install` puts one on the whole application instead (officer mode's, while it is
open). Durations are handed in, from the configuration in the kiosk and short ones in tests.

A visitor who uses the keypad or the speech gets more time (WCAG 2.2.1, timing adjustable): the warning comes
:data:`ASSISTED_FACTOR` times later (3 minutes instead of 90 s by default), since listening to a page and moving
through it key by key takes longer than reading and tapping, and the warning is answered "more time" by a key
(ui/keypad_input.py). The countdown after the warning (30 s, over WCAG's 20 s) and the wipe between visitors are
unchanged: the window sets the watchdog back to the usual time when the visit ends.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget
from shiboken6 import isValid

from ui.i18n import fill
from ui.widgets import Translatable, set_button_text, text_label, touch_button

ACTIVITY = frozenset({
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseMove, QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate, QEvent.Type.KeyPress, QEvent.Type.Wheel, QEvent.Type.InputMethod,
    QEvent.Type.TabletPress,
})
ASSISTED_FACTOR = 2  # a keypad or speech visitor's warning comes this many times later


class IdleWatchdog(QObject):
    """``timed_out`` fires after ``timeout_ms`` without any activity while running."""

    timed_out = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None, *,
                 assisted_factor: int = ASSISTED_FACTOR) -> None:
        super().__init__(parent)
        self._timeout_ms = timeout_ms
        self._assisted_factor = assisted_factor
        self._assisted = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(timeout_ms)
        self._timer.timeout.connect(self.timed_out)
        self._app: QApplication | None = None

    @property
    def timeout_ms(self) -> int:
        """How long without activity before ``timed_out``: longer for an assisted visitor."""
        return self._timeout_ms * (self._assisted_factor if self._assisted else 1)

    @property
    def assisted(self) -> bool:
        return self._assisted

    def set_assisted(self, assisted: bool) -> None:
        """Give a keypad or speech visitor the longer time (True), or set it back for the next visitor (False). A
        running timer starts its (new) time again."""
        if assisted == self._assisted:
            return
        self._assisted = assisted
        if self._timer.isActive():
            self._timer.start(self.timeout_ms)

    def wait(self, ms: int) -> None:
        """Fire after ``ms`` unless there is activity (which starts the usual time again)."""
        self._timer.start(ms)

    def install(self, app: QApplication) -> None:
        self._app = app
        app.installEventFilter(self)
        self._timer.start(self.timeout_ms)

    def uninstall(self) -> None:
        self._timer.stop()
        if self._app is not None:
            self._app.removeEventFilter(self)
            self._app = None

    def restart(self) -> None:
        self._timer.start(self.timeout_ms)

    def pause(self) -> None:
        self._timer.stop()

    def is_running(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY and self._timer.isActive():
            self._timer.start(self.timeout_ms)
        return False


class Overlay(Translatable, QFrame):
    """A dimmed layer over the whole of its parent with a card in the middle, modal for real while it is open.

    Opening it gives the focus to the card and disables what it covers (the parent's other children), so no tap, key,
    Space on a focused button or shortcut reaches anything behind it; Tab and Shift+Tab go round the card's own
    controls only. Closing it enables what it disabled and gives the focus back to the widget that had it. Overlays
    stack: one opened over another disables the first, and closing it gives the first back.
    """

    def __init__(self, name: str, parent: QWidget) -> None:
        super().__init__(parent)
        self._host = parent  # what the overlay covers
        self._modal = False
        self._covered: list[QWidget] = []  # what this overlay disabled, enabled again when it closes
        self._focus_before: QWidget | None = None
        self.setObjectName(name)
        self.setProperty("role", "overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.card = QFrame()
        self.card.setObjectName(f"{name}_card")
        self.card.setProperty("role", "overlay_card")
        self.card.setMaximumWidth(900)
        # The card holds the focus while the overlay is open: no control wears the focus mark until Tab moves to it.
        self.card.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.card_layout = QVBoxLayout(self.card)
        self.card_layout.setContentsMargins(48, 40, 48, 40)
        self.card_layout.setSpacing(20)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 32, 32, 32)
        outer.addStretch(1)
        row = QHBoxLayout()  # a wrapped label in a widget centred by alignment would shrink and be cut off
        row.addStretch(1)
        row.addWidget(self.card, 100)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        self.hide()
        parent.installEventFilter(self)

    def open(self) -> None:
        self.setGeometry(self._host.rect())
        self.raise_()
        self.show()

    def is_open(self) -> bool:
        """Shown by its own open() or show() and not closed since (its parent may be hidden meanwhile)."""
        return self._modal

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._host and event.type() == QEvent.Type.Resize:
            self.setGeometry(self._host.rect())
        return False

    # -- modality ---------------------------------------------------------------------------------------------------

    def setVisible(self, visible: bool) -> None:  # every show(), hide(), close() and setVisible() comes here
        if not visible and self._modal:
            self._release()  # before hiding: Qt would otherwise hand the card's focus to whatever comes next
        super().setVisible(visible)
        if visible and not self._modal:
            self._take_over()

    def _take_over(self) -> None:
        self._modal = True
        window = self.window()
        focused = window.focusWidget() if window is not None else None
        self._focus_before = None if focused is None or self.isAncestorOf(focused) else focused
        self.card.setFocus(Qt.FocusReason.OtherFocusReason)  # first, so disabling below cannot move the focus
        host = self._host
        self._covered = [
            sibling for sibling in host.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if sibling is not self and not sibling.isWindow() and not sibling.isHidden()
            and sibling.isEnabledTo(host)
        ]
        for sibling in self._covered:
            sibling.setEnabled(False)

    def _release(self) -> None:
        self._modal = False
        covered, self._covered = self._covered, []
        for sibling in covered:
            if isValid(sibling):
                sibling.setEnabled(True)
        before, self._focus_before = self._focus_before, None
        window = self.window()
        focused = window.focusWidget() if window is not None else None
        if focused is not None and focused is not self and not self.isAncestorOf(focused):
            return  # something else already took the focus on purpose
        if before is not None and isValid(before) and before.isVisible() and before.isEnabled():
            before.setFocus(Qt.FocusReason.OtherFocusReason)
        elif focused is not None:
            self._host.setFocus(Qt.FocusReason.OtherFocusReason)

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab and Shift+Tab from inside the card (Qt asks each parent in turn) go round the card's controls."""
        if not self._modal or not self.isVisible():
            return super().focusNextPrevChild(next)
        chain = self.tab_chain()
        reason = Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason
        if not chain:
            self.card.setFocus(reason)
            return True
        current = self.window().focusWidget()
        if current in chain:
            target = chain[(chain.index(current) + (1 if next else -1)) % len(chain)]
        else:
            target = chain[0] if next else chain[-1]
        target.setFocus(reason)
        return True

    def tab_chain(self) -> list[QWidget]:
        """The card's controls that Tab stops at, in the window's tab order."""
        chain: list[QWidget] = []
        widget = self.card.nextInFocusChain()
        while widget is not None and widget is not self.card and len(chain) < 10_000:
            if (self.card.isAncestorOf(widget) and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                    and widget.focusProxy() is None and widget.isVisible() and widget.isEnabled()
                    and not isinstance(widget, QScrollArea)):
                chain.append(widget)
            widget = widget.nextInFocusChain()
        return chain


class IdleOverlay(Overlay):
    """"Are you still there?" with a countdown and "I need more time". ``expired`` fires at zero."""

    more_time = Signal()
    expired = Signal()

    def __init__(self, countdown_ms: int, parent: QWidget) -> None:
        super().__init__("idle_overlay", parent)
        self._countdown_ms = countdown_ms
        self._clock = QElapsedTimer()
        self._tick = QTimer(self)
        self._tick.setInterval(min(1000, max(50, countdown_ms // 10)))
        self._tick.timeout.connect(self._update)
        self.heading = text_label("idle_heading_label", "heading")
        self.message = text_label("idle_message_label", "body")
        self.seconds_label = text_label("idle_seconds_label", "countdown")
        # For a visitor using the keypad or the speech (:meth:`set_key_hint`): Enter answers (ui/keypad_input.py).
        self.keys_label = text_label("idle_keys_label", "body")
        self.keys_label.hide()
        self.more_time_button = touch_button("more_time_button", "primary")
        self.more_time_button.clicked.connect(self._more_time)
        for widget in (self.heading, self.message, self.seconds_label, self.keys_label):
            self.card_layout.addWidget(widget)
        self.card_layout.addWidget(self.more_time_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.retranslate()

    def set_key_hint(self, shown: bool) -> None:
        """Say on the card that Enter gives more time (for a keypad or speech visitor)."""
        self.keys_label.setVisible(shown)
        self._show_seconds()

    def start(self) -> None:
        self._clock.start()
        self._tick.start()
        self._update()
        self.open()

    def stop(self) -> None:
        self._tick.stop()
        self.hide()

    def remaining_seconds(self) -> int:
        left = self._countdown_ms - (self._clock.elapsed() if self._clock.isValid() else 0)
        return max(0, math.ceil(left / 1000))

    def _update(self) -> None:
        if self._clock.isValid() and self._clock.elapsed() >= self._countdown_ms:
            self.stop()
            self.expired.emit()
            return
        self._show_seconds()

    def _show_seconds(self) -> None:
        seconds = str(self.remaining_seconds())
        self.seconds_label.setText(seconds)
        self.message.setText(fill(self.tr("To keep your information private, everything you entered will be "
                                          "cleared in %1 seconds."), seconds))
        hint = f" {self.keys_label.text()}" if not self.keys_label.isHidden() else ""
        self.card.setAccessibleDescription(self.message.text() + hint)

    def _more_time(self) -> None:
        self.stop()
        self.more_time.emit()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Are you still there?"))
        self.card.setAccessibleName(self.heading.text())  # the card holds the focus: a screen reader reads this
        set_button_text(self.more_time_button, self.tr("I need more time"))
        # Translators: "Enter" is the label on the keypad's key: keep it as the keypad shows it.
        self.keys_label.setText(self.tr("Press Enter for more time."))
        self._show_seconds()


class StartOverOverlay(Overlay):
    """"Start over?" — confirms before everything typed is cleared."""

    confirmed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__("start_over_overlay", parent)
        self.heading = text_label("start_over_heading_label", "heading")
        self.message = text_label("start_over_message_label", "body")
        self.keep_button = touch_button("keep_going_button", "secondary")
        self.confirm_button = touch_button("confirm_start_over_button", "primary")
        self.keep_button.clicked.connect(self.hide)
        self.confirm_button.clicked.connect(self._confirm)
        self.card_layout.addWidget(self.heading)
        self.card_layout.addWidget(self.message)
        self.card_layout.addWidget(self.confirm_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.card_layout.addWidget(self.keep_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.retranslate()

    def _confirm(self) -> None:
        self.hide()
        self.confirmed.emit()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Start over?"))
        self.message.setText(self.tr("Everything you entered will be cleared."))
        self.card.setAccessibleName(self.heading.text())  # the card holds the focus: a screen reader reads this
        self.card.setAccessibleDescription(self.message.text())
        set_button_text(self.confirm_button, self.tr("Yes, clear everything"))
        set_button_text(self.keep_button, self.tr("No, go back to my report"))
