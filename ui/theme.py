"""The kiosk's look: the base style sheet, a large-text variant and a high-contrast theme, switched live; and the
fonts' coverage of every script.

``resources/style/kiosk.qss`` is the base; the focus ring around the focused control is drawn by ui/focus_ring.py in
the theme's colours. Large text scales every ``font-size`` in it (and in the high-contrast
sheet) by LARGE_TEXT_SCALE, so the two can never drift apart; ``high-contrast.qss`` only changes colours and borders.

The style sheets ask for DejaVu Sans, which has no Chinese, Japanese or Korean. :func:`register_fallback_font` loads
the documents' fallback font (WenQuanYi Micro Hei, ``resources/fonts``, see printing/fonts.py) into Qt's font database
and makes it the substitute of every family the style sheets name, so Qt draws those characters from it, glyph by
glyph, on a kiosk image that has no CJK font of its own (the bundle carries ``resources/fonts``).
"""

from __future__ import annotations

import logging
import re

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.resources import resource_path
from ui.focus_ring import HIGH_CONTRAST_RING, NORMAL_RING, FocusRing

log = logging.getLogger(__name__)

LARGE_TEXT_SCALE = 1.3
_FONT_SIZE = re.compile(r"font-size:\s*(\d+(?:\.\d+)?)pt")
_FONT_FAMILY = re.compile(r"font-family:\s*([^;}]+)")
_GENERIC_FAMILIES = frozenset({"serif", "sans-serif", "monospace", "cursive", "fantasy"})
FALLBACK_FONT_FILE = "wqy-microhei.ttc"  # the same file printing/fonts.py embeds in documents
FALLBACK_FAMILY = "WenQuanYi Micro Hei"
FALLBACK_MONO_FAMILY = "WenQuanYi Micro Hei Mono"
_fallback_families: list[str] = []  # set once the fallback font is in Qt's font database


def read_style(name: str) -> str:
    """A style sheet from resources/style; an empty string (logged) if it is missing."""
    path = resource_path("style", name)
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        log.warning("Cannot read the style sheet %s (%s); using Qt's default look", path, exc)
        return ""


def scale_fonts(sheet: str, factor: float) -> str:
    return _FONT_SIZE.sub(lambda m: f"font-size: {round(float(m.group(1)) * factor)}pt", sheet)


def style_families() -> list[str]:
    """Every font family the style sheets of ``resources/style`` name (generic names such as ``sans-serif`` left
    out), and the application's default family."""
    families: list[str] = []
    for path in sorted(resource_path("style").glob("*.qss")):
        for declaration in _FONT_FAMILY.findall(read_style(path.name)):
            families += [name.strip().strip("'\"") for name in declaration.split(",")]
    families.append(QApplication.font().family())
    return list(dict.fromkeys(name for name in families if name and name.lower() not in _GENERIC_FAMILIES))


def register_fallback_font() -> list[str]:
    """Load the fallback font into Qt's font database (once per process; a QGuiApplication must exist) and make it the
    substitute of every family of :func:`style_families`: the monospaced face for a monospaced family, else the
    regular one. Returns the fallback's families; empty (logged) if the file is missing, the kiosk then shows what the
    system's fonts have."""
    if _fallback_families:
        return list(_fallback_families)
    path = resource_path("fonts", FALLBACK_FONT_FILE)
    font_id = QFontDatabase.addApplicationFont(str(path))
    if font_id < 0:
        log.warning("Cannot load the fallback font %s; Chinese, Japanese and Korean text may show as boxes", path)
        return []
    loaded = QFontDatabase.applicationFontFamilies(font_id)
    for family in style_families():
        mono = "mono" in family.lower() and FALLBACK_MONO_FAMILY in loaded
        QFont.insertSubstitution(family, FALLBACK_MONO_FAMILY if mono else FALLBACK_FAMILY)
    _fallback_families[:] = loaded
    log.debug("fallback font loaded: %s", ", ".join(loaded))
    return list(loaded)


class Theme(QObject):
    """Applies the style sheet for the current choices to the kiosk window (not the whole application, so a
    wizard being thrown away after a visit is not restyled on its way out)."""

    changed = Signal()

    def __init__(self, target: QWidget | QApplication, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._target = target
        self._base = read_style("kiosk.qss")
        self._contrast = read_style("high-contrast.qss")
        self.large_text = False
        self.high_contrast = False
        self.focus_ring: FocusRing | None = None

    def style_sheet(self) -> str:
        sheet = self._base + ("\n" + self._contrast if self.high_contrast else "")
        return scale_fonts(sheet, LARGE_TEXT_SCALE) if self.large_text else sheet

    def attach(self, target: QWidget) -> None:
        """Style ``target`` (the kiosk window) from now on, and draw the focus ring (ui/focus_ring.py) in it."""
        self._target = target
        self.focus_ring = FocusRing(target)
        self.apply()

    def apply(self) -> None:
        self._target.setStyleSheet(self.style_sheet())
        if self.focus_ring is not None:
            self.focus_ring.set_colours(HIGH_CONTRAST_RING if self.high_contrast else NORMAL_RING)
        self.changed.emit()

    def set(self, *, large_text: bool | None = None, high_contrast: bool | None = None) -> None:
        new_large = self.large_text if large_text is None else large_text
        new_contrast = self.high_contrast if high_contrast is None else high_contrast
        if (new_large, new_contrast) == (self.large_text, self.high_contrast):
            return
        self.large_text, self.high_contrast = new_large, new_contrast
        log.info("theme: large text %s, high contrast %s", "on" if new_large else "off",
                 "on" if new_contrast else "off")
        self.apply()

    def is_default(self) -> bool:
        return not (self.large_text or self.high_contrast)
