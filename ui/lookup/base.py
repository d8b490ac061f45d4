"""What both look-up pages share: a scrolling reading column with a heading, problems shown next to their field in
the visitor's language (re-rendered when the language changes), and a bar of buttons under the page (outside its
scrolling, like the wizard's Back/Next, so the on-screen keyboard never hides it).

A problem shown beside a field goes once the visitor changes that field (the look-up service, which counts every
attempt, checks again on the next tap): the screen never keeps saying a number is wrong after it was corrected."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from kiosk.messages import Problem, render
from ui.fields import TextAreaField, TextField
from ui.widgets import NamedByHeading, Page, add_reading_column, error_label, set_error_text, text_label

# A problem shown beside a changed field goes this long after the visitor stops typing.
LIVE_CHECK_MS = 300
# Problems about the two numbers together: changing either one makes them stale.
ABOUT_BOTH_NUMBERS = frozenset({"lookup.mismatch"})
# Problems that stay true whatever is typed (the look-up is locked for a while): they stay until the next tap.
NOT_ABOUT_THE_TYPING = frozenset({"lookup.locked", "lookup.unavailable"})


class LookupPage(NamedByHeading, Page):
    """``language`` tells the visitor's language now (the problems are rendered in it). It takes the focus when tapped
    off a control, named by its heading (``NamedByHeading``)."""

    def __init__(self, name: str, language: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}_page")
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self._language = language
        self._problems: list[Problem] = []
        self.fields: dict[str, TextField | TextAreaField] = {}
        self._watched: set[str] = set()
        self._changed: set[str] = set()  # fields changed since the problems were shown
        self._live_timer = QTimer(self)
        self._live_timer.setSingleShot(True)
        self._live_timer.setInterval(LIVE_CHECK_MS)
        self._live_timer.timeout.connect(self._drop_stale_problems)

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
        # The page's buttons: shown under the page by whoever holds it (ui/lookup/flow.py), not inside its scrolling.
        self.button_bar = QFrame()
        self.button_bar.setObjectName(f"{name}_button_bar")
        self.button_bar.setProperty("role", "button_bar")

    def add_buttons(self, *buttons: QWidget) -> QHBoxLayout:
        """The page's bar of buttons: the first at the left, the others at the right."""
        row = QHBoxLayout(self.button_bar)
        row.setContentsMargins(32, 12, 32, 16)
        row.setSpacing(24)
        for index, button in enumerate(buttons):
            row.addWidget(button)
            if index == 0:
                row.addStretch(1)
        return row

    # -- problems ---------------------------------------------------------------------------------------------------

    def show_problems(self, problems: list[Problem], *, focus: bool = True) -> None:
        self._problems = list(problems)
        self._changed.clear()
        self.render_problems()
        if problems:
            self._watch_fields()
        if focus and problems:
            field = self.fields.get(problems[0].field)
            if field is not None:
                field.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)
            # The field with its problem's words, or the page's own problem, in sight once the layout has them.
            shown: QWidget = field if field is not None else self.page_error
            QTimer.singleShot(0, lambda: self._scroll_into_view(shown))

    def _scroll_into_view(self, widget: QWidget) -> None:
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None and widget.isVisible():
            parent.ensureWidgetVisible(widget, 0, 16)

    def clear_problems(self) -> None:
        self.show_problems([], focus=False)

    def problems(self) -> list[Problem]:
        return list(self._problems)

    def _watch_fields(self) -> None:
        for name, field in self.fields.items():
            if name not in self._watched:
                self._watched.add(name)
                field.input.textChanged.connect(lambda *_args, n=name: self._field_changed(n))

    def _field_changed(self, name: str) -> None:
        if self._problems:
            self._changed.add(name)
            self._live_timer.start()  # restarted by each change: one update once the visitor pauses

    def _drop_stale_problems(self) -> None:
        changed, self._changed = self._changed, set()
        kept = [problem for problem in self._problems
                if problem.code in NOT_ABOUT_THE_TYPING
                or not (problem.field in changed or (problem.code in ABOUT_BOTH_NUMBERS and changed))]
        if kept != self._problems:
            self._problems = kept
            self.render_problems()

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
