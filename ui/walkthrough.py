"""A visitor at the kiosk, simulated: taps and typed keys (Qt Test events), never attributes set from outside.

A tap and a key go to the widget's top-level window, as a finger's and a keyboard's do (the window hands them to the
widget under the point, or with the focus), so what watches the kiosk's windows (the idle watchdog, the kiosk keys:
ui/input_watch.py) sees them. A widget the window would not hand the tap to (scrolled out of its page's view, or
under something else) gets it sent directly, as before, and that tap keeps no watchdog awake.

``python -m ui.screenshots`` uses it to fill the pages with realistic data, and the tests use it to drive the wizard
the way a citizen does. Widgets are found by their objectName, as an accessibility tool would find them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, tzinfo
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent, QWindow
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QPlainTextEdit, QWidget

from kiosk.vocabulary import Category, ScreeningQuestion
from ui.shell import KioskWindow
from ui.wizard.page_ids import PageId

LEFT = Qt.MouseButton.LeftButton
SETTLE_ROUNDS = 5


def settle() -> None:
    """Let posted events (layouts after a text change, deferred deletes) run."""
    for _ in range(SETTLE_ROUNDS):
        QApplication.processEvents()


class Visitor:
    def __init__(self, window: KioskWindow, after_each: Callable[[], None] = settle) -> None:
        self.window = window
        self._after = after_each

    # -- finding and touching -----------------------------------------------------------------------------------

    def page(self) -> QWidget:
        return self.window.current_page()

    def find(self, name: str, kind: type[QWidget] = QWidget) -> Any:
        """The widget called ``name`` on the current page, else anywhere in the window (header, wizard buttons)."""
        widget = None
        for scope in (self.page(), self.window):
            found = [w for w in scope.findChildren(kind, name) if w.isVisibleTo(self.window)]
            if found:
                widget = found[0]
                break
        if widget is None:
            raise LookupError(f"no {kind.__name__} named {name!r} on {self.page().objectName()}")
        return widget

    def tap(self, widget: QWidget | str) -> None:
        target = self.find(widget) if isinstance(widget, str) else widget
        if not target.isEnabled():
            raise AssertionError(f"{target.objectName()} is disabled")
        click(target)
        self._after()

    def type(self, widget: QWidget | str, text: str, *, replace: bool = False) -> None:
        """Tap the input, (select what is there and) type ``text`` key by key."""
        target = self.find(widget) if isinstance(widget, str) else widget
        click(target)
        if replace:
            press_key(target, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            press_key(target, Qt.Key.Key_Backspace)
        type_keys(target, text)
        self._after()

    def next(self) -> None:
        self.tap(self.window.wizard.button(self.window.wizard.WizardButton.NextButton))

    def back(self) -> None:
        self.tap(self.window.wizard.button(self.window.wizard.WizardButton.BackButton))

    def submit(self) -> None:
        self.tap(self.window.wizard.button(self.window.wizard.WizardButton.CommitButton))

    def finish(self) -> None:
        self.tap(self.window.wizard.button(self.window.wizard.WizardButton.FinishButton))

    def choose_language(self, code: str) -> None:
        self.tap(self.window.header.language_buttons[code])

    # -- the report, page by page -------------------------------------------------------------------------------

    def start(self) -> None:
        self.tap(self.window.welcome_page.start_button)

    def screening(self, *, emergency: bool = False, in_city: bool = True, suspect: bool = False) -> None:
        answers = {ScreeningQuestion.EMERGENCY: emergency, ScreeningQuestion.IN_CITY: in_city,
                   ScreeningQuestion.SUSPECT_OR_EVIDENCE: suspect}
        for question, answer in answers.items():
            self.tap(f"screening_{question}_{'yes' if answer else 'no'}_button")
            if self.window.wizard.currentId() in (PageId.REFER_EMERGENCY, PageId.REFER_OUTSIDE_CITY,
                                                  PageId.REFER_SUSPECT):
                return

    def category(self, key: str) -> None:
        self.tap(f"category_{key}_button")

    def about_me(self, reporter: dict[str, Any]) -> None:
        self.type("first_name_input", reporter["first_name"])
        self.type("last_name_input", reporter["last_name"])
        year, month, day = reporter["date_of_birth"].split("-")
        self.type("date_of_birth_month_input", month)
        self.type("date_of_birth_day_input", day)
        self.type("date_of_birth_year_input", year)
        self.address("home", reporter["address"])
        self.type("phone_input", reporter.get("phone", ""))
        self.type("email_input", reporter.get("email", ""))
        self.tap(f"contact_preference_{reporter['contact_preference']}_button")

    def address(self, prefix: str, address: dict[str, str]) -> None:
        for key in ("line1", "line2", "city", "state", "zip"):
            edit: QLineEdit = self.find(f"{prefix}_{key}_input")
            wanted = address.get(key, "")
            if edit.text() != wanted:
                self.type(edit, wanted, replace=bool(edit.text()))

    def time_frame(self, start: datetime, end: datetime, *, day_only: bool = False) -> None:
        """Pick both ends (local times, no zone) with the ◀ ▶ + − buttons."""
        if day_only:
            self.tap("unknown_time_button")
        self.pick("occurred_from", start, day_only=day_only)
        self.pick("occurred_to", end, day_only=day_only)

    def pick(self, name: str, target: datetime, *, day_only: bool = False) -> None:
        picker = self.find(f"{name}_picker")
        steps = (("day", 24 * 60), ("hour", 60), ("minute", 5))
        for unit, minutes in steps:
            if day_only and unit != "day":
                break
            while True:
                current = picker.moment()
                gap = ((target.date() - current.date()).days * 24 * 60 if day_only
                       else (target - current).total_seconds() / 60)
                if abs(gap) < minutes:
                    break
                self.tap(f"{name}_{unit}_{'later' if gap > 0 else 'earlier'}_button")

    def place(self, location: dict[str, str], home: dict[str, str] | None = None) -> None:
        self.tap(f"place_type_{location['place_type']}_button")
        address = {key: location.get(key, "") for key in ("line1", "line2", "city", "state", "zip")}
        if home is not None and {key: home.get(key, "") for key in address} == address:
            self.tap("same_as_home_button")
        else:
            self.address("place", address)

    def add_item(self, item: dict[str, Any], *, choose_disposition: bool) -> None:
        self.tap("add_item_button")
        if choose_disposition:
            self.tap(f"item_disposition_{item['disposition']}_button")
        for key in ("description", "brand", "model", "serial_number", "institution", "account_last4", "value"):
            if item.get(key):
                self.type(f"item_{key}_input", str(item[key]))
        for _ in range(int(item.get("quantity", 1)) - 1):
            self.tap("item_quantity_plus_button")
        self.tap("save_item_button")

    def narrative(self, text: str) -> None:
        edit: QPlainTextEdit = self.find("narrative_input")
        self.type(edit, text)

    def attest(self) -> None:
        self.tap("attestation_button")

    def report(self, report: dict[str, Any], zone: tzinfo) -> None:
        """Everything from the welcome page to the review page, for a report in the p2c-report/1 format."""
        self.start()
        self.screening()
        self.category(report["category"])
        self.about_me(report["reporter"])
        self.next()
        incident = report["incident"]
        start = datetime.fromisoformat(incident["occurred_from"]).astimezone(zone).replace(tzinfo=None)
        end = datetime.fromisoformat(incident["occurred_to"]).astimezone(zone).replace(tzinfo=None)
        day_only = (start.hour, start.minute, end.hour, end.minute) == (0, 0, 23, 59)
        self.time_frame(start, end, day_only=day_only)
        self.next()
        self.place(incident["location"], report["reporter"]["address"])
        self.next()
        choose = report["category"] == Category.LARCENY
        for item in report["items"]:
            self.add_item(item, choose_disposition=choose)
        self.next()
        self.narrative(incident["narrative"])
        self.next()


def click(widget: QWidget) -> None:
    """A tap in the middle of ``widget``, through its top-level window when the window would hand it to ``widget`` (or
    to a child of it) there; else straight to ``widget``."""
    middle = QPoint(widget.width() // 2, widget.height() // 2)
    top = widget.window()
    handle = top.windowHandle()
    point = widget.mapTo(top, middle)
    under = top.childAt(point)
    if handle is not None and top.isVisible() and under is not None and (under is widget or widget.isAncestorOf(under)):
        QTest.mouseClick(handle, LEFT, Qt.KeyboardModifier.NoModifier, point)
    else:
        QTest.mouseClick(widget, LEFT, Qt.KeyboardModifier.NoModifier, middle)


def _key_window(widget: QWidget) -> QWindow | None:
    """The top-level window a key for ``widget`` goes through: when ``widget`` has its window's focus (or a child of
    it has), the window hands it the key as it hands a keyboard's."""
    top = widget.window()
    focused = top.focusWidget()
    if focused is None or not (focused is widget or widget.isAncestorOf(focused)):
        return None
    return top.windowHandle() if top.isVisible() else None


