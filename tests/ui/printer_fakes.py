"""Fake receipt printers for the Done page: the paper printer is the one thing the tests may fake, at its port
(kiosk.receipts.ReceiptPrinter)."""

from __future__ import annotations

import threading
import time

from kiosk.receipts import PrintOutcome


class FakePrinter:
    """Records what it was asked to print and on which thread; answers ``outcome`` after ``delay`` seconds."""

    def __init__(self, outcome: PrintOutcome | None = None, delay: float = 0.0) -> None:
        self.outcome = outcome or PrintOutcome(printed=True)
        self.delay = delay
        self.calls: list[tuple[str, str]] = []
        self.threads: list[threading.Thread] = []
        self.release = threading.Event()
        self.release.set()

    def print_receipt(self, tracking_number: str, access_code: str) -> PrintOutcome:
        self.threads.append(threading.current_thread())
        self.release.wait(timeout=10)
        if self.delay:
            time.sleep(self.delay)
        self.calls.append((tracking_number, access_code))
        return self.outcome


class BrokenPrinter:
    """A printer whose driver raises (a bug, a lost connection): the kiosk must carry on."""

    def __init__(self) -> None:
        self.calls = 0

    def print_receipt(self, tracking_number: str, access_code: str) -> PrintOutcome:
        self.calls += 1
        raise OSError("the printer went away")
