"""The kind of incident: four large tiles with one plain sentence each, and "None of these" (see the desk officer).

A tap on a tile moves on at once.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.messages import Problem
from kiosk.rules.report import CATEGORIES
from kiosk.vocabulary import Category
from ui.fields import ChoiceGroup
from ui.wizard.base import WizardPage
from ui.wizard.context import WizardContext
from ui.wizard.problems import ANSWER_REQUIRED
from ui.wizard.steps import set_step

NONE_OF_THESE = "none"


class CategoryPage(WizardPage):
    owned_prefixes = ("category",)

    def __init__(self, ctx: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "category", parent)
        self.tiles = ChoiceGroup("category", (*CATEGORIES, NONE_OF_THESE), columns=2, with_label=False,
                                 with_texts=True)
        self.fields["category"] = self.tiles
        self.column.addWidget(self.tiles)
        self.tiles.chosen.connect(self._chosen)
        self.retranslate()

    def retranslate(self) -> None:
        set_step(self, "category")
        self.heading.setText(self.tr("What happened?"))
        self.intro.hide()
        titles = {
            Category.VANDALISM: self.tr("Vandalism or property damage"),
            Category.LARCENY: self.tr("Theft"),
            Category.LOST_PROPERTY: self.tr("Lost property"),
            Category.IDENTITY_THEFT: self.tr("Identity theft or fraud"),
            NONE_OF_THESE: self.tr("None of these"),
        }
        sentences = {
            Category.VANDALISM: self.tr("Someone damaged or defaced something of yours, such as a car, a window or "
                                        "a fence."),
            Category.LARCENY: self.tr("Something was stolen from you and you do not know who took it."),
            Category.LOST_PROPERTY: self.tr("You lost something and want a police report of it, for example for "
                                            "insurance or a new ID."),
            Category.IDENTITY_THEFT: self.tr("Someone used your name, card or account without your permission."),
            NONE_OF_THESE: self.tr("Something else: the desk officer will help you."),
        }
        self.tiles.set_texts(None, titles, sentences=sentences)

    def summary_lines(self) -> list[str]:
        key = self.tiles.value()
        return [self.tiles.buttons[key].title_label.text()] if key else []

    def category(self) -> str | None:
        value = self.tiles.value()
        return None if value in (None, NONE_OF_THESE) else value

    def none_of_these(self) -> bool:
        return self.tiles.value() == NONE_OF_THESE

    def contribute(self, draft: dict[str, Any]) -> None:
        category = self.category()
        if category is not None:
            draft["category"] = category

    def local_problems(self) -> list[Problem]:
        if self.tiles.value() is None:
            return [Problem("category", ANSWER_REQUIRED)]
        return []

    def validatePage(self) -> bool:
        if self.none_of_these():
            self.clear_problems()
            return True
        return super().validatePage()

    def _chosen(self, _key: str) -> None:
        self.clear_problems()
        self.report_wizard().advance()
