"""No ``Any`` in the core's public signatures (issue 15, point 5): what a screen, the printing face or the server
hands the core, and what it gets back, has a real type (a TypedDict of kiosk.report_document, a dataclass, a model
row, the Kiosk container, ``object`` for what is checked at run time).

The check reads the syntax tree of every module in kiosk/ (no import, so modules that need a keyring or a display
are read too) and finds each public function and method whose parameters or return carry ``Any``: written out
(``Any``, ``typing.Any``, or inside a quoted annotation) or through a type alias that does (``Row = dict[str,
Any]``), in the same module or imported from another module of kiosk/. Public means: the module's name does not
start with ``_`` (``__init__`` is the package's own face and counts), nor the function's, nor its class's; dunder
methods (``__init__``, ``__call__``, ...) are public. The fields of a dataclass are the parameters of its
``__init__`` and count as one signature.

ALLOWED lists the modules whose owner has not converted them yet, with how many signatures still carry ``Any``;
the test fails when a module has more (use a real type) and when it has fewer (then lower its entry, so the table
stays the true list of what is left).
"""

from __future__ import annotations

import ast
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PACKAGE = "kiosk"

# module -> how many public signatures still carry Any (see the module's docstring).
ALLOWED: dict[str, int] = {
    "kiosk/config.py": 5,  # Setting, setting(), default_of(), settings(), config_from_mapping(): the declaration, TOML
    "kiosk/config_check.py": 2,  # check_config(), config_schema(): TOML input and a JSON Schema document
    "kiosk/config_file.py": 1,  # defaults(): the default configuration as TOML data
    "kiosk/doctor.py": 2,  # Finding.as_json(), check_disk()
    "kiosk/storage/fields.py": 3,  # UtcDateTimeField.__new__'s overloads: peewee's Field takes *args, **kwargs
}


@dataclass(frozen=True)
class Signature:
    module: str
    name: str  # "function", "Class.method", or "Class.__init__" for a dataclass's fields
    line: int


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


class _Module:
    """One module's syntax tree, with its type aliases and the names it imports from other modules."""

    def __init__(self, name: str, source: str) -> None:
        self.name = name
        self.tree = ast.parse(source)
        self.aliases: dict[str, ast.expr] = {}
        self.imported: dict[str, tuple[str, str]] = {}  # local name -> (module, its name there)
        for node in self.tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                self.aliases[node.targets[0].id] = node.value
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
                if "TypeAlias" in ast.unparse(node.annotation):
                    self.aliases[node.target.id] = node.value
        # Imports at the top, under `if TYPE_CHECKING:` or anywhere else (the core imports absolutely).
        for node in ast.walk(self.tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    self.imported[alias.asname or alias.name] = (node.module, alias.name)


class AnyFinder:
    """Finds the public signatures that carry Any in a set of modules (name -> source)."""

    def __init__(self, sources: dict[str, str]) -> None:
        self.modules = {name: _Module(name, source) for name, source in sources.items()}
        self._alias_any: dict[tuple[str, str], bool] = {}

    def mentions_any(self, module: _Module, node: ast.AST | None, seen: frozenset[tuple[str, str]] = frozenset()
                     ) -> bool:
        if node is None:
            return False
        for inner in ast.walk(node):
            if isinstance(inner, ast.Name):
                if inner.id == "Any" or self._alias_has_any(module, inner.id, seen):
                    return True
            elif isinstance(inner, ast.Attribute) and inner.attr == "Any":
                return True
            elif isinstance(inner, ast.Constant) and isinstance(inner.value, str):
                try:
                    quoted = ast.parse(inner.value, mode="eval")
                except SyntaxError:
                    continue
                if self.mentions_any(module, quoted, seen):
                    return True
        return False

    def _alias_has_any(self, module: _Module, name: str, seen: frozenset[tuple[str, str]]) -> bool:
        where = (module.name, name)
        if where in seen:
            return False
        if name in module.aliases:
            if where not in self._alias_any:
                self._alias_any[where] = self.mentions_any(module, module.aliases[name], seen | {where})
            return self._alias_any[where]
        if name in module.imported:
            source, original = module.imported[name]
            if source in self.modules:
                return self._alias_has_any(self.modules[source], original, seen | {where})
        return False

    def signatures_with_any(self) -> list[Signature]:
        found: list[Signature] = []
        for module in self.modules.values():
            if any(_is_private(part) for part in module.name.split(".")):
                continue
            self._walk(module, module.tree.body, "", found)
        return found

    def _walk(self, module: _Module, body: list[ast.stmt], prefix: str, found: list[Signature]) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not _is_private(node.name):
                arguments = node.args
                annotations = [a.annotation for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs,
                                                      arguments.vararg, arguments.kwarg) if a is not None]
                if any(self.mentions_any(module, a) for a in [*annotations, node.returns]):
                    found.append(Signature(module.name, prefix + node.name, node.lineno))
            elif isinstance(node, ast.ClassDef) and not _is_private(node.name):
                if any("dataclass" in ast.unparse(d) for d in node.decorator_list) and any(
                        isinstance(item, ast.AnnAssign) and "ClassVar" not in ast.unparse(item.annotation)
                        and self.mentions_any(module, item.annotation) for item in node.body):
                    found.append(Signature(module.name, f"{prefix}{node.name}.__init__", node.lineno))
                self._walk(module, node.body, f"{prefix}{node.name}.", found)
            elif isinstance(node, ast.If):  # e.g. definitions made only on some platforms
                self._walk(module, [*node.body, *node.orelse], prefix, found)


