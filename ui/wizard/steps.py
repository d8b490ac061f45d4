"""The "Step 2 of 7" line at the top of each main page, so a visitor knows how far there is to go."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from ui.i18n import fill

if TYPE_CHECKING:
    from ui.wizard.base import WizardPage

STEPS = ("category", "who", "when", "where", "what", "how", "review")


def set_step(page: WizardPage, name: str) -> None:
    text = QCoreApplication.translate("Steps", "Step %1 of %2")
    page.step_label.setText(fill(text, str(STEPS.index(name) + 1), str(len(STEPS))))
