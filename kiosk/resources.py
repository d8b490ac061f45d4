"""Find files under ``resources/`` (style sheets, translations, fonts) from the checkout or a PyInstaller bundle.

Qt-free, so that ``ui`` (style sheets, translations) and ``printing`` (fonts embedded in PDFs) share one way to find
them.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_root() -> Path:
    """The ``resources`` folder: inside the bundle when frozen by PyInstaller, else at the top of the checkout."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """The path of a resource, e.g. ``resource_path("fonts", "DejaVuSans.ttf")``. The file may not exist."""
    return resources_root().joinpath(*parts)
