"""The documented default ``kiosk.toml``, generated from the declaration in ``kiosk.config``.

    .venv/bin/python -m kiosk.config_file > kiosk/default_config.toml
    .venv/bin/python -m kiosk.config_file --development > data/kiosk.toml   # what `make run` starts with

Each section's help and each setting's help become the comments above them, and each setting's default its value.
``kiosk/default_config.toml`` is this text, committed (the kiosk copies it into a new data folder on first start); a
test keeps the two equal.
"""

from __future__ import annotations

import inspect
import json
import sys
import textwrap
from decimal import Decimal
from typing import Any

from kiosk.config import SECTIONS, default_of, settings

WIDTH = 118

HEADER = """\
P2C Lobby Kiosk configuration.

This file is written with the defaults (the Hartford Police Department) the first time the kiosk starts with an empty
data folder. Edit it, check it with `p2c-kiosk config check`, and restart the kiosk. Every key is optional: a key you
delete falls back to the default shown here. Secrets (server token, SMTP password) never go here: they live in the
system keyring.

(Generated from the declaration of the settings in kiosk/config.py: `python -m kiosk.config_file`.)"""


def default_file_text() -> str:
    """The documented default configuration file."""
    lines = [*_comment(HEADER)]
    current = None
    for section, item, about in settings():
        if section != current:
            current = section
            lines += ["", *_comment(inspect.cleandoc(SECTIONS[section].__doc__ or "")), f"[{section}]"]
        lines += [*_comment(about.help), *_assignment(item.name, default_of(item))]
    return "\n".join(lines) + "\n"


DEVELOPMENT_NOTE = ("# `make run`'s development data folder: no encryption at rest, said in the log at every start "
                    "(docs/encryption.md).\n# Never in a lobby: set it to \"on\" (or delete it) to encrypt.")


def development_file_text() -> str:
    """The default file with ``[storage] encryption = "off"``, said in a comment: what ``make run`` writes into its
    development data folder when it has no configuration yet, so that it runs on a machine without a keyring."""
    text = default_file_text()
    line = '\nencryption = "on"\n'
    if line not in text:
        raise RuntimeError("the default file has no storage.encryption line")
    return text.replace(line, f'\n{DEVELOPMENT_NOTE}\nencryption = "off"\n')


def _comment(text: str) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n\n"):
        if lines:
            lines.append("#")
        lines += textwrap.wrap(" ".join(paragraph.split()), WIDTH - 2, initial_indent="# ", subsequent_indent="# ",
                               break_long_words=False, break_on_hyphens=False)
    return lines


def _assignment(key: str, value: Any) -> list[str]:
    if isinstance(value, tuple | frozenset):
        items = [_value(item) for item in (sorted(value) if isinstance(value, frozenset) else value)]
        inline = f"{key} = [{', '.join(items)}]"
        if len(inline) <= WIDTH:
            return [inline]
        rows = textwrap.wrap(" ".join(item + "," for item in items), WIDTH - 2, break_long_words=False)
        return [f"{key} = [", *("  " + row for row in rows), "]"]
    return [f"{key} = {_value(value)}"]


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str | Decimal):  # an amount is written as text, so that it is never rounded
        return json.dumps(str(value), ensure_ascii=False)
    raise TypeError(f"no TOML form for {value!r}")


def defaults() -> dict[str, dict[str, Any]]:
    """Every default as it would be written in a file (lists for tuples and sets, text for amounts)."""
    out: dict[str, dict[str, Any]] = {}
    for section, item, _ in settings():
        value = default_of(item)
        if isinstance(value, frozenset):
            value = sorted(value)
        elif isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, Decimal):
            value = str(value)
        out.setdefault(section, {})[item.name] = value
    return out


if __name__ == "__main__":
    sys.stdout.write(development_file_text() if sys.argv[1:] == ["--development"] else default_file_text())
