"""The six keypad actions of an EZ-Access-style keypad (Up, Down, Back, Next, Enter, Help), the keys that give them,
and which action a key press asks for (issue 21); four more keys change the speech's volume and rate. The window
acts on them in ui/keypad_input.py.

The default keys, on any keyboard:

    up     Up arrow            down   Down arrow
    back   Backspace, Escape   next   Right arrow
    enter  Enter, Return       help   F1, ?
    volume_up    +, Ctrl+Up    volume_down  -, Ctrl+Down
    rate_up      PgUp          rate_down    PgDown

Up and Down move between the controls of a page, Back and Next between pages, Enter presses or chooses, Help repeats
the prompt. Next is the Right arrow, not Tab: Tab and Shift+Tab keep their usual meaning (the next and the previous
control), so a visitor or an officer with a full keyboard finds the kiosk as every other program, and Tab never
leaves a page half read. A USB keypad whose keys send other codes is given its own keys in the kiosk's settings,
for example ``help = ["F1", "?"]``: :func:`parse_key_map` reads such a mapping and refuses, naming the key, what it
cannot use.

While the visitor types into a text input, the keys that type or edit text (Backspace, the Left and Right arrows,
Space, Home, End, Delete and every printable character such as "?") stay with the input: ``typing=True`` in
:meth:`KeyMap.action` leaves them out, so "?" types a question mark and Backspace deletes a letter there.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence


class Action(enum.StrEnum):
    UP = "up"
    DOWN = "down"
    BACK = "back"
    NEXT = "next"
    ENTER = "enter"
    HELP = "help"
    VOLUME_UP = "volume_up"
    VOLUME_DOWN = "volume_down"
    RATE_UP = "rate_up"
    RATE_DOWN = "rate_down"


# The six keys of an EZ-Access keypad; the others change how the speech sounds.
SIX = (Action.UP, Action.DOWN, Action.BACK, Action.NEXT, Action.ENTER, Action.HELP)
SPEECH_CONTROLS = (Action.VOLUME_UP, Action.VOLUME_DOWN, Action.RATE_UP, Action.RATE_DOWN)

DEFAULT_KEYS: dict[Action, tuple[str, ...]] = {
    Action.UP: ("Up",),
    Action.DOWN: ("Down",),
    Action.BACK: ("Backspace", "Escape"),
    Action.NEXT: ("Right",),
    Action.ENTER: ("Enter", "Return"),
    Action.HELP: ("F1", "?"),
    # "+" and "-" type themselves in a text input; Ctrl+Up and Ctrl+Down work there too.
    Action.VOLUME_UP: ("+", "Ctrl+Up"),
    Action.VOLUME_DOWN: ("-", "Ctrl+Down"),
    Action.RATE_UP: ("PgUp",),
    Action.RATE_DOWN: ("PgDown",),
}

# Keys a text input uses for editing: not actions while the visitor types (printable characters are left out too).
EDITING_KEYS = frozenset({Qt.Key.Key_Backspace, Qt.Key.Key_Delete, Qt.Key.Key_Left, Qt.Key.Key_Right,
                          Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_Space})
LAST_PRINTABLE = 0xFFFF  # Qt's key codes for characters are their Unicode code points; special keys start at 0x01000000


class KeyMapError(ValueError):
    """A keypad mapping the kiosk cannot use; the message names the action or key and says why."""


@dataclass(frozen=True)
class Key:
    """One key and the modifiers it must be pressed with (``Num+8`` is 8 on the numeric keypad)."""

    key: Qt.Key
    modifiers: Qt.KeyboardModifier
    name: str

    def printable(self) -> bool:
        return int(self.key) <= LAST_PRINTABLE and self.key != Qt.Key.Key_Space

    def matches(self, key: int, modifiers: Qt.KeyboardModifier) -> bool:
        """Whether a press of ``key`` with ``modifiers`` is this key. A press may carry the keypad's flag (a
        keypad's Enter and arrows are the main block's keys) and, for a symbol, Shift ("?" is Shift+/ on most
        keyboards), unless the key was given with that modifier."""
        if key != int(self.key):
            return False
        loose = Qt.KeyboardModifier.KeypadModifier
        if self.printable():
            loose |= Qt.KeyboardModifier.ShiftModifier
        loose &= ~self.modifiers  # a modifier the key was given with is required
        return (modifiers & ~loose) == self.modifiers


class KeyMap:
    """Which keys give which action."""

    def __init__(self, keys: Mapping[Action, Iterable[Key]]) -> None:
        self._keys = {action: tuple(keys.get(action, ())) for action in Action}

    def keys(self, action: Action) -> tuple[Key, ...]:
        return self._keys[action]

    def names(self) -> dict[str, list[str]]:
        """The mapping as the kiosk's settings write it: ``{"help": ["F1", "?"], ...}``."""
        return {str(action): [key.name for key in keys] for action, keys in self._keys.items()}

    def action(self, event: QKeyEvent, *, typing: bool = False) -> Action | None:
        """The action ``event`` asks for, or None. With ``typing`` (the focus is in a text input) a key that types
        or edits text is the input's, whatever it is mapped to."""
        key, modifiers = event.key(), event.modifiers()
        if typing and (key in EDITING_KEYS or (bool(event.text()) and event.text().isprintable())):
            return None
        for action, keys in self._keys.items():
            if any(bound.matches(key, modifiers) for bound in keys):
                return action
        return None


