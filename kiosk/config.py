"""Kiosk configuration: ``kiosk.toml`` in the data folder, every setting declared once below.

The declaration is the frozen dataclasses of this module: each field is made by :func:`setting`, which holds the
setting's default, its title, the help an administrator reads (its comment in the documented default file,
``default_config.toml``, generated from this declaration by ``python -m kiosk.config_file``), what values it accepts,
its limits (pydantic's constraints: ``ge``, ``le``, ``pattern``...) and whether a change needs a restart of the kiosk.
A settings screen can be built from the same fields (:func:`settings`).

A file is checked against the declaration by pydantic in strict mode (``kiosk.config_check``): a whole number must be
written as one (``true`` and ``"80"`` are refused), an unknown section or key is refused, and every mistake is
reported in one go, each as ``key.path: message`` (:class:`ConfigError`). Keys missing from the file fall back to their
defaults, so an old file keeps working when new keys are added. The kiosk's own file is checked when it changes: the
checked result is kept beside it (``kiosk.toml.checked``, like Python's byte-code cache), so that an unchanged file
starts the kiosk without loading pydantic (≈70 ms).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, get_args

from kiosk.translation import N_, SOURCE_LANGUAGE, catalogues, is_language_code

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

CONFIG_FILE_NAME = "kiosk.toml"
CHECKED_SUFFIX = ".checked"
HOME_ENV = "P2C_KIOSK_HOME"

Paper = Literal["80mm", "letter"]
SmtpSecurity = Literal["starttls", "tls", "none"]
Encryption = Literal["on", "off"]
PAPER_SIZES: tuple[str, ...] = get_args(Paper)
SMTP_SECURITY: tuple[str, ...] = get_args(SmtpSecurity)
ENCRYPTION: tuple[str, ...] = get_args(Encryption)
Listening = Literal["loudspeaker", "headset"]
LISTENING: tuple[str, ...] = get_args(Listening)


class ConfigProblem(NamedTuple):
    """One mistake in the configuration: the dotted key (``kiosk.number``; the file's path when it cannot be read)
    and what would be accepted, in plain English."""

    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.key}: {self.message}" if self.key else self.message


class ConfigError(Exception):
    """The configuration file is unreadable or has mistakes. ``problems`` lists every one; ``str(error)`` gives them
    one per line, each as ``key.path: message``."""

    def __init__(self, problems: str | Iterable[ConfigProblem | str]) -> None:
        items = [problems] if isinstance(problems, str) else list(problems)
        self.problems: list[ConfigProblem] = [_as_problem(item) for item in items]
        super().__init__("\n".join(map(str, self.problems)))


def _as_problem(item: ConfigProblem | str) -> ConfigProblem:
    if isinstance(item, ConfigProblem):
        return item
    key, sep, message = item.partition(": ")
    return ConfigProblem(key, message) if sep and " " not in key else ConfigProblem("", item)


class Refusal(ValueError):
    """Raised by a setting's ``check`` when a value is refused for a reason of its own: ``text`` is said as it is
    (instead of "must be <accepts>")."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


# -- the declaration's building blocks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """What the declaration says about one setting, beside its name, type and default.

    ``title``: a short label (a settings screen's field label). ``help``: what it is for, for an administrator (its
    comment in the default file). ``accepts``: what a valid value is, in words that follow "must be" (every refusal
    of the value says it). ``restart``: True when the running kiosk reads the value only at start-up (the number in
    its tracking numbers, the printer, the sync schedule...), so a change takes effect after a restart; False when
    what uses it reads it again for each visitor, report or review. ``rules``: pydantic's constraints on the value
    (``ge``, ``le``, ``gt``, ``min_length``, ``pattern``); ``item_rules``: the same for each item of a list.
    ``clean``: applied to the written value before its type is checked (strip spaces, read an amount). ``check``:
    called with the value and the section's settings declared before it, once the type and rules are met; returns
    the value to keep, or raises ValueError (refused with ``accepts``) or :class:`Refusal` (refused with its text)."""

    title: str
    help: str
    accepts: str
    restart: bool = False
    rules: Mapping[str, Any] = field(default_factory=dict)
    item_rules: Mapping[str, Any] = field(default_factory=dict)
    clean: Callable[[Any], Any] | None = None
    check: Callable[[Any, Mapping[str, Any]], Any] | None = None


def setting(default: Any, title: str, help: str, accepts: str, *, restart: bool = False,
            items: Mapping[str, Any] | None = None, clean: Callable[[Any], Any] | None = None,
            check: Callable[[Any, Mapping[str, Any]], Any] | None = None, **rules: Any) -> Any:
    """A field of a section: its default (a value, or a function that gives it when a configuration is made) and its
    :class:`Setting` (see there for the arguments)."""
    about = Setting(title, help, accepts, restart, rules, items or {}, clean, check)
    if callable(default):
        return field(default_factory=default, metadata={"setting": about})
    return field(default=default, metadata={"setting": about})


def default_of(item: dataclasses.Field[Any]) -> Any:
    """A setting's default value, made now if the declaration gives a function for it."""
    if item.default is not dataclasses.MISSING:
        return item.default
    return item.default_factory()  # type: ignore[operator]  # setting() gives a default or a factory


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _amount(value: object) -> object:
    """A money amount written as text ("100000.00") or a number."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return value  # refused by the type check
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError("not an amount") from None
    if not amount.is_finite():
        raise ValueError("not an amount")
    return amount


# -- the settings --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentConfig:
    """The police department this kiosk belongs to."""

    name: str = setting("Hartford Police Department", "Department name",
                        "Shown on the welcome page, on receipts and in e-mails.", "text, not empty",
                        clean=_strip, min_length=1)
    short_name: str = setting("HPD", "Short name",
                              "The department's initials, used in official report numbers "
                              "(review.official_number_pattern).", "text, not empty", clean=_strip, min_length=1)
    emergency_number: str = setting("911", N_("Emergency number"),
                                    N_("Given to citizens on referral pages and receipts."),
                                    N_("text, not empty"), clean=_strip, min_length=1)
    non_emergency_phone: str = setting("(860) 757-4000", N_("Non-emergency phone"),
                                       N_("Given to citizens on referral pages and receipts."), N_("text, not empty"),
                                       clean=_strip, min_length=1)
    desk_phone: str = setting("(860) 757-4000", N_("Lobby desk phone"),
                              N_("The desk officer in this lobby (shown when a report cannot be taken at the kiosk)."),
                              N_("text, not empty"), clean=_strip, min_length=1)


HARTFORD_ZIPS = frozenset((
    "06101", "06102", "06103", "06104", "06105", "06106", "06112", "06114", "06115", "06120",
    "06123", "06126", "06132", "06134", "06140", "06141", "06142", "06143", "06144", "06145",
    "06146", "06150", "06151", "06152", "06153", "06154", "06155", "06156", "06160", "06161",
    "06167", "06176", "06180", "06183",
))


@dataclass(frozen=True)
class JurisdictionConfig:
    """The offense location decides jurisdiction. A location is inside when its city is one of city_names (compared
    without regard to case, spaces or punctuation), its state is `state`, and its ZIP code (5 digits; ZIP+4 is
    accepted) is one of `zips`. When `streets` is not empty, the street name must also be one of them."""

    city_names: tuple[str, ...] = setting(("Hartford",), "City names", "The names of the city a location must be in.",
                                          "a non-empty list of city names", min_length=1)
    state: str = setting("CT", "State", "The state a location must be in (two letters).",
                         'a 2-letter code such as "CT"', clean=_strip, check=lambda value, _: value.upper(),
                         pattern=r"^[A-Za-z]{2}$")
    zips: frozenset[str] = setting(HARTFORD_ZIPS, "ZIP codes", "The ZIP codes a location must have.",
                                   'a non-empty list of 5-digit ZIP codes written as strings ("06103")',
                                   items={"pattern": r"^[0-9]{5}$"}, min_length=1)
    streets: tuple[str, ...] = setting((), "Streets", "When not empty, the street names a location must be on.",
                                       "a list of street names (empty for no street check)")


def _known_zone(value: str, _: Mapping[str, Any]) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError("unknown time zone") from exc
    return value


def _installed_languages(value: tuple[str, ...], earlier: Mapping[str, Any]) -> tuple[str, ...]:
    """Each listed language has a catalogue."""
    for code in value:
        if not is_language_code(code):
            raise Refusal(f"“{code}” is not a language code: write it as CLDR does, such as es or pt_BR")
        if not catalogues().has(code):
            raise Refusal(f"there is no catalogue for “{code}”: add resources/locale/{code}/LC_MESSAGES/p2c.po and "
                          "run `make translations`, or remove it from the list")
    if len(set(value)) != len(value):
        raise Refusal("a language is listed twice")
    return value


def _one_of_the_languages(value: str, earlier: Mapping[str, Any]) -> str:
    languages = earlier.get("languages")
    offered = tuple(languages) if languages is not None else catalogues().installed()
    if value not in offered:
        raise Refusal(f"must be one of kiosk.languages ({', '.join(offered)})")
    return value


@dataclass(frozen=True)
class KioskSettings:
    """This kiosk."""

    number: int = setting(
        1, "Kiosk number",
        "Two digits, unique within the department: it is part of every tracking number this kiosk issues, which is "
        "what makes tracking numbers unique across kiosks without any coordination.",
        "a whole number from 1 to 99", restart=True, ge=1, le=99)
    time_zone: str = setting(
        "America/New_York", "Time zone",
        "The lobby's time zone (an IANA name): dates on screens, receipts and reports, and the year in numbers.",
        'a time zone name such as "America/New_York"', restart=True, check=_known_zone)
    idle_timeout_seconds: int = setting(
        90, N_("Idle timeout"),
        N_('Seconds without a touch before the "Are you still there?" prompt (from 15 to 3600).'),
        N_("a whole number of seconds from 15 to 3600"), restart=True, ge=15, le=3600)
    languages: tuple[str, ...] = setting(
        lambda: catalogues().installed(), N_("Languages"),
        N_("The languages a visitor can choose, in the order the welcome page offers them. Each needs a translation "
        "catalogue (resources/locale/<code>/LC_MESSAGES/p2c.mo). The default: every installed language."),
        N_("a list of language codes with a catalogue, such as [\"en\", \"es\", \"pt_BR\"]"), restart=True,
        check=_installed_languages, min_length=1)
    default_language: str = setting(
        SOURCE_LANGUAGE, N_("Default language"), N_("The language each visit starts in: one of `languages`."),
        N_("one of kiosk.languages"), restart=True, check=_one_of_the_languages)

    @property
    def zone(self) -> ZoneInfo:
        from zoneinfo import ZoneInfo  # read when a date is written, not at start-up

        return ZoneInfo(self.time_zone)


def _longer_than_the_shortest(value: int, earlier: Mapping[str, Any]) -> int:
    shortest = earlier.get("narrative_min_chars")
    if shortest is not None and value <= shortest:
        raise Refusal(f"must be larger than rules.narrative_min_chars ({shortest})")
    return value


@dataclass(frozen=True)
class RulesConfig:
    """Limits the report rules apply (docs/report-format.md, "Limits set in kiosk.toml")."""

    minimum_age: int = setting(18, "Minimum age", "The person reporting must be at least this old.",
                               "a positive whole number", gt=0)
    oldest_incident_days: int = setting(1825, "Oldest incident", "How far back an incident may have started, in days.",
                                        "a positive whole number", gt=0)
    narrative_min_chars: int = setting(40, "Shortest narrative", "The fewest characters a narrative may have.",
                                       "a positive whole number", gt=0)
    narrative_max_chars: int = setting(5000, "Longest narrative", "The most characters a narrative may have.",
                                       "a positive whole number", gt=0, check=_longer_than_the_shortest)
    max_items: int = setting(25, "Most items", "The most item lines (what was damaged, lost or stolen) in a report.",
                             "a positive whole number", gt=0)
    max_item_quantity: int = setting(999, "Largest quantity", "The largest quantity on one item line.",
                                     "a positive whole number", gt=0)
    max_item_value: Decimal = setting(  # noqa: RUF009 (setting() makes a dataclasses.field)
        Decimal("100000.00"), "Largest item value", "US dollars, per item line (quantity included).",
        'an amount more than zero, written as text such as "100000.00"', clean=_amount, gt=0)


# A CUPS queue name: up to 127 printable characters, none of them a space, a slash, a backslash, a quote or "#".
_QUEUE_NAME = r"""^[^\s/\\'"#]{0,127}$"""


@dataclass(frozen=True)
class PrinterConfig:
    """Receipts are printed through CUPS, the Linux print system. Leave `name` empty when the kiosk has no printer:
    each receipt is then saved as a PDF in the `spool` folder of the data folder and the citizen sees it on screen
    (tracking number, access code, QR code)."""

    name: str = setting(
        "", N_("Printer"), N_("The printer's queue name as `lpstat -p` shows it; empty for no printer."),
        N_('a CUPS printer name as `lpstat -p` shows it (no spaces, "/" or "#"), or "" for no printer'), restart=True,
        clean=_strip, pattern=_QUEUE_NAME)
    paper: Paper = setting(  # noqa: RUF009 (setting() makes a dataclasses.field)
        "80mm", N_("Paper"),
        N_('"80mm" for a thermal receipt roll (printable width 72 mm), or "letter" for Letter paper.'),
        f"one of {', '.join(map(repr, PAPER_SIZES))}", restart=True)
    media: str = setting(
        "", "Media option",
        'The media option sent with each job (lp -o media=...). Empty: chosen from `paper`, "Custom.80xLENGTHmm" with '
        'the length of each receipt for "80mm" (a roll has no fixed page length), "Letter" for "letter". Set it only '
        "when the printer's driver names its media differently (`lpoptions -p NAME -l` lists them), e.g. "
        '"RP80x297".',
        'a media name without spaces, such as "Custom.80x200mm", or "" to choose it from printer.paper', restart=True,
        pattern=r"^\S*$")
    job_timeout_seconds: int = setting(
        20, "Print timeout",
        "Seconds to wait for the printer to finish a receipt (from 3 to 300). When it takes longer the job is "
        "cancelled, so that the receipt never comes out later in someone else's hands, and the receipt is shown on "
        "screen instead.",
        "a whole number of seconds from 3 to 300", restart=True, ge=3, le=300)
    spool_keep_hours: int = setting(
        72, "Keep spooled PDFs",
        "Hours a PDF stays in the `spool` folder (from 1 to 720), so that the desk officer can print it again for the "
        "citizen later the same day or after a weekend. The running kiosk then deletes it (it checks every hour): a "
        "spooled receipt carries an access code and a spooled report copy everything the citizen told the kiosk.",
        "a whole number of hours from 1 to 720 (30 days), e.g. 72 to keep spooled PDFs over a weekend", restart=True,
        ge=1, le=720)

    def media_for(self, page_height_mm: float) -> str:
        """The media option for a page of this height: the configured one, else ``Custom.80xLENGTHmm`` (whole mm,
        rounded up) on a roll or ``Letter``."""
        if self.media:
            return self.media
        if self.paper == "letter":
            return "Letter"
        return f"Custom.80x{math.ceil(page_height_mm - 0.01)}mm"


@dataclass(frozen=True)
class OfficerConfig:
    """Officer mode."""

    idle_lock_seconds: int = setting(
        120, "Officer idle lock",
        "Officer mode locks itself after this many seconds without a touch (CJIS: never more than 30 minutes).",
        "a whole number of seconds from 15 to 1800 (CJIS: at most 30 minutes)", restart=True, ge=15, le=1800)


def official_number(pattern: str, short_name: str, year: int = 2026, seq: int = 1) -> str:
    """An official report number made with ``review.official_number_pattern``."""
    return pattern.format(year=year, yy=f"{year % 100:02d}", seq=seq, short_name=short_name)


def _usable_pattern(value: str, _: Mapping[str, Any]) -> str:
    try:
        sample = official_number(value, "HPD")
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError("not a pattern") from exc
    if "{seq" not in value or not sample.strip():
        raise ValueError("no sequence")
    return value


@dataclass(frozen=True)
class ReviewConfig:
    """Officers' review of reports."""

    official_number_pattern: str = setting(
        "{short_name}-{year}-{seq:06d}", "Official report number",
        "The official report number given on approval, kept distinct from the citizen's tracking number. Python "
        "format fields: {year} (four digits), {yy} (two digits), {seq} (the department sequence for that year, from "
        "1; write {seq:06d} for six digits with leading zeros) and {short_name} (department.short_name). At most 40 "
        "characters.",
        "text using only {year}, {yy}, {seq} and {short_name}, with {seq} (or {seq:06d}) in it, such as "
        '"{short_name}-{year}-{seq:06d}"', check=_usable_pattern)
    duplicate_window_days: int = setting(
        30, "Duplicate window", "Possible duplicates are looked for within this many days before and after a report.",
        "a whole number of days from 1 to 365", ge=1, le=365)


@dataclass(frozen=True)
class NoticesConfig:
    """E-mail to citizens. Leave smtp_host empty when the kiosk has no mail server yet: notices then wait in the
    outbox and go out once a server is configured. The SMTP password never goes here: store it in the system keyring
    with `p2c-kiosk configure --smtp-password-stdin`."""

    smtp_host: str = setting("", "Mail server", "The mail (SMTP) server's host name or address; empty for none.",
                             'a host name or address without spaces, or "" for no mail server', restart=True,
                             clean=_strip, pattern=r"^\S*$")
    smtp_port: int = setting(587, "Mail server port", "The mail server's port.", "a port number from 1 to 65535",
                             restart=True, ge=1, le=65535)
    security: SmtpSecurity = setting(  # noqa: RUF009 (setting() makes a dataclasses.field)
        "starttls", "Mail security",
        '"starttls" (port 587), "tls" (implicit TLS, port 465) or "none" (only for a relay on this machine).',
        f"one of {', '.join(map(repr, SMTP_SECURITY))}", restart=True)
    smtp_username: str = setting("", "Mail user name", "The user name on the mail server; empty for none.",
                                 'text ("" for none)', restart=True, clean=_strip)
    sender: str = setting("Hartford Police Department <no-reply@hartfordct.gov>", "Sender",
                          "The e-mails' From address, optionally with a name.",
                          'an e-mail address, optionally with a name: "Police <no-reply@example.gov>"', restart=True,
                          clean=_strip, pattern="@")
    timeout_seconds: int = setting(20, "Mail timeout", "Seconds to wait for the mail server on each attempt.",
                                   "a whole number of seconds from 1 to 300", restart=True, ge=1, le=300)


def _server_address(value: str, _: Mapping[str, Any]) -> str:
    problem = server_url_problem(value)
    if problem:
        raise Refusal(problem)
    # Kept without a trailing "/" so that the keyring entry (``sync:<server_url>``) is the same however it was typed.
    return value.rstrip("/")


def _status_page_address(value: str, _: Mapping[str, Any]) -> str:
    problem = server_url_problem(value, example=STATUS_PAGE_EXAMPLE)
    if problem:
        raise Refusal(problem)
    return value


@dataclass(frozen=True)
class SyncConfig:
    """Sync to the department server (docs/sync.md). The kiosk's token never goes here: store it in the system
    keyring with `p2c-kiosk configure --server URL --token-stdin`."""

    server_url: str = setting(
        "", "Department server",
        "The department's server, which receives every report and every officer decision, such as "
        '"https://records.example.gov/p2c". Leave it empty for a standalone kiosk: nothing is sent, and official '
        "report numbers are given here. https:// is required; plain http:// only for a server on this machine "
        "(127.0.0.1, localhost, ::1).",
        'text: the server\'s address, or "" for none', restart=True, clean=_strip, check=_server_address)
    interval_seconds: int = setting(60, N_("Sync interval"),
                                    N_("Seconds between sync runs while all is well (from 10 to 3600)."),
                                    N_("a whole number of seconds from 10 to 3600"), restart=True, ge=10, le=3600)
    batch_size: int = setting(100, "Batch size", "Reports (or history events) sent in one request (from 1 to 200).",
                              "a whole number of reports or events from 1 to 200", restart=True, ge=1, le=200)
    timeout_seconds: int = setting(20, "Sync timeout",
                                   "Seconds to wait for the server on each request (from 1 to 300).",
                                   "a whole number of seconds from 1 to 300", restart=True, ge=1, le=300)
    max_backoff_seconds: int = setting(
        3600, "Longest wait",
        "While the server cannot be reached, the wait between attempts doubles each time up to this many seconds "
        "(from 60 to 86400), with some randomness so that kiosks do not all come back at once.",
        "a whole number of seconds from 60 to 86400", restart=True, ge=60, le=86400)
    purge_after_days: int = setting(
        30, "Purge approved reports after",
        "Days after an approval that a report the server has loses its personal data on this kiosk (0 = never). The "
        "citizen's status look-up keeps working: tracking number, status, official number and the officer's messages "
        "stay.",
        "a whole number of days (0 = never) from 0 to 36500", ge=0, le=36500)
    purge_rejected_after_days: int = setting(
        7, "Purge rejected reports after", "The same for a rejected report (0 = never).",
        "a whole number of days (0 = never) from 0 to 36500", ge=0, le=36500)
    status_page_url: str = setting(
        "", "Citizen's status page",
        "The address of the citizen's status page on the department server, such as "
        '"https://police.example.gov/status". When set, the receipt\'s QR code and the e-mails carry a link to it '
        "with the tracking number filled in (never the access code), and this kiosk's scanner reads that QR code "
        "too. Leave it empty and the QR code holds the tracking number and access code for this kiosk's own "
        "scanner. https:// is required; plain http:// only for a page on this machine (127.0.0.1, localhost, ::1).",
        'text: the page\'s address, or "" for none', restart=True, clean=_strip, check=_status_page_address)

    @property
    def configured(self) -> bool:
        return bool(self.server_url)


@dataclass(frozen=True)
class StorageConfig:
    """The data kept on this kiosk (docs/encryption.md). Everything personal it keeps at rest (the database with its
    journal, the copies taken before a schema migration, the receipts and report copies waiting in the spool folder)
    is encrypted with one key, made on the first start and kept in the system keyring, never in this file."""

    encryption: Encryption = setting(  # noqa: RUF009 (setting() makes a dataclasses.field)
        "on", "Encryption at rest",
        '"on": the kiosk refuses to start when the system keyring cannot give it its key. "off" keeps everything in '
        "plaintext, readable by anyone who takes the disk, and the kiosk says so in its log at every start: only for "
        "a developer's machine, never in a lobby. A database encrypted once is never decrypted by turning this off.",
        f"one of {', '.join(ENCRYPTION)}", restart=True)

    @property
    def encrypted(self) -> bool:
        return self.encryption == "on"


@dataclass(frozen=True)
class SpeechConfig:
    """Reading aloud (docs/accessibility.md): a visitor starts it with Help or "Read aloud" on the welcome page."""

    engine: str = setting(
        "speechd", "Speech engine",
        'The Qt text-to-speech engine: "speechd" (speech-dispatcher with espeak-ng, the Debian packages in '
        'scripts/debian-packages/speech.txt) in a lobby, "mock" (silent) for tests. An engine that is missing or '
        "stalls leaves the kiosk silent, never stuck.",
        'a Qt speech engine name such as "speechd"', restart=True, pattern=r"^[a-z0-9_-]{1,40}$")
    listening: Listening = setting(  # noqa: RUF009 (setting() makes a dataclasses.field)
        "loudspeaker", "Listening",
        '"headset" only when the kiosk speaks into a headset (private listening): then what the visitor typed (name, '
        'address, phone) is read back to them. "loudspeaker": it never is, since the whole lobby would hear it.',
        f"one of {', '.join(LISTENING)}", restart=True)

    @property
    def private_listening(self) -> bool:
        return self.listening == "headset"

    volume_percent: int = setting(
        100, "Speech volume", "The volume each visit starts at, in percent (the visitor can change it by key).",
        "a whole number from 10 to 100", restart=True, ge=10, le=100)
    rate_percent: int = setting(
        0, "Speech rate",
        "The pace each visit starts at: 0 is the engine's normal pace, -100 the slowest, 100 the fastest (the visitor "
        "can change it by key).",
        "a whole number from -100 to 100", restart=True, ge=-100, le=100)


def _keypad_keys(value: tuple[str, ...], earlier: Mapping[str, Any]) -> tuple[str, ...]:
    """Each name is a key Qt knows (kiosk/keypad_keys.py), and no key is given to an action declared before."""
    from kiosk.keypad_keys import key_name

    taken = {}
    for action, names in earlier.items():
        for name in names:
            with contextlib.suppress(ValueError):  # refused where it was given
                taken[key_name(name)] = action
    for name in value:
        try:
            key = key_name(name)
        except ValueError as exc:
            raise Refusal(f"“{name}” {exc}") from exc
        if key in taken:
            raise Refusal(f"“{name}” is also keypad.{taken[key]}: a key can give only one action")
    return value


def _keys(default: tuple[str, ...], title: str, help: str) -> Any:
    return setting(default, title, help, 'a list of key names such as ["F1", "?"]', restart=True,
                   check=_keypad_keys, min_length=1, validate_default=True)  # a default can clash with a key given


@dataclass(frozen=True)
class KeypadConfig:
    """The keypad (docs/accessibility.md): the six keys of an EZ-Access keypad (Up, Down, Back, Next, Enter, Help)
    and the speech's volume and rate, each a list of key names as Qt writes them: "F1", "Up", "PgDown", "Esc",
    "Return", "Num+8" (the numeric keypad's 8), "?", "Ctrl+Up". Give a USB keypad's own keys here."""

    up: tuple[str, ...] = _keys(("Up",), "Up key", "Moves to the previous control of the page.")
    down: tuple[str, ...] = _keys(("Down",), "Down key", "Moves to the next control of the page.")
    back: tuple[str, ...] = _keys(
        ("Backspace", "Escape"), "Back key",
        "Goes to the previous page (Backspace deletes a letter while the visitor types in a field; Escape does not).")
    next: tuple[str, ...] = _keys(
        ("Right",), "Next key", "Goes to the next page (the Right arrow moves in the text while the visitor types).")
    enter: tuple[str, ...] = _keys(("Enter", "Return"), "Enter key", "Presses or chooses the control in focus.")
    help: tuple[str, ...] = _keys(("F1", "?"), "Help key", "Starts the speech, or says the current prompt again.")
    volume_up: tuple[str, ...] = _keys(("+", "Ctrl+Up"), "Louder key", "Speech volume up.")
    volume_down: tuple[str, ...] = _keys(("-", "Ctrl+Down"), "Softer key", "Speech volume down.")
    rate_up: tuple[str, ...] = _keys(("PgUp",), "Faster key", "Speech rate up.")
    rate_down: tuple[str, ...] = _keys(("PgDown",), "Slower key", "Speech rate down.")

    def mapping(self) -> dict[str, list[str]]:
        """Action name -> key names, as ui.keypad.parse_key_map reads them."""
        return {item.name: list(getattr(self, item.name)) for item in dataclasses.fields(self)}


def _official_number_fits(review: Any, earlier: Mapping[str, Any]) -> Any:
    department = earlier.get("department")
    if department is not None and len(official_number(review.official_number_pattern, department.short_name)) > 40:
        raise Refusal("must give numbers of at most 40 characters with department.short_name "
                      f'"{department.short_name}"')
    return review


@dataclass(frozen=True)
class Config:
    """The whole of kiosk.toml: one section per table. ``Config()`` is the defaults."""

    department: DepartmentConfig = field(default_factory=DepartmentConfig)
    jurisdiction: JurisdictionConfig = field(default_factory=JurisdictionConfig)
    kiosk: KioskSettings = field(default_factory=KioskSettings)
    rules: RulesConfig = field(default_factory=RulesConfig)
    printer: PrinterConfig = field(default_factory=PrinterConfig)
    officer: OfficerConfig = field(default_factory=OfficerConfig)
    # A rule between sections (``check``), said by its key in this one (``check_key``).
    review: ReviewConfig = field(default_factory=ReviewConfig, metadata={
        "check": _official_number_fits, "check_key": "official_number_pattern"})
    notices: NoticesConfig = field(default_factory=NoticesConfig)
    sync: SyncConfig = field(default_factory=SyncConfig)
    storage: StorageConfig = field(default_factory=StorageConfig)
    speech: SpeechConfig = field(default_factory=SpeechConfig)
    keypad: KeypadConfig = field(default_factory=KeypadConfig)


SECTIONS: dict[str, type] = {f.name: f.default_factory for f in dataclasses.fields(Config)}  # type: ignore[misc]  # every section has a default_factory; mypy sees the MISSING sentinel too


def settings() -> Iterator[tuple[str, dataclasses.Field[Any], Setting]]:
    """Every setting as (section name, its dataclass field, its :class:`Setting`), in the file's order: what the
    default file is generated from, and what a settings screen can be built from."""
    for section, kind in SECTIONS.items():
        for item in dataclasses.fields(kind):
            yield section, item, item.metadata["setting"]


# -- reading the file ----------------------------------------------------------------------------------------------


def default_config_text() -> str:
    # Beside this module, in a checkout, an installed package and the PyInstaller bundle alike (build.spec puts it
    # there). A plain path rather than importlib.resources, which costs ~5 ms at start-up. tests/core keeps it equal
    # to the text kiosk.config_file generates from the declaration.
    return Path(__file__).with_name("default_config.toml").read_text(encoding="utf-8")


def default_home(environ: Mapping[str, str] | None = None) -> Path:
    """The data folder when neither ``--home`` nor ``P2C_KIOSK_HOME`` says otherwise."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "p2c-kiosk"


def resolve_home(cli_home: str | os.PathLike[str] | None, environ: Mapping[str, str] | None = None) -> Path:
    """``--home`` wins, then ``P2C_KIOSK_HOME``, then the per-user data folder."""
    env = os.environ if environ is None else environ
    if cli_home:
        return Path(cli_home).expanduser().resolve()
    if env.get(HOME_ENV):
        return Path(env[HOME_ENV]).expanduser().resolve()
    return default_home(env)


def ensure_config_file(home: Path) -> Path:
    """Create the data folder (owner only) and write the documented default configuration if there is none yet.

    The file appears whole or not at all: it is written to a temporary file beside it (0600), flushed, and linked into
    place only if no kiosk.toml is there yet, so a start cut short (a full disk, a kill) never leaves half a file, and
    of two processes starting at once neither overwrites what the other or a person put there."""
    from kiosk.file_modes import private_folder

    private_folder(home)
    path = home / CONFIG_FILE_NAME
    if not path.exists():
        _create_whole(path, default_config_text().encode("utf-8"))
    return path


def _create_whole(path: Path, data: bytes) -> None:
    import tempfile  # a first start only; with random and shutil behind it (~2 ms) at every other

    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".new")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process (or a person) was first: theirs stays
    finally:
        Path(temporary).unlink(missing_ok=True)


def load_config(home: Path) -> Config:
    """Read ``kiosk.toml`` from the data folder (writing the defaults first if it is missing). Raises ConfigError
    listing every mistake. A file already checked as it is now is not checked again (see the module's help)."""
    path = ensure_config_file(home)
    text = _read_text(path)
    stamp = _stamp(text)
    config = _read_checked(path, stamp)
    if config is None:
        config = config_from_text(text, path)
        _write_checked(path, stamp, config)
    return config


def read_config_file(path: Path) -> Config:
    """The configuration in the kiosk.toml-format file ``path`` (the reference server reads its department's so).
    Raises ConfigError listing every mistake."""
    return config_from_text(_read_text(path), path)


def config_from_text(text: str, path: Path | str = CONFIG_FILE_NAME) -> Config:
    """The configuration in ``text`` (kiosk.toml's format). Raises ConfigError listing every mistake."""
    import tomllib  # a start with an unchanged file reads the checked copy instead (kiosk.toml.checked)

    try:
        user = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: cannot read the configuration: {exc}") from exc
    return config_from_mapping(user)


def config_from_mapping(user: Mapping[str, Any]) -> Config:
    """The configuration with ``user`` (a parsed kiosk.toml) over the defaults. Raises ConfigError listing every
    mistake. Used by tests to build a config in memory."""
    # pydantic is loaded only when a file is checked: ≈70 ms that the kiosk's start does without (load_config).
    from kiosk.config_check import check_config

    return check_config(user)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the configuration: {exc}") from exc


# -- kiosk.toml.checked: the last file that passed, with the configuration it gave --------------------------------


def _stamp(text: str) -> dict[str, Any]:
    """What a checked result depends on: the file's very text, and the rules that checked it (the declaration and
    its checker; in the PyInstaller bundle, which has no sources, the bundle itself)."""
    rules = 0
    here = Path(__file__)
    for source in (here, here.with_name("config_check.py")):
        try:
            rules = zlib.crc32(source.read_bytes(), rules)
        except OSError:  # a rebuilt bundle is another executable
            info = os.stat(sys.executable)
            rules = zlib.crc32(f"{sys.executable}:{info.st_size}:{info.st_mtime_ns}".encode(), rules)
    return {"text": text, "rules": rules}


def _checked_path(path: Path) -> Path:
    return path.with_name(path.name + CHECKED_SUFFIX)


def _read_checked(path: Path, stamp: dict[str, Any]) -> Config | None:
    """The configuration kept for this very text, or None (none kept, another text, or unreadable: check again)."""
    try:
        kept = json.loads(_checked_path(path).read_text(encoding="utf-8"))
        if kept.get("stamp") != stamp:
            return None
        return Config(**{
            name: kind(**{item.name: _restored(default_of(item), kept["config"][name][item.name])
                          for item in dataclasses.fields(kind)})
            for name, kind in SECTIONS.items()
        })
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _write_checked(path: Path, stamp: dict[str, Any], config: Config) -> None:
    """Keep the configuration beside the file (written whole, then renamed over the old one); best effort."""
    values = {name: {item.name: _plain(getattr(section, item.name)) for item in dataclasses.fields(section)}
              for name, section in ((n, getattr(config, n)) for n in SECTIONS)}
    target = _checked_path(path)
    temporary = target.with_name(f"{target.name}.{os.getpid()}.new")
    try:
        temporary.write_text(json.dumps({"stamp": stamp, "config": values}), encoding="utf-8")
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    except OSError:
        temporary.unlink(missing_ok=True)


def _plain(value: Any) -> Any:
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, Decimal):
        return str(value)
    return value


def _restored(default: Any, value: Any) -> Any:
    """A kept value in its setting's type, which its default has."""
    if isinstance(default, tuple | frozenset | Decimal):
        return type(default)(value)
    if type(value) is not type(default):
        raise TypeError("kept with another type")
    return value


_LOCAL_HOSTS = ("localhost", "::1")


STATUS_PAGE_EXAMPLE = 'such as "https://police.example.gov/status" (or "" for none)'


def server_url_problem(url: str, *,
                       example: str = 'such as "https://records.example.gov/p2c" (or "" for a standalone kiosk)'
                       ) -> str | None:
    """Why ``url`` cannot be a sync server's address (None when it can; "" is "no server"). ``https://host[:port]
    [/path]``; ``http://`` only for a server on this machine (127.0.0.0/8, localhost, ::1). ``example``: the
    address the refusal shows as an example (the status page's is :data:`STATUS_PAGE_EXAMPLE`)."""
    import ipaddress
    from urllib.parse import urlsplit

    if url == "":
        return None
    if re.search(r"\s", url):
        return f"must be an address without spaces, {example}"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return f"must be an address with a valid port, {example}"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"must start with https:// and name a host, {example}"
    if parts.username is not None or parts.password is not None:
        return "must not contain a user name or password (the token is stored in the system keyring)"
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        return f"must not have a query (?) or fragment (#), {example}"
    if port == 0:
        return f"must have a port from 1 to 65535, {example}"
    if parts.scheme == "http":
        host = parts.hostname
        try:
            local = ipaddress.ip_address(host).is_loopback
        except ValueError:
            local = host.lower() in _LOCAL_HOSTS
        if not local:
            return ("must use https:// (plain http:// only for an address on this machine: 127.0.0.1, localhost "
                    "or ::1)")
    return None
