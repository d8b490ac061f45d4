"""Checks on any JSON value that the database would otherwise trip over: NUL characters (PostgreSQL text cannot hold
them), lone surrogates (not UTF-8) and nesting deeper than a report ever needs."""

from __future__ import annotations

from collections.abc import Iterator

MAX_DEPTH = 16


def text_problems(value: object, path: str) -> Iterator[tuple[str, str, str]]:
    """(field, code, message) for every string in ``value`` the server cannot store; walks without recursion."""
    stack: list[tuple[object, str, int]] = [(value, path, 0)]
    while stack:
        current, where, depth = stack.pop()
        if depth > MAX_DEPTH:
            yield where, "too_deep", f"is nested more than {MAX_DEPTH} levels deep"
            continue
        if isinstance(current, str):
            problem = _string_problem(current)
            if problem:
                yield where, *problem
        elif isinstance(current, dict):
            for key, item in current.items():
                problem = _string_problem(key) if isinstance(key, str) else None
                if problem:
                    yield where, problem[0], "has a key that " + problem[1]
                    continue
                stack.append((item, f"{where}.{key}" if where else str(key), depth + 1))
        elif isinstance(current, list):
            for index, item in enumerate(current):
                stack.append((item, f"{where}[{index}]", depth + 1))


def _string_problem(text: str) -> tuple[str, str] | None:
    if "\x00" in text:
        return "nul_character", "contains a NUL character; remove it"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "not_utf8", "contains a character that is not valid UTF-8 (a lone surrogate); remove it"
    return None
