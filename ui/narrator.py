"""The narrator (issue 21): once a visitor asks for speech (Help, or "Read aloud" on the welcome page), the kiosk reads
each page aloud in the page's language, through a :class:`ui.speech.Speaker`.

What is said, and when:

- A page is shown (the welcome page, a wizard page, a "Check a report" page, a card over the page such as "Are you
  still there?"), or the visitor changes the language: its heading and its question (the intro under the heading, the
  card's message), then the focused control. The words are the widgets'
  own texts, so they come from the same catalogue as the screen, in the page's language.
- The focus moves (Tab, the arrows, a keypad): the focused control with its state, from :mod:`ui.speech_texts`
  ("Yes, selected, 1 of 2", "Start, button", "Last name, text field, empty"). What the visitor typed is read out only
  with private listening (a headset, ``[speech] listening = "headset"``).
- A field's problem appears (Next with an answer missing, a correction asked for): the problem, before the control.
  The same problem is also given to screen readers as an accessibility announcement (whether speech is on or not).
- The done page: the heading, "Your tracking number" and the number as shown, then how to hear it one character at a
  time: Help on the done page says the tracking number one character at a time (and then the access code, with
  private listening only: with the tracking number it opens the report's status and messages).
- Help elsewhere says the current prompt again; any key (the keypad calls :meth:`Narrator.interrupt`) silences it.

Speech never blocks the kiosk: when an utterance times out (a stalled engine), the page shows
:func:`ui.speech_texts.speech_stopped_note` above its buttons for 10 s and keeps working; a Speaker that went
silent for good stays silent, with the note shown once.

The narrator is built with the window and a factory for its Speaker (called on the first :meth:`Narrator.start` or
:meth:`Narrator.prepare`): building a speech-dispatcher engine starts its daemon (~2 s), which must not happen on the
kiosk's start-up path. Returning to the welcome page ends the visit, and with it the narration: the next visitor
starts it again, at the configured volume and rate.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStackedWidget,
    QWidget,
    QWizard,
    QWizardPage,
)

from ui.speech_texts import button_description, choice_description, speech_stopped_note, text_field_description
from ui.widgets import text_label

if TYPE_CHECKING:
    from kiosk.translation import Translation
    from ui.shell import KioskWindow
    from ui.speech import Speaker

log = logging.getLogger(__name__)

NOTE_MARGIN = 16  # px: the speech note's margins
NOTE_SHOWN_MS = 10_000  # the speech note stays this long (or until the visit ends), above the page's buttons


def _label_of(widget: QWidget) -> str:
    name = widget.accessibleName()
    if not name and isinstance(widget, QAbstractButton):
        name = widget.text().replace("&", "")
    return name.strip()


def announce_problem(widget: QWidget, text: str) -> None:
    """A problem shown on a citizen page, told to screen readers (whether speech is on or not)."""
    announce(widget, text)


def announce(widget: QWidget, text: str) -> None:
    """Tell screen readers (Orca) ``text`` now, interrupting what they say: Qt's accessibility announcement."""
    if not text:
        return
    event = QAccessibleAnnouncementEvent(widget, text)
    event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
    QAccessible.updateAccessibility(event)


def visible_problems(page: QWidget) -> list[QLabel]:
    """The problem lines shown on ``page`` now (labels with the "error" role), top to bottom."""
    shown = [label for label in page.findChildren(QLabel)
             if label.property("role") == "error" and label.text() and label.isVisibleTo(page)]
    return sorted(shown, key=lambda label: (label.mapTo(page, label.rect().topLeft()).y(),
                                            label.mapTo(page, label.rect().topLeft()).x()))


def page_prompt(page: QWidget) -> list[str]:
    """What a page says when shown: its heading and its question, as the screen shows them (already translated)."""
    texts: list[str] = []
    for name in ("heading_label", "eligible_label", "emergency_label", "heading", "intro", "message"):
        label = getattr(page, name, None)
        if isinstance(label, QLabel) and label.text() and not label.isHidden():
            texts.append(label.text())
    return texts


