"""How long rendering a receipt takes: ``python benchmarks/receipt.py [--runs N]`` (or ``make bench-receipt``).

Measures, in the same process and interleaved run by run, the kiosk's 80 mm receipt (``printing.receipt``) and a
naive reportlab receipt with the same texts, written the way reportlab's own examples do it:

- the two DejaVu TTFs registered on every render, as a one-shot script does at its top;
- text drawn line by line with ``canvas.drawString``, long lines split with ``reportlab.lib.utils.simpleSplit``;
- the Code 128 barcode from ``createBarcodeDrawing`` and the QR code from a ``QrCodeWidget`` in a ``Drawing``,
  both drawn with ``renderPDF.draw``;
- a fixed 80 × 250 mm page.

A second anchor (issue 19) is the simplest naive receipt: the same lines in the standard Helvetica (no font to load
or embed), the Code 128 barcode and reportlab's ``QrCodeWidget``: what a receipt costs when nothing is done for
Unicode names. Goals: at most 0.5x the naive receipt and at most 0.35x the simplest one.

All render to bytes in memory (no disk), each run with a fresh access code so nothing can be cached across runs.
Prints the median and 95th percentile of each, the ratios, and whether the goals are met. For reference it also
times the naive receipt with its fonts registered once, which shows how much of the difference is the font cache and
how much the drawing (one path for the QR code, no Drawing objects). It says whether reportlab's C accelerator
(rl-accel) is installed.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import statistics
import sys
import time

import reportlab
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode import createBarcodeDrawing
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from kiosk.access_codes import new_access_code
from kiosk.resources import resource_path
from printing.qr import qr_payload
from printing.receipt import ReceiptContent, receipt_content, render_receipt
from printing.samples import sample_reports
from printing.texts import category_name, format_datetime, text

GOAL = 0.5
SIMPLEST_GOAL = 0.35  # issue 19: against the simplest naive receipt (Helvetica, Code 128, QrCodeWidget)


def register_naive_fonts() -> None:
    pdfmetrics.registerFont(TTFont("NaiveSans", str(resource_path("fonts", "DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont("NaiveSans-Bold", str(resource_path("fonts", "DejaVuSans-Bold.ttf"))))


def naive_receipt(content: ReceiptContent, department_name: str, phone: str, register_fonts: bool = True) -> bytes:
    """The same receipt as a reportlab example would write it."""
    if register_fonts:
        register_naive_fonts()
    lang = content.language
    width, height = 80 * mm, 250 * mm
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height))
    y = height - 12 * mm

    def line(words: str, size: float, bold: bool = False) -> None:
        nonlocal y
        font = "NaiveSans-Bold" if bold else "NaiveSans"
        canvas.setFont(font, size)
        for piece in simpleSplit(words, font, size, width - 8 * mm):
            canvas.drawString(4 * mm, y, piece)
            y -= size * 1.25

    line(department_name, 13, True)
    line(text("receipt.non_emergency", lang, phone=phone), 9)
    line(text("receipt.tracking", lang), 10)
    line(content.tracking_number, 26, True)
    barcode = createBarcodeDrawing("Code128", value=content.tracking_number.replace("-", ""),
                                   barWidth=0.375 * mm, barHeight=12 * mm)
    y -= 14 * mm
    renderPDF.draw(barcode, canvas, 8 * mm, y)
    line(text("receipt.access_code", lang), 10)
    line(content.access_code, 22, True)
    line(text("receipt.access_hint", lang), 9)
    widget = QrCodeWidget(qr_payload(content.tracking_number, content.access_code), barLevel="M")
    left, bottom, right, top = widget.getBounds()
    size = 34 * mm
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(widget)
    y -= size
    renderPDF.draw(drawing, canvas, 23 * mm, y)
    line(format_datetime(content.submitted_at, lang), 10)
    line(category_name(content.category, lang), 10)
    line(content.location, 10)
    line(text("receipt.not_official", lang), 10, True)
    for key in ("receipt.next_review", "receipt.next_watch", "receipt.next_more_info", "receipt.next_approved",
                "receipt.next_rejected"):
        line(f"• {text(key, lang)}", 10)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def simplest_receipt(content: ReceiptContent, department_name: str, phone: str) -> bytes:
    """The simplest naive receipt (the second anchor, issue 19): the same lines in the standard Helvetica (nothing to
    load, nothing embedded; it covers Latin-1 only, so it could not print every citizen's name), the Code 128 barcode
    and reportlab's own ``QrCodeWidget``, each through a ``Drawing``."""
    lang = content.language
    width, height = 80 * mm, 250 * mm
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height))
    y = height - 12 * mm

    def line(words: str, size: float, bold: bool = False) -> None:
        nonlocal y
        font = "Helvetica-Bold" if bold else "Helvetica"
        canvas.setFont(font, size)
        for piece in simpleSplit(words, font, size, width - 8 * mm):
            canvas.drawString(4 * mm, y, piece)
            y -= size * 1.25

    line(department_name, 13, True)
    line(text("receipt.non_emergency", lang, phone=phone), 9)
    line(text("receipt.tracking", lang), 10)
    line(content.tracking_number, 26, True)
    barcode = createBarcodeDrawing("Code128", value=content.tracking_number.replace("-", ""),
                                   barWidth=0.375 * mm, barHeight=12 * mm)
    y -= 14 * mm
    renderPDF.draw(barcode, canvas, 8 * mm, y)
    line(text("receipt.access_code", lang), 10)
    line(content.access_code, 22, True)
    line(text("receipt.access_hint", lang), 9)
    widget = QrCodeWidget(qr_payload(content.tracking_number, content.access_code), barLevel="M")
    left, bottom, right, top = widget.getBounds()
    size = 34 * mm
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(widget)
    y -= size
    renderPDF.draw(drawing, canvas, 23 * mm, y)
    line(format_datetime(content.submitted_at, lang), 10)
    line(category_name(content.category, lang), 10)
    line(content.location, 10)
    line(text("receipt.not_official", lang), 10, True)
    for key in ("receipt.next_review", "receipt.next_watch", "receipt.next_more_info", "receipt.next_approved",
                "receipt.next_rejected"):
        line(f"• {text(key, lang)}", 10)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="renders of each receipt (default 200)")
    args = parser.parse_args(argv)
    samples, config = sample_reports()
    report, _ = samples["unicode-long-en"]
    department = config.department

    def ours() -> bytes:
        content = receipt_content(report, new_access_code(), config.kiosk.zone)
        return render_receipt(content, department, "80mm").data

    def naive() -> bytes:
        content = receipt_content(report, new_access_code(), config.kiosk.zone)
        return naive_receipt(content, department.name, department.non_emergency_phone)

    def naive_cached_fonts() -> bytes:  # for reference: how much of the gain is the font cache alone
        content = receipt_content(report, new_access_code(), config.kiosk.zone)
        return naive_receipt(content, department.name, department.non_emergency_phone, register_fonts=False)

    def simplest() -> bytes:
        content = receipt_content(report, new_access_code(), config.kiosk.zone)
        return simplest_receipt(content, department.name, department.non_emergency_phone)

    first = time.perf_counter()
    ours()  # the first receipt of a process also registers the fonts
    cold = time.perf_counter() - first
    renders = {"kiosk": ours, "naive": naive, "naive, fonts registered once": naive_cached_fonts,
               "simplest naive (Helvetica)": simplest}
    for _ in range(5):
        for render in renders.values():
            render()
    timings: dict[str, list[float]] = {name: [] for name in renders}
    sizes: dict[str, int] = {}
    for _ in range(args.runs):
        for name, render in renders.items():
            start = time.perf_counter()
            data = render()
            timings[name].append(time.perf_counter() - start)
            sizes[name] = len(data)

    print(f"receipt render, 80 mm, {args.runs} runs each, interleaved (Python {sys.version.split()[0]})")
    print(f"  first kiosk receipt in a process (registers the fonts): {cold * 1000:.1f} ms")
    for name, values in timings.items():
        print(f"  {name:<28} median {statistics.median(values) * 1000:6.2f} ms   p95 "
              f"{percentile(values, 0.95) * 1000:6.2f} ms   PDF {sizes[name] / 1024:.0f} KiB")
    for anchor, goal in (("naive", GOAL), ("simplest naive (Helvetica)", SIMPLEST_GOAL)):
        ratio = statistics.median(timings["kiosk"]) / statistics.median(timings[anchor])
        verdict = "met" if ratio <= goal else "NOT met"
        print(f"  ratio (median kiosk / median {anchor}): {ratio:.2f}x; goal <= {goal}x: {verdict}")
    accelerated = importlib.util.find_spec("_rl_accel") is not None
    print(f"  reportlab {reportlab.Version}, its C accelerator (rl-accel): {'yes' if accelerated else 'no'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
