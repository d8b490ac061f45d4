"""The Spanish catalogue is complete: every string is translated and every tr() string is in it."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kiosk.resources import resource_path
from ui.i18n import fill

TS_FILE = resource_path("translations", "p2c_es.ts")
UI_DIR = Path(__file__).resolve().parents[2] / "ui"
PLACE_MARKER = re.compile(r"%\d")


def messages(ts_file: Path) -> list[ET.Element]:
    return list(ET.parse(ts_file).getroot().iter("message"))


def test_every_string_in_the_spanish_catalogue_is_translated():
    found = messages(TS_FILE)
    assert found, "p2c_es.ts holds no messages"
    for message in found:
        source = message.findtext("source")
        translation = message.find("translation")
        assert translation is not None, f"{source!r} has no translation element"
        assert translation.get("type") not in ("unfinished", "obsolete", "vanished"), (
            f"{source!r} is marked {translation.get('type')}"
        )
        assert (translation.text or "").strip(), f"{source!r} has an empty translation"
        assert sorted(PLACE_MARKER.findall(source)) == sorted(PLACE_MARKER.findall(translation.text)), (
            f"{source!r}: the translation must keep the same %1, %2... markers"
        )


def test_every_translatable_string_in_ui_is_in_the_catalogue(tmp_path, pyside_tool):
    lupdate = pyside_tool("lupdate")
    if lupdate is None:
        pytest.skip("pyside6-lupdate is not installed, cannot scan ui/ for strings")
    copy = tmp_path / "p2c_es.ts"
    shutil.copy(TS_FILE, copy)
    sources = sorted(str(p) for p in UI_DIR.rglob("*.py"))
    subprocess.run([lupdate, *sources, "-locations", "none", "-ts", str(copy)], check=True, capture_output=True)
    missing = [m.findtext("source") for m in messages(copy) if m.find("translation").get("type") == "unfinished"]
    assert not missing, f"run pyside6-lupdate and translate: {missing}"


def test_fill_replaces_qt_place_markers():
    assert fill("call %1", "911") == "call 911"
    assert fill("%2 then %1", "a", "b") == "b then a"
    assert fill("%1 and %10", *[str(n) for n in range(1, 11)]) == "1 and 10"
