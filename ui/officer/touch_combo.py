"""Drop-down lists (QComboBox) made for a finger: every officer-mode combo box goes through :func:`touch_combo`.

What a plain QComboBox does wrong on the kiosk's touchscreen, and what this changes:

- **Entries about 32 px high.** Each entry of the open list is now at least ``MIN_TOUCH`` (48 px) high, by the item
  delegate's size hint (a style sheet's ``::item { min-height }`` only reaches a QStyledItemDelegate's items, and
  a size hint holds whatever the style).
- **A tap outside the open list is swallowed.** Qt's popups take the press that closes them (it goes to the popup,
  which hides) and nothing passes it on: neither the offscreen nor the xcb plugin replays it, a Wayland compositor
  keeps it, and the finger's release then reaches nobody. An officer who opened the status filter to read its counts
  and then tapped a report had to tap the report twice. Now that tap closes the list *and* reaches what it landed on
  (a tap on the list's own box only closes it, as before).
- **A slow tap on the box picks the entry under the finger.** The list opens over the box, with the current entry
  under the finger, and Qt ignores the lifting finger for the double-click interval (400 ms) only: a finger that
  stays down longer lifts on an entry, which picks it and closes the list at once. Now the release of the tap that
  opened the list never picks, unless the finger slid onto an entry (press, slide, lift still chooses).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QPoint, QPointF, QSize, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget
from shiboken6 import isValid

from ui.officer.common import MIN_TOUCH


class TouchItemDelegate(QStyledItemDelegate):
    """Paints entries as a styled delegate does, each at least ``MIN_TOUCH`` high."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), max(size.height(), MIN_TOUCH))


def touch_combo(combo: QComboBox) -> QComboBox:
    """Give ``combo`` finger-sized entries and an open list that lets the tap closing it through; returns it."""
    combo.setItemDelegate(TouchItemDelegate(combo))
    _TouchList(combo)
    return combo


class _TouchList(QObject):
    """Watches one combo box and its popup (an event filter on each; a child of the combo box, so it lives as long)."""

    def __init__(self, combo: QComboBox) -> None:
        super().__init__(combo)
        self._combo = combo
        self._opening_press: QPoint | None = None  # where the tap that opened the list went down (global)
        popup = combo.view().parentWidget()  # the list's top-level frame (QComboBoxPrivateContainer)
        assert popup is not None, "a combo box's list always sits in its popup frame"
        self._popup = popup
        # Only this filter passes a closing tap on: Qt's own replay (on a platform that has one) would deliver it twice.
        self._popup.setAttribute(Qt.WidgetAttribute.WA_NoMouseReplay, True)
        combo.installEventFilter(self)
        # Installed after the popup's own filters, so they run before them.
        for watched in (self._popup, combo.view(), combo.view().viewport()):
            watched.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        # PySide6 hands a mouse press or release to a filter as the QMouseEvent it is.
        if watched is self._combo:
            if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent) and not self._popup.isVisible():
                self._opening_press = event.globalPosition().toPoint()
            return False
        if kind == QEvent.Type.Hide and watched is self._popup:
            self._opening_press = None
        elif kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            self._opening_press = None
            point = event.globalPosition().toPoint()
            if not self._popup.rect().contains(self._popup.mapFromGlobal(point)):
                return self._close_and_pass_on(point)  # Qt hands it to the list's viewport or to the list itself
        elif (kind == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent)
              and self._opening_press is not None):
            point = event.globalPosition().toPoint()
            slid = (point - self._opening_press).manhattanLength() >= QApplication.startDragDistance()
            self._opening_press = None
            return not slid  # the finger that opened the list lifted where it went down: keep the list open
        return False

    def _close_and_pass_on(self, point: QPoint) -> bool:
        """A press outside the open list: close it, and hand the tap to the widget under it on the next turn of the
        event loop (when the popup's grab is gone). Returns whether the press was taken."""
        window = self._combo.window()
        target = window.childAt(window.mapFromGlobal(point))
        if target is None or target is self._combo or self._combo.isAncestorOf(target):
            return False  # Qt closes the list without opening it again
        self._combo.hidePopup()
        QTimer.singleShot(0, lambda: _tap(target, point))
        return True


def _tap(widget: QWidget, point: QPoint) -> None:
    """A left-button press and release at global ``point`` on ``widget``, while it exists and is shown."""
    for kind, buttons in ((QEvent.Type.MouseButtonPress, Qt.MouseButton.LeftButton),
                          (QEvent.Type.MouseButtonRelease, Qt.MouseButton.NoButton)):
        if not isValid(widget) or not widget.isVisible():
            return
        local = QPointF(widget.mapFromGlobal(point))
        QApplication.sendEvent(widget, QMouseEvent(kind, local, QPointF(point), Qt.MouseButton.LeftButton, buttons,
                                                   Qt.KeyboardModifier.NoModifier))
