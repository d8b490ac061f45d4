"""A receipt and a report copy printed wholly in Chinese, whatever Chinese catalogue is installed or not: made-up
Chinese for every message of the template (its place markers kept), under a code no module names, proves the layout of
a script written without spaces between words: the numbers come back, no line starts with closing punctuation,
nothing runs into the margins of an 80 mm roll, and the fonts are embedded."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import NOW, catalogues_in, write_made_up_catalogue
from PIL import Image
from print_helpers import (
    CLOSING_PUNCTUATION,
    FIRST_NAME,
    LAST_NAME,
    PLACE_LINE2,
    assert_every_font_embedded,
    chinese_report,
    pdftotext,
    render_png,
    spaced,
    submit,
    words,
)

from kiosk.translation import SOURCE_LANGUAGE
from printing import fonts
from printing.receipt import receipt_content, render_receipt
from printing.report_copy import render_report_copy

CODE = "yue"
FILLER = "请保留这张收据如果有问题请打电话给警察局的非紧急号码并说出您的跟踪号码和访问码官员会审核您的报告"
PLACE_MARKER = re.compile(r"\{[a-z_]+\}")


def made_up_chinese(message_id: str) -> str:
    """About a third as many characters as the English has letters (Chinese is that dense), then the place markers,
    and a full stop."""
    length = max(2, len(message_id) // 3)
    body = (FILLER * (1 + length // len(FILLER)))[:length]
    return "，".join([body, *PLACE_MARKER.findall(message_id)]) + "。"


@pytest.fixture
def chinese_catalogue(tmp_path: Path) -> Iterator[str]:
    write_made_up_catalogue(tmp_path / "locale", CODE, made_up_chinese)
    with catalogues_in(tmp_path / "locale"):
        yield CODE


@pytest.mark.parametrize("paper", ("80mm", "letter"))
def test_a_receipt_wholly_in_chinese_keeps_its_numbers_and_its_margins(service, config, tmp_path, chinese_catalogue,
                                                                      paper):
    report, access_code = submit(service, chinese_report(SOURCE_LANGUAGE))
    content = replace(receipt_content(report, access_code, config.kiosk.zone), language=chinese_catalogue)
    pdf = render_receipt(content, config.department, paper)
    text = words(pdf.data, tmp_path)
    for number in (report["tracking_number"], access_code, config.department.non_emergency_phone):
        assert spaced(number) in text, number
    assert FILLER[:6] in text.replace(" ", "")
    for line in pdftotext(pdf.data, tmp_path, layout=True).splitlines():
        assert line.strip()[:1] not in CLOSING_PUNCTUATION, line
    assert fonts.FALLBACK in assert_every_font_embedded(pdf.data, tmp_path)
    assert pdf.pages == 1
    if paper == "80mm":
        path = tmp_path / "receipt.pdf"
        path.write_bytes(pdf.data)
        image = Image.open(render_png(path, 203)).convert("L")
        edge = round(3 * 203 / 25.4)  # 3 mm: a thermal head prints 72 of the roll's 80 mm
        width, height = image.size
        for box in ((0, 0, edge, height), (width - edge, 0, width, height)):
            darkest, _ = image.crop(box).getextrema()
            assert darkest > 200, f"ink within 3 mm of the edge at {box}"


def test_a_report_copy_wholly_in_chinese_keeps_its_numbers(service, config, tmp_path, chinese_catalogue):
    report, _ = submit(service, chinese_report(SOURCE_LANGUAGE))
    pdf = render_report_copy(report, config, chinese_catalogue, printed_at=NOW)
    text = words(pdf.data, tmp_path)
    assert text.count(report["tracking_number"]) >= 3
    assert spaced(config.department.non_emergency_phone) in text
    assert f"{FIRST_NAME} {LAST_NAME}" in text and PLACE_LINE2 in text.replace(" ", "")
    for line in pdftotext(pdf.data, tmp_path, layout=True).splitlines():
        assert line.strip()[:1] not in CLOSING_PUNCTUATION, line
    assert fonts.FALLBACK in assert_every_font_embedded(pdf.data, tmp_path)
