"""The focus ring: a thick band drawn around whichever control has the keyboard's focus, in every theme (issue 21;
WCAG 2.2 §2.4.13 Focus Appearance, and §2.4.11 Focus Not Obscured: the ring is drawn above the page, never under it).

Style sheets alone cannot make a ring that is clear on every control: a focused button's border changes from dark blue
to black (1.9:1) and its fill from white to yellow (1.4:1), both below the 3:1 that §2.4.13 asks between the focused and
the unfocused state. So the ring is drawn *outside* the control, where the unfocused pixels are the page's background:
a gap in the background's colour (so the ring never melts into a dark control's edge), then the ring itself. Black on
the white theme (19.9:1 against white, 18.0:1 against the header's and the cards' grey), yellow on high contrast
(19.6:1 against black). Large text changes sizes only, so it keeps the normal ring.

One ring per window, a child of the window raised above everything in it, follows the focus (QApplication's
``focusChanged``) and the focused control's moves (scrolling, a new layout); it is cut where a scroll area cuts the
control, so it never spills over the header. It takes no mouse or touch and no focus of its own.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QRegion
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget
from shiboken6 import isValid

RING_WIDTH = 4  # px: twice §2.4.13's minimum of 2
RING_GAP = 2  # px between the control and the ring, in the page's background colour


class RingColours:
    """The ring's and the gap's colours for one theme."""

    def __init__(self, ring: str, gap: str) -> None:
        self.ring = QColor(ring)
        self.gap = QColor(gap)


NORMAL_RING = RingColours("#0b0c0c", "#ffffff")
HIGH_CONTRAST_RING = RingColours("#ffff00", "#000000")


class FocusRing(QWidget):
    """Draws the ring around the focus widget of ``window`` (a child of it, on top)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("focus_ring")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.colours = NORMAL_RING
        self._window = window
        self._target: QWidget | None = None
        self._watched: list[QWidget] = []
        self.hide()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
            self.follow(app.focusWidget())

    def set_colours(self, colours: RingColours) -> None:
        self.colours = colours
        self.update()

    def target(self) -> QWidget | None:
        """The control the ring is around now (None when it is hidden)."""
        return self._target if self.isVisible() else None

    def ring_rect(self) -> QRect:
        """The ring's outer edge in the window's coordinates (empty when hidden)."""
        return self.geometry() if self.isVisible() else QRect()

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        self.follow(new)

    def follow(self, widget: QWidget | None) -> None:
        """Put the ring around ``widget`` (a control of this window), or hide it."""
        for watched in self._watched:
            if isValid(watched):  # a row of a list may be gone with its buttons
                watched.removeEventFilter(self)
        self._watched = []
        if (widget is None or widget is self or widget.isWindow() or widget.window() is not self._window
                or not widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
            # Only a control a visitor moves to by keys wears the ring: a page or a heading holding the focus (after a
            # tap, or for a screen reader to read) does not.
            self._target = None
            self.hide()
            return
        self._target = widget
        ancestor: QWidget | None = widget
        while ancestor is not None and ancestor is not self._window:
            ancestor.installEventFilter(self)
            self._watched.append(ancestor)
            ancestor = ancestor.parentWidget()
        self._place()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide,
                            QEvent.Type.ParentChange):
            self._place()
        elif event.type() == QEvent.Type.DeferredDelete and watched is self._target:
            self.follow(None)
        return False

    def _place(self) -> None:
        target = self._target
        if target is None or not isValid(target) or not target.isVisible() or target.window() is not self._window:
            self.hide()
            return
        margin = RING_GAP + RING_WIDTH
        top_left = target.mapTo(self._window, QPoint(0, 0))
        around = QRect(top_left, target.size()).adjusted(-margin, -margin, margin, margin)
        clip = self._window.rect()
        ancestor = target.parentWidget()
        while ancestor is not None and ancestor is not self._window:
            holder = ancestor.parentWidget()
            if isinstance(holder, QAbstractScrollArea) and holder.viewport() is ancestor:
                clip = clip.intersected(QRect(ancestor.mapTo(self._window, QPoint(0, 0)), ancestor.size()))
            ancestor = holder
        shown = around.intersected(clip)
        if shown.isEmpty():
            self.hide()
            return
        self.setGeometry(around)
        # Only the band is the ring's: the control inside it paints itself, and what a scroll area hides stays hidden.
        band = QRegion(shown.translated(-around.topLeft())).subtracted(
            QRegion(QRect(QPoint(margin, margin), target.size())))
        self.setMask(band)
        self.show()
        self.raise_()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        outer = QRectF(self.rect())
        for colour, inset in ((self.colours.ring, 0), (self.colours.gap, RING_WIDTH)):
            band = QPainterPath()
            band.setFillRule(Qt.FillRule.OddEvenFill)
            band.addRect(outer.adjusted(inset, inset, -inset, -inset))
            inner = inset + (RING_WIDTH if inset == 0 else RING_GAP)
            band.addRect(outer.adjusted(inner, inner, -inner, -inner))
            painter.fillPath(band, colour)
        painter.end()
