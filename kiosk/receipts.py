"""The printing ports: what the kiosk's screens and the CLI need from whatever prints receipts and report copies.

The core only declares the shapes; ``printing`` implements them (reportlab documents, CUPS, a PDF spool), the
wizard's Done page and officer mode call them. Keeping the ports here lets ``ui`` depend on ``kiosk`` alone and lets
tests hand in any printer they like.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from kiosk.report_document import StoredReport
from kiosk.tracking import TrackingNumber

# Why a receipt did not come out of a printer (PrintOutcome.reason).
REASONS = (
    "no_printer",  # no printer is configured
    "printer_missing",  # the configured printer does not exist (or no print system is running)
    "printer_stopped",  # the printer is paused, offline or out of paper
    "job_failed",  # the print system took the job but it did not complete
)


@dataclass(frozen=True)
class PrintOutcome:
    """What happened to one receipt or copy. When ``printed`` is False the PDF is kept at ``spooled_pdf`` and ``reason``
    says why (one of :data:`REASONS`)."""

    printed: bool
    spooled_pdf: Path | None = None
    reason: str | None = None


class ReceiptPrinter(Protocol):
    def print_receipt(self, tracking_number: TrackingNumber, access_code: str) -> PrintOutcome:
        """Render the receipt of a stored report (with the access code just issued) and print it, or spool it.

        May block for a few seconds while the print system works: screens call it off the UI thread."""


class CopyPrinter(Protocol):
    def print_copy(self, report: StoredReport) -> PrintOutcome:
        """Render the full copy of a stored report (as ReportService.get gives it; in English, for the desk) and
        print it, or spool it.

        May block for a few seconds while the print system works: screens call it off the UI thread."""
