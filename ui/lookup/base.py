"""What both look-up pages share: a scrolling reading column with a heading, problems shown next to their field in
the visitor's language (re-rendered when the language changes), and a row of buttons at the bottom."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.messages import Problem, render
from ui.fields import TextAreaField, TextField
from ui.widgets import Page, add_reading_column, error_label, set_error_text, text_label


class LookupPage(Page):
    """``language`` tells the visitor's language now (the problems are rendered in it)."""

    def __init__(self, name: str, language: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}_page")
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self._language = language
        self._problems: list[Problem] = []
        self.fields: dict[str, TextField | TextAreaField] = {}

        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 16, 32, 24)
        outer.setSpacing(0)
        self.column = add_reading_column(outer)
        self.column.setSpacing(12)
        outer.addStretch(1)
        self.heading = text_label(f"{name}_heading_label", "heading", centred=False)
        self.intro = text_label(f"{name}_intro_label", "body", centred=False)
        self.page_error = error_label(f"{name}_page_error")
        for widget in (self.heading, self.intro, self.page_error):
            self.column.addWidget(widget)

    def add_buttons(self, *buttons: QWidget) -> QHBoxLayout:
        """A row of buttons under the column's content: the first at the left, the others at the right."""
        row = QHBoxLayout()
        row.setContentsMargins(0, 24, 0, 0)
        row.setSpacing(24)
        for index, button in enumerate(buttons):
            row.addWidget(button)
            if index == 0:
                row.addStretch(1)
        self.column.addLayout(row)
        return row

    # -- problems ---------------------------------------------------------------------------------------------------

    def show_problems(self, problems: list[Problem], *, focus: bool = True) -> None:
        self._problems = list(problems)
        self.render_problems()
        if focus and problems:
            field = self.fields.get(problems[0].field)
            if field is not None:
                field.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_problems(self) -> None:
        self.show_problems([], focus=False)

    def problems(self) -> list[Problem]:
        return list(self._problems)

    def render_problems(self) -> None:
        language = self._language()
        shown: dict[str, str] = {}
        unplaced: list[str] = []
        for problem in self._problems:
            if problem.field in self.fields:
                shown.setdefault(problem.field, render(problem, language))
            else:
                unplaced.append(render(problem, language))
        for name, field in self.fields.items():
            field.set_error(shown.get(name))
        set_error_text(self.page_error, "\n".join(dict.fromkeys(unplaced)) or None)
