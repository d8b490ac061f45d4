"""The kiosk's health, each part in one line with what to do: what ``p2c-kiosk doctor`` prints (kiosk.cli_doctor).

A check is a function that returns a :class:`Finding`: ok, a warning (the kiosk works, something needs a look) or a
fault (a visitor is or will be let down). :func:`run_checks` runs them side by side, each on a thread of its own,
and gives up on one that has not answered when the time is up, so that the whole stays under two seconds however
a network or a device behaves; the doctor's exit code is the worst level found (0, 1, 2).

The checks here are the core's and Qt-free: the display and the touch input device (from sysfs), free disk space,
the database's ``PRAGMA quick_check``, encryption at rest, the secrets, the time zone and the clock, the server
(reachable, clock skew, sync backlog), a speech voice for every kiosk language (kiosk.speech_voices). The printer is
the printing face's to check: kiosk.cli_doctor takes it, like any other face's check, from the ``p2c_kiosk.doctor``
entry points (a function of the kiosk's container giving a Finding).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import enum
import shutil
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

BUDGET_SECONDS = 1.8  # for all checks together; the doctor's promise is under 2 s
LOW_DISK_WARNING = 1 << 30  # bytes free
LOW_DISK_FAULT = 200 << 20
CLOCK_SKEW_WARNING = 120  # seconds between the kiosk's clock and the server's
OLDEST_PLAUSIBLE_CLOCK = datetime(2026, 1, 1, tzinfo=UTC)  # a clock before the kiosk was built is wrong


class Level(enum.IntEnum):
    OK = 0
    WARNING = 1
    FAULT = 2

    @property
    def word(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Finding:
    """One line of the doctor: which part, how it is, what it says, and what to do (empty when nothing)."""

    check: str
    level: Level
    says: str
    todo: str = ""

    def line(self) -> str:
        text = f"{self.level.word:<7} {self.check:<9} {self.says}"
        return f"{text} — {self.todo}" if self.todo else text

    def as_json(self) -> dict[str, Any]:
        return {"check": self.check, "level": self.level.word, "says": self.says, "todo": self.todo}


Check = Callable[[], Finding]


def run_checks(checks: Mapping[str, Check], budget: float = BUDGET_SECONDS) -> list[Finding]:
    """Run every check at once and collect its finding, in the order given. A check still running when ``budget``
    seconds are up is a warning (its thread is left behind: it is a daemon and dies with the program); one that
    raises is a fault naming the error."""
    results: dict[str, Finding] = {}
    threads = []

    def run(name: str, check: Check) -> None:
        try:
            results[name] = check()
        except Exception as exc:  # a broken check is a finding, not a crash of the doctor
            results[name] = Finding(name, Level.FAULT, f"the check itself failed ({exc.__class__.__name__}: {exc})",
                                    "report this to the kiosk's vendor with the log")

    for name, check in checks.items():
        thread = threading.Thread(target=run, args=(name, check), name=f"doctor-{name}", daemon=True)
        thread.start()
        threads.append(thread)
    deadline = time.monotonic() + budget
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return [results.get(name) or Finding(name, Level.WARNING, f"no answer within {budget:.1f} s",
                                         "run the doctor again; if it stays so, look at this part by hand")
            for name in checks]


def exit_code(findings: Sequence[Finding]) -> int:
    return max((finding.level for finding in findings), default=Level.OK).value


# -- the checks ----------------------------------------------------------------------------------------------------


def check_display(sysfs: Path = Path("/sys")) -> Finding:
    """A connected screen (a DRM connector whose status is "connected") and a touch input device (an input device
    with the INPUT_PROP_DIRECT property: it reports where on the screen it was touched)."""
    screens = sorted(path.parent.name for path in (sysfs / "class" / "drm").glob("card*-*/status")
                     if _read(path) == "connected")
    touch = sorted(_read(path.parent / "name") or path.parent.parent.name
                   for path in (sysfs / "class" / "input").glob("event*/device/properties")
                   if _direct(_read(path)))
    if not screens:
        return Finding("display", Level.FAULT, "no screen is connected",
                       "check the screen's cable and power, then restart the kiosk")
    if not touch:
        return Finding("display", Level.FAULT, f"screen {', '.join(screens)}, but no touch input device",
                       "check the touchscreen's USB cable, then restart the kiosk")
    return Finding("display", Level.OK, f"screen {', '.join(screens)}; touch: {', '.join(touch)}")


def check_disk(folder: Path, usage: Callable[[Path], Any] = shutil.disk_usage) -> Finding:
    free = usage(folder).free
    says = f"{_size(free)} free for {folder}"
    if free < LOW_DISK_FAULT:
        return Finding("disk", Level.FAULT, says, "free space now: the kiosk cannot store reports without it")
    if free < LOW_DISK_WARNING:
        return Finding("disk", Level.WARNING, says, "free some space (old logs, other programs' files)")
    return Finding("disk", Level.OK, says)


def check_database(path: Path, quick_check: Callable[[], list[str]]) -> Finding:
    """``quick_check`` opens the kiosk's database and gives PRAGMA quick_check's rows; it may raise (the store's
    error says why it cannot be opened)."""
    if not path.exists():
        return Finding("database", Level.WARNING, f"no database yet ({path})",
                       "the kiosk makes it when it first starts")
    try:
        rows = quick_check()
    except Exception as exc:  # whatever stops the store from opening is the finding
        return Finding("database", Level.FAULT, f"cannot be opened: {exc}",
                       "see docs/deployment.md, \"The database\"; do not delete the file")
    if rows == ["ok"]:
        return Finding("database", Level.OK, "quick_check: ok")
    return Finding("database", Level.FAULT, f"quick_check: {'; '.join(rows[:3])}",
                   "stop the kiosk, copy the data folder aside and call the kiosk's vendor")


def check_encryption(encrypted: bool) -> Finding:
    """Whether the data is encrypted at rest (``[storage] encryption``): off is a warning, never a silent state."""
    if encrypted:
        return Finding("storage", Level.OK, "encrypted at rest")
    return Finding("storage", Level.WARNING,
                   'encryption at rest is OFF ([storage] encryption = "off"): the reports, their backups and the '
                   "receipts waiting in the spool are readable by anyone who takes this disk",
                   'set [storage] encryption = "on" in kiosk.toml and restart the kiosk; its next start encrypts the '
                   "data in place with the storage key (docs/encryption.md)")


@dataclass(frozen=True)
class Secret:
    """A secret the kiosk needs now: its name, how to read it (None when missing) and what to do when it is."""

    name: str
    read: Callable[[], str | None]
    todo: str
    fault_when_missing: bool = False  # the kiosk cannot work without it (the database's key)


def check_secrets(secrets: Sequence[Secret]) -> Finding:
    """Each secret the configuration calls for is there (read, never shown)."""
    if not secrets:
        return Finding("secrets", Level.OK, "none needed by this configuration")
    missing = [secret for secret in secrets if not secret.read()]
    if not missing:
        return Finding("secrets", Level.OK, ", ".join(secret.name for secret in secrets) + " present")
    level = Level.FAULT if any(secret.fault_when_missing for secret in missing) else Level.WARNING
    return Finding("secrets", level, f"missing: {', '.join(secret.name for secret in missing)}",
                   "; ".join(f"{secret.name}: {secret.todo}" for secret in missing)
                   + ("" if level is Level.FAULT else " (reports are kept on the kiosk meanwhile)"))


def check_clock(time_zone: str, now: Callable[[], datetime],
                synchronized: Callable[[], bool | None] | None = None) -> Finding:
    """The lobby's time zone exists, the clock is plausible, and the system says it is synchronized."""
    try:
        zone = ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return Finding("clock", Level.FAULT, f"unknown time zone {time_zone!r}",
                       "set [kiosk] time_zone in kiosk.toml to an IANA name such as America/New_York")
    moment = now()
    shown = f"{moment.astimezone(zone):%Y-%m-%d %H:%M %Z} ({time_zone})"
    if moment < OLDEST_PLAUSIBLE_CLOCK:
        return Finding("clock", Level.FAULT, f"the clock says {shown}", "set the date and time, and turn on NTP")
    synced = (synchronized or clock_synchronized)()
    if synced is False:
        return Finding("clock", Level.WARNING, f"{shown}, not synchronized",
                       "turn on time synchronization: timedatectl set-ntp true")
    return Finding("clock", Level.OK, shown + (", synchronized" if synced else ""))