def press_key(widget: QWidget, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """Press and release ``key`` for ``widget``: through its window when it has the focus there, else straight to it."""
    window = _key_window(widget)
    if window is not None:
        QTest.keyClick(window, key, modifiers)
    else:
        QTest.keyClick(widget, key, modifiers)


def type_keys(widget: QWidget, text: str) -> None:
    """Type ``text``: plain ASCII as key presses (through the window, as :func:`press_key`), other characters (María,
    Núñez) as an input method's commits to the input (Qt Test cannot press keys it has no key code for)."""
    window = _key_window(widget)
    for char in text:
        if char.isascii():
            if window is not None:
                QTest.keyClick(window, ord(char))  # Qt Test's character overload (the key and its text)
            else:
                QTest.keyClicks(widget, char)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(char)
            QApplication.sendEvent(widget, event)


def visible_buttons(widget: QWidget) -> list[QAbstractButton]:
    return [b for b in widget.findChildren(QAbstractButton) if b.isVisible()]


def tour(visitor: Visitor, report: dict[str, Any], zone: tzinfo) -> Iterator[str]:
    """Visit every page and state of the kiosk with ``report``'s answers, yielding a name at each stop: the welcome
    page, each question and its referral, the kinds of incident, each page filled in (the item form too), the
    review, the done page and the idle overlay. Ends on a wiped welcome page."""
    window = visitor.window
    yield "welcome"
    visitor.start()
    for index, question in enumerate(ScreeningQuestion):
        good = "yes" if question is ScreeningQuestion.IN_CITY else "no"
        yield f"question_{index + 1}_{question}"
        visitor.tap(f"screening_{question}_{'no' if good == 'yes' else 'yes'}_button")
        yield f"referral_{question}"
        visitor.back()
        visitor.tap(f"screening_{question}_{good}_button")
    yield "category"
    visitor.category("none")
    yield "referral_other"
    visitor.back()
    visitor.category(report["category"])
    yield "who_empty"
    visitor.next()
    yield "who_problems"
    visitor.about_me(report["reporter"])
    yield "who"
    visitor.next()
    incident = report["incident"]
    start = datetime.fromisoformat(incident["occurred_from"]).astimezone(zone).replace(tzinfo=None)
    end = datetime.fromisoformat(incident["occurred_to"]).astimezone(zone).replace(tzinfo=None)
    visitor.time_frame(start, end)
    yield "when"
    visitor.tap("unknown_time_button")
    yield "when_day_only"
    visitor.tap("unknown_time_button")
    visitor.next()
    visitor.place(incident["location"], report["reporter"]["address"])
    yield "where"
    visitor.next()
    yield "what_empty"
    choose = report["category"] == Category.LARCENY
    visitor.tap("add_item_button")
    yield "what_item_form"
    visitor.tap("cancel_item_button")
    for item in report["items"]:
        visitor.add_item(item, choose_disposition=choose)
    yield "what"
    visitor.next()
    visitor.narrative(incident["narrative"])
    yield "how"
    visitor.next()
    yield "review"
    visitor.submit()
    yield "review_not_attested"
    visitor.attest()
    visitor.submit()
    yield "done"
    window.idle_overlay.start()
    yield "idle_overlay"
    window.idle_overlay.stop()
    window.reset_to_welcome()
