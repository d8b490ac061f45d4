"""A small top-to-bottom layout for receipts, drawn straight on a reportlab canvas.

A receipt is a column of blocks (wrapped text, a rule, a box, a barcode, a QR code). Each block knows its height
before anything is drawn, so the page of an 80 mm roll can be exactly as long as its content (and the print job
asks for that length), and a Letter page can break between blocks. Platypus would do the same at several times
the cost; a receipt needs none of its generality.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from printing.fonts import BOLD, REGULAR, draw_text, text_width

NO_BREAK_SPACE = "\u00a0"
_BREAKABLE_SPACE = re.compile(r"[ \t]+")
# Scripts written without spaces between words, where a line may break between any two characters: CJK punctuation,
# kana, bopomofo, the Han ideographs (with extension A and the compatibility block), hangul syllables, full-width
# forms.
_CJK_RANGES = (("\u3000", "\u30ff"), ("\u3100", "\u31ff"), ("\u3400", "\u4dbf"), ("\u4e00", "\u9fff"),
               ("\uac00", "\ud7af"), ("\uf900", "\ufaff"), ("\uff00", "\uffef"))
# Characters that never start a line (closing punctuation) or never end one (opening brackets), as in CJK typesetting.
_NO_LINE_START = frozenset("、。，．：；？！）」』】》〉〕’”…‥ー々〜・,.;:!?)]}%")
_NO_LINE_END = frozenset("（「『【《〈〔‘“([{")
DrawFunction = Callable[[Canvas, float, float, float], None]  # (canvas, left x, top y, width)


def wrap_text(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` points: at spaces, between two Chinese or Japanese
    characters (which are written without spaces), and inside a word only when the word alone is wider than the line
    (a long e-mail-like token, a serial number). Newlines in ``text`` are kept, and a no-break space (U+00A0, see
    :func:`keep_together`) never breaks."""
    lines: list[str] = []
    space = pdfmetrics.stringWidth(" ", font, size)
    for paragraph in text.split("\n"):
        line, line_width = "", 0.0
        for word in _BREAKABLE_SPACE.split(paragraph.strip(" \t")):
            for index, piece in enumerate(_pieces(word)):
                joint, joint_width = (" ", space) if index == 0 else ("", 0.0)
                piece_width = text_width(piece, font, size)
                if line and line_width + joint_width + piece_width <= width:
                    line, line_width = f"{line}{joint}{piece}", line_width + joint_width + piece_width
                    continue
                if line:
                    lines.append(line)
                if piece_width <= width:
                    line, line_width = piece, piece_width
                    continue
                broken = _break_word(piece, font, size, width)
                lines.extend(broken[:-1])
                line = broken[-1]
                line_width = text_width(line, font, size)
        lines.append(line)
    return lines


def _pieces(word: str) -> list[str]:
    """``word`` (text without breakable spaces) cut where a line may break inside it: around a CJK character, unless
    the next character may not start a line or the previous one may not end it. A Latin word is one piece."""
    if word.isascii():
        return [word] if word else []
    pieces, start = [], 0
    for index in range(1, len(word)):
        before, after = word[index - 1], word[index]
        if (_breaks_around(before) or _breaks_around(after)) and after not in _NO_LINE_START \
                and before not in _NO_LINE_END:
            pieces.append(word[start:index])
            start = index
    pieces.append(word[start:])
    return pieces


def _breaks_around(char: str) -> bool:
    return any(low <= char <= high for low, high in _CJK_RANGES)


def keep_together(text: str) -> str:
    """``text`` with its spaces made unbreakable: a phone number or a time never splits across lines."""
    return text.replace(" ", NO_BREAK_SPACE)


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    pieces, current = [], ""
    for char in word:
        if current and text_width(current + char, font, size) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    pieces.append(current)
    return pieces


def fit_font_size(text: str, font: str, width: float, largest: float, smallest: float) -> float:
    """The largest size (in steps of 0.5 pt, at most ``largest``) at which ``text`` fits in ``width``."""
    at_one_point = text_width(text, font, 1)
    if at_one_point <= 0:
        return largest
    size = min(largest, width / at_one_point)
    return max(smallest, int(size * 2) / 2)


