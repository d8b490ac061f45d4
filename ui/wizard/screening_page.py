"""Screening: three Yes/No questions, one per page, that decide whether this kiosk can take the report at all.

A tap on an answer moves on at once (Next does the same after Back). A "wrong" answer leads to a referral page.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.messages import Problem
from kiosk.vocabulary import ScreeningQuestion
from ui.fields import ChoiceGroup
from ui.i18n import fill
from ui.wizard.base import WizardPage
from ui.wizard.context import WizardContext
from ui.wizard.problems import ANSWER_REQUIRED

# The questions in the order asked, and the answer to each that lets the report go on at this kiosk.
QUESTIONS = tuple(ScreeningQuestion)
GOOD_ANSWER = {ScreeningQuestion.EMERGENCY: "no", ScreeningQuestion.IN_CITY: "yes",
               ScreeningQuestion.SUSPECT_OR_EVIDENCE: "no"}


class ScreeningPage(WizardPage):
    validates = False

    def __init__(self, ctx: WizardContext, question: ScreeningQuestion, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"screening_{question}", parent)
        self.question = question
        self.number = QUESTIONS.index(question) + 1
        self.answer = ChoiceGroup(f"screening_{question}", ("yes", "no"), columns=2, with_label=False)
        self.fields[f"screening.{question}"] = self.answer
        self.column.addWidget(self.answer)
        self.answer.chosen.connect(self._answered)
        self.retranslate()

    def retranslate(self) -> None:
        city = self.ctx.config.jurisdiction.city_names[0]
        self.step_label.setText(fill(self.tr("Question %1 of %2"), str(self.number), str(len(QUESTIONS))))
        if self.question is ScreeningQuestion.EMERGENCY:
            self.heading.setText(self.tr("Is this an emergency? Is anyone hurt or in danger right now?"))
            self.intro.setText(self.tr("This kiosk is only for reports that can wait for an officer to review them."))
            spoken = {"yes": self.tr("Yes, it is an emergency"), "no": self.tr("No, it is not an emergency")}
        elif self.question is ScreeningQuestion.IN_CITY:
            self.heading.setText(fill(self.tr("Did it happen in %1?"), city))
            self.intro.setText(fill(self.tr("This kiosk takes reports of incidents that happened in %1."), city))
            spoken = {"yes": fill(self.tr("Yes, it happened in %1"), city),
                      "no": self.tr("No, it happened somewhere else")}
        else:
            self.heading.setText(self.tr("Do you know who did it? Or is there evidence, such as video, a witness or "
                                         "a suspect?"))
            self.intro.setText(self.tr("If you know who did it or there is evidence, an officer needs to take the "
                                       "report so it can be followed up."))
            spoken = {"yes": self.tr("Yes, I know who did it or there is evidence"),
                      "no": self.tr("No, I do not know who did it and there is no evidence")}
        self.answer.set_texts(None, {"yes": self.tr("Yes"), "no": self.tr("No")}, spoken)

    def value(self) -> bool | None:
        answer = self.answer.value()
        return None if answer is None else answer == "yes"

    def passes(self) -> bool:
        return self.answer.value() == GOOD_ANSWER[self.question]

    def contribute(self, draft: dict[str, Any]) -> None:
        value = self.value()
        if value is not None:
            draft.setdefault("screening", {})[self.question] = value

    def local_problems(self) -> list[Problem]:
        if self.answer.value() is None:
            return [Problem(f"screening.{self.question}", ANSWER_REQUIRED)]
        return []

    def _answered(self, _key: str) -> None:
        self.clear_problems()
        self.report_wizard().advance()
