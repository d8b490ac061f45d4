"""Changing kiosk.toml from officer mode: the settings an administrator may change at the kiosk, built from the
declaration in ``kiosk.config``.

:class:`SettingsEditor` offers a few settings (:data:`EDITABLE`: the department's phone numbers, the idle timeout,
the languages, the printer and its paper, the sync interval), each described by its declaration (title, help, what it
accepts, whether a change needs a restart) and by what its type allows (text, a whole number, one choice, several).
:meth:`SettingsEditor.change` takes an administrator's session and the changed values, merges them into the file's
TOML document (tomlkit: comments, order and layout kept), checks the WHOLE resulting file with the same rules as the
kiosk's start (``config_from_mapping``: every problem at once, by dotted key; nothing is written on a refusal), writes
it atomically (:func:`write_config_text`), records one ``settings_changed`` audit entry, and says which of the changed
settings take effect only after a restart: all of them today, as the running kiosk reads kiosk.toml once.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import tomllib
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

import tomlkit
import tomlkit.exceptions

from kiosk.audit import AuditLog
from kiosk.clock import Clock
from kiosk.config import (
    CONFIG_FILE_NAME,
    SECTIONS,
    Config,
    ConfigError,
    ConfigProblem,
    config_from_mapping,
    default_of,
    settings,
)
from kiosk.officers import NotAllowed, OfficerService, OfficerSession
from kiosk.translation import catalogues

SETTINGS_CHANGED = "settings_changed"

Kind = Literal["text", "whole_number", "choice", "choices"]
Keyboard = Literal["phone", "digits", "plain"]
# A setting's value as the page shows and checks it: text, a whole number, or the chosen items of several.
SettingValue = str | int | list[str]

# The settings officer mode's Settings page changes, in the page's order, each with the on-screen keyboard its input
# wants ("phone": digits and punctuation such as "(860) 757-4000"; "digits": the digit pad; "plain": letters without
# a capital first, as a CUPS queue name is written). Anything else is changed in the file (p2c-kiosk config check).
EDITABLE: dict[str, Keyboard] = {
    "department.emergency_number": "phone",
    "department.non_emergency_phone": "phone",
    "department.desk_phone": "phone",
    "kiosk.idle_timeout_seconds": "digits",
    "kiosk.languages": "plain",
    "kiosk.default_language": "plain",
    "printer.name": "plain",
    "printer.paper": "plain",
    "sync.interval_seconds": "digits",
}
# A setting typed as text whose value is one of a list the declaration checks (its ``check``), not its type.
_CHOICES_BY_CHECK: dict[str, Callable[[], tuple[str, ...]]] = {
    "kiosk.default_language": lambda: catalogues().installed(),
    "kiosk.languages": lambda: catalogues().installed(),
}
SECTION_TITLES = {"department": "Department", "kiosk": "This kiosk", "printer": "Printer", "sync": "Sync"}
_WHOLE_NUMBER = re.compile(r"^[+-]?[0-9]+$")
_UNKNOWN = object()


@dataclass(frozen=True)
class EditableSetting:
    """One setting as the Settings page shows it: its dotted ``key``, what the declaration says about it, its
    ``kind`` (from its type), the ``choices`` of a choice, and the ``keyboard`` its input wants."""

    key: str
    section: str
    name: str
    title: str
    help: str
    accepts: str
    restart: bool
    kind: Kind
    choices: tuple[str, ...]
    keyboard: Keyboard
    default: SettingValue

    def value_from_text(self, text: str) -> str | int:
        """What was typed into a text input, as the value to check: a whole number for a whole-number setting when
        it is written as one (anything else is passed on as text and refused by the check, with what is accepted)."""
        text = text.strip()
        if self.kind == "whole_number" and _WHOLE_NUMBER.match(text):
            return int(text)
        return text


@dataclass(frozen=True)
class SettingsSaved:
    """What :meth:`SettingsEditor.change` wrote: the keys whose value changed (in the page's order; empty when
    nothing did, and then nothing was written or recorded) and those of them that take effect after a restart."""

    changed: tuple[str, ...]
    needs_restart: tuple[str, ...]
    saved_at: datetime | None = None


def editable_settings() -> list[EditableSetting]:
    """The settings in :data:`EDITABLE`, described by the declaration, in the page's order."""
    found: dict[str, EditableSetting] = {}
    for section, item, about in settings():
        key = f"{section}.{item.name}"
        if key not in EDITABLE:
            continue
        kind, choices = _kind(typing.get_type_hints(SECTIONS[section])[item.name], key)
        # The running kiosk reads kiosk.toml once, at start-up (the container's Config), so every change waits for a
        # restart, whatever the declaration says a reload could apply at once.
        found[key] = EditableSetting(key, section, item.name, about.title, about.help, about.accepts, True,
                                     kind, choices, EDITABLE[key], _plain(default_of(item)))
    missing = set(EDITABLE) - set(found)
    if missing:
        raise LookupError(f"not declared in kiosk.config: {', '.join(sorted(missing))}")
    return [found[key] for key in EDITABLE]


