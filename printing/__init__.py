"""Receipts and report copies (reportlab) and their dispatch to a CUPS printer or a PDF spool.

Depends on :mod:`kiosk`, never the other way round, and never on Qt. The pieces:

- :mod:`printing.receipt` — the citizen's receipt (80 mm roll or Letter), :mod:`printing.report_copy` — the full
  copy of a report (Letter), :mod:`printing.texts` — every printed word in English and Spanish;
- :mod:`printing.cups` — printing a PDF through CUPS and learning whether it completed (:mod:`printing.ipp`);
- :mod:`printing.print_or_spool` — the one path every rendered document takes: spooled (:mod:`printing.spool`),
  then sent to CUPS, and the spooled file removed once it came out;
- :mod:`printing.kiosk_printer` — :class:`~printing.kiosk_printer.KioskReceiptPrinter`, the kiosk's
  :class:`kiosk.receipts.ReceiptPrinter`, and :func:`~printing.kiosk_printer.build_receipt_printer`, which the
  kiosk's container (kiosk.home.Kiosk.receipt_printer) finds through the ``p2c_kiosk.receipt_printer`` entry point;
- :mod:`printing.copy_printer` — :class:`~printing.copy_printer.KioskCopyPrinter`, the kiosk's
  :class:`kiosk.receipts.CopyPrinter` (officer mode's full copies), found the same way (``p2c_kiosk.copy_printer``);
- :mod:`printing.commands` — ``p2c-kiosk receipt``, ``copy`` and ``print`` (the ``p2c_kiosk.commands`` entry points).

Nothing is imported here, so that importing one piece (the QR code on the Done page) does not import the others.
"""
