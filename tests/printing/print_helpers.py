"""Helpers for the printing tests: reading PDFs back (pypdf, and poppler's pdftotext and pdffonts), rendering them to
PNG, decoding barcodes, a report written in Chinese, and the rule that a missing tool or print system skips a test on
a developer's machine but fails it under CI."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import edited, load_sample
from pypdf import PdfReader

PDF_PRINTER = "P2C-TEST-PDF"
STOPPED_PRINTER = "P2C-TEST-STOPPED"
HELD_PRINTER = "P2C-TEST-HELD"
# The IPP printers of scripts/start-ipp-printer.sh (ippeveprinter behind a CUPS queue each): the queue and the port
# its printer listens on.
IPP_OK, IPP_EMPTY, IPP_JAM, IPP_COVER, IPP_LOW = (
    "P2C-TEST-IPP-OK", "P2C-TEST-IPP-EMPTY", "P2C-TEST-IPP-JAM", "P2C-TEST-IPP-COVER", "P2C-TEST-IPP-LOW")
IPP_PORTS = {IPP_OK: 8911, IPP_EMPTY: 8912, IPP_JAM: 8913, IPP_COVER: 8914, IPP_LOW: 8915}
MM = 72 / 25.4


def unavailable(reason: str) -> None:
    """Fail under CI, skip elsewhere."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason} (CI must run every printing test)")
    pytest.skip(reason)


def require_tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        unavailable(f"{name} is missing: install the Debian package {package} (scripts/debian-packages/printing.txt)")
    return path


def render_png(pdf: Path, dpi: int = 203, page: int = 1) -> Path:
    """The page as a PNG made by poppler's pdftoppm (the thermal printer's 203 dpi by default)."""
    require_tool("pdftoppm", "poppler-utils")
    stem = pdf.with_name(f"{pdf.stem}-p{page}-{dpi}")
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                    str(stem)], check=True, timeout=60)
    return stem.with_suffix(".png")


def decode(png: Path, symbology: str) -> list[str]:
    """What zbarimg reads in ``png`` for one symbology (``qrcode``, ``code128``)."""
    require_tool("zbarimg", "zbar-tools")
    done = subprocess.run(["zbarimg", "--raw", "-q", "-Sdisable", f"-S{symbology}.enable", str(png)],
                          capture_output=True, text=True, timeout=60)
    return [line for line in done.stdout.splitlines() if line]


def pdf_pages(data: bytes) -> list:
    return list(PdfReader(io.BytesIO(data)).pages)


def page_text(page) -> str:
    """A page's text with every run of white space (line breaks, no-break spaces) made one space."""
    return normalise(page.extract_text())


def pdf_text(data: bytes) -> str:
    return " ".join(page_text(page) for page in pdf_pages(data))


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def page_size_mm(page) -> tuple[float, float]:
    box = page.mediabox
    return float(box.width) / MM, float(box.height) / MM


# -- poppler's reading of a document, and a report in Chinese ----------------------------------------------------------
FIRST_NAME, LAST_NAME = "秀英", "王"
HOME_LINE2 = "华人社区中心三楼 12B 室"
PLACE_LINE2 = "金龙超市门口的自行车架（面包店旁边）"
NARRATIVE = "我把电动自行车锁在超市门口的车架上，四十分钟后出来，发现后视镜被砸碎了。The basket was bent too."
CLOSING_PUNCTUATION = frozenset("、。，．：；？！）」』】》")


def pdftotext(data: bytes, folder: Path, layout: bool = False) -> str:
    """The document's text as poppler's pdftotext reads it (UTF-8)."""
    require_tool("pdftotext", "poppler-utils")
    path = folder / "document.pdf"
    path.write_bytes(data)
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"],
                          capture_output=True, text=True, check=True, timeout=60)
    return done.stdout


def words(data: bytes, folder: Path) -> str:
    """pdftotext's text with every run of white space (line breaks, no-break spaces) made one space."""
    return re.sub(r"\s+", " ", pdftotext(data, folder)).strip()


def pdffonts(data: bytes, folder: Path) -> list[dict[str, str]]:
    """pdffonts' table, a row per font: name, type, encoding, emb, sub, uni (columns cut where its rule of dashes
    is)."""
    require_tool("pdffonts", "poppler-utils")
    path = folder / "fonts.pdf"
    path.write_bytes(data)
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True,
                           timeout=60).stdout.splitlines()
    header, rule, rows = lines[0], lines[1], lines[2:]
    spans = [match.span() for match in re.finditer(r"-+", rule)]
    names = [header[start:end].strip() for start, end in spans]
    return [{name: row[start:end].strip() for name, (start, end) in zip(names, spans, strict=True)} for row in rows]


def assert_every_font_embedded(data: bytes, folder: Path) -> list[str]:
    table = pdffonts(data, folder)
    assert table
    for font in table:
        assert font["emb"] == "yes" and font["sub"] == "yes" and font["uni"] == "yes", font
        assert font["type"] == "TrueType", font
    return [font["name"].split("+")[-1].removesuffix("-0") for font in table]  # "-0": a collection's first face


def spaced(value: str) -> str:
    return re.sub(r"\s+", " ", value)


def submit(service, data):
    receipt = service.submit(data)
    return service.get(receipt.tracking_number), receipt.access_code


def chinese_report(language: str) -> dict:
    data = edited(load_sample("lost-wallet"), "language", language)
    for path, value in (("reporter.first_name", FIRST_NAME), ("reporter.last_name", LAST_NAME),
                        ("reporter.address.line2", HOME_LINE2), ("incident.location.line2", PLACE_LINE2),
                        ("incident.narrative", NARRATIVE)):
        data = edited(data, path, value)
    return data
