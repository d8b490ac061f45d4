"""The report wizard: the pages in order, ``nextId()`` branching, the draft report, Edit from the review page.

The wizard lives inside the kiosk window (it is not a dialog of its own): Escape does not close it, and Finish
emits ``visit_finished`` instead of hiding it, so the window can wipe the visit and show the welcome page.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractButton, QWidget, QWizard

from kiosk.reports import SubmitReceipt
from kiosk.rules.shape import FORMAT
from kiosk.vocabulary import ScreeningQuestion
from ui.forms import enter_submits
from ui.widgets import Translatable, repolish
from ui.wizard.base import WizardPage
from ui.wizard.category_page import CategoryPage
from ui.wizard.context import WizardContext
from ui.wizard.done_page import DonePage
from ui.wizard.how_page import HowPage
from ui.wizard.page_ids import REFERRALS, REVIEWED, PageId
from ui.wizard.referral_page import ReferralPage
from ui.wizard.review_page import ReviewPage
from ui.wizard.screening_page import ScreeningPage
from ui.wizard.what_page import WhatPage
from ui.wizard.when_page import WhenPage
from ui.wizard.where_page import WherePage
from ui.wizard.who_page import WhoPage

log = logging.getLogger(__name__)

Button = QWizard.WizardButton
BUTTON_NAMES = {
    Button.BackButton: ("back_button", "secondary"),
    Button.NextButton: ("next_button", "primary"),
    Button.CommitButton: ("submit_button", "primary"),
    Button.FinishButton: ("finish_button", "primary"),
    Button.CustomButton1: ("start_over_button", "secondary"),
}
# The button rows. QWizard shows the buttons of the row that apply to the page (Next or Submit; no Back on the first
# question: NoBackButtonOnStartPage), so the row itself changes only on the referral and Done pages: laying it out again
# costs more than the rest of a page change.
NORMAL_LAYOUT = [Button.CustomButton1, Button.Stretch, Button.BackButton, Button.NextButton, Button.CommitButton]
REFERRAL_LAYOUT = [Button.Stretch, Button.BackButton, Button.FinishButton]
DONE_LAYOUT = [Button.Stretch, Button.FinishButton]
# Which page shows the problems of each field path (the longest matching prefix wins).
FIELD_PAGES = (
    ("screening.emergency", PageId.SCREEN_EMERGENCY),
    ("screening.in_city", PageId.SCREEN_IN_CITY),
    ("screening.suspect_or_evidence", PageId.SCREEN_SUSPECT),
    ("category", PageId.CATEGORY),
    ("reporter", PageId.WHO),
    ("incident.occurred_", PageId.WHEN),
    ("incident.location", PageId.WHERE),
    ("items", PageId.WHAT),
    ("incident.narrative", PageId.HOW),
    ("attested", PageId.REVIEW),
)


class ReportWizard(Translatable, QWizard):
    """``visit_finished`` fires on Finish (done or referral page) and when the done page times out."""

    visit_finished = Signal()
    start_over_requested = Signal()

    def __init__(self, ctx: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("report_wizard")
        self.setWindowFlags(Qt.WindowType.Widget)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOptions(QWizard.WizardOption.NoCancelButton | QWizard.WizardOption.HaveCustomButton1
                        | QWizard.WizardOption.NoDefaultButton | QWizard.WizardOption.NoBackButtonOnStartPage)
        self._button_layout: list[QWizard.WizardButton] = []
        self.ctx = ctx
        self.receipt: SubmitReceipt | None = None
        self.return_to_review = False
        self._pages: dict[PageId, WizardPage] = {}
        # The pages whose answers the wizard itself reads (to branch, or for other pages) are kept by their type too.
        self._screening = {PageId.SCREEN_EMERGENCY: ScreeningPage(ctx, ScreeningQuestion.EMERGENCY),
                           PageId.SCREEN_IN_CITY: ScreeningPage(ctx, ScreeningQuestion.IN_CITY),
                           PageId.SCREEN_SUSPECT: ScreeningPage(ctx, ScreeningQuestion.SUSPECT_OR_EVIDENCE)}
        self._category_page = CategoryPage(ctx)
        self._who_page = WhoPage(ctx)
        for page_id, screening_page in self._screening.items():
            self._add(page_id, screening_page)
        self._add(PageId.CATEGORY, self._category_page)
        self._add(PageId.WHO, self._who_page)
        self._add(PageId.WHEN, WhenPage(ctx))
        self._add(PageId.WHERE, WherePage(ctx))
        self._add(PageId.WHAT, WhatPage(ctx))
        self._add(PageId.HOW, HowPage(ctx))
        review = ReviewPage(ctx)
        review.edit_requested.connect(lambda page_id: self.edit(PageId(page_id)))
        self._add(PageId.REVIEW, review)
        self._add(PageId.DONE, DonePage(ctx))
        for page_id in REFERRALS:
            self._add(page_id, ReferralPage(ctx, page_id))
        self.setStartId(PageId.SCREEN_EMERGENCY)
        for page in self._pages.values():  # dates and the on-screen keyboard in the language chosen so far
            page.set_input_language(ctx.language)
        for which, (name, role) in BUTTON_NAMES.items():
            button = self.button(which)
            button.setObjectName(name)
            button.setProperty("role", role)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            repolish(button)
        self.customButtonClicked.connect(self._custom_button)
        enter_submits(self, self.button(Button.NextButton))  # Enter in a page's last input: Next
        # Runs after QWizard's own handler of the same click has moved to the next page.
        self.button(Button.NextButton).clicked.connect(self._continue_to_review)
        self.currentIdChanged.connect(self._page_changed)
        self.retranslate()
        self._buttons_after_pages()

    def _buttons_after_pages(self) -> None:
        """Tab reads a page before its bar of buttons (issue 21: focus order = reading order). QWizard makes its
        buttons before any page, so they would come first: they are moved after the pages' last control, in the order
        they stand in the bar."""
        last: QWidget | None = None
        widget = self.nextInFocusChain()
        while widget is not None and widget is not self and self.isAncestorOf(widget):
            if (widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                    and any(page.isAncestorOf(widget) for page in self._pages.values())):
                last = widget
            widget = widget.nextInFocusChain()
        if last is None:
            return
        for which in (Button.CustomButton1, Button.BackButton, Button.NextButton, Button.CommitButton,
                      Button.FinishButton):
            button = self.button(which)
            QWidget.setTabOrder(last, button)
            last = button

    def _add(self, page_id: PageId, page: WizardPage) -> None:
        self.setPage(page_id, page)
        self._pages[page_id] = page

    def page(self, page_id: int) -> Any:  # the typed page objects, not QWizardPage
        return self._pages[PageId(page_id)]

    def pages(self) -> dict[PageId, WizardPage]:
        return dict(self._pages)

    def wipe(self) -> None:
        """Forget the visit: every page wiped (:meth:`WizardPage.wipe`: inputs, answers, problems, what each page
        showed), no receipt, no way back to the review, and the first question again, as when the wizard was built.
        The kiosk window does this after every visit and keeps the wizard for the next visitor."""
        self.receipt = None
        self.return_to_review = False
        for page in self._pages.values():
            page.wipe()
        self.restart()

    # -- branching ------------------------------------------------------------------------------------------------

    def nextId(self) -> int:
        current = self.currentId()
        if current < 0:
            return -1
        page_id = PageId(current)
        screening = {
            PageId.SCREEN_EMERGENCY: (PageId.REFER_EMERGENCY, PageId.SCREEN_IN_CITY),
            PageId.SCREEN_IN_CITY: (PageId.REFER_OUTSIDE_CITY, PageId.SCREEN_SUSPECT),
            PageId.SCREEN_SUSPECT: (PageId.REFER_SUSPECT, PageId.CATEGORY),
        }
        if page_id in screening:
            refer, go_on = screening[page_id]
            page = self._screening[page_id]
            answered_wrong = page.answer.value() is not None and not page.passes()
            return refer if answered_wrong else go_on
        if page_id == PageId.CATEGORY and self._category_page.none_of_these():
            return PageId.REFER_OTHER
        if page_id in REVIEWED:
            return page_id + 1
        if page_id == PageId.REVIEW:
            return PageId.DONE
        return -1

    def advance(self) -> None:
        """Next, as the Next button does it (pages whose answer is a tap call this)."""
        self.next()
        self._continue_to_review()

    def _continue_to_review(self) -> None:
        """After an Edit from the review page, Next goes on through the pages already answered (each checked again,
        stopping at one that now has a problem) up to the review."""
        while self.return_to_review and self.currentId() in REVIEWED:
            before = self.currentId()
            self.next()
            if self.currentId() == before:
                break

    def edit(self, page_id: PageId) -> None:
        """From the review page, go back to ``page_id``; its Next then returns to the review."""
        if page_id not in self.visitedIds():
            log.warning("cannot edit page %s: not visited", page_id.name)
            return
        while self.currentId() != page_id:
            self.back()
        self.return_to_review = True
        self._update_buttons()
        self._pages[page_id].focus_first_field()

    # -- the draft ------------------------------------------------------------------------------------------------

    def draft(self) -> dict[str, Any]:
        """The report as the visitor has answered it so far, in the p2c-report/1 format (plain data)."""
        draft: dict[str, Any] = {"format": FORMAT, "language": self.ctx.language,
                                 "screening": {}, "attested": False}
        for page in self._pages.values():
            page.contribute(draft)
        draft.setdefault("items", [])
        return draft

    def category(self) -> str | None:
        return self._category_page.category()

    def home_address(self) -> dict[str, str]:
        return self._who_page.home_address()

    def page_id_for(self, path: str) -> PageId | None:
        best: tuple[int, PageId] | None = None
        for prefix, page_id in FIELD_PAGES:
            if path.startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), page_id)
        return best[1] if best else None

    # -- buttons --------------------------------------------------------------------------------------------------

    def _page_changed(self, page_id: int) -> None:
        if page_id == PageId.REVIEW:
            self.return_to_review = False
        self._update_buttons()
        page = self.currentPage()
        if page is not None and self.isVisible():
            # The page itself holds the focus, so no button wears the yellow focus mark after a tap; Tab moves on.
            # Not while the wizard is hidden (built ahead for the next visitor): that would take the keys from the
            # screen shown, officer mode's included. The window gives the page the focus when it shows the wizard.
            page.setFocus(Qt.FocusReason.OtherFocusReason)
        log.info("wizard page: %s", PageId(page_id).name if page_id >= 0 else "none")

    def _update_buttons(self) -> None:
        current = self.currentId()
        if current in REFERRALS:
            layout = REFERRAL_LAYOUT
        elif current == PageId.DONE:
            layout = DONE_LAYOUT
        else:
            layout = NORMAL_LAYOUT
        if layout != self._button_layout:
            self._button_layout = layout
            # Laying the buttons out again hands the focus to the window's first control (the header's "Larger text"
            # switch): keep it where it was.
            focused = self.window().focusWidget()
            self.setButtonLayout(layout)
            if (focused is not None and self.window().focusWidget() is not focused and focused.isVisible()
                    and focused.isEnabled()):
                focused.setFocus(Qt.FocusReason.OtherFocusReason)
        next_text = self.tr("Back to review") if self.return_to_review else self.tr("Next")
        self.setButtonText(Button.NextButton, next_text)
        finish = self.tr("Back to the start") if current in REFERRALS else self.tr("Finish")
        self.setButtonText(Button.FinishButton, finish)
        for which in BUTTON_NAMES:
            button: QAbstractButton = self.button(which)
            button.setAccessibleName(button.text().replace("&", ""))

    def retranslate(self) -> None:
        self.setButtonText(Button.BackButton, self.tr("Back"))
        self.setButtonText(Button.CommitButton, self.tr("Submit report"))
        self.setButtonText(Button.CustomButton1, self.tr("Start over"))
        self._update_buttons()

    def _custom_button(self, which: int) -> None:
        if int(which) == Button.CustomButton1.value:
            self.start_over_requested.emit()

    # -- never a dialog of its own ----------------------------------------------------------------------------------

    def done(self, result: int) -> None:
        """Finish (on the done page or a referral page): the window wipes the visit. The wizard never hides."""
        log.info("visit finished at %s", PageId(self.currentId()).name if self.currentId() >= 0 else "start")
        self.visit_finished.emit()

    def reject(self) -> None:
        """Escape in a windowed kiosk: ignored (a dialog would close)."""
