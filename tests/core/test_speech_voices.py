"""Which voice a kiosk language is spoken in, without Qt (kiosk.speech_voices): the names QLocale gives a voice's
language code, the Speaker's choice among made-up voice lists, and the real espeak-ng's list on this machine (skipped
only where espeak-ng is not installed: scripts/debian-packages/speech.txt, which `make test` installs)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from kiosk.speech_voices import (
    UNKNOWN,
    VoicesUnavailable,
    choose_voice,
    espeak_ng_codes,
    espeak_ng_voices,
    locale_name,
    unreadable_codes,
)


@pytest.mark.parametrize(("code", "name"), [
    ("en-us", "en_US"), ("en-gb-x-rp", "en_GB"), ("en", "en_US"), ("es", "es_ES"), ("es-419", "es_419"),
    ("pt", "pt_BR"), ("pt-br", "pt_BR"), ("pt_PT", "pt_PT"), ("zh_CN", "zh_CN"), ("zh", "zh_CN"), ("zh_TW", "zh_TW"),
    ("zh_Hant", "zh_TW"), ("yue", "yue_HK"), ("fr-be", "fr_BE"), ("vi-vn-x-central", "vi_VN"),
    ("chr-US-Qaaa-x-west", "chr_US"), ("eo", "eo_001"),
    ("ru-lv", "ru_RU"),  # CLDR has no Russian for Latvia: the territory is dropped, as QLocale does
    ("iw", "he_IL"), ("no", "nb_NO"),  # the old codes QLocale reads
    ("cmn", UNKNOWN), ("cmn-latn-pinyin", UNKNOWN),  # espeak-ng's Mandarin: QLocale does not read "cmn" as zh
    ("xx", UNKNOWN), ("", UNKNOWN),
])
def test_a_language_code_is_named_as_qlocale_names_it(code, name):
    assert locale_name(code) == name


@pytest.mark.parametrize(("language", "voices", "chosen"), [
    ("es", ["es_419", "es_US", "es_ES"], "es_US"),  # the kiosk's CLDR locale (es -> es_US) first
    ("es", ["es_419", "es_ES"], "es_ES"),  # else the language's likely locale
    ("es", ["es_419", "en_US"], "es_419"),  # else any territory of it
    ("pt_BR", ["pt_PT", "pt_BR"], "pt_BR"),
    ("pt_BR", ["pt_PT"], "pt_PT"),
    ("en", ["en_GB", "en_US"], "en_US"),
    ("en_XA", ["en_GB", "en_US"], "en_US"),  # a pseudo-language is spoken as English
    ("zh_CN", ["en_US", "es_ES", "C"], None),  # no Chinese voice: the engine's default voice would read it
    ("zh_CN", [], None),
])
def test_the_voice_chosen_for_a_language(language, voices, chosen):
    assert choose_voice(language, voices) == chosen


def test_a_voice_under_a_code_qlocale_does_not_read_is_named():
    assert unreadable_codes("zh_CN", ["en-us", "cmn", "cmn-latn-pinyin", "yue"]) == ["cmn", "cmn-latn-pinyin"]
    assert unreadable_codes("es", ["en-us", "cmn"]) == []


def _espeak_ng() -> str:
    found = shutil.which("espeak-ng")
    if found is None:
        pytest.skip("espeak-ng is not installed (scripts/debian-packages/speech.txt; `make test` installs it)")
    return found


def test_the_real_espeak_ng_voices():
    _espeak_ng()
    took = []
    for _ in range(3):
        started = time.perf_counter()
        codes = espeak_ng_codes()
        took.append(time.perf_counter() - started)
    voices = espeak_ng_voices()
    print(f"\nespeak-ng --voices: {len(codes)} codes, {len(voices)} voices Qt can name; "
          f"{min(took) * 1000:.0f}-{max(took) * 1000:.0f} ms (3 runs)")
    assert {"en-us", "es", "pt-br", "cmn"} <= set(codes)
    assert {"en_US", "es_ES", "pt_BR"} <= set(voices) and UNKNOWN not in voices
    assert [choose_voice(language, voices) for language in ("en", "es", "pt_BR", "zh_CN")] == \
        ["en_US", "es_ES", "pt_BR", None]
    assert max(took) < 0.5


def test_espeak_ng_missing_failing_or_hanging_is_said(tmp_path: Path):
    with pytest.raises(VoicesUnavailable, match="is not installed"):
        espeak_ng_codes(str(tmp_path / "espeak-ng"))
    failing = tmp_path / "failing"
    failing.write_text("#!/bin/sh\nexit 3\n")
    failing.chmod(0o755)
    with pytest.raises(VoicesUnavailable, match=r"failed \(exit 3\)"):
        espeak_ng_codes(str(failing))
    hanging = tmp_path / "hanging"
    hanging.write_text("#!/bin/sh\nexec sleep 30\n")
    hanging.chmod(0o755)
    started = time.monotonic()
    with pytest.raises(VoicesUnavailable, match=r"did not answer within 0\.2 s"):
        espeak_ng_codes(str(hanging), timeout=0.2)
    assert time.monotonic() - started < 1.0
