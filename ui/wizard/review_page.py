"""Review: every answer on one scrolling page, an Edit button per section, the attestation, and Submit.

Submit hands the report to the report service. A refusal shows each problem in its section; a failure to store says
to see the desk officer (the core keeps nothing half-stored and logs it).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.messages import Problem, render
from kiosk.reports import ReportRejected, StoreError
from ui.fields.tile import TileButton
from ui.widgets import error_label, set_button_text, set_error_text, text_label, touch_button
from ui.wizard.base import FieldWidget, WizardPage
from ui.wizard.context import WizardContext
from ui.wizard.page_ids import REVIEWED, PageId
from ui.wizard.problems import problem_text
from ui.wizard.steps import set_step

log = logging.getLogger(__name__)

SECTION_NAMES = {PageId.CATEGORY: "category", PageId.WHO: "who", PageId.WHEN: "when", PageId.WHERE: "where",
                 PageId.WHAT: "what", PageId.HOW: "how"}


class ReviewSection(QWidget):
    """A heading, the answers, a problem if there is one, and Edit."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"review_{name}_section")
        self.setProperty("role", "card")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.heading = text_label(f"review_{name}_heading_label", "subheading", centred=False)
        self.answers = text_label(f"review_{name}_answers_label", "body", centred=False)
        self.error = error_label(f"review_{name}_error")
        self.edit_button = touch_button(f"review_{name}_edit_button", "secondary")
        texts = QVBoxLayout()
        texts.setSpacing(6)
        texts.addWidget(self.heading)
        texts.addWidget(self.answers)
        texts.addWidget(self.error)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 14)
        layout.setSpacing(16)
        layout.addLayout(texts, 1)
        layout.addWidget(self.edit_button)

    def set_error(self, text: str | None) -> None:
        set_error_text(self.error, text)

    def focus_target(self) -> QWidget:
        return self.edit_button

    def wipe(self) -> None:
        self.answers.setText("")
        self.set_error(None)


