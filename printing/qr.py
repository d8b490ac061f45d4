"""The receipt's QR code: what it holds, its modules, and drawing them fast.

The QR code holds ``P2C:<tracking number>:<access code>``, e.g. ``P2C:T26-01-00042-1:K7QM-2XHD`` (documented in
docs/printing.md; built and read by kiosk.vocabulary, the one definition the kiosk's scanner reads too): everything
the kiosk's status look-up needs, in QR's alphanumeric mode (upper-case letters, digits, ``:`` and ``-``), which
keeps the code at version 2 (25×25 modules) with medium error correction.

reportlab's ``QrCodeWidget`` draws one rectangle object per run of dark modules through a Drawing; here the
modules come from the same encoder (``reportlab.graphics.barcode.qrencoder``) and every dark run becomes part of
one single filled path: one PDF object, no seams between modules, and a fraction of the time.
"""

from __future__ import annotations

from reportlab.graphics.barcode import qrencoder
from reportlab.pdfgen.canvas import Canvas

from kiosk.vocabulary import QR_PREFIX as PREFIX
from kiosk.vocabulary import parse_qr_payload, qr_payload

__all__ = ["PREFIX", "QUIET_ZONE", "Matrix", "draw_qr", "parse_qr_payload", "qr_matrix", "qr_payload"]

QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks

Matrix = tuple[tuple[bool, ...], ...]


def qr_matrix(payload: str, level: str = "M") -> Matrix:
    """The modules of the QR code for ``payload`` (True is dark), without the quiet zone.

    The encoder chooses the smallest version and the mask with the lowest penalty, as the standard asks."""
    code = qrencoder.QRCode(None, getattr(qrencoder.QRErrorCorrectLevel, level))
    code.addData(payload)
    code.make()
    return tuple(tuple(bool(module) for module in row) for row in code.modules)


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
