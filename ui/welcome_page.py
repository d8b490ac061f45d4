"""The first page a visitor sees: who runs the kiosk, the emergency number, what can be reported, Start, and
"Check a report" for a report made before; and, when the receipt printer cannot print (out of paper, jammed...), a
gentle note that the visitor will get their number on screen (:meth:`WelcomePage.set_receipts_available`, told by
ui.kiosk_services from the printer's readiness).

The languages and the text switches are in the header bar above every page.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QSizePolicy, QSpacerItem, QVBoxLayout, QWidget

from kiosk.config import Config
from ui.i18n import fill
from ui.widgets import Page, add_reading_column, set_button_text, text_label, touch_button

NOTE_ROOM = 12  # px each of the page's three big gaps gives up while the receipt note is shown


class WelcomePage(Page):
    """Built from the configuration; ``start_requested`` fires when the visitor presses Start, ``check_requested``
    on "Check a report" (shown only when the kiosk can look reports up: :meth:`set_check_available`)."""

    start_requested = Signal()
    check_requested = Signal()
    read_aloud_requested = Signal()

    def __init__(self, config: Config, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome_page")
        self._department = config.department

        self.department_label = text_label("department_name_label", "title")
        self.department_label.setText(self._department.name)
        self.emergency_label = text_label("emergency_notice_label", "emergency")
        self.heading_label = text_label("welcome_heading_label", "heading")
        self.eligible_label = text_label("eligible_incidents_label", "body")
        self.help_label = text_label("desk_help_label", "hint")
        # Shown only while no receipt can be printed: the visitor learns it before starting, not at the end.
        self.receipt_note_label = text_label("receipt_note_label", "step")
        self.receipt_note_label.hide()

        self.start_button = touch_button("start_button", "primary")
        self.start_button.clicked.connect(self.start_requested)
        self.check_button = touch_button("check_report_button", "secondary")
        self.check_button.clicked.connect(self.check_requested)
        self.check_button.hide()
        # Speech (issue 21): the kiosk reads its pages aloud from here on (ui/narrator.py); Help on a keypad does too.
        self.read_aloud_button = touch_button("read_aloud_button", "secondary")
        self.read_aloud_button.clicked.connect(self.read_aloud_requested)
        self._gaps: list[tuple[QSpacerItem, int]] = []
        self._build_layout()
        self.retranslate()

    def _gap(self, height: int) -> QSpacerItem:
        """A gap between two blocks that gives up ``NOTE_ROOM`` px while the receipt note is shown (so the page still
        fits a 1280x720 or 1024x768 screen without scrolling)."""
        gap = QSpacerItem(0, height, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self._gaps.append((gap, height))
        return gap

    def _build_layout(self) -> None:
        banner = QFrame()
        banner.setObjectName("emergency_banner")
        banner_layout = QVBoxLayout(banner)
        banner_layout.setContentsMargins(24, 12, 24, 12)
        banner_layout.addWidget(self.emergency_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 16, 32, 24)
        layout.setSpacing(0)
        layout.addStretch(1)
        column = self._column = add_reading_column(layout)
        column.addWidget(self.department_label)
        column.addSpacerItem(self._gap(20))
        column.addWidget(banner)
        column.addSpacerItem(self._gap(28))
        column.addWidget(self.heading_label)
        column.addSpacing(8)
        column.addWidget(self.eligible_label)
        column.addSpacerItem(self._gap(28))
        column.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addSpacing(20)
        # "Check a report" and "Read aloud" side by side: one row more would make the page scroll at 1280x800.
        second_row = QHBoxLayout()
        second_row.setContentsMargins(0, 0, 0, 0)
        second_row.setSpacing(24)
        second_row.addStretch(1)
        second_row.addWidget(self.check_button)
        second_row.addWidget(self.read_aloud_button)
        second_row.addStretch(1)
        column.addLayout(second_row)
        layout.addStretch(1)
        layout.addSpacing(16)
        footer = add_reading_column(layout)
        footer.addWidget(self.receipt_note_label)
        footer.addSpacing(4)
        footer.addWidget(self.help_label)

    def retranslate(self) -> None:
        self.emergency_label.setText(
            fill(self.tr("If this is an emergency, call %1"), self._department.emergency_number)
        )
        self.heading_label.setText(self.tr("Report a non-emergency incident"))
        self.eligible_label.setText(
            self.tr(
                "You can report vandalism or property damage, theft with no suspect, lost property, "
                "and identity theft or fraud."
            )
        )
        self.help_label.setText(self.tr("For anything else, please see the desk officer."))
        self.receipt_note_label.setText(
            self.tr("Receipts cannot be printed right now; you will get your number on screen.")
        )
        set_button_text(self.start_button, self.tr("Start"), self.tr("Start a report"))
        set_button_text(self.check_button, self.tr("Check a report"), self.tr("Check a report you made before"))
        # Translators: a button on the welcome page; the kiosk then reads every page aloud.
        set_button_text(self.read_aloud_button, self.tr("Read aloud"), self.tr("Read the pages aloud"))

    def set_check_available(self, available: bool) -> None:
        self.check_button.setVisible(available)

    def set_receipts_available(self, available: bool) -> None:
        """Whether a receipt can be printed now; the note shows while it cannot."""
        for gap, height in self._gaps:
            gap.changeSize(0, height if available else height - NOTE_ROOM, QSizePolicy.Policy.Minimum,
                           QSizePolicy.Policy.Fixed)
        self._column.invalidate()  # the gaps' layout: its cached height for a width is stale now
        self.receipt_note_label.setVisible(not available)
