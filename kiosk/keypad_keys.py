"""The key names a keypad setting may use (``[keypad]`` in kiosk.toml), without Qt: the core checks the settings, the
window reads them with Qt (``ui.keypad.parse_key_map``), and both must agree on what a key name is.

A key name is written as Qt's ``QKeySequence`` writes it in its portable form: a named key ("F1", "Up", "PgDown",
"Backspace", "Volume Up"), or one printable character ("?", "+", "8"), after any of the modifiers ``Ctrl+``,
``Shift+``, ``Alt+``, ``Meta+`` and ``Num+`` (a key of the numeric keypad: "Num+8"). Case does not matter. The table of
named keys below is Qt 6's, written out once; tests/ui/test_keypad.py holds it to Qt's own parser, so a
name accepted here is one the window can use.
"""

from __future__ import annotations

from typing import NamedTuple

MODIFIERS = ("Meta", "Ctrl", "Alt", "Shift", "Num")  # in the order Qt writes them

# Qt's names for its named keys (QKeySequence.toString(PortableText)), "|" between them.
NAMED_KEYS_TEXT = (
    "Add Favorite|Adjust Brightness|Adjust contrast|Alt|Application Left|Application Right|"
    "Audio Cycle Track|Audio Random Play|Audio Repeat|Away|Back|Back Forward|Backspace|Backtab|"
    "Bass Boost|Bass Down|Bass Up|Battery|Blue|Bluetooth|Book|Browser|Calculator|Calendar|Call|"
    "Camera Focus|Camera Shutter|Cancel|CapsLock|CD|Channel Down|Channel Up|Clear|Clear Grab|Close|"
    "Code input|Community|Context1|Context2|Context3|Context4|Control|Copy|Cut|Del|Display|Documents|DOS|"
    "Down|Eisu Shift|Eisu toggle|Eject|End|Enter|Esc|Execute|Exit|F1|F10|F11|F12|F13|F14|F15|F16|F17|F18|"
    "F19|F2|F20|F21|F22|F23|F24|F25|F26|F27|F28|F29|F3|F30|F31|F32|F33|F34|F35|F4|F5|F6|F7|F8|F9|"
    "Favorites|Finance|Find|Flip|Forward|Game|Go|Green|Guide|Hangul|Hangul Banja|Hangul End|Hangul Hanja|"
    "Hangul Jamo|Hangul Jeonja|Hangul PostHanja|Hangul PreHanja|Hangul Romaja|Hangul Special|"
    "Hangul Start|Hangup|Hankaku|Help|Henkan|Hibernate|Hiragana|Hiragana Katakana|History|Home|"
    "Home Office|Home Page|Hot Links|Info|Ins|iTouch|Kana Lock|Kana Shift|Kanji|Katakana|Keyboard|"
    "Keyboard Brightness Down|Keyboard Brightness Up|Keyboard Light On/Off|Keyboard Menu|"
    "Last Number Redial|Launch (0)|Launch (1)|Launch (2)|Launch (3)|Launch (4)|Launch (5)|Launch (6)|"
    "Launch (7)|Launch (8)|Launch (9)|Launch (A)|Launch (B)|Launch (C)|Launch (D)|Launch (E)|Launch (F)|"
    "Launch (G)|Launch (H)|Launch Mail|Launch Media|Left|LightBulb|Logoff|Mail Forward|Market|Massyo|"
    "Media Fast Forward|Media Next|Media Pause|Media Play|Media Previous|Media Record|Media Rewind|"
    "Media Stop|Meeting|Memo|Menu|Menu PB|Messenger|Meta|Microphone Mute|Microphone Volume Down|"
    "Microphone Volume Up|Monitor Brightness Down|Monitor Brightness Up|Muhenkan|Multiple Candidate|"
    "Music|My Sites|New|News|No|NumLock|Open|Open URL|Option|Paste|Pause|PgDown|PgUp|Phone|Pictures|Play|"
    "Power Down|Power Off|Previous Candidate|Print|Printer|Red|Redo|Refresh|Reload|Reply|Return|Right|"
    "Romaji|Rotate Windows|Rotation KB|Rotation PB|Save|Screensaver|ScrollLock|Search|Select|Send|"
    "Settings|Shift|Shop|Sleep|Spellchecker|Split Screen|Spreadsheet|Standby|Stop|Subtitle|Support|"
    "Suspend|SysReq|Tab|Task Panel|Terminal|Time|To-do list|Toggle Call/Hangup|Toggle Media Play/Pause|"
    "Tools|Top Menu|Touchpad Off|Touchpad On|Touchpad Toggle|Touroku|Travel|Treble Down|Treble Up|"
    "Ultra Wide Band|Undo|Up|Video|View|Voice Dial|Volume Down|Volume Mute|Volume Up|Wake Up|WebCam|"
    "Wireless|Word Processor|WWW|XFer|Yellow|Yes|Zenkaku|Zenkaku Hankaku|Zoom|Zoom In|Zoom Out"
)
# Other names Qt reads for some of them.
ALIASES = {
    "caps lock": "CapsLock",
    "delete": "Del",
    "escape": "Esc",
    "insert": "Ins",
    "num lock": "NumLock",
    "page down": "PgDown",
    "page up": "PgUp",
    "scroll lock": "ScrollLock",
}

_NAMED = {name.lower(): name for name in NAMED_KEYS_TEXT.split("|")} | ALIASES
_MODIFIERS = {name.lower(): name for name in MODIFIERS}


class KeyName(NamedTuple):
    """One key as a setting names it, written the one way Qt writes it: ``("Esc", ("Num",))``."""

    key: str
    modifiers: tuple[str, ...]

    def __str__(self) -> str:
        return "+".join((*self.modifiers, self.key))


def key_name(text: str) -> KeyName:
    """The key ``text`` names; ValueError (saying why, in words that follow the key's name) if it names none."""
    if not text.strip():
        raise ValueError("is not a key name")
    stripped = text.strip()
    if stripped.endswith("+") and (len(stripped) == 1 or stripped.endswith("++")):
        key, prefix = "+", stripped[:-2] if len(stripped) > 1 else ""
    else:
        prefix, _, key = stripped.rpartition("+")
    modifiers: list[str] = []
    for part in filter(None, prefix.split("+")):
        modifier = _MODIFIERS.get(part.strip().lower())
        if modifier is None:
            raise ValueError(f"has {part.strip()!r}, which is not a modifier ({', '.join(MODIFIERS)})")
        if modifier not in modifiers:
            modifiers.append(modifier)
    key = key.strip()
    if len(key) == 1 and key.isprintable() and not key.isspace():
        canonical = key.upper()
    elif key.lower() in _NAMED:
        canonical = _NAMED[key.lower()]
    else:
        raise ValueError("is not a key name Qt knows: write it as Qt does, such as \"F1\", \"Up\", \"PgDown\", "
                         "\"Backspace\", \"Esc\", \"Return\", \"Num+8\" or \"?\"")
    return KeyName(canonical, tuple(sorted(modifiers, key=MODIFIERS.index)))
