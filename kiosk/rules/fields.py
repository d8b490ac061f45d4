"""Rules for single fields: names, free text, dates, phone numbers, email addresses, US states and ZIP codes.

Each function takes the raw value and the field path, appends problems to the list it is given, and returns the
normalised value (or ``None`` when the value is unusable).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from kiosk.messages import Problem

US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK "
    "OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI AA AE AP".split()
)
NAME_MAX = 50
_NAME_PUNCTUATION = set(" -'’.")
# Digits in fields with a pattern are ASCII 0-9 only, everywhere (docs/decisions.md): \d would also match the
# digits of every other script (٠٦١١٤), and what was typed is what is stored and synced.
_ZIP = re.compile(r"^([0-9]{5})(?:-?([0-9]{4}))?$")
_SPACES = re.compile(r"\s+")


def has_other_digits(value: str) -> bool:
    """Whether ``value`` holds a digit other than ASCII 0-9 (another script's digit, a superscript, a circled or
    full-width digit: anything str.isdigit or a number parser would read as one)."""
    return not value.isascii() and any(not ch.isascii() and (ch.isdigit() or ch.isnumeric()) for ch in value)


def ascii_digits(value: str) -> bool:
    """Whether ``value`` is one or more ASCII digits 0-9 and nothing else."""
    return value.isascii() and value.isdigit()


def clean_line(value: str) -> str:
    """One line of text: control characters dropped, runs of white space folded to one space, ends trimmed."""
    # str.isprintable() is False for every control, format, surrogate, private-use and unassigned character (category
    # C), so text that passes it has nothing to drop: the common case skips the per-character walk (the reference
    # server checks thousands of reports a second with these rules).
    kept = value if value.isprintable() else "".join(
        ch if unicodedata.category(ch)[0] != "C" else " " for ch in value)
    return _SPACES.sub(" ", kept).strip()


def clean_block(value: str) -> str:
    """Several lines of text (a narrative): keeps line breaks, drops other control characters, trims the ends."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if value.replace("\n", "").replace("\t", "").isprintable():  # nothing to drop (see clean_line)
        kept = value
    else:
        kept = "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    lines = [line.rstrip() for line in kept.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def text(value: str, path: str, problems: list[Problem], *, max_len: int, required: bool) -> str:
    cleaned = clean_line(value)
    if required and not cleaned:
        problems.append(Problem(path, "shape.required"))
    elif len(cleaned) > max_len:
        problems.append(Problem(path, "text.too_long", {"max": max_len}))
    return cleaned


def person_name(value: str, path: str, problems: list[Problem]) -> str:
    cleaned = clean_line(value)
    if not cleaned:
        problems.append(Problem(path, "shape.required"))
    elif len(cleaned) > NAME_MAX:
        problems.append(Problem(path, "text.too_long", {"max": NAME_MAX}))
    elif not all(_is_letter(ch) or ch in _NAME_PUNCTUATION for ch in cleaned) or not any(map(_is_letter, cleaned)):
        problems.append(Problem(path, "name.chars"))
    return cleaned


def _is_letter(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LM"


def iso_date(value: str, path: str, problems: list[Problem]) -> date | None:
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()):
            raise ValueError
        return date.fromisoformat(value.strip())
    except ValueError:
        problems.append(Problem(path, "date.format"))
        return None


def iso_datetime(value: str, path: str, problems: list[Problem]) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or "T" not in value:
        problems.append(Problem(path, "time.format"))
        return None
    return moment


def phone_number(value: str, path: str, problems: list[Problem]) -> str:
    """A phone number in E.164 (``+18605550142``), read as a US number unless it starts with +; '' if empty."""
    cleaned = clean_line(value)
    if not cleaned:
        return ""
    if has_other_digits(cleaned):  # phonenumbers would read them: refused here as in every other field
        problems.append(Problem(path, "phone.invalid"))
        return cleaned
    try:
        parsed = phonenumbers.parse(cleaned, "US")
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        problems.append(Problem(path, "phone.invalid"))
        return cleaned
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """A stored number as people write it, the one way the kiosk shows and prints a phone number: ``+18605550142`` →
    ``(860) 555-0142``, another country's number in its international form (``+44 20 7946 0958``), anything that is
    not a number as stored (``-`` for none). For a number :func:`phone_number` gave."""
    if not e164:
        return "-"
    try:
        number = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return e164
    style = (phonenumbers.PhoneNumberFormat.NATIONAL if number.country_code == 1
             else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, style)


def email_address(value: str, path: str, problems: list[Problem]) -> str:
    """An email address checked for syntax only (a kiosk cannot look up mail servers); '' if empty."""
    cleaned = clean_line(value)
    if not cleaned:
        return ""
    try:
        return validate_email(cleaned, check_deliverability=False).normalized
    except EmailNotValidError:
        problems.append(Problem(path, "email.invalid"))
        return cleaned


def us_state(value: str, path: str, problems: list[Problem]) -> str:
    cleaned = clean_line(value).upper().replace(".", "")
    if cleaned not in US_STATES:
        problems.append(Problem(path, "state.invalid"))
    return cleaned


def zip_code(value: str, path: str, problems: list[Problem]) -> str:
    """``06103`` or ``06103-1234`` (spaces and a missing hyphen in ZIP+4 are accepted)."""
    compact = re.sub(r"\s+", "", value)
    match = _ZIP.match(compact)
    if not match:
        problems.append(Problem(path, "zip.invalid"))
        return compact
    five, four = match.groups()
    return f"{five}-{four}" if four else five
