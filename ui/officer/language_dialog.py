"""**Language** in officer mode's top bar: the officer chooses the language of their own screens, each offered by its
own name ("English", "Español"), the current one chosen. The choice is kept with the officer's account
(``OfficerService.set_language``, called by officer mode on ``submitted``), so the next login shows the officer's
screens in it too. It is about the officer's screens only: the citizen's e-mails stay in the report's language."""

from __future__ import annotations

from typing import TypedDict

from PySide6.QtWidgets import QButtonGroup, QGridLayout, QPushButton, QWidget

from kiosk.translation import N_, Catalogues
from ui.officer.card_dialog import CardDialog
from ui.officer.common import button, tr


class LanguageValues(TypedDict):
    language: str


class LanguageDialog(CardDialog):
    """One large choice per language in ``languages`` (codes), named as ``catalogues`` name them."""

    def __init__(self, parent: QWidget, languages: tuple[str, ...], catalogues: Catalogues) -> None:
        super().__init__("language_dialog", N_("The language of your screens"), N_("Use this language"), parent)
        self.subtitle.say(N_("Officer mode is shown in this language whenever you log in. E-mails to citizens stay "
                             "in the language of their report."))
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.language_buttons: dict[str, QPushButton] = {}
        choices = QWidget()
        choices.setObjectName("language_choices")
        grid = QGridLayout(choices)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        for position, code in enumerate(languages):
            # Each language by its own name, whatever the language shown now: the officer finds their own.
            choice = button(f"language_{code.lower()}_button", "", "officer_choice", accessible="")
            choice.setText(catalogues.get(code).own_name)
            choice.setAccessibleName(catalogues.get(code).own_name)
            choice.setCheckable(True)
            choice.setProperty("language", code)
            self.group.addButton(choice)
            grid.addWidget(choice, position // 2, position % 2)
            self.language_buttons[code] = choice
        self.add_field("language", N_("Language"), choices)

    def prepare(self, current: str) -> None:
        for code, choice in self.language_buttons.items():
            choice.setChecked(code == current)
        self.clear_problems()

    def choose(self, code: str) -> None:
        self.language_buttons[code].click()

    def chosen(self) -> str | None:
        checked = self.group.checkedButton()
        return None if checked is None else str(checked.property("language"))

    def check(self) -> dict[str, str]:
        return {} if self.chosen() else {"language": tr("Choose a language.")}

    def values(self) -> LanguageValues:
        return {"language": self.chosen() or ""}
