"""Picking a moment by touch: a day with ◀ ▶ and a time with big + and − for the hour and the minutes.

Nothing can be picked after "now" (the kiosk's clock, in the kiosk's time zone) or before the oldest day the rules
accept: the buttons that would go there are disabled. Times move in steps of five minutes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, QLocale, Qt, QTime, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from kiosk.translation import SOURCE_LANGUAGE
from ui.fields.stepper import step_button
from ui.i18n import day_text, fill, qt_locale
from ui.widgets import Translatable, error_label, set_button_text, set_error_text, text_label

MINUTE_STEP = 5


def floor_to_step(moment: datetime) -> datetime:
    return moment.replace(minute=moment.minute - moment.minute % MINUTE_STEP, second=0, microsecond=0)


def value_label(object_name: str, *, fixed: bool = False) -> QLabel:
    label = QLabel()
    label.setObjectName(object_name)
    label.setProperty("role", "value")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    if fixed:  # the hour, the minutes: never wrapped, as wide as their text
        label.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred)
    else:
        label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        label.setWordWrap(True)  # a long date in large text takes two lines rather than being cut
    return label


def uses_twelve_hours(locale: QLocale) -> bool:
    """Whether ``locale`` (CLDR's data, as Qt has it) writes a time on a 12-hour clock with AM and PM ("2:05 PM" in
    the United States) rather than a 24-hour one ("14:05" in Brazil and China): its short time format's hour is "h"."""
    pattern = locale.timeFormat(QLocale.FormatType.ShortFormat)
    return "h" in pattern.replace("'", "") and "H" not in pattern


