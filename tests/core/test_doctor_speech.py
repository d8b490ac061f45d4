"""``p2c-kiosk doctor``'s speech line (issue 21): the speech engine has a voice for every kiosk language, chosen as the
Speaker chooses, so that a missing voice is found by the person who sets the kiosk up, not by a blind visitor who
hears the wrong language. The real espeak-ng of this machine (scripts/debian-packages/speech.txt, installed by `make
test`) where it is installed; made-up voice lists for each finding; the command's lines and --json."""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from notices_support import MemoryKeyring, keyring_in_use

from kiosk.cli_doctor import run_doctor
from kiosk.doctor import SPEECHD_MODULES, Level, check_speech
from kiosk.speech_voices import VoicesUnavailable

LANGUAGES = ("en", "es", "pt_BR", "zh_CN")


def test_a_voice_for_every_language_is_ok_and_names_them():
    finding = check_speech("speechd", ["en", "es", "pt_BR"], lambda: ["en-us", "en-gb", "es", "es-419", "pt-br"])
    assert finding.level is Level.OK
    assert finding.says == "a voice for every language (en: en_US, es: es_ES, pt_BR: pt_BR)" and not finding.todo


def test_a_language_without_a_voice_is_a_warning_that_names_it_and_says_what_to_do():
    finding = check_speech("speechd", LANGUAGES, lambda: ["en-us", "es", "pt-br", "cmn"])
    assert finding.level is Level.WARNING  # not a fault: the kiosk still speaks, in the default voice
    assert finding.says.startswith("no voice for zh_CN: read aloud in the engine's default voice instead "
                                   "(en: en_US, es: es_ES, pt_BR: pt_BR)")
    assert "zh_CN (cmn)" in finding.says  # espeak-ng has Mandarin, under a code Qt's engine does not read
    assert "install a speech-dispatcher voice for Chinese" in finding.todo
    assert "remove zh_CN from [kiosk] languages" in finding.todo


def test_the_mock_engine_and_another_engine_are_not_checked_and_say_why():
    def never() -> list[str]:
        raise AssertionError("not asked")

    mock = check_speech("mock", LANGUAGES, never)
    assert mock.level is Level.OK and mock.says == 'not checked: [speech] engine = "mock" is the silent test engine'
    other = check_speech("flite", LANGUAGES, never)
    assert other.level is Level.OK and "not checked" in other.says and "'flite'" in other.says


def test_an_engine_that_is_missing_or_does_not_answer_is_a_warning(tmp_path: Path):
    missing = check_speech("speechd", LANGUAGES, speechd_modules=tmp_path)  # no sd_espeak-ng there
    assert missing.level is Level.WARNING and "not installed: the kiosk cannot speak" in missing.says
    assert missing.todo == "sudo apt install speech-dispatcher speech-dispatcher-espeak-ng espeak-ng"

    def hung() -> list[str]:
        raise VoicesUnavailable("espeak-ng --voices did not answer within 1.0 s")

    late = check_speech("speechd", LANGUAGES, hung)
    assert late.level is Level.WARNING
    assert late.says == "the voices cannot be listed: espeak-ng --voices did not answer within 1.0 s"
    assert late.todo.startswith("sudo apt install ")


def _speech_installed() -> None:
    if shutil.which("espeak-ng") is None or not (SPEECHD_MODULES / "sd_espeak-ng").exists():
        pytest.skip("speech-dispatcher's espeak-ng module or espeak-ng is not installed "
                    "(scripts/debian-packages/speech.txt; `make test` installs them)")


def test_the_real_engine_on_this_machine_has_no_chinese_voice():
    _speech_installed()
    finding = check_speech("speechd", LANGUAGES)
    assert finding.level is Level.WARNING
    assert finding.says.startswith("no voice for zh_CN: ") and "en: en_US, es: es_ES, pt_BR: pt_BR" in finding.says


def _home(tmp_path: Path, engine: str, languages: tuple[str, ...] = LANGUAGES) -> Path:
    home = tmp_path / engine
    home.mkdir()
    listed = ", ".join(f'"{language}"' for language in languages)
    (home / "kiosk.toml").write_text(f'[kiosk]\nlanguages = [{listed}]\n[speech]\nengine = "{engine}"\n',
                                     encoding="utf-8")
    return home


def _doctor(home: Path, *, as_json: bool = False) -> tuple[int, str]:
    out = io.StringIO()
    with keyring_in_use(MemoryKeyring()):
        code = run_doctor(home, argparse.Namespace(json=as_json), out, io.StringIO())
    return code, out.getvalue()


def test_the_command_prints_the_speech_line_and_gives_it_in_json(tmp_path: Path):
    _speech_installed()
    home = _home(tmp_path, "speechd")
    code, text = _doctor(home)
    [line] = [line for line in text.splitlines() if line.split()[1] == "speech"]
    assert line.startswith("warning speech    no voice for zh_CN: ") and " — install a speech-dispatcher voice " in line
    assert [line.split()[1] for line in text.splitlines()][:4] == ["config", "display", "printer", "speech"]
    assert code >= 1
    json_code, json_text = _doctor(home, as_json=True)
    [speech] = [check for check in json.loads(json_text)["checks"] if check["check"] == "speech"]
    assert speech["level"] == "warning" and speech["says"].startswith("no voice for zh_CN: ")
    assert "remove zh_CN from [kiosk] languages" in speech["todo"] and json_code == code

    _, mock_text = _doctor(_home(tmp_path, "mock"))
    assert 'ok      speech    not checked: [speech] engine = "mock" is the silent test engine' in mock_text.splitlines()


def test_a_hanging_espeak_ng_keeps_the_doctor_under_two_seconds(tmp_path: Path, monkeypatch):
    """espeak-ng answers in ~15 ms; one that never does is stopped after its own time limit (1 s) and is a warning."""
    if not (SPEECHD_MODULES / "sd_espeak-ng").exists():
        pytest.skip("speech-dispatcher's espeak-ng module is not installed (scripts/debian-packages/speech.txt)")
    programs = tmp_path / "bin"
    programs.mkdir()
    (programs / "espeak-ng").write_text("#!/bin/sh\nexec sleep 30\n")
    (programs / "espeak-ng").chmod(0o755)
    monkeypatch.setenv("PATH", f"{programs}:{os.environ['PATH']}")
    started = time.monotonic()
    code, text = _doctor(_home(tmp_path, "speechd"))
    took = time.monotonic() - started
    [line] = [line for line in text.splitlines() if line.split()[1] == "speech"]
    assert line.startswith("warning speech    ") and ("did not answer within" in line or "no answer within" in line)
    assert took < 2.0, took
    assert code >= 1
