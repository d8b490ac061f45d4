"""One translation system for everything the kiosk shows, says, prints or sends: GNU gettext catalogues.

Each language is one catalogue, ``resources/locale/<code>/LC_MESSAGES/p2c.po``, compiled to ``p2c.mo`` by
``make translations`` (``pybabel compile``). The message ids are the English source texts, so English needs no
catalogue. A language code is a CLDR locale identifier as Babel writes it (``es``, ``pt_BR``, ``zh_CN``).

Adding a language is data, not code: drop in a catalogue and list its code in ``kiosk.toml``. The code names no
language but the source language.

Marking texts: the core writes ``N_("English text")`` where a text is defined (a table of messages, a label) and
looks it up with :meth:`Translation.gettext` when it is shown, in the language of whoever reads it. ``pybabel
extract`` (``babel.cfg``) finds ``N_``, ``gettext``, ``ngettext``, ``pgettext`` and Qt's ``tr`` and ``translate``.

There is no silent fallback: asking for a language that has no catalogue raises :class:`UnknownLanguage`.
"""

from __future__ import annotations

import gettext
import logging
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.resources import resource_path

if TYPE_CHECKING:
    from babel import Locale as BabelLocale

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"
DOMAIN = "p2c"
# Not a visitor's language: English ~40 % longer with accents, to find clipped text (screenshots and tests).
PSEUDO_LANGUAGE = "qps_ploc"
# Not a visitor's language either: the pseudo-locale written right to left, to check mirrored layouts.
PSEUDO_RTL_LANGUAGE = "qps_plocm"
PSEUDO_LANGUAGES = (PSEUDO_LANGUAGE, PSEUDO_RTL_LANGUAGE)
# A language code: a CLDR locale identifier (language, then script and/or territory), e.g. "pt_BR", "zh_Hans_CN".
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:_[A-Z][a-z]{3})?(?:_(?:[A-Z]{2}|[0-9]{3}))?")

# Where the kiosk stands: a language code without a territory writes dates and numbers as in this one (es -> es_US).
TERRITORY = "US"

_ACCENTED = str.maketrans("aeiouAEIOUcnyCNY", "àéîöûÀÉÎÖÛçñýÇÑÝ")
# Place markers kept as they are by the pseudo-locales: {name}, $name, %1, %n, %(name)s, %s, %d.
PLACE_MARKER = re.compile(r"(\{[a-z_][a-z0-9_]*\}|\$[a-z_][a-z0-9_]*|%\d|%n|%\([a-z_]+\)[sd]|%[sd])")
# A right-to-left mark (a strong RTL character: Qt takes the text's direction from its first one, and aligns it to the
# right) and a right-to-left embedding around the pseudo text, so that it is laid out as an RTL language would be.
_RLM, _RLE, _PDF = "\u200f", "\u202b", "\u202c"


class UnknownLanguage(LookupError):
    """A language was asked for that has no compiled catalogue (``make translations`` builds them)."""


def default_locale_dir() -> Path:
    return resource_path("locale")


def is_language_code(code: str) -> bool:
    return LANGUAGE_CODE.fullmatch(code) is not None


def cldr_locale(language: str) -> str:
    """The CLDR locale a language's dates, times and numbers are written in: the language as used in the kiosk's
    territory when its code names none (``es`` -> ``es_US``, ``en`` -> ``en_US``), else the code itself. The
    pseudo-locales write English's. A face that finds no such locale in its CLDR data uses the bare language."""
    if language in PSEUDO_LANGUAGES:
        return f"{SOURCE_LANGUAGE}_{TERRITORY}"
    return language if "_" in language else f"{language}_{TERRITORY}"


@lru_cache(maxsize=16)
def babel_locale(language: str) -> BabelLocale:
    """The Babel locale a language's dates, times and amounts are written in (:func:`cldr_locale`): the language in
    the kiosk's territory, else the code, else its bare language. A language CLDR has no data for here (a catalogue
    dropped into a bundle built without it: build.spec keeps the shipped languages' data only) is written as English,
    with a log line. Babel is imported here, when a date or an amount is first written, not at start-up."""
    from babel import Locale, UnknownLocaleError

    for identifier in (cldr_locale(language), language, language.split("_")[0]):
        try:
            return Locale.parse(identifier)
        except (ValueError, UnknownLocaleError):
            continue
    log.warning("no CLDR data for %s: its dates and amounts are written as in %s", language, SOURCE_LANGUAGE)
    return Locale.parse(cldr_locale(SOURCE_LANGUAGE))


