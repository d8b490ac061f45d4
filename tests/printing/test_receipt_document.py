"""The receipt as the citizen takes it home: read back from the PDF (text, page size, fonts) for every category in
both languages on both papers, and rendered to pixels to prove nothing runs off an 80 mm roll."""

from __future__ import annotations

import pytest
from helpers import VALID_SAMPLES, edited, load_sample
from PIL import Image
from print_helpers import MM, page_size_mm, pdf_pages, pdf_text, render_png

from printing.receipt import receipt_content, render_receipt
from printing.texts import PLACE_TYPES, category_name, format_datetime, name_of, text

LANGUAGES = ("en", "es")
PAPERS = ("80mm", "letter")


def stored(service, sample: str, language: str, **changes):
    report = edited(load_sample(sample), "language", language)
    for path, value in changes.items():
        report = edited(report, path.replace("__", "."), value)
    receipt = service.submit(report)
    return service.get(receipt.tracking_number), receipt.access_code


def render(config, report, access_code, paper="80mm"):
    return render_receipt(receipt_content(report, access_code, config.kiosk.zone), config.department, paper)


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("sample", VALID_SAMPLES)
def test_the_receipt_says_what_the_citizen_needs(service, config, sample, language, paper):
    report, access_code = stored(service, sample, language)
    pdf = render(config, report, access_code, paper)

    pages = pdf_pages(pdf.data)
    assert len(pages) == 1 and pdf.pages == 1
    width, height = page_size_mm(pages[0])
    if paper == "80mm":
        assert width == pytest.approx(80, abs=0.1)
        assert height == pytest.approx(pdf.height_mm, abs=0.1) and 150 < height < 400
    else:
        assert (width, height) == (pytest.approx(215.9, abs=0.1), pytest.approx(279.4, abs=0.1))

    words = pdf_text(pdf.data)
    department = config.department
    expected = [
        department.name, department.non_emergency_phone, department.emergency_number,
        text("receipt.title", language),
        report["tracking_number"], access_code,
        category_name(report["category"], language),
        name_of(PLACE_TYPES, report["incident"]["location"]["place_type"], language),
        text("receipt.not_official", language),
        text("receipt.next", language),
        *(text(f"receipt.next_{step}", language) for step in ("review", "watch", "more_info", "approved", "rejected")),
    ]
    for phrase in expected:
        assert phrase in words, phrase
    submitted = format_datetime(receipt_content(report, access_code, config.kiosk.zone).submitted_at, language)
    assert submitted.replace("\u00a0", " ") in words
    other = "es" if language == "en" else "en"
    assert text("receipt.not_official", other) not in words


def test_the_incident_location_is_printed_when_it_is_not_the_reporters_home(service, config):
    report, code = stored(service, "lost-wallet", "en")
    words = pdf_text(render(config, report, code).data)
    assert "Park: Bushnell Park, near the carousel, Hartford, CT 06106" in words


def test_an_incident_at_home_says_so_without_printing_the_address(service, config):
    report, code = stored(service, "larceny-bicycle", "es")
    words = pdf_text(render(config, report, code).data)
    assert "Vivienda: En su domicilio (no se imprime aquí), Hartford, CT" in words
    assert "Farmington" not in words


def test_the_fonts_are_embedded_unicode_truetype(service, config):
    report, code = stored(service, "vandalism-car-es", "es")
    page = pdf_pages(render(config, report, code).data)[0]
    fonts = page["/Resources"]["/Font"]
    assert fonts
    for font in fonts.values():
        font = font.get_object()
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        assert "DejaVuSans" in str(font["/BaseFont"])
        assert "/FontFile2" in descendant["/FontDescriptor"].get_object()  # an embedded TrueType program


LONG_PLACE = {
    "incident__location__line1": "Bushnell Park, Elm Street entrance by the Pump House Gallery and the carousel, "
                                 "bench 4",
    "incident__location__line2": "Ñandú-Łukasik-Nguyễn-Thị-Minh-loading-dock-behind-the-building-with-no-spaces-at-all",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_long_unicode_values_wrap_and_nothing_runs_off_an_80mm_roll(service, config, tmp_path, language):
    report, code = stored(service, "lost-wallet", language, **LONG_PLACE)
    pdf = render(config, report, code)
    words = pdf_text(pdf.data).replace(" ", "")
    assert LONG_PLACE["incident__location__line2"].replace(" ", "") in words  # wrapped, every character kept
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf.data)
    image = Image.open(render_png(path, 203)).convert("L")
    edge = round(3 * 203 / 25.4)  # 3 mm: a thermal head prints 72 of the roll's 80 mm
    width, height = image.size
    assert width == pytest.approx(80 * 203 / 25.4, abs=2)
    for box in ((0, 0, edge, height), (width - edge, 0, width, height), (0, 0, width, edge),
                (0, height - edge, width, height)):
        darkest, _ = image.crop(box).getextrema()
        assert darkest > 200, f"ink within 3 mm of the edge at {box}"


def test_a_letter_receipt_with_long_values_stays_on_one_page(service, config):
    report, code = stored(service, "lost-wallet", "es", **LONG_PLACE)
    pdf = render(config, report, code, "letter")
    assert pdf.pages == 1 and len(pdf_pages(pdf.data)) == 1


def test_the_tracking_number_is_the_largest_text_on_the_receipt(service, config):
    report, code = stored(service, "identity-theft", "en")
    sizes: dict[str, float] = {}

    def visit(text_run, cm, tm, font, size):
        if text_run.strip():
            sizes[text_run.strip()] = max(sizes.get(text_run.strip(), 0), size * tm[0] * cm[0] if tm[0] else size)

    pdf_pages(render(config, report, code).data)[0].extract_text(visitor_text=visit)
    tracking_size = sizes[report["tracking_number"]]
    assert tracking_size >= 20  # as wide as the 72 mm a thermal head prints: capitals about 5.5 mm high
    assert tracking_size == max(sizes.values())
    assert sizes[code] >= 18


def test_a_receipt_printed_again_says_so(service, config):
    report, first_code = stored(service, "lost-wallet", "en")
    assert "Printed again" not in pdf_text(render(config, report, first_code).data)
    new_code = service.reissue_access_code(report["tracking_number"], "officer:test")
    again = service.get(report["tracking_number"])
    words = pdf_text(render(config, again, new_code).data)
    assert "Printed again on" in words and "no longer works" in words
    assert new_code in words and first_code not in words


def test_the_department_comes_from_the_configuration(service):
    from kiosk.config import config_from_mapping

    config = config_from_mapping({"department": {"name": "Springfield Police Department",
                                                 "non_emergency_phone": "(413) 787-6300"}})
    report, code = stored(service, "lost-wallet", "en")
    words = pdf_text(render(config, report, code).data)
    assert "Springfield Police Department" in words and "(413) 787-6300" in words
    assert "Hartford Police" not in words


def test_an_unknown_paper_is_refused(service, config):
    report, code = stored(service, "lost-wallet", "en")
    with pytest.raises(ValueError, match="80mm"):
        render(config, report, code, "a4")


def test_page_height_in_points_matches_millimetres(service, config):
    report, code = stored(service, "lost-wallet", "en")
    pdf = render(config, report, code)
    assert float(pdf_pages(pdf.data)[0].mediabox.height) == pytest.approx(pdf.height_mm * MM, abs=0.01)
