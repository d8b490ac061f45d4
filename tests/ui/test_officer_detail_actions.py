"""A report's detail and every decision, through the screens: approve, request more information, reject (each kind
of required field), reprint the receipt, print the full copy, open a possible duplicate, and the conflict when
another officer decided first."""

from __future__ import annotations

import threading

import pytest
from officer_ui_support import ADMIN, OFFICER, click, type_into
from printer_fakes import FakePrinter
from PySide6.QtCore import Qt

from kiosk.lookup import StatusLookup
from kiosk.receipts import PrintOutcome
from kiosk.review import REJECT_REASONS, default_next_steps

pytestmark = pytest.mark.gui


class FakeCopyPrinter:
    """The copy printer's port (kiosk.receipts.CopyPrinter; the paper is the one thing the tests fake): records the
    reports it was asked to print and on which thread."""

    def __init__(self) -> None:
        self.copies: list[dict] = []
        self.threads: list[threading.Thread] = []

    def print_copy(self, report: dict) -> PrintOutcome:
        self.copies.append(report)
        self.threads.append(threading.current_thread())
        return PrintOutcome(printed=True)


def open_in(qtbot, mode, tracking: str):
    """Type the tracking number in the queue's search, press Enter and tap the one row."""
    view = mode.queue
    type_into(qtbot, view.search_edit, tracking)
    qtbot.keyClick(view.search_edit, Qt.Key.Key_Return)
    view.status_combo.setCurrentIndex(view.status_combo.findData("all"))
    view.apply_filter()
    assert view.model.rowCount() == 1
    rect = view.table.visualRect(view.model.index(0, 1))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert mode.pages.currentWidget() is mode.detail and mode.detail.tracking_number == tracking
    return mode.detail


def history_texts(detail) -> list[str]:
    table = detail.content.findChild(object, "history_table")
    return [" | ".join(table.item(row, col).text() for col in range(table.columnCount()))
            for row in range(table.rowCount())]


def test_the_detail_shows_every_part_of_the_report(qtbot, kit, officer_mode):
    tracking = kit.submit()
    detail = open_in(qtbot, officer_mode(), tracking)
    report = kit.reports.get(tracking)
    shown = "\n".join(label.text() for label in detail.content.findChildren(type(detail.title)))
    for value in (report["reporter"]["first_name"], report["reporter"]["last_name"],
                  report["reporter"]["address"]["line1"], report["incident"]["location"]["line1"],
                  report["incident"]["narrative"][:60], "Total of the values given: $"):
        assert value in shown
    items = detail.content.findChild(object, "items_table")
    assert items.rowCount() == len(report["items"])
    assert "Report received" in shown  # the submitted notice and its delivery state
    assert detail.content.findChild(object, "call_citizen_label") is None  # the citizen gave an e-mail address
    assert detail.nibrs_combo.currentData() == detail.detail.nibrs.code
    assert detail.detail.nibrs.why in shown
    assert "Review started" in history_texts(detail)[-1]


def test_no_email_shows_call_the_citizen(qtbot, kit, officer_mode):
    tracking = kit.submit(reporter__email="", reporter__contact_preference="phone")
    detail = open_in(qtbot, officer_mode(), tracking)
    call = detail.content.findChild(object, "call_citizen_label")
    assert call is not None and call.isVisible()
    assert detail.detail.contact in call.text()


def test_approve_with_a_changed_nibrs_code(qtbot, kit, officer_mode):
    tracking = kit.submit()
    detail = open_in(qtbot, officer_mode(), tracking)
    combo = detail.nibrs_combo
    combo.setFocus()
    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo.lineEdit(), "23F")
    click(qtbot, detail.approve_button)
    assert detail.approve_dialog.isVisible()
    assert detail.approve_dialog.nibrs_label.text().startswith("23F — Theft From Motor Vehicle")
    type_into(qtbot, detail.approve_dialog.message, "Bike rack, no camera.")
    click(qtbot, detail.approve_dialog.confirm_button)
    assert not detail.approve_dialog.isVisible()
    report = kit.reports.get(tracking)
    assert report["status"] == "approved" and report["official_number"]
    assert detail.message_card.isVisible() and report["official_number"] in detail.message_card.text.text()
    assert not detail.approve_button.isEnabled() and not detail.reject_button.isEnabled()
    assert report["official_number"] in detail.status_label.text()
    assert "approved" in kit.audit_actions()


