"""The QR code and the barcode are read back from the rendered receipt, at the thermal printer's 203 dpi, by zbar,
and hold exactly what the kiosk's status look-up needs."""

from __future__ import annotations

import pytest
from helpers import VALID_SAMPLES, edited, load_sample
from hypothesis import given
from hypothesis import strategies as st
from print_helpers import decode, render_png

from kiosk.access_codes import ALPHABET
from kiosk.tracking import TrackingNumber
from kiosk.vocabulary import AccessCode
from printing.qr import QUIET_ZONE, parse_qr_payload, qr_matrix, qr_payload
from printing.receipt import receipt_content, render_receipt


@pytest.mark.parametrize("paper", ("80mm", "letter"))
@pytest.mark.parametrize(("sample", "language"), [(VALID_SAMPLES[0], "en"), (VALID_SAMPLES[1], "es")])
def test_the_qr_code_decodes_to_the_tracking_number_and_access_code(service, config, tmp_path, sample, language,
                                                                    paper):
    receipt = service.submit(edited(load_sample(sample), "language", language))
    report = service.get(receipt.tracking_number)
    pdf = render_receipt(receipt_content(report, receipt.access_code, config.kiosk.zone), config.department, paper)
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf.data)
    png = render_png(path, 203)

    expected = f"P2C:{receipt.tracking_number}:{receipt.access_code}"
    assert decode(png, "qrcode") == [expected]
    assert parse_qr_payload(expected) == (receipt.tracking_number, receipt.access_code)
    assert service.verify_access_code(*parse_qr_payload(expected))
    barcode = decode(png, "code128")
    assert len(barcode) == 1
    assert str(TrackingNumber.parse(barcode[0])) == receipt.tracking_number  # the look-up reads the compact form


def test_the_qr_code_is_small_and_alphanumeric():
    matrix = qr_matrix(qr_payload(TrackingNumber.parse("T26-01-00042-1"), "K7QM-2XHD"))
    assert len(matrix) == 25  # version 2: large modules on a 34 mm code, about 1 mm each
    assert all(len(row) == 25 for row in matrix)
    assert 25 + 2 * QUIET_ZONE == 33


tracking_numbers = st.builds(TrackingNumber, st.integers(0, 99), st.integers(1, 99), st.integers(1, 9_999_999))
access_codes = st.text(alphabet=ALPHABET, min_size=8, max_size=8)


@given(tracking_numbers, access_codes)
def test_any_tracking_number_and_code_round_trip_through_the_payload(tracking, code):
    payload = qr_payload(tracking, f"{code[:4].lower()} {code[4:]}")
    assert payload == f"P2C:{tracking}:{code[:4]}-{code[4:]}"
    assert parse_qr_payload(payload) == (str(tracking), f"{code[:4]}-{code[4:]}")


@pytest.mark.parametrize("scanned", ["", "P2C:T26-01-00042-1", "HTTP://EXAMPLE.ORG", "T26-01-00042-1:K7QM-2XHD",
                                     "P2C:T26-01-00042-1:K7QM-2XHD:X"])
def test_anything_else_scanned_is_not_a_receipt(scanned):
    assert parse_qr_payload(scanned) is None


def test_a_damaged_receipt_code_still_splits_and_the_wrong_part_is_refused():
    # The scanner puts each part in its own field, where the look-up names the one that is wrong.
    assert parse_qr_payload("P2C:X26-01-00042-1:K7QM-2XHD") == ("X26-01-00042-1", "K7QM-2XHD")
    with pytest.raises(ValueError):
        TrackingNumber.parse("X26-01-00042-1")
    assert parse_qr_payload("p2c:t26-01-00042-1:k7qm\n") == ("t26-01-00042-1", "k7qm")
    with pytest.raises(ValueError):
        AccessCode("k7qm")
    assert AccessCode("k7qm 2xhd") == "K7QM-2XHD"
