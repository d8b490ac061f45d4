"""Text and control contrast, measured from the window's own pixels (WCAG 2.2 §1.4.3 and §1.4.11).

Every citizen page and state (welcome, the wizard through a report, the referrals, "Check a report", the idle warning
and the "Start over?" card) in each theme (normal, large text, high contrast), and officer mode's main screens in its
one theme. At each stop the window is grabbed once (``QWidget.grab``, the focus ring hidden so it is not taken for
text) and each visible, enabled QLabel, button, QLineEdit and text edit that shows text (a placeholder counts) is
measured in the part of the window where its text is drawn: the background is the most common colour there, the text
the colour with the highest contrast to it that covers at least MIN_TEXT_PIXELS pixels (so the anti-aliased edges of
letters do not count). The ratio must be 4.5:1, or 3:1 for large text (at least 24 px, or 18.66 px and bold).
Disabled controls are exempt, as WCAG says.

§1.4.11: the edge of each enabled input and button (its border or its fill, whichever stands out more) against the
background just outside it must be 3:1.

``pytest -s`` prints the lowest ratios per theme.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import load_sample
from PySide6.QtCore import QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFontInfo, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QStyleOptionFrame,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)
from test_check_report import WRONG, ask_for_information
from test_officer_screens_fit import officer_tour

from ui.idle import Overlay
from ui.walkthrough import Visitor, tour
from ui.walkthrough import settle as settle_events

pytestmark = pytest.mark.gui

THEMES = {"normal": (), "large_text": ("large_text_button",), "high_contrast": ("high_contrast_button",),
          "large_high_contrast": ("large_text_button", "high_contrast_button")}
MIN_TEXT_PIXELS = 8   # a colour must cover this many pixels to be the text's (anti-aliasing covers fewer)
MIN_EDGE_PIXELS = 12
TEXT_RATIO, LARGE_TEXT_RATIO, NON_TEXT_RATIO = 4.5, 3.0, 3.0
LARGE_PX, LARGE_BOLD_PX = 24.0, 18.66
EDGE_BAND = 6         # px inside a control's edge where its boundary (border or fill) is looked for
OUTSIDE = (2, 6)      # px outside a control's edge where the background around it is read


def luminance(colour: QColor) -> float:
    """WCAG 2.2's relative luminance of an sRGB colour."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(colour.red()) + 0.7152 * channel(colour.green()) + 0.0722 * channel(colour.blue())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2.2's contrast ratio, 1 to 21."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@dataclass(frozen=True)
class Reading:
    where: str
    name: str
    what: str          # "text", "placeholder" or "edge"
    ratio: float
    needed: float
    ink: str
    ground: str

    def __str__(self) -> str:
        return (f"{self.ratio:5.2f}:1 (needs {self.needed}) {self.what} of {self.name} at {self.where}: "
                f"{self.ink} on {self.ground}")


def colours(image: QImage, rect: QRect) -> Counter[int]:
    """How many pixels of each colour (0xRRGGBB) ``rect`` of ``image`` holds."""
    part = image.copy(rect.intersected(image.rect())).convertToFormat(QImage.Format.Format_RGB32)
    if part.isNull() or part.width() == 0:
        return Counter()
    return Counter(value & 0xFFFFFF for value in memoryview(part.constBits()).cast("I"))


def ink_and_ground(counts: Counter[int], minimum: int) -> tuple[QColor, QColor, float] | None:
    """The most common colour (the background) and the colour with the highest contrast to it among those covering at
    least ``minimum`` pixels, with their ratio; None when nothing but the background is there."""
    if not counts:
        return None
    ground = QColor(counts.most_common(1)[0][0])
    found = [(contrast(QColor(rgb), ground), rgb) for rgb, n in counts.items()
             if n >= minimum and QColor(rgb) != ground]
    if not found:
        return None
    ratio, rgb = max(found)
    return QColor(rgb), ground, ratio


