"""Turning the core's problems into words next to a field, in the visitor's language.

The core's messages (``kiosk.messages.render``) are used as they are, except where the kiosk's widget makes a core
wording confusing (the core speaks of ``YYYY-MM-DD``; the kiosk shows three boxes). A few problems only the screen
can have (a question not answered yet) use codes starting with ``ui.``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from kiosk.messages import Problem, render

ANSWER_REQUIRED = "ui.answer_required"
ITEM_NOT_SAVED = "ui.item_not_saved"
ITEM_NEEDS_FIXING = "ui.item_needs_fixing"


def problem_text(problem: Problem, language: str) -> str:
    if problem.code == ANSWER_REQUIRED:
        return QCoreApplication.translate("Problems", "Please choose one answer.")
    if problem.code == ITEM_NOT_SAVED:
        return QCoreApplication.translate("Problems", "Save this item, or tap Cancel, before going on.")
    if problem.code == ITEM_NEEDS_FIXING:
        return QCoreApplication.translate("Problems", "This item needs a correction: tap Edit.")
    if problem.field == "reporter.date_of_birth" and problem.code == "date.format":
        return QCoreApplication.translate(
            "Problems", "Enter your date of birth in numbers: month, day and the year with 4 digits, for example "
            "04 25 1980.")
    if problem.field.startswith("incident.occurred_") and problem.code == "shape.required":
        return QCoreApplication.translate("Problems", "Choose a day and time.")
    return render(problem, language)
