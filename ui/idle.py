"""Idle: no touch for a while asks "Are you still there?", and a countdown after that wipes the visit.

The watchdog is an event filter on the whole application, so a touch, click or key anywhere (a dialog, the on-screen
keyboard) counts. Durations are handed in, from the configuration in the kiosk and short ones in tests.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QVBoxLayout, QWidget

from ui.i18n import fill
from ui.widgets import Translatable, set_button_text, text_label, touch_button

ACTIVITY = frozenset({
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseMove, QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate, QEvent.Type.KeyPress, QEvent.Type.Wheel, QEvent.Type.InputMethod,
    QEvent.Type.TabletPress,
})


class IdleWatchdog(QObject):
    """``timed_out`` fires after ``timeout_ms`` without any activity while running."""

    timed_out = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(timeout_ms)
        self._timer.timeout.connect(self.timed_out)
        self._app: QApplication | None = None

    def install(self, app: QApplication) -> None:
        self._app = app
        app.installEventFilter(self)
        self._timer.start()

    def uninstall(self) -> None:
        self._timer.stop()
        if self._app is not None:
            self._app.removeEventFilter(self)
            self._app = None

    def restart(self) -> None:
        self._timer.start()

    def pause(self) -> None:
        self._timer.stop()

    def is_running(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY and self._timer.isActive():
            self._timer.start()
        return False


class Overlay(Translatable, QFrame):
    """A dimmed layer over the whole window with a card in the middle; it covers (and blocks) what is below."""

    def __init__(self, name: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setProperty("role", "overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.card = QFrame()
        self.card.setObjectName(f"{name}_card")
        self.card.setProperty("role", "overlay_card")
        self.card.setMaximumWidth(900)
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
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False


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
        self.more_time_button = touch_button("more_time_button", "primary")
        self.more_time_button.clicked.connect(self._more_time)
        for widget in (self.heading, self.message, self.seconds_label):
            self.card_layout.addWidget(widget)
        self.card_layout.addWidget(self.more_time_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.retranslate()

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

    def _more_time(self) -> None:
        self.stop()
        self.more_time.emit()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Are you still there?"))
        set_button_text(self.more_time_button, self.tr("I need more time"))
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
        set_button_text(self.confirm_button, self.tr("Yes, clear everything"))
        set_button_text(self.keep_button, self.tr("No, go back to my report"))
