"""The keypad at work (issue 21): what the six keys (ui/keypad.py) and the speech keys do in the kiosk window.

EZ-Access's convention (Trace Center), as US Postal Service and Amtrak kiosks follow it:

- **Up / Down** move to the previous / next control of the page in reading order (the page's focus chain, which
  follows the reading order: a choice group's answers one by one, the fields, the buttons), round and round.
- **Enter** presses the control that has the focus (a button, an answer, a check box) or opens a drop-down list; in a
  text input it is the input's own Enter (the next field, or a new line in the narrative). With nothing focused it
  moves to the first control, as Down does.
- **Next / Back** go to the next / previous page: the page's Next, Start or Check button, or its Back button (on the
  first question, back to the welcome page). Next never sends anything: on the review page it takes the focus to
  Submit, on the last pages to Finish, and the visitor presses Enter there.
- **Help** starts the speech, or says the current prompt again (``narrator.help()``).
- **Volume and rate keys** change how the speech sounds.

Any key press first stops the speech (``narrator.interrupt()``) when it is speaking, except the volume and rate
keys: the visitor hears the change on what is being said. While the visitor types into a text input, the keys that
type or edit text are the input's (Backspace deletes, "?" types a question mark; ``KeyMap.action(typing=True)``), but
Escape still goes back. "Are you still there?" is answered "more time" by Enter, Next or Back.

**The on-screen keyboard** (Qt Virtual Keyboard, where the kiosk has one: ui/keyboard.py) is driven by the same keys.
Enter in a text field puts the keypad on the keyboard: from then on the arrows move a highlight over its keys and
Enter presses the highlighted key (the keyboard's own arrow-key navigation, turned on in ui/keyboard.py); its Enter
key goes on to the next field, as a tap on it does. Back takes the keypad off the keyboard again (Up and Down then
move between the controls); so does moving to another control. Without an on-screen keyboard, Enter in a text field
is the field's own Enter (the next field), and so is the Enter that a tap on the keyboard's own Enter key sends (a
touch came after the last key).

The keypad acts on the citizen's pages only (welcome, report, "Check a report"): officer mode keeps every key as a
desktop program has it (the queue's arrows move in the list). In a drop-down list's open list, Up, Down and Enter are
the list's and Back closes it.

A part of the window's :class:`ui.input_watch.InputWatch`, so it sees the keys of every window opened over the kiosk
window and of the on-screen keyboard's window.
"""

from __future__ import annotations

import logging
from typing import Protocol, cast

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QApplication, QComboBox, QWidget

from ui.keyboard import keyboard_in_use
from ui.keypad import SPEECH_CONTROLS, Action, KeyMap

log = logging.getLogger(__name__)

POINTER_PRESSES = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin})


class Narrating(Protocol):
    """What the keypad needs of the narrator (ui/narrator.py)."""

    @property
    def active(self) -> bool: ...

    def help(self) -> None: ...

    def interrupt(self) -> None: ...

    def volume_up(self) -> None: ...

    def volume_down(self) -> None: ...

    def rate_up(self) -> None: ...

    def rate_down(self) -> None: ...


class KeypadPages(Protocol):
    """What the keypad needs of the window: whether a citizen's page is shown, and the pages' Next and Back."""

    def keypad_applies(self) -> bool: ...

    def keypad_next(self) -> None: ...

    def keypad_back(self) -> None: ...

    def keypad_more_time(self) -> bool:
        """Answer "Are you still there?" with "more time" if it is shown (True), else False."""
        ...


def is_typing_into(widget: QWidget | None) -> bool:
    """Whether ``widget`` takes typed text (a text input that is not read-only)."""
    return widget is not None and widget.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)


