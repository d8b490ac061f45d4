"""With ``[sync] status_page_url`` set, the receipt's QR code opens the citizen's status page with the tracking number
filled in and never holds the access code; the receipt says so in words and prints the page's address. Read back by
zbar from the rendered receipt at the thermal printer's 203 dpi (and at 150 dpi, a worse camera), on both papers,
in English and in Spanish; the kiosk's own scanner reading (kiosk.vocabulary) gives the tracking number."""

from __future__ import annotations

import pytest
from helpers import VALID_SAMPLES, edited, load_sample
from print_helpers import decode, pdf_text, render_png

from kiosk.tracking import TrackingNumber
from kiosk.translation import translation
from kiosk.vocabulary import read_scanned_receipt
from printing.qr import qr_matrix, qr_payload
from printing.receipt import receipt_content, render_receipt

PAGE = "https://police.example.gov/status"
HINT = ("Scan the square code with your phone to open the status page, then type this code. At the kiosk, type the "
        "tracking number and this code, or scan the square code.")


@pytest.mark.parametrize("dpi", (203, 150))
@pytest.mark.parametrize("paper", ("80mm", "letter"))
@pytest.mark.parametrize(("sample", "language"), [(VALID_SAMPLES[0], "en"), (VALID_SAMPLES[1], "es")])
def test_the_qr_code_opens_the_status_page_without_the_access_code(service, config, tmp_path, sample, language,
                                                                  paper, dpi):
    receipt = service.submit(edited(load_sample(sample), "language", language))
    report = service.get(receipt.tracking_number)
    pdf = render_receipt(receipt_content(report, receipt.access_code, config.kiosk.zone, PAGE), config.department,
                         paper)
    path = tmp_path / f"receipt-{paper}-{language}.pdf"
    path.write_bytes(pdf.data)
    scanned = decode(render_png(path, dpi), "qrcode")
    assert scanned == [f"{PAGE}?t={receipt.tracking_number}"]
    assert receipt.access_code not in scanned[0]
    assert read_scanned_receipt(scanned[0]) == (receipt.tracking_number, None)
    words = pdf_text(pdf.data)
    said = translation(language)
    assert " ".join(said.gettext(HINT).split()) in words
    assert said.gettext("Status page: {address}").format(address=PAGE) in words
    assert receipt.access_code in words  # printed for the citizen to type, beside the code that does not hold it
    english_hint = "To check the status of your report at the kiosk"
    assert english_hint not in words


def test_without_a_status_page_the_receipt_is_as_before(service, config, tmp_path):
    receipt = service.submit(load_sample(VALID_SAMPLES[0]))
    report = service.get(receipt.tracking_number)
    pdf = render_receipt(receipt_content(report, receipt.access_code, config.kiosk.zone), config.department)
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf.data)
    assert decode(render_png(path), "qrcode") == [f"P2C:{receipt.tracking_number}:{receipt.access_code}"]
    assert "Status page" not in pdf_text(pdf.data)


def test_the_link_code_stays_small():
    """A typical link needs byte mode (``?`` and ``=`` are not alphanumeric): version 4, 33 modules, about 0.8 mm
    each on the 80 mm receipt's 34 mm code with its quiet zone (6 to 7 dots of a 203 dpi printer)."""
    link = qr_payload(TrackingNumber.parse("T26-01-00042-1"), "K7QM-2XHD", PAGE)
    assert link == "https://police.example.gov/status?t=T26-01-00042-1"
    assert len(qr_matrix(link)) == 33
