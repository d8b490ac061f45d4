"""The citizen's "Check a report": a page for the tracking number and access code (typed, or scanned from the
receipt's QR code), and a page with the report's status in plain words and, when an officer asked a question, a box
to answer it. The screens call only :class:`kiosk.lookup.StatusLookup`."""

from ui.lookup.flow import CheckReportFlow

__all__ = ["CheckReportFlow"]
