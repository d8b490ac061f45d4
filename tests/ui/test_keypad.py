"""The keypad's six actions (issue 21): the default keys, a mapping from the kiosk's settings read or refused with
the key named, and which action a key press asks for (typing into an input keeps its editing keys)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent

from ui.keypad import DEFAULT_KEYS, Action, KeyMapError, default_key_map, parse_key_map

K = Qt.Key
M = Qt.KeyboardModifier


def press(key: Qt.Key, modifiers: Qt.KeyboardModifier = M.NoModifier, text: str = "") -> QKeyEvent:
    return QKeyEvent(QEvent.Type.KeyPress, key, modifiers, text)


@pytest.mark.parametrize(("event", "action"), [
    (press(K.Key_Up), Action.UP),
    (press(K.Key_Down), Action.DOWN),
    (press(K.Key_Backspace, text="\b"), Action.BACK),
    (press(K.Key_Escape, text="\x1b"), Action.BACK),
    (press(K.Key_Right), Action.NEXT),
    (press(K.Key_Return, text="\r"), Action.ENTER),
    (press(K.Key_Enter, M.KeypadModifier, "\r"), Action.ENTER),
    (press(K.Key_F1), Action.HELP),
    (press(K.Key_Question, M.ShiftModifier, "?"), Action.HELP),
    (press(K.Key_Up, M.KeypadModifier), Action.UP),
])
def test_the_default_keys_give_the_six_actions(qapp, event, action):
    assert default_key_map().action(event) is action


@pytest.mark.parametrize("event", [press(K.Key_Tab, text="\t"), press(K.Key_Tab, M.ShiftModifier),
                                   press(K.Key_Left), press(K.Key_A, text="a"), press(K.Key_Space, text=" "),
                                   press(K.Key_F1, M.ControlModifier), press(K.Key_Up, M.AltModifier)])
def test_other_keys_are_no_action(qapp, event):
    """Tab and Shift+Tab keep moving the focus as everywhere; a key with Ctrl or Alt is another key."""
    assert default_key_map().action(event) is None


def test_keys_that_type_or_edit_stay_with_the_input_while_typing(qapp):
    keys = default_key_map()
    for event in (press(K.Key_Backspace, text="\b"), press(K.Key_Question, M.ShiftModifier, "?"),
                  press(K.Key_Right)):
        assert keys.action(event) is not None
        assert keys.action(event, typing=True) is None
    for event, action in ((press(K.Key_Down), Action.DOWN), (press(K.Key_F1), Action.HELP),
                          (press(K.Key_Escape, text="\x1b"), Action.BACK), (press(K.Key_Return, text="\r"),
                                                                            Action.ENTER)):
        assert keys.action(event, typing=True) is action


def test_a_mapping_replaces_the_keys_of_the_actions_it_names_only(qapp):
    keys = parse_key_map({"help": ["F2"], "next": ["F12", "Num+6"]})
    assert keys.action(press(K.Key_F2)) is Action.HELP
    assert keys.action(press(K.Key_F1)) is None
    assert keys.action(press(K.Key_F12)) is Action.NEXT
    assert keys.action(press(K.Key_6, M.KeypadModifier, "6")) is Action.NEXT
    assert keys.action(press(K.Key_6, text="6")) is None, "Num+6 is the keypad's 6 only"
    assert keys.action(press(K.Key_Up)) is Action.UP
    assert keys.names()["help"] == ["F2"]


def test_the_defaults_written_out_read_back_the_same(qapp):
    assert default_key_map().names() == {str(action): list(names) for action, names in DEFAULT_KEYS.items()}
    assert parse_key_map(default_key_map().names()).names() == default_key_map().names()


@pytest.mark.parametrize(("mapping", "says"), [
    ({"jump": ["F3"]}, "'jump' is not a keypad action"),
    ({"help": "F1"}, "the keys for 'help' must be a list of key names"),
    ({"help": []}, "'help' has no key"),
    ({"help": ["Fn1"]}, "'Fn1' (for 'help') is not a key name Qt knows"),
    ({"help": [""]}, "'' (for 'help') is not a key name"),
    ({"help": [12]}, "12 (for 'help') is not a key name"),
    ({"help": ["F1, F2"]}, "'F1, F2' (for 'help') is 2 keys one after another"),
    ({"next": ["Backspace"]}, "'Backspace' is given to both 'back' and 'next'"),
    ({"up": ["F5"], "down": ["F5"]}, "'F5' is given to both 'up' and 'down'"),
])
def test_a_mapping_the_kiosk_cannot_use_is_refused_naming_the_key(qapp, mapping, says):
    with pytest.raises(KeyMapError) as refused:
        parse_key_map(mapping)
    assert says in str(refused.value)


def test_a_key_moved_from_one_action_to_another_is_fine_when_both_are_given(qapp):
    keys = parse_key_map({"back": ["Escape"], "next": ["Backspace", "Right"]})
    assert keys.action(press(K.Key_Backspace, text="\b")) is Action.NEXT
    assert keys.action(press(K.Key_Escape, text="\x1b")) is Action.BACK


def test_the_cores_key_names_are_qts(qapp):
    """kiosk/keypad_keys.py (the core checks kiosk.toml without Qt) names each key as Qt does, and misses none."""
    from PySide6.QtGui import QKeySequence

    from kiosk.keypad_keys import ALIASES, NAMED_KEYS_TEXT, key_name

    portable = QKeySequence.SequenceFormat.PortableText
    others = ["?", "+", "-", "8", "é", "Ctrl++", "Num+8", "Shift+Alt+F4", "Num+Shift+Ctrl+Meta+Alt+X"]
    for name in [*NAMED_KEYS_TEXT.split("|"), *ALIASES, *others]:
        sequence = QKeySequence.fromString(name, portable)
        assert sequence.count() == 1 and sequence[0].key() != K.Key_unknown, name  # type: ignore[index]  # (the stubs lack __getitem__)
        assert sequence.toString(portable) == str(key_name(name)), name
    for key in Qt.Key:
        if key.value > 0xFFFF and key != K.Key_unknown:
            written = QKeySequence(key.value).toString(portable)
            if len(written) > 1 and "+" not in written and "," not in written:  # a name, not a character
                assert str(key_name(written)) == written


def test_the_settings_defaults_are_the_keypads(qapp):
    from kiosk.config import config_from_mapping

    assert parse_key_map(config_from_mapping({}).keypad.mapping()).names() == default_key_map().names()
