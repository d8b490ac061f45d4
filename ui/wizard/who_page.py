"""Who: the person reporting is the victim. Name, date of birth, home address, phone, email, how to reach them."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.rules.report import CONTACT_PREFERENCES
from ui.fields import ChoiceGroup, DateOfBirthField, TextField
from ui.fields.text_field import EMAIL, NAME, PHONE
from ui.i18n import fill
from ui.wizard.address import AddressFields
from ui.wizard.base import WizardPage
from ui.wizard.context import WizardContext
from ui.wizard.display import phone_shown
from ui.wizard.layout import side_by_side
from ui.wizard.steps import set_step


class WhoPage(WizardPage):
    owned_prefixes = ("reporter",)

    def __init__(self, ctx: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "who", parent)
        self.first_name = TextField("first_name", max_length=50, hints=NAME)
        self.last_name = TextField("last_name", max_length=50, hints=NAME)
        self.date_of_birth = DateOfBirthField("date_of_birth")
        self.address = AddressFields("home", "reporter.address")
        self.phone = TextField("phone", max_length=30, hints=PHONE)
        self.email = TextField("email", max_length=120, hints=EMAIL)
        self.contact = ChoiceGroup("contact_preference", CONTACT_PREFERENCES, columns=2)

        side_by_side(self.column, self.first_name, self.last_name)
        self.column.addWidget(self.date_of_birth)
        self.address.add_to(self.column)
        side_by_side(self.column, self.phone, self.email)
        self.column.addWidget(self.contact)

        self.fields.update({
            "reporter.first_name": self.first_name,
            "reporter.last_name": self.last_name,
            "reporter.date_of_birth": self.date_of_birth,
            **self.address.by_path(),
            "reporter.phone": self.phone,
            "reporter.email": self.email,
            "reporter.contact_preference": self.contact,
        })
        self._fill_defaults()
        self.retranslate()

    def _fill_defaults(self) -> None:
        self.address.fields["state"].set_value(self.ctx.config.jurisdiction.state)

    def wipe(self) -> None:
        super().wipe()
        self._fill_defaults()

    def retranslate(self) -> None:
        set_step(self, "who")
        self.heading.setText(self.tr("About you"))
        self.intro.setText(self.tr("You are the person reporting. An officer uses these details to contact you "
                                   "about your report."))
        self.first_name.set_texts(self.tr("First name"))
        self.last_name.set_texts(self.tr("Last name"))
        self.date_of_birth.set_label(self.tr("Date of birth"))
        self.address.set_texts(
            {"line1": self.tr("Home address"), "line2": self.tr("Apartment, unit or floor (if any)"),
             "city": self.tr("City or town"), "state": self.tr("State"), "zip": self.tr("ZIP code")},
            {"line1": self.tr("Number and street, for example 100 Main St")},
        )
        self.phone.set_texts(self.tr("Phone number"), self.tr("With the area code."))
        self.email.set_texts(self.tr("Email address"),
                             self.tr("Why email matters: the officer's decision and any questions about your report "
                                     "are sent by email."))
        self.contact.set_texts(self.tr("How should an officer contact you?"),
                               {"email": self.tr("By email"), "phone": self.tr("By phone")})

    def contribute(self, draft: dict[str, Any]) -> None:
        reporter: dict[str, Any] = {
            "first_name": self.first_name.value(),
            "last_name": self.last_name.value(),
            "date_of_birth": self.date_of_birth.value(),
            "address": self.address.value(),
            "phone": self.phone.value(),
            "email": self.email.value(),
        }
        preference = self.contact.value()
        if preference is not None:
            reporter["contact_preference"] = preference
        draft["reporter"] = reporter

    def summary_lines(self) -> list[str]:
        address = self.address.value()
        street = ", ".join(part for part in (address["line1"], address["line2"]) if part.strip())
        place = " ".join(part for part in (address["city"] + ",", address["state"], address["zip"]) if part.strip())
        lines = [f"{self.first_name.value()} {self.last_name.value()}".strip(),
                 fill(self.tr("Born %1"), self.date_of_birth.display()),
                 f"{street}, {place}".strip(", ")]
        if self.phone.value().strip():
            lines.append(fill(self.tr("Phone: %1"), phone_shown(self.phone.value())))
        if self.email.value().strip():
            lines.append(fill(self.tr("Email: %1"), self.email.value()))
        preference = self.contact.value()
        if preference is not None:
            lines.append(self.tr("Contact me by email") if preference == "email" else self.tr("Contact me by phone"))
        return lines

    def home_address(self) -> dict[str, str]:
        return self.address.value()
