"""printing.qr.qr_matrix keeps the mask, and so draws the very code, that reportlab's QR encoder would: its penalty
(printing.qr.lost_points) equals the encoder's QRUtil.getLostPoint on any matrix, and the matrices equal the encoder's
for receipts' payloads of every length and for other text (numeric, alphanumeric, bytes; versions 1 to 10)."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.graphics.barcode import qrencoder

from kiosk.access_codes import new_access_code
from kiosk.tracking import TrackingNumber
from printing.qr import lost_points, qr_matrix, qr_payload


class _Scored:
    """What QRUtil.getLostPoint reads of a QR code: its modules."""

    def __init__(self, modules: list[list[bool]]) -> None:
        self.modules = modules


def encoder_matrix(payload: str, level: str = "M") -> tuple[tuple[bool, ...], ...]:
    code = qrencoder.QRCode(None, getattr(qrencoder.QRErrorCorrectLevel, level))
    code.addData(payload)
    code.make()
    return tuple(tuple(bool(module) for module in row) for row in code.modules)


def as_bits(lines) -> list[int]:
    return [int("".join("1" if module else "0" for module in line), 2) for line in lines]


@settings(max_examples=300, deadline=None)
@given(size=st.sampled_from([21, 25, 29, 33, 45]), seed=st.integers(0, 2**32), density=st.floats(0.05, 0.95))
def test_the_penalty_is_the_encoders_on_any_matrix(size, seed, density):
    rng = random.Random(seed)
    modules = [[rng.random() < density for _ in range(size)] for _ in range(size)]
    if seed % 3 == 0:  # plant finder-like patterns across and down, and long runs
        for row in rng.sample(range(size), 3):
            start = rng.randrange(0, size - 10)
            modules[row][start:start + 11] = [True, False, True, True, True, False, True, False, False, False, False]
        column = rng.randrange(size)
        for row in range(min(size, 11)):
            modules[row][column] = row in (0, 2, 3, 4, 6)
    expected = qrencoder.QRUtil.getLostPoint(_Scored(modules))
    assert lost_points(as_bits(modules), as_bits(zip(*modules, strict=True)), size) == expected


@settings(max_examples=200, deadline=None)
@given(year=st.integers(0, 99), kiosk=st.integers(1, 99), sequence=st.integers(1, 9_999_999))
def test_receipt_codes_are_the_encoders(year, kiosk, sequence):
    payload = qr_payload(TrackingNumber(year, kiosk, sequence), new_access_code())
    assert qr_matrix(payload) == encoder_matrix(payload)


@settings(max_examples=150, deadline=None)
@given(text=st.one_of(st.text("0123456789", min_size=1, max_size=120),
                      st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 $%*+-./:", min_size=1, max_size=120),
                      st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=120)),
       level=st.sampled_from("LMQH"))
def test_any_text_gives_the_encoders_code(text, level):
    assert qr_matrix(text, level) == encoder_matrix(text, level)
