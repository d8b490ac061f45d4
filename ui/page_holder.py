"""A scroll area for one kiosk page: it scrolls only when a small screen cannot hold the whole page.

QScrollArea sizes its widget from the widget's minimum size hint, which for word-wrapped text is measured at the
narrowest width (many short lines): far taller than the page really is, so a scroll bar would show on a screen that
holds the page easily. This holder sets the page's minimum height from its height at the width it actually gets.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QScroller, QWidget

TOUCH_SCROLL_DELAY_MS = 250


class PageHolder(QScrollArea):
    def __init__(self, page: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{page.objectName()}_scroll_area")
        # See-through (resources/style/kiosk.qss): the window's one background shows behind every page.
        self.setProperty("role", "page_holder")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop of its own: the page's controls are
        self.setWidget(page)
        self._page = page
        # A finger drag on a touchscreen scrolls; mouse clicks are left alone. Set up a moment later: the first
        # QScroller costs ~25 ms, which the welcome page's first paint should not wait for.
        QTimer.singleShot(TOUCH_SCROLL_DELAY_MS, self, self._grab_touch)
        # Texts change (another language, new content): the page asks for a new layout; fit it again then.
        page.installEventFilter(self)

    def _grab_touch(self) -> None:
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.TouchGesture)

    def page(self) -> QWidget:
        return self._page

    def scroll_to_top(self) -> None:
        self.verticalScrollBar().setValue(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self._fit_page()
        return super().eventFilter(watched, event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._fit_page()
        super().resizeEvent(event)

    def _fit_page(self) -> None:
        page = self.widget()
        if page is None or not page.hasHeightForWidth():
            return
        width = self.width()
        needed = page.heightForWidth(width)
        if needed > self.height():
            # It will scroll: the scroll bar takes some width, so the text wraps a little more.
            needed = page.heightForWidth(width - self.verticalScrollBar().sizeHint().width())
        if needed > 0 and page.minimumHeight() != needed:
            page.setMinimumHeight(needed)
