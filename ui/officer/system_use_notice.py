"""The system-use notice (CJIS Security Policy AC-8) shown before every officer login, with Accept and Cancel. It
scrolls, whole, when the screen cannot hold its text (a long language on a small screen), instead of cutting it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.translation import N_
from ui.officer.common import button, label
from ui.page_holder import PageHolder

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
        content = QWidget()
        content.setObjectName("system_use_notice_content")
        outer = QVBoxLayout(content)
        outer.setContentsMargins(32, 24, 32, 24)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(PageHolder(content))
        self.accept_button.setFocus(Qt.FocusReason.OtherFocusReason)
        # The card's layout may give the wrapped text less height than it needs at its width (and the title more):
        # the text asks for its whole height at the width it gets, whenever that width or the text changes.
        self._card = card
        card.installEventFilter(self)
        self.text.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.text and event.type() == QEvent.Type.Resize) or (
                watched is self._card and event.type() == QEvent.Type.LayoutRequest):
            needed = self.text.heightForWidth(self.text.width())
            if needed > 0 and self.text.minimumHeight() != needed:
                self.text.setMinimumHeight(needed)
        return False
