"""The screens cover the same scripts as the receipts (issue 20): a Chinese name on a kiosk whose system has no CJK font
shows as glyphs, drawn from the fallback font the kiosk carries (resources/fonts), not as boxes.

The real check runs in a child process whose fontconfig knows DejaVu Sans only (as a bare kiosk image does), so the
glyphs can only come from the kiosk's own registration. Qt's text layout says which font drew each glyph and which
glyph: index 0 is the empty box."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QFont

from kiosk.resources import resource_path
from ui.theme import FALLBACK_FAMILY, FALLBACK_MONO_FAMILY, style_families

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
CHINESE = "王秀英 金龙超市"

CHILD = r"""
import json, sys
from PySide6.QtGui import QTextLayout
from PySide6.QtWidgets import QApplication, QLabel

def glyph_runs(label):
    layout = QTextLayout(label.text(), label.font())
    layout.beginLayout(); layout.createLine(); layout.endLayout()
    return [[run.rawFont().familyName(), list(run.glyphIndexes())] for run in layout.glyphRuns()]

app = QApplication([])
from ui.theme import Theme, read_style, register_fallback_font
label = QLabel(sys.argv[1])
label.setStyleSheet(read_style("kiosk.qss"))  # the kiosk's own family list, as the window has it
label.adjustSize()
before = glyph_runs(label)
theme = Theme(label)
register_fallback_font()  # what build_window has done by the first paint
theme.attach(label)
label.ensurePolished()
label.resize(label.sizeHint())
after = glyph_runs(label)
label.grab().save(sys.argv[2])
print(json.dumps({"before": before, "after": after}))
"""


def bare_fontconfig(folder: Path) -> dict[str, str]:
    """An environment whose fontconfig knows only DejaVu Sans (copied from resources/fonts): no CJK font at all."""
    fonts = folder / "fonts"
    fonts.mkdir()
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        shutil.copy(resource_path("fonts", name), fonts / name)
    conf = folder / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{fonts}</dir><cachedir>{folder / "cache"}</cachedir></fontconfig>
""", encoding="utf-8")
    return {**os.environ, "FONTCONFIG_FILE": str(conf), "QT_QPA_PLATFORM": "offscreen"}


def test_chinese_shows_as_glyphs_from_the_kiosk_s_own_fallback_font(tmp_path):
    shot = tmp_path / "label.png"
    done = subprocess.run([sys.executable, "-c", CHILD, CHINESE, str(shot)], env=bare_fontconfig(tmp_path),
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    runs = json.loads(done.stdout.strip().splitlines()[-1])
    # Without the kiosk's fallback this system has no glyph for them: boxes (glyph 0).
    assert any(0 in glyphs for _, glyphs in runs["before"])
    # With it, every character has a glyph, and the Chinese ones come from the fallback.
    assert all(0 not in glyphs for _, glyphs in runs["after"]), runs["after"]
    assert FALLBACK_FAMILY in {family for family, _ in runs["after"]}
    assert shot.is_file() and shot.stat().st_size > 0


def test_every_family_the_style_sheets_name_falls_back_to_it(window, qtbot):
    qtbot.waitUntil(lambda: bool(QFont.substitutes("DejaVu Sans")))  # loaded once the welcome page was painted
    families = style_families()
    assert "DejaVu Sans" in families and "DejaVu Sans Mono" in families
    assert "sans-serif" not in families
    for family in families:
        expected = FALLBACK_MONO_FAMILY if "mono" in family.lower() else FALLBACK_FAMILY
        assert expected.lower() in [name.lower() for name in QFont.substitutes(family)], family
