"""A big checkable button whose words wrap (a title and an optional sentence), for answers and kinds of incident.

A plain QPushButton never wraps its text, so a long Spanish or large-text label would be cut off; this one holds
word-wrapped labels in a layout and grows taller instead.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from ui.widgets import repolish

MIN_HEIGHT = 72  # px: a finger's target, whatever the words


class TileButton(QPushButton):
    """Named ``<name>_button``; its labels ``<name>_title_label`` and ``<name>_text_label``."""

    def __init__(self, name: str, role: str = "choice", *, with_text: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}_button")
        self.setProperty("role", role)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAutoDefault(False)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setCheckable(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.title_label = self._label(f"{name}_title_label", "tile_title")
        self.text_label = self._label(f"{name}_text_label", "tile_text")
        self.text_label.setVisible(with_text)
        self._box = QVBoxLayout(self)
        self._box.setContentsMargins(20, 12, 20, 12)
        self._box.setSpacing(4)
        self._box.addStretch(1)  # stretches above and below keep the words in the middle of a tile taller than them
        self._box.addWidget(self.title_label)
        self._box.addWidget(self.text_label)
        self._box.addStretch(1)
        self.toggled.connect(self._mark)

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Qt takes Tab away from every other button of a button group when one of them gets the focus (the radio
        buttons' convention: Tab enters the group once, arrow keys choose in it). The keypad's arrows move between
        controls and pages, so each answer stays a Tab stop of its own: a keyboard or keypad visitor can reach and
        change any answer (issue 21)."""
        super().focusInEvent(event)
        group = self.group()
        if group is not None:
            for button in group.buttons():
                button.setFocusPolicy(button.focusPolicy() | Qt.FocusPolicy.TabFocus)

    def _label(self, object_name: str, role: str) -> QLabel:
        label = QLabel(self)  # a label without a parent would be a window of its own the moment it is shown
        label.setObjectName(object_name)
        label.setProperty("role", role)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter if role == "tile_title" else Qt.AlignmentFlag.AlignLeft)
        label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        return label

    def set_texts(self, title: str, text: str | None = None, accessible_name: str | None = None) -> None:
        self.title_label.setText(title)
        if text is not None:
            self.text_label.setText(text)
            self.title_label.setAlignment(Qt.AlignmentFlag.AlignLeft)
        spoken = accessible_name or (f"{title}. {text}" if text else title)
        self.setAccessibleName(spoken)

    def _mark(self, checked: bool) -> None:
        # Style sheets cannot follow an ancestor's :checked state, so the labels carry it as a property.
        for label in (self.title_label, self.text_label):
            label.setProperty("selected", checked)
            repolish(label)

    def sizeHint(self) -> QSize:
        return self._box.totalSizeHint().expandedTo(QSize(0, MIN_HEIGHT))

    def minimumSizeHint(self) -> QSize:
        return self._box.totalMinimumSize().expandedTo(QSize(0, MIN_HEIGHT))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return max(MIN_HEIGHT, self._box.totalHeightForWidth(width))
