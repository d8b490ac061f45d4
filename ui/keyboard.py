"""The on-screen keyboard: Qt Virtual Keyboard (from PySide6-Addons), turned on before the QApplication exists.

It only works under a real display server (X11 or Wayland; under Xvfb too). Offscreen there is no focus, so no
keyboard ever shows and none is asked for. Each input tells the keyboard which layout it needs through its input
method hints (digits for ZIP codes, a dial pad for phone numbers, numbers for money) and its language through
``Qt.ImPreferredLanguage`` (``ui.widgets.KioskLineEdit``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import MutableMapping

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
