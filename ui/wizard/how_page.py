"""How: what happened, in the visitor's own words, with questions that fit the kind of incident and a counter."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.rules.fields import clean_block
from kiosk.vocabulary import Category
from ui.fields import TextAreaField
from ui.i18n import fill
from ui.widgets import text_label
from ui.wizard.base import WizardPage
from ui.wizard.context import WizardContext
from ui.wizard.steps import set_step


class HowPage(WizardPage):
    owned_prefixes = ("incident.narrative",)

    def __init__(self, ctx: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "how", parent)
        self._category: str = Category.LARCENY
        self.narrative = TextAreaField("narrative")
        self.narrative.input.setMinimumHeight(220)
        self.counter = text_label("narrative_counter_label", "counter", centred=False)
        self.column.addWidget(self.narrative)
        self.column.addWidget(self.counter)
        self.fields["incident.narrative"] = self.narrative
        self.narrative.input.textChanged.connect(self._count)
        self.retranslate()

    def initializePage(self) -> None:
        self._set_category(self.report_wizard().category() or Category.LARCENY)

    def wipe(self) -> None:
        super().wipe()
        self._set_category(Category.LARCENY)

    def _set_category(self, category: str) -> None:
        """The prompt under the narrative asks about this kind of incident."""
        if category != self._category:
            self._category = category
            self.retranslate()

    def retranslate(self) -> None:
        set_step(self, "how")
        self.heading.setText(self.tr("Tell us what happened"))
        prompts: dict[str, str] = {
            Category.VANDALISM: self.tr("What was damaged, and how? Where was it? When did you last see it "
                                        "undamaged, and when did you notice the damage?"),
            Category.LARCENY: self.tr("Where was the item? When did you last see it? When did you notice it was "
                                      "gone? Was anything forced open or broken?"),
            Category.LOST_PROPERTY: self.tr("Where did you last have it? When did you notice it was missing? Where "
                                            "have you looked?"),
            Category.IDENTITY_THEFT: self.tr("What did you notice, and when? Which accounts or cards were used? "
                                             "Have you told your bank?"),
        }
        self.intro.setText(self.tr("In your own words, as much as you remember."))
        self.narrative.set_texts(self.tr("What happened"), prompts.get(self._category, prompts[Category.LARCENY]))
        self._count()

    def _count(self) -> None:
        rules = self.ctx.config.rules
        count = len(clean_block(self.narrative.value()))
        if count < rules.narrative_min_chars:
            text = fill(self.tr("%1 characters written; please write at least %2."), str(count),
                        str(rules.narrative_min_chars))
        else:
            text = fill(self.tr("%1 of at most %2 characters."), str(count), str(rules.narrative_max_chars))
        self.counter.setText(text)
        self.counter.setProperty("over", count > rules.narrative_max_chars)

    def summary_lines(self) -> list[str]:
        return [clean_block(self.narrative.value())]

    def contribute(self, draft: dict[str, Any]) -> None:
        draft.setdefault("incident", {})["narrative"] = self.narrative.value()
