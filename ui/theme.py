"""The kiosk's look: the base style sheet, a large-text variant and a high-contrast theme, switched live.

``resources/style/kiosk.qss`` is the base. Large text scales every ``font-size`` in it (and in the high-contrast
sheet) by LARGE_TEXT_SCALE, so the two can never drift apart; ``high-contrast.qss`` only changes colours and borders.
"""

from __future__ import annotations

import logging
import re

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.resources import resource_path

log = logging.getLogger(__name__)

LARGE_TEXT_SCALE = 1.3
_FONT_SIZE = re.compile(r"font-size:\s*(\d+(?:\.\d+)?)pt")


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

    def style_sheet(self) -> str:
        sheet = self._base + ("\n" + self._contrast if self.high_contrast else "")
        return scale_fonts(sheet, LARGE_TEXT_SCALE) if self.large_text else sheet

    def attach(self, target: QWidget) -> None:
        """Style ``target`` (the kiosk window) from now on."""
        self._target = target
        self.apply()

    def apply(self) -> None:
        self._target.setStyleSheet(self.style_sheet())
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
