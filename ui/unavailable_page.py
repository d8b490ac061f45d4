"""Shown after Start until the reporting wizard exists: says plainly that reports cannot be taken here yet."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.config import Config
from ui.i18n import fill
from ui.widgets import Page, add_reading_column, set_button_text, text_label, touch_button


class UnavailablePage(Page):
    """Points the visitor to the desk officer and the non-emergency number; ``back_requested`` on Back."""

    back_requested = Signal()

    def __init__(self, config: Config, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unavailable_page")
        self._department = config.department

        self.heading_label = text_label("unavailable_heading_label", "heading")
        self.message_label = text_label("unavailable_message_label", "body")
        self.back_button = touch_button("back_button", "secondary")
        self.back_button.clicked.connect(self.back_requested)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.setSpacing(0)
        layout.addStretch(1)
        column = add_reading_column(layout)
        column.addWidget(self.heading_label)
        column.addSpacing(24)
        column.addWidget(self.message_label)
        column.addSpacing(48)
        column.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading_label.setText(self.tr("Sorry"))
        self.message_label.setText(
            fill(
                self.tr("Reporting at this kiosk is not available yet. Please see the desk officer or call %1."),
                self._department.non_emergency_phone,
            )
        )
        set_button_text(self.back_button, self.tr("Back"), self.tr("Back to the welcome page"))
