"""The full copy of a report, read back from the PDF: every field, the items with their total, the narrative, the
history and the attestation, with the tracking number and page numbers on every page, and names in any script."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

import pytest
from helpers import NOW, VALID_SAMPLES, edited, load_sample
from print_helpers import page_size_mm, page_text, pdf_pages, pdf_text

from kiosk.messages import label
from kiosk.rules.fields import display_phone
from printing.report_copy import render_report_copy
from printing.texts import format_amount, text

UNICODE_NAMES = [("María José", "Núñez"), ("Zoë", "O'Brien-Łukasik"), ("Nguyễn Thị", "Minh")]


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def copy_of(service, config, data, language=None):
    receipt = service.submit(data)
    report = service.get(receipt.tracking_number)
    return report, render_report_copy(report, config, language, printed_at=NOW)


@pytest.mark.parametrize("language", ("en", "es"))
@pytest.mark.parametrize("sample", VALID_SAMPLES)
def test_the_copy_holds_every_field(service, config, sample, language):
    report, pdf = copy_of(service, config, edited(load_sample(sample), "language", language))
    words = nfc(pdf_text(pdf.data))
    reporter, incident = report["reporter"], report["incident"]

    for value in (report["tracking_number"], reporter["first_name"], reporter["last_name"],
                  reporter["address"]["line1"], reporter["address"]["zip"], reporter["email"],
                  incident["location"]["line1"], incident["location"]["line2"], config.department.name):
        assert nfc(value) in words, value
    phone = re.sub(r"\D", "", reporter["phone"])[-10:]
    assert f"({phone[:3]}) {phone[3:6]}-{phone[6:]}" in words
    assert reporter["date_of_birth"][:4] in words
    for item in report["items"]:
        for key in ("description", "brand", "model", "serial_number", "institution", "account_last4"):
            if item[key]:
                assert nfc(item[key]) in words, item[key]
    total = sum((Decimal(item["value"]) for item in report["items"] if "value" in item), Decimal(0))
    assert format_amount(total, language) in words
    narrative_words = re.findall(r"\w+", incident["narrative"])
    assert " ".join(narrative_words[-6:]) in re.sub(r"[^\w ]", "", words)
    assert text("copy.attestation", language) in words
    assert text("receipt.not_official", language) in words
    for key in ("copy.section_reporter", "copy.section_incident", "copy.section_items", "copy.section_narrative",
                "copy.section_history", "copy.section_attestation"):
        assert text(key, language) in words
    assert label("reporter.date_of_birth", language) in words


@pytest.mark.parametrize(("first", "last"), UNICODE_NAMES)
def test_names_in_any_script_come_back_exactly(service, config, first, last):
    data = edited(edited(load_sample("identity-theft"), "reporter.first_name", first), "reporter.last_name", last)
    _, pdf = copy_of(service, config, data)
    assert f"{nfc(first)} {nfc(last)}" in nfc(pdf_text(pdf.data))


def long_report():
    data = load_sample("larceny-bicycle")
    item = data["items"][0]
    data["items"] = [dict(item, description=f"Power tool number {n} <cordless> & charger", serial_number=f"SN-{n:04d}",
                          value=f"{100 + n}.50") for n in range(1, 26)]
    data["incident"]["narrative"] = "\n".join(
        f"Paragraph {n}: I came home from work and found the garage door open and the shelves empty." * 3
        for n in range(1, 16))
    return data


def test_a_long_report_runs_over_several_pages_each_with_the_tracking_number_and_page_numbers(service, config):
    report, pdf = copy_of(service, config, long_report())
    pages = pdf_pages(pdf.data)
    assert len(pages) == pdf.pages >= 3
    for number, page in enumerate(pages, start=1):
        assert page_size_mm(page) == (pytest.approx(215.9, abs=0.1), pytest.approx(279.4, abs=0.1))
        words = page_text(page)
        assert words.count(report["tracking_number"]) >= 2  # header and footer
        assert f"Page {number} of {len(pages)}" in words
    words = pdf_text(pdf.data)
    assert "Power tool number 25 <cordless> & charger" in words  # markup characters printed, not parsed
    assert format_amount(sum(Decimal(f"{100 + n}.50") for n in range(1, 26)), "en") in words
    assert "Paragraph 15:" in words
    table_pages = [page for page in pages if "Power tool number" in page_text(page)]
    assert len(table_pages) >= 2
    assert all("Description" in page_text(page) for page in table_pages)  # the table's header repeats


def test_the_history_shows_a_reprinted_receipt(service, config):
    receipt = service.submit(load_sample("lost-wallet"))
    service.reissue_access_code(receipt.tracking_number, "officer:0042")
    pdf = render_report_copy(service.get(receipt.tracking_number), config, "es", printed_at=NOW)
    words = pdf_text(pdf.data)
    assert "Enviado en el quiosco" in words and "Comprobante reimpreso (nuevo código de acceso)" in words
    assert "officer:0042" in words
    assert "Página 1 de 1" in words or "Página 1 de 2" in words


def test_the_copy_never_prints_the_access_code(service, config):
    receipt = service.submit(load_sample("vandalism-car-es"))
    pdf = render_report_copy(service.get(receipt.tracking_number), config, printed_at=NOW)
    assert receipt.access_code not in pdf_text(pdf.data)


def test_the_copy_writes_a_phone_number_as_the_officer_screen_shows_it(service, config):
    report, pdf = copy_of(service, config, edited(load_sample("larceny-bicycle"), "reporter.phone", "+44 20 7946 0958"))
    assert report["reporter"]["phone"] == "+442079460958"
    assert display_phone(report["reporter"]["phone"]) in pdf_text(pdf.data)  # kiosk.rules.fields, the one formatter
