"""The domain's words are written once, in kiosk/vocabulary.py (issue 15: "the category, status, reason and language
strings appear as literals only in the vocabulary module and in translation catalogues").

The check walks the syntax tree of every module in kiosk/, ui/, printing/ and server/ and finds the string literals
equal to a category, status, rejection reason or language code; docstrings are prose and are not counted. Comments
never reach the tree. Translation catalogues are not Python (resources/translations, resources/notices) and are not
walked; the core's message tables key their texts by strings such as ``review.next_steps.duplicate``, which contain a
code but do not equal one.

Some words are shared with other vocabularies and are counted all the same, on purpose: history event actions and
notice kinds (``approved``, ``rejected``, ``submitted``, ...: EventAction and NoticeKind), ``other`` as a place type,
the screening question ``suspect_or_evidence`` (ScreeningQuestion) and ``en``/``es`` as Qt locale and translation
names. They are written through kiosk.vocabulary too.

Languages are not part of the vocabulary any more (issue 20: adding a language is data, not code): no module of the
product (kiosk/, ui/, printing/, server/, p2c_kiosk/) may name a language other than the source language. The second
check finds a string literal equal to a shipped catalogue's code.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

from kiosk.translation import SOURCE_LANGUAGE, catalogues
from kiosk.vocabulary import Category, RejectionReason, Status

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("kiosk", "ui", "printing", "server")
VOCABULARY = Path("kiosk/vocabulary.py")
CODES = frozenset(member.value for enum in (Category, Status, RejectionReason) for member in enum)
SHIPPED = {code for code in catalogues().installed() if code != SOURCE_LANGUAGE}
LANGUAGE_NAMES = frozenset(SHIPPED)  # the bare "pt" of "pt_BR" is also the unit of a font size: not counted


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def domain_literals(source: str, codes: frozenset[str] = CODES) -> Counter[str]:
    """How many string literals equal to each domain code ``source`` holds, docstrings left out."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    return Counter(node.value for node in ast.walk(tree)
                   if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in codes
                   and id(node) not in skip)


def literals_by_module(codes: frozenset[str] = CODES, packages: tuple[str, ...] = PACKAGES) -> dict[str, Counter[str]]:
    found = {}
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if relative == VOCABULARY:
                continue
            counts = domain_literals(path.read_text(encoding="utf-8"), codes)
            if counts:
                found[relative.as_posix()] = counts
    return found


def test_the_check_sees_a_literal_and_ignores_docstrings_and_enum_members():
    source = '''"""A module about "approved" reports."""
def f(status):
    """Whether it is "rejected"."""
    return status == "rejected" or status == Status.APPROVED or status == "rejected_by_mistake"
'''
    assert domain_literals(source) == Counter({"rejected": 1})
    assert domain_literals('LANGUAGES = ("en", "es")\nOTHER = "other"') == Counter({"other": 1})
    assert domain_literals('LANGUAGES = ("en", "es", "pt_BR")', frozenset({"es", "pt_BR"})) == Counter(
        {"es": 1, "pt_BR": 1})


def test_only_the_vocabulary_writes_domain_literals():
    found = literals_by_module()
    assert not found, "\n".join(f"{module}: {dict(counts)}" for module, counts in found.items())


def test_no_module_names_a_language_other_than_the_source_language():
    assert {"es", "pt_BR", "zh_CN"} <= SHIPPED, "run `make translations` first"
    found = literals_by_module(LANGUAGE_NAMES, (*PACKAGES, "p2c_kiosk"))
    assert not found, "\n".join(f"{module}: {dict(counts)}" for module, counts in found.items())
