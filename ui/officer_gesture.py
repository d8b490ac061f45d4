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


def is_officer_keys(event: QKeyEvent) -> bool:
    """Whether a key press is Ctrl+Alt+O (pressed now, not repeated by a held key)."""
    wanted = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    return not event.isAutoRepeat() and event.key() == Qt.Key.Key_O and (event.modifiers() & wanted) == wanted


class OfficerShortcut(QObject):
    """Ctrl+Alt+O in any of the kiosk's windows: a part of the window's input watch (ui/input_watch.py), a filter on
    the windows where keys come in, so it works whichever widget has the focus and even when the window manager never
    made the kiosk window active. It takes the key: no widget sees it after. (The kiosk window also answers
    Ctrl+Alt+O sent straight to it, without its window: :meth:`ui.shell.KioskWindow.keyPressEvent`.)"""

    pressed = Signal()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        if not is_officer_keys(cast(QKeyEvent, event)):  # Qt sends every KeyPress as a QKeyEvent
            return False
        self.press()
        return True

    def press(self) -> None:
        log.info("officer gesture: Ctrl+Alt+O")
        self.pressed.emit()
