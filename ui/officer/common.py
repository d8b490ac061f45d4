"""Small pieces shared by officer mode's screens: the style sheet, buttons, labels and an overlay card.

Officer mode is shown in the officer's own language (kept with their account), from the kiosk's catalogues. Texts
are written in English and marked where they are written (``N_("Queue")``, or ``tr()`` where one is shown at once);
:func:`tr` translates one now. The labels and buttons made here (:class:`OfficerLabel`, :class:`OfficerButton`) keep
the English text they were given (:meth:`OfficerLabel.say`) and show it again in the new language on every
``QEvent.LanguageChange``; ``setText`` gives them a text kept as it is (a name, a number). Other widgets re-apply
their texts with :func:`on_language_change`, and screens that show data (a report, the queue) build their texts
again from it. Every interactive widget gets a snake_case object name and an accessible name; touch targets stay at
least 48 px high (it is the same touchscreen).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QObject, QPoint, QRect, Qt, QTimer, Slot
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLayoutItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.messages import Problem, render
from kiosk.translation import N_, SOURCE_LANGUAGE
from kiosk.vocabulary import Category, Status
from ui.i18n import LanguageSwitcher, fill, qt_locale
from ui.idle import Overlay
from ui.theme import read_style
from ui.widgets import KioskLineEdit

# Qt's context for officer mode's texts (the catalogues ignore it: one English text has one translation).
CONTEXT = "Officer"
# Officer mode's short names, keyed by the vocabulary's members and looked up by the plain codes the core hands.
STATUS_SHORT: dict[str, str] = {
    Status.SUBMITTED: N_("Submitted"),
    Status.IN_REVIEW: N_("In review"),
    Status.NEEDS_INFO: N_("Needs info"),
    Status.APPROVED: N_("Approved"),
    Status.REJECTED: N_("Rejected"),
}
CATEGORY_NAMES: dict[str, str] = {
    Category.VANDALISM: N_("Vandalism"),
    Category.LARCENY: N_("Theft"),
    Category.LOST_PROPERTY: N_("Lost property"),
    Category.IDENTITY_THEFT: N_("Identity theft / fraud"),
}
# A value put into a translated text: as it is, or worked out again at each language change (a status's name).
Value = str | Callable[[], str]
MIN_TOUCH = 48
MIN_SCROLL_HEIGHT = 120  # an overlay's content never gets less room than this, however small the screen


def officer_style() -> str:
    """The kiosk's base sheet followed by officer mode's own rules (smaller text: officers read dense screens)."""
    return read_style("kiosk.qss") + "\n" + read_style("officer.qss")


def tr(text: str) -> str:
    """``text`` (English, marked where it is written) in the language officer mode is shown in now."""
    if not text:
        return text  # (an empty message id would be answered with the catalogue's header)
    return QCoreApplication.translate(CONTEXT, text)


def words(source: str, *values: Value) -> str:
    """``source`` translated, with ``values`` in its place markers ``%1``, ``%2``..."""
    return fill(tr(source), *(value() if callable(value) else value for value in values))


def screen_language() -> str:
    """The language the kiosk's screens are shown in now (its window's language switcher; the source language
    without a window): the core's messages (refusals, conflicts) are rendered in it too."""
    switchers = [(window.isVisible(), switcher) for window in QApplication.topLevelWidgets()
                 if (switcher := window.findChild(LanguageSwitcher)) is not None]
    for _visible, switcher in sorted(switchers, key=lambda pair: not pair[0]):
        return switcher.language
    app = QCoreApplication.instance()
    owned = app.findChild(LanguageSwitcher) if app is not None else None  # a tool's switcher, without a window
    return owned.language if owned is not None else SOURCE_LANGUAGE


class _LanguageWatch(QObject):
    """Runs ``apply`` whenever its widget gets ``QEvent.LanguageChange`` (an event filter on it, and its child)."""

    def __init__(self, widget: QWidget, apply: Callable[[], None]) -> None:
        super().__init__(widget)
        self._apply = apply
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LanguageChange:
            self._apply()
        return False