def test_approve_refuses_an_unknown_code_beside_the_field(qtbot, kit, officer_mode):
    tracking = kit.submit()
    detail = open_in(qtbot, officer_mode(), tracking)
    detail.nibrs_combo.lineEdit().selectAll()
    qtbot.keyClicks(detail.nibrs_combo.lineEdit(), "99Z")
    click(qtbot, detail.approve_button)
    click(qtbot, detail.approve_dialog.confirm_button)
    error = detail.approve_dialog.error_label("nibrs_code")
    assert detail.approve_dialog.isVisible() and error.isVisible() and "99Z" in error.text()
    assert kit.reports.get(tracking)["status"] == "in_review"


def test_request_more_information(qtbot, kit, officer_mode):
    tracking = kit.submit()
    detail = open_in(qtbot, officer_mode(), tracking)
    click(qtbot, detail.request_info_button)
    dialog = detail.request_info_dialog
    click(qtbot, dialog.confirm_button)  # the question is required
    assert dialog.isVisible() and dialog.error_label("question").isVisible()
    type_into(qtbot, dialog.question, "What colour was the bicycle's frame?")
    type_into(qtbot, dialog.phone_note, "Called 10:05, no answer.")
    click(qtbot, dialog.confirm_button)
    assert not dialog.isVisible()
    assert kit.reports.get(tracking)["status"] == "needs_info"
    last = history_texts(detail)[-1]
    assert "What colour was the bicycle's frame?" in last and "Called 10:05, no answer." in last
    assert "More information needed" in "\n".join(lbl.text() for lbl in detail.content.findChildren(
        type(detail.title)))


@pytest.mark.parametrize("reason", REJECT_REASONS)
def test_reject_for_each_reason(qtbot, kit, officer_mode, reason):
    original = kit.submit()
    tracking = kit.submit("vandalism-car-es")
    detail = open_in(qtbot, officer_mode(), tracking)
    click(qtbot, detail.reject_button)
    dialog = detail.reject_dialog
    click(qtbot, dialog.confirm_button)  # no reason chosen yet
    assert dialog.error_label("reason").isVisible()
    click(qtbot, dialog.reason_buttons[reason])
    expected_steps = default_next_steps(reason, "es", kit.config)
    assert dialog.next_steps_edit.toPlainText() == expected_steps  # prefilled in the citizen's language
    if reason == "duplicate":
        assert dialog.duplicate_of.isVisible()
        dialog.duplicate_of.clear()
        click(qtbot, dialog.confirm_button)
        assert dialog.error_label("duplicate_of").isVisible()
        type_into(qtbot, dialog.duplicate_of, original)
    elif reason == "other":
        assert dialog.other_text.isVisible()
        click(qtbot, dialog.confirm_button)
        assert dialog.error_label("message").isVisible()
        type_into(qtbot, dialog.other_text, "The car is not yours to report.")
    else:
        assert not dialog.duplicate_of.isVisible() and not dialog.other_text.isVisible()
    dialog.next_steps_edit.moveCursor(dialog.next_steps_edit.textCursor().MoveOperation.End)
    qtbot.keyClicks(dialog.next_steps_edit, " Llame al 860-757-4000.")
    click(qtbot, dialog.confirm_button)
    assert not dialog.isVisible(), dialog.error.text()
    report = kit.reports.get(tracking)
    assert report["status"] == "rejected"
    assert report["history"][-1]["reason_code"] == reason
    last = history_texts(detail)[-1]
    assert "Llame al 860-757-4000." in last
    if reason == "duplicate":
        assert original in last


@pytest.mark.parametrize(("typed", "said"), [
    ("T26-09-999999", "This tracking number has a typing mistake"),  # refused where it is typed: a wrong check digit
    ("t26 09 99999 6", "No report has the tracking number T26-09-99999-6."),  # read in any spelling; no such report
])
def test_reject_as_duplicate_of_a_malformed_or_unknown_number_is_refused_beside_the_field(qtbot, kit, officer_mode,
                                                                                           typed, said):
    tracking = kit.submit()
    detail = open_in(qtbot, officer_mode(), tracking)
    click(qtbot, detail.reject_button)
    dialog = detail.reject_dialog
    click(qtbot, dialog.reason_buttons["duplicate"])
    dialog.duplicate_of.clear()
    type_into(qtbot, dialog.duplicate_of, typed)
    click(qtbot, dialog.confirm_button)
    assert dialog.isVisible() and dialog.error_label("duplicate_of").isVisible()
    assert said in dialog.error_label("duplicate_of").text()
    assert kit.reports.get(tracking)["status"] == "in_review"


