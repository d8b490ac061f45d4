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
- A missing or failing engine never raises into the caller: it is logged once, and the Speaker is silent from then
  on (:attr:`Speaker.silent`, :attr:`Speaker.silent_reason`).
- :attr:`Speaker.spoken` is the log of what was said (when, in which language, which text, when its first word was
  heard): what the tests read, and the page-shown → first-word figure.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from PySide6.QtCore import QLocale, QObject, QTimer, Signal
from PySide6.QtTextToSpeech import QTextToSpeech

from kiosk.translation import cldr_locale

log = logging.getLogger(__name__)

LOBBY_ENGINE = "speechd"  # speech-dispatcher (espeak-ng voices, English and Spanish among them)
TEST_ENGINE = "mock"  # Qt's own engine without sound: Speaking, one word every 100 ms, then Ready

VOLUME_STEP = 0.1  # of 0.0 (silent) .. 1.0 (loudest)
RATE_STEP = 0.2  # of -1.0 (slowest) .. 1.0 (fastest); 0.0 is the engine's normal pace
LOWEST_VOLUME = 0.1  # volume down stops here: a visitor who turns it down all the way would think speech is broken
TIMEOUT_MS = 4000  # every utterance may take this long, plus PER_CHARACTER_MS for each character
PER_CHARACTER_MS = 150  # espeak-ng at its slowest rate says about 8 characters a second
STALLS_BEFORE_SILENCE = 3  # utterances in a row that did not finish in time before the Speaker gives up


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


