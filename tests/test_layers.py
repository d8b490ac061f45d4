"""The layers of DESIGN.md, checked on the source: the core never imports Qt or a face."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FACES = ("PySide6", "shiboken6", "ui", "printing", "server")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_the_core_imports_no_face():
    offenders = []
    for path in sorted((ROOT / "kiosk").rglob("*.py")):
        if path.name == "cli.py":
            continue  # the entry point wires the faces together, inside its subcommands
        for name in imported_modules(path):
            if name.split(".")[0] in FACES:
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_the_cli_imports_faces_only_inside_functions():
    tree = ast.parse((ROOT / "kiosk" / "cli.py").read_text(encoding="utf-8"))
    top_level = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    for node in top_level:
        module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
        assert module.split(".")[0] not in FACES, module


def test_importing_the_core_and_running_a_command_loads_no_qt(tmp_path):
    code = (
        "import sys, io; from kiosk.cli import main; "
        f"main(['--home', {str(tmp_path)!r}, 'list'], stdout=io.StringIO()); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'ui', 'printing')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_screens_do_not_query_the_database():
    offenders = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        for name in imported_modules(path):
            if name.split(".")[0] == "peewee" or name.startswith("kiosk.storage"):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_the_server_imports_the_core_but_no_qt_and_no_kiosk_face():
    offenders = []
    for path in sorted((ROOT / "server").rglob("*.py")):
        for name in imported_modules(path):
            if name.split(".")[0] in ("PySide6", "shiboken6", "ui", "printing") or name == "kiosk.cli":
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_the_sync_engine_loads_without_qt_or_the_server(tmp_path):
    code = (
        "import sys; import kiosk.sync.protocol; import kiosk.sync; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'ui', 'printing', 'server', "
        "'fastapi', 'uvicorn')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
