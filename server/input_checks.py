"""Checks on any JSON value that the database would otherwise trip over: NUL characters (PostgreSQL text cannot hold
them), lone surrogates (not UTF-8) and nesting deeper than a report ever needs."""

from __future__ import annotations

from collections.abc import Collection, Iterator

from kiosk.sync.protocol import canonical_json

MAX_DEPTH = 16


def storable_json(value: object) -> bytes | None:
    """``value``'s canonical JSON (:func:`kiosk.sync.protocol.canonical_json`) when the server can store every
    string in it and it is nested at most :data:`MAX_DEPTH` deep; None when :func:`text_problems` must say what is
    wrong (it then finds at least one problem, or, rarely, none: the text ``\\u0000`` written out in letters).

    One pass in C instead of a walk of every string in Python: a NUL character comes out of ``json.dumps`` as the
    escape ``\\u0000``, and a lone surrogate makes the UTF-8 encoding fail. Only the containers are walked, for
    their depth."""
    if _too_deep(value):
        return None
    try:
        text = canonical_json(value)
    except (UnicodeEncodeError, TypeError, ValueError):
        return None
    return None if b"\\u0000" in text else text


def _too_deep(value: object) -> bool:
    """Whether anything in ``value`` lies deeper than :data:`MAX_DEPTH` (as :func:`text_problems` counts: a
    non-empty container at that depth)."""
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        current, depth = stack.pop()
        items: Collection[object]
        if isinstance(current, dict):
            items = current.values()
        elif isinstance(current, list):
            items = current
        else:
            continue
        if depth >= MAX_DEPTH and items:
            return True
        stack.extend((item, depth + 1) for item in items if isinstance(item, dict | list))
    return False


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
