"""Keys to the kiosk window, for the tests of a visitor without a mouse (issue 21): tests/ui/test_keyboard_only.py's
keyboard, tests/ui/test_keypad_walk.py's six-key keypad and tests/ui/test_narrator.py, which drives both.

- ``KeyDriver(window)``: every key sent to the kiosk window as a keyboard's are (``QTest.keyClick`` on its
  ``windowHandle()``), counted in all (``keys``, of which ``typed`` are typed characters) and per page
  (``per_page``: the page's object name without ``_page``); ``stops_to`` and ``backwards_is_shorter`` count the stops
  round the window's focus chain as a visitor who sees the screen does. A test's own driver (``Keyboard``,
  ``Keypad``) adds how it reaches a control, activates it and moves on (``reach``, ``activate``, ``type``, ``next``).
  The parts of a lost-property walk the drivers share are its methods too: ``fill_person_page`` (the screening
  questions, the category and the person page up to its Next), ``set_times`` (each time set with the pickers'
  buttons), ``fill_place`` (the place's type and address), ``type_item`` (an item form's inputs),
  ``tell_and_attest`` (from the items page's Next to the attestation).
- ``walk_without_mouse(driver, qapp, qtbot, language, walk)``: a walk in a language with the mouse presses counted;
  ``check_stored(reports, window, report)`` checks the stored report against its sample.
- ``MouseCounter``: counts the mouse presses and touches the application receives (install it as an event filter).
- ``run_keyboard_child(script, args, tmp_path, display)``: the on-screen keyboard tests' child process (the kiosk on
  its own Xvfb ``display``), returning the ``KEY=value`` lines it printed; ``child_script(body, wait_seconds)`` puts
  the child's common start (``say``, ``wait``, the application with the virtual keyboard, ``open_window``) before
  ``body``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.tracking import TrackingNumber
from ui.shell import KioskWindow
from ui.walkthrough import Visitor, settle, type_keys
from ui.wizard.page_ids import PageId

REPO = Path(__file__).resolve().parents[1]
CHILD_TIMEOUT_S = 90
NO_MODIFIER = Qt.KeyboardModifier.NoModifier
ITEM_FIELDS = ("description", "brand", "model", "serial_number", "value")  # a lost-property item's


@dataclass
class KeyDriver:
    """Keys to the kiosk window, counted in all and per page."""

    window: KioskWindow
    _: KW_ONLY
    keys: int = 0  # every key, typed characters too
    typed: int = 0
    per_page: dict[str, int] = field(default_factory=dict)

    def count(self, keys: int) -> None:
        self.keys += keys
        page = self.window.current_page().objectName().removesuffix("_page")
        self.per_page[page] = self.per_page.get(page, 0) + keys

    def focus(self) -> QWidget | None:
        """What the window hands a key to (its focus widget)."""
        return self.window.focusWidget()

    def send(self, key: Qt.Key, modifiers: Qt.KeyboardModifier = NO_MODIFIER) -> None:
        handle = self.window.windowHandle()
        assert handle is not None
        self.count(1)
        QTest.keyClick(handle, key, modifiers)
        settle()

    def type_text(self, target: QWidget, text: str) -> None:
        """``text`` typed into ``target`` a key at a time, counted as typed characters."""
        self.count(len(text))
        type_keys(target, text)
        self.typed += len(text)
        settle()

    def stops_to(self, target: QWidget, forward: bool) -> int | None:
        """How many stops (Tab or Shift+Tab, Down or Up) from the focus to ``target``, as a visitor who sees the
        screen counts them: the shown, enabled controls that take the focus by key, round the window's focus chain;
        None if it is not one."""
        here = self.focus() or self.window
        widget, stops = here, 0
        for _ in range(5000):
            widget = widget.nextInFocusChain() if forward else widget.previousInFocusChain()
            if widget is here:
                return None
            if (widget.isVisible() and widget.isEnabled() and not widget.isWindow()
                    and widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
                stops += 1
                if widget is target:
                    return stops
        return None

    def backwards_is_shorter(self, target: QWidget) -> bool:
        """Whether going back (Shift+Tab, Up) reaches ``target`` in fewer stops than going forward."""
        ahead, behind = self.stops_to(target, forward=True), self.stops_to(target, forward=False)
        return behind is not None and (ahead is None or behind < ahead)

    # How a driver reaches a control and moves on: each test's own.

    def activate(self, name: str) -> None:
        raise NotImplementedError

    def type(self, name: str, text: str) -> None:
        raise NotImplementedError

    def next(self) -> None:
        raise NotImplementedError

    # The parts of a lost-property walk the drivers share.

    def fill_person_page(self, report: dict[str, Any], date_parts: tuple[str, ...]) -> None:
        """From the first screening question to the person page's Next (pressed): the screening answered, the
        category chosen, the person's details typed, the date of birth's boxes in the order ``date_parts`` gives."""
        for question, answer in (("emergency", "no"), ("in_city", "yes"), ("suspect_or_evidence", "no")):
            self.activate(f"screening_{question}_{answer}_button")
        self.activate(f"category_{report['category']}_button")
        reporter = report["reporter"]
        self.type("first_name_input", reporter["first_name"])
        self.type("last_name_input", reporter["last_name"])
        year, month, day = reporter["date_of_birth"].split("-")
        parts = {"month": month, "day": day, "year": year}
        for part in date_parts:
            self.type(f"date_of_birth_{part}_input", parts[part])
        for key in ("line1", "line2", "city", "state", "zip"):
            if reporter["address"].get(key):
                self.type(f"home_{key}_input", reporter["address"][key])
        self.type("phone_input", reporter["phone"])
        self.type("email_input", reporter["email"])
        self.activate(f"contact_preference_{reporter['contact_preference']}_button")
        self.next()

    def set_times(self, incident: dict[str, Any], zone: tzinfo, far: Callable[[float, int], bool],
                  check_moves: bool = False) -> None:
        """Each of the incident's times set with its picker's buttons: the day first, then the hour, then the
        minutes, while ``far(gap in minutes, the step in minutes)``; ``check_moves``: each press must move it."""
        for name in ("occurred_from", "occurred_to"):
            target = datetime.fromisoformat(incident[name]).astimezone(zone).replace(tzinfo=None)
            picker = Visitor(self.window).find(f"{name}_picker")
            for unit, minutes in (("day", 24 * 60), ("hour", 60), ("minute", 5)):
                while far(gap := (target - picker.moment()).total_seconds() / 60, minutes):
                    before = picker.moment()
                    self.activate(f"{name}_{unit}_{'later' if gap > 0 else 'earlier'}_button")
                    if check_moves:
                        assert picker.moment() != before, f"{name}: the {unit} did not move"

    def fill_place(self, location: dict[str, Any]) -> None:
        """The place's type chosen and each of its address inputs typed (emptied where the sample has nothing)."""
        self.activate(f"place_type_{location['place_type']}_button")
        for key in ("line1", "line2", "city", "state", "zip"):
            self.type(f"place_{key}_input", location.get(key, ""))

    def type_item(self, item: dict[str, Any], fields: tuple[str, ...] = ITEM_FIELDS) -> None:
        """The open item form's inputs ``fields`` typed where the sample ``item`` has a value."""
        for key in fields:
            if item.get(key):
                self.type(f"item_{key}_input", str(item[key]))

    def tell_and_attest(self, narrative: str) -> None:
        """From the items page (its Next) to the review page's attestation: ``narrative`` typed on the page
        between."""
        self.next()
        assert self.window.wizard.currentId() == PageId.HOW
        self.type("narrative_input", narrative)
        self.next()
        assert self.window.wizard.currentId() == PageId.REVIEW
        self.activate("attestation_button")


