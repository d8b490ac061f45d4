"""Which voice a kiosk language is spoken in, without Qt: what ``p2c-kiosk doctor``'s ``speech`` line and the Speaker
(ui/speech.py) both use, so that the doctor's answer is the kiosk's (docs/accessibility.md, "Voices").

A voice is named by its locale as Qt's speech engines name theirs (``QLocale.name()``: ``en_US``, ``es_419``,
``pt_BR``). :func:`locale_name` turns a language code (BCP 47 like espeak-ng's ``en-gb-x-rp``, or the kiosk's
``pt_BR``) into that name the way ``QLocale`` does, from Babel's CLDR data: the territory given if CLDR has the
language there, else the language's likely one (``es`` -> ``es_ES``); ``C`` for a language CLDR does not know (Qt's
``C`` locale: espeak-ng's Mandarin, ``cmn``, is one). :func:`choose_voice` picks, for a kiosk language, the voice of
the same locale as its CLDR locale (``kiosk.translation.cldr_locale``: ``es`` -> ``es_US``), else the language's
likely locale (``es_ES``), else any territory of the language; None when there is none: the engine then speaks it in
its default voice.

:func:`espeak_ng_voices` reads the voices speech-dispatcher's espeak-ng module offers: the module lists the voices of
the espeak-ng library it is built on, so their languages are ``espeak-ng --voices``'s (the same 130 codes on the
machine this was written on), and ``espeak-ng --voices`` answers in ~10 ms where ``spd-say -L`` takes 1.3-2.3 s
(it starts the daemon and lists 13,000 voice variants), more than the doctor's whole budget.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable, Mapping
from functools import lru_cache

from kiosk.translation import cldr_locale

UNKNOWN = "C"  # Qt's name for a locale it cannot place
ESPEAK_NG = "espeak-ng"
# The old codes QLocale reads as today's (it reads no other alias: espeak-ng's ``cmn`` is not ``zh`` to it).
OLD_CODES = {"iw": "he", "tl": "fil", "in": "id", "ji": "yi", "no": "nb"}
LIST_TIMEOUT = 1.0  # seconds for ``espeak-ng --voices`` (it takes ~10 ms)


class VoicesUnavailable(Exception):
    """The voices could not be listed: the program is missing, failed or did not answer in time (the message says
    which)."""


def locale_name(code: str) -> str:
    """``code``'s locale as ``QLocale(code).name()`` gives it: ``language_TERRITORY``, or ``C`` when unknown."""
    return _locale_name(code.strip())


@lru_cache(maxsize=512)
def _locale_name(code: str) -> str:
    from babel import localedata
    from babel.core import get_global

    parts = [part for part in re.split(r"[-_.@]", code) if part]
    if not parts:
        return UNKNOWN
    likely: Mapping[str, str] = get_global("likely_subtags")
    language = parts[0].lower()
    language = OLD_CODES.get(language, language)
    script = territory = ""
    for part in parts[1:]:
        if part.lower() == "x":
            break  # private use: espeak-ng's accents (en-gb-x-rp)
        if len(part) == 4 and part.isalpha() and not script and not territory:
            script = part.title()
        elif (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            territory = part.upper()
            break
    if not language.isalpha() or not localedata.exists(language):
        return UNKNOWN
    full = (script and likely.get(f"{language}_{script}")) or likely.get(language)
    if full is None or full.split("_")[0] != language:
        return UNKNOWN
    if territory and not any(localedata.exists(name) or name in likely
                             for name in (f"{language}_{territory}", f"{language}_{script}_{territory}")):
        territory = ""  # QLocale drops a territory it has no data for (ru-lv -> ru_RU)
    return f"{language}_{territory or full.split('_')[-1]}"


def language_of(name: str) -> str:
    return name.split("_")[0]


def choose_voice(language: str, voices: Iterable[str]) -> str | None:
    """The voice (a locale name from ``voices``, in their order) kiosk ``language`` is spoken in: its CLDR locale, else
    the language's likely locale, else any territory of the language. None: no voice speaks it."""
    wanted = locale_name(cldr_locale(language))
    if wanted == UNKNOWN:
        wanted = locale_name(language)
    if wanted == UNKNOWN:
        return None
    same_language = [voice for voice in voices if voice != UNKNOWN and language_of(voice) == language_of(wanted)]
    likely = locale_name(language_of(wanted))
    for candidates in ([voice for voice in same_language if voice == wanted],
                       [voice for voice in same_language if voice == likely], same_language):
        if candidates:
            return candidates[0]
    return None


def unreadable_codes(language: str, codes: Iterable[str]) -> list[str]:
    """The codes in ``codes`` that name ``language`` under an alias Qt does not read (``cmn`` for ``zh``): the engine
    has such a voice, but the Speaker cannot ask for it."""
    from babel.core import get_global

    aliases: Mapping[str, str] = get_global("language_aliases")
    wanted = language_of(locale_name(cldr_locale(language)))
    return [code for code in codes if locale_name(code) == UNKNOWN
            and aliases.get(re.split(r"[-_]", code)[0].lower(), "").split("_")[0] == wanted]


def espeak_ng_codes(program: str = ESPEAK_NG, timeout: float = LIST_TIMEOUT) -> tuple[str, ...]:
    """The language codes of ``espeak-ng --voices`` (``en-us``, ``cmn``, ...), in its order, each once. Raises
    :class:`VoicesUnavailable`."""
    try:
        result = subprocess.run([program, "--voices"], capture_output=True, text=True, timeout=timeout, check=False)
    except FileNotFoundError as exc:
        raise VoicesUnavailable(f"{program} is not installed") from exc
    except subprocess.TimeoutExpired as exc:
        raise VoicesUnavailable(f"{program} --voices did not answer within {timeout:.1f} s") from exc
    except OSError as exc:
        raise VoicesUnavailable(f"{program} could not be run ({exc.strerror})") from exc
    if result.returncode != 0:
        raise VoicesUnavailable(f"{program} --voices failed (exit {result.returncode})")
    codes: dict[str, None] = {}
    for line in result.stdout.splitlines()[1:]:  # the first line is the header: Pty Language Age/Gender ...
        fields = line.split()
        if len(fields) >= 2:
            codes.setdefault(fields[1], None)
    return tuple(codes)


def espeak_ng_voices(program: str = ESPEAK_NG, timeout: float = LIST_TIMEOUT) -> tuple[str, ...]:
    """The voices (locale names, each once, none ``C``) speech-dispatcher's espeak-ng module gives Qt's speechd
    engine. Raises :class:`VoicesUnavailable`."""
    names: dict[str, None] = {}
    for code in espeak_ng_codes(program, timeout):
        name = locale_name(code)
        if name != UNKNOWN:
            names.setdefault(name, None)
    return tuple(names)
