"""Check a report, second page: the report's status in plain words and, when an officer asked a question, a box to
answer it (with a character counter) and Send; after sending, a confirmation. Finish ends the visit."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, QLocale, Signal
from PySide6.QtWidgets import QWidget

from kiosk.lookup import ANSWER_MIN_CHARS, CitizenStatus, clean_answer, explain
from ui.fields import TextAreaField
from ui.forms import enter_submits
from ui.i18n import fill, qt_locale
from ui.lookup.base import LookupPage
from ui.widgets import repolish, set_button_text, text_label, touch_button


class StatusPage(LookupPage):
    """``send_requested`` fires on Send; ``finish_requested`` on Finish."""

    send_requested = Signal()
    finish_requested = Signal()

    def __init__(self, language: Callable[[], str], max_answer_chars: int, parent: QWidget | None = None) -> None:
        super().__init__("report_status", language, parent)
        self._max = max_answer_chars
        self._status: CitizenStatus | None = None
        self._answered = False
        self.tracking_label = text_label("report_status_tracking_number_label", "body", centred=False)
        self.status_label = text_label("report_status_label", "notice", centred=False)
        self.answer = TextAreaField("answer")
        self.answer.input.setFixedHeight(130)  # about three lines; the page then fits a 1280x800 screen
        self.counter = text_label("answer_counter_label", "counter", centred=False)
        self.send_button = touch_button("answer_send_button", "primary")
        self.confirmation_label = text_label("answer_sent_label", "notice", centred=False)
        self.confirmation_label.hide()
        self.fields = {"answer": self.answer}
        for widget in (self.tracking_label, self.confirmation_label, self.status_label,
                       self.answer, self.counter):
            self.column.addWidget(widget)
        self.finish_button = touch_button("report_status_finish_button", "secondary")
        self.add_buttons(self.finish_button, self.send_button)
        self.send_button.clicked.connect(self.send_requested)
        self.finish_button.clicked.connect(self.finish_requested)
        # A form with Send as its button: the answer box is multi-line (Enter is a new line there), but the on-screen
        # keyboard's room (ui/keyboard_room.py) keeps Send in sight with the box when both fit.
        enter_submits(self, self.send_button)
        self.answer.input.textChanged.connect(self._count)
        self._show_answer_box(False)
        self.retranslate()

    # -- what is shown ----------------------------------------------------------------------------------------------

    def show_status(self, status: CitizenStatus, *, answered: bool = False) -> None:
        self._status = status
        self._answered = answered
        self.clear_problems()
        if answered:
            self.answer.wipe()
        self._show_answer_box(status.can_answer and not answered)
        self.confirmation_label.setVisible(answered)
        self._show_texts()

    def answer_text(self) -> str:
        return self.answer.value()

    def wipe(self) -> None:
        self._status = None
        self._answered = False
        self.answer.wipe()
        self.clear_problems()
        self._show_answer_box(False)
        self.confirmation_label.hide()
        self._show_texts()

    def _show_answer_box(self, visible: bool) -> None:
        for widget in (self.answer, self.counter, self.send_button):
            widget.setVisible(visible)

    def _count(self) -> None:
        count = len(clean_answer(self.answer.value()))
        if count < ANSWER_MIN_CHARS:
            text = fill(self.tr("%1 characters written; please write at least %2."), str(count), str(ANSWER_MIN_CHARS))
        else:
            text = fill(self.tr("%1 of at most %2 characters."), str(count), str(self._max))
        self.counter.setText(text)
        over = count > self._max
        if bool(self.counter.property("over")) != over:
            self.counter.setProperty("over", over)
            repolish(self.counter)

    # -- language ---------------------------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Your report"))
        self.intro.hide()
        self.answer.set_texts(self.tr("Your answer"), self.tr("Answer the officer's question in your own words."))
        self.confirmation_label.setText(self.tr("Thank you. Your answer was added to your report. An officer will "
                                                "read it."))
        set_button_text(self.send_button, self.tr("Send"), self.tr("Send your answer"))
        set_button_text(self.finish_button, self.tr("Finish"), self.tr("Finish and go back to the start"))
        self._count()
        self._show_texts()
        self.render_problems()

    def _show_texts(self) -> None:
        status = self._status
        if status is None:
            for label in (self.tracking_label, self.status_label):
                label.setText("")
                label.setAccessibleName("")
            return
        language = self._language()
        day = status.submitted_at.date()
        when = qt_locale(language).toString(QDate(day.year, day.month, day.day),
                                                                QLocale.FormatType.LongFormat)
        self.tracking_label.setText(fill(self.tr("Tracking number %1, sent on %2"), status.tracking_number, when))
        self.status_label.setText(explain(status, language))
