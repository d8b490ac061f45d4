"""Receipts and report copies (reportlab) and their dispatch to a CUPS printer or a PDF spool.

Depends on :mod:`kiosk`, never the other way round, and never on Qt. The pieces:

- :mod:`printing.receipt` — the citizen's receipt (80 mm roll or Letter), :mod:`printing.report_copy` — the full
  copy of a report (Letter), :mod:`printing.texts` — every printed word in English and Spanish;
- :mod:`printing.cups` — printing a PDF through CUPS and learning whether it completed (:mod:`printing.ipp`);
- :mod:`printing.kiosk_printer` — :class:`KioskReceiptPrinter`, the kiosk's :class:`kiosk.receipts.ReceiptPrinter`,
  and :func:`build_receipt_printer`, which wires one for an opened kiosk.
"""

from printing.kiosk_printer import KioskReceiptPrinter, build_receipt_printer

__all__ = ["KioskReceiptPrinter", "build_receipt_printer"]
