"""Every text field of the kiosk, tapped and typed into on the on-screen keyboard under a real X server.

    python -m ui.keyboard_tour all [--skip PAGE/FIELD ...]
    python -m ui.keyboard_tour officer-question

Run with ``DISPLAY`` set to an X server (Xvfb) whose screen is the size to check; the kiosk window covers it (kiosk
mode). ``all`` walks the citizen wizard (Who, Where, What with a property item and an identity-theft item, How), the
"Check a report" pages and officer mode (login, the queue's search, Approve, Request more information, Reject with
each reason's boxes, Change password, Add an officer, Set password); for each field a finger (``ui.keyboard_driver``)
taps the field, types three keys on the keyboard's own keys, and the field is checked:

- ``focus``: the field took the focus; ``keyboard``: the keyboard showed; ``typed``: the keys reached the field;
- ``field_covered``: the field is on the screen, shown whole (not clipped by a scroll area) and not under the keyboard;
- ``buttons_covered``: the wizard's Next/Back (Back/Submit on the review; Back/Check and Finish/Send on "Check a
  report"; a dialog's cancel/confirm; the login's Cancel/Log in) are shown whole, on the screen, not under the
  keyboard;
- ``reach``: a finger could tap the field at all; ``window_size``: the kiosk window still covers the screen exactly;
  ``traceback``: no Python exception while at the field.

It prints ``KEY=value`` lines: ``FIELD=page/field`` before each tap (so a crash names the field), ``VISITED=...``
after it, one ``FAIL=page/field|check|detail`` line per failed check, and at the end ``FAILURES=n`` and ``DONE=True``.
Data entry that only moves the visitor on (valid names, dates, numbers) goes through ``ui.walkthrough.Visitor``.

``officer-question`` is the crash of issue 14 alone: officer mode, a report, Request more information, a tap on the
question box and three keys; it prints ``QUESTION_FOCUS``, ``KEYBOARD``, ``TYPED``, ``QUESTION_TEXT`` and ``DONE``.
"""

from __future__ import annotations

import argparse
import faulthandler
import logging
import os
import sys
import tempfile
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QWidget

from kiosk.tracking import TrackingNumber
from kiosk.vocabulary import Category, RejectionReason
from ui.keyboard_driver import (
    BACKSPACE_KIND,
    ENTER_KIND,
    Finger,
    Keyboard,
    drag_above,
    global_rect,
    owner_of,
    pause,
    rect_text,
    screen_rect,
    scroll_into_view,
    settle_layout,
    shown_rect,
    tap_point,
    text_inputs,
    text_of,
    wait_until,
)

NOW = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)  # the sample report's incident is in the days before
# Letters only, so a finger types them on the keyboard's first page.
ADMIN = ("kbadmin", "Sgt. Kim Keys", "1100", "copper lantern meadow violet")
OFFICER = ("kbofficer", "Ofc. Lee Tapp", "2200", "harbour tulip stone river")
QUESTION = "Which door of the building was open?"
KEYS_PER_FIELD = 3
FIRST_TAP_WAIT_S = 1.5

log = logging.getLogger(__name__)


def say(key: str, value: object) -> None:
    print(f"{key}={value}", flush=True)


@dataclass
class Stage:
    """One kiosk on the X server, with officer mode wired in, a finger and the keyboard."""

    kiosk: Any
    window: Any
    controller: Any
    visitor: Any
    keyboard: Keyboard
    reports: dict[str, tuple[TrackingNumber, str]] = field(default_factory=dict)  # name -> (number, access code)