class MomentPicker(Translatable, QWidget):
    """A local date and time (naive, in the kiosk's zone) between ``earliest()`` and ``latest()``.

    ``latest`` and ``earliest`` are functions, asked on every step, so "now" moves with the clock. With
    ``set_day_only(True)`` the time part hides (the visitor does not know the exact time).
    """

    changed = Signal()

    def __init__(self, name: str, latest: Callable[[], datetime], earliest: Callable[[], datetime],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}_picker")
        self._latest, self._earliest = latest, earliest
        self._moment = floor_to_step(latest())
        self._language: str = SOURCE_LANGUAGE

        self.title = text_label(f"{name}_label", "field", centred=False)
        self.day_earlier = step_button(f"{name}_day_earlier_button", "◀")
        self.day_later = step_button(f"{name}_day_later_button", "▶")
        self.date_label = value_label(f"{name}_date_label")
        self.relative_label = text_label(f"{name}_relative_label", "hint")
        self.hour_later = step_button(f"{name}_hour_later_button", "+")
        self.hour_earlier = step_button(f"{name}_hour_earlier_button", "−")
        self.minute_later = step_button(f"{name}_minute_later_button", "+")
        self.minute_earlier = step_button(f"{name}_minute_earlier_button", "−")
        self.hour_label = value_label(f"{name}_hour_label", fixed=True)
        self.colon_label = value_label(f"{name}_colon_label")
        self.colon_label.setText(":")
        self.colon_label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self.minute_label = value_label(f"{name}_minute_label", fixed=True)
        self.half_day_label = value_label(f"{name}_half_day_label", fixed=True)
        self.error = error_label(f"{name}_error")

        self.day_earlier.clicked.connect(lambda: self._move(timedelta(days=-1)))
        self.day_later.clicked.connect(lambda: self._move(timedelta(days=1)))
        self.hour_earlier.clicked.connect(lambda: self._move(timedelta(hours=-1)))
        self.hour_later.clicked.connect(lambda: self._move(timedelta(hours=1)))
        self.minute_earlier.clicked.connect(lambda: self._move(timedelta(minutes=-MINUTE_STEP)))
        self.minute_later.clicked.connect(lambda: self._move(timedelta(minutes=MINUTE_STEP)))
        self._build_layout()
        self.retranslate()

    def _build_layout(self) -> None:
        date_row = QHBoxLayout()
        date_row.setSpacing(12)
        date_row.addWidget(self.day_earlier)
        date_row.addWidget(self.date_label, 1)
        date_row.addWidget(self.day_later)

        self.time_box = QWidget()
        self.time_box.setObjectName(f"{self.objectName()}_time")
        row = QHBoxLayout(self.time_box)  # −  10  +   :   −  45  +   PM
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        for widget in (self.hour_earlier, self.hour_label, self.hour_later, self.colon_label, self.minute_earlier,
                       self.minute_label, self.minute_later, self.half_day_label):
            row.addWidget(widget)
        row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        layout.addLayout(date_row)
        layout.addWidget(self.relative_label)
        layout.addWidget(self.time_box)
        layout.addWidget(self.error)
        layout.addStretch(1)

    # -- values ---------------------------------------------------------------------------------------------------

    def moment(self) -> datetime:
        return self._moment

    def day(self) -> date:
        return self._moment.date()

    def set_moment(self, moment: datetime) -> None:
        self._moment = self._clamp(floor_to_step(moment))
        self._show()

    def set_day_only(self, day_only: bool) -> None:
        self.time_box.setVisible(not day_only)
        self._describe_buttons()

    def reset(self) -> None:
        """Back to now, as built."""
        self.set_moment(self._latest())

    def refresh(self) -> None:
        """Check the limits again (the clock has moved on) and update the buttons."""
        self.set_moment(self._moment)

    def set_language(self, code: str) -> None:
        self._language = code
        self._show()

    def set_error(self, text: str | None) -> None:
        set_error_text(self.error, text)

    def focus_target(self) -> QWidget:
        return self.day_earlier

    def _move(self, delta: timedelta) -> None:
        self.set_moment(self._moment + delta)
        self.changed.emit()

    def _clamp(self, moment: datetime) -> datetime:
        latest = floor_to_step(self._latest())
        earliest = self._earliest()
        return max(min(moment, latest), earliest)

    # -- showing --------------------------------------------------------------------------------------------------

    def retranslate(self) -> None:
        set_button_text(self.day_earlier, "◀", self.tr("Day before"))
        set_button_text(self.day_later, "▶", self.tr("Day after"))
        set_button_text(self.hour_later, "+", self.tr("Hour later"))
        set_button_text(self.hour_earlier, "−", self.tr("Hour earlier"))
        set_button_text(self.minute_later, "+", self.tr("Five minutes later"))
        set_button_text(self.minute_earlier, "−", self.tr("Five minutes earlier"))
        self._show()

    def _show(self) -> None:
        locale = qt_locale(self._language)
        moment = self._moment
        qdate = QDate(moment.year, moment.month, moment.day)
        self.date_label.setText(day_text(moment.date(), self._language))
        qtime = QTime(moment.hour, moment.minute)
        twelve_hours = uses_twelve_hours(locale)
        self.hour_label.setText(str(moment.hour % 12 or 12) if twelve_hours else f"{moment.hour:02d}")
        self.minute_label.setText(f"{moment.minute:02d}")
        self.half_day_label.setText(locale.toString(qtime, "Ap") if twelve_hours else "")
        self.half_day_label.setVisible(twelve_hours)
        self.date_label.setAccessibleName(locale.toString(qdate, QLocale.FormatType.LongFormat))
        self.hour_label.setAccessibleName(locale.toString(qtime, QLocale.FormatType.ShortFormat))
        self.relative_label.setText(self._relative_day())
        self._describe_buttons()
        latest = floor_to_step(self._latest())
        earliest = self._earliest()
        self.day_later.setEnabled(moment < latest)
        self.hour_later.setEnabled(moment < latest)
        self.minute_later.setEnabled(moment < latest)
        self.day_earlier.setEnabled(moment > earliest)
        self.hour_earlier.setEnabled(moment > earliest)
        self.minute_earlier.setEnabled(moment > earliest)

    def set_title(self, text: str) -> None:
        """What the picker is for ("From (the earliest)"): shown above it, and told with each of its buttons."""
        self.title.setText(text)
        self._describe_buttons()

    def _describe_buttons(self) -> None:
        """"Day before" alone does not say which date it moves: each button's description names the picker and the
        moment it shows now, read by a screen reader after the button's name."""
        shown = self.date_label.accessibleName()
        if not self.time_box.isHidden():
            shown = f"{shown}, {self.hour_label.accessibleName()}"
        # Translators: a date or time button's description for a screen reader: %1 is what the picker is for
        # ("From (the earliest)"), %2 the date (and time) it is set to now.
        description = fill(self.tr("%1, set to %2"), self.title.text(), shown)
        for button in (self.day_earlier, self.day_later, self.hour_later, self.hour_earlier, self.minute_later,
                       self.minute_earlier):
            button.setAccessibleDescription(description)

    def _relative_day(self) -> str:
        days = (self._latest().date() - self._moment.date()).days
        if days <= 0:
            return self.tr("Today")
        if days == 1:
            return self.tr("Yesterday")
        return self.tr("%1 days ago").replace("%1", str(days))
