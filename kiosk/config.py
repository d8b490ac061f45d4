"""Kiosk configuration: a TOML file in the data folder, with every key declared once with its default.

The defaults live in ``default_config.toml`` beside this module (the Hartford Police Department). On first start
that file is copied into the data folder so an administrator has a documented file to edit; keys missing from the
file fall back to the defaults, so an old file keeps working when new keys are added.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

CONFIG_FILE_NAME = "kiosk.toml"
HOME_ENV = "P2C_KIOSK_HOME"
SUPPORTED_LANGUAGES = ("en", "es")
PAPER_SIZES = ("80mm", "letter")
# A CUPS queue name: up to 127 printable characters, none of them a space, a slash, a backslash, a quote or "#".
_QUEUE_NAME = re.compile(r"""[^\s/\\'"#]{1,127}""")


class ConfigError(Exception):
    """The configuration file is unreadable or a value is out of range; the message names the key."""


@dataclass(frozen=True)
class DepartmentConfig:
    name: str
    short_name: str
    emergency_number: str
    non_emergency_phone: str
    desk_phone: str


@dataclass(frozen=True)
class JurisdictionConfig:
    city_names: tuple[str, ...]
    state: str
    zips: frozenset[str]
    streets: tuple[str, ...]


@dataclass(frozen=True)
class KioskSettings:
    number: int
    time_zone: str
    idle_timeout_seconds: int
    languages: tuple[str, ...]
    default_language: str

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


@dataclass(frozen=True)
class RulesConfig:
    minimum_age: int
    oldest_incident_days: int
    narrative_min_chars: int
    narrative_max_chars: int
    max_items: int
    max_item_quantity: int
    max_item_value: Decimal


@dataclass(frozen=True)
class PrinterConfig:
    """Where receipts are printed. ``name`` is a CUPS queue name; empty means no printer (receipts are spooled as
    PDF files and shown on screen). ``media`` empty means "chosen from ``paper``" (see :attr:`media_for`)."""

    name: str = ""
    paper: str = "80mm"
    media: str = ""
    job_timeout_seconds: int = 20
    spool_keep_hours: int = 72

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
    idle_lock_seconds: int = 120


@dataclass(frozen=True)
class ReviewConfig:
    official_number_pattern: str = "{short_name}-{year}-{seq:06d}"
    duplicate_window_days: int = 30


@dataclass(frozen=True)
class NoticesConfig:
    smtp_host: str = ""
    smtp_port: int = 587
    security: str = "starttls"
    smtp_username: str = ""
    sender: str = "Hartford Police Department <no-reply@hartfordct.gov>"
    timeout_seconds: int = 20


SMTP_SECURITY = ("starttls", "tls", "none")


@dataclass(frozen=True)
class SyncConfig:
    """Sync to the department server (docs/sync.md). ``server_url`` empty: a standalone kiosk. The URL is kept
    without a trailing "/" so that the keyring entry (``sync:<server_url>``) is the same however it was typed."""

    server_url: str = ""
    interval_seconds: int = 60
    batch_size: int = 100
    timeout_seconds: int = 20
    max_backoff_seconds: int = 3600
    purge_after_days: int = 30
    purge_rejected_after_days: int = 7

    @property
    def configured(self) -> bool:
        return bool(self.server_url)


@dataclass(frozen=True)
class Config:
    department: DepartmentConfig
    jurisdiction: JurisdictionConfig
    kiosk: KioskSettings
    rules: RulesConfig
    printer: PrinterConfig = PrinterConfig()
    officer: OfficerConfig = OfficerConfig()
    review: ReviewConfig = ReviewConfig()
    notices: NoticesConfig = NoticesConfig()
    sync: SyncConfig = SyncConfig()


def default_config_text() -> str:
    # Beside this module, in a checkout, an installed package and the PyInstaller bundle alike (build.spec puts it
    # there). A plain path rather than importlib.resources, which costs ~5 ms at start-up.
    return Path(__file__).with_name("default_config.toml").read_text(encoding="utf-8")


def default_home(environ: dict[str, str] | None = None) -> Path:
    """The data folder when neither ``--home`` nor ``P2C_KIOSK_HOME`` says otherwise."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "p2c-kiosk"


def resolve_home(cli_home: str | os.PathLike[str] | None, environ: dict[str, str] | None = None) -> Path:
    """``--home`` wins, then ``P2C_KIOSK_HOME``, then the per-user data folder."""
    env = os.environ if environ is None else environ
    if cli_home:
        return Path(cli_home).expanduser().resolve()
    if env.get(HOME_ENV):
        return Path(env[HOME_ENV]).expanduser().resolve()
    return default_home(env)


def ensure_config_file(home: Path) -> Path:
    """Create the data folder and write the documented default configuration if there is none yet."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / CONFIG_FILE_NAME
    if not path.exists():
        path.write_text(default_config_text(), encoding="utf-8")
    return path


def load_config(home: Path) -> Config:
    """Read ``kiosk.toml`` from the data folder (writing the defaults first if it is missing)."""
    return read_config_file(ensure_config_file(home))


def read_config_file(path: Path) -> Config:
    """The configuration in the kiosk.toml-format file ``path`` (the reference server reads its department's so)."""
    try:
        user = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the configuration: {exc}") from exc
    return config_from_mapping(user)


def config_from_mapping(user: dict) -> Config:
    """Merge ``user`` over the defaults and check every value. Used by tests to build a config in memory."""
    merged = tomllib.loads(default_config_text())
    for section, values in user.items():
        if section not in merged or not isinstance(values, dict):
            raise ConfigError(f"[{section}]: unknown section")
        for key, value in values.items():
            if key not in merged[section]:
                raise ConfigError(f"{section}.{key}: unknown key")
            merged[section][key] = value
    return _build(merged)


def _build(raw: dict) -> Config:
    dep, jur, kio, rul = raw["department"], raw["jurisdiction"], raw["kiosk"], raw["rules"]
    printer = _printer(raw["printer"])
    for key in ("name", "short_name", "emergency_number", "non_emergency_phone", "desk_phone"):
        _require(isinstance(dep[key], str) and dep[key].strip(), f"department.{key}", "must be a non-empty string")

    _require(
        isinstance(jur["city_names"], list) and jur["city_names"]
        and all(isinstance(c, str) for c in jur["city_names"]),
        "jurisdiction.city_names",
        "must be a non-empty list of city names",
    )
    _require(isinstance(jur["state"], str) and len(jur["state"]) == 2, "jurisdiction.state", "must be a 2-letter code")
    zips = jur["zips"]
    _require(
        isinstance(zips, list) and zips and all(isinstance(z, str) and len(z) == 5 and z.isdigit() for z in zips),
        "jurisdiction.zips",
        'must be a non-empty list of 5-digit ZIP codes written as strings ("06103")',
    )
    _require(isinstance(jur["streets"], list), "jurisdiction.streets", "must be a list (empty for no street check)")

    number = kio["number"]
    _require(isinstance(number, int) and 1 <= number <= 99, "kiosk.number", "must be a whole number from 1 to 99")
    try:
        ZoneInfo(kio["time_zone"])
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise ConfigError(f"kiosk.time_zone: unknown time zone {kio['time_zone']!r}") from exc
    _require(
        isinstance(kio["idle_timeout_seconds"], int) and 15 <= kio["idle_timeout_seconds"] <= 3600,
        "kiosk.idle_timeout_seconds",
        "must be a whole number of seconds from 15 to 3600",
    )
    langs = kio["languages"]
    _require(
        isinstance(langs, list) and langs and all(lang in SUPPORTED_LANGUAGES for lang in langs),
        "kiosk.languages",
        f"must list languages from {', '.join(SUPPORTED_LANGUAGES)}",
    )
    _require(kio["default_language"] in langs, "kiosk.default_language", "must be one of kiosk.languages")

    for key in ("minimum_age", "oldest_incident_days", "narrative_min_chars", "narrative_max_chars", "max_items",
                "max_item_quantity"):
        _require(isinstance(rul[key], int) and rul[key] > 0, f"rules.{key}", "must be a positive whole number")
    _require(rul["narrative_min_chars"] < rul["narrative_max_chars"], "rules.narrative_max_chars",
             "must be larger than rules.narrative_min_chars")
    try:
        max_value = Decimal(str(rul["max_item_value"]))
    except InvalidOperation as exc:
        raise ConfigError('rules.max_item_value: must be an amount such as "100000.00"') from exc
    _require(max_value > 0, "rules.max_item_value", "must be more than zero")

    return Config(
        department=DepartmentConfig(**{k: dep[k].strip() for k in DepartmentConfig.__dataclass_fields__}),
        jurisdiction=JurisdictionConfig(
            city_names=tuple(jur["city_names"]),
            state=jur["state"].upper(),
            zips=frozenset(zips),
            streets=tuple(jur["streets"]),
        ),
        kiosk=KioskSettings(
            number=number,
            time_zone=kio["time_zone"],
            idle_timeout_seconds=kio["idle_timeout_seconds"],
            languages=tuple(langs),
            default_language=kio["default_language"],
        ),
        rules=RulesConfig(
            minimum_age=rul["minimum_age"],
            oldest_incident_days=rul["oldest_incident_days"],
            narrative_min_chars=rul["narrative_min_chars"],
            narrative_max_chars=rul["narrative_max_chars"],
            max_items=rul["max_items"],
            max_item_quantity=rul["max_item_quantity"],
            max_item_value=max_value,
        ),
        printer=printer,
        officer=_officer(raw["officer"]),
        review=_review(raw["review"], dep["short_name"].strip()),
        notices=_notices(raw["notices"]),
        sync=_sync(raw["sync"]),
    )


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _officer(raw: dict) -> OfficerConfig:
    seconds = raw["idle_lock_seconds"]
    _require(_whole(seconds) and 15 <= seconds <= 1800, "officer.idle_lock_seconds",
             "must be a whole number of seconds from 15 to 1800 (CJIS: at most 30 minutes)")
    return OfficerConfig(idle_lock_seconds=seconds)


def _review(raw: dict, short_name: str) -> ReviewConfig:
    pattern, days = raw["official_number_pattern"], raw["duplicate_window_days"]
    try:
        sample = pattern.format(year=2026, yy="26", seq=1, short_name=short_name)
    except (AttributeError, KeyError, IndexError, ValueError) as exc:
        raise ConfigError("review.official_number_pattern: must be text using only {year}, {yy}, {seq} and "
                          '{short_name}, such as "{short_name}-{year}-{seq:06d}"') from exc
    _require("{seq" in pattern and sample.strip() and len(sample) <= 40, "review.official_number_pattern",
             "must contain {seq} (or {seq:06d}) and give a number of at most 40 characters")
    _require(_whole(days) and 1 <= days <= 365, "review.duplicate_window_days",
             "must be a whole number of days from 1 to 365")
    return ReviewConfig(official_number_pattern=pattern, duplicate_window_days=days)


def _notices(raw: dict) -> NoticesConfig:
    host, port, security = raw["smtp_host"], raw["smtp_port"], raw["security"]
    _require(isinstance(host, str) and not re.search(r"\s", host), "notices.smtp_host",
             "must be a host name or address without spaces, or \"\" for no mail server")
    _require(_whole(port) and 1 <= port <= 65535, "notices.smtp_port", "must be a port number from 1 to 65535")
    _require(security in SMTP_SECURITY, "notices.security", f"must be one of {', '.join(map(repr, SMTP_SECURITY))}")
    _require(isinstance(raw["smtp_username"], str), "notices.smtp_username", "must be text (\"\" for none)")
    _require(isinstance(raw["sender"], str) and "@" in raw["sender"], "notices.sender",
             'must be an e-mail address, optionally with a name: "Police <no-reply@example.gov>"')
    timeout = raw["timeout_seconds"]
    _require(_whole(timeout) and 1 <= timeout <= 300, "notices.timeout_seconds",
             "must be a whole number of seconds from 1 to 300")
    return NoticesConfig(smtp_host=host.strip(), smtp_port=port, security=security,
                         smtp_username=raw["smtp_username"].strip(), sender=raw["sender"].strip(),
                         timeout_seconds=timeout)


# Whole-number keys of [sync]: (smallest, largest, unit).
_SYNC_RANGES = {
    "interval_seconds": (10, 3600, "seconds"),
    "batch_size": (1, 200, "reports or events"),
    "timeout_seconds": (1, 300, "seconds"),
    "max_backoff_seconds": (60, 86400, "seconds"),
    "purge_after_days": (0, 36500, "days (0 = never)"),
    "purge_rejected_after_days": (0, 36500, "days (0 = never)"),
}


def _sync(raw: dict) -> SyncConfig:
    url = raw["server_url"]
    _require(isinstance(url, str), "sync.server_url", 'must be text: the server\'s address, or "" for none')
    problem = server_url_problem(url.strip())
    if problem:
        raise ConfigError(f"sync.server_url: {problem}")
    values = {}
    for key, (low, high, unit) in _SYNC_RANGES.items():
        value = raw[key]
        _require(_whole(value) and low <= value <= high, f"sync.{key}",
                 f"must be a whole number of {unit} from {low} to {high}")
        values[key] = value
    return SyncConfig(server_url=url.strip().rstrip("/"), **values)


_LOCAL_HOSTS = ("localhost", "::1")


def server_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a sync server's address (None when it can; "" is "no server"). ``https://host[:port]
    [/path]``; ``http://`` only for a server on this machine (127.0.0.0/8, localhost, ::1)."""
    import ipaddress
    from urllib.parse import urlsplit

    if url == "":
        return None
    example = 'such as "https://records.example.gov/p2c" (or "" for a standalone kiosk)'
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
            return ("must use https:// (plain http:// only for a server on this machine: 127.0.0.1, localhost "
                    "or ::1)")
    return None


def _printer(raw: dict) -> PrinterConfig:
    name, paper, media, timeout = raw["name"], raw["paper"], raw["media"], raw["job_timeout_seconds"]
    keep = raw["spool_keep_hours"]
    _require(isinstance(name, str) and (name.strip() == "" or _QUEUE_NAME.fullmatch(name.strip())), "printer.name",
             'must be a CUPS printer name as `lpstat -p` shows it (no spaces, "/" or "#"), or "" for no printer')
    _require(paper in PAPER_SIZES, "printer.paper", f"must be one of {', '.join(map(repr, PAPER_SIZES))}")
    _require(isinstance(media, str) and not re.search(r"\s", media), "printer.media",
             'must be a media name without spaces, such as "Custom.80x200mm", or "" to choose it from printer.paper')
    _require(isinstance(timeout, int) and not isinstance(timeout, bool) and 3 <= timeout <= 300,
             "printer.job_timeout_seconds", "must be a whole number of seconds from 3 to 300")
    _require(_whole(keep) and 1 <= keep <= 720, "printer.spool_keep_hours",
             "must be a whole number of hours from 1 to 720 (30 days), e.g. 72 to keep spooled PDFs over a weekend")
    return PrinterConfig(name=name.strip(), paper=paper, media=media, job_timeout_seconds=timeout,
                         spool_keep_hours=keep)


def _require(condition: object, key: str, message: str) -> None:
    if not condition:
        raise ConfigError(f"{key}: {message}")
