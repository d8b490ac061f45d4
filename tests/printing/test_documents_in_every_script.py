"""Receipts and report copies in every installed language and in every script (issue 20), read back the way a PDF
reader would, with poppler's pdftotext and pdffonts: the numbers a citizen needs are on each, a Chinese name and
address come back as characters (not boxes), and every font is embedded."""

from __future__ import annotations

import re

import pytest
from helpers import NOW, edited, load_sample
from print_helpers import (
    CLOSING_PUNCTUATION,
    FIRST_NAME,
    HOME_LINE2,
    LAST_NAME,
    NARRATIVE,
    PLACE_LINE2,
    assert_every_font_embedded,
    chinese_report,
    spaced,
    submit,
    words,
)

from kiosk.translation import catalogues
from printing import fonts
from printing.layout import wrap_text
from printing.receipt import receipt_content, render_receipt
from printing.report_copy import render_report_copy

LANGUAGES = catalogues().installed()
PAPERS = ("80mm", "letter")
@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_receipt_in_every_language_carries_the_numbers(service, config, tmp_path, language, paper):
    report, access_code = submit(service, edited(load_sample("lost-wallet"), "language", language))
    pdf = render_receipt(receipt_content(report, access_code, config.kiosk.zone), config.department, paper)
    text = words(pdf.data, tmp_path)
    for number in (report["tracking_number"], access_code, config.department.non_emergency_phone,
                   config.department.emergency_number):
        assert spaced(number) in text, (language, number)
    assert_every_font_embedded(pdf.data, tmp_path)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_report_copy_in_every_language_carries_the_numbers(service, config, tmp_path, language):
    report, access_code = submit(service, edited(load_sample("lost-wallet"), "language", language))
    pdf = render_report_copy(report, config, printed_at=NOW)
    text = words(pdf.data, tmp_path)
    assert text.count(report["tracking_number"]) >= 3  # in the report's fields, the running header and the footer
    assert spaced(config.department.non_emergency_phone) in text, language
    assert access_code not in text  # the copy never prints the access code (it is the receipt's secret)
    assert_every_font_embedded(pdf.data, tmp_path)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_chinese_name_and_address_print_as_characters(service, config, tmp_path, language):
    report, access_code = submit(service, chinese_report(language))
    receipt = render_receipt(receipt_content(report, access_code, config.kiosk.zone), config.department)
    copy = render_report_copy(report, config, printed_at=NOW)

    on_receipt = words(receipt.data, tmp_path).replace(" ", "")
    assert PLACE_LINE2 in on_receipt  # where it happened; the receipt never prints the name or the home address
    assert FIRST_NAME not in on_receipt and HOME_LINE2.replace(" ", "") not in on_receipt
    on_copy = words(copy.data, tmp_path)
    for value in (f"{FIRST_NAME} {LAST_NAME}", HOME_LINE2, PLACE_LINE2, "四十分钟后出来", "The basket was bent too."):
        assert value in on_copy, value
    for document in (receipt, copy):
        assert fonts.FALLBACK in assert_every_font_embedded(document.data, tmp_path)
    # Each character is drawn in a font that has its glyph (pdftotext reads a box back as its character too).
    for value in (FIRST_NAME, LAST_NAME, HOME_LINE2, PLACE_LINE2, NARRATIVE):
        assert fonts.missing_glyphs(value) == ""


def test_latin_documents_name_no_fallback_font(service, config, tmp_path):
    """A receipt in a Latin script neither reads the 5 MB fallback font nor names it."""
    report, access_code = submit(service, load_sample("vandalism-car-es"))
    pdf = render_receipt(receipt_content(report, access_code, config.kiosk.zone), config.department)
    assert fonts.FALLBACK not in assert_every_font_embedded(pdf.data, tmp_path)


def test_text_is_split_between_the_fonts_by_the_glyphs_they_have():
    assert fonts.runs("Zoë O'Brien-Łukasik", fonts.REGULAR) == [("Zoë O'Brien-Łukasik", fonts.REGULAR)]
    assert fonts.runs("王秀英 (Hartford)，", fonts.BOLD) == [
        ("王秀英", fonts.FALLBACK), (" (Hartford)", fonts.BOLD), ("，", fonts.FALLBACK)]
    assert fonts.markup("<b> 王 & co", fonts.REGULAR) == f'&lt;b&gt; <font name="{fonts.FALLBACK}">王</font> &amp; co'
    assert fonts.missing_glyphs("Hartford 王 \U00013000") == "\U00013000"  # an Egyptian hieroglyph: in neither
    assert fonts.string_width("王王", size=10) == pytest.approx(2 * fonts.string_width("王", size=10))


@pytest.mark.parametrize("width", [80.0, 110.0, 200.0])
def test_chinese_wraps_between_characters_but_never_before_closing_punctuation(width):
    text = "当我周日早上回到车间时，侧门被工具撬开，锁也弯了。后屋的柜子是空的：电动工具、电脑和钱箱都不见了。" \
           "Serial number DCD791-0042 was written down."
    lines = wrap_text(text, fonts.REGULAR, 10, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # every character kept, in order
    for line in lines:
        assert fonts.text_width(line, fonts.REGULAR, 10) <= width + 0.01, line
        assert line[:1] not in CLOSING_PUNCTUATION, line
    for word in re.findall(r"[A-Za-z0-9-]+", text):  # Latin words break at spaces only
        assert any(word in line for line in lines), word
