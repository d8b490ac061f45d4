"""Every page, in every installed language, the pseudo-locale (text ~40 % longer) and the right-to-left pseudo-locale,
normal and large text: every touch target named, spoken and big enough, text large enough, and nothing cut off.
Right to left, every widget is mirrored and the numbers a visitor reads keep their left-to-right order."""

from __future__ import annotations

import re

import pytest
from helpers import load_sample
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QWidget

from kiosk.translation import catalogues
from ui.walkthrough import Visitor, tour

pytestmark = [pytest.mark.gui, pytest.mark.slow]

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
MIN_TOUCH_HEIGHT = 48
MIN_TEXT_POINTS = 18


def points(widget: QWidget) -> float:
    """The text size in points, also for fonts the style sheet gives in pixels (the header's)."""
    font = widget.font()
    if font.pointSizeF() > 0:
        return font.pointSizeF()
    return font.pixelSize() * 72 / widget.logicalDpiY()


def problems_on_screen(window) -> list[str]:
    """What a visitor would stumble on in what the window shows now."""
    found = []
    visible = [w for w in window.findChildren(QWidget) if w.isVisible()]
    for widget in visible:
        name = widget.objectName()
        interactive = isinstance(widget, QAbstractButton | QLineEdit | QPlainTextEdit)
        if interactive:
            if not SNAKE_CASE.match(name):
                found.append(f"{type(widget).__name__} {name!r} has no snake_case objectName")
            if not widget.accessibleName().strip():
                found.append(f"{name} has no accessible name")
            if widget.height() < MIN_TOUCH_HEIGHT:
                found.append(f"{name} is {widget.height()} px high")
        if isinstance(widget, QPushButton) and widget.text() and widget.width() < widget.sizeHint().width() - 2:
            found.append(f"{name} is too narrow for {widget.text()!r}: {widget.width()} < {widget.sizeHint().width()}")
        if isinstance(widget, QLabel) and widget.text():
            if not SNAKE_CASE.match(name):
                found.append(f"label {widget.text()!r} has objectName {name!r}")
            if points(widget) < MIN_TEXT_POINTS:
                found.append(f"{name} is {points(widget):.1f} pt")
            if widget.wordWrap():
                if widget.height() < widget.heightForWidth(widget.width()):
                    found.append(f"{name} is cut off: {widget.height()} < {widget.heightForWidth(widget.width())}")
            elif widget.width() < widget.sizeHint().width() - 2:
                found.append(f"{name} is too narrow for {widget.text()!r}")
    return found


def mirrored(window) -> list[str]:
    """The visible widgets not laid out right to left (with the application's direction right to left)."""
    return [f"{type(w).__name__} {w.objectName()!r} is laid out left to right"
            for w in window.findChildren(QWidget) if w.isVisible() and not w.isRightToLeft()]


@pytest.mark.parametrize("large_text", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("language", [*catalogues().installed(), "pseudo", "rtl"])
def test_every_page_fits_and_is_touchable(make_window, config, settle, language, large_text):
    window = make_window()
    visitor = Visitor(window)
    if language in ("pseudo", "rtl"):
        window.switcher.set_pseudo_locale(right_to_left=language == "rtl")
    elif language != "en":
        visitor.choose_language(language)
    if large_text:
        visitor.tap(window.header.large_text_button)
    report = load_sample("larceny-bicycle")
    seen = {}
    for stop in tour(visitor, report, config.kiosk.zone):
        settle()
        seen[stop] = problems_on_screen(window)
        if language == "rtl":
            seen[stop] += mirrored(window)
        if window.width() != 1280 or window.height() != 800:
            seen[stop].append(f"the window grew to {window.width()}x{window.height()} to fit the page")
    assert {stop: found for stop, found in seen.items() if found} == {}
    assert len(seen) >= 22


def test_the_pseudo_locale_lengthens_every_text(make_window, settle):
    window = make_window()
    english = window.welcome_page.eligible_label.text()
    window.switcher.set_pseudo_locale()
    settle()
    pseudo = window.welcome_page.eligible_label.text()
    assert pseudo.startswith("[") and pseudo.endswith("]")
    assert len(pseudo) >= 1.35 * len(english)
    assert window.switcher.language == "en", "the core's messages stay in English"
    window.switcher.set_language("en")
    settle()
    assert window.welcome_page.eligible_label.text() == english


def test_right_to_left_mirrors_the_window_and_keeps_the_tracking_number_in_reading_order(make_window, settle):
    window = make_window()
    english_start = window.welcome_page.start_button.text()
    window.switcher.set_pseudo_locale(right_to_left=True)
    settle()
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    start = window.welcome_page.start_button
    assert start.text().startswith("\u200f\u202b[") and start.text() != english_start
    assert start.isRightToLeft()
    # The header's buttons sit where they sit left to right, mirrored.
    english = window.header.language_buttons["en"]
    right_to_left_x = english.mapTo(window, english.rect().topLeft()).x()
    window.switcher.set_language("en")
    settle()
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight
    left_to_right_x = english.mapTo(window, english.rect().topLeft()).x()
    assert abs((right_to_left_x + english.width()) - (window.width() - left_to_right_x)) <= 2