class ReviewPage(WizardPage):
    owned_prefixes = ("attested",)
    edit_requested = Signal(int)

    def __init__(self, ctx: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "review", parent)
        self.sections: dict[PageId, ReviewSection] = {}
        for page_id in REVIEWED:
            section = ReviewSection(SECTION_NAMES[page_id])
            section.edit_button.clicked.connect(lambda _checked=False, p=page_id: self.edit_requested.emit(int(p)))
            self.sections[page_id] = section
            self.column.addWidget(section)
        self.attest_heading = text_label("attestation_heading_label", "subheading", centred=False)
        self.attestation = TileButton("attestation", "toggle", with_text=True)
        self.attest_error = error_label("attestation_error")
        self.store_error = error_label("store_error")
        self.store_error.setProperty("role", "alert")
        self.attestation.toggled.connect(lambda _checked: self._attestation_changed())
        self.column.addWidget(self.attest_heading)
        self.column.addWidget(self.attest_error)  # above the tile: seen when the tile is scrolled into view
        self.column.addWidget(self.attestation)
        self.column.addWidget(self.store_error)
        self.fields["attested"] = _Attestation(self)
        self.setCommitPage(True)
        self.retranslate()

    def initializePage(self) -> None:
        self._fill_sections()
        self.set_store_error(None)
        # Answers changed on an edited page can break another page's rule (a new category, the items): say where.
        draft = self.report_wizard().draft()
        draft["attested"] = True
        self.show_problems([p for p in self.ctx.reports.validate(draft) if p.field != "attested"], focus=False)
        self.holder.scroll_to_top()

    def cleanupPage(self) -> None:
        self.set_store_error(None)

    def _fill_sections(self) -> None:
        wizard = self.report_wizard()
        for page_id, section in self.sections.items():
            section.answers.setText("\n".join(wizard.page(page_id).summary_lines()))

    # -- problems in sections -------------------------------------------------------------------------------------

    def widget_for(self, path: str) -> FieldWidget | None:
        if path == "attested":
            return self.fields["attested"]
        page_id = self.report_wizard().page_id_for(path)
        return self.sections.get(page_id) if page_id is not None else None

    def _all_field_widgets(self) -> list[FieldWidget]:
        return [self.fields["attested"], *self.sections.values()]

    def _render_problems(self) -> None:
        language = self.ctx.language
        for section in self.sections.values():
            section.set_error(None)
        texts: dict[int, list[str]] = {}
        attest: str | None = None
        for problem in self._problems:
            if problem.field == "attested":
                attest = attest or problem_text(problem, language)
                continue
            target = self.widget_for(problem.field)
            if target is not None:
                texts.setdefault(id(target), []).append(problem_text(problem, language))
        for section in self.sections.values():
            found = texts.get(id(section))
            if found:
                section.set_error(self.tr("Please correct this part (tap Edit):") + "\n" + "\n".join(
                    dict.fromkeys(found)))
        set_error_text(self.attest_error, attest)

    # -- submitting -----------------------------------------------------------------------------------------------

    def contribute(self, draft: dict[str, Any]) -> None:
        draft["attested"] = self.attestation.isChecked()

    def validatePage(self) -> bool:
        wizard = self.report_wizard()
        draft = wizard.draft()
        self.set_store_error(None)
        try:
            receipt = self.ctx.reports.submit(draft)
        except ReportRejected as rejected:
            log.info("the report was refused: %d problem(s)", len(rejected.problems))
            self.show_problems(rejected.problems)
            return False
        except StoreError:
            log.error("the report could not be stored; the visitor is sent to the desk officer")
            self.set_store_error(Problem("", "store.failed"))
            self.focus_widget(self.store_error)
            return False
        wizard.receipt = receipt
        return True

    def set_store_error(self, problem: Problem | None) -> None:
        self._store_problem = problem
        text = render(problem, self.ctx.language) if problem is not None else None
        set_error_text(self.store_error, text)

    def _attestation_changed(self) -> None:
        if self.attestation.isChecked():
            set_error_text(self.attest_error, None)

    # -- texts ----------------------------------------------------------------------------------------------------

    def retranslate(self) -> None:
        set_step(self, "review")
        self.heading.setText(self.tr("Check your report"))
        self.intro.setText(self.tr("Tap Edit to change a part. Nothing is sent until you tap Submit report."))
        headings = {
            PageId.CATEGORY: self.tr("What happened"), PageId.WHO: self.tr("About you"),
            PageId.WHEN: self.tr("When"), PageId.WHERE: self.tr("Where"), PageId.WHAT: self.tr("Items"),
            PageId.HOW: self.tr("In your words"),
        }
        for page_id, section in self.sections.items():
            section.heading.setText(headings[page_id])
            set_button_text(section.edit_button, self.tr("Edit"),
                            self.tr("Edit: %1").replace("%1", headings[page_id]))
        self.attest_heading.setText(self.tr("Your statement"))
        self.attestation.set_texts(
            self.tr("I confirm that this report is true"),
            self.tr("Making a false report to the police is a crime. Under Connecticut law (General Statutes "
                    "§53a-157b and §53a-180c), a person who knowingly makes a false statement or a false report "
                    "can be punished."),
        )
        if self.wizard() is not None and self.report_wizard().currentId() == PageId.REVIEW:
            self._fill_sections()
        if getattr(self, "_store_problem", None) is not None:
            self.set_store_error(self._store_problem)

    def wipe(self) -> None:
        super().wipe()  # the attestation unticked, its problem gone
        for section in self.sections.values():
            section.wipe()
        self.set_store_error(None)


class _Attestation:
    def __init__(self, page: ReviewPage) -> None:
        self._page = page

    def set_error(self, text: str | None) -> None:
        set_error_text(self._page.attest_error, text)

    def focus_target(self) -> QWidget:
        return self._page.attestation