def on_language_change(widget: QWidget, apply: Callable[[], None], *, now: bool = True) -> None:
    """Set ``widget``'s texts with ``apply`` (now, unless ``now`` is False) and again at every language change."""
    _LanguageWatch(widget, apply)
    if now:
        apply()


class OfficerLabel(QLabel):
    """A label whose text, given in English with :meth:`say`, follows the language; ``setText`` keeps its text as
    it is (a name, a number, a citizen's words)."""

    def __init__(self) -> None:
        super().__init__()
        self._source: tuple[str, tuple[Value, ...]] | None = None

    def say(self, source: str, *values: Value) -> None:
        self._source = (source, values)
        QLabel.setText(self, words(source, *values))

    def setText(self, text: str) -> None:
        self._source = None
        QLabel.setText(self, text)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and self._source is not None:
            QLabel.setText(self, words(self._source[0], *self._source[1]))
        super().changeEvent(event)


class OfficerButton(QPushButton):
    """A button whose text and accessible name, given in English with :meth:`say`, follow the language (the
    accessible name is the text unless given); ``setText`` keeps a text as it is."""

    def __init__(self) -> None:
        super().__init__()
        self._source: tuple[str, tuple[Value, ...]] | None = None
        self._accessible: tuple[str, tuple[Value, ...]] | None = None

    def say(self, source: str, *values: Value, accessible: str | None = None,
            accessible_values: tuple[Value, ...] = ()) -> None:
        self._source = (source, values)
        self._accessible = (accessible, accessible_values) if accessible else None
        self._apply()

    def setText(self, text: str) -> None:
        self._source = None
        QPushButton.setText(self, text)

    def setAccessibleName(self, name: str) -> None:
        self._accessible = None
        QPushButton.setAccessibleName(self, name)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter presses the focused button, as Space does: an officer working by keyboard expects it (a plain
        # QPushButton outside a QDialog ignores Enter).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
            self.click()
            return
        super().keyPressEvent(event)

    def _apply(self) -> None:
        if self._source is not None:
            QPushButton.setText(self, words(self._source[0], *self._source[1]))
        if self._accessible is not None:
            QPushButton.setAccessibleName(self, words(self._accessible[0], *self._accessible[1]))
        elif self._source is not None:
            QPushButton.setAccessibleName(self, self.text().replace("&", ""))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._apply()
        super().changeEvent(event)


def button(object_name: str, text: str, role: str = "officer", *, accessible: str | None = None) -> OfficerButton:
    """A button with ``text`` and ``accessible`` (English, marked with ``N_`` by the caller) in the officer's
    language."""
    widget = OfficerButton()
    widget.setObjectName(object_name)
    widget.setProperty("role", role)
    widget.say(text, accessible=accessible)
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    widget.setAutoDefault(False)
    widget.setMinimumHeight(MIN_TOUCH)
    return widget


def plain_button(object_name: str, text: str, role: str = "officer", *, accessible: str) -> OfficerButton:
    """A button whose text is kept as it is (a tracking number); its accessible name (English) is translated."""
    widget = button(object_name, "", role, accessible=accessible)
    widget.setText(text)
    return widget


def label(object_name: str, text: str = "", role: str = "officer_body", *, wrap: bool = True,
          selectable: bool = False) -> OfficerLabel:
    """A label saying ``text`` (English, marked with ``N_`` by the caller) in the officer's language; a label for a
    value kept as it is is :func:`value_label`."""
    widget = OfficerLabel()
    if text:
        widget.say(text)
    widget.setObjectName(object_name)
    widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
    if selectable:
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return widget


def value_label(object_name: str, text: str, role: str = "officer_value", *, wrap: bool = True,
                selectable: bool = False) -> OfficerLabel:
    """A label showing ``text`` as it is, in every language (a name, an address, the citizen's words)."""
    widget = label(object_name, "", role, wrap=wrap, selectable=selectable)
    widget.setText(text)
    return widget


def line_edit(object_name: str, accessible: str, placeholder: str = "") -> KioskLineEdit:
    """A one-line input; ``accessible`` and ``placeholder`` (English, marked by the caller) follow the language."""
    widget = KioskLineEdit(object_name)

    def apply() -> None:
        widget.setAccessibleName(tr(accessible))
        widget.setPlaceholderText(tr(placeholder) if placeholder else "")

    on_language_change(widget, apply)
    widget.setMinimumHeight(MIN_TOUCH)
    return widget


def short_time(moment: datetime) -> str:
    """``2026-11-24 09:05`` (the caller hands a local time)."""
    return moment.strftime("%Y-%m-%d %H:%M")


def long_time(moment: datetime, *, long_day: bool = False) -> str:
    """``Tue 2026-11-24 09:05 EST`` (the weekday in the officer's language; in full with ``long_day``)."""
    form = QLocale.FormatType.LongFormat if long_day else QLocale.FormatType.ShortFormat
    day = qt_locale(screen_language()).dayName(moment.isoweekday(), form)
    return f"{day} {moment.strftime('%Y-%m-%d %H:%M %Z')}".strip()


def category_name(code: str) -> str:
    return tr(CATEGORY_NAMES[code]) if code in CATEGORY_NAMES else code


def status_name(code: str) -> str:
    return tr(STATUS_SHORT[code]) if code in STATUS_SHORT else code


def show_error_line(error: QLabel, text: str) -> None:
    """Put ``text`` on an error line (hidden when empty) and, when it is new, tell screen readers at once (Qt's
    accessibility announcement, as the citizen pages do), so an officer using Orca at a staffed desk hears it."""
    before = error.text() if error.isVisibleTo(error.parentWidget() or error) else ""
    error.setText(text)
    error.setVisible(bool(text))
    if text and text != before:
        from ui import narrator  # the module, not the name: what tests watch at the boundary

        narrator.announce(error, text)


def problem_text(problem: Problem) -> str:
    """What the core says about ``problem``, in officer mode's language."""
    return render(problem, screen_language())


class OfficerOverlay(Overlay):
    """A dimmed layer over officer mode with a card in the middle (the kiosk's overlay), its content scrolling only
    when the screen cannot hold it. Used for the decision dialogs and messages: no separate top-level window that a
    kiosk without a window manager might stack under the full-screen kiosk window.

    The card fits its content again whenever the content's size changes (an error line shown or hidden, fields shown
    for a reason) and when the on-screen keyboard comes, goes or moves (the overlay then ends above it). Fitting is
    always deferred to the event loop, one pending fit at a time: never inside the input method's own signal (fitting
    there re-entered Qt and crashed under a real display), and never for an overlay closed or deleted meanwhile.
    """

    def __init__(self, name: str, parent: QWidget, *, width: int = 980) -> None:
        self._watching_keyboard = False
        super().__init__(name, parent)
        self.card.setMaximumWidth(width)
        self.body = QWidget()
        self.body.setObjectName(f"{name}_body")
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        self.body_layout.setSpacing(12)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName(f"{name}_scroll_area")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Not a stop of its own for Tab: the focus goes to the card's controls (the area scrolls to them).
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll_area.setWidget(self.body)
        self.card_layout.setContentsMargins(32, 24, 32, 24)
        self.card_layout.addWidget(self.scroll_area, 1)
        outer = self.layout()
        assert outer is not None, "the kiosk's Overlay lays its card out in a layout of its own"
        self._outer = outer
        self._outer.setContentsMargins(24, 24, 24, 24)
        self._fitting = False
        self._fit_timer = QTimer(self)  # dies with the overlay, and a pending fit with it
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._fit_now)
        # The body's layout posts a LayoutRequest to it whenever a child is shown, hidden or changes its size hint.
        self.body.installEventFilter(self)

    # -- the on-screen keyboard -------------------------------------------------------------------------------------

    def title_text(self) -> str:
        """The card's title, which a screen reader reads when the card takes the focus on opening."""
        return ""

    def setVisible(self, visible: bool) -> None:
        if visible:
            self.card.setAccessibleName(self.title_text())
        super().setVisible(visible)
        # Only an open overlay listens to the on-screen keyboard (a global object): connected on open, disconnected
        # on close; a Qt slot, so Qt itself drops the connection if the overlay is deleted while open.
        self._watch_keyboard(self.is_open())

    def _watch_keyboard(self, on: bool) -> None:
        if on == self._watching_keyboard:
            return
        method = QGuiApplication.inputMethod()
        for signal in (method.keyboardRectangleChanged, method.visibleChanged):
            if on:
                signal.connect(self._keyboard_changed)
            else:
                signal.disconnect(self._keyboard_changed)
        self._watching_keyboard = on

    @Slot()
    def _keyboard_changed(self) -> None:
        self.schedule_fit()

    def _covered_parent(self) -> QWidget:
        """The widget this overlay covers: its parent, given when it was made."""
        parent = self.parentWidget()
        assert parent is not None, "an overlay is always made over a parent widget"
        return parent

    def _available(self) -> QRect:
        host = self._covered_parent()
        rect = host.rect()
        method = QGuiApplication.inputMethod()
        if method.isVisible() and not method.keyboardRectangle().isEmpty():
            top = int(method.keyboardRectangle().top())  # window coordinates
            rect.setBottom(min(rect.bottom(), host.mapFrom(self.window(), QPoint(0, top)).y()))
        return rect

    # -- fitting ----------------------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest and watched is getattr(self, "body", None):
            self.schedule_fit()
            return False
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize and self.isVisible():
            super().eventFilter(watched, event)
            self.schedule_fit()
            return False
        return super().eventFilter(watched, event)

    def schedule_fit(self) -> None:
        """Fit the card to its content (and above the keyboard) once the event loop is free; calls made before then
        are one fit."""
        if self.is_open():
            self._fit_timer.start()

    def _fit_now(self) -> None:
        if self._fitting or not self.is_open() or not self.isVisible():
            return
        self._fitting = True
        try:
            self._fit_card()
            focused = QApplication.focusWidget() or self.window().focusWidget()
            if focused is not None and self.body.isAncestorOf(focused):
                self.scroll_area.ensureWidgetVisible(focused, 0, 24)
        finally:
            self._fitting = False

    def open(self) -> None:
        super().open()
        self._fit_card()

    def _fit_card(self) -> None:
        # A wrapped label's minimum height under a Minimum vertical policy is its size hint, measured at a narrow
        # width (two or three lines): the body then asks for more height than its text needs at the card's width,
        # scrolls, and spreads the spare height as gaps. Preferred lets its height follow the width it gets.
        for text in self.body.findChildren(QLabel):
            policy = text.sizePolicy()  # a copy that keeps the height-for-width flag word wrap set
            if text.wordWrap() and policy.verticalPolicy() == QSizePolicy.Policy.Minimum:
                policy.setVerticalPolicy(QSizePolicy.Policy.Preferred)
                text.setSizePolicy(policy)
        available = self._available()
        self.setGeometry(available)
        self._outer.activate()  # the card's width follows the overlay's: the body's width is known from here
        width = self.scroll_area.maximumViewportSize().width()
        if width <= 0:
            width = self.card.maximumWidth() - 64
        needed = self.body.heightForWidth(width) if self.body.hasHeightForWidth() else self.body.sizeHint().height()
        needed = max(needed, self.body.minimumSizeHint().height())
        # As tall as the content needs, or as tall as the room (the screen, or above the keyboard) leaves beside the
        # title and the buttons, and the content scrolls. Set once: a passing taller height would scroll it to the top.
        chrome = self.card.sizeHint().height() - self._scroll_item().sizeHint().height()
        margins = self._outer.contentsMargins()
        room = available.height() - margins.top() - margins.bottom() - chrome
        height = max(MIN_SCROLL_HEIGHT, min(needed, room))
        if (self.scroll_area.minimumHeight(), self.scroll_area.maximumHeight()) != (height, height):
            bar = self.scroll_area.verticalScrollBar()
            position = bar.value()
            self.scroll_area.setFixedHeight(height)
            self._outer.activate()
            bar.setValue(position)

    def _scroll_item(self) -> QLayoutItem:
        item = self.card_layout.itemAt(self.card_layout.indexOf(self.scroll_area))
        assert item is not None, "the scroll area is in the card's layout from the start"
        return item

    def retranslate(self) -> None:
        """The card's labels and buttons follow the language themselves; its size follows their new texts."""
        if hasattr(self, "_fit_timer"):
            self.schedule_fit()
