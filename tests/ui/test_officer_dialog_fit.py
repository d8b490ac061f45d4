"""Officer dialogs fit what they show: a dialog grows when an error line appears (no inner scroll bar, nothing
clipped) and still fits the screen, scrolling only when the screen really is too small. The on-screen keyboard's
signals never make a dialog fit itself inside the signal (that crashed under a real display), and a dialog closed or
deleted meanwhile ignores them."""

from __future__ import annotations

import pytest
from officer_ui_support import click
from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import delete

from ui.officer.card_dialog import MessageCard
from ui.officer.decision_dialogs import RequestInfoDialog
from ui.walkthrough import settle

pytestmark = pytest.mark.gui


def rect_in(widget: QWidget, ancestor: QWidget) -> QRect:
    return QRect(widget.mapTo(ancestor, widget.rect().topLeft()), widget.size())


def request_info(qtbot, kit, officer_mode, size=(1280, 800)):
    mode = officer_mode()
    mode.resize(*size)
    mode.open_report(kit.submit())
    settle()
    click(qtbot, mode.detail.request_info_button)
    settle()
    return mode.detail.request_info_dialog


def test_the_request_info_dialog_grows_to_show_its_error(qtbot, kit, officer_mode):
    dialog = request_info(qtbot, kit, officer_mode)
    card_before = dialog.card.height()
    click(qtbot, dialog.confirm_button)  # the question is required
    settle()

    error = dialog.findChild(QWidget, "question_edit_error")
    assert error.isVisible() and error.text() == "Write the question to the citizen."
    assert not dialog.scroll_area.verticalScrollBar().isVisible(), "the card grows instead of scrolling"
    assert dialog.card.height() > card_before
    viewport = dialog.scroll_area.viewport()
    for name in ("question_edit", "question_edit_error", "phone_note_edit_label", "phone_note_edit"):
        shown = dialog.findChild(QWidget, name)
        assert viewport.rect().contains(rect_in(shown, viewport)), f"{name} is cut off"
    assert dialog.rect().contains(rect_in(dialog.card, dialog)), "the card stays on the screen"
    assert error.height() >= error.heightForWidth(error.width())  # its whole text, not squeezed

    # The error goes when the question is written and the dialog is sent again... and the card shrinks back.
    dialog.question.setPlainText("What colour was the frame?")
    dialog.cancel_button.click()
    settle()
    click(qtbot, dialog.parentWidget().request_info_button)
    settle()
    assert dialog.card.height() == card_before


def test_on_a_small_screen_the_dialog_scrolls_and_still_fits(qtbot, kit, officer_mode):
    dialog = request_info(qtbot, kit, officer_mode, size=(1280, 520))
    click(qtbot, dialog.confirm_button)
    settle()
    assert dialog.rect().contains(rect_in(dialog.card, dialog))
    assert dialog.rect().contains(rect_in(dialog.confirm_button, dialog))
    assert dialog.scroll_area.verticalScrollBar().isVisible(), "the content is taller than the room: it scrolls"


def test_fitting_again_keeps_the_content_where_the_officer_scrolled_it(qtbot, kit, officer_mode):
    dialog = request_info(qtbot, kit, officer_mode, size=(1280, 520))
    click(qtbot, dialog.confirm_button)
    settle()
    bar = dialog.scroll_area.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum())
    dialog.open()  # what a dialog does when it shows other fields (a reason chosen) or an error
    settle()
    assert bar.value() == bar.maximum() > 0


class GeometryWatch(QObject):
    """Counts the resizes of a widget that happen while ``inside`` is set."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.inside = False
        self.resized_inside = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.inside and event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self.resized_inside += 1
        return False


def emit_keyboard_signals(times: int = 1) -> None:
    method = QGuiApplication.inputMethod()
    for _ in range(times):
        method.keyboardRectangleChanged.emit()
        method.visibleChanged.emit()


def test_the_keyboard_signals_never_fit_the_dialog_inside_the_signal(qtbot, kit, officer_mode):
    dialog = request_info(qtbot, kit, officer_mode)
    before = dialog.scroll_area.height()
    dialog.confirm_button.click()  # an error line appears; no event is processed yet
    watches = [GeometryWatch(widget) for widget in (dialog, dialog.card, dialog.scroll_area)]
    for watch in watches:
        watch.inside = True
    emit_keyboard_signals(times=5)
    for watch in watches:
        watch.inside = False
    assert [watch.resized_inside for watch in watches] == [0, 0, 0]
    settle()
    assert dialog.scroll_area.height() > before, "the fit came once the signals had returned"
    assert not dialog.scroll_area.verticalScrollBar().isVisible()


def test_a_closed_or_deleted_dialog_ignores_the_keyboard(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.resize(1280, 800)
    parent.show()
    card = MessageCard(parent)
    card.show_message("Printed", "The receipt was printed.")
    settle()
    card.ok_button.click()
    geometry = card.geometry()
    emit_keyboard_signals()
    settle()
    assert not card.isVisible() and card.geometry() == geometry

    dialog = RequestInfoDialog(parent)
    dialog.prepare("T26-01-00001-8")
    dialog.open()
    emit_keyboard_signals()  # a fit is pending...
    delete(dialog)  # ...when the dialog goes, open
    emit_keyboard_signals()
    settle()
    QApplication.processEvents()
    assert parent.findChild(QWidget, "request_info_dialog") is None
