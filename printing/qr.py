"""The receipt's QR code: what it holds, its modules, and drawing them fast.

The QR code holds ``P2C:<tracking number>:<access code>``, e.g. ``P2C:T26-01-00042-1:K7QM-2XHD`` (documented in
docs/printing.md; built and read by kiosk.vocabulary, the one definition the kiosk's scanner reads too): everything
the kiosk's status look-up needs, in QR's alphanumeric mode (upper-case letters, digits, ``:`` and ``-``), which
keeps the code at version 2 (25×25 modules) with medium error correction.

reportlab's ``QrCodeWidget`` draws one rectangle object per run of dark modules through a Drawing; here the
modules come from the same encoder (``reportlab.graphics.barcode.qrencoder``) and every dark run becomes part of
one single filled path: one PDF object, no seams between modules, and a fraction of the time.

The encoder tries its eight masks and keeps the one with the lowest penalty, building the whole matrix and scoring it
in Python eight times: a third of a receipt's render. :func:`qr_matrix` builds the matrix once, gives each mask as
whole rows of bits, and scores them with the encoder's own rules (``QRUtil.getLostPoint``, reproduced exactly,
including that it never finds a finder-like pattern down a column), so it keeps the very mask, and draws the very
code, that the encoder would (tests/printing/test_qr_masks.py compares them).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise
from typing import NamedTuple

from reportlab.graphics.barcode import qrencoder
from reportlab.pdfgen.canvas import Canvas

from kiosk.vocabulary import QR_PREFIX as PREFIX
from kiosk.vocabulary import parse_qr_payload, qr_payload

__all__ = ["PREFIX", "QUIET_ZONE", "Matrix", "draw_qr", "lost_points", "parse_qr_payload", "qr_matrix", "qr_payload"]

QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks

Matrix = tuple[tuple[bool, ...], ...]
Bits = list[int]  # one int per row (or column) of modules: bit n-1-c is module c, 1 is dark

_MASKS = range(8)
_RUN = re.compile(r"0{5,}|1{5,}")  # five or more modules alike in a row
_FINDER_LIKE = re.compile(r"(?=10111010000)")  # dark-light-dark×3-light-dark then four light, the encoder's only one
_FINDER_LENGTH = 11


class _Lines(NamedTuple):
    rows: Bits
    columns: Bits


_DATA_MASKS: dict[int, list[_Lines]] = {}  # per version: the data modules each mask darkens


def qr_matrix(payload: str, level: str = "M") -> Matrix:
    """The modules of the QR code for ``payload`` (True is dark), without the quiet zone.

    The encoder's smallest version, and the mask with its lowest penalty (the first of equals)."""
    code = qrencoder.QRCode(None, getattr(qrencoder.QRErrorCorrectLevel, level))
    code.addData(payload)
    code.version = code.calculate_version()  # type: ignore[no-untyped-call]  # types-reportlab leaves it untyped
    code.makeImpl(True, 0)  # as the encoder scores its masks: format information left light, the data under mask 0
    size = len(code.modules)
    masks = _data_masks(code)
    # The modules with no mask on the data (mask 0 taken off again), across and down.
    plain = _Lines(_xor(_bits(code.modules), masks[0].rows),
                   _xor(_bits(list(zip(*code.modules, strict=True))), masks[0].columns))
    masked = [_Lines(_xor(plain.rows, mask.rows), _xor(plain.columns, mask.columns)) for mask in masks]
    best = min(_MASKS, key=lambda m: (lost_points(masked[m].rows, masked[m].columns, size), m))
    # The chosen mask's modules, then what the encoder writes last: the format (and version) information.
    shape = f"0{size}b"
    code.modules = [[digit == "1" for digit in format(row, shape)] for row in masked[best].rows]
    code.setupTypeInfo(False, best)
    if code.version >= 7:
        code.setupTypeNumber(False)
    return tuple(tuple(row) for row in code.modules)


def lost_points(rows: Bits, columns: Bits, size: int) -> int:
    """reportlab's ``QRUtil.getLostPoint`` of the matrix whose rows and columns are given: 3 + (n - 5) for each run
    of n ≥ 5 alike modules across and down, 3 for each 2×2 block alike, 40 for each finder-like pattern across (the
    encoder compares a column's tuple with a list, so it never finds one down), and 10 for each 5 % the dark share is
    away from half."""
    across, down = _lines(rows, size), _lines(columns, size)
    runs = _RUN.findall(across) + _RUN.findall(down)
    score = sum(map(len, runs)) - 2 * len(runs)
    full = (1 << size) - 1
    pairs = (1 << (size - 1)) - 1  # a module and its right-hand neighbour: bit positions 0 .. size-2
    for upper, lower in pairwise(rows):
        alike_down = ~(upper ^ lower) & full
        alike_across = ~(upper ^ (upper >> 1)) & pairs
        score += 3 * (alike_down & (alike_down >> 1) & alike_across).bit_count()
    last_start = size - _FINDER_LENGTH - 1  # the encoder stops one place short of the end of a row
    score += 40 * sum(1 for match in _FINDER_LIKE.finditer(across) if match.start() % (size + 1) <= last_start)
    dark = sum(row.bit_count() for row in rows)
    score += 10 * (abs(100 * dark // (size * size) - 50) // 5)
    return score


_DIGITS = bytes.maketrans(b"\x00\x01", b"01")


def _bits(lines: Sequence[Sequence[bool]]) -> Bits:
    return [int(bytes(line).translate(_DIGITS), 2) for line in lines]


def _lines(bits: Bits, size: int) -> str:
    """The lines as one text of 0s and 1s, each followed by a separator so no run or pattern spans two."""
    shape = f"0{size}b"
    return "|".join([format(line, shape) for line in bits]) + "|"


def _xor(lines: Bits, mask: Bits) -> Bits:
    return [line ^ flip for line, flip in zip(lines, mask, strict=True)]


def _data_masks(code: qrencoder.QRCode) -> list[_Lines]:
    """For each mask, the data modules it darkens, as rows and as columns (they depend on the version alone)."""
    version = code.version
    if version not in _DATA_MASKS:
        size = len(code.modules)
        # (column, row) of each data module
        positions = code.dataPosIterator()  # type: ignore[no-untyped-call]  # types-reportlab leaves it untyped
        found = []
        for m in _MASKS:
            flip = qrencoder.QRUtil.maskPattern[m]
            grid = [[False] * size for _ in range(size)]
            for column, row in positions:
                grid[row][column] = flip(row, column)
            found.append(_Lines(_bits(grid), _bits(list(zip(*grid, strict=True)))))
        _DATA_MASKS[version] = found
    return _DATA_MASKS[version]


def draw_qr(canvas: Canvas, matrix: Matrix, x: float, y: float, size: float) -> None:
    """Draw ``matrix`` with its quiet zone in the square ``size`` points wide whose lower left corner is (x, y).

    All dark modules are one path filled once."""
    count = len(matrix)
    module = size / (count + 2 * QUIET_ZONE)
    left = x + QUIET_ZONE * module
    top = y + size - QUIET_ZONE * module
    path = canvas.beginPath()
    for r, row in enumerate(matrix):
        bottom = top - (r + 1) * module
        c = 0
        while c < count:
            if row[c]:
                start = c
                while c < count and row[c]:
                    c += 1
                path.rect(left + start * module, bottom, (c - start) * module, module)
            else:
                c += 1
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
