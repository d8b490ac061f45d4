"""The base of every wizard page: a scrolling body, a heading, field problems shown in place, per-page checks."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Protocol, cast

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from kiosk.messages import Problem
from ui.fields.choice import ChoiceGroup
from ui.page_holder import PageHolder
from ui.widgets import (
    KioskLineEdit,
    KioskTextEdit,
    NamedByHeading,
    Translatable,
    add_reading_column,
    error_label,
    set_error_text,
    text_label,
)
from ui.wizard.context import WizardContext
from ui.wizard.problems import problem_text

if TYPE_CHECKING:
    from ui.wizard.report_wizard import ReportWizard

log = logging.getLogger(__name__)

# Problems already shown are checked again this long after the visitor stops changing a field.
LIVE_CHECK_MS = 300


class FieldWidget(Protocol):
    """What ``WizardPage.fields`` maps a field path to: a QWidget holding the field's inputs, or an object whose
    ``widget()`` returns one (or neither, for a problem shown without inputs of its own)."""

    def set_error(self, text: str | None) -> None: ...
    def focus_target(self) -> QWidget: ...


class WizardPage(NamedByHeading, Translatable, QWizardPage):
    """One step of the report. Subclasses put their widgets in ``self.column``, map field paths to widgets in
    ``self.fields`` (so the core's problems land next to the right widget), write their answers into the draft in
    ``contribute()``, set every text in ``retranslate()`` and, when they keep anything of a visit beyond their
    inputs and answers (defaults, a list, a category), put themselves back as built in ``wipe()``. It takes the focus
    when tapped off a control, named by its heading (``NamedByHeading``)."""

    # Field paths (or prefixes ending in "." or "[") whose problems this page shows; the keys of self.fields count too.
    owned_prefixes: tuple[str, ...] = ()
    # Whether Next asks the report service about this page's fields.
    validates: bool = True

    def __init__(self, ctx: WizardContext, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName(f"{name}_page")
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.fields: dict[str, FieldWidget] = {}
        self._problems: list[Problem] = []
        self._watched: set[int] = set()
        self._live_check = QTimer(self)
        self._live_check.setSingleShot(True)
        self._live_check.setInterval(LIVE_CHECK_MS)
        self._live_check.timeout.connect(self._check_shown_problems)

        self.content = QWidget()
        self.content.setObjectName(f"{name}_content")
        self.holder = PageHolder(self.content)
        # Not a stop of its own for Tab or a keypad: the focus goes to the page's controls (it scrolls to them).
        self.holder.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.holder)

        body = QVBoxLayout(self.content)
        body.setContentsMargins(32, 16, 32, 24)
        body.setSpacing(0)
        self.column = add_reading_column(body)
        body.addStretch(1)
        self.column.setSpacing(12)
        self.step_label = text_label(f"{name}_step_label", "step", centred=False)
        self.heading = text_label(f"{name}_heading_label", "heading", centred=False)
        self.intro = text_label(f"{name}_intro_label", "body", centred=False)
        self.page_error = error_label(f"{name}_page_error")
        for widget in (self.step_label, self.heading, self.intro, self.page_error):
            self.column.addWidget(widget)
        ctx.switcher.language_changed.connect(self._language_changed)

    # -- the wizard -------------------------------------------------------------------------------------------------

    def wipe(self) -> None:
        """Forget the visitor: every input emptied with its undo history, every answer and switch unchosen, no
        problem shown, scrolled back to the top. Found by kind, so an input added later is wiped without anyone
        having to remember it. A page that keeps more (a default value, a list, what it showed) puts itself back as
        built after calling this; tests/ui/test_wiped_wizard.py holds the wiped wizard to a new one."""
        self._live_check.stop()
        for line in self.findChildren(KioskLineEdit):
            line.wipe()
        for text in self.findChildren(KioskTextEdit):
            text.wipe()
        for group in self.findChildren(ChoiceGroup):
            group.select(None)
        for button in self.findChildren(QAbstractButton):
            if button.isCheckable() and button.isChecked():
                button.setChecked(False)
        self.show_problems([], focus=False)
        self.holder.scroll_to_top()

    def report_wizard(self) -> ReportWizard:
        return cast("ReportWizard", self.wizard())  # the report wizard is the only one that holds these pages

    def contribute(self, draft: dict[str, Any]) -> None:
        """Write this page's answers into ``draft`` (the p2c-report/1 dict being built)."""

    def local_problems(self) -> list[Problem]:
        """Problems only the screen can see (an unanswered question), checked before the core's rules."""
        return []

    def owns(self, path: str) -> bool:
        return path in self.fields or any(path.startswith(prefix) for prefix in self.owned_prefixes)

    def current_problems(self) -> list[Problem]:
        """This page's problems now: the screen's own, then the core's rules about this page's fields."""
        problems = self.local_problems()
        if self.validates:
            draft = self.report_wizard().draft()
            problems += [p for p in self.ctx.reports.validate(draft) if self.owns(p.field)]
        return problems

    def validatePage(self) -> bool:
        problems = self.current_problems()
        self.show_problems(problems)
        if problems:
            log.info("%s: %d problem(s) to fix", self.objectName(), len(problems))
        return not problems

    # -- problems ---------------------------------------------------------------------------------------------------

    def show_problems(self, problems: list[Problem], *, focus: bool = True) -> None:
        """Show each problem next to its field (the first one per field), in the visitor's language; focus the first
        one on the page (top to bottom, not the order the rules found them)."""
        self._problems = sorted(problems, key=self._reading_order)
        self._render_problems()
        if self._problems:
            self._watch_fields()
        if focus and self._problems:
            target = self.widget_for(self._problems[0].field)
            if target is None:
                self.focus_widget(self.page_error)
            else:
                problem_line = getattr(target, "error", None)
                self.focus_widget(target.focus_target(),
                                  problem_line if isinstance(problem_line, QLabel) else None)

    def _reading_order(self, problem: Problem) -> tuple[int, str]:
        paths = list(self.fields)
        if problem.field in paths:
            return paths.index(problem.field), problem.field
        return len(paths), problem.field

    def problems(self) -> list[Problem]:
        return list(self._problems)

    def widget_for(self, path: str) -> FieldWidget | None:
        return self.fields.get(path)

    def clear_problems(self) -> None:
        self.show_problems([], focus=False)

    # -- problems follow the visitor's corrections ------------------------------------------------------------------

    def _watch_fields(self) -> None:
        """Listen to the inputs of this page's fields (once each): a change starts the live check."""
        for field in self.fields.values():
            holder = field if isinstance(field, QWidget) else getattr(field, "widget", lambda: None)()
            if not isinstance(holder, QWidget) or id(holder) in self._watched:
                continue
            self._watched.add(id(holder))
            for editor in (holder, *holder.findChildren(QWidget)):
                if isinstance(editor, (QLineEdit, QPlainTextEdit)):
                    editor.textChanged.connect(self._field_changed)
                elif isinstance(editor, QAbstractButton):
                    (editor.toggled if editor.isCheckable() else editor.clicked).connect(self._field_changed)

    def _field_changed(self, *_args: object) -> None:
        if self._problems:
            self._live_check.start()  # restarted by each change: one check once the visitor pauses

    def _check_shown_problems(self) -> None:
        """Check the page again and update the problems shown: a fixed one goes, a changed one says what is wrong
        now, and a field that shows nothing keeps showing nothing (a visitor still typing, or who has not reached it
        yet, is not told off before Next). The focus stays where the visitor is."""
        if not self._problems or self.wizard() is None:
            return
        widgets = [self.widget_for(problem.field) for problem in self._problems]
        shown = {id(widget) for widget in widgets if widget is not None}
        page_level = any(widget is None for widget in widgets)
        kept = []
        for problem in self.current_problems():
            widget = self.widget_for(problem.field)
            if (id(widget) in shown) if widget is not None else page_level:
                kept.append(problem)
        if sorted(kept, key=self._reading_order) != self._problems:
            self.show_problems(kept, focus=False)

    def _render_problems(self) -> None:
        language = self.ctx.language
        shown: dict[int, str] = {}
        unplaced: list[str] = []
        for problem in self._problems:
            text = problem_text(problem, language)
            widget = self.widget_for(problem.field)
            if widget is None:
                unplaced.append(text)
            elif id(widget) not in shown:
                shown[id(widget)] = text
        for widget in self._all_field_widgets():
            widget.set_error(shown.get(id(widget)))
        set_error_text(self.page_error, "\n".join(dict.fromkeys(unplaced)) or None)

    def _all_field_widgets(self) -> list[FieldWidget]:
        return list({id(w): w for w in self.fields.values()}.values())

    def focus_first_field(self) -> None:
        """Give the focus to the page's first field, top to bottom (after Edit on the review page)."""
        targets = [field.focus_target() for field in self._all_field_widgets()]
        shown = [target for target in targets if target is not None and target.isVisible() and target.isEnabled()]
        if not shown:
            self.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        def place(target: QWidget) -> tuple[int, int]:
            corner = target.mapTo(self, QPoint(0, 0))
            return corner.y(), corner.x()

        self.focus_widget(min(shown, key=place))

    def focus_widget(self, widget: QWidget, problem_line: QLabel | None = None) -> None:
        """Focus ``widget`` and scroll it into view, with the line under it that says its problem if there is one."""
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        self.holder.ensureWidgetVisible(widget, 40, 160)

        def into_view() -> None:
            if problem_line is not None and problem_line.isVisible():
                self.holder.ensureWidgetVisible(problem_line, 40, 24)
                self.holder.ensureWidgetVisible(widget, 40, 24)  # the input wins if both do not fit
            else:
                self.holder.ensureWidgetVisible(widget, 40, 160)

        # Problems just shown change the page's height once the layout has run: scroll again then.
        QTimer.singleShot(0, widget, into_view)

    # -- language ---------------------------------------------------------------------------------------------------

    def _language_changed(self, code: str) -> None:
        self.set_input_language(code)

    def set_input_language(self, code: str) -> None:
        """Give any date shown the visitor's language (the on-screen keyboard follows the kiosk: ui/keyboard.py)."""
        for widget in self._all_field_widgets():
            setter = getattr(widget, "set_language", None)
            if setter is not None:
                setter(code)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)  # the new texts, and the page named by its new heading (NamedByHeading)
        if event.type() == QEvent.Type.LanguageChange:
            self._render_problems()

    def texts(self) -> list[QLabel]:
        return self.findChildren(QLabel)
