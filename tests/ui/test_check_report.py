"""A citizen at the kiosk checks a report made before: taps "Check a report", types (or scans) the tracking number
and access code, sees the status in plain words, answers an officer's question, and leaves no trace behind."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from helpers import load_sample
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QWidget
from test_idle_wipe import every_text, undo_histories

from kiosk.reports import SubmitReceipt
from ui.shell import KioskWindow
from ui.timings import Timings
from ui.walkthrough import Visitor

pytestmark = pytest.mark.gui

LEFT = Qt.MouseButton.LeftButton
QUESTION = "What colour is the bicycle, and does it have a bell?"
ANSWER = "Dark blue with a silver bell on the left handlebar."
WRONG = "ZZZZ-ZZZZ"


@pytest.fixture
def kiosk_window(open_window) -> KioskWindow:
    return open_window()


@pytest.fixture
def receipt(reports) -> SubmitReceipt:
    return reports.submit(load_sample("larceny-bicycle"))


def ask_for_information(store, tracking: str) -> None:
    """Test set-up standing in for the officer's "request information": one history event and the new status."""
    Report, ReportEvent = store.models.Report, store.models.ReportEvent
    row = Report.get(Report.tracking_number == tracking)
    ReportEvent.create(report=row, at=datetime(2026, 11, 24, 17, 5, tzinfo=UTC), actor="officer:kim",
                       action="info_requested", status="needs_info", message=QUESTION)
    Report.update(status="needs_info").where(Report.id == row.id).execute()


def open_check_page(window: KioskWindow, qtbot) -> None:
    qtbot.mouseClick(window.welcome_page.check_button, LEFT)
    assert window.current_page() is window.lookup_flow.check_page


def type_into(qtbot, widget: QLineEdit, text: str, settle) -> None:
    qtbot.mouseClick(widget, LEFT)
    qtbot.keyClicks(widget, text)
    settle()


def retype(qtbot, widget: QLineEdit, text: str) -> None:
    """Select what the input holds and type ``text`` over it."""
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(widget, Qt.Key.Key_Backspace)
    qtbot.keyClicks(widget, text)


def check_with(window: KioskWindow, qtbot, tracking: str, code: str, settle) -> None:
    page = window.lookup_flow.check_page
    type_into(qtbot, page.tracking.input, tracking, settle)
    type_into(qtbot, page.access_code.input, code, settle)
    qtbot.mouseClick(page.check_button, LEFT)
    settle()


def test_a_citizen_checks_a_report_and_sees_its_status(kiosk_window, receipt, qtbot, settle):
    window = kiosk_window
    assert window.welcome_page.check_button.isVisible()
    assert window.welcome_page.check_button.text() == "Check a report"
    open_check_page(window, qtbot)
    page = window.lookup_flow.check_page
    # The window's focus widget (what has the focus whenever the window is active): a scanner types into it.
    assert window.focusWidget() is page.tracking.input
    check_with(window, qtbot, receipt.tracking_number.lower(), receipt.access_code, settle)

    status_page = window.lookup_flow.status_page
    assert window.current_page() is status_page
    assert status_page.tracking_label.text() == (f"Tracking number {receipt.tracking_number}, sent on Tuesday, "
                                                 "November 24, 2026")
    assert status_page.status_label.text() == "Received. An officer has not looked at it yet."
    assert not status_page.answer.isVisible() and not status_page.send_button.isVisible()
    assert page.tracking.value() == "" and page.access_code.value() == "", "the inputs keep no numbers"

    qtbot.mouseClick(status_page.finish_button, LEFT)
    settle()
    assert window.is_pristine()


def test_a_scanned_receipt_code_in_the_first_field_fills_both_and_checks(kiosk_window, receipt, qtbot, settle):
    window = kiosk_window
    open_check_page(window, qtbot)
    page = window.lookup_flow.check_page
    # A wrong code scanned first, so the page stays and shows what the scan put where.
    qtbot.keyClicks(page.tracking.input, f"P2C:{receipt.tracking_number}:{WRONG}")
    qtbot.keyClick(page.tracking.input, Qt.Key.Key_Return)
    settle()
    assert (page.tracking.value(), page.access_code.value()) == (receipt.tracking_number, WRONG)
    assert page.access_code.error.isVisible()

    retype(qtbot, page.tracking.input, f"P2C:{receipt.tracking_number}:{receipt.access_code}")
    qtbot.keyClick(page.tracking.input, Qt.Key.Key_Enter)
    settle()
    assert window.current_page() is window.lookup_flow.status_page
    assert receipt.tracking_number in window.lookup_flow.status_page.tracking_label.text()