def test_reprint_the_receipt_with_a_new_access_code(qtbot, kit, officer_mode):
    data_tracking = kit.reports.submit(__import__("helpers").load_sample("larceny-bicycle"))
    tracking, old_code = data_tracking.tracking_number, data_tracking.access_code
    printer = FakePrinter()
    detail = open_in(qtbot, officer_mode(printer=printer), tracking)
    click(qtbot, detail.reprint_button)
    click(qtbot, detail.reprint_dialog.confirm_button)
    qtbot.waitUntil(lambda: len(printer.calls) == 1, timeout=5000)
    qtbot.waitUntil(lambda: detail.message_card.title.text() == "Receipt printed", timeout=5000)
    (printed_tracking, new_code), = printer.calls
    assert printed_tracking == tracking and new_code != old_code
    assert kit.reports.verify_access_code(tracking, new_code)
    assert not kit.reports.verify_access_code(tracking, old_code)
    assert new_code not in detail.message_card.text.text()  # it came out on paper: not shown on screen
    assert "receipt_reprinted" in kit.audit_actions()


def test_reprint_without_a_printer_shows_the_new_code(qtbot, kit, officer_mode):
    tracking = kit.submit()
    detail = open_in(qtbot, officer_mode(), tracking)
    click(qtbot, detail.reprint_button)
    click(qtbot, detail.reprint_dialog.confirm_button)
    assert detail.message_card.title.text() == "Receipt not printed"
    assert detail.last_access_code in detail.message_card.text.text()
    assert kit.reports.verify_access_code(tracking, detail.last_access_code)


def test_print_the_full_copy(qtbot, kit, officer_mode):
    tracking = kit.submit()
    copies = FakeCopyPrinter()
    detail = open_in(qtbot, officer_mode(copy_printer=copies), tracking)
    click(qtbot, detail.copy_button)
    qtbot.waitUntil(lambda: detail.message_card.title.text() == "Full copy printed", timeout=15000)
    assert [report["tracking_number"] for report in copies.copies] == [tracking]
    assert copies.threads[0] is not threading.main_thread()  # printing never holds up the screen
    assert "copy_printed" in kit.audit_actions()


def test_without_a_copy_printer_the_button_is_off(qtbot, kit, officer_mode):
    detail = open_in(qtbot, officer_mode(), kit.submit())
    assert not detail.copy_button.isEnabled()


def test_open_a_possible_duplicate(qtbot, kit, officer_mode):
    first = kit.submit()
    second = kit.submit()  # the same person, address and bicycle serial number
    mode = officer_mode()
    detail = open_in(qtbot, mode, second)
    assert list(detail.duplicate_buttons) == [first]
    link = detail.duplicate_buttons[first]
    assert link.text().endswith("same person, home address, place, serial number")
    click(qtbot, link)
    assert detail.tracking_number == first
    assert second in detail.duplicate_buttons


def test_supplements_from_the_citizen_are_marked(qtbot, kit, officer_mode):
    receipt = kit.reports.submit(__import__("helpers").load_sample("larceny-bicycle"))
    session = kit.session()
    detail = kit.review.open_report(receipt.tracking_number, session)
    kit.review.request_info(receipt.tracking_number, session, question="Frame colour?",
                            expected_version=detail.version)
    StatusLookup(kit.store, kit.config, kit.clock, kit.audit).answer(receipt.tracking_number, receipt.access_code,
                                                                    "The frame is dark blue with a white stripe.")
    shown = open_in(qtbot, officer_mode(), receipt.tracking_number)
    supplement = shown.content.findChild(object, "supplement_1_label")
    assert supplement is not None and "dark blue with a white stripe" in supplement.text()
    assert supplement.text().startswith("Answered at the kiosk, ")


def test_a_second_officer_gets_the_conflict_message(qtbot, kit, officer_mode):
    tracking = kit.submit()
    first = open_in(qtbot, officer_mode(OFFICER), tracking)
    second = open_in(qtbot, officer_mode(ADMIN), tracking)
    click(qtbot, second.reject_button)
    click(qtbot, second.reject_dialog.reason_buttons["not_eligible"])
    click(qtbot, second.reject_dialog.confirm_button)
    assert kit.reports.get(tracking)["status"] == "rejected"

    click(qtbot, first.approve_button)  # this screen still shows the report as in review
    click(qtbot, first.approve_dialog.confirm_button)
    assert first.message_card.isVisible()
    assert first.message_card.title.text() == "Someone else acted first"
    assert first.message_card.text.text()
    assert kit.reports.get(tracking)["status"] == "rejected"
    assert first.detail.report["status"] == "rejected"  # the report was read again
    assert not first.approve_button.isEnabled()