class Speaker(QObject):
    """Says finished texts in a page's language through one QtTextToSpeech engine, never blocking, never raising.

    ``engine_name`` picks the engine; ``engine`` hands one in instead (a test's stand-in at the boundary).
    ``private_listening`` says the kiosk has a headset: only then may what a visitor typed be spoken
    (:func:`ui.speech_texts.text_field_description`). ``clock`` is where the log's times come from."""

    timed_out = Signal(str)  # the language of an utterance that did not finish in time (and was stopped)
    silenced = Signal(str)  # why the Speaker went silent for good
    finished = Signal()  # the current utterance was said to its end

    def __init__(self, engine_name: str = LOBBY_ENGINE, *, engine: QTextToSpeech | None = None,
                 private_listening: bool = False, timeout_ms: int = TIMEOUT_MS,
                 per_character_ms: int = PER_CHARACTER_MS, stalls_before_silence: int = STALLS_BEFORE_SILENCE,
                 clock: Callable[[], float] = time.monotonic, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._timeout_ms = timeout_ms
        self._per_character_ms = per_character_ms
        self._stalls_before_silence = stalls_before_silence
        self._private_listening = private_listening
        self._silent_reason = ""
        self._stalls = 0
        self._in_say = False
        self._volume = 1.0
        self._rate = 0.0
        self._spoken: list[SpokenLine] = []
        self._current: int | None = None  # index in _spoken of the utterance being said
        self._locales: dict[str, QLocale | None] = {}  # language -> the engine locale chosen for it
        self._engine_locale = ""
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.timeout.connect(self._stalled)
        self._engine = engine if engine is not None else self._open(engine_name)
        if self._engine is not None:
            self._engine.stateChanged.connect(self._state_changed)
            self._engine.sayingWord.connect(self._word)
            self._engine.errorOccurred.connect(self._error)
            if self._engine.state() == QTextToSpeech.State.Error:
                self._go_silent(f"the speech engine {engine_name!r} could not start: {self._engine.errorString()}")
            else:
                self._volume = self._engine.volume()
                self._rate = self._engine.rate()
                self._engine_locale = self._engine.locale().name()

    def _open(self, engine_name: str) -> QTextToSpeech | None:
        # Asked first: Qt prints a critical message for an engine it has no plug-in for.
        if engine_name not in QTextToSpeech.availableEngines():
            self._go_silent(f"no speech engine called {engine_name!r} "
                            f"(this Qt has: {', '.join(QTextToSpeech.availableEngines()) or 'none'})")
            return None
        try:
            return QTextToSpeech(engine_name, self)
        except Exception as error:  # an engine that fails in any way leaves the kiosk silent
            self._go_silent(f"the speech engine {engine_name!r} failed to start: {error}")
            return None

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
        if self._engine is None or self.silent or not text.strip():
            return
        locale = self._locale_for(language)
        try:
            if locale is not None and locale.name() != self._engine_locale:
                self._engine.setLocale(locale)
                self._engine_locale = locale.name()
            self._spoken.append(SpokenLine(self._clock(), language, text, locale.name() if locale else ""))
            self._current = len(self._spoken) - 1
            self._deadline.start(self._timeout_ms + self._per_character_ms * len(text))
            self._in_say = True  # an engine may report the interrupted utterance's end while it starts this one
            try:
                self._engine.say(text)
            finally:
                self._in_say = False
        except Exception as error:  # a failing engine must not take the page with it
            self._go_silent(f"the speech engine failed while speaking: {error}")

    def repeat(self) -> None:
        """Say the last prompt again, in its language (Help)."""
        if self._spoken:
            last = self._spoken[-1]
            self.say(last.text, last.language)

    def stop(self) -> None:
        """Silence now (any key interrupts)."""
        self._deadline.stop()
        self._current = None
        if self._engine is not None and not self.silent:
            try:
                self._engine.stop()
            except Exception as error:
                self._go_silent(f"the speech engine failed to stop: {error}")

    def set_volume(self, volume: float) -> float:
        """Where a visit starts (``[speech] volume_percent``): 0.1 (quiet, never silent) .. 1.0."""
        return self._set_volume(volume)

    def set_rate(self, rate: float) -> float:
        """Where a visit starts (``[speech] rate_percent``): -1.0 (slowest) .. 1.0 (fastest), 0 the engine's own."""
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
        if self._engine is not None and not self.silent:
            self._engine.setVolume(self._volume)
        return self._volume

    def _set_rate(self, rate: float) -> float:
        self._rate = round(min(1.0, max(-1.0, rate)), 2)
        if self._engine is not None and not self.silent:
            self._engine.setRate(self._rate)
        return self._rate

    def _locale_for(self, language: str) -> QLocale | None:
        """The engine's locale closest to the language's CLDR locale: the same one, else the same language in another
        territory (the engine's own default for it first). None when the engine speaks no such language."""
        if language in self._locales:
            return self._locales[language]
        chosen: QLocale | None = None
        if self._engine is not None:
            wanted = QLocale(cldr_locale(language))
            available = self._engine.availableLocales()
            same_language = [locale for locale in available if locale.language() == wanted.language()]
            exact = [locale for locale in same_language if locale.territory() == wanted.territory()]
            default = [locale for locale in same_language if locale.name() == QLocale(wanted.language()).name()]
            for candidates in (exact, default, same_language):
                if candidates:
                    chosen = candidates[0]
                    break
            if chosen is None:
                log.warning("the speech engine has no voice for language %s; it is spoken in the engine's default "
                            "voice", language)
        self._locales[language] = chosen
        return chosen

    def _word(self, *_: object) -> None:
        self._mark_started()

    def _state_changed(self, state: QTextToSpeech.State) -> None:
        if state == QTextToSpeech.State.Speaking:
            if self._engine is not None and not (
                    self._engine.engineCapabilities() & QTextToSpeech.Capability.WordByWordProgress):
                self._mark_started()
        elif state == QTextToSpeech.State.Ready and self._current is not None and not self._in_say:
            self._deadline.stop()
            self._current = None
            self._stalls = 0
            self.finished.emit()

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

    def _error(self, reason: QTextToSpeech.ErrorReason, message: str) -> None:
        self._deadline.stop()
        self._current = None
        self._go_silent(f"the speech engine failed ({reason.name}): {message}")

    def _go_silent(self, reason: str) -> None:
        if self._silent_reason:
            return
        self._silent_reason = reason
        log.warning("speech is off: %s", reason)  # once: nothing is tried again after this
        self.silenced.emit(reason)
