"""kiosk.toml: the documented defaults, every mistake reported at once by its key, and the declaration the default
file is generated from."""

import dataclasses
import json
import os
import subprocess
import sys
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.config import (
    CONFIG_FILE_NAME,
    SECTIONS,
    Config,
    ConfigError,
    config_from_mapping,
    default_config_text,
    default_of,
    load_config,
    resolve_home,
    settings,
)
from kiosk.config_check import config_schema
from kiosk.config_file import default_file_text, defaults
from kiosk.translation import catalogues

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = [(section, item.name, default_of(item)) for section, item, _ in settings()]


def test_first_start_writes_the_documented_defaults(tmp_path):
    config = load_config(tmp_path / "home")
    written = (tmp_path / "home" / CONFIG_FILE_NAME).read_text()
    assert written == default_config_text()
    assert "# " in written  # documented, not a bare dump
    assert config == Config()
    assert config.department.name == "Hartford Police Department"
    assert config.kiosk.number == 1 and config.kiosk.time_zone == "America/New_York"
    assert config.kiosk.idle_timeout_seconds == 90
    assert config.kiosk.languages == catalogues().installed()  # every installed language, English first
    assert config.kiosk.languages[0] == "en" and "es" in config.kiosk.languages
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
    ({"jurisdiction": {"state": "Connecticut"}}, "jurisdiction.state"),
    ({"rules": {"minimum_age": -1}}, "rules.minimum_age"),
    ({"rules": {"max_item_value": "lots"}}, "rules.max_item_value"),
    ({"rules": {"narrative_min_chars": 500, "narrative_max_chars": 100}}, "rules.narrative_max_chars"),
    ({"review": {"official_number_pattern": "{short_name}-{year}"}}, "review.official_number_pattern"),
    ({"review": {"official_number_pattern": "{short_name}-{month}-{seq}"}}, "review.official_number_pattern"),
    ({"review": {"official_number_pattern": "X" * 40 + "{seq}"}}, "review.official_number_pattern"),
    ({"notices": {"security": "ssl"}}, "notices.security"),
    ({"notices": {"sender": "nobody"}}, "notices.sender"),
    ({"officer": {"idle_lock_seconds": 3600}}, "officer.idle_lock_seconds"),
    ({"kiosk": {"nubmer": 3}}, "kiosk.nubmer"),
    ({"printers": {}}, "printers"),
    ({"kiosk": 3}, "kiosk"),
])
def test_a_bad_value_is_refused_by_its_key(mapping, key):
    with pytest.raises(ConfigError) as refused:
        config_from_mapping(mapping)
    assert [problem.key for problem in refused.value.problems] == [key]
    assert str(refused.value).startswith(f"{key}: ")


def test_every_mistake_is_reported_at_once_one_per_line():
    with pytest.raises(ConfigError) as refused:
        config_from_mapping({
            "department": {"name": "  "},
            "kiosk": {"number": True, "time_zone": "Mars/Olympus", "idle_timeout_seconds": "80"},
            "printer": {"queue": "lobby"},
            "sync": {"server_url": "http://records.example.gov", "batch_size": 1.5},
        })
    lines = str(refused.value).splitlines()
    assert lines == [str(problem) for problem in refused.value.problems]
    assert [line.split(":", 1)[0] for line in lines] == [
        "department.name", "kiosk.number", "kiosk.time_zone", "kiosk.idle_timeout_seconds", "printer.queue",
        "sync.server_url", "sync.batch_size"]
    assert "kiosk.number: must be a whole number from 1 to 99 (got true)" in lines
    assert 'kiosk.idle_timeout_seconds: must be a whole number of seconds from 15 to 3600 (got "80")' in lines
    assert "sync.server_url: must use https://" in str(refused.value)


def test_an_unknown_key_is_refused_with_the_keys_of_its_section():
    with pytest.raises(ConfigError) as refused:
        config_from_mapping({"kiosk": {"nubmer": 3}})
    assert str(refused.value) == ("kiosk.nubmer: unknown key; [kiosk] has number, time_zone, idle_timeout_seconds, "
                                  "languages, default_language")
    with pytest.raises(ConfigError, match=r"^printers: unknown section; kiosk.toml has \[department\], "):
        config_from_mapping({"printers": {}})


def test_values_are_cleaned_as_before():
    config = config_from_mapping({"department": {"name": "  Springfield PD "}, "jurisdiction": {"state": "ma"},
                                  "rules": {"max_item_value": 2500}, "notices": {"sender": " a@b.gov "}})
    assert config.department.name == "Springfield PD" and config.jurisdiction.state == "MA"
    assert config.rules.max_item_value == Decimal("2500") and config.notices.sender == "a@b.gov"
    assert isinstance(config.jurisdiction.zips, frozenset) and isinstance(config.kiosk.languages, tuple)


def test_an_unreadable_file_is_named(tmp_path):
    (tmp_path / CONFIG_FILE_NAME).write_text("[kiosk\nnumber = ")
    with pytest.raises(ConfigError, match=CONFIG_FILE_NAME):
        load_config(tmp_path)


def test_home_resolution_order(tmp_path):
    env = {"P2C_KIOSK_HOME": str(tmp_path / "env"), "XDG_DATA_HOME": str(tmp_path / "xdg")}
    assert resolve_home(tmp_path / "cli", env) == (tmp_path / "cli").resolve()
    assert resolve_home(None, env) == (tmp_path / "env").resolve()
    assert resolve_home(None, {"XDG_DATA_HOME": str(tmp_path / "xdg")}) == Path(tmp_path / "xdg" / "p2c-kiosk")


# -- one declaration ----------------------------------------------------------------------------------------------