def _kind(annotation: object, key: str) -> tuple[Kind, tuple[str, ...]]:
    if key in _CHOICES_BY_CHECK:
        return ("choices" if typing.get_origin(annotation) is tuple else "choice"), _CHOICES_BY_CHECK[key]()
    if annotation is int:
        return "whole_number", ()
    if annotation is str:
        return "text", ()
    if typing.get_origin(annotation) is Literal:
        return "choice", tuple(typing.get_args(annotation))
    if typing.get_origin(annotation) is tuple:
        item = typing.get_args(annotation)[0]
        if typing.get_origin(item) is Literal:
            return "choices", tuple(typing.get_args(item))
    raise TypeError(f"{key}: the Settings page has no input for {annotation!r}")


class SettingsEditor:
    """The settings of the kiosk whose data folder is ``home`` (its kiosk.toml), for administrators.

    ``officers``: when given, a change is allowed only while the session's account is still an active, unlocked
    administrator (as ``OfficerService``'s admin actions check it); without it the session's role is trusted."""

    def __init__(self, home: Path, audit: AuditLog, clock: Clock, *, officers: OfficerService | None = None) -> None:
        self.path = home / CONFIG_FILE_NAME
        self._audit = audit
        self._clock = clock
        self._officers = officers
        self._fields = editable_settings()

    def fields(self) -> list[EditableSetting]:
        return list(self._fields)

    def current(self) -> dict[str, SettingValue]:
        """The value of each editable setting in the file now (its default when the file leaves it out); lists as
        lists. Raises ConfigError when the file cannot be read or has mistakes."""
        return self._values(config_from_mapping(_parsed(self._read())))

    def change(self, session: OfficerSession, changes: Mapping[str, object]) -> SettingsSaved:
        """Write ``changes`` (dotted key: value, in the file's types; checked here) into kiosk.toml.

        Raises NotAllowed for anyone but an administrator, and ConfigError listing every problem of the file as it
        would be (each by its dotted key; a key this page does not change is refused too); the file is then left as
        it was. Keys whose value does not change are ignored; when none changes nothing is written or recorded."""
        self._check_admin(session)
        unknown = [ConfigProblem(key, "is not a setting the Settings page changes") for key in changes
                   if key not in EDITABLE]
        if unknown:
            raise ConfigError(unknown)
        text = self._read()
        try:
            document = tomlkit.parse(text)
        except tomlkit.exceptions.TOMLKitError as exc:
            raise ConfigError(f"{self.path}: cannot read the configuration: {exc}") from exc
        for key, value in changes.items():
            section, name = key.split(".", 1)
            if section not in document:
                document.add(section, tomlkit.table())
            document[section][name] = list(value) if isinstance(value, tuple) else value
        new_text = tomlkit.dumps(document)
        after = self._values(config_from_mapping(_parsed(new_text)))
        try:
            before = self._values(config_from_mapping(_parsed(text)))
        except ConfigError:  # the change mends a file that had a mistake: every key given counts as changed
            before = {}
        changed = tuple(key for key in EDITABLE if key in changes and after[key] != before.get(key, _UNKNOWN))
        if not changed:
            return SettingsSaved((), ())
        restart = {item.key for item in self._fields if item.restart}
        write_config_text(self.path, new_text, before_replace=lambda: self._audit.record(
            session.actor, SETTINGS_CHANGED, CONFIG_FILE_NAME, keys=",".join(changed),
            **{key: json.dumps(after[key], ensure_ascii=False) for key in changed}))
        return SettingsSaved(changed, tuple(key for key in changed if key in restart), self._clock.now())

    def _check_admin(self, session: OfficerSession) -> None:
        if not isinstance(session, OfficerSession) or not session.is_admin:
            raise NotAllowed()
        if self._officers is not None:
            # The session may be older than a change to the account.
            account = self._officers.find(session.username)
            if account is None or not account.is_admin or not account.active or account.locked:
                raise NotAllowed()

    def _read(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{self.path}: cannot read the configuration: {exc}") from exc

    def _values(self, config: Config) -> dict[str, SettingValue]:
        return {item.key: _plain(getattr(getattr(config, item.section), item.name)) for item in self._fields}


def _parsed(text: str) -> dict[str, object]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{CONFIG_FILE_NAME}: cannot read the configuration: {exc}") from exc


def _plain(value: object) -> SettingValue:
    """A value of the configuration as the page holds it: several items as a list."""
    if isinstance(value, tuple | frozenset):
        return [str(item) for item in value]
    if isinstance(value, str | int):
        return value
    raise TypeError(f"the Settings page has no input for {value!r}")


def write_config_text(path: Path, text: str, *, before_replace: Callable[[], object] | None = None) -> None:
    """Replace the file at ``path`` with ``text`` at once, so that a crash never leaves half a configuration: the
    text goes to a new file in the same folder (so the rename cannot cross file systems), is flushed to the disk,
    gets the old file's permissions, and is renamed over the old file; the folder is then flushed so the rename
    lasts. ``before_replace`` is called once the new file is complete and before the rename: when it raises, the
    new file is removed and the old one stays. A link (a deployed kiosk's data folder links to
    /etc/p2c-kiosk/kiosk.toml) is followed, so the file it points to is replaced and the link stays."""
    path = path.resolve()
    folder = path.parent
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o644
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fchmod(stream.fileno(), mode)
            os.fsync(stream.fileno())
        if before_replace is not None:
            before_replace()
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)

