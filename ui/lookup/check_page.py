"""Check a report, first page: the tracking number and the access code from the receipt, Check and Back.

A USB scanner reading the receipt's QR code types its payload and Enter into whichever field has the focus
(kiosk.vocabulary.read_scanned_receipt, docs/lookup.md); the page recognises it in either field:

- ``P2C:<tracking number>:<access code>`` (a receipt printed without a status page): each number goes in its own
  field and the page checks at once;
- the status page's link ``<status_page_url>?t=<tracking number>``: the tracking number goes in its field, the access
  code field is emptied and takes the focus (the link never holds the code), and the page waits for it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from kiosk.vocabulary import read_scanned_receipt
from ui.fields import TextField
from ui.forms import enter_submits, focus_input
from ui.lookup.base import LookupPage
from ui.widgets import set_button_text, touch_button

# Room for a scanned receipt code in either field (a P2C: code is about 30 characters, a status page link about 50
# plus the department's address).
MAX_TYPED = 256
CODE_HINTS = Qt.InputMethodHint.ImhPreferUppercase | Qt.InputMethodHint.ImhNoPredictiveText


class CheckPage(LookupPage):
    """``check_requested`` fires on Check (or Enter in the access code, or a scanned receipt code);
    ``back_requested`` on Back."""

    check_requested = Signal()
    back_requested = Signal()

    def __init__(self, language: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__("check_report", language, parent)
        self.tracking = TextField("tracking_number", max_length=MAX_TYPED, hints=CODE_HINTS)
        self.access_code = TextField("access_code", max_length=MAX_TYPED, hints=CODE_HINTS)
        self.fields = {"tracking_number": self.tracking, "access_code": self.access_code}
        self.column.addSpacing(8)
        self.column.addWidget(self.tracking)
        self.column.addWidget(self.access_code)

        self.back_button = touch_button("check_report_back_button", "secondary")
        self.check_button = touch_button("check_report_check_button", "primary")
        self.add_buttons(self.back_button, self.check_button)
        self.back_button.clicked.connect(self.back_requested)
        self.check_button.clicked.connect(self.check_requested)
        # Enter in the access code (the last input) presses Check, which reads a scanned receipt code too; Enter in
        # the tracking number checks at once after a scan, else moves on.
        enter_submits(self, self.check_button)
        self.tracking.input.set_enter_action(self._enter_in_tracking)
        self.access_code.input.set_enter_action(self._enter_in_code)
        self.retranslate()

    def values(self) -> tuple[str, str]:
        """The tracking number and access code as typed (a scanned receipt code is split first)."""
        self.take_scanned_code()
        return self.tracking.value(), self.access_code.value()

    def take_scanned_code(self) -> bool:
        """If either field holds a scanned receipt code, put what it holds into the fields: both numbers from a
        ``P2C:`` code; from a status page link the tracking number, with the access code field emptied and focused.
        True when there is something to check now (a ``P2C:`` code)."""
        for field in (self.tracking, self.access_code):
            scanned = read_scanned_receipt(field.value())
            if scanned is None:
                continue
            tracking, code = scanned
            self.tracking.set_value(tracking)
            self.access_code.set_value(code or "")
            if code is None:
                focus_input(self.access_code.input)
            return code is not None
        return False

    def _scanned_link(self) -> bool:
        """Whether either field holds a status page link (the scan is then not a check: the code is still to come)."""
        return any((found := read_scanned_receipt(field.value())) is not None and found[1] is None
                   for field in (self.tracking, self.access_code))

    def _enter_in_tracking(self) -> None:
        if self._scanned_link():
            self.take_scanned_code()
        elif self.take_scanned_code() or self.access_code.value():
            self.check_requested.emit()
        else:
            focus_input(self.access_code.input)

    def _enter_in_code(self) -> None:
        if self._scanned_link():
            self.take_scanned_code()
        elif self.check_button.isVisible() and self.check_button.isEnabled():
            self.check_button.click()  # what Enter in the form's last input does (ui.forms.enter_submits)

    def focus_first(self) -> None:
        self.tracking.input.setFocus(Qt.FocusReason.OtherFocusReason)

    def wipe(self) -> None:
        self.tracking.wipe()
        self.access_code.wipe()
        self.clear_problems()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Check a report"))
        self.intro.setText(self.tr("Type the two numbers printed on your receipt. Or hold the square code on your "
                                   "receipt under the scanner."))
        self.tracking.set_texts(self.tr("Tracking number"), self.tr("It starts with T, for example T26-01-00042-1."))
        self.access_code.set_texts(self.tr("Access code"), self.tr("8 letters and digits, for example K7QM-2XHD."))
        set_button_text(self.back_button, self.tr("Back"), self.tr("Back to the start"))
        set_button_text(self.check_button, self.tr("Check"), self.tr("Check the report"))
        self.render_problems()
