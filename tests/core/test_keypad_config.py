"""The [keypad] section of kiosk.toml (issue 21): a USB keypad's own keys, refused at start, by `config check` and by
the doctor when a key name is one Qt does not know or a key is given to two actions, with the setting and the key
named. The names are checked without Qt (kiosk/keypad_keys.py); tests/ui/test_keypad.py holds that table to Qt."""

from __future__ import annotations

import argparse
import io

import pytest

from kiosk.cli_doctor import run_doctor
from kiosk.config import CONFIG_FILE_NAME, ConfigError, config_from_mapping, load_config
from kiosk.keypad_keys import KeyName, key_name


def test_a_usb_keypad_mapping_is_read():
    config = config_from_mapping({"keypad": {"up": ["Num+8"], "down": ["Num+2"], "next": ["Num+6"],
                                             "back": ["Num+4", "Esc"], "enter": ["Num+Enter", "Num+5"],
                                             "help": ["Num+0"]}})
    assert config.keypad.mapping()["next"] == ["Num+6"]
    assert config.keypad.mapping()["volume_up"] == ["+", "Ctrl+Up"]  # not given: the default


@pytest.mark.parametrize(("text", "key"), [
    ("F1", KeyName("F1", ())), ("up", KeyName("Up", ())), ("Escape", KeyName("Esc", ())), ("?", KeyName("?", ())),
    ("+", KeyName("+", ())), ("Ctrl++", KeyName("+", ("Ctrl",))), ("num+8", KeyName("8", ("Num",))),
    ("Shift+Ctrl+a", KeyName("A", ("Ctrl", "Shift"))),
    ("Num+Shift+Meta+F4", KeyName("F4", ("Meta", "Shift", "Num"))), ("Volume Up", KeyName("Volume Up", ())),
])
def test_key_names_are_read_as_qt_writes_them(text, key):
    assert key_name(text) == key


@pytest.mark.parametrize(("keypad", "says"), [
    ({"help": ["Fn1"]}, "keypad.help: “Fn1” is not a key name Qt knows"),
    ({"next": ["Hyper+6"]}, "keypad.next: “Hyper+6” has 'Hyper', which is not a modifier (Meta, Ctrl, Alt, Shift"),
    ({"enter": [""]}, "keypad.enter: “” is not a key name"),
    ({"next": ["Backspace"]}, "keypad.next: “Backspace” is also keypad.back: a key can give only one action"),
    ({"next": ["PgDown"]}, "keypad.rate_down: “PgDown” is also keypad.next"),  # the default it clashes with
    ({"help": []}, "keypad.help: must be a list of key names"),
    ({"help": "F1"}, "keypad.help: must be a list of key names"),
    ({"jump": ["F3"]}, "keypad.jump: unknown key"),
])
def test_a_mapping_the_kiosk_cannot_use_is_refused_naming_the_setting_and_the_key(keypad, says):
    with pytest.raises(ConfigError) as refused:
        config_from_mapping({"keypad": keypad})
    assert says in str(refused.value)


def test_a_bad_key_stops_the_kiosk_at_start_and_is_a_doctor_fault(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / CONFIG_FILE_NAME).write_text('[keypad]\nhelp = ["F1", "Fn1"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_config(home)  # what `p2c-kiosk run` reads first
    assert "keypad.help: “Fn1” is not a key name Qt knows" in str(refused.value)

    out = io.StringIO()
    code = run_doctor(home, argparse.Namespace(json=False), out, io.StringIO())
    first = out.getvalue().splitlines()[0]
    assert code == 2
    assert first.startswith("fault   config ") and "keypad.help" in first and "Fn1" in first
