"""Working-day calendar: how a deadline is computed (RULES.md, "Periods").

Civil Code (民法典) Book I, Chapter X "Periods":
- art. 201: a period counted in days, months or years does not count its first day;
- art. 202: a period in months or years ends on the corresponding day of the final
  month, or on that month's last day where it has no such day;
- art. 203: a last day that is a statutory rest day (法定休假日: weekends and public
  holidays) moves to the first day after the rest days.
"N working days" (工作日) follow the State Council's yearly holiday schedule, counting
the adjusted working days (调休) and skipping weekdays inside holiday blocks.

The official schedule comes from the `chinese_calendar` package; a user's TOML file may
add newly published years or override package years. A year with no data is computed
on weekends alone and every result that looked at such a year is marked provisional.

Pure: never reads the clock, the environment or a file. Reading a user's holidays
file (and which file applies) is `lifecycle.wiring`'s; parsing it is `holidays_from_toml`.
"""
from __future__ import annotations

from lifecycle.core.errors import said

import functools
import os
import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, datetime, timedelta

__all__ = ["Due", "YearData", "WorkCalendar", "holidays_from_toml", "shift_months"]

_ONE_DAY = timedelta(days=1)
# Art. 203 roll bound: the longest official run of rest days is 10 (Spring Festival 2020);
# a run of a whole year can only come from broken data, so we stop and say so.
_ROLL_LIMIT = 366


@dataclass(frozen=True)
class Due:
    date: date
    provisional: bool  # True when any year the computation looked at has no official data


@dataclass(frozen=True)
class YearData:
    """One year's official schedule (国务院办公厅关于部分节假日安排的通知)."""

    holidays: frozenset[date]  # rest days of the holiday blocks (weekdays and weekend days)
    workdays: frozenset[date]  # adjusted working days (调休): weekend days declared working


@functools.lru_cache(maxsize=1)
def _package_years() -> dict[int, YearData]:
    """The package's schedule split by year; built once, on first use."""
    from chinese_calendar import constants  # official data; lazily imported

    # The package's own coverage check uses the years of its `holidays` keys; so do we.
    first = min(d.year for d in constants.holidays)
    last = max(d.year for d in constants.holidays)
    hol: dict[int, set[date]] = {y: set() for y in range(first, last + 1)}
    wrk: dict[int, set[date]] = {y: set() for y in range(first, last + 1)}
    # `holidays` lists the rest days of each block: its weekdays and usually (not always:
    # Sat 5 Sep 2015 is missing) its weekend days, harmless since weekends rest anyway.
    # `workdays` holds only the 调休 weekend days; `in_lieu_days` is a subset of `holidays`.
    for d in constants.holidays:
        hol[d.year].add(d)
    for d in constants.workdays:
        if d.year in wrk:
            wrk[d.year].add(d)
    return {y: YearData(frozenset(hol[y]), frozenset(wrk[y])) for y in hol}


@functools.lru_cache(maxsize=1)
def _package_names() -> dict[date, str]:
    """The holiday each official rest day and 调休 working day belongs to, by the package's
    `Holiday` member name (`national_day`, `spring_festival`, ...): what `explain` names."""
    from chinese_calendar import constants

    code = {h.value: h.name for h in constants.Holiday}  # the data holds the members' values
    names = {d: code.get(getattr(v, "value", v), str(v)) for d, v in constants.holidays.items()}
    names.update({d: code.get(getattr(v, "value", v), str(v)) for d, v in constants.workdays.items()})
    return names


def _month_length(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - date(year, month, 1)).days


def shift_months(start: date, n: int) -> date:
    """Civil Code art. 202 without art. 203: the corresponding day n months on, else
    that month's last day. A contract term's end is this day; a duty due on it rolls."""
    index = start.month - 1 + n
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, _month_length(year, month)))