def test_a_scanned_receipt_code_in_the_second_field_works_too(kiosk_window, receipt, qtbot, settle):
    window = kiosk_window
    open_check_page(window, qtbot)
    code_input = window.lookup_flow.check_page.access_code.input
    qtbot.mouseClick(code_input, LEFT)
    qtbot.keyClicks(code_input, f"P2C:{receipt.tracking_number}:{receipt.access_code}")
    qtbot.keyClick(code_input, Qt.Key.Key_Return)
    settle()
    assert window.current_page() is window.lookup_flow.status_page


def test_a_wrong_code_is_explained_next_to_the_field_in_spanish(kiosk_window, receipt, qtbot, settle):
    window = kiosk_window
    qtbot.mouseClick(window.header.language_buttons["es"], LEFT)
    settle()
    assert window.welcome_page.check_button.text() == "Consultar un informe"
    open_check_page(window, qtbot)
    page = window.lookup_flow.check_page
    assert page.heading.text() == "Consultar un informe"
    check_with(window, qtbot, receipt.tracking_number, WRONG, settle)

    assert window.current_page() is page
    assert page.access_code.error.isVisible()
    assert page.access_code.error.text() == ("El número de seguimiento y el código de acceso no coinciden. Revise "
                                             "los dos en su comprobante.")
    assert page.access_code.input.property("invalid") is True
    assert not page.tracking.error.isVisible()
    assert window.focusWidget() is page.access_code.input

    # The language switch in the header re-translates the page and the problem in place, keeping what was typed.
    qtbot.mouseClick(window.header.language_buttons["en"], LEFT)
    settle()
    assert page.heading.text() == "Check a report"
    assert page.access_code.error.text() == ("The tracking number and access code do not match. Check both on your "
                                             "receipt.")
    assert page.access_code.value() == WRONG


def test_a_malformed_tracking_number_is_explained_next_to_its_field(kiosk_window, qtbot, settle):
    window = kiosk_window
    open_check_page(window, qtbot)
    check_with(window, qtbot, "T26-01-00001-9", "K7QM-2XHD", settle)
    page = window.lookup_flow.check_page
    assert page.tracking.error.text().startswith("This tracking number has a typing mistake")
    assert not page.access_code.error.isVisible()


def test_the_lock_is_shown_after_five_wrong_codes(kiosk_window, receipt, qtbot, settle):
    window = kiosk_window
    open_check_page(window, qtbot)
    page = window.lookup_flow.check_page
    type_into(qtbot, page.tracking.input, receipt.tracking_number, settle)
    for _ in range(5):
        retype(qtbot, page.access_code.input, WRONG)
        qtbot.mouseClick(page.check_button, LEFT)
        settle()
    assert "60 more minutes" in page.access_code.error.text()
    retype(qtbot, page.access_code.input, receipt.access_code)
    qtbot.mouseClick(page.check_button, LEFT)
    settle()
    assert window.current_page() is page, "the right code is refused while locked"
    assert "60 more minutes" in page.access_code.error.text()


def test_the_citizen_answers_the_officers_question(kiosk_window, receipt, store, reports, qtbot, settle):
    ask_for_information(store, receipt.tracking_number)
    window = kiosk_window
    open_check_page(window, qtbot)
    check_with(window, qtbot, receipt.tracking_number, receipt.access_code, settle)
    page = window.lookup_flow.status_page
    assert page.status_label.text() == f"An officer needs more information: “{QUESTION}” You can answer here."
    assert page.answer.isVisible() and page.send_button.isVisible()

    qtbot.mouseClick(page.answer.input, LEFT)
    qtbot.keyClicks(page.answer.input, ANSWER[:4])
    assert page.counter.text() == "4 characters written; please write at least 10."
    qtbot.mouseClick(page.send_button, LEFT)
    settle()
    assert page.answer.error.text() == "Your answer is too short: write at least 10 characters (it has 4)."
    assert reports.get(receipt.tracking_number)["status"] == "needs_info"

    qtbot.keyClicks(page.answer.input, ANSWER[4:])
    assert page.counter.text() == f"{len(ANSWER)} of at most 5000 characters."
    qtbot.mouseClick(page.send_button, LEFT)
    settle()

    assert page.confirmation_label.isVisible()
    assert page.confirmation_label.text().startswith("Thank you. Your answer was added to your report.")
    assert not page.answer.isVisible() and not page.send_button.isVisible()
    assert page.answer.value() == ""
    assert page.status_label.text().startswith("An officer is reviewing your report.")
    report = reports.get(receipt.tracking_number)
    assert report["status"] == "in_review"
    assert report["history"][-1]["action"] == "supplemented"
    assert report["history"][-1]["message"] == ANSWER


