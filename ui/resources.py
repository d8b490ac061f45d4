"""Find files under ``resources/`` (style sheets, translations) from the repository or a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_root() -> Path:
    """The ``resources`` folder: inside the bundle when frozen by PyInstaller, else beside the ``ui`` package."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """The path of a resource, e.g. ``resource_path("style", "kiosk.qss")``. The file may not exist."""
    return resources_root().joinpath(*parts)
