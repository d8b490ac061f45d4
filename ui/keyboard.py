"""The on-screen keyboard: Qt Virtual Keyboard (from PySide6-Addons), turned on before the QApplication exists.

It only works under a real display server (X11 or Wayland; under Xvfb too). Offscreen there is no focus, so no
keyboard ever shows and none is asked for. Each input tells the keyboard which layout it needs through its input
method hints (ui/fields/text_field.py: the digit pad for ZIP codes, dates and money, a dial pad for phone numbers,
lower case first for e-mail, usernames and passwords). Its language follows the kiosk's (:class:`KeyboardLanguage`:
US English or Spain's Spanish, the globe key switching between those two only).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, MutableMapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication

from kiosk.translation import SOURCE_LANGUAGE

if TYPE_CHECKING:
    from PySide6.QtQml import QQmlEngine

    from ui.i18n import LanguageSwitcher

log = logging.getLogger(__name__)

IM_MODULE = "qtvirtualkeyboard"
HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc")


def wants_virtual_keyboard(environ: MutableMapping[str, str]) -> bool:
    platform = environ.get("QT_QPA_PLATFORM", "").split(":")[0]
    if platform in HEADLESS_PLATFORMS:
        return False
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY") or platform)


def enable_virtual_keyboard(environ: MutableMapping[str, str] | None = None) -> bool:
    """Ask Qt for the virtual keyboard (must run before the QApplication is created). Returns whether it did.

    An input method chosen already (``QT_IM_MODULE`` set, e.g. to ``ibus`` on a developer's desktop) is kept.
    """
    env = os.environ if environ is None else environ
    if env.get("QT_IM_MODULE"):
        log.info("input method %s chosen by the environment", env["QT_IM_MODULE"])
        return env["QT_IM_MODULE"] == IM_MODULE
    if not wants_virtual_keyboard(env):
        return False
    env["QT_IM_MODULE"] = IM_MODULE
    log.info("on-screen keyboard: %s", IM_MODULE)
    return True


# -- the keyboard's language -----------------------------------------------------------------------------------------

# The kiosk language → the Qt Virtual Keyboard layout (both are compiled into PySide6's layouts plugin).
KEYBOARD_LOCALES: dict[str, str] = {SOURCE_LANGUAGE: "en_US"}


def keyboard_layout(language: str) -> str:
    """The keyboard layout for a kiosk language: the source language's is US English; a code with a territory is its
    own layout (``pt_BR``); a bare language its home country's (``es`` -> ``es_ES``, ``pl`` -> ``pl_PL``). A layout
    the keyboard lacks falls back to :data:`FALLBACK_LOCALE`, with a log line."""
    if language in KEYBOARD_LOCALES:
        return KEYBOARD_LOCALES[language]
    return language if "_" in language else f"{language}_{language.upper()}"
FALLBACK_LOCALE = "en_US"
SETTINGS_MODULE = "QtQuick.VirtualKeyboard.Settings"
SETTINGS_SINGLETON = "VirtualKeyboardSettings"


def keyboard_in_use() -> bool:
    """Whether this process runs the Qt Virtual Keyboard: chosen as input method, on a platform with a display."""
    if os.environ.get("QT_IM_MODULE") != IM_MODULE:
        return False
    return QGuiApplication.instance() is not None and QGuiApplication.platformName() not in HEADLESS_PLATFORMS


class KeyboardLanguage(QObject):
    """Keeps the on-screen keyboard in the kiosk's language.

    The keyboard's language is the QML singleton ``VirtualKeyboardSettings`` (``locale``, ``activeLocales``). Its
    values live in the keyboard library, shared by every QML engine, so a small engine of our own can set them, before
    or after the keyboard first shows; the keyboard (its own engine, inside the input context) follows at once.
    ``QLocale.setDefault`` does not move a keyboard already shown, and ``Qt.ImPreferredLanguage`` is not read.
    Without the virtual keyboard (offscreen, another input method) every call does nothing.
    """

    def __init__(self, languages: tuple[str, ...] = tuple(KEYBOARD_LOCALES), parent: QObject | None = None, *,
                 layouts: Mapping[str, str] | None = None) -> None:
        super().__init__(parent)
        self._layouts = dict(layouts) if layouts is not None else {code: keyboard_layout(code) for code in languages}
        self._locales = list(dict.fromkeys(self._layouts.get(code, FALLBACK_LOCALE) for code in languages))
        self._engine: QQmlEngine | None = None
        self._settings: QObject | None = None
        self._layouts_checked = False
        if keyboard_in_use():
            self._settings = self._find_settings()

    @property
    def active(self) -> bool:
        return self._settings is not None

    def locale(self) -> str | None:
        """The keyboard's language as its settings hold it (``es_ES``); None without the virtual keyboard."""
        return None if self._settings is None else str(self._settings.property("locale"))

    def set_language(self, code: str) -> None:
        """Show the keyboard for the kiosk language ``code`` (``en``, ``es``); unknown codes get US English."""
        if self._settings is None:
            return
        locale = self._layouts.get(code, FALLBACK_LOCALE)
        if self._settings.property("locale") == locale:
            return
        self._settings.setProperty("locale", locale)
        log.info("on-screen keyboard language: %s", self._settings.property("locale"))

    def follow(self, switcher: LanguageSwitcher) -> None:
        """Set the keyboard to the switcher's language now and whenever it changes."""
        if self._settings is None:
            return
        switcher.language_changed.connect(self.set_language)
        self.set_language(switcher.language)

    def _find_settings(self) -> QObject | None:
        # Imported here: QtQml (and QtNetwork under it) cost ~12 ms at start-up, needed only with the keyboard.
        from PySide6.QtQml import QQmlEngine

        self._engine = QQmlEngine(self)
        settings = self._engine.singletonInstance(SETTINGS_MODULE, SETTINGS_SINGLETON)
        if not isinstance(settings, QObject):  # None when the module is missing (a QJSValue only for JS singletons)
            log.warning("on-screen keyboard: no %s singleton; it keeps its own language", SETTINGS_SINGLETON)
            return None
        # Only the kiosk's languages behind the globe key. Set now, before the keyboard has loaded: it keeps the list
        # and offers the locales in it that it has a layout for.
        settings.setProperty("activeLocales", self._locales)
        log.info("on-screen keyboard languages: %s", ", ".join(self._locales))
        # The keypad's keys drive the keyboard too (ui/keypad_input.py): the arrows move a highlight over its keys and
        # Enter presses the highlighted one, once the visitor has pressed Enter in a text field to type on it.
        settings.setProperty("arrowKeyNavigationEnabled", True)
        # Which layouts exist is known only once the keyboard has loaded them, the first time it shows: before that
        # availableLocales is empty; after, it lists the active locales the keyboard has a layout for. Check then.
        settings.availableLocalesChanged.connect(self._check_layouts)  # type: ignore[attr-defined]  # a signal QML adds at run time
        self._settings = settings
        self._check_layouts()
        return settings

    def _check_layouts(self) -> None:
        """Warn about each kiosk language the keyboard has no layout for, once its layouts are known."""
        if self._settings is None or self._layouts_checked:
            return
        available = set(self._settings.property("availableLocales") or ())
        if not available:
            return
        self._layouts_checked = True
        missing = [locale for locale in self._locales if locale not in available]
        if missing:
            log.warning("on-screen keyboard: no layout for %s", ", ".join(missing))
            kept = [locale for locale in self._locales if locale in available]
            if kept:
                self._settings.setProperty("activeLocales", kept)
        else:
            log.info("on-screen keyboard layouts: %s", ", ".join(self._locales))


def keyboard_follows(switcher: LanguageSwitcher) -> KeyboardLanguage:
    """A :class:`KeyboardLanguage` for the switcher's languages, owned by the switcher and following it."""
    keyboard = KeyboardLanguage(switcher.languages, parent=switcher)
    keyboard.follow(switcher)
    return keyboard
