"""What: the list of items damaged, stolen, lost or involved in a fraud — add, edit, remove.

The list and the item form share the page: Add or Edit shows the form, Save item checks that one item against the
core's rules (the whole draft with the item in place) and shows the list again.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.messages import Problem, term
from kiosk.vocabulary import Category
from ui.i18n import fill
from ui.widgets import error_label, set_button_text, set_error_text, text_label, touch_button
from ui.wizard.base import FieldWidget, WizardPage
from ui.wizard.context import WizardContext
from ui.wizard.display import amount_shown
from ui.wizard.item_editor import ItemEditor
from ui.wizard.problems import ITEM_NEEDS_FIXING, ITEM_NOT_SAVED, problem_text
from ui.wizard.steps import set_step

ITEM_PATH = re.compile(r"^items\[(\d+)\](?:\.(\w+))?$")


class ItemRow(QWidget):
    """One item in the list: what it is, its details, a problem if it has one, Edit and Remove."""

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"item_{index}_row")
        self.setProperty("role", "card")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.summary = text_label(f"item_{index}_summary_label", "subheading", centred=False)
        self.details = text_label(f"item_{index}_details_label", "hint", centred=False)
        self.error = error_label(f"item_{index}_error")
        self.edit_button = touch_button(f"item_{index}_edit_button", "secondary")
        self.remove_button = touch_button(f"item_{index}_remove_button", "secondary")
        texts = QVBoxLayout()
        texts.setSpacing(4)
        texts.addWidget(self.summary)
        texts.addWidget(self.details)
        texts.addWidget(self.error)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(16)
        layout.addLayout(texts, 1)
        layout.addWidget(self.edit_button)
        layout.addWidget(self.remove_button)

    def set_error(self, text: str | None) -> None:
        set_error_text(self.error, text)

    def focus_target(self) -> QWidget:
        return self.edit_button


class WhatPage(WizardPage):
    owned_prefixes = ("items",)

    def __init__(self, ctx: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "what", parent)
        self.items: list[dict[str, Any]] = []
        self.rows: list[ItemRow] = []
        self._editing: int | None = None
        self._editor_problems: list[Problem] = []
        self._category: str = Category.LARCENY

        self.list_box = QWidget()
        self.list_box.setObjectName("items_list")
        self.rows_layout = QVBoxLayout()
        self.rows_layout.setSpacing(12)
        self.empty_label = text_label("items_empty_label", "body", centred=False)
        self.list_error = _ListError(error_label("items_error"), self)
        self.add_button = touch_button("add_item_button", "secondary")
        self.add_button.clicked.connect(lambda: self.open_editor(None))
        list_layout = QVBoxLayout(self.list_box)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.setSpacing(14)
        list_layout.addWidget(self.empty_label)
        list_layout.addLayout(self.rows_layout)
        list_layout.addWidget(self.list_error.label)
        list_layout.addWidget(self.add_button)

        self.editor = ItemEditor(ctx.config.rules.max_item_quantity)
        self.editor.hide()
        self.editor.save_requested.connect(self.save_item)
        self.editor.cancel_requested.connect(self.close_editor)
        self.column.addWidget(self.list_box)
        self.column.addWidget(self.editor)
        self.fields["items"] = self.list_error
        self.retranslate()

    # -- the wizard -----------------------------------------------------------------------------------------------

    def initializePage(self) -> None:
        category = self.report_wizard().category() or Category.LARCENY
        if category != self._category:
            self._category = category
            self.retranslate()
        self.editor.set_category(category)
        self._refresh_list()

    def wipe(self) -> None:
        super().wipe()
        self.items = []
        self._editing = None
        self._editor_problems = []
        self.editor.reset()
        self.editor.hide()
        self.list_box.show()
        self._category = Category.LARCENY
        self._refresh_list()
        self.retranslate()

    def contribute(self, draft: dict[str, Any]) -> None:
        draft["items"] = [dict(item) for item in self.items]

    def local_problems(self) -> list[Problem]:
        if self._editing is not None and not self.save_item():
            return [Problem("items", ITEM_NOT_SAVED)]
        return []

    def widget_for(self, path: str) -> FieldWidget | None:
        match = ITEM_PATH.match(path)
        if match and int(match.group(1)) < len(self.rows):
            return self.rows[int(match.group(1))]
        return self.list_error if path.startswith("items") else None

    def _all_field_widgets(self) -> list[FieldWidget]:
        return [self.list_error, *self.rows]

    def _render_problems(self) -> None:
        super()._render_problems()
        language = self.ctx.language
        for problem in self.problems():  # an item's problem: say which field, and to tap Edit
            match = ITEM_PATH.match(problem.field)
            if match and int(match.group(1)) < len(self.rows):
                row = self.rows[int(match.group(1))]
                fixing = problem_text(Problem(problem.field, ITEM_NEEDS_FIXING), language)
                row.set_error(f"{problem_text(problem, language)} {fixing}")
        self._render_editor_problems()

    # -- the list -------------------------------------------------------------------------------------------------

    def _refresh_list(self) -> None:
        for row in self.rows:
            self.rows_layout.removeWidget(row)
            row.hide()
            row.setParent(None)  # out of the page at once, not only when the event loop gets to deleteLater()
            row.deleteLater()
        self.rows = []
        for index in range(len(self.items)):
            row = ItemRow(index)
            row.edit_button.clicked.connect(lambda _checked=False, i=index: self.open_editor(i))
            row.remove_button.clicked.connect(lambda _checked=False, i=index: self.remove_item(i))
            self.rows_layout.addWidget(row)
            self.rows.append(row)
        self.add_button.setEnabled(len(self.items) < self.ctx.config.rules.max_items)
        self._retranslate_list()

    def remove_item(self, index: int) -> None:
        del self.items[index]
        self.clear_problems()
        self._refresh_list()
        self._focus_in_list(index)  # the item that took its place, else "Add an item"

    def _focus_in_list(self, row: int | None) -> None:
        """After the list changed under a keyboard or keypad visitor's focus (a row removed, the form closed), put the
        focus back in the list, never lost or thrown to the header: on row ``row``'s Edit when there is one, else on
        "Add an item" (or the last row's Edit when no more items may be added)."""
        if row is not None and row < len(self.rows):
            target: QWidget = self.rows[row].edit_button
        elif self.add_button.isEnabled() or not self.rows:
            target = self.add_button
        else:
            target = self.rows[-1].edit_button
        self.focus_widget(target)

    def open_editor(self, index: int | None) -> None:
        self._editing = len(self.items) if index is None else index
        self._editor_problems = []
        self.editor.load(None if index is None else self.items[index], self._editing + 1)
        self.list_box.hide()
        self.editor.show()
        self.clear_problems()
        self.focus_widget(self.editor.heading)

    def close_editor(self) -> None:
        edited = self._editing
        self._editing = None
        self._editor_problems = []
        self.editor.wipe()
        self.editor.hide()
        self.list_box.show()
        self.holder.scroll_to_top()
        self._focus_in_list(edited)  # Cancel: back on the item's own Edit ("Add an item" for a new one)

    def editing(self) -> bool:
        return self._editing is not None

    def save_item(self) -> bool:
        """Check the item in the form against the core's rules; keep it and show the list when it passes."""
        index = self._editing
        if index is None:
            return True
        candidate = self.editor.item()
        items = [*self.items[:index], candidate, *self.items[index + 1:]]
        draft = self.report_wizard().draft()
        draft["items"] = items
        prefix = f"items[{index}]"
        problems = [p for p in self.ctx.reports.validate(draft)
                    if p.field == prefix or p.field.startswith(prefix + ".")]
        self._editor_problems = problems
        self._render_editor_problems()
        if problems:
            first = self._editor_target(problems[0].field)
            if first is not None:
                self.focus_widget(first.focus_target())
            return False
        self.items[index:index + 1] = [candidate]
        self.close_editor()
        self.clear_problems()
        self._refresh_list()
        self._focus_in_list(None)  # saved: "Add an item" next (Next is three Tabs on)
        return True

    def _editor_target(self, path: str) -> FieldWidget | None:
        match = ITEM_PATH.match(path)
        key = match.group(2) if match else None
        return self.editor.field_for(key) if key else None

    def _render_editor_problems(self) -> None:
        language = self.ctx.language
        targets: dict[str, str] = {}
        for problem in self._editor_problems:
            match = ITEM_PATH.match(problem.field)
            key = (match.group(2) if match else None) or "description"
            targets.setdefault(key, problem_text(problem, language))
        for key in ("disposition", "quantity", *self.editor.inputs):
            target = self.editor.field_for(key)
            if target is not None:
                target.set_error(targets.get(key))

    # -- texts ----------------------------------------------------------------------------------------------------

    def retranslate(self) -> None:
        set_step(self, "what")
        fraud = self._category == Category.IDENTITY_THEFT
        if fraud:
            self.heading.setText(self.tr("Which accounts or charges?"))
            self.intro.setText(self.tr("Add each account or charge involved. If no account or money was involved, "
                                       "you can go on without adding any."))
            set_button_text(self.add_button, self.tr("Add an account or charge"))
        else:
            self.heading.setText(self.tr("What was damaged, stolen or lost?"))
            self.intro.setText(self.tr("Add each item. Put things that are alike on one line, for example "
                                       "“3 DVDs”."))
            set_button_text(self.add_button, self.tr("Add an item"))
        self._retranslate_list()

    def _retranslate_list(self) -> None:
        language = self.ctx.language
        self.empty_label.setText(self.tr("Nothing added yet."))
        self.empty_label.setVisible(not self.items)
        for index, (row, item) in enumerate(zip(self.rows, self.items, strict=True)):
            what = term(item.get("disposition", ""), language)
            row.summary.setText(f"{index + 1}. {item.get('description', '')} ({what})")
            details = [part for part in (item.get("brand", ""), item.get("model", "")) if part]
            if item.get("serial_number"):
                details.append(fill(self.tr("serial number %1"), item["serial_number"]))
            if item.get("institution"):
                details.append(item["institution"])
            if item.get("account_last4"):
                details.append(fill(self.tr("account ending %1"), item["account_last4"]))
            if item.get("quantity", 1) != 1:
                details.append(fill(self.tr("%1 of them"), str(item["quantity"])))
            if item.get("value"):
                details.append(amount_shown(item["value"], language))
            row.details.setText(" · ".join(details))
            row.details.setVisible(bool(details))
            set_button_text(row.edit_button, self.tr("Edit"), fill(self.tr("Edit item %1"), str(index + 1)))
            set_button_text(row.remove_button, self.tr("Remove"), fill(self.tr("Remove item %1"), str(index + 1)))
        if self._problems:
            self._render_problems()

    def summary_lines(self) -> list[str]:
        lines = []
        for row in self.rows:
            details = row.details.text()
            lines.append(f"{row.summary.text()}" + (f" — {details}" if details else ""))
        return lines or [self.tr("No items")]


class _ListError:
    """The problem about the list as a whole (a theft report needs a stolen item), shown under the list."""

    def __init__(self, label: QLabel, page: WhatPage) -> None:
        self.label = label
        self._page = page

    def set_error(self, text: str | None) -> None:
        set_error_text(self.label, text)

    def focus_target(self) -> QWidget:
        return self._page.add_button
