"""The wizard is kept from one visitor to the next and wiped in between (issue 19): the next visitor must find it
exactly as a newly built one, widget by widget, so nothing of the last visit survives in a text, an undo history, a
ticked box, a spoken name, a scroll position or a page's state. The same for "Check a report"."""

from __future__ import annotations

import pytest
from helpers import load_sample
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QWidget,
)
from test_check_report import ANSWER, LEFT, WRONG, ask_for_information, check_with, open_check_page

from ui.shell import KioskWindow
from ui.walkthrough import Visitor, tour

pytestmark = pytest.mark.gui


# The properties the style sheet reads (ui/widgets.py repolish): a problem's red border, a chosen tile, a counter over
# its limit, the receipt's state.
STYLE_PROPERTIES = ("role", "invalid", "selected", "over", "size", "state")


def state(widget: QWidget) -> tuple:
    """What a visitor (or a screen reader) could find in ``widget`` and what it would hand the next visitor."""
    # isHidden: hidden by the kiosk itself (a message, a form, a QR code), on every page, the current one or not
    texts: list[object] = [widget.accessibleName(), widget.accessibleDescription(), widget.toolTip(),
                           widget.isHidden(), widget.isEnabled()]
    if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
        texts.append(widget.text())
    if isinstance(widget, QAbstractButton):
        texts.append(widget.isChecked())
    if isinstance(widget, QLineEdit):
        texts += [widget.placeholderText(), widget.isUndoAvailable(), widget.isRedoAvailable()]
    if isinstance(widget, QPlainTextEdit):
        texts += [widget.toPlainText(), widget.document().isUndoAvailable(), widget.document().isRedoAvailable()]
    if isinstance(widget, QAbstractScrollArea):
        texts += [widget.verticalScrollBar().value(), widget.horizontalScrollBar().value()]
    dynamic = {bytes(name.data()).decode() for name in widget.dynamicPropertyNames()}
    properties = {name: widget.property(name) for name in STYLE_PROPERTIES if name in dynamic}
    properties = {name: value for name, value in properties.items() if value}  # unset, False, "": the same look
    return (type(widget).__name__, widget.objectName(), *texts, properties)


# Left out: QWizard's own Cancel button, never shown (the wizard has NoCancelButton), whose text Qt leaves in the
# language it last had rather than translating it back; and the scroll bars with their boxes, which Qt shows or hides
# when it lays out a page on the screen (a page scrolled in large text) - where each page is scrolled is compared.
LEFT_OUT = ("qt_wizard_cancel", "qt_scrollarea_")


def fingerprint(root: QWidget) -> list[tuple]:
    return [state(widget) for widget in root.findChildren(QWidget)
            if not widget.objectName().startswith(LEFT_OUT) and not isinstance(widget, QScrollBar)]


def differences(reused: QWidget, fresh: QWidget) -> list[str]:
    old, new = fingerprint(reused), fingerprint(fresh)
    found = [f"kept: {a}\n new: {b}" for a, b in zip(old, new, strict=False) if a != b]
    if len(old) != len(new):
        names = {entry[1] for entry in old} ^ {entry[1] for entry in new}
        found.append(f"{len(old)} widgets kept, {len(new)} in a new wizard; only in one: {sorted(names)}")
    return found


def test_after_a_whole_visit_the_wizard_is_as_new(make_window, config, settle):
    window = make_window()
    window.watchdog.pause()  # a busy machine may take longer than the idle time between two taps
    visitor = Visitor(window)
    visitor.choose_language("es")
    visitor.tap(window.header.large_text_button)
    visitor.tap(window.header.high_contrast_button)
    # Every page and state: each screening answer and its referral, the item form opened and cancelled, problems
    # shown, the review, a refused and an accepted submit, the done page with its numbers, the idle overlay; then the
    # wipe at the end of the visit.
    for _stop in tour(visitor, load_sample("larceny-bicycle"), config.kiosk.zone):
        pass
    settle()
    assert window.is_pristine()
    reused = window.wizard

    fresh_window: KioskWindow = make_window()
    fresh = fresh_window.wizard
    settle()
    assert reused.draft() == fresh.draft()
    assert reused.currentId() == fresh.currentId()
    assert differences(reused, fresh) == []


def test_a_wiped_wizard_takes_the_next_report(make_window, config, reports):
    window = make_window()
    window.watchdog.pause()
    visitor = Visitor(window)
    for name in ("identity-theft", "larceny-bicycle"):  # the item form changes with the kind of incident
        visitor.report(load_sample(name), config.kiosk.zone)
        visitor.attest()
        visitor.submit()
        visitor.finish()
    newest_first = reports.list_reports()
    assert [row.category for row in newest_first] == ["larceny", "identity_theft"]
    stored = reports.get(newest_first[0].tracking_number)
    typed = load_sample("larceny-bicycle")["items"]
    assert [{key: item[key] for key in sample} for item, sample in zip(stored["items"], typed, strict=True)] == typed


def test_after_checking_a_report_the_look_up_pages_are_as_new(open_window, store, reports, qtbot, settle):
    receipt = reports.submit(load_sample("larceny-bicycle"))
    ask_for_information(store, receipt.tracking_number)
    window = open_window()
    window.watchdog.pause()
    Visitor(window).choose_language("es")
    open_check_page(window, qtbot)
    flow = window.lookup_flow
    check_with(window, qtbot, receipt.tracking_number, WRONG, settle)  # refused: a problem under the field
    flow.check_page.tracking.input.clear()
    flow.check_page.access_code.input.clear()
    check_with(window, qtbot, receipt.tracking_number, receipt.access_code, settle)
    qtbot.mouseClick(flow.status_page.answer.input, LEFT)
    qtbot.keyClicks(flow.status_page.answer.input, ANSWER)
    qtbot.mouseClick(flow.status_page.send_button, LEFT)  # the answer added: "Thank you", the new status
    settle()
    assert flow.status_page.confirmation_label.isVisible()
    qtbot.mouseClick(flow.status_page.finish_button, LEFT)
    settle()
    assert window.is_pristine()

    fresh_window = open_window()
    open_check_page(fresh_window, qtbot)  # shown once (its layout run), nothing typed
    qtbot.mouseClick(fresh_window.lookup_flow.check_page.back_button, LEFT)
    settle()
    fresh = fresh_window.lookup_flow
    assert flow.current_page() is flow.check_page
    assert differences(flow, fresh) == []
