"""The speech layer (issue 21) with Qt's mock engine, which the PySide6 wheel ships: it speaks no sound, says one word
every 100 ms, then is Ready. A stalled or failing engine is a QTextToSpeech whose say() never finishes or raises,
handed to the Speaker at its boundary."""

from __future__ import annotations

import statistics
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, QThread
from PySide6.QtTextToSpeech import QTextToSpeech

from kiosk.translation import Catalogues
from ui.speech import TEST_ENGINE, Speaker
from ui.speech_texts import button_description, choice_description, speech_stopped_note, text_field_description
from ui.welcome_page import WelcomePage

pytestmark = pytest.mark.gui


class StalledEngine(QTextToSpeech):
    """speechd without a sound device: it starts Speaking and never comes back to Ready."""

    def __init__(self) -> None:
        super().__init__(TEST_ENGINE)
        self.asked: list[str] = []

    def say(self, text: str) -> None:
        self.asked.append(text)
        self.stateChanged.emit(QTextToSpeech.State.Speaking)

    def stop(self, boundary: QTextToSpeech.BoundaryHint = QTextToSpeech.BoundaryHint.Default) -> None:
        pass  # and does not stop either


class BrokenEngine(QTextToSpeech):
    """An engine that fails the moment it is asked to speak."""

    def __init__(self) -> None:
        super().__init__(TEST_ENGINE)

    def say(self, text: str) -> None:
        raise RuntimeError("the audio device went away")


def test_an_engine_made_by_name_or_factory_is_used_on_a_thread_of_its_own(qtbot):
    """speech-dispatcher's stop() never returned with a stuck daemon (no sound device), and froze the page with it.
    The engine now lives on a speech thread and is reached only through queued calls to its C++ slots (no Python on
    that thread, so a call blocked there holds no lock the page needs). Seen with the real engine (docs/
    accessibility.md); here, that the engine is not on the page's thread and still speaks, stops and times out."""
    made: list[QTextToSpeech] = []

    def factory() -> QTextToSpeech:
        made.append(QTextToSpeech(TEST_ENGINE))
        return made[-1]

    speaker = Speaker(engine_factory=factory, clock=time.perf_counter)
    [engine] = made
    assert engine.thread() is not QThread.currentThread()
    assert speaker.locale_for("en") == "en_US" and not speaker.silent
    with qtbot.waitSignal(speaker.finished, timeout=3000):
        speaker.say("one two", "en")
    assert speaker.spoken[0].first_word is not None
    speaker.say("one two three four five six seven eight", "en")
    speaker.stop()
    before = speaker.volume
    assert speaker.volume_down() == pytest.approx(before - 0.1)
    with qtbot.waitSignal(speaker.finished, timeout=3000):
        speaker.say("three four", "en")
    assert [line.text for line in speaker.spoken][-1] == "three four"


def test_a_slow_engine_start_does_not_hold_the_page_and_what_was_asked_meanwhile_is_said(qtbot):
    """The running kiosk does not wait for its engine (``wait_for_engine=False``): speech-dispatcher takes ~2 s to
    start, and a stuck one never does; waiting held the page for up to 6 s (the cage test's watchdog saw a 5 s gap).
    An engine made slowly on its thread: the Speaker is made at once, the page's thread keeps running, and the
    prompt asked for meanwhile is said, at the volume asked for meanwhile, once the engine is there."""

    def slow_factory() -> QTextToSpeech:
        time.sleep(0.8)  # on the speech thread
        return QTextToSpeech(TEST_ENGINE)

    started = time.perf_counter()
    speaker = Speaker(engine_factory=slow_factory, wait_for_engine=False, clock=time.perf_counter)
    speaker.set_volume(0.5)
    speaker.say("one two", "en")
    assert time.perf_counter() - started < 0.4, "the Speaker waited for its engine"
    assert not speaker.silent and speaker.spoken == ()
    with qtbot.waitSignal(speaker.finished, timeout=5000):
        pass
    assert [line.text for line in speaker.spoken] == ["one two"] and speaker.volume == 0.5


def test_an_engine_that_never_starts_leaves_a_silent_speaker_and_the_page_free(qtbot):
    release = threading.Event()

    def stuck_factory() -> QTextToSpeech:
        release.wait(10)  # a speech-dispatcher that never answers
        return QTextToSpeech(TEST_ENGINE)

    started = time.perf_counter()
    speaker = Speaker(engine_factory=stuck_factory, wait_for_engine=False, open_timeout_s=0.5)
    speaker.say("one two", "en")
    assert time.perf_counter() - started < 0.4
    qtbot.waitUntil(lambda: speaker.silent, timeout=3000)
    assert "did not start within 0.5 s" in speaker.silent_reason and speaker.spoken == ()
    release.set()