def text_area(widget: QWidget) -> QRect:
    """Where ``widget`` draws its text, in its own coordinates: inside its border and padding (the style sheet's
    box), so a border that stands out more than the text is not taken for it."""
    style = widget.style()
    if isinstance(widget, QPushButton | QCheckBox | QRadioButton):
        option = QStyleOptionButton()
        widget.initStyleOption(option)
        element = (QStyle.SubElement.SE_PushButtonContents if isinstance(widget, QPushButton)
                   else QStyle.SubElement.SE_CheckBoxContents if isinstance(widget, QCheckBox)
                   else QStyle.SubElement.SE_RadioButtonContents)
        return style.subElementRect(element, option, widget)
    if isinstance(widget, QLineEdit):
        frame = QStyleOptionFrame()
        widget.initStyleOption(frame)
        return style.subElementRect(QStyle.SubElement.SE_LineEditContents, frame, widget)
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return widget.viewport().geometry()
    if isinstance(widget, QAbstractButton):
        return widget.rect().adjusted(4, 4, -4, -4)
    return widget.contentsRect()


def shown_text(widget: QWidget) -> tuple[str, str]:
    """(what, text): the text ``widget`` shows, or its placeholder when it is empty."""
    if isinstance(widget, QLabel | QAbstractButton):
        return "text", widget.text()
    if isinstance(widget, QLineEdit):
        return ("text", widget.text()) if widget.text() else ("placeholder", widget.placeholderText())
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        text = widget.toPlainText()
        return ("text", text) if text else ("placeholder", widget.placeholderText())
    return "text", ""


def is_large(widget: QWidget) -> bool:
    info = QFontInfo(widget.font())
    return info.pixelSize() >= LARGE_PX or (info.bold() and info.pixelSize() >= LARGE_BOLD_PX)


def on_screen(widget: QWidget, window: QWidget) -> QRect:
    """The part of ``widget`` the window shows (not scrolled away or covered), in the window's coordinates."""
    visible = widget.visibleRegion().boundingRect()
    return QRect(widget.mapTo(window, visible.topLeft()), visible.size())


def text_readings(where: str, window: QWidget, image: QImage, scope: QWidget) -> list[Reading]:
    found = []
    kinds = QLabel | QAbstractButton | QLineEdit | QPlainTextEdit | QTextEdit
    for widget in scope.findChildren(QWidget):
        if not isinstance(widget, kinds) or not widget.isVisible() or not widget.isEnabled():
            continue
        what, text = shown_text(widget)
        if not text.strip():
            continue
        area = text_area(widget).intersected(widget.visibleRegion().boundingRect())
        if area.isEmpty():
            continue
        rect = QRect(widget.mapTo(window, area.topLeft()), area.size())
        counts = colours(image, rect)
        if widget.hasFocus() and isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
            # The text cursor is drawn in the text's colour: left out, or an empty field's cursor would pass for the
            # placeholder's colour.
            cursor = QRectF(widget.inputMethodQuery(Qt.InputMethodQuery.ImCursorRectangle)).toAlignedRect()
            cursor.adjust(-2, -2, 2, 2)
            counts = counts - colours(image, QRect(widget.mapTo(window, cursor.topLeft()), cursor.size()))
        measured = ink_and_ground(counts, MIN_TEXT_PIXELS)
        if measured is None:
            continue
        ink, ground, ratio = measured
        needed = LARGE_TEXT_RATIO if is_large(widget) else TEXT_RATIO
        found.append(Reading(where, widget.objectName() or type(widget).__name__, what, ratio, needed, ink.name(),
                             ground.name()))
    return found


