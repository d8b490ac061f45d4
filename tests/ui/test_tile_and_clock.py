"""Two small things a visitor could see go wrong: a tile's label flashing up as a window of its own while the tile is
built, and the time picker's clock, which follows the language's CLDR locale (12 hours with AM/PM in the United
States, 24 hours in Brazil and China)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from ui.fields.moment import MomentPicker
from ui.fields.tile import TileButton

pytestmark = pytest.mark.gui

AFTERNOON = datetime(2026, 3, 5, 14, 5)


class WindowsShown(QObject):
    """Every widget shown as a window of its own while it watches."""

    def __init__(self) -> None:
        super().__init__()
        self.windows: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow():
            self.windows.append(watched.objectName() or type(watched).__name__)
        return False


def test_a_tile_with_a_sentence_never_shows_a_label_as_a_window(qapp):
    watcher = WindowsShown()
    qapp.installEventFilter(watcher)
    try:
        tile = TileButton("category_lost", with_text=True)
    finally:
        qapp.removeEventFilter(watcher)
    assert watcher.windows == []
    assert tile.text_label.parentWidget() is tile
    assert not tile.text_label.isWindow()


def picker_at(language: str, moment: datetime) -> MomentPicker:
    picker = MomentPicker("occurred_from", latest=lambda: moment + timedelta(days=1),
                          earliest=lambda: moment - timedelta(days=365))
    picker.set_moment(moment)
    picker.set_language(language)
    return picker


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_united_states_languages_keep_a_twelve_hour_clock(qapp, language):
    picker = picker_at(language, AFTERNOON)
    assert picker.hour_label.text() == "2"
    assert picker.minute_label.text() == "05"
    assert not picker.half_day_label.isHidden()
    assert picker.half_day_label.text() in ("PM", "p.m.")


@pytest.mark.parametrize("language", ["pt_BR", "zh_CN"])
def test_brazil_and_china_get_a_twenty_four_hour_clock(qapp, language):
    picker = picker_at(language, AFTERNOON)
    assert (picker.hour_label.text(), picker.minute_label.text()) == ("14", "05")
    assert picker.half_day_label.isHidden()
    picker.set_moment(AFTERNOON.replace(hour=9))
    assert picker.hour_label.text() == "09"
    picker.set_language("en")  # the language changes mid-report: the clock follows it
    assert (picker.hour_label.text(), picker.half_day_label.text()) == ("9", "AM")
    assert not picker.half_day_label.isHidden()