def pseudo_text(text: str, *, right_to_left: bool = False) -> str:
    """``text`` with accented vowels, ~40 % longer and in brackets; place markers are kept as they are."""
    if not text:
        return text
    parts = PLACE_MARKER.split(text)
    body = "".join(part if PLACE_MARKER.fullmatch(part) else part.translate(_ACCENTED) for part in parts)
    padding = "·" * max(1, math.ceil(len(text) * 0.4) - 2)
    pseudo = f"[{body}{padding}]"
    return f"{_RLM}{_RLE}{pseudo}{_PDF}" if right_to_left else pseudo


@dataclass(frozen=True)
class Translation:
    """The texts of one language. English (the source) and the pseudo-locales have no catalogue."""

    language: str
    catalogue: gettext.NullTranslations

    @property
    def right_to_left(self) -> bool:
        return self.language == PSEUDO_RTL_LANGUAGE or self.catalogue.info().get("x-text-direction") == "rtl"

    def gettext(self, message: str) -> str:
        return self.catalogue.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.catalogue.ngettext(singular, plural, count)

    def pgettext(self, context: str, message: str) -> str:
        return self.catalogue.pgettext(context, message)

    @property
    def own_name(self) -> str:
        """The language's name in itself ("Español", "Português (Brasil)"), as its catalogue's translators wrote it:
        what the welcome page offers it by."""
        # Translators: the name of YOUR language, written in your language ("Español", "Português (Brasil)", "中文").
        return self.pgettext("language name", "English")


class _PseudoCatalogue(gettext.NullTranslations):
    def __init__(self, right_to_left: bool) -> None:
        super().__init__()
        self._right_to_left = right_to_left

    def gettext(self, message: str) -> str:
        return pseudo_text(message, right_to_left=self._right_to_left)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo_text(msgid1 if n == 1 else msgid2, right_to_left=self._right_to_left)

    def pgettext(self, context: str, message: str) -> str:
        return self.gettext(message)


class Catalogues:
    """The compiled catalogues in one folder, each loaded once, on first use."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or default_locale_dir()
        self._loaded: dict[str, Translation] = {}

    def installed(self) -> tuple[str, ...]:
        """The source language and every language with a compiled catalogue in the folder, sorted."""
        found = sorted(
            path.parent.parent.name for path in self.directory.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")
            if is_language_code(path.parent.parent.name)
        )
        return (SOURCE_LANGUAGE, *(code for code in found if code != SOURCE_LANGUAGE))

    def has(self, language: str) -> bool:
        return language == SOURCE_LANGUAGE or language in PSEUDO_LANGUAGES or self._path(language).is_file()

    def get(self, language: str) -> Translation:
        """The texts of ``language``. Raises :class:`UnknownLanguage` when it has no compiled catalogue."""
        loaded = self._loaded.get(language)
        if loaded is not None:
            return loaded
        if language == SOURCE_LANGUAGE:
            catalogue: gettext.NullTranslations = gettext.NullTranslations()
        elif language in PSEUDO_LANGUAGES:
            catalogue = _PseudoCatalogue(right_to_left=language == PSEUDO_RTL_LANGUAGE)
        else:
            path = self._path(language)
            if not is_language_code(language) or not path.is_file():
                raise UnknownLanguage(
                    f"no translation catalogue for language {language!r} in {self.directory} "
                    "(add resources/locale/<code>/LC_MESSAGES/p2c.po and run `make translations`)")
            with path.open("rb") as file:
                catalogue = gettext.GNUTranslations(file)
        translation = Translation(language, catalogue)
        self._loaded[language] = translation
        return translation

    def _path(self, language: str) -> Path:
        return self.directory / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def N_(message: str) -> str:
    """Mark ``message`` for the catalogues where it is defined; it is translated where it is shown."""
    return message


_catalogues: list[Catalogues] = []


def use_catalogues(catalogues: Catalogues) -> None:
    """Make ``catalogues`` the ones :func:`translation` reads (the composition root and tests call this)."""
    _catalogues[:] = [catalogues]
    translation.cache_clear()


def catalogues() -> Catalogues:
    """The catalogues in use: those handed to :func:`use_catalogues`, else the ones under ``resources/locale``."""
    if not _catalogues:
        _catalogues.append(Catalogues())
    return _catalogues[0]


@lru_cache(maxsize=32)
def translation(language: str) -> Translation:
    """The texts of ``language`` from the catalogues in use; raises :class:`UnknownLanguage` if it has none."""
    return catalogues().get(language)