def edge_readings(where: str, window: QWidget, image: QImage, scope: QWidget) -> list[Reading]:
    """§1.4.11: each enabled input's, drop-down list's and push button's boundary (its border or its fill: the colour
    of the band just inside its edge that stands out most) against the background around it (the most common colour
    of the band just outside). The middle half of each side only, so rounded corners do not count."""
    found = []
    for widget in scope.findChildren(QWidget):
        if not isinstance(widget, QLineEdit | QPlainTextEdit | QPushButton | QAbstractSpinBox | QComboBox) \
                or not widget.isVisible() or not widget.isEnabled() \
                or isinstance(widget.parentWidget(), QAbstractSpinBox | QComboBox):
            continue  # (the text field of a spin box or an editable drop-down list is inside that control's edge)
        if on_screen(widget, window).size() != widget.size():
            continue  # partly scrolled away or covered: its edge is not all there to judge
        outer = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
        w4, h4 = outer.width() // 4, outer.height() // 4
        near, far = OUTSIDE
        inside, around = Counter[int](), Counter[int]()
        for band, out in (
                (QRect(outer.left() + w4, outer.top(), 2 * w4, EDGE_BAND),
                 QRect(outer.left() + w4, outer.top() - far, 2 * w4, far - near)),
                (QRect(outer.left() + w4, outer.bottom() - EDGE_BAND + 1, 2 * w4, EDGE_BAND),
                 QRect(outer.left() + w4, outer.bottom() + near + 1, 2 * w4, far - near)),
                (QRect(outer.left(), outer.top() + h4, EDGE_BAND, 2 * h4),
                 QRect(outer.left() - far, outer.top() + h4, far - near, 2 * h4)),
                (QRect(outer.right() - EDGE_BAND + 1, outer.top() + h4, EDGE_BAND, 2 * h4),
                 QRect(outer.right() + near + 1, outer.top() + h4, far - near, 2 * h4))):
            inside.update(colours(image, band))
            around.update(colours(image, out))
        if not around:
            continue
        ground = QColor(around.most_common(1)[0][0])
        edge = [(contrast(QColor(rgb), ground), rgb) for rgb, n in inside.items() if n >= MIN_EDGE_PIXELS]
        if edge:
            ratio, rgb = max(edge)
            found.append(Reading(where, widget.objectName() or type(widget).__name__, "edge", ratio, NON_TEXT_RATIO,
                                 QColor(rgb).name(), ground.name()))
    return found


def readings_now(where: str, window: QWidget, scope: QWidget | None = None) -> list[Reading]:
    """Grab ``window`` as shown, without the focus ring, and measure every text and edge in ``scope``."""
    settle_events()
    ring = window.findChild(QWidget, "focus_ring")
    ring_shown = ring is not None and ring.isVisible()
    if ring_shown:
        ring.hide()
    image = window.grab().toImage()
    if ring_shown:
        ring.show()
    png_dir = os.environ.get("P2C_CONTRAST_PNG_DIR")
    if png_dir:
        image.save(str(Path(png_dir) / f"{where.replace('/', '-')}.png"))
    overlays = [w for w in (scope or window).findChildren(Overlay) if w.isVisible()]
    scope = overlays[-1] if overlays else scope or window  # an open overlay dims what is under it: only it counts
    return text_readings(where, window, image, scope) + edge_readings(where, window, image, scope)


def report_and_check(theme: str, readings: list[Reading]) -> None:
    lowest: dict[str, Reading] = {}
    for reading in readings:
        key = f"{reading.what} (needs {reading.needed})"
        if key not in lowest or reading.ratio < lowest[key].ratio:
            lowest[key] = reading
    print(f"\n{theme}: {len(readings)} readings; lowest:")
    for key, reading in sorted(lowest.items()):
        print(f"  {key}: {reading}")
    failing = sorted((r for r in readings if r.ratio < r.needed), key=lambda r: r.ratio)
    assert not failing, "\n".join(str(r) for r in dict.fromkeys(failing))


# -- the measure itself -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("ink", "ground"), [("#767676", "#ffffff"), ("#858585", "#ffffff"), ("#ffff00", "#000000"),
                                             ("#ffffff", "#0b3d91")])