class MouseCounter(QObject):
    """Counts the mouse presses and touches anything in the application receives."""

    def __init__(self) -> None:
        super().__init__()
        self.presses = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            self.presses += 1
        return False


CHILD_START = r'''
import os
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from kiosk.clock import SystemClock
from kiosk.config import config_from_mapping
from kiosk.home import Kiosk
from kiosk.storage.database import open_store
from ui.app import build_window, ensure_application
from ui.walkthrough import Visitor, settle

translations = Path(sys.argv[1])
K = Qt.Key


def say(key, value):
    print(f"{key}={value}", flush=True)


def wait(predicate, seconds=WAIT_SECONDS):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        if predicate():
            return True
        time.sleep(0.01)
    return False


def open_window(config, **store_options):
    """The kiosk on a fresh data folder, shown and activated; returns (window, store)."""
    clock = SystemClock()
    home = Path(tempfile.mkdtemp())
    store = open_store(home / "kiosk.sqlite3", now=clock.now, **store_options)
    window = build_window(Kiosk(home, config, clock=clock, store=store, receipt_printer=None), kiosk_mode=False,
                          translations_dir=translations, check_reports=False)
    window.present()
    window.activateWindow()
    return window, store


app = ensure_application(virtual_keyboard=True)
'''


def walk_without_mouse(walker: KeyDriver, qapp: QApplication, qtbot: Any, language: str,
                       walk: Callable[[], None]) -> MouseCounter:
    """The language chosen (unless English) and ``walk`` run, mouse presses counted, until the done page shows."""
    window = walker.window
    mice = MouseCounter()
    qapp.installEventFilter(mice)
    try:
        if language != "en":
            walker.activate(window.header.language_buttons[language].objectName())
        walk()
        qtbot.waitUntil(lambda: window.wizard.currentId() == PageId.DONE)
    finally:
        qapp.removeEventFilter(mice)
    return mice