def build_stage(home: Path, translations_dir: Path | None = None) -> Stage:
    """The whole kiosk core on a fresh data folder, two officers, three submitted reports (one waiting for the
    citizen's answer to a question), and the kiosk window in kiosk mode, covering the screen."""
    from kiosk.clock import ManualClock
    from ui.app import build_window, ensure_application
    from ui.officer.controller import OfficerModeController
    from ui.screenshots import SAMPLE, open_sample_kiosk
    from ui.walkthrough import Visitor

    ensure_application(["p2c-keyboard-tour"], virtual_keyboard=True)
    clock = ManualClock(NOW)
    kiosk = open_sample_kiosk(home, clock, None)
    for (username, name, badge, password), role in ((ADMIN, "admin"), (OFFICER, "officer")):
        kiosk.officers.add(username, name, badge, password, role=role, by="cli:keyboard-tour")
    stage_reports = {}
    for name in ("decide", "question", "spare"):
        receipt = kiosk.reports.submit(SAMPLE)
        stage_reports[name] = (receipt.tracking_number, receipt.access_code)
    session = kiosk.officers.login(OFFICER[0], OFFICER[3])
    tracking = stage_reports["question"][0]
    detail = kiosk.review.open_report(tracking, session)
    kiosk.review.request_info(tracking, session, question=QUESTION, expected_version=detail.version)
    kiosk.officers.logout(session)

    window = build_window(kiosk, kiosk_mode=True, translations_dir=translations_dir)
    controller = OfficerModeController(window, kiosk, idle_lock_ms=3_600_000)
    window.present()
    window.activateWindow()
    if not wait_until(lambda: QApplication.activeWindow() is window, 10):
        raise RuntimeError("the kiosk window never became the active window")
    pause(0.4)  # the wizard is built just after the first paint
    return Stage(kiosk, window, controller, Visitor(window), Keyboard(Finger()), stage_reports)


# -- the checks ------------------------------------------------------------------------------------------------------


