"""The server's settings, from one file: the department's configuration and the server's own ``[server]`` table.

The file is in kiosk.toml's format. Everything but ``[server]`` is checked against the same declaration as a kiosk's
(``kiosk.config``; kiosk/default_config.toml documents every key), strictly and with every mistake reported at once.
The server uses its department, jurisdiction and rules sections to check reports, ``[kiosk] time_zone`` for the
official number year and ``[review] official_number_pattern`` for the numbers.

``[server]`` holds what only the server reads, declared below like the kiosk's settings (``kiosk.config.setting``) and
checked the same way: strict types, the declared limits, unknown keys refused, each mistake named by its key
(``server.silent_after_minutes: must be ...``). A kiosk's own kiosk.toml has no ``[server]`` table (the kiosk refuses
one), so keep the server's file apart from the kiosks'.
"""

from __future__ import annotations

import dataclasses
import tomllib
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

from kiosk.config import Config, ConfigError, ConfigProblem, Setting, config_from_mapping, setting

SERVER_SECTION = "server"
# The configuration file when `--config` is not given (and what each worker process of `serve --workers N` reads).
CONFIG_ENV = "P2C_SERVER_CONFIG"


@dataclass(frozen=True)
class ServerSettings:
    """The reference server's own settings (the ``[server]`` table of its configuration file)."""

    silent_after_minutes: int = setting(
        15, "Silent after",
        "A kiosk the server has not heard from (no heartbeat and no other request) for longer than this many minutes "
        "is shown as silent by `p2c-server kiosks` (from 2 to 10080, a week). A kiosk sends a heartbeat with every "
        "sync run and every few minutes when idle, so this should cover at least three of them.",
        "a whole number of minutes from 2 to 10080", ge=2, le=10080)

    header_timeout_seconds: int = setting(
        10, "Header time-out",
        "A connection that has not sent a whole request head (request line and headers) this many seconds after it "
        "opened, or after the previous answer on it, gets 408 and is closed (from 1 to 300). The server's own, "
        "whatever proxy is in front of it.",
        "a whole number of seconds from 1 to 300", ge=1, le=300)
    body_timeout_seconds: int = setting(
        20, "Body time-out",
        "A request whose body stops arriving for this many seconds (between two pieces of it, or before the first) "
        "gets 408 and its connection is closed (from 1 to 600).",
        "a whole number of seconds from 1 to 600", ge=1, le=600)

    pool_size: int = setting(
        40, "Database connections",
        "The most database connections each worker process keeps open (from 1 to 200). A worker runs at most 40 "
        "requests at once, so more is never used. With PostgreSQL, workers times this, for every machine, must stay "
        "below the database's max_connections (docs/server.md).",
        "a whole number from 1 to 200", ge=1, le=200)

    @property
    def silent_after(self) -> timedelta:
        return timedelta(minutes=self.silent_after_minutes)


@dataclass(frozen=True)
class Settings:
    department: Config = field(default_factory=Config)
    server: ServerSettings = field(default_factory=ServerSettings)


def load_settings(path: str | Path | None) -> Settings:
    """The settings in ``path``, or the declared defaults when ``path`` is None. Raises ConfigError listing every
    mistake, each by its key (or naming the file when it cannot be read)."""
    if path is None:
        return Settings()
    path = Path(path)
    try:
        user = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the configuration: {exc}") from exc
    server_table = user.pop(SERVER_SECTION, {})
    problems: list[ConfigProblem] = []
    department = Config()
    try:
        department = config_from_mapping(user)
    except ConfigError as exc:
        problems += exc.problems
    server = ServerSettings()
    try:
        server = check_server_settings(server_table)
    except ConfigError as exc:
        problems += exc.problems
    if problems:
        raise ConfigError(problems)
    return Settings(department, server)


def load_department_config(path: str | Path | None) -> Config:
    """The department's configuration in ``path`` (its ``[server]`` table checked too), or the kiosk defaults."""
    return load_settings(path).department


def check_server_settings(table: object) -> ServerSettings:
    """``[server]`` as written (a parsed TOML table) over the defaults; ConfigError names every mistake."""
    from pydantic import ValidationError

    from kiosk.config_check import written

    if not isinstance(table, Mapping):
        raise ConfigError([ConfigProblem(SERVER_SECTION, f"must be a table: [{SERVER_SECTION}] with its keys "
                                                         f"(got {written(table)})")])
    try:
        checked = _server_model().model_validate(table)
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            key = str(error["loc"][0])
            if key not in _declared():
                problems.append(ConfigProblem(f"{SERVER_SECTION}.{key}", f"unknown key; [{SERVER_SECTION}] has "
                                                                         f"{', '.join(_declared())}"))
            else:
                problems.append(ConfigProblem(f"{SERVER_SECTION}.{key}", f"must be {_declared()[key].accepts} "
                                                                         f"(got {written(error.get('input'))})"))
        raise ConfigError(problems) from None
    return ServerSettings(**dict(checked))


def _declared() -> dict[str, Setting]:
    return {item.name: item.metadata["setting"] for item in dataclasses.fields(ServerSettings)}


@cache
def _server_model() -> Any:
    from pydantic import ConfigDict, Field, create_model

    hints = typing.get_type_hints(ServerSettings)
    fields: dict[str, Any] = {}
    for item in dataclasses.fields(ServerSettings):
        about: Setting = item.metadata["setting"]
        fields[item.name] = (hints[item.name], Field(item.default, title=about.title, description=about.help,
                                                     **about.rules))
    return create_model("ServerToml", __config__=ConfigDict(strict=True, extra="forbid", frozen=True), **fields)