class WorkCalendar:
    """Deadline arithmetic on the official schedule; immutable once built."""

    def __init__(self, extra_years: dict[int, YearData] | None = None) -> None:
        package = _package_years()
        extra = dict(extra_years or {})
        self._data: dict[int, YearData] = {**package, **extra}  # a user's year replaces the package's
        self._user_years = frozenset(extra)  # a user's file carries no holiday names
        first, last = min(package), max(package)
        while first - 1 in extra:
            first -= 1
        while last + 1 in extra:
            last += 1
        self._range = (first, last)
        # per year: (ordinal of 1 Jan, working-day flag per day, prefix counts of working days)
        self._tables: dict[int, tuple[int, bytes, list[int]]] = {}
        self._rolled: dict[date, Due] = {}  # memo: roll_forward
        self._counted: dict[tuple[date, int], Due] = {}  # memo: add_working_days

    # --- the schedule -------------------------------------------------------------------

    def has_data(self, year: int) -> bool:
        return year in self._data

    def data_years(self) -> tuple[int, int]:
        return self._range

    def _table(self, year: int) -> tuple[int, bytes, list[int]]:
        table = self._tables.get(year)
        if table is None:
            base = date(year, 1, 1).toordinal()
            days = 366 if _month_length(year, 2) == 29 else 365
            data = self._data.get(year)
            flags = bytearray(days)
            cum = [0] * (days + 1)  # cum[i] = working days among the year's first i days
            for i in range(days):
                d = date.fromordinal(base + i)
                if data is None:  # no official schedule: weekends alone (provisional)
                    working = d.weekday() < 5
                else:  # 调休 days work; weekdays inside a holiday block rest
                    working = d in data.workdays or (d.weekday() < 5 and d not in data.holidays)
                flags[i] = working
                cum[i + 1] = cum[i] + working
            table = self._tables[year] = (base, bytes(flags), cum)
        return table

    def is_working_day(self, d: date) -> bool:
        base, flags, _ = self._table(d.year)
        return bool(flags[d.toordinal() - base])

    def is_rest_day(self, d: date) -> bool:
        return not self.is_working_day(d)

    def holiday_of(self, d: date) -> str | None:
        """The holiday a rest day of a holiday block, or a 调休 working day, belongs to
        (`national_day`, ...), where the official data names it; None otherwise."""
        if d.year in self._user_years or d.year not in self._data:
            return None
        return _package_names().get(d)

    def is_adjusted_workday(self, d: date) -> bool:
        """A weekend day declared working (调休)."""
        data = self._data.get(d.year)
        return data is not None and d in data.workdays

    def _provisional(self, first_year: int, last_year: int) -> bool:
        if first_year == last_year:
            return first_year not in self._data
        return any(y not in self._data for y in range(first_year, last_year + 1))

    # --- periods ------------------------------------------------------------------------

    def roll_forward(self, d: date) -> Due:
        # Civil Code art. 203: a last day on a rest day moves to the first working day after.
        due = self._rolled.get(d)
        if due is not None:
            return due
        current = d
        for _ in range(_ROLL_LIMIT):
            if self.is_working_day(current):
                due = self._rolled[d] = Due(current, self._provisional(d.year, current.year))
                return due
            current += _ONE_DAY
        raise ValueError(said("no working day within {ROLL_LIMIT} days from {d}: holiday data is wrong",
                ROLL_LIMIT=_ROLL_LIMIT, d=d))

    def add_days(self, start: date, n: int) -> Due:
        # Civil Code art. 201: the start day is not counted, day 1 is start + 1, so day n is
        # start + n; then art. 203.
        _check_non_negative(n)
        return self.roll_forward(start + timedelta(days=n))

    def add_months(self, start: date, n: int) -> Due:
        # Civil Code art. 202: the corresponding day of the final month, else its last day
        # (31 Jan + 1 month -> 28/29 Feb); then art. 203.
        _check_non_negative(n)
        return self.roll_forward(shift_months(start, n))

    def add_years(self, start: date, n: int) -> Due:
        # Civil Code art. 202 applies alike to years: 29 Feb + 1 year -> 28 Feb.
        return self.add_months(start, 12 * n)

    def end_of_period(self, d: date) -> Due:
        # The last day of a period that ends on a named day rolls (art. 203). A fixed date
        # (期日, "by 31 March") is not a period and does not roll: see `Owed.on_day`.
        return self.roll_forward(d)

    def add_working_days(self, start: date, n: int) -> Due:
        """The n-th working day after start (start not counted; 调休 days count)."""
        _check_non_negative(n)
        if n == 0:
            return self.roll_forward(start)
        due = self._counted.get((start, n))
        if due is None:
            due = self._counted[(start, n)] = self._count_forward(start, n)
        return due

    def _count_forward(self, start: date, n: int) -> Due:
        first_year = (start + _ONE_DAY).year  # the first day inspected is start + 1
        year = start.year
        base, _, cum = self._table(year)
        offset = start.toordinal() - base + 1  # days of `year` up to and including start
        need = n
        while True:
            available = cum[-1] - cum[offset]
            if need <= available:
                k = bisect_left(cum, cum[offset] + need)  # first prefix reaching the target
                return Due(date.fromordinal(base + k - 1), self._provisional(first_year, year))
            need -= available
            year += 1
            if year > start.year + n + 1:  # every real year has working days: bad data
                raise ValueError(said("no {n} working days after {start}: holiday data is wrong", n=n, start=start))
            base, _, cum = self._table(year)
            offset = 0

    def working_days_between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end (0 if end <= start)."""
        if end <= start:
            return 0
        total = 0
        for year in range(start.year, end.year + 1):
            base, _, cum = self._table(year)
            lo = start.toordinal() - base + 1 if year == start.year else 0
            hi = end.toordinal() - base + 1 if year == end.year else len(cum) - 1
            total += cum[hi] - cum[lo]
        return total


def _check_non_negative(n: int) -> None:
    if n < 0:
        raise ValueError(said("a period counts forward: n must be >= 0, got {n}", n=n))


# --- a user's holidays schedule, as parsed TOML --------------------------------------------

_YEAR_KEY = re.compile(r"[0-9]{4}")
_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def holidays_from_toml(raw: dict[str, object], path: str | os.PathLike[str]) -> dict[int, YearData]:
    """A newly published schedule from parsed TOML: `[2027]` tables with `holidays` / `workdays` lists.
    `path` only names the file in the errors (ValueError, one sentence each)."""
    result: dict[int, YearData] = {}
    for key, table in raw.items():
        if not _YEAR_KEY.fullmatch(key) or int(key) < 1:
            raise ValueError(said("{path}: [{key}] is not a year; use tables like [2027]", path=path, key=key))
        year = int(key)
        if not isinstance(table, dict):
            raise ValueError(said("{path}: {key} must be a table [{key}] with a `holidays` list",
                    path=path, key=key))
        unknown = sorted(set(table) - {"holidays", "workdays"})
        if unknown:
            raise ValueError(said("{path}: [{key}] has unknown key(s) {names}; expected `holidays` and `workdays`",
                    path=path, key=key, names=', '.join(unknown)))
        if "holidays" not in table:
            raise ValueError(said("{path}: [{key}] has no `holidays` list", path=path, key=key))
        holidays = _read_dates(path, year, "holidays", table["holidays"])
        workdays = _read_dates(path, year, "workdays", table.get("workdays", []))
        for d in sorted(workdays):
            if d.weekday() < 5:
                raise ValueError(said("{path}: [{key}] workdays entry {d} is a {WEEKDAY_NAMES}, already a working day; list only weekend days declared working (调休)",
                        path=path, key=key, d=d, WEEKDAY_NAMES=_WEEKDAY_NAMES[d.weekday()]))
        both = sorted(holidays & workdays)
        if both:
            raise ValueError(said("{path}: [{key}] {both} is listed in both holidays and workdays",
                    path=path, key=key, both=both[0]))
        result[year] = YearData(holidays, workdays)
    return result


def _read_dates(path: str | os.PathLike[str], year: int, name: str, value: object) -> frozenset[date]:
    if not isinstance(value, list):
        raise ValueError(said("{path}: [{year}] `{name}` must be a list of dates", path=path, year=year, name=name))
    out: set[date] = set()
    for i, item in enumerate(value):
        where = f"{path}: [{year}] {name} entry {i + 1} ({item!r})"
        if isinstance(item, datetime):  # a TOML date-time is not a day
            raise ValueError(said("{where} is a date-time; write a date like {year}-01-01", where=where, year=year))
        if isinstance(item, date):
            d = item
        elif isinstance(item, str) and _DATE_TEXT.fullmatch(item):
            try:
                d = date.fromisoformat(item)
            except ValueError:
                raise ValueError(said("{where} is not a real date", where=where)) from None
        else:
            raise ValueError(said('{where} is not a date; write {year}-01-01 or "{year}-01-01"',
                    where=where, year=year))
        if d.year != year:
            raise ValueError(said("{where}: {d} is not in {year}", where=where, d=d, year=year))
        out.add(d)
    return frozenset(out)
