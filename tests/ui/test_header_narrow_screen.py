"""The header bar on a portrait screen: the department's name and the switches stay whole and on the screen. The
language buttons go below the text switches when one line cannot hold both (four languages); where the name (on at
most two lines) cannot stand beside the switches, they go below it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QWidget

from ui.shell import KioskWindow

pytestmark = pytest.mark.gui


def rect_in_header(window: KioskWindow, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(window.header, QPoint(0, 0)), widget.size())


@pytest.mark.parametrize(("language", "width", "one_line"),
                         [("en", 1280, True), ("es", 1280, True), ("en", 1080, True), ("es", 1080, True)])
def test_the_header_keeps_the_name_readable_and_every_switch_on_screen(window, visitor, settle, language, width,
                                                                       one_line) -> None:
    visitor.start()  # past the welcome page: the header shows the department's name
    visitor.choose_language(language)
    window.resize(width, 1920 if width == 1080 else 800)
    settle()
    header, name = window.header, window.header.department_label
    assert window.width() == width
    assert name.isVisible()
    lines = round(name.height() / name.fontMetrics().lineSpacing())
    assert lines <= 2, f"the department's name takes {lines} lines"
    buttons = [window.header.large_text_button, window.header.high_contrast_button,
               *window.header.language_buttons.values()]
    for widget in (name, *buttons):
        assert header.rect().contains(rect_in_header(window, widget)), widget.objectName()
    beside = rect_in_header(window, buttons[0]).top() < rect_in_header(window, name).bottom()
    assert beside is one_line
