"""The department's configuration at the server: a kiosk-format TOML file, checked against the same declaration as a
kiosk's (``kiosk.config``; kiosk/default_config.toml documents every key), strictly and with every mistake reported
at once. The server uses its department, jurisdiction and rules sections to check reports, ``[kiosk] time_zone`` for
the official number year and ``[review] official_number_pattern`` for the numbers."""

from __future__ import annotations

from pathlib import Path

from kiosk.config import Config, read_config_file


def load_department_config(path: str | Path | None) -> Config:
    """The configuration in ``path``, or the declared defaults when ``path`` is None. Raises ConfigError listing
    every mistake, each by its key (or naming the file when it cannot be read)."""
    if path is None:
        return Config()
    return read_config_file(Path(path))
