"""The system-use notice (CJIS Security Policy AC-8) shown before every officer login, with Accept and Cancel."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.translation import N_
from ui.officer.common import button, label

NOTICE_TITLE = N_("Restricted law-enforcement information system")
NOTICE_TEXT = N_(
    "You are accessing a restricted law-enforcement information system of the %1. It is provided only "
    "for authorized official use by sworn officers and authorized department staff.\n\n"
    "Usage of this system may be monitored, recorded and audited. Every login, every report opened, every "
    "decision and every print is written to a permanent audit log. Information in this system may be disclosed "
    "to authorized personnel and to law enforcement for official purposes.\n\n"
    "Unauthorized use of this system, or use beyond your authorization, is prohibited and is subject to criminal "
    "and civil penalties under federal and state law.\n\n"
    "Use of this system indicates consent to monitoring and recording. If you do not agree, or are not "
    "authorized, select Cancel."
)


class SystemUseNotice(QWidget):
    """``accepted`` or ``cancelled`` fires on the buttons."""

    accepted = Signal()
    cancelled = Signal()

    def __init__(self, department: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("system_use_notice")
        card = QFrame()
        card.setObjectName("system_use_notice_card")
        card.setProperty("role", "overlay_card")
        card.setMaximumWidth(1000)
        self.title = label("notice_title_label", NOTICE_TITLE, "officer_title")
        self.text = label("notice_text_label", "", "officer_notice")
        self.text.say(NOTICE_TEXT, department)
        self.accept_button = button("accept_notice_button", N_("Accept and continue"), "officer_primary")
        self.cancel_button = button("cancel_notice_button", N_("Cancel"), "officer")
        self.accept_button.clicked.connect(self.accepted)
        self.cancel_button.clicked.connect(self.cancelled)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.accept_button)
        inside = QVBoxLayout(card)
        inside.setContentsMargins(40, 32, 40, 32)
        inside.setSpacing(20)
        inside.addWidget(self.title)
        inside.addWidget(self.text)
        inside.addLayout(buttons)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 100)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 24, 32, 24)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        self.accept_button.setFocus(Qt.FocusReason.OtherFocusReason)