class _ProblemWatch(QObject):
    """Calls ``then`` when a watched problem line is shown (a problem that appears without the focus moving)."""

    def __init__(self, then: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self._then = then
        self._watched: set[int] = set()

    def watch(self, page: QWidget) -> None:
        for label in page.findChildren(QLabel):
            if label.property("role") == "error" and id(label) not in self._watched:
                self._watched.add(id(label))
                label.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            self._then()
        return False


class Narrator(QObject):
    """Reads the kiosk window aloud once started. ``speaker_factory`` makes the Speaker (on first use);
    ``private_listening``: the kiosk has a headset, so what a visitor typed may be read back; ``volume`` and ``rate``:
    where each visit starts (0.1..1.0 and -1.0..1.0)."""

    active_changed = Signal(bool)

    def __init__(self, window: KioskWindow, speaker_factory: Callable[[], Speaker], *,
                 private_listening: bool = False, volume: float = 1.0, rate: float = 0.0,
                 parent: QObject | None = None) -> None:
        super().__init__(parent if parent is not None else window)
        self._window = window
        self._factory = speaker_factory
        self._speaker: Speaker | None = None
        self._private_listening = private_listening
        self._volume = volume
        self._rate = rate
        self._active = False
        self._page: QWidget | None = None  # the page last announced
        self._watched_page: QWidget | None = None  # the page whose problem lines are watched
        self._focus: QWidget | None = None  # the control last described
        self._prompt: list[str] = []  # the current page's prompt: what Help says again
        self._language = ""
        self._heard_problems: set[tuple[int, str]] = set()  # problem lines already said (or announced)
        self._queue: list[str] = []
        self._connected: set[int] = set()
        self._pending = False
        self._note: QLabel | None = None
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_SHOWN_MS)
        self._note_timer.timeout.connect(self._hide_note)
        self._problems = _ProblemWatch(self._schedule, self)
        window.pages.currentChanged.connect(self._pages_changed)
        window.switcher.language_changed.connect(self._language_changed)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        self._pages_changed()

    # -- what the keys and the welcome page call -----------------------------------------------------------------

    @property
    def active(self) -> bool:
        return self._active

    @property
    def speaker(self) -> Speaker | None:
        """The Speaker, once made (None before the first :meth:`start` or :meth:`prepare`)."""
        return self._speaker

    def set_speaker_factory(self, factory: Callable[[], Speaker]) -> None:
        """Make the Speaker with ``factory`` instead (before it is made: a test's engine at the boundary)."""
        if self._speaker is not None:
            raise RuntimeError("the Speaker is made already")
        self._factory = factory

    def prepare(self) -> Speaker:
        """Make the Speaker now if it is not made yet (the window calls this a little after its first paint)."""
        if self._speaker is None:
            speaker = self._factory()
            speaker.setParent(self)
            speaker.set_volume(self._volume)
            speaker.set_rate(self._rate)
            speaker.finished.connect(self._next_in_queue)
            speaker.timed_out.connect(self._timed_out)
            speaker.silenced.connect(self._silenced)
            self._speaker = speaker
        return self._speaker

    def start(self) -> None:
        """Speech on: say the current page (its prompt, then the focused control)."""
        self.prepare()
        if not self._active:
            self._active = True
            log.info("speech started")
            self.active_changed.emit(True)
        self._page = None
        self._focus = None
        self._refresh()

    def stop(self) -> None:
        """Speech off (the visit ended): silence, and volume and rate back to where each visit starts."""
        self._queue.clear()
        if self._speaker is not None:
            self._speaker.stop()
            self._speaker.set_volume(self._volume)
            self._speaker.set_rate(self._rate)
        if self._active:
            self._active = False
            log.info("speech stopped")
            self.active_changed.emit(False)
        self._hide_note()

    def help(self) -> None:
        """Help: start speech if it is off; else say the current prompt again (on the done page: the tracking number
        one character at a time)."""
        if not self._active:
            self.start()
            return
        page = self._window.current_page()
        spelled = self._spelled_numbers(page)
        if spelled:
            self._say(spelled)
        else:
            self._say([" ".join(self._prompt), *self._focus_text(self._focused())])

    def interrupt(self) -> None:
        """Any key: silence now. What the key does (a move, a press) is looked at once it is done, and said."""
        self._queue.clear()
        if self._speaker is not None:
            self._speaker.stop()
        self._schedule()

    def volume_up(self) -> None:
        if self._speaker is not None:
            self._speaker.volume_up()

    def volume_down(self) -> None:
        if self._speaker is not None:
            self._speaker.volume_down()

    def rate_up(self) -> None:
        if self._speaker is not None:
            self._speaker.rate_up()

    def rate_down(self) -> None:
        if self._speaker is not None:
            self._speaker.rate_down()

    # -- watching the window -----------------------------------------------------------------------------------------

    def _pages_changed(self, *_: object) -> None:
        # The wizard and the look-up pages are built on first use: follow their own page changes once they exist.
        pages = self._window.pages
        for index in range(pages.count()):
            holder = pages.widget(index)
            if id(holder) in self._connected:
                continue
            if isinstance(holder, QWizard):
                holder.currentIdChanged.connect(self._schedule)
                self._connected.add(id(holder))
            elif isinstance(holder, QStackedWidget):
                holder.currentChanged.connect(self._schedule)
                self._connected.add(id(holder))
        if self._active and pages.currentWidget() is self._window.welcome_holder and self._page is not None \
                and self._page is not self._window.welcome_page:
            self.stop()  # back on the welcome page: the visit is over
        self._schedule()

    def _language_changed(self, _code: str) -> None:
        self._page = None  # the page is said again, in the new language
        self._schedule()

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and new.window() is self._window:
            self._schedule()

    def _schedule(self, *_: object) -> None:
        """One look at the window once the events of this moment are done (a page change moves the focus too)."""
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self._refresh)

    def _refresh(self) -> None:
        self._pending = False
        focused = self._focused()
        page = self._overlay_of(focused) or self._window.current_page()
        language = self._window.switcher.language
        if page is not self._watched_page:
            self._watched_page = page
            self._problems.watch(page)  # a problem that appears without the focus moving is caught too
        problems = self._new_problems(page)
        if not self._active:
            return
        said: list[str] = []
        if page is not self._page or language != self._language:
            self._page, self._language = page, language
            self._prompt = page_prompt(page) + self._numbers_prompt(page)
            said.append(" ".join(self._prompt))  # one utterance: Help says it again as it is
            self._focus = None
        said += problems
        if focused is not self._focus:
            self._focus = focused
            said += self._focus_text(focused)
        if said:
            self._say(said)

    def _overlay_of(self, focused: QWidget | None) -> QWidget | None:
        """The card over the page that holds the focus ("Are you still there?", "Start over?"): said as a page, its
        heading and its message, when it opens (ui/idle.py)."""
        widget = focused
        while widget is not None and widget is not self._window:
            if isinstance(getattr(widget, "card", None), QWidget) and isinstance(getattr(widget, "heading", None),
                                                                              QLabel):
                return widget
            widget = widget.parentWidget()
        return None

    def _new_problems(self, page: QWidget) -> list[str]:
        """Problem lines shown since the last look: announced to screen readers, and returned to be said."""
        shown = visible_problems(page)
        current = {(id(label), label.text()) for label in shown}
        new = [label for label in shown if (id(label), label.text()) not in self._heard_problems]
        self._heard_problems = current
        for label in new:
            announce_problem(label, label.text())
        return [label.text() for label in new]

    def _focused(self) -> QWidget | None:
        # The window's own focus widget: what its keys go to, also while the window is not the active one.
        focused = self._window.focusWidget()
        if focused is None or not focused.isVisible():
            return None
        return focused

    # -- words -------------------------------------------------------------------------------------------------------

    def _texts(self) -> Translation:
        return self._window.switcher.catalogues.get(self._window.switcher.language)

    def _focus_text(self, widget: QWidget | None) -> list[str]:
        """The focused control with its state; nothing for a page or a label holding the focus."""
        if widget is None:
            return []
        texts = self._texts()
        label = _label_of(widget)
        if isinstance(widget, QAbstractButton):
            if not label:
                return []
            group = widget.group()
            if group is not None and widget.isCheckable():
                buttons = [button for button in group.buttons() if button.isVisibleTo(widget.window())]
                position = buttons.index(widget) + 1 if widget in buttons else 1
                return [choice_description(texts, label, selected=widget.isChecked(), position=position,
                                           count=len(buttons))]
            if widget.isCheckable():
                return [choice_description(texts, label, selected=widget.isChecked(), position=1, count=1)]
            return [button_description(texts, label)]
        if isinstance(widget, QLineEdit):
            hidden = widget.echoMode() != QLineEdit.EchoMode.Normal
            return [text_field_description(texts, label, widget.text(),
                                           private_listening=self._private_listening and not hidden)]
        if isinstance(widget, QPlainTextEdit):
            return [text_field_description(texts, label, widget.toPlainText(),
                                           private_listening=self._private_listening)]
        if isinstance(widget, QLabel) and widget.property("role") == "error":
            return []  # a page-level problem holding the focus: said as a problem already
        if label and widget.focusPolicy() != Qt.FocusPolicy.NoFocus and not widget.inherits("QWizardPage") \
                and widget is not self._window and self._overlay_of(widget) is None:
            return [label]
        return []

    def _numbers_prompt(self, page: QWidget) -> list[str]:
        """The done page: the tracking number as shown, and how to hear it one character at a time."""
        tracking = getattr(page, "tracking_label", None)
        if not isinstance(tracking, QLabel) or not tracking.text():
            return []
        caption = getattr(page, "tracking_caption", None)
        said = [caption.text()] if isinstance(caption, QLabel) else []
        # Translators: spoken aloud on the last page, after the tracking number.
        hint = self._texts().gettext("Press Help to hear your tracking number one character at a time.")
        return [*said, tracking.text(), hint]

    def _spelled_numbers(self, page: QWidget) -> list[str]:
        """Help on the done page: the tracking number one character at a time, and the access code too with private
        listening only (with the tracking number it opens the report's status and messages: not for the lobby)."""
        said: list[str] = []
        numbers = [("tracking_caption", "tracking_label")]
        if self._private_listening:
            numbers.append(("access_caption", "access_label"))
        for caption_name, label_name in numbers:
            caption, label = getattr(page, caption_name, None), getattr(page, label_name, None)
            if isinstance(label, QLabel) and label.text():
                if isinstance(caption, QLabel):
                    said.append(caption.text())
                said.append(spell(label.text()))
        return said

    # -- speaking ----------------------------------------------------------------------------------------------------

    def _say(self, texts: list[str]) -> None:
        """Say ``texts`` one after the other, interrupting what is being said."""
        speaker = self._speaker
        if speaker is None or not texts:
            return
        self._queue = [text for text in texts[1:] if text.strip()]
        speaker.say(texts[0], self._window.switcher.language)

    def _next_in_queue(self) -> None:
        if self._queue and self._active and self._speaker is not None:
            self._speaker.say(self._queue.pop(0), self._window.switcher.language)

    def _timed_out(self, _language: str) -> None:
        self._queue.clear()
        self._show_note()

    def _silenced(self, _reason: str) -> None:
        self._queue.clear()
        self._show_note()

    def _show_note(self) -> None:
        """The page shows that reading aloud stopped, and keeps working."""
        if self._note is None:
            note = text_label("speech_stopped_note_label", "notice")
            note.setParent(self._window)
            note.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            note.setAutoFillBackground(True)
            self._note = note
        note = self._note
        note.setText(speech_stopped_note(self._texts()))
        width = min(self._window.width() - 2 * NOTE_MARGIN, 1040)
        note.setFixedWidth(max(width, 100))
        note.adjustSize()
        # Above the page's row of buttons (Next, Submit...), never over them, nor over the page's heading.
        note.move((self._window.width() - note.width()) // 2, self._buttons_top() - note.height() - NOTE_MARGIN)
        note.show()
        note.raise_()
        self._note_timer.start()
        announce(note, note.text())

    def _buttons_top(self) -> int:
        """Where the current page's row of buttons begins (the window's bottom edge when it has none)."""
        page = self._window.current_page()
        buttons: list[QWidget] = []
        bar = getattr(page, "button_bar", None)  # a "Check a report" page's bar
        if isinstance(bar, QWidget):
            buttons.append(bar)
        if isinstance(page, QWizardPage) and page.wizard() is not None:
            wizard = page.wizard()
            buttons += [wizard.button(which) for which in (
                QWizard.WizardButton.BackButton, QWizard.WizardButton.NextButton,
                QWizard.WizardButton.CommitButton, QWizard.WizardButton.FinishButton,
                QWizard.WizardButton.CustomButton1)]
        tops = [button.mapTo(self._window, button.rect().topLeft()).y() for button in buttons if button.isVisible()]
        return min(tops, default=self._window.height())

    def _hide_note(self) -> None:
        if self._note is not None:
            self._note.hide()

    @property
    def note(self) -> QLabel | None:
        """The "reading aloud has stopped" note, once shown (None before)."""
        return self._note


def spell(code: str) -> str:
    """A number or code one character at a time: "T-2601" -> "T, 2, 6, 0, 1" (the dashes are not said)."""
    return ", ".join(character for character in code if character.isalnum())
