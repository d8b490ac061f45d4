"""The focus ring, measured (issue 21; WCAG 2.2 §2.4.13 Focus Appearance): in every theme (normal, large text, high
contrast) each kind of focusable control gets a ring at least 2 px thick whose pixels contrast at least 3:1 with the
same pixels when the control is not focused (§2.4.13's measure: there, the page's background) and with the gap between
ring and control (so it never melts into a dark control's edge). The pixels just outside the ring are the page, or a
neighbouring control a few px away: the share of them at 3:1 is printed. Everything is read from the window's own
pixels (``QWidget.grab``); ``pytest -s`` prints the lowest ratios per theme, and the pictures are saved
(``P2C_FOCUS_PNG_DIR``, else the test's temporary folder) to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import load_sample
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QRegion
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from ui.focus_ring import RING_GAP, RING_WIDTH, FocusRing
from ui.walkthrough import Visitor, settle
from ui.wizard.page_ids import PageId

pytestmark = pytest.mark.gui

THEMES = {"normal": {}, "large_text": {"large_text_button"}, "high_contrast": {"high_contrast_button"}}
WELCOME_CONTROLS = ("start_button", "language_es_button", "language_en_button", "large_text_button")
WHO_CONTROLS = ("first_name_input", "contact_preference_email_button", "next_button", "back_button")
WHEN_CONTROLS = ("occurred_from_day_earlier_button", "occurred_from_hour_earlier_button", "unknown_time_button")
FIRST_PAGE_CONTROLS = ("screening_emergency_yes_button",)


def luminance(colour: QColor) -> float:
    """WCAG 2.2's relative luminance."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(colour.red()) + 0.7152 * channel(colour.green()) + 0.0722 * channel(colour.blue())


def contrast(a: QColor, b: QColor) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def ring_of(window: QWidget) -> FocusRing:
    ring = window.findChild(FocusRing, "focus_ring")
    assert ring is not None, "the window has no focus ring"
    return ring


def grab(window: QWidget) -> QImage:
    settle()
    return window.grab().toImage()


def band_points(outer: QRect, depth: int) -> list[tuple[int, int]]:
    """Points ``depth`` px inside ``outer``'s edge, along all four sides (corners left out)."""
    left, top, right, bottom = outer.left(), outer.top(), outer.right(), outer.bottom()
    inset = RING_WIDTH + RING_GAP + 2
    xs = range(left + inset, right - inset + 1, 3)
    ys = range(top + inset, bottom - inset + 1, 3)
    return ([(x, top + depth) for x in xs] + [(x, bottom - depth) for x in xs]
            + [(left + depth, y) for y in ys] + [(right - depth, y) for y in ys])


def thickness(image: QImage, outer: QRect, colour: QColor) -> int:
    """How many px of ``colour`` cross the ring, from outside in, at the middle of its top edge."""
    x = outer.center().x()
    count = 0
    for y in range(outer.top(), outer.top() + RING_WIDTH + RING_GAP + 1):
        if image.pixelColor(x, y) == colour:
            count += 1
    return count


