"""The department's official report numbers: one sequence per year (in the department's time zone), formatted with
``[review] official_number_pattern``. Call inside :func:`server.db.write_transaction`, which serializes writers, so
no number is ever given twice."""

from __future__ import annotations

from datetime import datetime

from kiosk.config import Config
from server.db import ServerDatabase


def next_official_number(database: ServerDatabase, config: Config, when: datetime) -> str:
    year = when.astimezone(config.kiosk.zone).year
    Sequence = database.models.OfficialSequence
    (Sequence.insert(year=year, last=1)
     .on_conflict(conflict_target=[Sequence.year], update={Sequence.last: Sequence.last + 1})
     .execute())
    sequence = Sequence.get_by_id(year).last
    return config.review.official_number_pattern.format(
        year=year, yy=f"{year % 100:02d}", seq=sequence, short_name=config.department.short_name)
