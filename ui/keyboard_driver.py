"""A finger on the on-screen keyboard, under a real X server: taps text fields and the Qt Virtual Keyboard's own keys
with real X pointer events, and measures what the keyboard covers.

The keys are found in the keyboard's QML tree (its window is one of ``QGuiApplication.allWindows()``): every item with
the properties ``key``, ``text`` and ``displayText`` is a key; its centre, mapped to the screen, is where a finger
taps it. Taps go through ``xdotool`` (pointer moves, presses and releases on the X server, so they reach whatever
window really is on top there); without xdotool a tap is a Qt Test click on the window under the point, and
:attr:`Finger.how` says so.

Used by ``ui.keyboard_tour`` (the child process of tests/ui/test_touch_keyboard.py and test_officer_question_crash.py)
and ``ui.keyboard_screenshots``. Nothing here runs in the kiosk itself.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QGuiApplication, QWindow
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTextEdit,
    QWidget,
)

if TYPE_CHECKING:
    from PySide6.QtQuick import QQuickItem, QQuickWindow

XDOTOOL = "xdotool"
XVFB = "Xvfb"
XVFB_START_S = 15  # how long Xvfb may take to open its display
# Key items whose kind (the QML type's name) is one of these change the keyboard rather than type a character.
SHIFT_KIND, HIDE_KIND, ENTER_KIND, BACKSPACE_KIND = "ShiftKey", "HideKeyboardKey", "EnterKey", "BackspaceKey"
STABLE_ROUNDS = 4  # layout unchanged for this many looks in a row (30 ms apart): settled
TEXT_INPUTS = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox)


def wait_until(predicate: Callable[[], bool], seconds: float = 5.0) -> bool:
    """Run the event loop until ``predicate()`` holds (True) or ``seconds`` pass (False)."""
    end = time.monotonic() + seconds
    while True:
        QApplication.processEvents()
        if predicate():
            return True
        if time.monotonic() >= end:
            return False
        time.sleep(0.01)


def pause(seconds: float) -> None:
    """Let the event loop run for ``seconds``."""
    wait_until(lambda: False, seconds)


# -- the X server ----------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def virtual_display(size: tuple[int, int]) -> Iterator[str]:
    """A fresh Xvfb with one screen of ``size``; yields ``":N"`` and ends the server afterwards. Xvfb picks a free
    display number itself and writes it to a pipe (``-displayfd``), so two at once never race for one. Raises
    FileNotFoundError without Xvfb, RuntimeError when it does not start."""
    xvfb = shutil.which(XVFB)
    if xvfb is None:
        raise FileNotFoundError(f"{XVFB} is not installed (scripts/debian-packages/gui.txt)")
    width, height = size
    read_end, write_end = os.pipe()
    server = subprocess.Popen([xvfb, "-displayfd", str(write_end), "-screen", "0", f"{width}x{height}x24",
                               "-nolisten", "tcp"], pass_fds=(write_end,), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    os.close(write_end)
    try:
        ready, _, _ = select.select([read_end], [], [], XVFB_START_S)
        number = os.read(read_end, 32).decode().strip() if ready else ""
        if not number.isdigit():
            raise RuntimeError(f"Xvfb did not say which display it opened within {XVFB_START_S} s")
        yield f":{number}"
    finally:
        os.close(read_end)
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# -- geometry --------------------------------------------------------------------------------------------------------


def global_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def shown_rect(widget: QWidget) -> QRect:
    """The part of ``widget`` not clipped away by its parents (a scroll area's viewport, a smaller page), on the
    screen; empty when none of it shows."""
    if not widget.isVisible():
        return QRect()
    region = widget.visibleRegion().boundingRect()
    return QRect(widget.mapToGlobal(region.topLeft()), region.size()) if not region.isEmpty() else QRect()


def screen_rect() -> QRect:
    return QGuiApplication.primaryScreen().geometry()


def text_of(widget: QWidget) -> str:
    """What a text input (one of TEXT_INPUTS) holds."""
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QLineEdit | QAbstractSpinBox):
        return widget.text()
    raise TypeError(f"{widget.objectName()} is not a text input")


def text_inputs(scope: QWidget) -> list[QWidget]:
    """The text inputs a finger can tap in ``scope`` (visible, enabled, editable), top to bottom, left to right. The
    line edit inside a spin box or a combo box is its owner's part, not an input of its own."""
    found = []
    for widget in scope.findChildren(QWidget):
        if not isinstance(widget, TEXT_INPUTS) or not widget.isVisible() or not widget.isEnabled():
            continue
        if isinstance(widget.parentWidget(), QAbstractSpinBox | QComboBox):
            continue
        if getattr(widget, "isReadOnly", lambda: False)():
            continue
        found.append(widget)
    return sorted(found, key=lambda w: (w.mapTo(scope, QPoint(0, 0)).y(), w.mapTo(scope, QPoint(0, 0)).x()))


def scroll_into_view(widget: QWidget, margin: int = 24) -> None:
    """What a finger dragging the page does: every scroll area around ``widget`` scrolls until it is in view."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            content = parent.widget()
            if content is not None and content.isAncestorOf(widget):
                parent.ensureWidgetVisible(widget, margin, margin)
        parent = parent.parentWidget()
    QApplication.processEvents()


# -- the finger ------------------------------------------------------------------------------------------------------


class Finger:
    """Taps points on the screen: real X pointer events through xdotool, or (without xdotool) Qt Test clicks on the
    top-level window under the point, which skips the X server's idea of what is on top."""

    def __init__(self) -> None:
        self._xdotool = shutil.which(XDOTOOL)
        self.how = "xdotool" if self._xdotool else "qtest (xdotool is not installed)"

    def tap(self, point: QPoint) -> None:
        if self._xdotool is not None:
            subprocess.run([self._xdotool, "mousemove", str(point.x()), str(point.y()), "mousedown", "1",
                            "mouseup", "1"], check=True, timeout=10)
        else:
            self._qtest_tap(point)
        QApplication.processEvents()

    @staticmethod
    def _qtest_tap(point: QPoint) -> None:
        from PySide6.QtTest import QTest

        windows = [w for w in QGuiApplication.topLevelWindows() if w.isVisible() and w.geometry().contains(point)]
        keyboard = [w for w in windows if w.metaObject().className() != "QWidgetWindow"]
        target: QWindow = (keyboard or windows)[-1]
        QTest.mouseClick(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         target.mapFromGlobal(point))


# -- the keyboard ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    kind: str  # the QML type without Qt's suffix: Key, ShiftKey, BackspaceKey, SpaceKey, EnterKey, ...
    text: str  # what it types ("" for function keys)
    label: str  # what it shows
    uppercased: bool
    rect: QRect  # on the screen

    @property
    def centre(self) -> QPoint:
        return self.rect.center()

    @property
    def character(self) -> str:
        """The character a tap types now (upper case while shifted), "" for a function key."""
        if self.kind != "Key" or len(self.text) != 1:
            return ""
        return self.text.upper() if self.uppercased else self.text


def _kind(item: QQuickItem) -> str:
    name = item.metaObject().className()
    return name.split("_QML")[0]


class Keyboard:
    """The Qt Virtual Keyboard as a finger meets it."""

    def __init__(self, finger: Finger | None = None) -> None:
        self.finger = finger or Finger()
        self.method = QGuiApplication.inputMethod()

    def shown(self) -> bool:
        return self.method.isVisible() and not self.method.keyboardRectangle().isEmpty()

    def wait_shown(self, seconds: float = 5.0) -> bool:
        return wait_until(self.shown, seconds)

    def rect(self) -> QRect:
        """Where the keyboard is on the screen (empty while hidden). Qt gives it in the focus window's coordinates."""
        if not self.shown():
            return QRect()
        rect = self.method.keyboardRectangle().toAlignedRect()
        window = QGuiApplication.focusWindow()
        return rect.translated(window.mapToGlobal(QPoint(0, 0))) if window is not None else rect

    def windows(self) -> list[QQuickWindow]:
        from PySide6.QtQuick import QQuickWindow

        return [w for w in QGuiApplication.allWindows() if isinstance(w, QQuickWindow) and w.isVisible()]

    def keys(self) -> list[Key]:
        """The keys shown now (visible, enabled, of some size), found in the keyboard's QML tree."""
        found: list[Key] = []
        for window in self.windows():
            stack = list(window.contentItem().childItems())
            while stack:
                item = stack.pop()
                stack.extend(item.childItems())
                meta = item.metaObject()
                if any(meta.indexOfProperty(name) < 0 for name in ("key", "text", "displayText")):
                    continue
                if not item.isVisible() or not item.isEnabled() or item.width() < 1 or item.height() < 1:
                    continue
                top_left = item.mapToGlobal(QPointF(0, 0)).toPoint()
                rect = QRect(top_left, QPoint(top_left.x() + int(item.width()) - 1,
                                              top_left.y() + int(item.height()) - 1))
                found.append(Key(_kind(item), str(item.property("text") or ""),
                                 str(item.property("displayText") or ""), bool(item.property("uppercased")), rect))
        return sorted(found, key=lambda k: (k.rect.y(), k.rect.x()))

    def key(self, kind: str) -> Key | None:
        return next((k for k in self.keys() if k.kind == kind), None)

    def tap(self, key: Key) -> None:
        self.finger.tap(key.centre)
        pause(0.03)

    def type_keys(self, count: int) -> str:
        """Tap ``count`` character keys of the layout shown (letters, else digits, else whatever types a character;
        a different key each time) and return what they typed."""
        typed = ""
        for index in range(count):
            keys = [k for k in self.keys() if k.character]
            if not keys:
                break
            letters = [k for k in keys if k.character.isalpha()]
            digits = [k for k in keys if k.character.isdigit()]
            pool = letters or digits or keys
            key = pool[(index * 7 + 3) % len(pool)]
            self.tap(key)
            typed += key.character
        return typed

    def type_text(self, text: str) -> bool:
        """Type ``text`` (letters, spaces and the characters on the first page of the layout) key by key, with
        Shift for case. False if a character has no key."""
        for char in text:
            keys = self.keys()
            if char == " ":
                key = next((k for k in keys if k.kind == "SpaceKey"), None)
            else:
                key = next((k for k in keys if k.character == char), None)
                if key is None and char.lower() != char.upper():
                    shift = next((k for k in keys if k.kind == SHIFT_KIND), None)
                    if shift is not None:
                        self.tap(shift)
                        key = next((k for k in self.keys() if k.character == char), None)
            if key is None:
                return False
            self.tap(key)
        return True

    def press(self, kind: str) -> bool:
        """Tap the function key ``kind`` (EnterKey, HideKeyboardKey, BackspaceKey, ...); False if not shown."""
        key = self.key(kind)
        if key is None:
            return False
        self.tap(key)
        return True

    def hide(self) -> bool:
        """Close the keyboard with its own hide key; True once it is gone."""
        if not self.shown():
            return True
        self.press(HIDE_KIND)
        return wait_until(lambda: not self.shown(), 3)


def settle_layout(watched: Callable[[], object], seconds: float = 2.0) -> None:
    """Run the event loop until ``watched()`` (geometry worth waiting for) stops changing, or ``seconds`` pass."""
    last, same = watched(), 0
    end = time.monotonic() + seconds
    while same < STABLE_ROUNDS and time.monotonic() < end:
        pause(0.03)
        now = watched()
        same = same + 1 if now == last else 0
        last = now


def drag_above(widget: QWidget, keyboard: QRect, margin: int = 16) -> None:
    """What a finger dragging the page up does: the scroll area around ``widget`` scrolls (as far as it can) until
    the widget ends above the keyboard's top edge."""
    if keyboard.isEmpty():
        return
    area = widget.parentWidget()
    while area is not None and not (isinstance(area, QScrollArea) and area.widget() is not None):
        area = area.parentWidget()
    if area is None:
        return
    overlap = global_rect(widget).bottom() - (keyboard.top() - margin)
    if overlap > 0:
        bar = area.verticalScrollBar()
        bar.setValue(min(bar.maximum(), bar.value() + overlap))
        QApplication.processEvents()


def tap_point(widget: QWidget, keyboard: QRect) -> QPoint | None:
    """Where a finger can tap ``widget``: the middle of its part that shows and is not under the keyboard (None if
    too little of it is left)."""
    rect = shown_rect(widget).intersected(screen_rect())
    if not keyboard.isEmpty() and rect.intersects(keyboard):
        if rect.top() < keyboard.top():
            rect.setBottom(keyboard.top() - 1)
        else:
            return None
    if rect.height() < 8 or rect.width() < 8:
        return None
    return rect.center()


def rect_text(rect: QRect) -> str:
    return f"{rect.x()},{rect.y()} {rect.width()}x{rect.height()}"


def owner_of(widget: QWidget | None, candidates: tuple[QWidget, ...]) -> bool:
    """Whether ``widget`` is one of ``candidates`` or inside one (a text box's viewport is inside the box)."""
    while widget is not None:
        if widget in candidates:
            return True
        widget = widget.parentWidget()
    return False
