"""Where a visitor's input comes into the kiosk: its top-level windows, and the text input being typed into.

Qt hands real input (touches, clicks, keys, the wheel) to a top-level window first (its ``QWindow``), and the window
passes it on to the widget under the finger or with the focus. So one event filter on each of the kiosk's windows
sees every touch and key, while the ~180 other events of a page change (paints, shows, hides, layouts) go to widgets
it is not installed on and cost nothing. A filter on the whole application would see those too: PySide6 wraps each
event for the Python call, which took a third of a page change (issue 19).

The kiosk's windows are the kiosk window itself, every window opened over it (a dialog, a drop-down list: Qt makes
the kiosk window their transient parent), and the on-screen keyboard's (Qt Virtual Keyboard's own window, not a
widget's): a tap on one of its keys lands there. The kiosk window is watched once its first page has been painted,
the others once they get the focus (dialogs, drop-down lists) or the on-screen keyboard shows. The keyboard hands the
letters it types to the focus window as key presses (tests/ui/test_keyboard_activity.py), but text an input method
composes (pinyin, word predictions) comes as input-method events straight to the focused input, so the watch also
follows the focus and watches the text input that has it (for input-method events only).

Qt Test's clicks and keys sent to a widget (``QTest.mouseClick(button, ...)``) skip the window, unlike a finger: a
test of what input does sends it to the window (``QTest.mouseClick(window.windowHandle(), ...)``), as
``ui.walkthrough.Visitor`` does.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication, QInputEvent, QInputMethodEvent, QWindow
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from ui.idle import ACTIVITY
from ui.widgets import running_application

# The events the parts act on: keys (the kiosk keys) and a visitor's touches, clicks, keys and typed text (the idle
# watchdog). PySide6 hands each of them over as a QInputEvent (keys, mouse, touch, wheel, tablet) or a
# QInputMethodEvent (the on-screen keyboard's text); everything else a window gets (expose, update requests, focus,
# resizes) is let through after that one isinstance check, which costs far less than reading its type
# (event.type() makes a Python enum member every time).
INPUT_EVENT_CLASSES = (QInputEvent, QInputMethodEvent)
INPUT_EVENTS = ACTIVITY | {QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride}
# The class of the QWindow Qt makes for a top-level widget (private to Qt, so known to Python by its name only).
WIDGET_WINDOW_CLASS = "QWidgetWindow"


class InputWatch(QObject):
    """Hands every input event that reaches the kiosk window's windows (:data:`INPUT_EVENTS`) to its parts in turn,
    until one of them takes it (returns True from its ``eventFilter``, and the event goes no further).

    One filter for all the parts, and one per window: each Python filter Qt calls has the event and its receiver
    wrapped for Python, every time. :meth:`start` it once the window has been shown; :meth:`stop` takes it off every
    window again.
    """

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._parts: list[QObject] = []
        self._typing_into: QObject | None = None  # the focused text input, watched for input-method events
        self._started = False

    # -- parts ------------------------------------------------------------------------------------------------------

    def add(self, part: QObject) -> None:
        """``part.eventFilter`` sees each input event after the parts added before it (and only if none of them took
        it); a part that needs another kind of event must have it added to :data:`INPUT_EVENTS`."""
        self._parts.append(part)

    # -- windows ----------------------------------------------------------------------------------------------------

    @property
    def started(self) -> bool:
        return self._started

    def start(self) -> None:
        """Watch the kiosk window's windows from now on (the kiosk window must have been shown)."""
        if self._started:
            return
        self._started = True
        app = running_application()
        app.focusWindowChanged.connect(self._focus_window_changed)
        app.focusObjectChanged.connect(self._focus_object_changed)
        QGuiApplication.inputMethod().visibleChanged.connect(self.watch_windows)
        self.watch_windows()
        self._follow_focus(app.focusObject())

    def stop(self) -> None:
        """Take the filter off every window and input it was on."""
        if not self._started:
            return
        self._started = False
        app = running_application()
        app.focusWindowChanged.disconnect(self._focus_window_changed)
        app.focusObjectChanged.disconnect(self._focus_object_changed)
        QGuiApplication.inputMethod().visibleChanged.disconnect(self.watch_windows)
        for window in QGuiApplication.topLevelWindows():
            window.removeEventFilter(self)  # nothing happens on a window it was not on
        self._follow_focus(None)

    def watch_windows(self) -> None:
        """Watch each of the kiosk's top-level windows (a window watched already keeps its one filter: Qt installs
        a filter once per object)."""
        for window in QGuiApplication.topLevelWindows():
            if self._is_ours(window):
                window.installEventFilter(self)

    def _focus_window_changed(self, _window: QWindow | None) -> None:
        self.watch_windows()  # a dialog or a drop-down list opened over the kiosk window has the focus from its show

    def _is_ours(self, window: QWindow) -> bool:
        """The kiosk window, a window opened over it (directly or over another one), or the on-screen keyboard's: a
        window of Qt's own rather than a widget's (another program's widget window, e.g. a benchmark's anchor, is
        not)."""
        own = self._window.windowHandle()
        if own is None or not isValid(window):
            return False
        if window.metaObject().className() != WIDGET_WINDOW_CLASS:
            return True
        parent: QWindow | None = window
        while parent is not None and isValid(parent):
            if parent == own:
                return True
            parent = parent.transientParent()
        return False

    # -- the text input being typed into ----------------------------------------------------------------------------

    def _focus_object_changed(self, _reported: QObject | None) -> None:
        # The application's focus object as it is now, not the one the signal carries: the signal has been seen
        # carrying None (from another window's change) while the focus window's input kept the focus, and that took
        # the watch off the input being typed into (an input method's text then did not count as activity).
        self._follow_focus(QGuiApplication.focusObject())

    def _follow_focus(self, focused: QObject | None) -> None:
        before, self._typing_into = self._typing_into, None
        if before is not None and isValid(before):
            before.removeEventFilter(self)
        if not isinstance(focused, QWidget) or not focused.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled):
            return
        # The focus object is the focus window's; a widget's windowHandle() may be a stale wrapper (PySide6 6.12,
        # a drop-down list's window).
        window = QGuiApplication.focusWindow()
        if window is not None and self._is_ours(window):
            focused.installEventFilter(self)
            self._typing_into = focused

    # -- handing events on ------------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(event, INPUT_EVENT_CLASSES):
            return False
        kind = event.type()
        if kind not in INPUT_EVENTS:
            return False
        if watched is self._typing_into and kind != QEvent.Type.InputMethod:
            return False  # its keys and touches came through its window, and were handed on there
        for part in self._parts:
            if part.eventFilter(watched, event):
                return True
        return False
