"""A tracking number is parsed once, at the edge (issue 15, point 3): where text comes into the kiosk (a command-line
argument, a field on a screen, the sync protocol's JSON) it is read with ``TrackingNumber.parse``; past that edge it
travels as a :class:`kiosk.tracking.TrackingNumber`, and a row of the kiosk's own database becomes one with
``TrackingNumber.from_stored``. No service parses again.

The check reads the syntax tree of every module in kiosk/, ui/ and server/ (no import, so modules that need Qt, a
keyring or a display are read too) and finds each use of ``TrackingNumber.parse``: called or handed on
(``type=TrackingNumber.parse``), whatever name ``TrackingNumber`` was imported under, from kiosk.tracking or
kiosk.vocabulary, or as ``cls.parse`` inside the class. EDGES lists the functions that may. The test fails on a use
anywhere else, and on an entry that no longer parses (then take it off, so the table stays the true list).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kiosk.tracking import TrackingNumber

ROOT = Path(__file__).resolve().parent.parent.parent
PACKAGES = ("kiosk", "ui", "server")
DEFINED_IN = "kiosk/tracking.py"
MODULES_WITH_THE_CLASS = ("kiosk.tracking", "kiosk.vocabulary")

# (module, function) -> the text it reads.
EDGES: dict[tuple[str, str], str] = {
    ("kiosk/cli_common.py", "tracking_argument"): "argparse's type= for every tracking number on the command line",
    ("kiosk/review/model.py", "read_search"): "the officers' queue search: the screen's box and `queue --search`",
    ("kiosk/lookup.py", "read_tracking_number"): "Check a report's field (typed, or put there from a scanned QR code)",
    ("kiosk/sync/apply.py", "_read"): "a decision of the server's decisions feed (JSON)",
    ("ui/officer/decision_flow.py", "DecisionFlow._reject"): "the original's number typed in the reject dialog",
    ("server/schemas.py", "_tracking_number"): "the sync protocol's JSON at the server (the pushed reports and events)",
    ("server/cli.py", "tracking_argument"): "p2c-server decide's arguments",
    ("server/official_numbers.py", "read_numbers_file"): "a kiosk's export of its standalone-era numbers (JSON)",
}


def parse_uses(source: str, filename: str = "<source>") -> list[tuple[str, int]]:
    """(enclosing function as ``Class.method`` or ``function``, line) of each use of ``TrackingNumber.parse``."""
    tree = ast.parse(source, filename)
    names = {"TrackingNumber"}  # the class's own name (in kiosk/tracking.py, and as a safe default)
    modules: set[str] = set()  # names a module holding the class is bound to: `import kiosk.tracking as t`
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in MODULES_WITH_THE_CLASS:
            names |= {alias.asname or alias.name for alias in node.names if alias.name == "TrackingNumber"}
        elif isinstance(node, ast.Import):
            modules |= {alias.asname or alias.name for alias in node.names if alias.name in MODULES_WITH_THE_CLASS}
    found: list[tuple[str, int]] = []

    def is_the_class(node: ast.expr, in_class: str | None) -> bool:
        if isinstance(node, ast.Name):
            return node.id in names or (node.id == "cls" and in_class == "TrackingNumber")
        if isinstance(node, ast.Attribute) and node.attr == "TrackingNumber":
            return ast.unparse(node.value) in modules
        return False

    def visit(node: ast.AST, scope: list[str], in_class: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, [*scope, child.name], child.name)
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, [*scope, child.name], in_class)
            else:
                if (isinstance(child, ast.Attribute) and child.attr == "parse"
                        and is_the_class(child.value, in_class)):
                    found.append((".".join(scope) or "<module>", child.lineno))
                visit(child, scope, in_class)

    visit(tree, [], None)
    return found


def uses_in_the_tree() -> dict[tuple[str, str], list[int]]:
    uses: dict[tuple[str, str], list[int]] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            module = path.relative_to(ROOT).as_posix()
            for function, line in parse_uses(path.read_text(encoding="utf-8"), module):
                uses.setdefault((module, function), []).append(line)
    return uses


def test_only_the_edges_parse_a_tracking_number():
    uses = uses_in_the_tree()
    elsewhere = {f"{module}:{lines[0]} in {function}" for (module, function), lines in uses.items()
                 if (module, function) not in EDGES}
    assert not elsewhere, ("TrackingNumber.parse outside an edge: take a TrackingNumber instead (parse where the "
                           f"text comes in, or TrackingNumber.from_stored for a database row): {sorted(elsewhere)}")


@pytest.mark.parametrize("entry", list(EDGES), ids=lambda entry: f"{entry[0]}:{entry[1]}")
def test_every_listed_place_still_parses(entry):
    """An entry whose function no longer parses comes off its table."""
    assert entry in uses_in_the_tree(), f"{entry} does not parse a tracking number any more: take it off the table"


def test_the_search_finds_every_spelling_of_a_use():
    """The finder itself: each way of writing the parse is found, in the function it is in; other parses are not."""
    source = '''
import kiosk.tracking as tracking
from kiosk.vocabulary import TrackingNumber as Number

def direct(text):
    return Number.parse(text)

class Service:
    def handed_on(self, parser):
        parser.add_argument("n", type=Number.parse)

    def through_the_module(self, text):
        return tracking.TrackingNumber.parse(text)

def not_ours(text):
    return date.parse(text) or json.parse(text)
'''
    assert parse_uses(source) == [("direct", 6), ("Service.handed_on", 10), ("Service.through_the_module", 13)]
    inside = "class TrackingNumber(str):\n    @classmethod\n    def again(cls, text):\n        return cls.parse(text)\n"
    assert parse_uses(inside) == [("TrackingNumber.again", 4)]


def test_the_class_itself_defines_parse_and_never_calls_it():
    assert parse_uses((ROOT / DEFINED_IN).read_text(encoding="utf-8")) == []
    assert TrackingNumber.parse("t2601000421") == TrackingNumber(26, 1, 42)