@dataclass
class Block:
    height: float
    draw: DrawFunction
    keep_with_next: bool = False


@dataclass
class Column:
    """Blocks stacked from the top of the page, ``width`` points wide."""

    width: float
    blocks: list[Block] = field(default_factory=list)

    @property
    def height(self) -> float:
        return sum(block.height for block in self.blocks)

    def add(self, height: float, draw: DrawFunction, keep_with_next: bool = False) -> None:
        self.blocks.append(Block(height, draw, keep_with_next))

    def space(self, height: float) -> None:
        self.add(height, lambda canvas, x, y, width: None)

    def text(self, text: str, size: float, bold: bool = False, align: str = "left", leading: float | None = None,
             indent: float = 0.0, bullet: str | None = None, keep_with_next: bool = False) -> None:
        """Wrapped text. With ``bullet`` the first line starts with it and the others hang under the text."""
        font = BOLD if bold else REGULAR
        leading = leading or size * 1.25
        hang = text_width(f"{bullet} ", font, size) if bullet else 0.0
        lines = wrap_text(text, font, size, self.width - indent - hang)
        ascent = size * 0.95  # DejaVu's caps reach about 0.73 em, accents on capitals about 0.93 em

        def draw(canvas: Canvas, x: float, y: float, width: float) -> None:
            baseline = y - ascent
            if bullet:
                draw_text(canvas, x + indent, baseline, bullet, font, size)
            for line in lines:
                if align == "center":
                    draw_text(canvas, x + width / 2, baseline, line, font, size, "center")
                elif align == "right":
                    draw_text(canvas, x + width, baseline, line, font, size, "right")
                else:
                    draw_text(canvas, x + indent + hang, baseline, line, font, size)
                baseline -= leading

        self.add(ascent + (len(lines) - 1) * leading + size * 0.3, draw, keep_with_next)

    def rule(self, thickness: float = 0.8, gap: float = 4.0) -> None:
        def draw(canvas: Canvas, x: float, y: float, width: float) -> None:
            canvas.setLineWidth(thickness)
            canvas.line(x, y - gap, x + width, y - gap)

        self.add(2 * gap, draw)

    def boxed(self, inner: Column, padding: float = 5.0, thickness: float = 1.5) -> None:
        """``inner`` (built ``2 * padding`` narrower) inside a black frame."""

        def draw(canvas: Canvas, x: float, y: float, width: float) -> None:
            canvas.setLineWidth(thickness)
            canvas.rect(x + thickness / 2, y - height + thickness / 2, width - thickness, height - thickness,
                        stroke=1, fill=0)
            top = y - padding
            for block in inner.blocks:
                block.draw(canvas, x + padding, top, width - 2 * padding)
                top -= block.height

        height = inner.height + 2 * padding
        self.add(height, draw)

    def row(self, columns: list[Column], gap: float, keep_with_next: bool = False) -> None:
        """Columns side by side, left to right, ``gap`` points apart (each built with its own width)."""

        def draw(canvas: Canvas, x: float, y: float, width: float) -> None:
            left = x
            for column in columns:
                column.draw(canvas, left, y)
                left += column.width + gap

        self.add(max(column.height for column in columns), draw, keep_with_next)

    def draw(self, canvas: Canvas, x: float, top: float, bottom: float | None = None,
             new_page: Callable[[], float] | None = None) -> None:
        """Draw every block from ``top`` down. When ``bottom`` and ``new_page`` are given, a block that does not fit
        above ``bottom`` (with the block it is kept with) goes to a new page; ``new_page`` returns its top."""
        y = top
        for index, block in enumerate(self.blocks):
            if bottom is not None and new_page is not None:
                needed = block.height + sum(b.height for b in _kept_after(self.blocks, index))
                if y - needed < bottom and y < top:
                    y = new_page()
            block.draw(canvas, x, y, self.width)
            y -= block.height


def _kept_after(blocks: list[Block], index: int) -> Iterable[Block]:
    while index < len(blocks) - 1 and blocks[index].keep_with_next:
        index += 1
        yield blocks[index]