def package_sources() -> dict[str, str]:
    return {module_name(path): path.read_text(encoding="utf-8")
            for path in sorted((ROOT / PACKAGE).rglob("*.py"))}


def _file_of(module: str) -> str:
    path = ROOT / (module.replace(".", "/") + ".py")
    return path.relative_to(ROOT).as_posix() if path.exists() else module.replace(".", "/") + "/__init__.py"


def test_the_check_finds_any_written_out_quoted_or_behind_an_alias():
    finder = AnyFinder({
        "kiosk.rows": "from typing import Any\nRow = dict[str, Any]\nClean = dict[str, object]\n",
        "kiosk.service": '''
import typing
from typing import Any, TYPE_CHECKING
from dataclasses import dataclass
from kiosk.rows import Clean, Row
if TYPE_CHECKING:
    from kiosk.rows import Row as Later

def written(x: Any) -> None: ...
def dotted() -> typing.Any: ...
def quoted(x: "list[Any]") -> None: ...
def aliased(*, rows: list[Row]) -> None: ...
def late(**values: Later) -> None: ...
def clean(x: Clean, y: object) -> dict[str, int]: ...
def _private(x: Any) -> Any: ...

class Service:
    def __init__(self, audit: Any) -> None: ...
    def method(self) -> Clean: ...
    def _helper(self, x: Any) -> None: ...

class _Hidden:
    def method(self, x: Any) -> None: ...

@dataclass
class Record:
    details: dict[str, Any]
''',
        "kiosk._private": "from typing import Any\ndef f(x: Any) -> None: ...\n",
    })
    assert [s.name for s in finder.signatures_with_any()] == [
        "written", "dotted", "quoted", "aliased", "late", "Service.__init__", "Record.__init__"]


def test_no_public_signature_in_the_core_has_more_or_fewer_any_than_allowed():
    found = AnyFinder(package_sources()).signatures_with_any()
    counts = Counter(_file_of(signature.module) for signature in found)
    more = [f"{module}: {count} public signature(s) with Any, {ALLOWED.get(module, 0)} allowed: "
            + ", ".join(f"{s.name} (line {s.line})" for s in found if _file_of(s.module) == module)
            for module, count in sorted(counts.items()) if count > ALLOWED.get(module, 0)]
    fewer = [f"{module}: now {counts[module]} public signature(s) with Any: lower ALLOWED to that"
             for module, allowed in sorted(ALLOWED.items()) if counts[module] < allowed]
    assert not more + fewer, "\n".join(more + fewer)
