"""The "Step 2 of 7" line at the top of each main page, so a visitor knows how far there is to go."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from ui.i18n import fill

STEPS = ("category", "who", "when", "where", "what", "how", "review")


def set_step(page, name: str) -> None:  # type: ignore[no-untyped-def]
    text = QCoreApplication.translate("Steps", "Step %1 of %2")
    page.step_label.setText(fill(text, str(STEPS.index(name) + 1), str(len(STEPS))))
