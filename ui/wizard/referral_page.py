"""Where a report cannot be taken at the kiosk: what to do instead, with the numbers from the configuration.

Finish ("Back to the start") wipes the visit and returns to the welcome page; Back lets a visitor who tapped the
wrong answer change it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.i18n import fill
from ui.widgets import text_label
from ui.wizard.base import WizardPage
from ui.wizard.context import WizardContext
from ui.wizard.page_ids import REFERRALS, PageId


def referral_name(page_id: PageId) -> str:
    """The name a referral page's widgets are named after, from its page id: ``PageId.REFER_OUTSIDE_CITY`` gives
    ``outside_city`` (the page is ``referral_outside_city``)."""
    if page_id not in REFERRALS:
        raise ValueError(f"{page_id!r} is not a referral page")
    return page_id.name.removeprefix("REFER_").lower()


class ReferralPage(WizardPage):
    validates = False

    def __init__(self, ctx: WizardContext, kind: PageId, parent: QWidget | None = None) -> None:
        name = referral_name(kind)
        super().__init__(ctx, f"referral_{name}", parent)
        self.kind = kind
        self.number_label = text_label(f"referral_{name}_number_label", "big_number", centred=False)
        self.after_label = text_label(f"referral_{name}_after_label", "hint", centred=False)
        self.column.addWidget(self.number_label)
        self.column.addWidget(self.after_label)
        self.setFinalPage(True)
        self.retranslate()

    def retranslate(self) -> None:
        department = self.ctx.config.department
        city = self.ctx.config.jurisdiction.city_names[0]
        self.step_label.setText(self.tr("This kiosk cannot take this report"))
        number = ""
        if self.kind is PageId.REFER_EMERGENCY:
            self.heading.setText(fill(self.tr("Call %1 now"), department.emergency_number))
            self.intro.setText(fill(self.tr("This kiosk cannot take emergencies. If anyone is hurt or in danger, "
                                            "call %1 right away, or tell the desk officer now."),
                                    department.emergency_number))
            number = department.emergency_number
        elif self.kind is PageId.REFER_OUTSIDE_CITY:
            self.heading.setText(self.tr("Please contact the police where it happened"))
            self.intro.setText(fill(self.tr("The %1 takes reports only of incidents that happened in %2. Please "
                                            "contact the police department of the town where it happened. If you "
                                            "are not sure which one that is, the desk officer can help."),
                                    department.name, city))
        elif self.kind is PageId.REFER_SUSPECT:
            self.heading.setText(self.tr("An officer needs to take this report"))
            self.intro.setText(self.tr("Because you know who did it, or there is evidence such as video, a witness "
                                       "or a suspect, an officer can follow it up. Please speak to the desk "
                                       "officer, or call the non-emergency number:"))
            number = department.non_emergency_phone
        else:
            self.heading.setText(self.tr("Please speak to the desk officer"))
            self.intro.setText(self.tr("This kiosk takes only four kinds of reports. For anything else, please speak "
                                       "to the desk officer, or call:"))
            number = department.desk_phone
        self.number_label.setText(number)
        self.number_label.setVisible(bool(number))
        self.after_label.setText(self.tr("Nothing you answered has been kept. Tap “Back to the start” when you are "
                                         "done."))
