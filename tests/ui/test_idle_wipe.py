"""Idle: "Are you still there?" after the idle time, "I need more time", and at zero a wipe that leaves no trace of
what the visitor typed anywhere in the window."""

from __future__ import annotations

import pytest
from helpers import load_sample
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from ui.timings import Timings
from ui.walkthrough import Visitor
from ui.wizard.page_ids import PageId

pytestmark = pytest.mark.gui

SHORT = Timings(idle_timeout_ms=300, idle_countdown_ms=600)


def typed_values(report: dict) -> list[str]:
    reporter, incident = report["reporter"], report["incident"]
    values = [reporter["first_name"], reporter["last_name"], reporter["email"], reporter["phone"],
              reporter["address"]["line1"], incident["narrative"][:30], incident["location"]["line2"]]
    for item in report["items"]:
        values += [item["description"], item.get("serial_number", ""), item.get("brand", "")]
    return [v for v in values if v]


def every_text(window: QWidget) -> list[tuple[str, str]]:
    """Every text any widget under the window holds, visible or not, with the widget's name."""
    found = []
    for widget in window.findChildren(QWidget):
        texts = []
        if isinstance(widget, QLineEdit | QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        if isinstance(widget, QPlainTextEdit | QTextEdit):
            texts.append(widget.toPlainText())
        if isinstance(widget, QComboBox):
            texts.append(widget.currentText())
        if isinstance(widget, QAbstractSpinBox):
            texts.append(widget.text())
        texts.append(widget.accessibleName())
        texts.append(widget.accessibleDescription())
        texts.append(widget.toolTip())
        found += [(widget.objectName(), text) for text in texts if text]
    return found


def undo_histories(window: QWidget) -> list[str]:
    """Inputs that could still undo (or redo) back to something typed, or that offer completions."""
    found = []
    for edit in window.findChildren(QLineEdit):
        if edit.isUndoAvailable() or edit.isRedoAvailable() or edit.completer() is not None:
            found.append(edit.objectName())
    for edit in [*window.findChildren(QPlainTextEdit), *window.findChildren(QTextEdit)]:
        if edit.document().isUndoAvailable() or edit.document().isRedoAvailable():
            found.append(edit.objectName())
    return found


def test_nobody_answers_and_everything_typed_is_wiped(make_window, config, qtbot):
    window = make_window(timings=SHORT)
    # Held while the visitor fills in the report, as officer mode holds it: a busy machine may take longer than the
    # short idle time between two taps.
    window.watchdog.pause()
    visitor = Visitor(window)
    report = load_sample("larceny-bicycle")
    visitor.choose_language("es")
    visitor.tap(window.header.large_text_button)
    visitor.report(report, config.kiosk.zone)
    assert window.wizard.currentId() == PageId.REVIEW
    values = typed_values(report)
    assert any(value in text for _name, text in every_text(window) for value in values), "the test sees the data"

    # The visitor walks away: the idle time runs out (shortened here) and nobody taps "I need more time".
    window.watchdog.restart()
    qtbot.waitUntil(window.idle_overlay.isVisible, timeout=3000)
    assert window.idle_overlay.heading.text() == "¿Sigue ahí?"
    qtbot.waitUntil(lambda: window.current_page() is window.welcome_page, timeout=3000)
    qtbot.wait(50)  # let deleteLater() run

    leftovers = [(name, text) for name, text in every_text(window) for value in values if value in text]
    assert leftovers == []
    assert undo_histories(window) == []
    assert window.wizard.currentId() == PageId.SCREEN_EMERGENCY  # the next visitor's wizard, built from scratch
    assert [text for _name, text in every_text(window) for value in values if value in text] == []
    assert undo_histories(window) == []
    assert window.switcher.language == "en", "back in the default language"
    assert not window.theme.large_text and not window.header.large_text_button.isChecked()
    assert not window.idle_overlay.isVisible()
    assert QGuiApplication.clipboard().text() == ""


def test_i_need_more_time_keeps_the_report(make_window, qtbot):
    # Long enough that a busy machine does not time out between the visitor's taps (the overlay is modal: a tap behind
    # it does nothing), and a countdown long enough to answer.
    window = make_window(timings=Timings(idle_timeout_ms=1500, idle_countdown_ms=5000))
    visitor = Visitor(window)
    visitor.start()
    visitor.screening()
    visitor.category("vandalism")
    visitor.type("first_name_input", "Dana")

    qtbot.waitUntil(window.idle_overlay.isVisible, timeout=6000)
    assert window.idle_overlay.heading.text() == "Are you still there?"
    assert "cleared in" in window.idle_overlay.message.text()
    visitor.tap(window.idle_overlay.more_time_button)
    assert not window.idle_overlay.isVisible()
    assert window.wizard.currentId() == PageId.WHO
    assert window.current_page().first_name.value() == "Dana"


def test_touches_keep_the_overlay_away(make_window, qtbot):
    window = make_window(timings=Timings(idle_timeout_ms=400, idle_countdown_ms=5000))
    visitor = Visitor(window)
    visitor.start()
    visitor.screening()
    visitor.category("vandalism")
    for letter in "Dana Whitfield":
        qtbot.wait(60)
        visitor.type("first_name_input", letter)
    assert not window.idle_overlay.isVisible()


def test_the_untouched_welcome_page_never_asks(make_window, qtbot):
    window = make_window(timings=Timings(idle_timeout_ms=100, idle_countdown_ms=200))
    qtbot.wait(500)
    assert not window.idle_overlay.isVisible()
    assert window.current_page() is window.welcome_page


def test_start_over_asks_first_then_wipes(make_window):
    window = make_window()
    visitor = Visitor(window)
    visitor.start()
    visitor.screening()
    visitor.category("larceny")
    visitor.type("first_name_input", "Dana")
    visitor.tap("start_over_button")
    assert window.start_over_overlay.isVisible()
    visitor.tap(window.start_over_overlay.keep_button)
    assert window.current_page().first_name.value() == "Dana"

    visitor.tap("start_over_button")
    visitor.tap(window.start_over_overlay.confirm_button)
    assert window.current_page() is window.welcome_page
    assert not [w for w in window.findChildren(QLineEdit) if w.text() == "Dana"]