def clock_synchronized() -> bool | None:
    """Whether the kernel's clock is synchronized (adjtimex, what timedatectl's NTPSynchronized reads); None when
    it cannot be asked."""
    path = ctypes.util.find_library("c")
    if path is None:
        return None
    buffer = ctypes.create_string_buffer(512)  # struct timex, zeroed: modes = 0 reads without changing anything
    state: int = ctypes.CDLL(path, use_errno=True).adjtimex(buffer)
    if state < 0:
        return None
    return state != 5  # TIME_ERROR: the clock is not synchronized


@dataclass(frozen=True)
class ServerAnswer:
    """What the server said when asked how it is: its clock (the HTTP Date header), and whether the token is
    taken (None when there is no token to try)."""

    date: datetime | None
    token_taken: bool | None


@dataclass(frozen=True)
class Backlog:
    pending_reports: int
    pending_events: int
    last_success_at: datetime | None
    last_error: str | None


def check_server(server_url: str, ask: Callable[[], ServerAnswer], backlog: Callable[[], Backlog | None],
                 now: Callable[[], datetime]) -> Finding:
    """Reachable, the token taken, the clocks within two minutes, and what waits to be synced. ``ask`` raises
    OSError (or any error) when the server cannot be reached."""
    if not server_url:
        return Finding("server", Level.WARNING, "no server is set: reports stay on this kiosk",
                       "sudo p2c-kiosk configure --server URL --token-stdin")
    waiting = backlog()
    behind = ""
    if waiting is not None and (waiting.pending_reports or waiting.pending_events):
        behind = f"; {waiting.pending_reports} reports and {waiting.pending_events} events wait for sync"
    try:
        answer = ask()
    except Exception as exc:  # any failure to reach it is the finding
        return Finding("server", Level.WARNING, f"{server_url} cannot be reached ({exc.__class__.__name__}){behind}",
                       "check the network; the kiosk keeps reports and sends them when it can")
    if answer.token_taken is False:
        return Finding("server", Level.FAULT, f"{server_url} refuses this kiosk's token{behind}",
                       "get a new token (p2c-server kiosk add) and set it: sudo p2c-kiosk configure --token-stdin")
    if answer.date is not None:
        skew = (now() - answer.date).total_seconds()
        if abs(skew) > CLOCK_SKEW_WARNING:
            return Finding("server", Level.WARNING,
                           f"{server_url} reachable, but the clocks differ by {abs(skew):.0f} s{behind}",
                           "turn on time synchronization on the kiosk: timedatectl set-ntp true")
    return Finding("server", Level.OK, f"{server_url} reachable{behind}")