class Inspector:
    """Taps fields, types on the keyboard and records what fails. A page or dialog is named ``page``; each failure
    is ``page/field|check|detail``."""

    def __init__(self, stage: Stage, skip: Iterable[str] = ()) -> None:
        self.stage = stage
        self.keyboard = stage.keyboard
        self.skip = set(skip)
        self.failures: list[str] = []
        self.visited: list[str] = []
        self.where = "start"

    def fail(self, check: str, detail: str) -> None:
        line = f"{self.where}|{check}|{detail}"
        self.failures.append(line)
        say("FAIL", line.replace("\n", " "))

    def excepthook(self, kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        text = "".join(traceback.format_exception(kind, error, trace))
        sys.stderr.write(text)
        self.fail("traceback", text.strip().splitlines()[-1])

    def fields(self, page: str, scope: QWidget, buttons: Sequence[str], button_scope: QWidget | None = None,
               expected: int = 1) -> list[str]:
        """Every text input in ``scope`` (found again after each, as fields may come and go)."""
        done: list[str] = []
        while True:
            todo = [w for w in text_inputs(scope) if w.objectName() not in done]
            if not todo:
                break
            widget = todo[0]
            done.append(widget.objectName())
            self.field(page, widget, buttons, button_scope or scope)
        if len(done) < expected:
            self.where = f"{page}/*"
            self.fail("fields", f"found {len(done)} text field(s), expected at least {expected}: {done}")
        return done

    def field(self, page: str, widget: QWidget, buttons: Sequence[str], button_scope: QWidget) -> None:
        name = widget.objectName() or type(widget).__name__
        self.where = f"{page}/{name}"
        if self.where in self.skip:
            say("SKIPPED", self.where)
            return
        say("FIELD", self.where)
        if not self.tap_field(widget):
            return
        self.make_room(widget)
        before = text_of(widget)
        typed = self.keyboard.type_keys(KEYS_PER_FIELD)
        wait_until(lambda: text_of(widget) != before, 2)
        self.settle(widget, buttons, button_scope)
        after = text_of(widget)
        if after == before:
            self.fail("typed", f"tapped {typed!r} on the keyboard's keys; the field still holds {before!r}")
        self.check_geometry(widget, buttons, button_scope)
        self.visited.append(self.where)
        say("VISITED", self.where)

    def tap_field(self, widget: QWidget) -> bool:
        """Bring ``widget`` within reach as a visitor would (drag the page; close the keyboard with its own hide key
        if it still covers the field) and tap it: the field should take the focus and the keyboard show."""
        keyboard = self.keyboard

        def moved() -> object:
            return global_rect(widget), shown_rect(widget)

        scroll_into_view(widget)
        drag_above(widget, keyboard.rect())
        settle_layout(moved, 1.0)
        point = tap_point(widget, keyboard.rect())
        closed = False
        if point is None and keyboard.shown():
            closed = keyboard.hide()
            settle_layout(moved, 1.0)  # what the keyboard's going moves (deferred refits) comes first
            scroll_into_view(widget)
            settle_layout(moved, 1.0)
            point = tap_point(widget, QRect())
        if point is None:
            self.fail("reach", f"no part of the field shows on the screen (field at {rect_text(global_rect(widget))})")
            return False
        under = QApplication.widgetAt(point)
        if not owner_of(under, (widget,)):
            self.fail("reach", f"a tap at {point.x()},{point.y()} lands on "
                               f"{under.objectName() or type(under).__name__ if under else 'nothing'}")
            return False
        keyboard.finger.tap(point)
        if not wait_until(lambda: owner_of(QApplication.focusWidget(), (widget,)), 3):
            focused = QApplication.focusWidget()
            self.fail("focus", f"the field did not take the focus ({focused.objectName() if focused else None} has it)")
            return False
        if keyboard.wait_shown(FIRST_TAP_WAIT_S):
            return True
        after = " after the keyboard was closed with its hide key to reach the field" if closed else ""
        self.fail("keyboard", f"the on-screen keyboard did not show on the first tap{after}")
        keyboard.finger.tap(point)
        if keyboard.wait_shown(5):
            return True
        self.fail("keyboard", "the on-screen keyboard did not show on a second tap either")
        return False

    def make_room(self, widget: QWidget) -> None:
        """A full one-line field (the state's two letters) gets one Backspace on the keyboard first."""
        if isinstance(widget, QLineEdit) and len(widget.text()) >= widget.maxLength():
            self.keyboard.press(BACKSPACE_KIND)

    def settle(self, widget: QWidget, buttons: Sequence[str], scope: QWidget) -> None:
        settle_layout(lambda: (self.keyboard.rect(), shown_rect(widget), global_rect(widget),
                               [shown_rect(b) for b in self.buttons(buttons, scope)]))

    @staticmethod
    def buttons(names: Sequence[str], scope: QWidget) -> list[QAbstractButton]:
        found = []
        for name in names:
            found += [b for b in scope.findChildren(QAbstractButton, name) if b.isVisible()]
        return found

    def check_geometry(self, widget: QWidget, buttons: Sequence[str], scope: QWidget) -> None:
        keyboard, screen = self.keyboard.rect(), screen_rect()
        window = self.stage.window.frameGeometry()
        if window != screen:
            self.fail("window_size", f"the kiosk window is {rect_text(window)}, the screen {rect_text(screen)}")
        where = global_rect(widget)
        problems = []
        if not screen.contains(where):
            problems.append(f"not on the screen {rect_text(screen)}")
        if where.intersects(keyboard):
            problems.append(f"under the keyboard {rect_text(keyboard)} by {where.intersected(keyboard).height()} px")
        shown = shown_rect(widget)
        if shown != where:
            problems.append(f"only {rect_text(shown)} of it shows (clipped)" if not shown.isEmpty()
                            else "scrolled out of sight")
        if problems:
            self.fail("field_covered", f"field {rect_text(where)}: " + "; ".join(problems))
        found = self.buttons(buttons, scope)
        button_problems = [f"{name} is not shown" for name in buttons
                           if name not in {b.objectName() for b in found}]
        for button in found:
            rect, seen = global_rect(button), shown_rect(button)
            if rect.intersects(keyboard):
                button_problems.append(f"{button.objectName()} {rect_text(rect)} is under the keyboard "
                                       f"{rect_text(keyboard)}")
            elif not screen.contains(rect):
                button_problems.append(f"{button.objectName()} {rect_text(rect)} is off the screen")
            elif seen != rect:
                button_problems.append(f"{button.objectName()} {rect_text(rect)} shows only {rect_text(seen)}")
        if button_problems:
            self.fail("buttons_covered", "; ".join(button_problems))


# -- the citizen's pages ---------------------------------------------------------------------------------------------


def refill(visitor: Any, values: dict[str, str]) -> None:
    """Replace what the finger typed with the sample's values (object name -> text), so Next moves on."""
    for name, text in values.items():
        visitor.type(name, text, replace=True)


def citizen_tour(stage: Stage, inspector: Inspector) -> None:
    from ui.screenshots import SAMPLE
    from ui.wizard.page_ids import PageId

    visitor, window = stage.visitor, stage.window
    wizard_buttons = ("back_button", "next_button")
    reporter, incident = SAMPLE["reporter"], SAMPLE["incident"]
    visitor.start()
    visitor.screening()
    visitor.category(Category.LARCENY)
    inspector.fields("who", visitor.page(), wizard_buttons, window, expected=12)
    year, month, day = reporter["date_of_birth"].split("-")
    refill(visitor, {"first_name_input": reporter["first_name"], "last_name_input": reporter["last_name"],
                     "date_of_birth_month_input": month, "date_of_birth_day_input": day,
                     "date_of_birth_year_input": year, "phone_input": reporter["phone"],
                     "email_input": reporter["email"]})
    refill(visitor, {f"home_{key}_input": value for key, value in reporter["address"].items()})
    visitor.tap(f"contact_preference_{reporter['contact_preference']}_button")
    move_on(stage, PageId.WHEN)
    zone = stage.kiosk.config.kiosk.zone
    visitor.time_frame(datetime.fromisoformat(incident["occurred_from"]).astimezone(zone).replace(tzinfo=None),
                       datetime.fromisoformat(incident["occurred_to"]).astimezone(zone).replace(tzinfo=None))
    inspector.fields("when", visitor.page(), wizard_buttons, window, expected=0)
    move_on(stage, PageId.WHERE)
    visitor.tap(f"place_type_{incident['location']['place_type']}_button")
    inspector.fields("where", visitor.page(), wizard_buttons, window, expected=5)
    refill(visitor, {f"place_{key}_input": value for key, value in incident["location"].items()
                     if key != "place_type"})
    move_on(stage, PageId.WHAT)
    visitor.tap("add_item_button")
    visitor.tap("item_disposition_stolen_button")
    inspector.fields("what_item", visitor.page(), wizard_buttons, window, expected=5)
    item = SAMPLE["items"][0]
    refill(visitor, {f"item_{key}_input": str(item.get(key, "")) for key in
                     ("description", "brand", "model", "serial_number", "value")})
    visitor.tap("save_item_button")
    move_on(stage, PageId.HOW)
    inspector.fields("how", visitor.page(), wizard_buttons, window, expected=1)
    refill(visitor, {"narrative_input": incident["narrative"]})
    move_on(stage, PageId.REVIEW)
    inspector.fields("review", visitor.page(), ("back_button", "submit_button"), window, expected=0)
    window.reset_to_welcome()
    pause(0.2)

    # Identity theft: its item form asks for the bank or company and the account's last digits.
    walk_to_what(stage, Category.IDENTITY_THEFT)
    visitor.tap("add_item_button")
    inspector.fields("what_fraud_item", visitor.page(), wizard_buttons, window, expected=4)
    visitor.tap("cancel_item_button")
    window.reset_to_welcome()
    pause(0.2)


def walk_to_what(stage: Stage, category: str) -> None:
    """From the welcome page to an empty What page, the sample's answers typed by Qt Test (not the keyboard)."""
    from ui.screenshots import SAMPLE
    from ui.wizard.page_ids import PageId

    visitor = stage.visitor
    visitor.start()
    visitor.screening()
    visitor.category(category)
    visitor.about_me(SAMPLE["reporter"])
    move_on(stage, PageId.WHEN)
    move_on(stage, PageId.WHERE)
    visitor.place(SAMPLE["incident"]["location"], SAMPLE["reporter"]["address"])
    move_on(stage, PageId.WHAT)


def walk_to_how(stage: Stage) -> None:
    """From the welcome page to an empty How page (a larceny with the sample's first item)."""
    from ui.screenshots import SAMPLE
    from ui.wizard.page_ids import PageId

    walk_to_what(stage, Category.LARCENY)
    item = SAMPLE["items"][0]
    stage.visitor.add_item(item, choose_disposition=True)
    move_on(stage, PageId.HOW)


def move_on(stage: Stage, page: Any) -> None:
    """Next (a Qt Test tap: the keyboard may cover it, which the checks report); the page must follow."""
    visitor = stage.visitor
    visitor.next()
    if stage.window.wizard.currentId() != page:
        problems = [w.objectName() for w in visitor.page().findChildren(QWidget) if w.property("invalid")]
        raise RuntimeError(f"Next did not reach {page.name}: still on {visitor.page().objectName()} {problems}")


def lookup_tour(stage: Stage, inspector: Inspector) -> None:
    visitor, window = stage.visitor, stage.window
    tracking, code = stage.reports["question"]
    visitor.tap(window.welcome_page.check_button)
    flow = window.lookup_flow
    # The pages' buttons sit in a bar under the page (outside its scrolling): look for them in the whole flow.
    inspector.fields("check_report", flow.check_page, ("check_report_back_button", "check_report_check_button"),
                     flow, expected=2)
    refill(visitor, {"tracking_number_input": tracking, "access_code_input": code})
    visitor.tap("check_report_check_button")
    if window.current_page() is not flow.status_page:
        raise RuntimeError("the tracking number and access code did not open the report's status")
    inspector.fields("report_status", flow.status_page, ("report_status_finish_button", "answer_send_button"),
                     flow, expected=1)
    visitor.tap("report_status_finish_button")
    pause(0.2)


# -- officer mode ----------------------------------------------------------------------------------------------------


def log_in(stage: Stage, inspector: Inspector | None, username: str, password: str) -> Any:
    """The officer gesture, the notice, then username and password typed on the keyboard and its Enter key."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window, controller, keyboard = stage.window, stage.controller, stage.keyboard
    window.officer_requested.emit()
    login = controller.login
    QTest.mouseClick(login.notice.accept_button, Qt.MouseButton.LeftButton)
    pause(0.1)
    form = login.form
    buttons = ("cancel_login_button", "login_button")
    for edit, text in ((form.username, username), (form.password, password)):
        if inspector is not None:
            inspector.field("login", edit, buttons, form)
            edit.clear()
        else:
            tap_field(stage, edit)
        if not keyboard.type_text(text):
            raise RuntimeError(f"could not type {edit.objectName()} on the keyboard")
    keyboard.press(ENTER_KIND)
    if not wait_until(lambda: controller.mode is not None, 10):
        raise RuntimeError(f"the login failed: {form.error.text()!r}")
    pause(0.2)
    return controller.mode


def tap_field(stage: Stage, widget: QWidget) -> None:
    scroll_into_view(widget)
    point = tap_point(widget, stage.keyboard.rect())
    if point is None:
        stage.keyboard.hide()
        point = tap_point(widget, QRect())
    if point is None:
        raise RuntimeError(f"{widget.objectName()} cannot be tapped")
    stage.keyboard.finger.tap(point)
    if not stage.keyboard.wait_shown(5):
        raise RuntimeError(f"no keyboard for {widget.objectName()}")
    pause(0.2)


def dialog_buttons(dialog: Any) -> tuple[str, str]:
    return (dialog.cancel_button.objectName(), dialog.confirm_button.objectName())


def officer_tour(stage: Stage, inspector: Inspector) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    def tap(button: QAbstractButton) -> None:
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        pause(0.1)

    mode = log_in(stage, inspector, ADMIN[0], ADMIN[3])
    queue = mode.queue
    inspector.fields("queue", queue, ())
    tap(queue.clear_button)
    mode.open_report(stage.reports["decide"][0])
    pause(0.2)
    detail = mode.detail
    for button, dialog, page in ((detail.approve_button, detail.approve_dialog, "approve"),
                                 (detail.request_info_button, detail.request_info_dialog, "request_info")):
        tap(button)
        inspector.fields(page, dialog, dialog_buttons(dialog))
        tap(dialog.cancel_button)
    tap(detail.reject_button)
    reject = detail.reject_dialog
    for reason in (RejectionReason.DUPLICATE, RejectionReason.OTHER):
        tap(reject.reason_buttons[reason])
        inspector.fields(f"reject_{reason}", reject, dialog_buttons(reject), expected=2)
    tap(reject.cancel_button)
    tap(mode.password_button)
    inspector.fields("change_password", mode.password_dialog, dialog_buttons(mode.password_dialog), expected=3)
    tap(mode.password_dialog.cancel_button)
    tap(mode.admin_button)
    admin = mode.admin
    tap(admin.add_button)
    inspector.fields("add_officer", admin.add_dialog, dialog_buttons(admin.add_dialog), expected=5)
    tap(admin.add_dialog.cancel_button)
    admin.select(OFFICER[0])
    tap(admin.set_password_button)
    inspector.fields("set_password", admin.set_password_dialog, dialog_buttons(admin.set_password_dialog),
                     expected=2)
    tap(admin.set_password_dialog.cancel_button)
    stage.keyboard.hide()
    mode.leave("logout")
    pause(0.2)


def officer_question(stage: Stage) -> None:
    """Issue 14's crash: Request more information, a tap on the question box, three keys."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    mode = log_in(stage, None, OFFICER[0], OFFICER[3])
    mode.open_report(stage.reports["decide"][0])
    pause(0.2)
    QTest.mouseClick(mode.detail.request_info_button, Qt.MouseButton.LeftButton)
    pause(0.2)
    question = mode.detail.request_info_dialog.question
    say("DIALOG", mode.detail.request_info_dialog.isVisible())
    stage.keyboard.hide()
    scroll_into_view(question)
    point = tap_point(question, QRect())
    say("QUESTION_TAP", f"{point.x()},{point.y()}" if point is not None else None)
    if point is not None:
        stage.keyboard.finger.tap(point)
    say("QUESTION_FOCUS", wait_until(lambda: owner_of(QApplication.focusWidget(), (question,)), 3))
    say("KEYBOARD", stage.keyboard.wait_shown(5))
    pause(0.3)
    say("TYPED", stage.keyboard.type_keys(KEYS_PER_FIELD))
    pause(0.3)
    say("QUESTION_TEXT", text_of(question))
    stage.keyboard.hide()
    mode.leave("logout")
    pause(0.2)


# -- running ---------------------------------------------------------------------------------------------------------


def keep_large_text(stage: Stage) -> None:
    """Larger text for the whole tour: as a visitor who taps Larger text at the start of every visit (each visit's
    wipe sets the theme back to normal)."""
    theme = stage.window.theme
    plain_set = theme.set

    def set_keeping_large_text(**changes: bool) -> None:
        plain_set(**{**changes, "large_text": True})

    theme.set = set_keeping_large_text  # type: ignore[method-assign]  # the tour's visitor, not the kiosk's code
    theme.set(large_text=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.keyboard_tour", description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("all", "officer-question"))
    parser.add_argument("--skip", action="append", default=[], help="PAGE/FIELD to leave out (may repeat)")
    parser.add_argument("--translations", type=Path, default=None,
                        help="the locale folder with the compiled catalogues (default: resources/locale)")
    parser.add_argument("--large-text", action="store_true", help="the visitor taps Larger text at every visit")
    args = parser.parse_args(argv)
    faulthandler.enable()  # a native crash prints the Python stack of every thread to stderr
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    with tempfile.TemporaryDirectory(prefix="p2c-keyboard-") as home:
        stage = build_stage(Path(home), args.translations)
        screen = screen_rect()
        say("SCREEN", f"{screen.width()}x{screen.height()}")
        say("WINDOW", rect_text(global_rect(stage.window)))
        say("TAPS", stage.keyboard.finger.how)
        if args.large_text:
            keep_large_text(stage)
        say("LARGE_TEXT", stage.window.theme.large_text)
        if args.what == "officer-question":
            officer_question(stage)
        else:
            inspector = Inspector(stage, args.skip)
            sys.excepthook = inspector.excepthook
            for part in (citizen_tour, lookup_tour, officer_tour):
                inspector.where = part.__name__
                part(stage, inspector)
            say("FAILURES", len(inspector.failures))
        say("DONE", True)
        sys.stdout.flush()
        sys.stderr.flush()
        # Skip Qt's teardown: the keyboard's QML may crash the process on exit (docs/ui.md, known limits).
        os._exit(0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
