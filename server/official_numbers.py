"""The department's official report numbers: one sequence per year (in the department's time zone), formatted with
``[review] official_number_pattern``. Call inside :func:`server.db.write_transaction`, which serializes writers, so
no number is ever given twice.

Only the server gives numbers to a connected kiosk. The one exception is the documented import path for a kiosk that
numbered its approvals while it was standalone: ``p2c-kiosk sync export-numbers`` at the kiosk, ``p2c-server
import-numbers FILE`` at the server (:func:`import_numbers`); an approval the kiosk then pushes may carry the number
imported for that very report (server.push_events). The sequence skips every number a report holds or an import
reserved."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from kiosk.config import Config
from server.batch_sql import select_in
from server.db import ServerDatabase


def next_official_number(database: ServerDatabase, config: Config, when: datetime) -> str:
    return reserve_official_numbers(database, config, [when])[0]


def reserve_official_numbers(database: ServerDatabase, config: Config, moments: list[datetime],
                             taken: frozenset[str] = frozenset()) -> list[str]:
    """The next free official numbers for approvals made at ``moments``, in that order: never one a report already
    holds, nor one of ``taken`` (numbers the same push brings along)."""
    numbers = _reserve(database, config, moments)
    while True:
        held = {number for (number,) in select_in(database.db, database.models.Report, ("official_number",),
                                                  "official_number", numbers)}
        # Numbers imported for a formerly standalone kiosk's approvals that have not arrived yet are taken too.
        held |= {number for (number,) in select_in(database.db, database.models.ImportedNumber,
                                                   ("official_number",), "official_number", numbers)}
        clashes = [i for i, number in enumerate(numbers) if number in held or number in taken]
        if not clashes:
            return numbers
        for i, number in zip(clashes, _reserve(database, config, [moments[i] for i in clashes]), strict=True):
            numbers[i] = number


def _reserve(database: ServerDatabase, config: Config, moments: list[datetime]) -> list[str]:
    """The next numbers of each year's sequence for ``moments``: each year's sequence moves once by as many numbers
    as the year needs (one statement and one read per year, not per approval)."""
    years = [when.astimezone(config.kiosk.zone).year for when in moments]
    Sequence = database.models.OfficialSequence
    next_of: dict[int, int] = {}
    for year, count in Counter(years).items():
        (Sequence.insert(year=year, last=count)
         .on_conflict(conflict_target=[Sequence.year], update={Sequence.last: Sequence.last + count})
         .execute())
        next_of[year] = Sequence.get_by_id(year).last - count + 1
    numbers = []
    for year in years:
        sequence = next_of[year]
        next_of[year] = sequence + 1
        numbers.append(config.review.official_number_pattern.format(
            year=year, yy=f"{year % 100:02d}", seq=sequence, short_name=config.department.short_name))
    return numbers


# The file `p2c-kiosk sync export-numbers` writes and `p2c-server import-numbers` reads.
NUMBERS_FORMAT = "p2c-official-numbers/1"


class NumbersImportError(ValueError):
    """An import of official numbers the server refuses; nothing was imported. The message says why."""


def read_numbers_file(text: str) -> tuple[int, list[tuple[str, str]]]:
    """(kiosk number, [(tracking number, official number)]) from the text of an export; NumbersImportError when it is
    not one."""
    import json

    from kiosk.tracking import TrackingNumber, TrackingNumberError

    try:
        document = json.loads(text)
    except ValueError as exc:
        raise NumbersImportError(f"the file is not JSON ({exc})") from None
    if not isinstance(document, dict) or document.get("format") != NUMBERS_FORMAT:
        raise NumbersImportError(f"the file is not an export of official numbers (format {NUMBERS_FORMAT}, made by "
                           "`p2c-kiosk sync export-numbers`)")
    kiosk = document.get("kiosk_number")
    numbers = document.get("numbers")
    if not isinstance(kiosk, int) or isinstance(kiosk, bool) or not 1 <= kiosk <= 99 or not isinstance(numbers, list):
        raise NumbersImportError("the file needs kiosk_number (1-99) and numbers (a list)")
    pairs = []
    for index, item in enumerate(numbers):
        tracking = item.get("tracking_number") if isinstance(item, dict) else None
        number = item.get("official_number") if isinstance(item, dict) else None
        if not isinstance(tracking, str) or not isinstance(number, str) or not number.strip() or len(number) > 200:
            raise NumbersImportError(f"numbers[{index}] needs tracking_number and official_number (text, at most 200)")
        try:
            parsed = TrackingNumber.parse(tracking)
        except TrackingNumberError:
            raise NumbersImportError(f"numbers[{index}]: {tracking!r} is not a tracking number") from None
        if parsed.kiosk != kiosk:
            raise NumbersImportError(f"numbers[{index}]: {parsed} is kiosk {parsed.kiosk}'s, not kiosk {kiosk}'s")
        pairs.append((str(parsed), number.strip()))
    return kiosk, pairs


def import_numbers(database: ServerDatabase, kiosk_number: int, pairs: list[tuple[str, str]]) -> int:
    """Let kiosk ``kiosk_number`` bring these official numbers along with its approvals (each for its one report).
    All or nothing; NumbersImportError when a number is given twice, already names another report or was imported for
    another. Returns how many were new (importing the same file again adds none)."""
    from server.db import write_transaction
    from server.kiosks import now_stamp

    seen: dict[str, str] = {}
    numbered: dict[str, str] = {}
    for tracking, number in pairs:
        if seen.setdefault(number, tracking) != tracking:
            raise NumbersImportError(f"{number} is given to both {seen[number]} and {tracking}")
        if numbered.setdefault(tracking, number) != number:
            raise NumbersImportError(f"{tracking} is given both {numbered[tracking]} and {number}")
    Imported, Report = database.models.ImportedNumber, database.models.Report
    db = database.db
    added = 0
    with db.connection_context(), write_transaction(database):
        by_tracking = dict(select_in(db, Imported, ("tracking_number", "official_number"), "tracking_number",
                                     (t for t, _ in pairs)))
        by_number = {n: t for t, n in select_in(db, Imported, ("tracking_number", "official_number"),
                                                "official_number", (n for _, n in pairs))}
        held = {n: t for n, t in select_in(db, Report, ("official_number", "tracking_number"), "official_number",
                                           (n for _, n in pairs))}
        for tracking, number in pairs:
            if by_tracking.get(tracking, number) != number:
                raise NumbersImportError(f"{tracking} was imported with {by_tracking[tracking]}, not {number}")
            if by_number.get(number, tracking) != tracking:
                raise NumbersImportError(f"{number} was imported for {by_number[number]}")
            if held.get(number, tracking) != tracking:
                raise NumbersImportError(f"{number} already names report {held[number]} at the server")
            if tracking not in by_tracking:
                Imported.create(tracking_number=tracking, kiosk_number=kiosk_number, official_number=number,
                                imported_at=now_stamp())
                by_tracking[tracking] = number
                added += 1
    return added
