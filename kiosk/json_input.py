"""Reading a JSON document that came from outside (``p2c-kiosk submit``): strict JSON, or one clear refusal.

Python's ``json.loads`` accepts more than JSON and fails in ways a caller does not expect: it keeps the last of two
equal keys (``"attested": false, "attested": true`` reads as true), accepts ``NaN`` and ``Infinity``, raises
RecursionError on arrays nested 100,000 deep and ValueError on an integer of more than 4,300 digits. Here each of
these is a :class:`JsonInputError` whose text says what is wrong."""

from __future__ import annotations

import json
import math
import sys

# Far deeper than any report (the format nests four levels), far below Python's recursion limit.
MAX_DEPTH = 64
# Python's own limit on converting digits to an int (sys.get_int_max_str_digits, 4,300 by default).
MAX_DIGITS = sys.get_int_max_str_digits() or 4300


class JsonInputError(ValueError):
    """The text is not strict JSON, or is JSON no report could be: ``detail`` says why, in a few words."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def _object(pairs: list[tuple[str, object]]) -> dict[str, object]:
    found: dict[str, object] = {}
    for key, value in pairs:
        if key in found:
            raise JsonInputError(f'the key "{key[:40]}" appears twice in one group')
        found[key] = value
    return found


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise JsonInputError(f"a number has more than {MAX_DIGITS} digits")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonInputError("a number is too large")
    return value


def _constant(name: str) -> object:
    raise JsonInputError(f"{name} is not a JSON value")


def _too_deep(text: str) -> bool:
    """Whether brackets outside strings nest deeper than MAX_DEPTH (checked before parsing: json's C parser
    recurses once per level)."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif char in "]}":
            depth -= 1
    return False


def load(text: str) -> object:
    """The JSON value in ``text``. Raises :class:`JsonInputError` (a ValueError) for anything else, including
    duplicate keys, NaN or Infinity, numbers beyond Python's digit limit and nesting deeper than MAX_DEPTH."""
    if _too_deep(text):
        raise JsonInputError(f"it is nested more than {MAX_DEPTH} levels deep")
    try:
        return json.loads(text, object_pairs_hook=_object, parse_int=_integer, parse_float=_float,
                          parse_constant=_constant)
    except JsonInputError:
        raise
    except json.JSONDecodeError as exc:
        raise JsonInputError(f"line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
    except (RecursionError, ValueError) as exc:  # a limit of the parser's own, reached another way
        raise JsonInputError(str(exc)) from exc
