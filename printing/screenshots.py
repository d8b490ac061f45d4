"""Render the receipts and report copies of the sample reports to PNG, to look at them:
``python -m printing.screenshots OUTDIR [--language CODE]``.

Receipts at the thermal printer's 203 dpi, Letter pages at 100 dpi, with poppler's ``pdftoppm`` (Debian's
poppler-utils). The PDFs are kept beside the PNGs.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from printing.receipt import receipt_content, render_receipt
from printing.report_copy import render_report_copy
from printing.samples import NOW, sample_reports

log = logging.getLogger(__name__)


def render(out_dir: Path, language: str | None = None) -> list[Path]:
    """Write the PDFs and PNGs, in each report's language or in ``language``; returns the PNG files."""
    if shutil.which("pdftoppm") is None:
        raise RuntimeError("pdftoppm is missing: install poppler-utils")
    out_dir.mkdir(parents=True, exist_ok=True)
    samples, config = sample_reports()
    written: list[Path] = []
    for name, (report, access_code) in samples.items():
        content = receipt_content(report, access_code, config.kiosk.zone, config.sync.status_page_url)
        if language is not None:
            content = replace(content, language=language)
            name = f"{name}-in-{language}"
        for paper, dpi in (("80mm", 203), ("letter", 100)):
            pdf = render_receipt(content, config.department, paper)
            written += _png(pdf.data, out_dir / f"receipt-{paper}-{name}", dpi)
        copy = render_report_copy(report, config, language, printed_at=NOW)
        written += _png(copy.data, out_dir / f"copy-{name}", 100)
    return written


def _png(data: bytes, stem: Path, dpi: int) -> list[Path]:
    pdf = stem.with_suffix(".pdf")
    pdf.write_bytes(data)
    for old in stem.parent.glob(f"{stem.name}*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(stem)], check=True, timeout=60)
    return sorted(stem.parent.glob(f"{stem.name}*.png"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m printing.screenshots", description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="folder for the PDF and PNG files (created if missing)")
    parser.add_argument("--language", help="print every document in this installed language (default: the report's)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        written = render(args.out_dir, args.language)
    except (RuntimeError, subprocess.SubprocessError) as exc:
        log.error("%s", exc)
        return 1
    for path in written:
        log.info("wrote %s", path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