def test_back_returns_to_a_wiped_welcome_page(kiosk_window, receipt, qtbot, settle):
    window = kiosk_window
    open_check_page(window, qtbot)
    type_into(qtbot, window.lookup_flow.check_page.tracking.input, receipt.tracking_number, settle)
    qtbot.mouseClick(window.lookup_flow.check_page.back_button, LEFT)
    settle()
    qtbot.wait(20)
    assert window.is_pristine()
    assert not [w for w in window.findChildren(QLineEdit) if receipt.tracking_number in w.text()]


def test_without_a_look_up_service_the_welcome_page_offers_no_check(window):
    assert not window.welcome_page.check_button.isVisible()


def test_every_control_has_a_name_and_a_finger_sized_target(kiosk_window, receipt, store, qtbot, settle):
    ask_for_information(store, receipt.tracking_number)
    window = kiosk_window
    open_check_page(window, qtbot)
    pages: list[QWidget] = [window.lookup_flow.check_page]
    check_with(window, qtbot, receipt.tracking_number, receipt.access_code, settle)
    pages.append(window.lookup_flow.status_page)
    for page in pages:
        controls = [w for w in page.findChildren(QWidget) if isinstance(w, QAbstractButton | QLineEdit)
                    or w.objectName().endswith("_input")]
        assert controls
        for widget in controls:
            if not widget.isVisibleTo(page):
                continue
            assert widget.objectName() and widget.objectName() == widget.objectName().lower(), widget
            assert widget.accessibleName(), widget.objectName()
            assert widget.height() >= 48, widget.objectName()


@pytest.mark.parametrize("where", ["check_page", "status_page"])
def test_the_idle_wipe_leaves_no_trace_of_the_numbers_or_the_answer(open_window, receipt, store, qtbot, settle,
                                                                    where):
    ask_for_information(store, receipt.tracking_number)
    window = open_window(timings=Timings(idle_timeout_ms=300, idle_countdown_ms=400))
    window.watchdog.pause()  # while the visitor types (a busy machine may take longer than 300 ms between two keys)
    Visitor(window).choose_language("es")
    open_check_page(window, qtbot)
    flow = window.lookup_flow
    typed = [receipt.tracking_number, receipt.access_code, receipt.access_code.replace("-", ""), ANSWER[:20]]
    if where == "check_page":
        type_into(qtbot, flow.check_page.tracking.input, receipt.tracking_number, settle)
        type_into(qtbot, flow.check_page.access_code.input, WRONG, settle)
        qtbot.mouseClick(flow.check_page.check_button, LEFT)
        typed.append(WRONG)
    else:
        check_with(window, qtbot, receipt.tracking_number, receipt.access_code, settle)
        qtbot.mouseClick(flow.status_page.answer.input, LEFT)
        qtbot.keyClicks(flow.status_page.answer.input, ANSWER)
    settle()
    assert any(value in text for _name, text in every_text(window) for value in typed), "the test sees the data"

    # The visitor walks away: the idle time runs out (shortened here to 300 ms, on the real timer) and nobody
    # answers "Are you still there?" (a 400 ms countdown).
    window.watchdog.restart()
    qtbot.waitUntil(window.idle_overlay.isVisible, timeout=3000)
    qtbot.waitUntil(lambda: window.current_page() is window.welcome_page, timeout=5000)
    qtbot.wait(50)  # let deleteLater() run

    assert [(name, text) for name, text in every_text(window) for value in typed if value in text] == []
    assert undo_histories(window) == []
    assert window.is_pristine()
    # The next visitor gets fresh, empty look-up pages.
    open_check_page(window, qtbot)
    assert window.lookup_flow.check_page.tracking.value() == ""


def test_in_large_text_the_buttons_stay_under_the_page_and_a_problem_scrolls_into_sight(kiosk_window, receipt, qtbot,
                                                                                        settle):
    """Back and Check sit in a bar under the scrolling page (as the wizard's Back/Next do), so neither a long page in
    large text nor the on-screen keyboard hides them; a problem found on Check is scrolled into sight with its words."""
    window = kiosk_window
    window.resize(1280, 800)
    qtbot.mouseClick(window.header.large_text_button, LEFT)
    open_check_page(window, qtbot)
    flow, page = window.lookup_flow, window.lookup_flow.check_page
    assert not flow.check_holder.isAncestorOf(page.check_button)
    check_with(window, qtbot, receipt.tracking_number, WRONG, settle)
    qtbot.wait(20)  # the scroll waits for the layout that shows the problem

    viewport = flow.check_holder.viewport()
    error = page.access_code.error
    top = error.mapTo(viewport, QPoint(0, 0)).y()
    assert error.isVisible() and 0 <= top and top + error.height() <= viewport.height(), "the problem is in sight"
    for button in (page.back_button, page.check_button):
        corner = button.mapTo(window, QPoint(0, button.height()))
        assert button.isVisible() and corner.y() <= window.height(), button.objectName()
