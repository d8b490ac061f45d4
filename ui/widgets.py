"""Small building blocks shared by the kiosk pages: a translatable page base, labels, touch buttons, text inputs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.forms import ENTER_KEYS, move_on

if TYPE_CHECKING:
    from PySide6.QtGui import QHideEvent, QKeyEvent, QShowEvent
    from PySide6.QtWidgets import QStyle  # its enums take ~5 ms to create: not at start-up

# The widest a column of text may grow, so lines stay short enough to read on a wide screen.
READING_WIDTH = 1040


class Translatable:
    """Mixin for widgets whose texts are set in ``retranslate()``, run again on every ``QEvent.LanguageChange``.

    Qt sends ``LanguageChange`` to every widget when a translator is installed or removed, so texts switch in place,
    mid-page, and whatever the visitor typed stays where it is.
    """

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        # A mixin: the Qt widget class after it in the method resolution order has the changeEvent passed on to.
        cast(QWidget, super()).changeEvent(event)

    def retranslate(self) -> None:
        raise NotImplementedError


class NamedByHeading:
    """Mixin for a page that takes the focus when tapped off a control: a screen reader then reads its heading. The
    page is named by its ``heading`` label while shown, again at every language change, and unnamed once put away
    (as built: a page put away is as a new one, tests/ui/test_wiped_wizard.py). Put it before the Qt widget class
    (and before :class:`Translatable`, whose new texts it reads) in the bases."""

    heading: QLabel

    def changeEvent(self, event: QEvent) -> None:
        cast(QWidget, super()).changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange and cast(QWidget, self).isVisible():
            self._name_page()

    def showEvent(self, event: QShowEvent) -> None:
        self._name_page()
        cast(QWidget, super()).showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        cast(QWidget, self).setAccessibleName("")
        cast(QWidget, super()).hideEvent(event)

    def _name_page(self) -> None:
        cast(QWidget, self).setAccessibleName(self.heading.text())


class Page(Translatable, QWidget):
    """A kiosk page. Subclasses build their widgets once and set every text in ``retranslate()``."""


def running_application() -> QApplication:
    """The running QApplication: every screen is built inside one (ui.app.ensure_application makes it)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise RuntimeError("no QApplication is running: call ui.app.ensure_application() first")
    return app


def text_label(object_name: str, role: str = "body", *, centred: bool = True) -> QLabel:
    """A word-wrapped label; ``role`` picks its look in ``kiosk.qss`` (title, heading, body, hint, error...)."""
    label = QLabel()
    label.setObjectName(object_name)
    label.setProperty("role", role)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter if centred else Qt.AlignmentFlag.AlignLeft)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
    return label


def error_label(object_name: str) -> QLabel:
    """Where a field's problem is shown, in the visitor's language; hidden while there is none."""
    label = text_label(object_name, "error", centred=False)
    label.hide()
    return label


def set_error_text(label: QLabel, text: str | None) -> None:
    label.setText(text or "")
    label.setVisible(bool(text))


def add_reading_column(layout: QBoxLayout) -> QVBoxLayout:
    """Add to ``layout`` a centred column, as wide as the screen allows up to READING_WIDTH, and return its layout.

    Labels go into the column without alignment flags so they take its full width and wrap at it; a wrapped label
    aligned inside a layout would shrink to its narrow size hint and be cut off.
    """
    column = QWidget()
    column.setMaximumWidth(READING_WIDTH)
    column.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.addStretch(1)
    row.addWidget(column, 100)
    row.addStretch(1)
    layout.addLayout(row)
    column_layout = QVBoxLayout(column)
    column_layout.setContentsMargins(0, 0, 0, 0)
    column_layout.setSpacing(0)
    return column_layout


def touch_button(object_name: str, role: str = "primary") -> QPushButton:
    """A large button for a finger; ``role`` is ``primary`` (the one main action), ``secondary``, ``language``,
    ``choice`` (one of several answers, checkable), ``step`` (a +/- stepper) or ``toggle`` (header switches)."""
    button = QPushButton()
    button.setObjectName(object_name)
    button.setProperty("role", role)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.setAutoDefault(False)
    # A tap does not move the focus (no yellow focus mark trailing the visitor's finger); Tab and switch access do.
    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    return button


def set_button_text(button: QPushButton, text: str, accessible_name: str | None = None) -> None:
    """Set what a button says and what a screen reader calls it (the same words unless told otherwise)."""
    button.setText(text)
    button.setAccessibleName(accessible_name or text.replace("&", ""))


def repolish(widget: QWidget) -> None:
    """Apply the style sheet again after a property used in a selector (``invalid``, ``role``) changed."""
    style: QStyle = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


class KioskLineEdit(QLineEdit):
    """A one-line input for a touchscreen: no right-click menu (no Copy/Paste of someone else's words).

    Inside a form (:func:`ui.forms.enter_submits`) Enter moves on to the next input, or presses the form's button on
    the last one; :meth:`set_enter_action` gives one input an Enter of its own. A box for a fixed number of digits can
    move on by itself once full (:meth:`set_moves_on_when_full`).
    """

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setDragEnabled(False)
        self._enter_action: Callable[[], None] | None = None
        self._moves_on_when_full = False
        self.textEdited.connect(self._move_on_if_full)

    def set_enter_action(self, action: Callable[[], None] | None) -> None:
        """What Enter does in this input instead of moving on (None: move on, the default)."""
        self._enter_action = action

    def set_moves_on_when_full(self, moves_on: bool) -> None:
        """Once the visitor has typed ``maxLength()`` digits (a date part, the last 4 digits of an account), the
        focus goes on to the next input of the form by itself. Never presses the form's button."""
        self._moves_on_when_full = moves_on

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Any modifier: the on-screen keyboard sends its ↵ with Shift while Shift is on (a name's first letter).
        if event.key() not in ENTER_KEYS:
            super().keyPressEvent(event)
            return
        focused = self.window().focusWidget()
        super().keyPressEvent(event)  # returnPressed, editingFinished; QLineEdit leaves the event to its parents
        if self.window().focusWidget() is not focused or not self.isVisible():
            return  # a returnPressed handler has moved the focus or closed the form: it has done what Enter does
        if self._enter_action is not None:
            event.accept()
            self._enter_action()
        elif move_on(self, submit=True):
            event.accept()

    def _move_on_if_full(self, text: str) -> None:
        if (self._moves_on_when_full and len(text) == self.maxLength() and text.isdigit()
                and self.cursorPosition() == len(text)):
            move_on(self, submit=False)

    def wipe(self) -> None:
        """Empty it and forget its undo history (``clear()`` alone could be undone)."""
        self.setText("")


class KioskTextEdit(QPlainTextEdit):
    """A multi-line input (the narrative), with the same touch and privacy rules as :class:`KioskLineEdit`. Enter
    starts a new line, as a visitor writing several lines expects; Tab moves on."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setTabChangesFocus(True)

    def wipe(self) -> None:
        self.setPlainText("")  # also clears the undo/redo history
        self.document().clearUndoRedoStacks()
