"""The officers' queue: reports newest first, a page at a time, filtered and searched with an index every time.

Paging is by key (``submitted_at``, ``id``), never by OFFSET, so page 2,000 costs what page 1 costs. Each query
shape has an index made for it (schema v2 to v5):

- no status, or one status: ``report_submitted``, ``report_status_live`` or ``report_status_category_live``, walked
  newest first from the page key; several statuses, or a category alone: one such walk per status, merged here (an
  ``IN`` list would make SQLite sort every matching row);
- a tracking number: the unique index on ``tracking_number``;
- name words: the ``report_name_token`` rows of the word with the fewest matches (its token prefix range on the
  primary key). Each token row carries its report's ``submitted_at``, status and category (schema v4, kept by
  triggers), so the filters, the other words (an ``IN`` over their own ranges) and the sort run on token rows alone and
  only the page's 50 reports are read. A word so common that a page is found sooner by walking the reports newest
  first is checked on each report met instead (``_DENSE``);
- counts per status: for a status and category filter, ``report_count`` (kept by triggers in the transaction of every
  change: never counted, never wrong); with dates, one ``COUNT`` per status over the covering ``(status, purged_at,
  ...)`` index range; with name words, one ``GROUP BY status`` over the token rows. Those two read as many index
  entries as there are matches: :func:`instant_counts` tells a screen which counts are instant, so it can show
  the others once its page is painted.

Name tokens exist only for reports that still hold their personal data (kiosk.sync.purge deletes a purged report's).

:meth:`ReviewQueue.query_plans` gives SQLite's plan for each query a filter runs (the tests check that none reads
the whole table).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from kiosk.clock import Clock
from kiosk.config import Config
from kiosk.lifecycle import STATUSES
from kiosk.report_keys import words
from kiosk.review.model import QueueFilter, QueueRow
from kiosk.storage.database import Store
from kiosk.storage.timestamps import utc_from_text, utc_text
from kiosk.tracking import TrackingNumber

_COLUMNS = ("r.id, r.tracking_number, r.submitted_at, r.category, r.location_summary, r.status, r.reporter_name, "
            "r.official_number")
_ORDER = " ORDER BY r.submitted_at DESC, r.id DESC LIMIT ?"
# A name word matching at least 1 report in _DENSE (and at least _MIN_DENSE reports) is "dense": see
# ReviewQueue._by_selectivity.
_DENSE = 50
_MIN_DENSE = 500

Param = str | int  # what the queries bind: codes, UTC times as stored, tracking numbers, name words, ids, limits
Query = tuple[str, list[Param]]
# One row of _COLUMNS: id, tracking number, submitted_at (UTC, as stored), category, location, status, reporter's name,
# official number.
Row = tuple[int, str, str, str, str, str, str, str | None]


@dataclass(frozen=True)
class _Resolved:
    """A filter turned into SQL terms."""

    statuses: tuple[str, ...]
    category: str | None
    from_utc: str | None
    to_utc: str | None
    tracking_number: TrackingNumber | None
    words: tuple[str, ...]  # the driving word first
    dense: bool = False  # the driving word matches so many reports that walking newest first finds a page sooner


class ReviewQueue:
    def __init__(self, store: Store, config: Config, clock: Clock) -> None:
        self._db = store.db
        self._zone = config.kiosk.zone
        self._clock = clock

    # -- the three questions the queue screen asks ---------------------------------------------------------------

    def page(self, flt: QueueFilter, limit: int = 50, after: QueueRow | None = None) -> list[QueueRow]:
        if limit < 1:
            raise ValueError("limit must be 1 or more")
        rows: list[Row] = []
        for sql, params in self._page_queries(self._resolve(flt), limit, after):
            rows.extend(self._db.execute_sql(sql, params).fetchall())
        rows.sort(key=lambda row: (row[2], row[0]), reverse=True)
        now = self._clock.now()
        return [self._row(row, now) for row in rows[:limit]]

    def status_counts(self, flt: QueueFilter) -> dict[str, int]:
        """Reports per status matching every part of ``flt`` except ``statuses`` (every status is listed). Exact
        always; instant when :func:`instant_counts` says so, else it reads one index entry per match."""
        counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
        for sql, params in self._count_queries(self._resolve(flt)):
            for status, count in self._db.execute_sql(sql, params).fetchall():
                counts[status] = counts.get(status, 0) + count
        return counts

    def count(self, flt: QueueFilter) -> int:
        counts = self.status_counts(flt)
        wanted = _statuses(flt.statuses) or STATUSES
        return sum(counts.get(status, 0) for status in wanted)

    def query_plans(self, flt: QueueFilter, after: QueueRow | None = None) -> list[str]:
        """SQLite's plan (EXPLAIN QUERY PLAN details, one string per query) for the page and the counts."""
        resolved = self._resolve(flt)
        plans = []
        for sql, params in [*self._page_queries(resolved, 50, after), *self._count_queries(resolved)]:
            steps = self._db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
            plans.append("\n".join(step[-1] for step in steps))
        return plans

    # -- building the queries ------------------------------------------------------------------------------------

    def _resolve(self, flt: QueueFilter) -> _Resolved:
        statuses = _statuses(flt.statuses)
        from_utc = self._bound(flt.submitted_from) if flt.submitted_from else None
        to_utc = self._bound(flt.submitted_to + timedelta(days=1)) if flt.submitted_to else None
        tracking, found_words = _search_terms(flt.search)
        ordered, dense = self._by_selectivity(found_words)
        return _Resolved(statuses, flt.category or None, from_utc, to_utc, tracking, ordered, dense)

    def _bound(self, day: date) -> str:
        """Local midnight at the start of ``day``, as stored times are written (UTC ISO 8601)."""
        return utc_text(datetime.combine(day, time(0), tzinfo=self._zone))

    def _by_selectivity(self, found: list[str]) -> tuple[tuple[str, ...], bool]:
        """The words, the one with the fewest name-token matches first (it drives the search), and whether even
        that one matches at least 1 report in :data:`_DENSE` (then a page is found sooner by walking the reports
        newest first and checking each, than by sorting every match)."""
        if not found:
            return (), False
        (last_id,) = self._db.execute_sql("SELECT COALESCE(MAX(id), 0) FROM report").fetchone()
        cap = max(last_id // _DENSE, _MIN_DENSE)
        counted = []
        for word in found:
            (count,) = self._db.execute_sql(
                "SELECT COUNT(*) FROM (SELECT 1 FROM report_name_token WHERE token >= ? AND token < ? LIMIT ?)",
                (word, _after_prefix(word), cap)).fetchone()
            counted.append((count, -len(word), word))
        counted.sort()
        return tuple(word for _, _, word in counted), counted[0][0] >= cap

    def _source(self, flt: _Resolved) -> tuple[str, list[str], list[Param]]:
        """FROM clause, WHERE terms and their parameters for every part of the filter except statuses, on report.
        Name words (a dense driving word, see :meth:`_by_selectivity`) are checked on each report met while walking an
        index newest first."""
        # Purged reports (kiosk.sync.purge: the server has them, their personal data is gone) are not listed.
        terms: list[str] = ["r.purged_at IS NULL"]
        params: list[Param] = []
        source = "report AS r"
        for word in flt.words:
            terms.append("EXISTS (SELECT 1 FROM report_name_token AS t WHERE t.report_id = r.id "
                         "AND t.token >= ? AND t.token < ?)")
            params += [word, _after_prefix(word)]
        if flt.tracking_number is not None:
            terms.append("r.tracking_number = ?")
            params.append(flt.tracking_number)
        if flt.category is not None:
            terms.append("r.category = ?")
            params.append(flt.category)
        if flt.from_utc is not None:
            terms.append("r.submitted_at >= ?")
            params.append(flt.from_utc)
        if flt.to_utc is not None:
            terms.append("r.submitted_at < ?")
            params.append(flt.to_utc)
        return source, terms, params

    def _tokens(self, flt: _Resolved, statuses: bool) -> tuple[list[str], list[Param]]:
        """WHERE terms and parameters on the driving word's token rows (``t``) for every part of the filter (the
        statuses only when ``statuses``): its prefix range, the copies of the report's columns, the other words."""
        first, *others = flt.words
        terms = ["t.token >= ?", "t.token < ?"]
        params: list[Param] = [first, _after_prefix(first)]
        if statuses and flt.statuses:
            terms.append(f"t.status IN ({', '.join('?' * len(flt.statuses))})")
            params += flt.statuses
        if flt.category is not None:
            terms.append("t.category = ?")
            params.append(flt.category)
        if flt.from_utc is not None:
            terms.append("t.submitted_at >= ?")
            params.append(flt.from_utc)
        if flt.to_utc is not None:
            terms.append("t.submitted_at < ?")
            params.append(flt.to_utc)
        for word in others:
            terms.append("t.report_id IN (SELECT report_id FROM report_name_token WHERE token >= ? AND token < ?)")
            params += [word, _after_prefix(word)]
        return terms, params

    def _page_queries(self, flt: _Resolved, limit: int, after: QueueRow | None) -> list[Query]:
        if flt.words and not flt.dense:
            # The page's keys from the token rows (a report whose name has two words matching the prefix is there
            # twice: DISTINCT), then those reports, in the same order.
            terms, params = self._tokens(flt, statuses=True)
            if after is not None:
                terms.append("(t.submitted_at, t.report_id) < (?, ?)")
                params += [after.key[0], after.key[1]]
            keys = (f"SELECT DISTINCT t.submitted_at, t.report_id FROM report_name_token AS t "
                    f"WHERE {' AND '.join(terms)} ORDER BY t.submitted_at DESC, t.report_id DESC LIMIT ?")
            return [(f"SELECT {_COLUMNS} FROM ({keys}) AS k JOIN report AS r ON r.id = k.report_id{_ORDER}",
                     [*params, limit, limit])]
        source, terms, params = self._source(flt)
        if after is not None:
            # A row value: SQLite turns it into a range on the index, so a later page starts where the last ended.
            terms = [*terms, "(r.submitted_at, r.id) < (?, ?)"]
            params = [*params, after.key[0], after.key[1]]
        # A category alone is walked status by status, down report_status_category_live.
        statuses = flt.statuses or (STATUSES if flt.category is not None else ())
        if len(statuses) <= 1 or flt.tracking_number is not None:
            status_terms: list[str] = []
            status_params: list[Param] = []
            if flt.statuses:
                status_terms = [f"r.status IN ({', '.join('?' * len(flt.statuses))})"]
                status_params = list(flt.statuses)
            return [_select(source, [*status_terms, *terms], [*status_params, *params], limit)]
        # One walk down the (status, ...) index per status; the pages are merged by the caller.
        return [_select(source, ["r.status = ?", *terms], [status, *params], limit) for status in statuses]

    def _count_queries(self, flt: _Resolved) -> list[Query]:
        if flt.words:
            terms, params = self._tokens(flt, statuses=False)
            return [(f"SELECT t.status, COUNT(DISTINCT t.report_id) FROM report_name_token AS t "
                     f"WHERE {' AND '.join(terms)} GROUP BY t.status", params)]
        if _kept(flt):
            # Reports that keep their personal data (purged = 0), per status: kept by triggers, never counted here.
            where, params = (" AND category = ?", [flt.category]) if flt.category is not None else ("", [])
            return [(f"SELECT status, SUM(reports) FROM report_count WHERE purged = 0{where} GROUP BY status",
                     params)]
        source, terms, params = self._source(flt)
        if flt.tracking_number is not None:
            return [(f"SELECT r.status, COUNT(*) FROM {source} WHERE {' AND '.join(terms)} GROUP BY r.status",
                     params)]
        return [(f"SELECT ?, COUNT(*) FROM {source} WHERE {' AND '.join(['r.status = ?', *terms])}",
                 [status, status, *params]) for status in STATUSES]

    def _row(self, row: Row, now: datetime) -> QueueRow:
        report_id, tracking, submitted, category, location, status, name, official_number = row
        at = utc_from_text(submitted).astimezone(self._zone)
        return QueueRow(key=(submitted, report_id), tracking_number=TrackingNumber.from_stored(tracking),
                        submitted_at=at, category=category, location=location, status=status, reporter_name=name,
                        age=now - at, official_number=official_number)


def instant_counts(flt: QueueFilter) -> bool:
    """Whether the counts per status of ``flt`` take no time at any size: kept (``report_count``: a status and
    category filter) or of one report (a tracking number). A date range or name words are counted, one index entry
    per matching report."""
    if isinstance(flt.search, TrackingNumber):
        return True
    return not flt.search and flt.submitted_from is None and flt.submitted_to is None


def _kept(flt: _Resolved) -> bool:
    return not flt.words and flt.tracking_number is None and flt.from_utc is None and flt.to_utc is None


def _select(source: str, terms: list[str], params: list[Param], limit: int) -> Query:
    where = f" WHERE {' AND '.join(terms)}" if terms else ""
    return f"SELECT {_COLUMNS} FROM {source}{where}{_ORDER}", [*params, limit]


def _statuses(statuses: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [status for status in statuses if status not in STATUSES]
    if unknown:
        raise ValueError(f"unknown status {unknown[0]!r}")
    return tuple(dict.fromkeys(statuses))


def _search_terms(search: TrackingNumber | str) -> tuple[TrackingNumber | None, list[str]]:
    """(the tracking number searched for, or None; the name words, deduplicated, without words that another word
    already starts: "mar maria" searches "maria")."""
    if isinstance(search, TrackingNumber):
        return search, []
    found = list(dict.fromkeys(words(search)))
    kept = [w for w in found if not any(other != w and other.startswith(w) for other in found)]
    return None, kept


def _after_prefix(prefix: str) -> str:
    """The smallest text greater than every text starting with ``prefix`` (keys are ASCII letters and digits)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
