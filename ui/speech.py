"""Speech output (issue 21): the kiosk reads a page's prompt aloud, in the page's language, through QtTextToSpeech.

A :class:`Speaker` wraps one ``QTextToSpeech`` engine, chosen by name: ``"speechd"`` (speech-dispatcher with
espeak-ng) in a lobby, ``"mock"`` (Qt's silent engine, shipped with the PySide6 wheel) in tests. It takes finished
texts, already translated from the catalogue like the screen's (:mod:`ui.speech_texts` builds the descriptions of
controls), and the language of the page they belong to.

- :meth:`Speaker.say` interrupts whatever is being said; :meth:`Speaker.repeat` says the current prompt again (Help);
  :meth:`Speaker.stop` is silence (any key).
- Volume and rate go up and down in steps, by key.
- Every utterance has a time limit: with no sound device speechd stays "Speaking" forever (docs/accessibility.md),
  so speech that has not finished in time is stopped and :attr:`Speaker.timed_out` fires (the page shows a note).
  After a few such stalls in a row the Speaker goes silent.
- The engine lives on a thread of its own (a Speaker made by engine name or factory): speech-dispatcher's client
  blocks for as long as its daemon does, and with no sound device a stop() never returned (docs/accessibility.md).
  The page's thread only posts requests to it, so a stuck engine costs a silent kiosk, never a frozen one.
- A missing or failing engine never raises into the caller: it is logged once, and the Speaker is silent from then
  on (:attr:`Speaker.silent`, :attr:`Speaker.silent_reason`).
- :attr:`Speaker.spoken` is the log of what was said (when, in which language, which text, when its first word was
  heard): what the tests read, and the page-shown → first-word figure.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import shiboken6
from PySide6.QtCore import (
    Q_ARG,
    SIGNAL,
    SLOT,
    QCoreApplication,
    QLocale,
    QMetaObject,
    QObject,
    Qt,
    QThread,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtTextToSpeech import QTextToSpeech

from kiosk.speech_voices import choose_voice

log = logging.getLogger(__name__)

LOBBY_ENGINE = "speechd"  # speech-dispatcher (espeak-ng voices, English and Spanish among them)
TEST_ENGINE = "mock"  # Qt's own engine without sound: Speaking, one word every 100 ms, then Ready

VOLUME_STEP = 0.1  # of 0.0 (silent) .. 1.0 (loudest)
RATE_STEP = 0.2  # of -1.0 (slowest) .. 1.0 (fastest); 0.0 is the engine's normal pace
LOWEST_VOLUME = 0.1  # volume down stops here: a visitor who turns it down all the way would think speech is broken
TIMEOUT_MS = 4000  # every utterance may take this long, plus PER_CHARACTER_MS for each character
PER_CHARACTER_MS = 150  # espeak-ng at its slowest rate says about 8 characters a second
STALLS_BEFORE_SILENCE = 3  # utterances in a row that did not finish in time before the Speaker gives up
OPEN_TIMEOUT_S = 6.0  # the engine's start (speech-dispatcher's daemon: ~2 s) may take this long, else it is silent
THREAD_EXIT_MS = 1000  # how long a Speaker going away waits for its speech thread to end


@dataclass(frozen=True)
class SpokenLine:
    """One utterance: ``time`` when it was asked for (the Speaker's clock, seconds), the page's ``language``, the
    ``text``, the engine locale it was spoken in (``""`` when the engine has no voice for the language), and
    ``first_word`` when the engine said it began (None until then; the engine's "Speaking" when it reports no
    words)."""

    time: float
    language: str
    text: str
    locale: str
    first_word: float | None = None



@dataclass(frozen=True)
class EngineInfo:
    """What the Speaker needs to know of an engine, read once on its own thread when it is opened."""

    error: str  # "" when the engine is usable
    locales: tuple[QLocale, ...] = ()
    locale: str = ""
    volume: float = 1.0
    rate: float = 0.0
    word_by_word: bool = False


class EngineHost(QObject):
    """Owns the QTextToSpeech engine and makes every call to it, on the thread it lives on (the speech thread, or the
    caller's own for an engine handed in). Each utterance has a number; what the engine reports is passed on with the
    number of the utterance it is about, so a late report about an interrupted one is not taken for the new one's."""

    state = Signal(int, object)  # utterance number, QTextToSpeech.State
    word = Signal(int)  # utterance number: a word of it is being said
    failed = Signal(str)  # why the engine cannot go on
    ready = Signal()  # open() has ended (made or not: see info), for a Speaker that does not wait for it

    def __init__(self, make_engine: Callable[[], QTextToSpeech], *, forward: bool = True,
                 switch_to: str | None = None) -> None:
        """``switch_to``: after ``make_engine`` (a quick engine), change it to this engine by a queued call to its
        C++ ``setEngine`` slot, so that a slow engine start (speech-dispatcher's daemon) runs with no Python on the
        stack: a Python call blocked in it would hold the interpreter's lock, and the page's thread with it."""
        super().__init__()
        self._make_engine = make_engine
        self._switch_to = switch_to
        self._forward = forward  # pass the engine's reports on (False: the Speaker listens to the engine itself)
        self._engine: QTextToSpeech | None = None
        self._current = 0
        self._previous = 0
        self._saying = False
        self._locale = ""
        self.info = EngineInfo("not opened")
        self.opened = threading.Event()

    @Slot()
    def open(self) -> None:
        if self._switch_to is not None:
            try:
                self._engine = self._make_engine()
                self._engine.setParent(self)
                QMetaObject.invokeMethod(self._engine, "setEngine", Qt.ConnectionType.QueuedConnection,
                                         Q_ARG(str, self._switch_to))
                QMetaObject.invokeMethod(self, "switched", Qt.ConnectionType.QueuedConnection)  # after it, in order
                return
            except Exception as error:
                self.info = EngineInfo(f"failed to start: {error}")
                self.opened.set()
                self.ready.emit()
                return
        self._take(self._make_engine)

    @Slot()
    def switched(self) -> None:
        """The queued ``setEngine`` has returned: take the engine as it is now."""
        engine, self._engine = self._engine, None
        if engine is None:
            return
        self._take(lambda: engine)

    def _take(self, make_engine: Callable[[], QTextToSpeech]) -> None:
        try:
            engine = make_engine()
            if engine.state() == QTextToSpeech.State.Error or (
                    self._switch_to is not None and engine.engine() != self._switch_to):
                self.info = EngineInfo(f"could not start: {engine.errorString()}")
            else:
                engine.setParent(self)  # made on this thread: deleted with the host, on it
                self._engine = engine
                if self._forward:
                    engine.stateChanged.connect(self._state_changed)
                    engine.sayingWord.connect(lambda *_: self.word.emit(self._current))
                    engine.errorOccurred.connect(lambda reason, message: self.failed.emit(
                        f"the speech engine failed ({reason.name}): {message}"))
                self._locale = engine.locale().name()
                self.info = EngineInfo("", tuple(engine.availableLocales()), self._locale, engine.volume(),
                                       engine.rate(), bool(engine.engineCapabilities()
                                                           & QTextToSpeech.Capability.WordByWordProgress))
        except Exception as error:  # an engine that fails in any way leaves the kiosk silent
            self.info = EngineInfo(f"failed to start: {error}")
        self.opened.set()
        self.ready.emit()

    @property
    def engine(self) -> QTextToSpeech | None:
        return self._engine

    def _state_changed(self, state: QTextToSpeech.State) -> None:
        # An engine may report the interrupted utterance's end while it starts the next one.
        about = self._previous if self._saying and state == QTextToSpeech.State.Ready else self._current
        self.state.emit(about, state)

    @Slot(int, str, str)
    def say(self, number: int, text: str, locale: str) -> None:
        if self._engine is None:
            return
        self._previous, self._current = self._current, number
        try:
            if locale and locale != self._locale:
                self._engine.setLocale(QLocale(locale))
                self._locale = locale
            self._saying = True
            try:
                self._engine.say(text)
            finally:
                self._saying = False
        except Exception as error:  # a failing engine must not take the page with it
            self.failed.emit(f"the speech engine failed while speaking: {error}")

    @Slot()
    def stop(self) -> None:
        if self._engine is None:
            return
        try:
            self._engine.stop()
        except Exception as error:
            self.failed.emit(f"the speech engine failed to stop: {error}")

    @Slot(float)
    def set_volume(self, volume: float) -> None:
        if self._engine is not None:
            self._engine.setVolume(volume)

    @Slot(float)
    def set_rate(self, rate: float) -> None:
        if self._engine is not None:
            self._engine.setRate(rate)


# Speech threads still running (a stuck engine's), each with the host of its engine: kept, so that no QThread is
# destroyed while it runs and no host is deleted from another thread than its own.
_THREADS: dict[QThread, EngineHost] = {}


@atexit.register
def _end_threads() -> None:
    """At exit, every speech thread still running is ended first: Qt aborts on a QThread destroyed while it runs."""
    for thread in list(_THREADS):
        _end_thread(thread, at_exit=True)


def _end_thread(thread: QThread, *, at_exit: bool = False) -> None:
    if not shiboken6.isValid(thread):
        _THREADS.pop(thread, None)
        return
    host = _THREADS.get(thread)
    if host is not None and shiboken6.isValid(host):
        host.deleteLater()  # with its engine, on its own thread as the thread ends: their timers are that thread's
    thread.quit()
    if thread.wait(THREAD_EXIT_MS):
        _THREADS.pop(thread, None)
    elif at_exit:  # a stuck engine's thread would hold the process at its end: the process is going anyway
        log.warning("the speech thread did not end (its engine is stuck); terminated at exit")
        thread.terminate()
        thread.wait(THREAD_EXIT_MS)
    else:
        log.warning("the speech thread did not end (its engine is stuck); left behind")


class Speaker(QObject):
    """Says finished texts in a page's language through one QtTextToSpeech engine, never blocking, never raising.

    ``engine_name`` picks the engine, made and used on a thread of its own; ``engine_factory`` makes it there instead
    (a test's stand-in at the boundary); ``engine`` hands one in that is used on the caller's thread (a test's
    stand-in whose calls return). ``private_listening`` says the kiosk has a headset: only then may what a visitor
    typed be spoken (:func:`ui.speech_texts.text_field_description`). ``clock`` is where the log's times come from."""

    timed_out = Signal(str)  # the language of an utterance that did not finish in time (and was stopped)
    silenced = Signal(str)  # why the Speaker went silent for good
    finished = Signal()  # the current utterance was said to its end
    _ask_say = Signal(int, str, str)
    _ask_stop = Signal()
    _ask_volume = Signal(float)
    _ask_rate = Signal(float)
    # To an engine on the speech thread, queued straight to its C++ slots: no Python runs on that thread, so an engine
    # call that blocks there holds no lock the page's thread needs (a Python slot would hold the interpreter's).
    _engine_say = Signal(str)
    _engine_stop = Signal()
    _engine_locale = Signal(QLocale)

    def __init__(self, engine_name: str = LOBBY_ENGINE, *, engine: QTextToSpeech | None = None,
                 engine_factory: Callable[[], QTextToSpeech] | None = None,
                 private_listening: bool = False, timeout_ms: int = TIMEOUT_MS,
                 per_character_ms: int = PER_CHARACTER_MS, stalls_before_silence: int = STALLS_BEFORE_SILENCE,
                 clock: Callable[[], float] = time.monotonic, wait_for_engine: bool = True,
                 open_timeout_s: float = OPEN_TIMEOUT_S, parent: QObject | None = None) -> None:
        """``wait_for_engine=False`` (the running kiosk): the engine is made on its thread while the page goes on, so a
        speech-dispatcher that is slow to start (or never does) cannot hold the page; what is asked to be said before
        it is ready waits for it (the latest only), and after ``open_timeout_s`` without an engine it is silent."""
        super().__init__(parent)
        self._clock = clock
        self._timeout_ms = timeout_ms
        self._per_character_ms = per_character_ms
        self._stalls_before_silence = stalls_before_silence
        self._private_listening = private_listening
        self._silent_reason = ""
        self._stalls = 0
        self._volume = 1.0
        self._rate = 0.0
        self._spoken: list[SpokenLine] = []
        self._current: int | None = None  # index in _spoken of the utterance being said
        self._number = 0  # the last utterance's number (EngineHost)
        self._locales: dict[str, QLocale | None] = {}  # language -> the engine locale chosen for it
        self._info = EngineInfo("no engine")
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.timeout.connect(self._stalled)
        self._host: EngineHost | None = None  # an engine handed in, called on this thread
        self._threaded: QTextToSpeech | None = None  # an engine on the speech thread, reached through queued calls
        self._threaded_info = EngineInfo("no engine")
        self._threaded_locale = ""
        self._started = False  # the threaded engine has said it is speaking the current utterance
        self._engine_name = engine_name
        self._opening: EngineHost | None = None  # an engine being made on its thread, not waited for
        self._waiting: tuple[str, str] | None = None  # (text, language) asked for while the engine was being made
        self._open_timer: QTimer | None = None
        self._open_timeout_s = open_timeout_s
        self._asked: dict[str, float] = {}  # volume and rate set while the engine was being made
        if engine is not None:
            self._host = self._connect(EngineHost(lambda: engine))
            self._host.setParent(self)
            self._host.open()
        elif engine_factory is not None or self._has_engine(engine_name):
            factory = engine_factory or (lambda: QTextToSpeech(engine_name))
            if wait_for_engine:
                self._threaded = self._open_on_thread(factory)
                self._take_threaded_info()
            elif engine_factory is not None:
                self._start_opening(engine_factory)
            else:  # a quick engine first, then the named one by a queued C++ call (see EngineHost)
                self._start_opening(lambda: QTextToSpeech(TEST_ENGINE), switch_to=engine_name)
        if self._host is not None:
            self._info = self._host.info
            if self._info.error:
                self._go_silent(f"the speech engine {engine_name!r} {self._info.error}")
            else:
                self._volume = self._info.volume
                self._rate = self._info.rate

    def _take_threaded_info(self) -> None:
        if self._threaded is None and not self._threaded_info.error:
            return
        self._info = self._threaded_info
        if self._info.error:
            self._go_silent(f"the speech engine {self._engine_name!r} {self._info.error}")
        else:
            self._volume = self._info.volume
            self._rate = self._info.rate

    def _has_engine(self, engine_name: str) -> bool:
        # Asked first: Qt prints a critical message for an engine it has no plug-in for.
        if engine_name in QTextToSpeech.availableEngines():
            return True
        self._go_silent(f"no speech engine called {engine_name!r} "
                        f"(this Qt has: {', '.join(QTextToSpeech.availableEngines()) or 'none'})")
        return False

    def _connect(self, host: EngineHost) -> EngineHost:
        host.state.connect(self._state_changed)
        host.word.connect(self._word)
        host.failed.connect(self._failed)
        self._ask_say.connect(host.say)
        self._ask_stop.connect(host.stop)
        self._ask_volume.connect(host.set_volume)
        self._ask_rate.connect(host.set_rate)
        return host

    def _open_on_thread(self, factory: Callable[[], QTextToSpeech]) -> QTextToSpeech | None:
        """Make the engine on a speech thread of its own (its plug-in's objects live there too) and reach it only
        through queued calls to its C++ slots. Waits for it to be made (speech-dispatcher: ~2 s, which is why the
        window makes its Speaker after the first paint)."""
        host = self._run_host(EngineHost(factory, forward=False))
        if not host.opened.wait(OPEN_TIMEOUT_S):
            self._threaded_info = EngineInfo(f"did not start within {OPEN_TIMEOUT_S:.0f} s")
            return None
        return self._use_engine_of(host)

    def _start_opening(self, factory: Callable[[], QTextToSpeech], switch_to: str | None = None) -> None:
        """Make the engine on its thread without waiting: :meth:`_opened` takes it when it is made."""
        host = EngineHost(factory, forward=False, switch_to=switch_to)
        host.ready.connect(self._opened, Qt.ConnectionType.QueuedConnection)
        self._opening = host
        self._run_host(host)
        self._open_timer = QTimer(self)
        self._open_timer.setSingleShot(True)
        self._open_timer.timeout.connect(self._open_timed_out)
        self._open_timer.start(int(self._open_timeout_s * 1000))

    def _run_host(self, host: EngineHost) -> EngineHost:
        """Start ``host`` on a speech thread of its own, which opens its engine there. When this Speaker goes, or the
        application quits, the thread ends (or, stuck, is left running rather than destroyed while it runs)."""
        thread = QThread()
        thread.setObjectName("speech")
        _THREADS[thread] = host
        host.moveToThread(thread)
        thread.started.connect(host.open)
        thread.start()
        self.destroyed.connect(lambda *_: _end_thread(thread))
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(lambda: _end_thread(thread, at_exit=True))
        return host

    @Slot()
    def _opened(self) -> None:
        host, self._opening = self._opening, None
        if host is None or self.silent:
            return  # timed out meanwhile: it stays silent
        if self._open_timer is not None:
            self._open_timer.stop()
        self._threaded = self._use_engine_of(host)
        self._take_threaded_info()
        asked, self._asked = self._asked, {}
        if "volume" in asked:
            self._set_volume(asked["volume"])
        if "rate" in asked:
            self._set_rate(asked["rate"])
        waiting, self._waiting = self._waiting, None
        if waiting is not None and self._threaded is not None and not self.silent:
            self.say(*waiting)

    def _open_timed_out(self) -> None:
        if self._opening is not None:
            self._opening = None
            self._waiting = None
            self._go_silent(f"the speech engine {self._engine_name!r} did not start within "
                            f"{self._open_timeout_s:g} s")

    def _use_engine_of(self, host: EngineHost) -> QTextToSpeech | None:
        self._threaded_info = host.info
        engine = host.engine
        if engine is None:
            return None
        # By signature, to the C++ slots: a connection to ``engine.say`` would run a Python wrapper on this thread.
        queued = Qt.ConnectionType.QueuedConnection
        for signal, slot in (("_engine_say(QString)", "say(QString)"), ("_engine_stop()", "stop()"),
                             ("_engine_locale(QLocale)", "setLocale(QLocale)"),
                             ("_ask_volume(double)", "setVolume(double)"), ("_ask_rate(double)", "setRate(double)")):
            if not QObject.connect(self, SIGNAL(signal), engine, SLOT(slot), queued):
                raise RuntimeError(f"cannot connect {signal} to the speech engine's {slot}")
        engine.stateChanged.connect(self._threaded_state)
        engine.sayingWord.connect(self._threaded_word)
        engine.errorOccurred.connect(self._threaded_error)
        self._threaded_locale = self._threaded_info.locale
        return engine

    def _threaded_state(self, state: QTextToSpeech.State) -> None:
        if state == QTextToSpeech.State.Speaking:
            self._started = True
        elif state == QTextToSpeech.State.Ready and not self._started:
            return  # the end of an utterance interrupted since: the current one has not begun yet
        self._state_changed(self._number, state)

    def _threaded_word(self, *_: object) -> None:
        self._started = True
        self._word(self._number)

    def _threaded_error(self, reason: QTextToSpeech.ErrorReason, message: str) -> None:
        self._failed(f"the speech engine failed ({reason.name}): {message}")

    # What the caller reads

    @property
    def silent(self) -> bool:
        """True when the engine is missing, failed, or stalled too often: nothing will be spoken."""
        return bool(self._silent_reason)

    @property
    def silent_reason(self) -> str:
        return self._silent_reason

    @property
    def private_listening(self) -> bool:
        return self._private_listening

    @property
    def speaking(self) -> bool:
        return self._current is not None

    @property
    def spoken(self) -> tuple[SpokenLine, ...]:
        return tuple(self._spoken)

    @property
    def volume(self) -> float:
        return self._volume

    @property
    def rate(self) -> float:
        return self._rate

    def locale_for(self, language: str) -> str:
        """The engine locale ``language`` is spoken in (``""``: the engine has no voice for it, or no engine)."""
        chosen = self._locale_for(language)
        return chosen.name() if chosen is not None else ""

    # What the caller does

    def say(self, text: str, language: str) -> None:
        """Say ``text`` (already in ``language``), interrupting whatever is being said."""
        if self._opening is not None and not self.silent and text.strip():
            self._waiting = (text, language)  # said once the engine is made (the latest wins, as an interruption)
            return
        if (self._host is None and self._threaded is None) or self.silent or not text.strip():
            return
        locale = self._locale_for(language)
        self._spoken.append(SpokenLine(self._clock(), language, text, locale.name() if locale else ""))
        self._current = len(self._spoken) - 1
        self._number += 1
        self._deadline.start(self._timeout_ms + self._per_character_ms * len(text))
        if self._threaded is not None:
            self._started = False
            if locale is not None and locale.name() != self._threaded_locale:
                self._threaded_locale = locale.name()
                self._engine_locale.emit(locale)
            self._engine_say.emit(text)
            return
        self._ask_say.emit(self._number, text, locale.name() if locale is not None else "")

    def repeat(self) -> None:
        """Say the last prompt again, in its language (Help)."""
        if self._spoken:
            last = self._spoken[-1]
            self.say(last.text, last.language)

    def stop(self) -> None:
        """Silence now (any key interrupts)."""
        self._deadline.stop()
        self._current = None
        self._waiting = None
        if self.silent:
            return
        if self._threaded is not None:
            self._engine_stop.emit()
        elif self._host is not None:
            self._ask_stop.emit()

    def set_volume(self, volume: float) -> float:
        """Where a visit starts (``[speech] volume_percent``): 0.1 (quiet, never silent) .. 1.0."""
        if self._opening is not None:
            self._asked["volume"] = volume
        return self._set_volume(volume)

    def set_rate(self, rate: float) -> float:
        """Where a visit starts (``[speech] rate_percent``): -1.0 (slowest) .. 1.0 (fastest), 0 the engine's own."""
        if self._opening is not None:
            self._asked["rate"] = rate
        return self._set_rate(rate)

    def volume_up(self) -> float:
        return self._set_volume(self._volume + VOLUME_STEP)

    def volume_down(self) -> float:
        return self._set_volume(self._volume - VOLUME_STEP)

    def rate_up(self) -> float:
        return self._set_rate(self._rate + RATE_STEP)

    def rate_down(self) -> float:
        return self._set_rate(self._rate - RATE_STEP)

    # Inside

    def _set_volume(self, volume: float) -> float:
        self._volume = round(min(1.0, max(LOWEST_VOLUME, volume)), 2)
        if (self._host is not None or self._threaded is not None) and not self.silent:
            self._ask_volume.emit(self._volume)
        return self._volume

    def _set_rate(self, rate: float) -> float:
        self._rate = round(min(1.0, max(-1.0, rate)), 2)
        if (self._host is not None or self._threaded is not None) and not self.silent:
            self._ask_rate.emit(self._rate)
        return self._rate

    def _locale_for(self, language: str) -> QLocale | None:
        """The engine's locale closest to the language's CLDR locale: the same one, else the same language in another
        territory (the language's likely one first), as kiosk.speech_voices.choose_voice picks it for ``p2c-kiosk
        doctor`` too. None when the engine speaks no such language."""
        if language in self._locales:
            return self._locales[language]
        chosen: QLocale | None = None
        if (self._host is not None or self._threaded is not None) and not self._info.error:
            available = {locale.name(): locale for locale in self._info.locales}  # the choice is the doctor's too
            voice = choose_voice(language, available)
            chosen = available[voice] if voice is not None else None
            if chosen is None:
                log.warning("the speech engine has no voice for language %s; it is spoken in the engine's default "
                            "voice", language)
        self._locales[language] = chosen
        return chosen

    def _word(self, number: int) -> None:
        if number == self._number:
            self._mark_started()

    def _state_changed(self, number: int, state: QTextToSpeech.State) -> None:
        if number != self._number:
            return  # about an utterance interrupted since
        if state == QTextToSpeech.State.Speaking:
            if not self._info.word_by_word:
                self._mark_started()
        elif state == QTextToSpeech.State.Ready and self._current is not None:
            self._deadline.stop()
            self._current = None
            self._stalls = 0
            self.finished.emit()

    def _failed(self, reason: str) -> None:
        self._deadline.stop()
        self._current = None
        self._go_silent(reason)

    def _mark_started(self) -> None:
        if self._current is not None and self._spoken[self._current].first_word is None:
            self._spoken[self._current] = replace(self._spoken[self._current], first_word=self._clock())

    def _stalled(self) -> None:
        if self._current is None:
            return
        language = self._spoken[self._current].language
        self._stalls += 1
        log.warning("speech did not finish in time (%d in a row); stopped", self._stalls)
        self.stop()
        self.timed_out.emit(language)
        if self._stalls >= self._stalls_before_silence:
            self._go_silent(f"speech did not finish in time {self._stalls} times in a row")

    def _go_silent(self, reason: str) -> None:
        if self._silent_reason:
            return
        self._silent_reason = reason
        log.warning("speech is off: %s", reason)  # once: nothing is tried again after this
        self.silenced.emit(reason)
