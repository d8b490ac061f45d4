"""The Unicode TrueType fonts embedded in every document, registered with reportlab once per process.

reportlab's standard fonts cover Latin-1 only and are not embedded, so "Łukasik" or "Nguyễn" would print as
black boxes. DejaVu Sans is shipped under ``resources/fonts`` (see its README and licence there). Reading and
parsing a TTF takes about 10 ms, which is more than half of a whole receipt; :func:`register_fonts` does it once.
"""

from __future__ import annotations

import logging
import threading

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from kiosk.resources import resource_path

log = logging.getLogger(__name__)

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FAMILY = "DejaVuSans"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}

_lock = threading.Lock()
_registered = threading.Event()  # set once both faces are registered


class FontMissingError(RuntimeError):
    """A font file of ``resources/fonts`` is missing: the installation is incomplete."""


def register_fonts() -> None:
    """Register DejaVu Sans (regular and bold) with reportlab, and map the family's bold for Paragraph markup.

    Safe to call from several threads and many times; only the first call reads the files."""
    if _registered.is_set():
        return
    with _lock:
        if _registered.is_set():  # another thread registered them while this one waited
            return
        for name, file_name in _FILES.items():
            path = resource_path("fonts", file_name)
            if not path.is_file():
                raise FontMissingError(f"the font {path} is missing; reinstall the kiosk")
            pdfmetrics.registerFont(TTFont(name, str(path)))
        addMapping(FAMILY, 0, 0, REGULAR)
        addMapping(FAMILY, 1, 0, BOLD)
        addMapping(FAMILY, 0, 1, REGULAR)  # no italic is shipped: italic markup falls back to the upright faces
        addMapping(FAMILY, 1, 1, BOLD)
        _registered.set()
        log.debug("registered the receipt fonts")


def string_width(text: str, bold: bool = False, size: float = 10) -> float:
    """Width of ``text`` in points, in the regular or bold face."""
    return pdfmetrics.stringWidth(text, BOLD if bold else REGULAR, size)
