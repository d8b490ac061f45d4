"""The two receipt QR payloads (docs/printing.md, docs/lookup.md) and how the kiosk's scanner reading takes them
apart: the status page's link (tracking number only) and the older ``P2C:<tracking>:<code>``."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.access_codes import ALPHABET
from kiosk.tracking import TrackingNumber
from kiosk.vocabulary import qr_payload, read_scanned_receipt, status_page_link

PAGE = "https://police.example.gov/status"
tracking_numbers = st.builds(TrackingNumber, st.integers(0, 99), st.integers(1, 99), st.integers(1, 9_999_999))
access_codes = st.text(alphabet=ALPHABET, min_size=8, max_size=8)


@given(tracking_numbers, access_codes)
def test_both_payloads_round_trip_through_the_scanner_reading(tracking, code):
    link = qr_payload(tracking, code, PAGE)
    assert link == status_page_link(PAGE, tracking) == f"{PAGE}?t={tracking}"
    assert code not in link
    assert read_scanned_receipt(link) == (str(tracking), None)
    assert read_scanned_receipt(link.upper() + "\n") == (str(tracking), None)  # a scanner in capitals
    old = qr_payload(tracking, code)
    assert read_scanned_receipt(old) == (str(tracking), f"{code[:4]}-{code[4:]}")


def test_a_malformed_access_code_is_refused_with_a_status_page_too():
    with pytest.raises(ValueError):
        qr_payload(TrackingNumber.parse("T26-01-00042-1"), "K7QM", PAGE)


@pytest.mark.parametrize(("scanned", "expected"), [
    ("http://127.0.0.1:8765/status?t=T26-01-00042-1", ("T26-01-00042-1", None)),
    ("https://elsewhere.example.org/p2c/status?lang=es&t=T26-01-00042-1", ("T26-01-00042-1", None)),
    ("  https://police.example.gov/status?t=t26-01-00042-1  ", ("t26-01-00042-1", None)),
    ("https://police.example.gov/status", None),
    ("https://police.example.gov/status?t=", None),
    ("https://police.example.gov/status?tracking=T26-01-00042-1", None),
    ("ftp://police.example.gov/status?t=T26-01-00042-1", None),
    ("T26-01-00042-1", None),
    ("P2C:T26-01-00042-1", None),
    ("", None),
])
def test_what_the_scanner_reading_takes(scanned, expected):
    assert read_scanned_receipt(scanned) == expected
