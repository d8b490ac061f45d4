"""The hidden officer gesture: a long press (3 s) on the department's name. Ctrl+Alt+O is wired in the window."""

from __future__ import annotations

import logging
from typing import cast

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

PRESS = (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin)
RELEASE = (QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel, QEvent.Type.Leave,
           QEvent.Type.Hide)


class LongPress(QObject):
    """Emits ``held`` when a widget it watches is pressed for ``hold_ms`` without being let go."""

    held = Signal()

    def __init__(self, hold_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(hold_ms)
        self._timer.timeout.connect(self._fire)

    def watch(self, widget: QWidget) -> None:
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in PRESS:
            self._timer.start()
        elif kind in RELEASE:
            self._timer.stop()
        return False

    def _fire(self) -> None:
        log.info("officer gesture: long press")
        self.held.emit()


class OfficerShortcut(QObject):
    """Ctrl+Alt+O anywhere in the application (an event filter, so it works whichever widget has the focus and even
    when the window manager never made the kiosk window active)."""

    pressed = Signal()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        key_event = cast(QKeyEvent, event)  # Qt sends every KeyPress as a QKeyEvent
        wanted = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        if key_event.isAutoRepeat() or key_event.key() != Qt.Key.Key_O or (key_event.modifiers() & wanted) != wanted:
            return False
        log.info("officer gesture: Ctrl+Alt+O")
        self.pressed.emit()
        return True
