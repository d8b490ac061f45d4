"""Helpers for the printing tests: reading PDFs back, rendering them to PNG, decoding barcodes, and the rule that a
missing tool or print system skips a test on a developer's machine but fails it under CI."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
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
