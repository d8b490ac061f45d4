"""The decision dialogs over a report's detail: approve, request more information, reject, and print the receipt
again. Each only collects the officer's input (:class:`ui.officer.card_dialog.CardDialog`); the detail view calls
the core and hands any refusal back with ``show_problems``, which puts each problem beside its field."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypedDict

from PySide6.QtWidgets import QAbstractButton, QButtonGroup, QGridLayout, QPushButton, QWidget

from kiosk.translation import N_, SOURCE_LANGUAGE
from kiosk.vocabulary import RejectionReason
from ui.officer.card_dialog import CardDialog
from ui.officer.common import button, label, tr

# Officer mode's names of the rejection reasons (English, translated where shown: reason_name), looked up by the
# plain codes the core's history holds.
REASON_NAMES: dict[str, str] = {
    RejectionReason.DUPLICATE: N_("Duplicate report"),
    RejectionReason.WRONG_OFFENSE_TYPE: N_("Wrong offense type"),
    RejectionReason.OUTSIDE_CITY: N_("Outside the city"),
    RejectionReason.SUSPECT_OR_EVIDENCE: N_("Suspect or evidence exists"),
    RejectionReason.NOT_ELIGIBLE: N_("Not eligible for the kiosk"),
    RejectionReason.OTHER: N_("Other reason"),
}


def reason_name(code: str) -> str:
    """A rejection reason's name in the officer's language (the code itself for one officer mode does not know)."""
    return tr(REASON_NAMES[code]) if code in REASON_NAMES else code


class ApproveValues(TypedDict):
    nibrs_code: str
    message: str


class RequestInfoValues(TypedDict):
    question: str
    phone_note: str


class RejectValues(TypedDict):
    reason: RejectionReason | None  # None only before a reason is chosen (check() refuses that)
    duplicate_of: str | None  # the original's tracking number as typed, for a duplicate (DecisionFlow reads it)
    message: str  # the reason in the officer's words, for "other"
    next_steps: str | None


class ApproveDialog(CardDialog):
    """``number_from_server``: a department server is configured, so the official number comes from it (after the
    next sync), not from the kiosk."""

    live_check = True

    def __init__(self, parent: QWidget, *, number_from_server: bool = False) -> None:
        super().__init__("approve_dialog", N_("Approve this report"), N_("Approve"), parent)
        self.number_from_server = number_from_server
        self.nibrs_label = label("approve_nibrs_label", "", "officer_value")
        self.add_field("nibrs_code", N_("NIBRS offense code"), self.nibrs_label)
        self.message = self.add_text_field("message", "approve_message_edit", N_("Message to the file (optional)"),
                                           accessible=N_("Message (optional)"), lines=2)
        self._code = ""

    def prepare(self, tracking_number: str, code: str, title: str) -> None:
        self._code = code
        if self.number_from_server:
            self.subtitle.say(N_("%1 gets its official report number from the department server at the next sync "
                                 "(\"official number pending\" until then). The citizen is told by e-mail once it "
                                 "has come (or, without one, must be called)."), tracking_number)
        else:
            self.subtitle.say(N_("%1 gets its official report number now. The citizen is told by e-mail (or, without "
                                 "one, must be called)."), tracking_number)
        self.nibrs_label.setText(f"{code} — {title}" if title else code)
        self.message.wipe()
        self.clear_problems()

    def values(self) -> ApproveValues:
        return {"nibrs_code": self._code, "message": self.message.toPlainText().strip()}


class RequestInfoDialog(CardDialog):
    live_check = True

    def __init__(self, parent: QWidget) -> None:
        super().__init__("request_info_dialog", N_("Request more information"), N_("Send the request"),
                         parent)
        self.question = self.add_text_field(
            "question", "question_edit", N_("Question to the citizen (required)"),
            accessible=N_("Question to the citizen"), lines=4,
            hint=N_("Sent in the citizen's e-mail, and shown when they check the report at the kiosk."))
        self.phone_note = self.add_text_field(
            "phone_note", "phone_note_edit", N_("Note of a phone call (optional)"), lines=2,
            hint=N_("If you phoned the citizen: when, and what was said."))

    def prepare(self, tracking_number: str) -> None:
        self.subtitle.say(N_("Report %1 waits for the citizen's answer."), tracking_number)
        self.question.wipe()
        self.phone_note.wipe()
        self.clear_problems()

    def check(self) -> dict[str, str]:
        if not self.question.toPlainText().strip():
            return {"question": tr("Write the question to the citizen.")}
        return {}

    def values(self) -> RequestInfoValues:
        return {"question": self.question.toPlainText().strip(), "phone_note": self.phone_note.toPlainText().strip()}


class RejectDialog(CardDialog):
    """One reason from REJECT_REASONS as large choices; duplicate asks for the original's tracking number, other for
    the reason in words; "what to do next" is prefilled for the reason (in the report's language) and editable."""

    live_check = True

    def __init__(self, parent: QWidget, reasons: tuple[RejectionReason, ...],
                 next_steps: Callable[[RejectionReason, str], str]) -> None:
        super().__init__("reject_dialog", N_("Reject this report"), N_("Reject"), parent,
                         confirm_role="officer_danger")
        self._next_steps = next_steps
        self._language: str = SOURCE_LANGUAGE  # the report's language, set by prepare()
        self._prefilled = ""
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.reason_buttons: dict[str, QPushButton] = {}
        choices = QWidget()
        choices.setObjectName("reject_reasons")
        grid = QGridLayout(choices)  # two columns: the fields for the chosen reason stay in view below
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        for position, reason in enumerate(reasons):
            choice = button(f"reason_{reason}_button", REASON_NAMES.get(reason, reason), "officer_choice")
            choice.setCheckable(True)
            choice.setProperty("reason", reason)
            self.group.addButton(choice)
            grid.addWidget(choice, position // 2, position % 2)
            self.reason_buttons[reason] = choice
        self.group.buttonToggled.connect(self._reason_changed)
        self.add_field("reason", N_("Reason"), choices)
        self.duplicate_of = self.add_line_field("duplicate_of", "duplicate_of_edit",
                                                N_("Tracking number of the original report"), placeholder="T26-01-...")
        self.other_text = self.add_text_field("message", "other_reason_edit", N_("The reason, in your words"),
                                              lines=2)
        self.next_steps_edit = self.add_text_field(
            "next_steps", "next_steps_edit", N_("What the citizen should do next"), lines=4,
            hint=N_("Sent to the citizen in their language; edit it if needed."))
        self.duplicate_caption = self.caption("duplicate_of")
        self.other_caption = self.caption("message")
        self.next_steps_caption = self.caption("next_steps")
        self._show_reason_fields(None)

    def prepare(self, tracking_number: str, language: str, duplicate_hint: str = "") -> None:
        self._language = language
        self.subtitle.say(N_("Report %1. The citizen is told the reason and what to do next."), tracking_number)
        self.group.setExclusive(False)
        for choice in self.reason_buttons.values():
            choice.setChecked(False)
        self.group.setExclusive(True)
        self.duplicate_of.setText(duplicate_hint)
        self.other_text.wipe()
        self.next_steps_edit.wipe()
        self._prefilled = ""
        self._show_reason_fields(None)
        self.clear_problems()

    def reason(self) -> RejectionReason | None:
        checked = self.group.checkedButton()
        return None if checked is None else RejectionReason(checked.property("reason"))

    def choose(self, reason: RejectionReason) -> None:
        self.reason_buttons[reason].click()

    def _reason_changed(self, choice: QAbstractButton, checked: bool) -> None:
        if not checked:
            return
        reason = RejectionReason(choice.property("reason"))
        self._show_reason_fields(reason)
        current = self.next_steps_edit.toPlainText()
        if not current.strip() or current == self._prefilled:  # never overwrite what the officer wrote
            self._prefilled = self._next_steps(reason, self._language)
            self.next_steps_edit.setPlainText(self._prefilled)

    def _show_reason_fields(self, reason: RejectionReason | None) -> None:
        duplicate, other = RejectionReason.DUPLICATE, RejectionReason.OTHER
        reason_fields: tuple[tuple[QWidget, RejectionReason], ...] = (
            (self.duplicate_of, duplicate), (self.duplicate_caption, duplicate), (self.other_text, other),
            (self.other_caption, other))
        for widget, wanted in reason_fields:
            widget.setVisible(reason == wanted)
        for widget in (self.next_steps_edit, self.next_steps_caption):
            widget.setVisible(reason is not None)
        if self.isVisible():
            self.open()  # fit the card to the fields now shown
            fields: dict[RejectionReason | None, QWidget] = {duplicate: self.duplicate_of, other: self.other_text}
            shown = fields.get(reason, self.next_steps_edit)
            self.scroll_area.ensureWidgetVisible(shown, 0, 40)

    def check(self) -> dict[str, str]:
        reason = self.reason()
        if reason is None:
            return {"reason": tr("Choose the reason for rejecting the report.")}
        if reason == RejectionReason.DUPLICATE and not self.duplicate_of.text().strip():
            return {"duplicate_of": tr("Enter the tracking number of the original report.")}
        if reason == RejectionReason.OTHER and not self.other_text.toPlainText().strip():
            return {"message": tr("Write the reason for rejecting the report.")}
        return {}

    def values(self) -> RejectValues:
        reason = self.reason()
        return {
            "reason": reason,
            "duplicate_of": self.duplicate_of.text().strip() if reason == RejectionReason.DUPLICATE else None,
            "message": self.other_text.toPlainText().strip() if reason == RejectionReason.OTHER else "",
            "next_steps": self.next_steps_edit.toPlainText().strip() or None,
        }


class ReprintDialog(CardDialog):
    """Asks before a receipt is printed again: the new receipt's access code replaces the old one at once."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__("reprint_dialog", N_("Print the receipt again?"), N_("Print a new receipt"), parent)
        self.subtitle.say(N_("The receipt is printed with a new access code. The code on the citizen's old receipt "
                             "stops working at once."))