def parse_key(name: object, action: str) -> Key:
    """One key name as Qt writes it ("F1", "Up", "Backspace", "?", "Num+8"), for ``action``."""
    if not isinstance(name, str) or not name.strip():
        raise KeyMapError(f"{name!r} (for {action!r}) is not a key name: give one such as \"F1\", \"Up\" or \"?\"")
    text = name.strip()
    sequence = QKeySequence.fromString(text, QKeySequence.SequenceFormat.PortableText)
    if sequence.count() > 1:
        raise KeyMapError(f"{name!r} (for {action!r}) is {sequence.count()} keys one after another: give one key")
    combination = sequence[0] if sequence.count() == 1 else None  # type: ignore[index]  # (the stubs lack __getitem__)
    if combination is None or combination.key() == Qt.Key.Key_unknown:
        raise KeyMapError(f"{name!r} (for {action!r}) is not a key name Qt knows: write it as Qt does, such as "
                          "\"F1\", \"Up\", \"Backspace\", \"Escape\", \"Return\", \"Num+8\" or \"?\"")
    return Key(combination.key(), combination.keyboardModifiers(), text)


def parse_key_map(mapping: Mapping[str, object]) -> KeyMap:
    """The keys for each action: ``mapping``'s (action name -> list of key names) over :data:`DEFAULT_KEYS`. An
    action not in ``mapping`` keeps its default keys. Refuses, naming it, an unknown action, an action without keys,
    a key name Qt does not know, and a key given to two actions."""
    known = {str(action) for action in Action}
    chosen: dict[Action, list[Key]] = {action: [parse_key(name, str(action)) for name in names]
                                       for action, names in DEFAULT_KEYS.items()}
    for raw_action, names in mapping.items():
        if raw_action not in known:
            raise KeyMapError(f"{raw_action!r} is not a keypad action: the actions are "
                              f"{', '.join(str(action) for action in Action)}")
        if isinstance(names, str) or not isinstance(names, list | tuple):
            raise KeyMapError(f"the keys for {raw_action!r} must be a list of key names, such as [\"F1\", \"?\"], "
                              f"not {names!r}")
        if not names:
            raise KeyMapError(f"{raw_action!r} has no key: every action needs at least one")
        chosen[Action(raw_action)] = [parse_key(name, raw_action) for name in names]
    owner: dict[tuple[int, int], Action] = {}  # (key, modifiers) -> its action
    for action, keys in chosen.items():
        for key in keys:
            slot = (key.key.value, key.modifiers.value)
            if slot in owner and owner[slot] is not action:
                raise KeyMapError(f"{key.name!r} is given to both {str(owner[slot])!r} and {str(action)!r}: "
                                  "a key can give only one action")
            owner[slot] = action
    return KeyMap(chosen)


def default_key_map() -> KeyMap:
    return parse_key_map({})
