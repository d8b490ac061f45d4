"""The doctor's voices are the Speaker's (issue 21): kiosk.speech_voices names a language code as QLocale does, and
the voices it reads from espeak-ng give each language the voice the real speechd engine (speech-dispatcher with its
espeak-ng module) is asked for. Skipped only where Qt has no speechd engine or speech-dispatcher does not start
(scripts/debian-packages/speech.txt; `make test` installs it)."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtTextToSpeech import QTextToSpeech

from kiosk.speech_voices import UNKNOWN, choose_voice, espeak_ng_codes, espeak_ng_voices, language_of, locale_name
from ui.speech import LOBBY_ENGINE, Speaker

KIOSK_CODES = ("en", "es", "pt_BR", "zh_CN", "zh_TW", "zh_Hant", "fr_CA", "de_CH", "es_US", "es_419", "pt", "sr_Latn",
               "iw", "no", "yue", "cmn", "xx")


def _espeak_codes() -> tuple[str, ...]:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (scripts/debian-packages/speech.txt; `make test` installs it)")
    return espeak_ng_codes()


def test_a_code_is_named_as_qlocale_names_it():
    codes = (*_espeak_codes(), *KIOSK_CODES)
    differ = {code: (QLocale(code).name(), locale_name(code)) for code in codes if QLocale(code).name() !=
              locale_name(code)}
    # Only languages newer CLDR data knows and this Qt does not (espeak-ng's Latgalian): Qt cannot name them at all.
    assert all(qt == UNKNOWN for qt, _ in differ.values()), differ
    assert len(differ) <= 2, differ


def test_the_doctor_chooses_the_voice_the_real_speechd_engine_is_asked_for(qtbot):
    codes = _espeak_codes()
    if LOBBY_ENGINE not in QTextToSpeech.availableEngines():
        pytest.skip("this Qt has no speechd engine (libspeechd2 missing?)")
    speaker = Speaker(LOBBY_ENGINE)
    if speaker.silent:
        pytest.skip(f"speech-dispatcher does not start here: {speaker.silent_reason}")
    voices = espeak_ng_voices()
    # Every language of either list that this Qt can name (not espeak-ng's Latgalian: see the test above).
    languages = sorted(language for language in {*KIOSK_CODES, *(language_of(voice) for voice in voices)}
                       if QLocale(language).name() != UNKNOWN)
    assert [(language, speaker.locale_for(language)) for language in languages] == \
        [(language, choose_voice(language, voices) or "") for language in languages]
    assert speaker.locale_for("zh_CN") == "" and speaker.locale_for("es") == "es_ES"
    assert len(codes) > len(voices) > 100
