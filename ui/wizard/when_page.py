"""When: a time frame, from the earliest to the latest it could have happened, picked by touch.

"I don't know the exact time" keeps only the days: from the start of the first day to the end of the last (never
later than now). Times are sent as ISO 8601 with the kiosk time zone's offset on that day.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QLocale, QTime
from PySide6.QtWidgets import QBoxLayout, QWidget

from ui.fields import MomentPicker
from ui.fields.moment import MINUTE_STEP, floor_to_step
from ui.fields.tile import TileButton
from ui.i18n import day_text, fill, qt_locale
from ui.wizard.base import WizardPage
from ui.wizard.context import WizardContext
from ui.wizard.steps import set_step

END_OF_DAY = time(23, 59)


class WhenPage(WizardPage):
    owned_prefixes = ("incident.occurred_",)

    def __init__(self, ctx: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "when", parent)
        self.start = MomentPicker("occurred_from", ctx.local_now, self._earliest)
        self.end = MomentPicker("occurred_to", ctx.local_now, self._earliest)
        self.unknown_time = TileButton("unknown_time", "toggle")
        self.unknown_time.toggled.connect(self._unknown_time_toggled)
        self.column.addWidget(self.unknown_time)
        self.pickers = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.pickers.setSpacing(24)
        self.pickers.addWidget(self.start, 1)
        self.pickers.addWidget(self.end, 1)
        self.column.addLayout(self.pickers)
        if ctx.theme is not None:
            ctx.theme.changed.connect(self._fit_text_size)
        self._fit_text_size()
        self.fields.update({"incident.occurred_from": self.start, "incident.occurred_to": self.end})
        self.retranslate()

    def _fit_text_size(self) -> None:
        """Side by side; one above the other in large text, where side by side they would not fit."""
        large = self.ctx.large_text()
        self.pickers.setDirection(QBoxLayout.Direction.TopToBottom if large else QBoxLayout.Direction.LeftToRight)

    def _earliest(self) -> datetime:
        oldest = self.ctx.local_now() - timedelta(days=self.ctx.config.rules.oldest_incident_days)
        return floor_to_step(oldest) + timedelta(minutes=MINUTE_STEP)

    def initializePage(self) -> None:
        self.start.refresh()
        self.end.refresh()

    def wipe(self) -> None:
        super().wipe()  # "I don't know the exact time" off: both pickers show the time again
        self.start.reset()
        self.end.reset()

    def retranslate(self) -> None:
        set_step(self, "when")
        self.heading.setText(self.tr("When did it happen?"))
        self.intro.setText(self.tr("If you are not sure, give the earliest and the latest it could have been. "
                                   "◀ ▶ change the day, − and + the time."))
        self.start.set_title(self.tr("From (the earliest)"))
        self.end.set_title(self.tr("To (the latest)"))
        self.unknown_time.set_texts(self.tr("I don't know the exact time"),
                                    accessible_name=self.tr("I don't know the exact time: give only the days"))

    def day_only(self) -> bool:
        return self.unknown_time.isChecked()

    def _unknown_time_toggled(self, checked: bool) -> None:
        self.start.set_day_only(checked)
        self.end.set_day_only(checked)

    def time_frame(self) -> tuple[datetime, datetime]:
        """The two ends as aware datetimes in the kiosk's zone."""
        zone = self.ctx.config.kiosk.zone
        start, end = self.start.moment(), self.end.moment()
        if self.day_only():
            now = self.ctx.local_now().replace(second=0, microsecond=0)
            start = datetime.combine(start.date(), time(0, 0))
            end = min(datetime.combine(end.date(), END_OF_DAY), now)
        return start.replace(tzinfo=zone), end.replace(tzinfo=zone)

    def summary_lines(self) -> list[str]:
        start, end = self.time_frame()
        locale = qt_locale(self.ctx.language)

        def day(moment: datetime) -> str:
            return day_text(moment.date(), self.ctx.language)

        def clock(moment: datetime) -> str:
            return locale.toString(QTime(moment.hour, moment.minute), QLocale.FormatType.ShortFormat)

        if self.day_only():
            if start.date() == end.date():
                return [fill(self.tr("On %1 (exact time not known)"), day(start))]
            return [fill(self.tr("Between %1 and %2 (exact time not known)"), day(start), day(end))]
        return [fill(self.tr("From %1 at %2"), day(start), clock(start)),
                fill(self.tr("To %1 at %2"), day(end), clock(end))]

    def contribute(self, draft: dict[str, Any]) -> None:
        start, end = self.time_frame()
        incident = draft.setdefault("incident", {})
        incident["occurred_from"] = start.isoformat(timespec="seconds")
        incident["occurred_to"] = end.isoformat(timespec="seconds")

    def set_input_language(self, code: str) -> None:
        self.start.set_language(code)
        self.end.set_language(code)
