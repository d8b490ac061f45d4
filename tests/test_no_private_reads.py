"""No test reads a private attribute (issue 15: "where a test needs to see something, the screen shows it").

The check walks the syntax tree of every module under tests/ and finds each ``x._name`` (one leading underscore, not
a dunder) where ``x`` is not ``self`` or ``cls``, and each ``getattr``/``setattr``/``hasattr``/``delattr`` (and
pytest's ``monkeypatch.setattr``/``delattr``) of such a name written as a string. A test helper class may use its
own private attributes through ``self``; what it may not do is reach into an object of the kiosk's.

A few names start with an underscore and are public all the same, documented by their libraries: they are allowed
(ALLOWED, with where each is documented).
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent

# Public names with a leading underscore, each documented by its library.
ALLOWED = {
    "_meta": "peewee: Model._meta, the model's metadata (fields, table name)",
    "_replace": "collections.namedtuple: a copy with some fields changed",
    "_asdict": "collections.namedtuple: the fields as a dict",
    "_fields": "collections.namedtuple: the field names",
    "_make": "collections.namedtuple: build from an iterable",
    "_MEIPASS": "PyInstaller: sys._MEIPASS, the bundle's folder",
}
BY_NAME = frozenset({"getattr", "setattr", "hasattr", "delattr"})


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__")) and name not in ALLOWED


def private_reads(source: str) -> list[tuple[int, str]]:
    """``(line, name)`` of each private attribute ``source`` reaches into (see the module's docstring)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            if not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                found.append((node.lineno, node.attr))
        elif isinstance(node, ast.Call) and len(node.args) >= 2:
            function = node.func
            by_name = ((isinstance(function, ast.Name) and function.id in BY_NAME)
                       or (isinstance(function, ast.Attribute) and function.attr in ("setattr", "delattr")))
            name = node.args[1]
            if by_name and isinstance(name, ast.Constant) and isinstance(name.value, str) and _private(name.value):
                found.append((node.lineno, name.value))
    return sorted(found)


def test_the_check_sees_private_reads_and_leaves_self_dunders_and_documented_names_alone():
    source = '''
class Helper:
    def __init__(self):
        self._count = 0
        type(self).__name__

def test_it(window, monkeypatch, Report):
    window.watchdog._timer.setInterval(10)
    getattr(window, "_overlay")
    monkeypatch.setattr(window, "_closing", True)
    Report._meta.table_name
    point._replace(x=1)
    getattr(window, "title")
'''
    assert private_reads(source) == [(8, "_timer"), (9, "_overlay"), (10, "_closing")]


def test_no_test_reads_a_private_attribute():
    found = [f"{path.relative_to(TESTS.parent).as_posix()}:{line}: {name}"
             for path in sorted(TESTS.rglob("*.py"))
             for line, name in private_reads(path.read_text(encoding="utf-8"))]
    assert not found, "tests reading private attributes (assert on what the screen or the service shows):\n" + \
        "\n".join(found)
