"""How long a receipt takes to print, from the job's submission to the kiosk knowing it came out:
``python benchmarks/receipt_print.py [--runs N] [--printer QUEUE ...]``.

Renders one 80 mm receipt of a sample report once, then prints it ``--runs`` times on each printer through the
kiosk's own dispatcher (printing.cups.CupsDispatcher: ``lp``, then the job and the printer followed over IPP until
the job ends), and prints the median and 95th percentile of the time each ``print_pdf`` took, and how many came out.
The default printers are the test queues of scripts/start-cups.sh (P2C-TEST-PDF, cups-pdf) and
scripts/start-ipp-printer.sh (P2C-TEST-IPP-OK, an IPP printer); run those scripts first. This is the happy path's
latency, which following a job to its end must not make longer.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from kiosk.access_codes import new_access_code
from printing.cups import CupsDispatcher
from printing.receipt import receipt_content, render_receipt
from printing.samples import sample_reports

DEFAULT_PRINTERS = ("P2C-TEST-PDF", "P2C-TEST-IPP-OK")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="receipts printed on each printer (default 30)")
    parser.add_argument("--printer", action="append", help="a CUPS queue (repeat for several)")
    args = parser.parse_args(argv)
    samples, config = sample_reports()
    report, _ = next(iter(samples.values()))
    pdf = render_receipt(receipt_content(report, new_access_code(), config.kiosk.zone), config.department, "80mm")
    dispatcher = CupsDispatcher()
    print(f"receipt print, submission to outcome, {args.runs} runs per printer (Python {sys.version.split()[0]})")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "receipt.pdf"
        path.write_bytes(pdf.data)
        for printer in args.printer or DEFAULT_PRINTERS:
            times, printed = [], 0
            for _ in range(args.runs):
                started = time.perf_counter()
                result = dispatcher.print_pdf(path, printer, config.printer.media_for(pdf.height_mm), "P2C benchmark",
                                              20)
                times.append((time.perf_counter() - started) * 1000)
                printed += result.printed
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            print(f"  {printer:<20} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   "
                  f"printed {printed}/{args.runs}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
