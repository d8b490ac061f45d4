"""Switch the language of the whole kiosk, live, through Qt Linguist translators.

English is the source language: it needs no translator. Any other language loads ``p2c_<code>.qm`` (built from
``resources/translations/p2c_<code>.ts`` by ``pyside6-lrelease``) and, when Qt ships one, ``qtbase_<code>.qm`` for
Qt's own texts (standard dialog buttons). Installing or removing a translator makes Qt send ``QEvent.LanguageChange``
to every widget; each page answers it with its own ``retranslate()``.
"""

from __future__ import annotations

import logging
import math
import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QObject, QTranslator, Signal

from kiosk.resources import resource_path
from kiosk.vocabulary import Language

log = logging.getLogger(__name__)

SOURCE_LANGUAGE: str = Language.EN
CATALOG_PREFIX = "p2c_"
# Not a visitor's language: English lengthened by ~40 % with accents, to find clipped text (screenshots, tests).
PSEUDO_LANGUAGE = "pseudo"
_ACCENTED = str.maketrans("aeiouAEIOUcnyCNY", "àéîöûÀÉÎÖÛçñýÇÑÝ")
_PLACE_MARKER = re.compile(r"(%\d)")


def default_translations_dir() -> Path:
    return resource_path("translations")


def fill(text: str, *values: str) -> str:
    """Put values into Qt-style place markers: ``fill("call %1", "911")`` gives ``"call 911"``.

    Qt Linguist checks that a translation keeps every ``%1``, ``%2``... of its source, which ``str.format`` fields
    would not get.
    """
    # Replace the highest markers first so "%1" never eats the start of "%10".
    for number in range(len(values), 0, -1):
        text = text.replace(f"%{number}", values[number - 1])
    return text


def pseudo_text(text: str) -> str:
    """``text`` with accented vowels, ~40 % longer and in brackets; ``%1`` markers are kept as they are."""
    if not text:
        return text
    parts = _PLACE_MARKER.split(text)
    body = "".join(part if _PLACE_MARKER.fullmatch(part) else part.translate(_ACCENTED) for part in parts)
    padding = "·" * max(1, math.ceil(len(text) * 0.4) - 2)
    return f"[{body}{padding}]"


class PseudoTranslator(QTranslator):
    """Translates every string into :func:`pseudo_text`, so layouts can be checked for room to grow."""

    def translate(self, context: str, source_text: str, disambiguation: str | None = None, n: int = -1) -> str:
        return pseudo_text(source_text)

    def isEmpty(self) -> bool:  # an empty translator is installed without a LanguageChange event
        return False


class LanguageSwitcher(QObject):
    """Installs the translators for one language on the application and says when the language changed."""

    language_changed = Signal(str)

    def __init__(
        self,
        app: QCoreApplication,
        languages: tuple[str, ...],
        *,
        translations_dir: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._app = app
        self._languages = tuple(languages)
        self._dir = translations_dir or default_translations_dir()
        self._installed: list[QTranslator] = []
        self._language = SOURCE_LANGUAGE

    @property
    def language(self) -> str:
        """The visitor's language (``en``, ``es``); the pseudo-locale counts as English."""
        return SOURCE_LANGUAGE if self._language == PSEUDO_LANGUAGE else self._language

    @property
    def pseudo(self) -> bool:
        return self._language == PSEUDO_LANGUAGE

    def set_pseudo_locale(self) -> None:
        """Show the pseudo-locale (never offered to a visitor: for screenshots and layout tests)."""
        if self.pseudo:
            return
        self._remove_installed()
        translator = PseudoTranslator(self)
        self._app.installTranslator(translator)
        self._installed = [translator]
        self._language = PSEUDO_LANGUAGE
        self.language_changed.emit(SOURCE_LANGUAGE)

    @property
    def languages(self) -> tuple[str, ...]:
        return self._languages

    def set_language(self, code: str) -> bool:
        """Show the kiosk in ``code``. Returns False (and stays in English) when its translation cannot be loaded."""
        if code not in self._languages:
            raise ValueError(f"language {code!r} is not one of {self._languages}")
        if code == self._language:
            return True
        was_pseudo = self.pseudo
        translators: list[QTranslator] = []
        loaded = True
        if code != SOURCE_LANGUAGE:
            catalog = self._load(self._dir / f"{CATALOG_PREFIX}{code}.qm")
            if catalog is None:
                log.warning(
                    "No translation for %r in %s (build it with `make translations`); staying in English",
                    code, self._dir,
                )
                code, loaded = SOURCE_LANGUAGE, False
            else:
                translators.append(catalog)
                qt_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
                qt_catalog = self._load(qt_dir / f"qtbase_{code}.qm")
                if qt_catalog is not None:
                    translators.append(qt_catalog)
        if code != self._language or was_pseudo:
            self._remove_installed()
            for translator in translators:
                self._app.installTranslator(translator)
            self._installed = translators
            self._language = code
            self.language_changed.emit(code)
        return loaded

    def release(self) -> None:
        """Take this switcher's translators off the application (its window is closing); the language is English."""
        self._remove_installed()
        self._language = SOURCE_LANGUAGE

    def _load(self, path: Path) -> QTranslator | None:
        translator = QTranslator(self)
        if path.is_file() and translator.load(str(path)):
            return translator
        translator.deleteLater()
        return None

    def _remove_installed(self) -> None:
        for translator in self._installed:
            self._app.removeTranslator(translator)
            translator.deleteLater()
        self._installed = []