def test_the_measure_reads_the_text_colour_not_its_edges_or_the_border(qtbot, ink, ground):
    """Known colours, drawn by Qt: the ratio read from the pixels is the colours' own, whatever the anti-aliasing,
    and a border that stands out more than the text (black here) is not taken for it."""
    frame = QWidget()
    frame.setObjectName("frame")
    frame.setStyleSheet(f"QWidget#frame {{ background-color: {ground}; }}"
                        f"QLabel, QPushButton {{ color: {ink}; font-size: 14px; background-color: {ground}; }}"
                        "QPushButton { border: 4px solid #000000; padding: 4px 20px; }"
                        f"QLineEdit {{ border: 4px solid #000000; placeholder-text-color: {ink};"
                        f" background-color: {ground}; font-size: 14px; }}")
    layout = QVBoxLayout(frame)
    label, button, edit = QLabel("Small grey words, 14 px"), QPushButton("A button"), QLineEdit()
    edit.setPlaceholderText("A placeholder")
    for widget in (label, button, edit):
        layout.addWidget(widget)
    qtbot.addWidget(frame)
    frame.resize(400, 200)
    frame.show()
    qtbot.waitExposed(frame)
    expected = contrast(QColor(ink), QColor(ground))
    readings = readings_now("test", frame)
    texts = [r for r in readings if r.what != "edge"]
    assert [(r.what, r.ink, r.ground, r.needed) for r in texts] == [(what, ink, ground, TEXT_RATIO)
                                                                      for what in ("text", "text", "placeholder")]
    assert all(abs(r.ratio - expected) < 0.01 for r in texts)
    edges = [r for r in readings if r.what == "edge"]
    assert [(r.ink, r.ground) for r in edges] == [("#000000", ground)] * 2 or ground == "#000000"


# -- the citizen's pages -------------------------------------------------------------------------------------------

def citizen_stops(window, visitor: Visitor, config, reports, store, theme: str) -> Iterator[tuple[str, QWidget]]:
    """(stop, the widget to measure in) over a visit, the "Start over?" card and "Check a report", in ``theme``."""

    def choose_theme() -> None:
        for button in THEMES[theme]:
            visitor.tap(getattr(window.header, button))

    choose_theme()
    for stop in tour(visitor, load_sample("larceny-bicycle"), config.kiosk.zone):
        yield stop, window.idle_overlay if stop == "idle_overlay" else window
        if stop == "who":
            visitor.tap("start_over_button")
            yield "start_over_card", window.start_over_overlay
            visitor.tap("keep_going_button")
    choose_theme()  # the tour ends with the visit wiped: the default theme again
    receipt = reports.submit(load_sample("larceny-bicycle"))
    ask_for_information(store, receipt.tracking_number)
    visitor.tap(window.welcome_page.check_button)
    page = window.lookup_flow.check_page
    yield "check_empty", window
    visitor.type(page.tracking.input, receipt.tracking_number)
    visitor.type(page.access_code.input, WRONG)
    visitor.tap(page.check_button)
    yield "check_wrong_code", window
    visitor.type(page.access_code.input, receipt.access_code, replace=True)
    visitor.tap(page.check_button)
    yield "check_status_question", window
    visitor.tap(window.lookup_flow.status_page.send_button)
    yield "check_status_answer_too_short", window


@pytest.mark.parametrize("theme", list(THEMES))
def test_citizen_text_and_controls_have_enough_contrast(make_window, config, reports, store, theme):
    window = make_window(check_reports=True)
    visitor = Visitor(window)
    readings = []
    stops = []
    for where, scope in citizen_stops(window, visitor, config, reports, store, theme):
        stops.append(f"{theme}/{where}")
        readings += readings_now(stops[-1], window, scope)
    assert len(stops) >= 28
    assert set(stops) == {r.where for r in readings}, "a stop where nothing was measured"
    report_and_check(theme, readings)


# -- officer mode --------------------------------------------------------------------------------------------------

def test_officer_screens_text_and_controls_have_enough_contrast(qtbot, kit, kiosk):
    """Officer mode's screens and dialogs (tests/ui/test_officer_screens_fit.py's tour: the login, the queue, a
    report, its decision dialogs, sync, officers, the password and language dialogs), in English."""
    window, controller = kiosk
    readings = []
    stops = []
    for screen in officer_tour(qtbot, kit, window, controller, "en", "built"):
        stops.append(f"officer/{screen}")
        readings += readings_now(stops[-1], window)
    mode = controller.mode
    assert mode is not None
    mode.show_queue()
    mode.queue.search_edit.setFocus()  # an empty field with the focus: its placeholder on the focused field's yellow
    stops.append("officer/queue, search focused")
    readings += readings_now(stops[-1], window)
    assert len(stops) >= 15
    report_and_check("officer", readings)
