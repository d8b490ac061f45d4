"""What the kiosk says about the focused control, from the same catalogue as the screen (issue 21).

Each function takes the page's :class:`kiosk.translation.Translation` and texts that are already in its language (a
button's label, a field's name), and gives one sentence for :meth:`ui.speech.Speaker.say`: "Yes, selected, 1 of 2".
A whole sentence is one catalogue entry, so each language orders its parts in its own way.

What a visitor typed is spoken only with private listening (a headset): a lobby's loudspeaker would tell the room a
name or an address (docs/accessibility.md).
"""

from __future__ import annotations

from kiosk.translation import Translation


def choice_description(texts: Translation, label: str, *, selected: bool, position: int, count: int) -> str:
    """One of a group of choices: "Yes, selected, 1 of 2"; ``position`` counts from 1."""
    if selected:
        # Translators: spoken aloud for the focused choice of a group, e.g. "Yes, selected, 1 of 2".
        template = texts.gettext("{label}, selected, {position} of {count}")
    else:
        # Translators: spoken aloud for the focused choice of a group, e.g. "No, not selected, 2 of 2".
        template = texts.gettext("{label}, not selected, {position} of {count}")
    return template.format(label=label, position=position, count=count)


def button_description(texts: Translation, label: str) -> str:
    """A button: "Start, button"."""
    # Translators: spoken aloud for the focused button, e.g. "Start, button".
    return texts.gettext("{label}, button").format(label=label)


def text_field_description(texts: Translation, label: str, value: str, *, private_listening: bool) -> str:
    """A text field: its value is read out only with private listening; otherwise only whether it is filled in."""
    if not value:
        # Translators: spoken aloud for an empty text field, e.g. "Last name, text field, empty".
        return texts.gettext("{label}, text field, empty").format(label=label)
    if private_listening:
        # Translators: spoken aloud (in a headset) for the focused text field and what the visitor typed in it.
        return texts.gettext("{label}, text field, {value}").format(label=label, value=value)
    # Translators: spoken aloud for a text field with something typed in it; what was typed is not read out.
    return texts.gettext("{label}, text field, filled in").format(label=label)


def speech_stopped_note(texts: Translation) -> str:
    """The note a page shows when speech did not finish in time and was stopped (:attr:`Speaker.timed_out`)."""
    # Translators: shown on screen when reading aloud failed; the kiosk still works by touch and keys.
    return texts.gettext("Reading aloud has stopped. You can go on using the screen and the keys.")
