"""The layers of docs/architecture.md, checked on the source: the core never imports Qt or a face, not even inside a
function."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FACES = ("PySide6", "shiboken6", "ui", "printing", "server", "p2c_kiosk")  # and the composition root


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, root: Path = ROOT) -> set[str]:
    """Every module ``path`` imports, wherever the import is (top level, inside a function or a class, under
    ``if TYPE_CHECKING``), relative imports resolved, and what ``importlib.import_module("...")`` or
    ``__import__("...")`` name with a literal."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            parts = [node.module] if node.module else []
            if node.level:
                parent = package.split(".")
                parts = parent[: len(parent) - (node.level - 1)] + parts
            names.add(".".join(parts))
            names |= {".".join([*parts, alias.name]) for alias in node.names}
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            called = ast.unparse(node.func)
            if called in ("importlib.import_module", "import_module", "__import__"):
                names.add(node.args[0].value)
    return names


def test_the_core_imports_no_face_anywhere():
    offenders = []
    for path in sorted((ROOT / "kiosk").rglob("*.py")):
        for name in sorted(imported_modules(path)):
            if name.split(".")[0] in FACES:
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_an_import_inside_a_function_is_seen(tmp_path):
    """The check above would catch what the command line once did: a face imported inside a subcommand."""
    package = tmp_path / "kiosk"
    package.mkdir()
    (package / "__init__.py").write_text("")
    hidden = package / "hidden.py"
    hidden.write_text("def run():\n    from ui.app import run_kiosk\n    import printing.receipt\n"
                      "    from .. import server\n")
    assert imported_modules(hidden, root=tmp_path) >= {"ui.app", "printing.receipt", "server"}


def command_line_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted((ROOT / "kiosk").glob("cli*.py"))}


def test_the_command_line_modules_import_each_other_in_no_circle():
    modules = command_line_modules()
    graph = {name: {other for other in imported_modules(path) if other in modules and other != name}
             for name, path in modules.items()}
    circles = []

    def visit(name: str, trail: list[str]) -> None:
        for other in sorted(graph[name]):
            if other in trail:
                circles.append(" -> ".join([*trail[trail.index(other):], other]))
            else:
                visit(other, [*trail, other])

    for name in graph:
        visit(name, [name])
    assert circles == []


def test_each_command_line_module_imports_alone():
    for name in command_line_modules():
        result = subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, f"{name}: {result.stderr}"


def test_the_exit_codes_are_defined_once():
    """Only kiosk.cli_common assigns the EXIT_ codes; every command module imports them from there."""
    offenders = []
    for path in [*sorted((ROOT / "kiosk").rglob("*.py")), *sorted(ROOT.glob("[up]*/commands.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if isinstance(node, ast.AnnAssign) else []
            names = [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
            if any(n.startswith("EXIT_") for n in names) and path.name != "cli_common.py":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_importing_the_core_and_running_a_command_loads_no_qt(tmp_path):
    code = (
        "import sys, io; from p2c_kiosk import main; "
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
