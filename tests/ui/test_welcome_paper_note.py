"""Before a visitor starts, a receipt printer that cannot print shows a gentle note on the welcome page ("you will get
your number on screen", in the visitor's language), and the desk is told: the service's status line and a warning in
the log with what to do. The printer is a real IPP printer out of paper behind the local CUPS scheduler
(scripts/start-ipp-printer.sh), asked off the GUI thread (ui.health.PrinterWatch)."""

from __future__ import annotations

import logging
import os
import subprocess
import time

import pytest
from helpers import NOW

from kiosk.clock import ManualClock
from kiosk.home import open_kiosk
from printing.printer_state import Problem
from printing.readiness import printer_readiness
from ui.app import build_window
from ui.health import KioskHealth
from ui.kiosk_services import WindowServices

pytestmark = pytest.mark.gui

EMPTY_QUEUE = "P2C-TEST-IPP-EMPTY"  # scripts/start-ipp-printer.sh: reports media-empty-error and fails each job
PDF_QUEUE = "P2C-TEST-PDF"  # scripts/start-cups.sh: cups-pdf, always ready
NOTE = "Receipts cannot be printed right now; you will get your number on screen."


def unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def printer_out_of_paper() -> None:
    """The IPP printer says it is out of paper once a job made it speak (CUPS keeps the printer's last words): send
    one, wait for CUPS to know, and take the job away again (no test leaves a job waiting in a queue)."""
    if printer_readiness(EMPTY_QUEUE).problem in (Problem.PRINTER_MISSING, Problem.NO_PRINT_SYSTEM):
        unavailable(f"the IPP test printer {EMPTY_QUEUE} is not there; run scripts/start-ipp-printer.sh")
    subprocess.run(["lp", "-d", EMPTY_QUEUE, "-o", "raw", "-"], input=b"test", check=True, capture_output=True,
                   timeout=10)
    try:
        end = time.monotonic() + 5
        while printer_readiness(EMPTY_QUEUE).problem is not Problem.PAPER_OUT:
            if time.monotonic() > end:
                unavailable(f"{EMPTY_QUEUE} did not report media-empty within 5 s")
            time.sleep(0.1)
    finally:
        subprocess.run(["cancel", "-a", EMPTY_QUEUE], capture_output=True, timeout=10)


@pytest.fixture
def running(qtbot, tmp_path, translations_dir):
    """The window as `p2c-kiosk run` builds it, on a data folder whose kiosk.toml names ``queue``."""
    kiosks = []

    def start(queue: str, languages: tuple[str, ...] = ()):
        home = tmp_path / "home"
        home.mkdir()
        settings = f'[printer]\nname = "{queue}"\n' if queue else ""
        if languages:
            settings += f"[kiosk]\nlanguages = {list(languages)!r}\n".replace("'", '"')
        (home / "kiosk.toml").write_text(settings, encoding="utf-8")
        kiosk = open_kiosk(home, ManualClock(NOW), open_store_now=False)
        kiosks.append(kiosk)
        window = build_window(kiosk, kiosk_mode=False, translations_dir=translations_dir)
        qtbot.addWidget(window)
        health = KioskHealth()
        services = WindowServices(window, kiosk, deliver_notices=False, health=health)
        window.present()
        qtbot.waitUntil(lambda: services.printer_watch is not None and services.printer_watch.last is not None,
                        timeout=5000)
        return window, health

    yield start
    for kiosk in kiosks:
        kiosk.close()


@pytest.mark.parametrize(("languages", "sizes"), [
    ((), ((1280, 800), (1280, 720))),
    # A 1024-px screen holds the header's switches and two languages on one line; with four, the languages take a
    # second line and the welcome page scrolls (docs/translations.md: a lobby with many languages wants 1280 px).
    (("en", "es"), ((1280, 800), (1280, 720), (1024, 768))),
], ids=["every-language", "two-languages"])
def test_a_printer_out_of_paper_shows_the_note_and_tells_the_desk(running, caplog, settle, languages, sizes):
    printer_out_of_paper()
    with caplog.at_level(logging.INFO):
        window, health = running(EMPTY_QUEUE, languages)
    note = window.welcome_page.receipt_note_label
    assert note.isVisible() and note.text() == NOTE
    assert health.status.startswith("ready · printer: out of paper"), health.status
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and "receipt printer" in
                r.getMessage()]
    assert len(warnings) == 1 and warnings[0].startswith(f"receipt printer '{EMPTY_QUEUE}': out of paper")
    assert warnings[0].endswith("— load a new roll of receipt paper")
    window.switcher.set_language("es")
    settle()
    assert note.text() == "Ahora no se pueden imprimir comprobantes; verá su número en la pantalla."
    for size in sizes:  # the kiosk's screens (cage's headless output is 1280x720)
        window.resize(*size)
        settle()
        assert window.welcome_holder.verticalScrollBar().maximum() == 0, f"the note fits {size} without scrolling"


def test_a_ready_printer_shows_no_note(running):
    if not printer_readiness(PDF_QUEUE).can_print:
        unavailable(f"the CUPS test queue {PDF_QUEUE} is not ready; run scripts/start-cups.sh")
    window, health = running(PDF_QUEUE)
    assert not window.welcome_page.receipt_note_label.isVisible()
    assert health.status == "ready · printer: ready"


def test_a_kiosk_without_a_printer_by_design_promises_nothing_and_apologises_for_nothing(running):
    window, health = running("")
    assert not window.welcome_page.receipt_note_label.isVisible()
    assert health.status == "ready · printer: no printer is set up"
