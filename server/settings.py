"""The department's configuration at the server: a kiosk-format TOML file (kiosk/default_config.toml documents every
key). The server uses its department, jurisdiction and rules sections to check reports, ``[kiosk] time_zone`` for
the official number year and ``[review] official_number_pattern`` for the numbers."""

from __future__ import annotations

from pathlib import Path

from kiosk.config import Config, config_from_mapping, read_config_file


def load_department_config(path: str | Path | None) -> Config:
    """The configuration in ``path``, or the kiosk's defaults when ``path`` is None. Raises ConfigError naming the
    key or the file."""
    if path is None:
        return config_from_mapping({})
    return read_config_file(Path(path))