def test_the_committed_default_file_is_the_one_the_declaration_generates():
    # Regenerate with: .venv/bin/python -m kiosk.config_file > kiosk/default_config.toml
    assert default_config_text() == default_file_text()
    generated = subprocess.run([sys.executable, "-m", "kiosk.config_file"], capture_output=True, text=True,
                               cwd=ROOT, timeout=60, check=True).stdout
    assert generated == default_config_text()


def test_the_default_file_holds_every_default_with_its_help_above_it():
    text = default_config_text()
    assert tomllib.loads(text) == defaults()
    comments, section, found = [], None, {}
    for line in text.splitlines():
        if line.startswith("# "):
            comments.append(line[2:])
        elif line.startswith("["):
            section, comments = line.strip("[]"), []
        elif " = " in line:
            found[(section, line.split(" = ")[0])] = " ".join(comments)
            comments = []
    assert found == {(section, item.name): " ".join(about.help.split()) for section, item, about in settings()}


def test_every_setting_is_declared_for_a_settings_screen():
    for section, item, about in settings():
        assert about.title and about.help and about.accepts, f"{section}.{item.name}"
        assert isinstance(about.restart, bool)
        assert item.default is not dataclasses.MISSING or item.default_factory is not dataclasses.MISSING
    assert set(SECTIONS) == {item.name for item in dataclasses.fields(Config)}


def test_the_schema_says_what_a_settings_screen_needs():
    schema = config_schema()
    number = schema["$defs"]["KioskSettings"]["properties"]["number"]
    assert (number["title"], number["minimum"], number["maximum"], number["restart"]) == ("Kiosk number", 1, 99, True)
    for section, item, about in settings():
        described = schema["$defs"][SECTIONS[section].__name__]["properties"][item.name]
        assert (described["title"], described["description"], described["accepts"], described["restart"]) == (
            about.title, about.help, about.accepts, about.restart)


@given(st.sampled_from(SETTINGS))
def test_every_default_loads_when_written_out(entry):
    section, key, _ = entry
    written = defaults()[section][key]
    assert getattr(getattr(config_from_mapping({section: {key: written}}), section), key) == getattr(
        getattr(Config(), section), key)


def _wrong_types(default):
    """Values of another type than the setting's (bool is not a whole number; "80" is not 80)."""
    if isinstance(default, int):
        return [True, False, str(default), float(default), [default]]
    if isinstance(default, Decimal):
        return [True, [str(default)], {"amount": 1}]
    if isinstance(default, str):
        return [1, True, 1.5, [default]]
    return ["x", 7, True, [7]]  # a list: text alone, a number, a list of numbers


@given(st.sampled_from(SETTINGS), st.data())
def test_every_planted_type_mistake_is_refused_by_its_key(entry, data):
    section, key, default = entry
    wrong = data.draw(st.sampled_from(_wrong_types(default)))
    with pytest.raises(ConfigError) as refused:
        config_from_mapping({section: {key: wrong}})
    assert [problem.key for problem in refused.value.problems] == [f"{section}.{key}"], str(refused.value)
    assert refused.value.problems[0].message.startswith("must ")


# -- kiosk.toml.checked ---------------------------------------------------------------------------------------------

LOAD_AND_TELL = ("import json, sys; from pathlib import Path; from kiosk.config import load_config; "
                 "config = load_config(Path(sys.argv[1])); "
                 "print(json.dumps([config.kiosk.number, 'pydantic' in sys.modules]))")


def _load_in_a_new_process(home):
    result = subprocess.run([sys.executable, "-c", LOAD_AND_TELL, str(home)], capture_output=True, text=True,
                            cwd=ROOT, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_an_unchanged_file_is_not_checked_again(tmp_path):
    (tmp_path / CONFIG_FILE_NAME).write_text("[kiosk]\nnumber = 7\n")
    assert _load_in_a_new_process(tmp_path) == [7, True]  # checked by pydantic
    assert (tmp_path / "kiosk.toml.checked").exists()
    assert _load_in_a_new_process(tmp_path) == [7, False]  # the same text: the kept result, without pydantic
    (tmp_path / CONFIG_FILE_NAME).write_text("[kiosk]\nnumber = 8\n")
    assert _load_in_a_new_process(tmp_path) == [8, True]


def test_a_changed_file_is_checked_again_and_refused(tmp_path):
    (tmp_path / CONFIG_FILE_NAME).write_text("[kiosk]\nnumber = 7\n")
    assert load_config(tmp_path).kiosk.number == 7
    (tmp_path / CONFIG_FILE_NAME).write_text("[kiosk]\nnumber = true\n")
    with pytest.raises(ConfigError, match=r"^kiosk\.number: "):
        load_config(tmp_path)


@pytest.mark.parametrize("kept", ["not json", '{"stamp": 1}', "[]"])
def test_a_damaged_checked_file_is_ignored(tmp_path, kept):
    (tmp_path / CONFIG_FILE_NAME).write_text("[kiosk]\nnumber = 7\n")
    (tmp_path / "kiosk.toml.checked").write_text(kept)
    assert load_config(tmp_path).kiosk.number == 7
    assert load_config(tmp_path) == config_from_mapping({"kiosk": {"number": 7}})


def test_a_kept_value_of_the_wrong_type_is_not_trusted(tmp_path):
    (tmp_path / CONFIG_FILE_NAME).write_text("[kiosk]\nnumber = 7\n")
    load_config(tmp_path)
    kept_path = tmp_path / "kiosk.toml.checked"
    kept = json.loads(kept_path.read_text())
    kept["config"]["kiosk"]["number"] = "7"
    kept_path.write_text(json.dumps(kept))
    assert load_config(tmp_path).kiosk.number == 7