SPEECH_PACKAGES = "speech-dispatcher speech-dispatcher-espeak-ng espeak-ng"  # scripts/debian-packages/speech.txt
SPEECHD_MODULES = Path("/usr/lib/speech-dispatcher-modules")  # Debian's place for speech-dispatcher's output modules


def check_speech(engine: str, languages: Sequence[str], voices: Callable[[], Sequence[str]] | None = None,
                 speechd_modules: Path = SPEECHD_MODULES) -> Finding:
    """The speech engine (``[speech] engine``) has a voice for every kiosk language, chosen as the Speaker chooses
    (:func:`kiosk.speech_voices.choose_voice`). A language without one is a warning, not a fault: the kiosk still
    reads it aloud, in the engine's default voice, which a visitor who does not speak that language cannot follow.
    ``voices`` gives the engine's voices' language codes (``en-us``, ``cmn``) and raises VoicesUnavailable; by
    default espeak-ng's, which are what speech-dispatcher's espeak-ng module offers (kiosk.speech_voices says why
    they are read from espeak-ng, not from speech-dispatcher: ``spd-say -L`` takes longer than the doctor's budget)."""
    from kiosk.speech_voices import (
        UNKNOWN,
        VoicesUnavailable,
        choose_voice,
        espeak_ng_codes,
        locale_name,
        unreadable_codes,
    )

    if engine == "mock":
        return Finding("speech", Level.OK, 'not checked: [speech] engine = "mock" is the silent test engine')
    if engine != "speechd":
        return Finding("speech", Level.OK, f"not checked: this check knows the voices of speechd, not of {engine!r}")
    if voices is None:
        if not (speechd_modules / "sd_espeak-ng").exists():
            installed = "speech-dispatcher's espeak-ng module is" if shutil.which("speech-dispatcher") else \
                "speech-dispatcher is"
            return Finding("speech", Level.WARNING, f"{installed} not installed: the kiosk cannot speak",
                           f"sudo apt install {SPEECH_PACKAGES}")
        voices = espeak_ng_codes
    try:
        codes = voices()
    except VoicesUnavailable as exc:
        return Finding("speech", Level.WARNING, f"the voices cannot be listed: {exc}",
                       f"sudo apt install {SPEECH_PACKAGES}, then run the doctor again")
    found = [name for name in dict.fromkeys(locale_name(code) for code in codes) if name != UNKNOWN]
    chosen = {language: choose_voice(language, found) for language in languages}
    spoken = ", ".join(f"{language}: {voice}" for language, voice in chosen.items() if voice)
    missing = [language for language, voice in chosen.items() if not voice]
    if not missing:
        return Finding("speech", Level.OK, f"a voice for every language ({spoken})")
    says = (f"no voice for {', '.join(missing)}: read aloud in the engine's default voice instead"
            + (f" ({spoken})" if spoken else ""))
    unreadable = [f"{language} ({', '.join(hidden)})" for language in missing
                  if (hidden := unreadable_codes(language, codes))]
    if unreadable:
        says += f"; the engine's voices for {', '.join(unreadable)} have codes Qt's speechd engine does not read"
    return Finding("speech", Level.WARNING, says,
                   f"install a speech-dispatcher voice for {_language_names(missing)}, or remove "
                   f"{', '.join(missing)} from [kiosk] languages in kiosk.toml (docs/accessibility.md, \"Voices\")")


def _language_names(languages: Sequence[str]) -> str:
    from babel import Locale, UnknownLocaleError

    names = []
    for language in languages:
        try:
            names.append(Locale.parse(language).get_display_name("en") or language)
        except (ValueError, UnknownLocaleError):
            names.append(language)
    return ", ".join(names)


def http_date(value: str | None) -> datetime | None:
    """An HTTP Date header as an aware datetime (None when absent or unreadable)."""
    if not value:
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""


def _direct(properties: str) -> bool:
    """Whether a sysfs properties bitmap ("0 2", most significant word first) has INPUT_PROP_DIRECT (bit 1)."""
    words = properties.split()
    try:
        return bool(words) and bool(int(words[-1], 16) & (1 << 1))
    except ValueError:
        return False


def _size(count: int) -> str:
    amount = float(count)
    for unit in ("bytes", "KB", "MB", "GB"):
        if amount < 1024:
            return f"{count} bytes" if unit == "bytes" else f"{amount:.1f} {unit}"
        amount /= 1024
    return f"{amount:.1f} TB"
