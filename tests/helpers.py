"""Small helpers shared by the tests: loading the report fixtures and editing them by path, throw-away translation
catalogues made from the template, and an old store file opened (so migrated) with the checks every migration keeps."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.storage.database import Store

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


def write_made_up_catalogue(locale_dir: Path, code: str, translate: Callable[[str], str], *,
                            own_name: str | None = None) -> Path:
    """A compiled catalogue for ``code`` in ``locale_dir`` (``<code>/LC_MESSAGES/p2c.mo``) answering every message
    of the template (resources/locale/p2c.pot) with ``translate(english)``; the language's names are ``own_name``
    when given. Returns the .mo file."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    from kiosk.resources import resource_path

    with resource_path("locale", "p2c.pot").open("rb") as file:
        template = read_po(file)
    catalogue = Catalog(locale=code, domain="p2c")
    for message in template:
        if not message.id:
            continue
        if own_name is not None and message.context == "language name":
            catalogue.add(message.id, own_name, context=message.context)
        elif isinstance(message.id, tuple):
            catalogue.add(message.id, tuple(translate(text) for text in message.id), context=message.context)
        else:
            catalogue.add(message.id, translate(message.id), context=message.context)
    folder = locale_dir / code / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "p2c.mo"
    with target.open("wb") as file:
        write_mo(file, catalogue)
    return target


@contextmanager
def catalogues_in(locale_dir: Path) -> Iterator[None]:
    """The core reads its catalogues from ``locale_dir`` inside (what the composition root does with the folder it
    is given), and from where it read them before after."""
    from kiosk.translation import Catalogues, catalogues, use_catalogues

    before = catalogues()
    use_catalogues(Catalogues(locale_dir))
    try:
        yield
    finally:
        use_catalogues(before)


@contextmanager
def migrated_store(path: Path, from_version: int) -> Iterator[Store]:
    """The store file at ``path``, written at schema ``from_version``, opened: migrated to the latest version, with
    schema v4's kept rows right and one backup taken first (encrypted, under the store's key, at ``from_version``).
    Closed after."""
    from kept_rows import assert_kept_rows_agree

    from kiosk.storage.database import open_store
    from kiosk.storage.encrypt import FileState, connect, file_state
    from kiosk.storage.migrations import LATEST, current_version

    store = open_store(path)
    try:
        assert current_version(store.db) == LATEST
        assert_kept_rows_agree(store.db)
        backups = list((path.parent / "backups").iterdir())
        assert len(backups) == 1 and f"-v{from_version}-" in backups[0].name
        assert file_state(backups[0]) is FileState.ENCRYPTED
        copy = connect(backups[0], store.key)  # the backup opens with the store's key, at the version it was taken
        try:
            assert copy.execute("SELECT MAX(version) FROM schema_version").fetchone() == (from_version,)
        finally:
            copy.close()
        yield store
    finally:
        store.close()
