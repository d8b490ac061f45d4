"""Small helpers shared by the tests: loading the report fixtures and editing them by path."""

from __future__ import annotations

import copy
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# The fixtures describe incidents in the days before this moment (noon in New York).
NOW = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)

FIXTURES = Path(__file__).parent / "fixtures" / "reports"
VALID_SAMPLES = ("larceny-bicycle", "vandalism-car-es", "lost-wallet", "identity-theft")


def load_sample(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def load_invalid(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / "invalid" / f"{name}.json").read_text(encoding="utf-8"))


_DELETE = object()


def edited(report: dict[str, Any], path: str, value: Any = _DELETE) -> dict[str, Any]:
    """A copy of ``report`` with the value at ``path`` (``reporter.address.zip``, ``items[0].value``) replaced, or
    removed when no value is given."""
    result = copy.deepcopy(report)
    parts = [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", path)]
    target = result
    for part in parts[:-1]:
        target = target[part]
    if value is _DELETE:
        del target[parts[-1]]
    else:
        target[parts[-1]] = value
    return result


REMOVE = _DELETE


def tool_or_skip(name: str) -> str:
    """The path of the program ``name``; skips the test without it on a developer's machine, fails it in CI
    (scripts/debian-packages/gui.txt lists them)."""
    import os
    import shutil

    import pytest

    path = shutil.which(name)
    if path is not None:
        return path
    reason = f"{name} is not installed (scripts/debian-packages/gui.txt)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)
