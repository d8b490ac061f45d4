"""The real synthesizer end to end (issue 21): espeak-ng, the voice speech-dispatcher speaks with in a lobby, renders
the welcome page's prompt from the catalogue, in English and in Spanish, to a WAV file; the audio must be sound (not
silence) of a length that fits the words. Debian's espeak-ng is installed by `make test`
(scripts/debian-packages/speech.txt); the test is skipped only where espeak-ng cannot run, and says why."""

from __future__ import annotations

import array
import math
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from kiosk.translation import Catalogues

PROMPT = "Report a non-emergency incident"  # the welcome page's heading (ui/welcome_page.py)
RMS_FLOOR = 500  # of 32767: espeak-ng's speech is around 3000-6000; silence or hiss is below 100
SECONDS_PER_WORD = (0.15, 1.2)  # espeak-ng's normal rate is ~175 words a minute (0.34 s a word)
VOICES = {"en": "en-us"}  # espeak-ng's voice for a kiosk language; otherwise the language code itself


def _espeak() -> str:
    found = shutil.which("espeak-ng")
    if found is None:
        pytest.skip("espeak-ng is not installed (scripts/debian-packages/speech.txt; `make test` installs it)")
    probe = subprocess.run([found, "--version"], capture_output=True, text=True, timeout=30, check=False)
    if probe.returncode != 0:
        pytest.skip(f"espeak-ng cannot run here: {probe.stderr.strip() or probe.returncode}")
    return found


def _rms_and_seconds(path: Path) -> tuple[float, float]:
    with wave.open(str(path), "rb") as audio:
        assert audio.getsampwidth() == 2, "espeak-ng writes 16-bit samples"
        frames = audio.readframes(audio.getnframes())
        seconds = audio.getnframes() / audio.getframerate()
    samples = array.array("h", frames)
    if sys.byteorder == "big":
        samples.byteswap()  # WAV is little-endian
    rms = math.sqrt(sum(sample * sample for sample in samples) / max(1, len(samples)))
    return rms, seconds


@pytest.mark.parametrize("language", ["en", "es"])
def test_espeak_ng_speaks_the_welcome_prompt(tmp_path: Path, translations_dir: Path, language: str):
    espeak = _espeak()
    text = Catalogues(translations_dir).get(language).gettext(PROMPT)
    if language != "en":
        assert text != PROMPT, "the prompt is translated, so it is spoken in the page's language"
    out = tmp_path / f"welcome-{language}.wav"
    run = subprocess.run([espeak, "-v", VOICES.get(language, language), "-w", str(out), text],
                         capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stderr
    assert not run.stderr.strip(), run.stderr  # e.g. "voice not found" would still write English audio
    rms, seconds = _rms_and_seconds(out)
    words = len(text.split())
    print(f"\n{language}: {text!r}: {seconds:.2f} s, RMS {rms:.0f}")
    assert rms > RMS_FLOOR
    assert SECONDS_PER_WORD[0] * words <= seconds <= SECONDS_PER_WORD[1] * words + 1.0


def test_the_floor_tells_silence_from_speech(tmp_path: Path):
    silent = tmp_path / "silence.wav"
    with wave.open(str(silent), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(22050)
        audio.writeframes(bytes(2 * 22050))
    rms, seconds = _rms_and_seconds(silent)
    assert rms < RMS_FLOOR and seconds == 1.0