def measure(name: str, ring: QRegion, ring_colour: QColor, focused: QImage, unfocused: QImage) -> dict[str, float]:
    """The lowest contrasts of the ring's pixels (``ring``: where it was drawn, in the window's coordinates)."""
    outer = ring.boundingRect()
    bounds = QRect(0, 0, focused.width(), focused.height())
    ratios: dict[str, list[float]] = {"unfocused": [], "outside": [], "gap": []}
    seen = 0
    for x, y in band_points(outer, RING_WIDTH // 2):
        if not bounds.contains(x, y) or not ring.contains(QPoint(x, y)):
            continue
        pixel = focused.pixelColor(x, y)
        assert pixel == ring_colour, f"{name}: ({x}, {y}) is {pixel.name()}, not the ring's {ring_colour.name()}"
        seen += 1
        ratios["unfocused"].append(contrast(pixel, unfocused.pixelColor(x, y)))
    assert seen > 20, f"{name}: the ring is hardly shown ({seen} points)"
    for x, y in band_points(outer.adjusted(-2, -2, 2, 2), 0):
        if bounds.contains(x, y) and not ring.contains(QPoint(x, y)):
            ratios["outside"].append(contrast(ring_colour, focused.pixelColor(x, y)))
    for x, y in band_points(outer, RING_WIDTH + RING_GAP // 2):
        if bounds.contains(x, y) and focused.pixelColor(x, y) != ring_colour:
            ratios["gap"].append(contrast(ring_colour, focused.pixelColor(x, y)))
    assert thickness(focused, outer, ring_colour) >= 2, f"{name}: the ring is thinner than 2 px"
    found = {kind: min(values) for kind, values in ratios.items() if values and kind != "outside"}
    found["outside_share"] = sum(ratio >= 3 for ratio in ratios["outside"]) / max(1, len(ratios["outside"]))
    return found


def focus_by_tab(window: QWidget, name: str) -> QWidget:
    """Tab until ``name`` has the focus (the ring follows the keyboard's focus). A tap sent by Qt Test to an offscreen
    window leaves it inactive (no focus is shown, no key would reach it): it is made active first."""
    window.activateWindow()
    settle()
    assert window.isActiveWindow()
    target = Visitor(window).find(name)
    for _ in range(80):
        if window.focusWidget() is target:
            return target
        QTest.keyClick(window.windowHandle(), Qt.Key.Key_Tab)
        settle()
    raise AssertionError(f"Tab never reaches {name}")


def png_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("P2C_FOCUS_PNG_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("theme", list(THEMES))
def test_the_focus_ring_is_thick_and_contrasts_in_every_theme(make_window, tmp_path, config, theme):
    window = make_window()
    window.resize(1280, 800)
    visitor = Visitor(window)
    for switch in THEMES[theme]:
        visitor.tap(switch)
    folder = png_dir(tmp_path)
    lowest: dict[str, float] = {}
    report = load_sample("lost-wallet")

    def check(names: tuple[str, ...], page: str) -> None:
        for name in names:
            focus_by_tab(window, name)
            focused = grab(window)
            ring = ring_of(window)
            assert ring.target() is Visitor(window).find(name), f"the ring is not around {name}"
            drawn = ring.mask().translated(ring.pos())
            colour = QColor(ring.colours.ring)
            crop = ring.ring_rect().adjusted(-24, -24, 24, 24)
            focused.copy(crop).save(str(folder / f"focus-{theme}-{page}-{name}.png"))
            window.focusWidget().clearFocus()
            assert ring.target() is None, "the ring stays after the focus has gone"
            unfocused = grab(window)
            for kind, ratio in measure(name, drawn, colour, focused, unfocused).items():
                lowest[kind] = min(lowest.get(kind, 99.0), ratio)  # the share outside: its lowest too

    check(WELCOME_CONTROLS, "welcome")
    visitor.start()
    check(FIRST_PAGE_CONTROLS, "screening")
    visitor.screening()
    visitor.category("lost_property")
    assert window.wizard.currentId() == PageId.WHO
    check(WHO_CONTROLS, "who")
    visitor.about_me(report["reporter"])
    visitor.next()
    assert window.wizard.currentId() == PageId.WHEN
    check(WHEN_CONTROLS, "when")
    outside = lowest.pop("outside_share")
    print(f"\nfocus ring, {theme}: lowest contrast with the same pixels unfocused (the page under the ring) "
          f"{lowest['unfocused']:.1f}:1, with the gap between ring and control {lowest['gap']:.1f}:1; "
          f"{outside:.0%} of the pixels just outside the ring at 3:1 or more (the rest: neighbouring controls); "
          f"{RING_WIDTH} px thick; pictures in {folder}")
    assert min(lowest.values()) >= 3.0
    assert outside >= 0.5


def test_no_ring_around_a_page_after_a_tap(make_window):
    """A tap on Start leaves the focus on the new page (so no button looks focused): no ring round the whole page. A
    tap in a text input does give it the ring: that is where the keys will go."""
    window = make_window()
    visitor = Visitor(window)
    visitor.start()
    window.activateWindow()
    settle()
    ring = ring_of(window)
    assert window.focusWidget() is window.current_page()
    assert ring.target() is None and not ring.isVisible()
    visitor.screening()
    visitor.category("lost_property")
    visitor.tap("first_name_input")
    window.activateWindow()
    settle()
    assert ring.target() is Visitor(window).find("first_name_input")
