"""``printing`` depends on ``kiosk`` only: never on Qt or the screens, so receipts print from the CLI or a server."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_printing_imports_no_qt_and_no_screen():
    offenders = []
    for path in sorted((ROOT / "printing").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else []
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in ("PySide6", "shiboken6", "ui",
                                                                                  "server")]
    assert offenders == []


def test_rendering_a_receipt_loads_no_qt():
    code = (
        "import sys; from printing.samples import sample_reports; from printing.receipt import *; "
        "s, c = sample_reports(); r, a = s['unicode-long-en']; "
        "render_receipt(receipt_content(r, a, c.kiosk.zone), c.department); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'ui')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
