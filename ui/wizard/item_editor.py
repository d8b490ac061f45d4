"""The form for one item, with the fields that fit the kind of incident.

Property (vandalism, theft, lost property): what it is, brand, model, serial number, how many, value; for theft also
whether it was stolen or damaged. Fraud (identity theft): what happened, bank or company, last 4 digits of the
account, amount.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QVBoxLayout, QWidget

from kiosk.rules.report import ALLOWED_DISPOSITIONS, TEXT_LIMITS
from kiosk.vocabulary import Category
from ui.fields import ChoiceGroup, Stepper, TextField
from ui.fields.text_field import DIGITS, MoneyField
from ui.forms import enter_submits
from ui.i18n import fill
from ui.widgets import Translatable, set_button_text, text_label, touch_button
from ui.wizard.layout import side_by_side

if TYPE_CHECKING:
    from ui.wizard.base import FieldWidget

PROPERTY_KEYS = ("description", "brand", "model", "serial_number", "value")
FRAUD_KEYS = ("description", "institution", "account_last4", "value")


class ItemEditor(Translatable, QWidget):
    """Edits one item (a plain dict). ``save_requested`` / ``cancel_requested`` come from its two buttons."""

    save_requested = Signal()
    cancel_requested = Signal()

    def __init__(self, max_quantity: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("item_editor")
        self._category: str = Category.LARCENY
        self.heading = text_label("item_editor_heading_label", "subheading", centred=False)
        self.disposition = ChoiceGroup("item_disposition", ("stolen", "damaged"), columns=2)
        self.inputs: dict[str, TextField] = {
            "description": TextField("item_description", max_length=TEXT_LIMITS["description"]),
            "brand": TextField("item_brand", max_length=TEXT_LIMITS["brand"]),
            "model": TextField("item_model", max_length=TEXT_LIMITS["model"]),
            "serial_number": TextField("item_serial_number", max_length=TEXT_LIMITS["serial_number"]),
            "institution": TextField("item_institution", max_length=TEXT_LIMITS["institution"]),
            "account_last4": TextField("item_account_last4", max_length=4, hints=DIGITS),
            "value": MoneyField("item_value", max_length=14),
        }
        self.inputs["account_last4"].input.setProperty("size", "short")
        self.inputs["account_last4"].input.set_moves_on_when_full(True)
        self.quantity_label = text_label("item_quantity_label", "field", centred=False)
        self.quantity = Stepper("item_quantity", 1, max_quantity, 1)
        self.quantity_error = text_label("item_quantity_error", "error", centred=False)
        self.quantity_error.hide()
        self.save_button = touch_button("save_item_button", "primary")
        self.cancel_button = touch_button("cancel_item_button", "secondary")
        self.save_button.clicked.connect(self.save_requested)
        self.cancel_button.clicked.connect(self.cancel_requested)
        enter_submits(self, self.save_button)  # Enter in the last input saves the item

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)
        layout.addWidget(self.heading)
        layout.addWidget(self.disposition)
        layout.addWidget(self.inputs["description"])
        side_by_side(layout, self.inputs["brand"], self.inputs["model"])
        side_by_side(layout, self.inputs["institution"], self.inputs["account_last4"], stretches=(3, 2))
        self._lines = [InputsInLine(self, [_above_input(self.inputs["brand"]), _above_input(self.inputs["model"])]),
                       InputsInLine(self, [_above_input(self.inputs["institution"]),
                                           _above_input(self.inputs["account_last4"])])]
        self.quantity_box = QWidget()
        self.quantity_box.setObjectName("item_quantity_box")
        quantity_layout = QVBoxLayout(self.quantity_box)
        quantity_layout.setContentsMargins(0, 0, 0, 0)
        quantity_layout.setSpacing(6)
        quantity_layout.addWidget(self.quantity_label)
        quantity_layout.addWidget(self.quantity)
        quantity_layout.addWidget(self.quantity_error)
        side_by_side(layout, self.inputs["serial_number"], self.quantity_box, stretches=(3, 2))
        self._lines.append(InputsInLine(self, [_above_input(self.inputs["serial_number"]),
                                               (self.quantity_box, [self.quantity_label])]))
        layout.addWidget(self.inputs["value"])
        buttons = QHBoxLayout()
        buttons.setSpacing(16)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        self.reset()

    # -- which fields ---------------------------------------------------------------------------------------------

    def set_category(self, category: str) -> None:
        self._category = category
        fraud = category == Category.IDENTITY_THEFT
        for key, field in self.inputs.items():
            field.setVisible(key in (FRAUD_KEYS if fraud else PROPERTY_KEYS))
        self.quantity_box.setVisible(not fraud)
        self.disposition.setVisible(len(ALLOWED_DISPOSITIONS[category]) > 1)
        self.retranslate()

    def fixed_disposition(self) -> str:
        return ALLOWED_DISPOSITIONS[self._category][0]

    # -- values ---------------------------------------------------------------------------------------------------

    def load(self, item: dict[str, Any] | None, number: int) -> None:
        """Show ``item`` (None: a new one) as item ``number`` (1-based)."""
        item = item or {}
        for key, field in self.inputs.items():
            field.set_value(str(item.get(key, "")))
            field.set_error(None)
        self.quantity.set_value(int(item.get("quantity", 1)))
        self.set_quantity_error(None)
        disposition = item.get("disposition")
        self.disposition.select(disposition if disposition in self.disposition.buttons else None)
        self.disposition.set_error(None)
        self._number = number
        self.retranslate()

    def item(self) -> dict[str, Any]:
        fraud = self._category == Category.IDENTITY_THEFT
        keys = FRAUD_KEYS if fraud else PROPERTY_KEYS
        disposition = self.disposition.value() if self.disposition.isVisible() else self.fixed_disposition()
        item: dict[str, Any] = {"disposition": disposition or "", "quantity": 1 if fraud else self.quantity.value()}
        for key in keys:
            text = self.inputs[key].value().strip()
            if key == "value":
                if text:
                    item["value"] = text
            else:
                item[key] = text
        return item

    def field_for(self, key: str) -> FieldWidget | None:
        if key == "disposition":
            return self.disposition
        if key == "quantity":
            return _QuantityTarget(self)
        return self.inputs.get(key)

    def set_quantity_error(self, text: str | None) -> None:
        self.quantity_error.setText(text or "")
        self.quantity_error.setVisible(bool(text))

    def wipe(self) -> None:
        for field in self.inputs.values():
            field.wipe()

    def reset(self) -> None:
        """As built: a theft report's new item, nothing in it."""
        self.set_category(Category.LARCENY)
        self.wipe()
        self.load(None, 1)

    def labels(self) -> list[QLabel]:
        return self.findChildren(QLabel)

    # -- texts ----------------------------------------------------------------------------------------------------

    def retranslate(self) -> None:
        number = str(getattr(self, "_number", 1))
        fraud = self._category == Category.IDENTITY_THEFT
        self.heading.setText(fill(self.tr("Item %1"), number) if not fraud
                             else fill(self.tr("Account or charge %1"), number))
        self.disposition.set_texts(self.tr("What happened to it?"),
                                   {"stolen": self.tr("Stolen"), "damaged": self.tr("Damaged")})
        if fraud:
            self.inputs["description"].set_texts(self.tr("What happened?"),
                                                 self.tr("For example: charges I did not make, a new account "
                                                         "opened in my name"))
            self.inputs["value"].set_texts(self.tr("Amount lost, in dollars (if known)"))
        else:
            self.inputs["description"].set_texts(self.tr("What is it?"),
                                                 self.tr("For example: blue bicycle, brown leather wallet"))
            self.inputs["value"].set_texts(self.tr("Value in dollars, for all of them (if known)"))
        self.inputs["brand"].set_texts(self.tr("Brand (if known)"))
        self.inputs["model"].set_texts(self.tr("Model (if known)"))
        self.inputs["serial_number"].set_texts(self.tr("Serial number (if known)"))
        self.inputs["institution"].set_texts(self.tr("Bank or company"))
        self.inputs["account_last4"].set_texts(self.tr("Last 4 digits of the account"))
        self.quantity_label.setText(self.tr("How many"))
        self.quantity.set_names(self.tr("How many"))
        set_button_text(self.save_button, self.tr("Save item"))
        set_button_text(self.cancel_button, self.tr("Cancel"), self.tr("Cancel this item"))


