"""The [printer] section of kiosk.toml: documented defaults, and every bad value refused by its key."""

from __future__ import annotations

import pytest

from kiosk.config import ConfigError, PrinterConfig, config_from_mapping, default_config_text, load_config


def test_the_default_is_no_printer_on_an_80mm_roll():
    printer = config_from_mapping({}).printer
    assert printer == PrinterConfig(name="", paper="80mm", media="", job_timeout_seconds=20)
    assert "[printer]" in default_config_text()
    assert "lpstat -p" in default_config_text()  # documented where the administrator edits it


def test_a_printer_section_in_the_file_is_read(tmp_path):
    (tmp_path / "kiosk.toml").write_text(
        '[printer]\nname = "Lobby_TM-T88"\npaper = "letter"\nmedia = "Letter"\njob_timeout_seconds = 45\n')
    assert load_config(tmp_path).printer == PrinterConfig("Lobby_TM-T88", "letter", "Letter", 45)


@pytest.mark.parametrize(("paper", "media", "height", "expected"), [
    ("80mm", "", 231.2, "Custom.80x232mm"),
    ("80mm", "", 240.0, "Custom.80x240mm"),
    ("letter", "", 279.4, "Letter"),
    ("80mm", "RP80x297", 231.2, "RP80x297"),
])
def test_the_media_option_follows_the_paper_and_the_receipt_length(paper, media, height, expected):
    assert PrinterConfig(paper=paper, media=media).media_for(height) == expected


@pytest.mark.parametrize(("values", "key"), [
    ({"name": "Lobby printer"}, "printer.name"),
    ({"name": "lobby/printer"}, "printer.name"),
    ({"name": "lobby#1"}, "printer.name"),
    ({"name": 7}, "printer.name"),
    ({"name": "x" * 128}, "printer.name"),
    ({"paper": "A4"}, "printer.paper"),
    ({"paper": "80"}, "printer.paper"),
    ({"media": "Custom 80x200mm"}, "printer.media"),
    ({"media": 80}, "printer.media"),
    ({"job_timeout_seconds": 2}, "printer.job_timeout_seconds"),
    ({"job_timeout_seconds": 301}, "printer.job_timeout_seconds"),
    ({"job_timeout_seconds": "20"}, "printer.job_timeout_seconds"),
    ({"job_timeout_seconds": True}, "printer.job_timeout_seconds"),
    ({"queue": "lobby"}, "printer.queue"),
])
def test_a_bad_printer_value_is_refused_by_its_key(values, key):
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        config_from_mapping({"printer": values})


def test_surrounding_spaces_in_the_name_are_forgiven():
    assert config_from_mapping({"printer": {"name": "  Lobby  "}}).printer.name == "Lobby"
    assert config_from_mapping({"printer": {"name": "   "}}).printer.name == ""
