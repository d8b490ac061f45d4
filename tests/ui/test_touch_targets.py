"""Every page is usable by a finger and a screen reader: names, sizes and text large enough to read."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel

pytestmark = pytest.mark.gui

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
MIN_TOUCH_HEIGHT = 48
MIN_TEXT_POINTS = 18


def check_page(page) -> int:
    buttons = [b for b in page.findChildren(QAbstractButton) if b.isVisible()]
    assert buttons, f"{page.objectName()} shows no button"
    for button in buttons:
        name = button.objectName()
        assert SNAKE_CASE.match(name), f"button {button.text()!r} has objectName {name!r}, not snake_case"
        assert button.accessibleName().strip(), f"{name} has no accessible name"
        assert button.height() >= MIN_TOUCH_HEIGHT, f"{name} is {button.height()} px high"
    for label in page.findChildren(QLabel):
        if label.isVisible():
            assert SNAKE_CASE.match(label.objectName()), f"label {label.text()!r} has no snake_case objectName"
            size = label.font().pointSizeF()
            assert size >= MIN_TEXT_POINTS, f"{label.objectName()} is {size} pt"
            assert label.height() >= label.heightForWidth(label.width()), f"{label.objectName()} is cut off"
    return len(buttons)


@pytest.mark.parametrize("kiosk_mode", [True, False], ids=["kiosk", "windowed"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_every_visible_button_is_named_and_big_enough(make_window, qtbot, settle, kiosk_mode, language):
    window = make_window(kiosk_mode=kiosk_mode)
    window.switcher.set_language(language)
    settle()

    assert check_page(window.welcome_page) == 3  # English, Español, Start
    qtbot.mouseClick(window.welcome_page.start_button, Qt.MouseButton.LeftButton)
    settle()
    assert check_page(window.unavailable_page) == 1  # Back
    assert window.unavailable_page.back_button.height() >= 64
    assert window.welcome_page.start_button.height() >= 64