def test_say_speaks_in_the_page_language_and_logs_it(qtbot):
    speaker = Speaker(TEST_ENGINE)
    assert not speaker.silent
    with qtbot.waitSignal(speaker.finished, timeout=3000):
        speaker.say("Report a non-emergency incident", "en")
    [line] = speaker.spoken
    assert (line.language, line.text, line.locale) == ("en", "Report a non-emergency incident", "en_US")
    assert line.first_word is not None and line.first_word >= line.time
    assert not speaker.speaking


def test_a_new_prompt_interrupts_the_one_being_said_and_help_repeats_the_last(qtbot):
    speaker = Speaker(TEST_ENGINE)
    ends: list[str] = []
    speaker.finished.connect(lambda: ends.append(speaker.spoken[-1].text))
    speaker.say("one two three four five six seven eight", "en")
    qtbot.waitUntil(lambda: speaker.spoken[0].first_word is not None, timeout=2000)
    with qtbot.waitSignal(speaker.finished, timeout=3000):
        speaker.say("Yes, selected, 1 of 2", "en")
    with qtbot.waitSignal(speaker.finished, timeout=3000):
        speaker.repeat()
    assert ends == ["Yes, selected, 1 of 2", "Yes, selected, 1 of 2"]  # the first was cut off, never finished
    assert [line.text for line in speaker.spoken] == [
        "one two three four five six seven eight", "Yes, selected, 1 of 2", "Yes, selected, 1 of 2"]
    times = [line.time for line in speaker.spoken]
    assert times == sorted(times)


def test_stop_silences_at_once(qtbot):
    speaker = Speaker(TEST_ENGINE)
    speaker.say("one two three four five six seven eight", "en")
    assert speaker.speaking
    speaker.stop()
    assert not speaker.speaking
    qtbot.wait(300)
    assert not speaker.speaking


def test_volume_and_rate_move_in_steps_within_their_ranges():
    speaker = Speaker(TEST_ENGINE)
    assert speaker.volume_down() < 1.0
    for _ in range(20):
        speaker.volume_down()
    assert speaker.volume == pytest.approx(0.1)  # never all the way to silence
    for _ in range(20):
        speaker.volume_up()
    assert speaker.volume == 1.0
    assert speaker.rate_up() == pytest.approx(0.2)
    for _ in range(20):
        speaker.rate_down()
    assert speaker.rate == -1.0


def test_a_language_the_engine_has_no_voice_for_is_still_said_and_logged(qtbot):
    speaker = Speaker(TEST_ENGINE)  # the mock engine speaks English, Norwegian and Finnish only
    assert speaker.locale_for("en") == "en_US"
    assert speaker.locale_for("es") == ""
    with qtbot.waitSignal(speaker.finished, timeout=3000):
        speaker.say("Denunciar un incidente", "es")
    assert [(line.language, line.locale) for line in speaker.spoken] == [("es", "")]


def test_a_stalled_engine_does_not_block_and_times_out_then_goes_silent(qtbot):
    engine = StalledEngine()
    speaker = Speaker(engine=engine, timeout_ms=50, per_character_ms=0, stalls_before_silence=2)
    started = time.perf_counter()
    with qtbot.waitSignal(speaker.timed_out, timeout=2000) as timed_out:
        speaker.say("Report a non-emergency incident", "en")
        assert time.perf_counter() - started < 0.5  # say() returned at once (a stalled engine would never return)
    assert timed_out.args == ["en"]
    assert not speaker.speaking and not speaker.silent
    with qtbot.waitSignal(speaker.silenced, timeout=2000):
        speaker.say("Start, button", "en")
    assert speaker.silent and "did not finish in time" in speaker.silent_reason
    speaker.say("Check a report, button", "en")  # nothing more reaches the engine
    assert engine.asked == ["Report a non-emergency incident", "Start, button"]


def test_an_engine_that_fails_while_speaking_leaves_a_silent_speaker(qtbot):
    speaker = Speaker(engine=BrokenEngine())
    with qtbot.waitSignal(speaker.silenced, timeout=1000):
        speaker.say("Start, button", "en")  # does not raise
    assert speaker.silent and "audio device went away" in speaker.silent_reason
    speaker.repeat()
    speaker.stop()


