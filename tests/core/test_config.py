from decimal import Decimal
from pathlib import Path

import pytest

from kiosk.config import (
    CONFIG_FILE_NAME,
    ConfigError,
    config_from_mapping,
    default_config_text,
    load_config,
    resolve_home,
)


def test_first_start_writes_the_documented_defaults(tmp_path):
    config = load_config(tmp_path / "home")
    written = (tmp_path / "home" / CONFIG_FILE_NAME).read_text()
    assert written == default_config_text()
    assert "# " in written  # documented, not a bare dump
    assert config.department.name == "Hartford Police Department"
    assert config.kiosk.number == 1 and config.kiosk.time_zone == "America/New_York"
    assert config.kiosk.idle_timeout_seconds == 90
    assert config.kiosk.languages == ("en", "es")
    assert "06103" in config.jurisdiction.zips and "06107" not in config.jurisdiction.zips
    assert config.rules.max_item_value == Decimal("100000.00")


def test_a_partial_file_falls_back_to_defaults(tmp_path):
    (tmp_path / CONFIG_FILE_NAME).write_text('[department]\nname = "Springfield Police"\n[kiosk]\nnumber = 12\n')
    config = load_config(tmp_path)
    assert config.department.name == "Springfield Police"
    assert config.kiosk.number == 12
    assert config.department.emergency_number == "911"


@pytest.mark.parametrize(("mapping", "key"), [
    ({"kiosk": {"number": 0}}, "kiosk.number"),
    ({"kiosk": {"number": "01"}}, "kiosk.number"),
    ({"kiosk": {"time_zone": "Mars/Olympus"}}, "kiosk.time_zone"),
    ({"kiosk": {"languages": ["en", "fr"]}}, "kiosk.languages"),
    ({"kiosk": {"default_language": "es", "languages": ["en"]}}, "kiosk.default_language"),
    ({"kiosk": {"idle_timeout_seconds": 5}}, "kiosk.idle_timeout_seconds"),
    ({"jurisdiction": {"zips": [6103]}}, "jurisdiction.zips"),
    ({"jurisdiction": {"city_names": []}}, "jurisdiction.city_names"),
    ({"rules": {"minimum_age": -1}}, "rules.minimum_age"),
    ({"rules": {"max_item_value": "lots"}}, "rules.max_item_value"),
    ({"rules": {"narrative_min_chars": 500, "narrative_max_chars": 100}}, "rules.narrative_max_chars"),
    ({"kiosk": {"nubmer": 3}}, "kiosk.nubmer"),
    ({"printers": {}}, "[printers]"),
])
def test_a_bad_value_is_refused_by_its_key(mapping, key):
    with pytest.raises(ConfigError, match=key.replace("[", r"\[").replace("]", r"\]")):
        config_from_mapping(mapping)


def test_an_unreadable_file_is_named(tmp_path):
    (tmp_path / CONFIG_FILE_NAME).write_text("[kiosk\nnumber = ")
    with pytest.raises(ConfigError, match=CONFIG_FILE_NAME):
        load_config(tmp_path)


def test_home_resolution_order(tmp_path):
    env = {"P2C_KIOSK_HOME": str(tmp_path / "env"), "XDG_DATA_HOME": str(tmp_path / "xdg")}
    assert resolve_home(tmp_path / "cli", env) == (tmp_path / "cli").resolve()
    assert resolve_home(None, env) == (tmp_path / "env").resolve()
    assert resolve_home(None, {"XDG_DATA_HOME": str(tmp_path / "xdg")}) == Path(tmp_path / "xdg" / "p2c-kiosk")
