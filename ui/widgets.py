"""Small building blocks shared by the kiosk pages: a translatable page base, labels and touch buttons."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

# The widest a column of text may grow, so lines stay short enough to read on a wide screen.
READING_WIDTH = 1040


class Page(QWidget):
    """A kiosk page. Subclasses build their widgets once and set every text in ``retranslate()``.

    ``retranslate()`` runs again whenever the language changes (Qt sends ``QEvent.LanguageChange`` to every widget
    when a translator is installed or removed), so texts switch in place, mid-page.
    """

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        raise NotImplementedError


def text_label(object_name: str, role: str = "body") -> QLabel:
    """A word-wrapped, centred label; ``role`` picks its look in ``kiosk.qss`` (title, notice, body, ...)."""
    label = QLabel()
    label.setObjectName(object_name)
    label.setProperty("role", role)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
    return label


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
    """A large button for a finger; ``role`` is ``primary`` (the one main action), ``secondary`` or ``language``."""
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
    button.setAccessibleName(accessible_name or text)