class KeypadInput(QObject):
    """Turns the keypad's keys into moves, presses and page changes in ``pages`` (the kiosk window).

    ``used`` fires on every keypad action taken (the window gives a keypad visitor more time)."""

    used = Signal()

    def __init__(self, keys: KeyMap, pages: KeypadPages, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._keys = keys
        self._pages = pages
        self._narrator: Narrating | None = None
        self._on_keyboard: QWidget | None = None  # the text input the keypad types into on the on-screen keyboard
        # A touch or click came after the last key: the Enter that follows is the on-screen keyboard's Enter key
        # (it sends a key press like any other), not the keypad's.
        self._touched = False

    @property
    def keys(self) -> KeyMap:
        return self._keys

    def set_narrator(self, narrator: Narrating | None) -> None:
        self._narrator = narrator

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in POINTER_PRESSES:
            self._touched = True
            return False
        if kind != QEvent.Type.KeyPress:
            return False
        key_event = cast(QKeyEvent, event)  # a KeyPress is a QKeyEvent
        touched, self._touched = self._touched, False
        focus = self._focus()
        action = self._keys.action(key_event, typing=is_typing_into(focus))
        narrator = self._narrator
        if narrator is not None and action not in SPEECH_CONTROLS and narrator.active:
            narrator.interrupt()
        if action is None or not self._pages.keypad_applies():
            return False
        active = QApplication.activeWindow()
        if active is not None and active is not self._window() and QApplication.activePopupWidget() is None:
            return False  # a dialog over the kiosk window keeps its keys (Escape closes it, as everywhere)
        if self._on_keyboard is not None:
            if self._on_keyboard is not focus or not QGuiApplication.inputMethod().isVisible():
                self._on_keyboard = None  # the focus moved on (the keyboard's Enter key), or the keyboard hid
            elif action in (Action.UP, Action.DOWN, Action.ENTER):
                return False  # the keyboard's: a move over its keys, or a press of one
            elif action is Action.BACK:
                self._on_keyboard = None
                self.used.emit()
                return True
        taken = self._act(action, focus, touched=touched)
        if taken:
            self.used.emit()
        return taken

    def _act(self, action: Action, focus: QWidget | None, *, touched: bool = False) -> bool:
        popup = QApplication.activePopupWidget()
        if popup is not None:  # an open drop-down list: its own keys, and Back closes it
            if action is Action.BACK:
                popup.close()
                return True
            if action in (Action.UP, Action.DOWN, Action.ENTER):
                return False
        if action in (Action.ENTER, Action.NEXT, Action.BACK) and self._pages.keypad_more_time():
            return True
        if action in (Action.UP, Action.DOWN):
            return self._move(focus, forward=action is Action.DOWN)
        if action is Action.ENTER:
            return self._press(focus, touched=touched)
        if action is Action.NEXT:
            self._pages.keypad_next()
            return True
        if action is Action.BACK:
            self._pages.keypad_back()
            return True
        return self._speech(action)

    def _move(self, focus: QWidget | None, *, forward: bool) -> bool:
        if isinstance(focus, QAbstractItemView):
            return False  # a list moves between its own rows
        # The focus widget's focusNextPrevChild asks its parents in turn, as Tab does: an open overlay keeps the moves
        # on its card (ui/idle.py: Overlay).
        start = focus if focus is not None else self._window()
        if start is not None:
            start.focusNextPrevChild(forward)
        return True

    def _press(self, focus: QWidget | None, *, touched: bool = False) -> bool:
        if isinstance(focus, QAbstractButton):
            if focus.isEnabled():
                focus.click()
            return True
        if isinstance(focus, QComboBox):
            focus.showPopup()
            return True
        if is_typing_into(focus) and keyboard_in_use() and not touched:
            self._on_keyboard = focus  # type on the on-screen keyboard with the arrows and Enter
            QGuiApplication.inputMethod().show()
            return True
        if is_typing_into(focus) or isinstance(focus, QAbstractItemView):
            return False  # the input's own Enter: the next field (ui.forms.enter_submits), or a new line
        return self._move(focus, forward=True)  # nothing to press yet: the first control

    def _speech(self, action: Action) -> bool:
        narrator = self._narrator
        if action is Action.HELP:
            if narrator is not None:
                narrator.help()
            return True
        if narrator is None:
            return False  # "+" and "-" mean nothing without speech: let them be
        {Action.VOLUME_UP: narrator.volume_up, Action.VOLUME_DOWN: narrator.volume_down,
         Action.RATE_UP: narrator.rate_up, Action.RATE_DOWN: narrator.rate_down}[action]()
        return True

    def _focus(self) -> QWidget | None:
        """The widget a key goes to: an open drop-down list's, else the kiosk window's focus widget (the window's own
        even while the application has no active window: a key sent to the window still goes there)."""
        if QApplication.activePopupWidget() is not None:
            return QApplication.focusWidget()
        window = self._window()
        return window.focusWidget() if window is not None else QApplication.focusWidget()

    def _window(self) -> QWidget | None:
        parent = self.parent()
        return parent if isinstance(parent, QWidget) else None
