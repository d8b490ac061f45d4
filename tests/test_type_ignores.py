"""Every ``type: ignore`` in the product's code names the error it silences and says why on the same line (issue 15:
"each remaining type: ignore says why"), e.g. ``# type: ignore[attr-defined]  # PySide6's stubs lack X``. mypy itself
runs in ``make test``; this test keeps the reasons, which mypy does not ask for."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("kiosk", "ui", "printing", "server", "p2c_kiosk")
IGNORE = re.compile(r"type:\s*ignore")
EXPLAINED = re.compile(r"type:\s*ignore\[[a-z0-9-]+(,\s*[a-z0-9-]+)*\]\s+#\s*\S.{4,}")


def unexplained(source: str) -> list[int]:
    """The lines of ``source`` whose comment holds a type: ignore without an error code and a reason."""
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT and IGNORE.search(token.string) and not EXPLAINED.search(token.string):
            found.append(token.start[0])
    return found


def test_the_check_tells_an_explained_ignore_from_a_bare_one():
    source = ("a = f()  # type: ignore\n"
              "b = g()  # type: ignore[attr-defined]\n"
              "c = h()  # type: ignore[attr-defined]  # the stubs lack h's overload\n"
              "d = 'type: ignore'\n")
    assert unexplained(source) == [1, 2]


def test_every_type_ignore_names_its_code_and_says_why():
    paths = [path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))]
    bare = [f"{path.relative_to(ROOT)}:{line}"
            for path in paths for line in unexplained(path.read_text(encoding="utf-8"))]
    assert not bare, "a type: ignore without its code and reason:\n" + "\n".join(bare)
