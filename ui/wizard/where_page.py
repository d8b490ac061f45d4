"""Where: the kind of place and its address. The jurisdiction check runs on Next and explains a refusal."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.rules.report import PLACE_TYPES
from kiosk.vocabulary import PlaceType
from ui.fields import ChoiceGroup
from ui.i18n import fill
from ui.widgets import set_button_text, touch_button
from ui.wizard.address import AddressFields
from ui.wizard.base import WizardPage
from ui.wizard.context import WizardContext
from ui.wizard.steps import set_step


class WherePage(WizardPage):
    owned_prefixes = ("incident.location",)

    def __init__(self, ctx: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "where", parent)
        self.place_type = ChoiceGroup("place_type", PLACE_TYPES, columns=4)
        self.same_as_home = touch_button("same_as_home_button", "secondary")
        self.same_as_home.clicked.connect(self._copy_home_address)
        self.address = AddressFields("place", "incident.location")
        self._fill_defaults()
        self.column.addWidget(self.place_type)
        self.column.addWidget(self.same_as_home)
        self.address.add_to(self.column)
        self.fields.update({**self.address.by_path(), "incident.location.place_type": self.place_type})
        if ctx.theme is not None:
            ctx.theme.changed.connect(self._fit_text_size)
        self._fit_text_size()
        self.retranslate()

    def _fill_defaults(self) -> None:
        jurisdiction = self.ctx.config.jurisdiction
        self.address.fields["city"].set_value(jurisdiction.city_names[0])
        self.address.fields["state"].set_value(jurisdiction.state)

    def wipe(self) -> None:
        super().wipe()
        self._fill_defaults()

    def _fit_text_size(self) -> None:
        self.place_type.set_columns(3 if self.ctx.large_text() else 4)

    def retranslate(self) -> None:
        set_step(self, "where")
        city = self.ctx.config.jurisdiction.city_names[0]
        self.heading.setText(self.tr("Where did it happen?"))
        self.intro.setText(fill(self.tr("It must be in %1. If it happened online, give your home address."), city))
        self.place_type.set_texts(self.tr("What kind of place was it?"), {
            PlaceType.RESIDENCE: self.tr("A home"), PlaceType.STREET: self.tr("A street"),
            PlaceType.PARKING_LOT: self.tr("A parking lot"), PlaceType.BUSINESS: self.tr("A store or business"),
            PlaceType.PARK: self.tr("A park"), PlaceType.SCHOOL: self.tr("A school"),
            PlaceType.PUBLIC_TRANSIT: self.tr("A bus or train"), PlaceType.VEHICLE: self.tr("A vehicle"),
            PlaceType.ONLINE: self.tr("Online"), PlaceType.OTHER: self.tr("Somewhere else"),
        })
        set_button_text(self.same_as_home, self.tr("Same as my home address"))
        self.address.set_texts(
            {"line1": self.tr("Street address or place"), "line2": self.tr("More about the place (if any)"),
             "city": self.tr("City"), "state": self.tr("State"), "zip": self.tr("ZIP code")},
            {"line1": self.tr("Number and street, or a landmark such as a park"),
             "line2": self.tr("For example: behind the building, 2nd floor")},
        )

    def summary_lines(self) -> list[str]:
        address = self.address.value()
        place = self.place_type.value()
        lines = [self.place_type.buttons[place].title_label.text()] if place else []
        street = ", ".join(part for part in (address["line1"], address["line2"]) if part.strip())
        lines.append(f"{street}, {address['city']}, {address['state']} {address['zip']}".strip(", "))
        return lines

    def _copy_home_address(self) -> None:
        home = self.report_wizard().home_address()
        self.address.set_value(home)

    def contribute(self, draft: dict[str, Any]) -> None:
        location = self.address.value()
        place = self.place_type.value()
        if place is not None:
            location["place_type"] = place
        draft.setdefault("incident", {})["location"] = location
