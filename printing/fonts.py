"""The Unicode TrueType fonts embedded in every document, registered with reportlab once per process, and how a text
is split between them.

reportlab's standard fonts cover Latin-1 only and are not embedded, so "Łukasik" or "Nguyễn" would print as black
boxes. DejaVu Sans (Latin, Greek, Cyrillic) is the documents' font; WenQuanYi Micro Hei (Chinese, Japanese kana,
Korean hangul) is its fallback. Both are shipped under ``resources/fonts`` (see the README and licences there) and
embedded as subsets.

reportlab has no per-glyph fallback: a string is drawn in one font. So every text is cut into runs (:func:`runs`):
the characters DejaVu has stay in DejaVu, the others that the fallback has go to the fallback. Canvas drawing goes
through :func:`draw_text` and :func:`text_width`, Paragraphs through :func:`markup` (which wraps fallback runs in
``<font name=...>``).

Reading and parsing DejaVu takes about 10 ms, which is more than half of a whole receipt; :func:`register_fonts` does
it once. The fallback (a 5 MB TrueType collection, about 60 ms) is read only when a text first needs it, so a
receipt in a Latin script never pays for it and its PDF names DejaVu only.
"""

from __future__ import annotations

import logging
import threading
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from kiosk.resources import resource_path

log = logging.getLogger(__name__)

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FAMILY = "DejaVuSans"
FALLBACK = "WenQuanYiMicroHei"  # regular only: the collection has no bold face
FALLBACK_FILE = "wqy-microhei.ttc"
FALLBACK_FACE = 0  # the collection's first face, "WenQuanYi Micro Hei" (the second is its monospaced variant)
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
# A fallback run inside a bold text is drawn filled and outlined by this fraction of the size: a bold look for a face
# that has none (canvas drawing only; Paragraph markup prints it regular).
_FAKE_BOLD_STROKE = 0.035

_lock = threading.Lock()
_registered = threading.Event()  # set once both DejaVu faces are registered
_coverage: dict[str, frozenset[int]] = {}  # font name -> the code points it has a glyph for


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
            _register(name, file_name)
        addMapping(FAMILY, 0, 0, REGULAR)
        addMapping(FAMILY, 1, 0, BOLD)
        addMapping(FAMILY, 0, 1, REGULAR)  # no italic is shipped: italic markup falls back to the upright faces
        addMapping(FAMILY, 1, 1, BOLD)
        _registered.set()
        log.debug("registered the document fonts")


def _register(name: str, file_name: str, face: int = 0) -> None:
    path = resource_path("fonts", file_name)
    if not path.is_file():
        raise FontMissingError(f"the font {path} is missing; reinstall the kiosk")
    font = TTFont(name, str(path), subfontIndex=face)
    pdfmetrics.registerFont(font)
    _coverage[name] = frozenset(font.face.charToGlyph)


def _fallback_coverage() -> frozenset[int]:
    """The fallback font's code points, reading and registering it on first use."""
    covered = _coverage.get(FALLBACK)
    if covered is not None:
        return covered
    with _lock:
        if FALLBACK not in _coverage:
            _register(FALLBACK, FALLBACK_FILE, FALLBACK_FACE)
            log.debug("registered the fallback font for Chinese, Japanese and Korean")
        return _coverage[FALLBACK]


def runs(text: str, font: str) -> list[tuple[str, str]]:
    """``text`` cut into ``(piece, font name)`` runs: ``font`` (a DejaVu face) where it has the glyph, else the
    fallback where that has it, else ``font`` (which then prints its empty box)."""
    register_fonts()
    if text.isascii():  # DejaVu has every ASCII character: the common case, without looking at each one
        return [(text, font)] if text else []
    primary = _coverage[font]
    if all(ord(char) in primary for char in text):
        return [(text, font)]
    fallback = _fallback_coverage()
    out: list[tuple[str, str]] = []
    for char in text:
        code = ord(char)
        chosen = FALLBACK if code not in primary and code in fallback else font
        if out and out[-1][1] == chosen:
            out[-1] = (out[-1][0] + char, chosen)
        else:
            out.append((char, chosen))
    return out


def text_width(text: str, font: str, size: float) -> float:
    """Width of ``text`` in points when drawn by :func:`draw_text` in ``font`` (a DejaVu face) at ``size``."""
    if text.isascii():
        return pdfmetrics.stringWidth(text, font, size)
    return sum(pdfmetrics.stringWidth(piece, name, size) for piece, name in runs(text, font))


def string_width(text: str, bold: bool = False, size: float = 10) -> float:
    """Width of ``text`` in points, in the regular or bold face (with the fallback where they have no glyph)."""
    return text_width(text, BOLD if bold else REGULAR, size)


def draw_text(canvas: Canvas, x: float, y: float, text: str, font: str, size: float, align: str = "left") -> None:
    """Draw ``text`` on one line at baseline ``y``: from ``x`` (``left``), centred on ``x`` (``center``) or ending at
    ``x`` (``right``), each run in its own font."""
    pieces = runs(text, font)
    if align != "left":
        width = sum(pdfmetrics.stringWidth(piece, name, size) for piece, name in pieces)
        x -= width / 2 if align == "center" else width
    for piece, name in pieces:
        canvas.setFont(name, size)
        fake_bold = name == FALLBACK and font == BOLD
        if fake_bold:
            canvas.saveState()
            canvas.setLineWidth(size * _FAKE_BOLD_STROKE)
            text_object = canvas.beginText(x, y)
            text_object.setTextRenderMode(2)  # fill, then stroke the outline
            text_object.textOut(piece)
            canvas.drawText(text_object)
            canvas.restoreState()
        else:
            canvas.drawString(x, y, piece)
        x += pdfmetrics.stringWidth(piece, name, size)
    canvas.setFont(font, size)


def missing_glyphs(text: str, font: str = REGULAR) -> str:
    """The characters of ``text`` (besides white space) that neither ``font`` nor the fallback has: they would print
    as empty boxes."""
    register_fonts()
    covered = _coverage[font]
    missing = [char for char in text if ord(char) not in covered and not char.isspace()]
    if not missing:
        return ""
    fallback = _fallback_coverage()
    return "".join(char for char in missing if ord(char) not in fallback)


def needs_fallback(text: str, font: str = REGULAR) -> bool:
    """Whether some of ``text`` is drawn in the fallback font (a Chinese, Japanese or Korean run)."""
    return any(name == FALLBACK for _, name in runs(text, font))


def markup(text: str, font: str = REGULAR) -> str:
    """``text`` as Paragraph markup for a style in ``font``: escaped, its fallback runs in ``<font name=...>``."""
    return "".join(escape(piece) if name == font else f'<font name="{name}">{escape(piece)}</font>'
                   for piece, name in runs(text, font))
