"""The department's official report numbers: one sequence per year (in the department's time zone), formatted with
``[review] official_number_pattern``. Call inside :func:`server.db.write_transaction`, which serializes writers, so
no number is ever given twice."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from kiosk.config import Config
from server.db import ServerDatabase


def next_official_number(database: ServerDatabase, config: Config, when: datetime) -> str:
    return reserve_official_numbers(database, config, [when])[0]


def reserve_official_numbers(database: ServerDatabase, config: Config, moments: list[datetime]) -> list[str]:
    """The next official numbers for approvals made at ``moments``, in that order: each year's sequence moves once
    by as many numbers as the year needs (one statement and one read per year, not per approval)."""
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