def test_a_missing_engine_gives_a_silent_speaker():
    speaker = Speaker("no-such-engine")
    assert speaker.silent
    assert "no-such-engine" in speaker.silent_reason
    speaker.say("Start, button", "en")
    speaker.repeat()
    speaker.stop()
    assert speaker.volume_up() == 1.0
    assert speaker.spoken == ()
    assert speaker.locale_for("en") == ""


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Yes, selected, 1 of 2", "No, not selected, 2 of 2", "Start, button", "Last name, text field, empty",
                "Last name, text field, filled in", "Last name, text field, Garcia"]),
        ("es", ["Sí, seleccionado, 1 de 2", "No, no seleccionado, 2 de 2", "Comenzar, botón",
                "Apellido, campo de texto, vacío", "Apellido, campo de texto, completado",
                "Apellido, campo de texto, Garcia"]),
    ],
)
def test_control_descriptions_come_from_the_catalogue(translations_dir: Path, language, expected):
    texts = Catalogues(translations_dir).get(language)
    yes, no, start, last_name = (texts.gettext(label) for label in ("Yes", "No", "Start", "Last name"))
    said = [
        choice_description(texts, yes, selected=True, position=1, count=2),
        choice_description(texts, no, selected=False, position=2, count=2),
        button_description(texts, start),
        text_field_description(texts, last_name, "", private_listening=False),
        text_field_description(texts, last_name, "Garcia", private_listening=False),
        text_field_description(texts, last_name, "Garcia", private_listening=True),
    ]
    assert said == expected
    assert speech_stopped_note(texts)


class SayOnShow(QObject):
    """What the wiring will do: when a page is shown, say its prompt."""

    def __init__(self, page: WelcomePage, speaker: Speaker) -> None:
        super().__init__(page)
        self.page = page
        self.speaker = speaker
        page.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            self.speaker.say(f"{self.page.heading_label.text()}. {self.page.eligible_label.text()}", "en")
        return False


def _first_word_delays(qtbot, speaker: Speaker, start) -> list[float]:
    delays = []
    for _ in range(20):
        started = time.perf_counter()
        start()
        qtbot.waitUntil(lambda: speaker.spoken[-1].first_word is not None, timeout=3000)
        first_word = speaker.spoken[-1].first_word
        assert first_word is not None
        delays.append((first_word - started) * 1000)
        speaker.stop()
    return delays


def _median_p95(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), statistics.quantiles(values, n=20)[18]


@pytest.mark.slow
def test_page_shown_to_first_word_spoken(qtbot, config):
    """Issue 21's figure: page shown -> first word spoken, median of 20 (three runs), beside the bare engine's own
    say -> first word (the anchor) measured in the same runs. The mock engine's first word comes 100 ms after say()."""
    speaker = Speaker(TEST_ENGINE, clock=time.perf_counter)
    page = WelcomePage(config)
    qtbot.addWidget(page)
    SayOnShow(page, speaker)

    def show_page() -> None:
        page.hide()
        page.show()

    runs, anchors = [], []
    for _ in range(3):
        runs.append(_median_p95(_first_word_delays(qtbot, speaker, show_page)))
        anchors.append(_median_p95(_first_word_delays(
            qtbot, speaker, lambda: speaker.say("Report a non-emergency incident", "en"))))
    medians = sorted(run[0] for run in runs)
    print(f"\npage shown -> first word (mock engine, 20 a run, 3 runs): median {medians[1]:.1f} ms "
          f"(runs {medians[0]:.1f}-{medians[2]:.1f}), p95 {max(run[1] for run in runs):.1f} ms; "
          f"anchor say -> first word: median {sorted(a[0] for a in anchors)[1]:.1f} ms, "
          f"p95 {max(a[1] for a in anchors):.1f} ms")
    assert medians[1] <= 300  # issue 21: median <= 300 ms


def test_a_named_engine_not_waited_for_is_made_by_a_queued_call_and_speaks(qtbot):
    """The running kiosk's path: a quick engine first, then the named one by a queued call to its C++ setEngine slot
    on the speech thread (no Python on the stack while a slow engine starts)."""
    speaker = Speaker(TEST_ENGINE, wait_for_engine=False)
    speaker.say("one two", "en")
    with qtbot.waitSignal(speaker.finished, timeout=5000):
        pass
    assert [line.text for line in speaker.spoken] == ["one two"] and not speaker.silent
    assert speaker.locale_for("en") == "en_US"