def _above_input(field: TextField) -> tuple[QWidget, list[QWidget]]:
    """A field and what its layout puts above its input: the label and the hint (shown or not)."""
    return field, [field.label, field.hint]


class InputsInLine(QObject):
    """Keeps the inputs of fields placed side by side on one line. Beside each other, one label can wrap to more lines
    than the other (a narrow column in portrait, a longer translation, larger text) or have a hint under it, and its
    input then sat lower: the column with less above its input gets the difference as room above its label.

    ``columns`` are (column widget, the widgets its vertical layout puts above the input, in order). It follows the
    columns' widths, texts and fonts (each resize and layout request of a column)."""

    def __init__(self, parent: QObject, columns: list[tuple[QWidget, list[QWidget]]]) -> None:
        super().__init__(parent)
        self._columns = columns
        for column, _above in columns:
            column.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest, QEvent.Type.Show):
            self.align()
        return False

    def align(self) -> None:
        shown = [(column, above) for column, above in self._columns if column.isVisible()]
        tops = {column: _input_top(column, above) for column, above in shown}
        highest = max(tops.values(), default=0)
        for column, _above in self._columns:
            _set_top_margin(column, highest - tops[column] if column in tops else 0)


def _input_top(column: QWidget, above: list[QWidget]) -> int:
    """Where the column's layout puts its input at the column's width, without any room added above."""
    spacing = max(_layout(column).spacing(), 0)
    top = 0
    for widget in above:
        if widget.isVisibleTo(column):
            height = widget.heightForWidth(column.width()) if widget.hasHeightForWidth() else -1
            top += max(height, widget.sizeHint().height() if height < 0 else 0, widget.minimumHeight()) + spacing
    return top


def _set_top_margin(column: QWidget, top: int) -> None:
    layout = _layout(column)
    margins = layout.contentsMargins()
    if margins.top() != top:
        margins.setTop(top)
        layout.setContentsMargins(margins)


def _layout(column: QWidget) -> QLayout:
    layout = column.layout()
    if layout is None:
        raise ValueError(f"{column.objectName()} has no layout: InputsInLine aligns columns laid out vertically")
    return layout


class _QuantityTarget:
    """Lets the page show a quantity problem like any other field's."""

    def __init__(self, editor: ItemEditor) -> None:
        self._editor = editor

    def set_error(self, text: str | None) -> None:
        self._editor.set_quantity_error(text)

    def focus_target(self) -> QWidget:
        return self._editor.quantity.plus_button