def check_stored(reports: Any, window: KioskWindow, report: dict[str, Any]) -> dict[str, Any]:
    """The report stored under the done page's tracking number, checked against the sample it was made from."""
    stored = reports.get(TrackingNumber.parse(window.current_page().tracking_label.text()))
    assert stored["reporter"]["email"] == report["reporter"]["email"]
    assert stored["incident"]["narrative"] == report["incident"]["narrative"]
    assert stored["incident"]["occurred_from"] == report["incident"]["occurred_from"]
    assert stored["items"][0]["description"] == report["items"][0]["description"]
    return stored


def child_script(body: str, wait_seconds: float) -> str:
    """The child's common start (``wait`` gives up after ``wait_seconds`` unless told otherwise), then ``body``."""
    return CHILD_START.replace("WAIT_SECONDS", repr(wait_seconds)) + body


def run_keyboard_child(script: str, args: list[str], tmp_path: Path, display: str,
                       name: str = "keyboard_child.py") -> dict[str, str]:
    """Runs ``script`` (from ``child_script``) with ``args`` on the X ``display``, the repository on its path; the
    ``KEY=value`` lines it printed, after checking it printed ``DONE=True`` and exited 0."""
    path = tmp_path / name
    path.write_text(script, encoding="utf-8")
    env = {key: value for key, value in os.environ.items()
           if key not in ("QT_QPA_PLATFORM", "QT_IM_MODULE", "WAYLAND_DISPLAY")}
    env["DISPLAY"] = display
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(REPO), env.get("PYTHONPATH"))))
    env["XDG_RUNTIME_DIR"] = str(tmp_path)
    result = subprocess.run([sys.executable, str(path), *args], cwd=REPO, env=env, capture_output=True, text=True,
                            timeout=CHILD_TIMEOUT_S)
    seen = dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    assert result.returncode == 0 and seen.get("DONE") == "True", (
        f"child exited {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr[-4000:]}")
    return seen
