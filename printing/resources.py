"""Find files under ``resources/`` (the fonts embedded in PDFs) from the checkout or a PyInstaller bundle.

A tiny twin of ``ui/resources.py``: ``printing`` never imports ``ui``.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_root() -> Path:
    """The ``resources`` folder: inside the bundle when frozen by PyInstaller, else beside the ``printing`` package."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """The path of a resource, e.g. ``resource_path("fonts", "DejaVuSans.ttf")``. The file may not exist."""
    return resources_root().joinpath(*parts)
