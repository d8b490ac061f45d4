"""The kiosk's real `p2c-kiosk run`, with visitors: a test program for tests/deploy/test_deploy_supervisor.py.

    python tests/deploy/visiting_kiosk.py HOME

It makes the QApplication (which `run` then uses as its own), and runs the command line exactly as the installed
program does (p2c_kiosk.main: the window, its services, READY=1 and the watchdog to $NOTIFY_SOCKET). Once the window's
services have started, visitors come one after another, driven by the walkthrough driver (ui/walkthrough.py: taps
and typed keys, as a citizen does) from the welcome page to the Done page. On standard output, flushed at once:

    welcome              the first page shown after a start is the welcome page, with nothing typed in it
    submitting           just before a visitor taps Submit
    shown T26-01-00042-1  the tracking number the Done page shows (read from the screen, as a visitor reads it)

so that a supervisor killing the process at any moment knows which numbers a visitor has seen.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))

from helpers import load_sample  # noqa: E402

from p2c_kiosk import main  # noqa: E402
from ui.kiosk_services import WindowServices  # noqa: E402
from ui.shell import KioskWindow  # noqa: E402
from ui.walkthrough import Visitor  # noqa: E402
from ui.wizard.page_ids import PageId  # noqa: E402

POLL_MS = 20


def say(line: str) -> None:
    print(line, flush=True)


def recent(report: dict, now: datetime) -> dict:
    """``report`` as if it happened yesterday (the time pickers start at now and stop there)."""
    start = (now - timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    incident = {**report["incident"], "occurred_from": start.isoformat(),
                "occurred_to": (start + timedelta(hours=2)).isoformat()}
    return {**report, "incident": incident}


class Visits:
    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.window: KioskWindow | None = None
        self.count = 0
        self.timer = QTimer()
        self.timer.timeout.connect(self.look)
        self.timer.start(POLL_MS)

    def look(self) -> None:
        """Wait for the window and its services (the database open), then start the visits."""
        windows = [w for w in self.app.topLevelWidgets() if isinstance(w, KioskWindow)]
        if not windows:
            return
        window = windows[0]
        services = window.findChild(WindowServices)
        if services is None or not services.is_started:
            return
        self.timer.stop()
        self.window = window
        assert window.is_pristine(), "a start shows the welcome page"
        say("welcome")
        QTimer.singleShot(0, self.visit)

    def visit(self) -> None:
        window = self.window
        assert window is not None
        visitor = Visitor(window)
        config = window.config
        samples = ("lost-wallet", "larceny-bicycle", "vandalism-car-es", "identity-theft")
        report = recent(load_sample(samples[self.count % len(samples)]), datetime.now(config.kiosk.zone))
        visitor.report(report, config.kiosk.zone)
        visitor.attest()
        say("submitting")
        visitor.submit()
        assert window.wizard.currentId() == PageId.DONE, window.wizard.currentId()
        done = window.wizard.page(PageId.DONE)
        say(f"shown {done.tracking_label.text()}")
        visitor.finish()
        self.count += 1
        QTimer.singleShot(0, self.visit)


if __name__ == "__main__":
    home = sys.argv[1]
    application = QApplication([sys.argv[0]])
    visits = Visits(application)
    sys.exit(main(["--home", home, "run", "--windowed"]))
