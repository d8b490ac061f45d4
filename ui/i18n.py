"""Switch the language of the whole kiosk, live: the screens read the same gettext catalogues as the core.

English is the source language: it needs no catalogue. Any other language installs a :class:`CatalogueTranslator`
(a ``QTranslator`` that answers ``tr()`` from the language's ``p2c.mo``, :mod:`kiosk.translation`) and, when Qt ships
one, ``qtbase_<code>.qm`` for Qt's own texts (standard dialog buttons). Installing or removing a translator makes Qt
send ``QEvent.LanguageChange`` to every widget; each page answers it with its own ``retranslate()``. A right-to-left
language (or the RTL pseudo-locale) also mirrors the application's layout direction.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, Qt, QTranslator, Signal
from PySide6.QtGui import QGuiApplication

from kiosk.translation import (
    PSEUDO_LANGUAGE,
    PSEUDO_LANGUAGES,
    PSEUDO_RTL_LANGUAGE,
    SOURCE_LANGUAGE,
    Catalogues,
    Translation,
    babel_locale,
    cldr_locale,
)

if TYPE_CHECKING:
    pass



def qt_locale(language: str) -> QLocale:
    """The Qt locale a language's dates and numbers are shown in (:func:`kiosk.translation.cldr_locale`): ``es`` is
    the Spanish of the United States; a language Qt has no such locale for is shown in its own default."""
    locale = QLocale(cldr_locale(language))
    base = QLocale(language)
    return locale if locale.language() == base.language() else base


def day_text(day: date, language: str) -> str:
    """A day with its weekday, short, as CLDR writes it in ``language``: "Tue, Nov 24, 2026", "mar, 24 nov 2026"."""
    from babel.dates import format_skeleton

    return format_skeleton("yMMMEd", day, locale=babel_locale(language))


def amount_text(amount: Decimal, language: str) -> str:
    """US dollars as CLDR writes them in ``language`` ("$1,240.50", "US$ 1.240,50"), as the printed report copy does
    (``printing.texts.format_amount``)."""
    from babel.numbers import format_currency

    return format_currency(amount, "USD", locale=babel_locale(language))


def date_order(language: str) -> tuple[str, ...]:
    """The order of month, day and year in ``language``'s short date (CLDR): US English writes month first."""
    pattern = qt_locale(language).dateFormat(QLocale.FormatType.ShortFormat)
    found = {part: pattern.find(letter) for part, letter in (("month", "M"), ("day", "d"), ("year", "y"))}
    return tuple(sorted(found, key=lambda part: found[part]))


def fill(text: str, *values: str) -> str:
    """Put values into Qt-style place markers: ``fill("call %1", "911")`` gives ``"call 911"``.

    The catalogue checks (``scripts/translation_checks.py``) make sure a translation keeps every ``%1``, ``%2``... of
    its source.
    """
    # Replace the highest markers first so "%1" never eats the start of "%10".
    for number in range(len(values), 0, -1):
        text = text.replace(f"%{number}", values[number - 1])
    return text


class CatalogueTranslator(QTranslator):
    """Answers Qt's ``tr()`` from one language's gettext catalogue. The message id is the English source text; Qt's
    context (the class name) is not part of it, so one English text has one translation everywhere."""

    def __init__(self, translation: Translation, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._translation = translation

    def translate(self, context: str, source_text: str, disambiguation: str | None = None, n: int = -1) -> str:
        if disambiguation:
            return self._translation.pgettext(disambiguation, source_text)
        if n >= 0:
            return self._translation.ngettext(source_text, source_text, n)
        return self._translation.gettext(source_text)

    def isEmpty(self) -> bool:  # an empty translator is installed without a LanguageChange event
        return False

    def language(self) -> str:
        return self._translation.language


class LanguageSwitcher(QObject):
    """Installs the translators for one language on the application and says when the language changed."""

    language_changed = Signal(str)

    def __init__(
        self,
        app: QCoreApplication,
        languages: tuple[str, ...],
        *,
        catalogues: Catalogues | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._app = app
        self._languages = tuple(languages)
        self._catalogues = catalogues or Catalogues()
        self._installed: list[QTranslator] = []
        self._language = SOURCE_LANGUAGE

    @property
    def language(self) -> str:
        """The visitor's language (``en``, ``es``...); the pseudo-locales count as English."""
        return SOURCE_LANGUAGE if self.pseudo else self._language

    @property
    def pseudo(self) -> bool:
        return self._language in PSEUDO_LANGUAGES

    @property
    def catalogues(self) -> Catalogues:
        return self._catalogues

    def set_pseudo_locale(self, *, right_to_left: bool = False) -> None:
        """Show a pseudo-locale (never offered to a visitor: for screenshots and layout tests)."""
        self._install(PSEUDO_RTL_LANGUAGE if right_to_left else PSEUDO_LANGUAGE)

    @property
    def languages(self) -> tuple[str, ...]:
        return self._languages

    def set_language(self, code: str) -> None:
        """Show the kiosk in ``code``, one of the offered languages. Raises ValueError for a language not offered and
        :class:`kiosk.translation.UnknownLanguage` for one without a catalogue (the configuration check refuses
        that before the kiosk starts): the kiosk never falls back to English without saying so."""
        if code not in self._languages:
            raise ValueError(f"language {code!r} is not one of {self._languages}")
        self._install(code)

    def release(self) -> None:
        """Take this switcher's translators off the application (its window is closing); the language is English."""
        self._remove_installed()
        self._set_direction(Qt.LayoutDirection.LeftToRight)
        self._language = SOURCE_LANGUAGE

    def _install(self, code: str) -> None:
        if code == self._language:
            return
        translation = self._catalogues.get(code)
        translators: list[QTranslator] = []
        if code != SOURCE_LANGUAGE:
            translators.append(CatalogueTranslator(translation, self))
            if code not in PSEUDO_LANGUAGES:
                qt_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
                qt_catalog = self._load_qt(qt_dir, code)
                if qt_catalog is not None:
                    translators.append(qt_catalog)
        self._remove_installed()
        for translator in translators:
            self._app.installTranslator(translator)
        self._installed = translators
        self._language = code
        self._set_direction(Qt.LayoutDirection.RightToLeft if translation.right_to_left
                            else Qt.LayoutDirection.LeftToRight)
        self.language_changed.emit(self.language)

    def _set_direction(self, direction: Qt.LayoutDirection) -> None:
        if isinstance(self._app, QGuiApplication) and self._app.layoutDirection() != direction:
            self._app.setLayoutDirection(direction)

    def _load_qt(self, folder: Path, code: str) -> QTranslator | None:
        """Qt's own texts for ``code``: ``qtbase_pt_BR.qm``, else ``qtbase_pt.qm``."""
        for name in (code, code.split("_")[0]):
            translator = QTranslator(self)
            path = folder / f"qtbase_{name}.qm"
            if path.is_file() and translator.load(str(path)):
                return translator
            translator.deleteLater()
        return None

    def _remove_installed(self) -> None:
        for translator in self._installed:
            self._app.removeTranslator(translator)
            translator.deleteLater()
        self._installed = []
