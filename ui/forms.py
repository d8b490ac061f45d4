"""Enter (the on-screen keyboard's ↵) in a form: it moves on to the next input, and on the last one presses the form's
button. A form is any widget given a button with :func:`enter_submits` (the report wizard and its Next, the item
form and Save item, a dialog and its confirm button, Check a report and Check); inputs outside every form keep Qt's
plain Enter. :class:`ui.widgets.KioskLineEdit` calls :func:`move_on`; multi-line boxes keep Enter for a new line.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QPlainTextEdit, QScrollArea, QWidget

ENTER_BUTTON = "enter_button"  # the dynamic property that makes a widget a form
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
VISIBLE_MARGINS = (16, 16)  # room kept around an input scrolled into view (no more: the page moves little)


def enter_submits(form: QWidget, button: QAbstractButton) -> None:
    """Make ``form`` a form: Enter in one of its one-line inputs moves on to its next input in tab order, and on its
    last input presses ``button`` (when shown and enabled)."""
    form.setProperty(ENTER_BUTTON, button)


def form_of(widget: QWidget) -> QWidget | None:
    """The nearest form around ``widget``, or None."""
    parent = widget.parentWidget()
    while parent is not None:
        if parent.property(ENTER_BUTTON) is not None:
            return parent
        parent = parent.parentWidget()
    return None


def is_text_input(widget: QWidget) -> bool:
    return isinstance(widget, (QLineEdit, QPlainTextEdit)) and not widget.isReadOnly()


def next_input(widget: QWidget, form: QWidget) -> QWidget | None:
    """The first text input of ``form`` after ``widget`` in tab order that a visitor can reach now (shown, enabled,
    taking Tab), or None when ``widget`` is the form's last. The window heads its focus chain, so the chain is read
    from the window (where Tab starts) and never wraps round to the form's first input."""
    window = widget.window()
    passed = False
    current = window.nextInFocusChain()
    while current is not None and current is not window:
        if current is widget:
            passed = True
        elif (passed and is_text_input(current) and form.isAncestorOf(current) and current.isVisible()
              and current.isEnabled() and current.focusPolicy() & Qt.FocusPolicy.TabFocus):
            return current
        current = current.nextInFocusChain()
    return None


def focus_input(widget: QWidget) -> None:
    """Give ``widget`` the focus as Tab does (a one-line input selects its text, so what is typed replaces it: a date
    box already full takes the new digits) and scroll it into view."""
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    if isinstance(widget, QLineEdit):
        widget.selectAll()  # what Tab's focus-in does, also when the window is not the active one
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget, *VISIBLE_MARGINS)
            return
        parent = parent.parentWidget()


def move_on(widget: QWidget, *, submit: bool) -> bool:
    """Move from ``widget`` to the next input of its form; on the form's last input press the form's button when
    ``submit`` (Enter), or stay (a box that has filled up). Returns whether anything happened."""
    form = form_of(widget)
    if form is None:
        return False
    following = next_input(widget, form)
    if following is not None:
        focus_input(following)
        return True
    button = form.property(ENTER_BUTTON)
    if submit and isinstance(button, QAbstractButton) and button.isVisible() and button.isEnabled():
        button.click()
        return True
    return False
