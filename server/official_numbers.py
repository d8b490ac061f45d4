"""The department's official report numbers: one sequence per year (in the department's time zone), formatted with
``[review] official_number_pattern``. Call inside :func:`server.db.write_transaction`, which serializes writers, so
no number is ever given twice. A number a kiosk gave itself while it was standalone (and brought along when it was
connected) is kept, so the sequence skips any number already held by a report."""

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
