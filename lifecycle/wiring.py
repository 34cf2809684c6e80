"""Wiring: which calendar, which rulebook, which clock. The one place the program chooses them.

The core takes a `WorkCalendar`, a `Rulebook` and a `Clock` as inputs; the
services, the adapters and the commands get theirs from here:

- `holidays_file(db_path)`: the user's holidays file that applies, if any: the
  one `LIFECYCLE_HOLIDAYS` names, else `holidays.toml` beside the SQLite database;
- `calendar_for(store)`: the working-day calendar with that file's years, rebuilt
  when the file changes (so the next command after an edit folds on the new schedule);
- `book_of(data)`: the rulebook version an `open` event or a snapshot is pinned to;
- `clock()`: the moment a command runs (today in Asia/Shanghai, now in UTC) — the
  only place the program reads the system clock.
"""
from __future__ import annotations

import os
import tomllib
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from lifecycle.core.clock import Clock
from lifecycle.core.errors import BadInput, said

if TYPE_CHECKING:
    from lifecycle.core.calendar import WorkCalendar, YearData
    from lifecycle.core.rulebook import Rulebook
    from lifecycle.store.database import Store

SHANGHAI = "Asia/Shanghai"


def clock() -> Clock:
    """The moment a command runs: today in Asia/Shanghai, now in UTC."""
    from zoneinfo import ZoneInfo
    now = datetime.now(timezone.utc)
    return Clock(today=now.astimezone(ZoneInfo(SHANGHAI)).date(), now=now)


def holidays_file(db_path: str | None) -> Path | None:
    """The holidays file that applies: env LIFECYCLE_HOLIDAYS (named, so it must exist), else
    holidays.toml beside a SQLite database file when there is one; None for the package's data alone."""
    named = os.environ.get("LIFECYCLE_HOLIDAYS")
    if named:
        return Path(named)
    if db_path and db_path != ":memory:" and not db_path.startswith("file:"):
        beside = Path(db_path).parent / "holidays.toml"
        if beside.is_file():
            return beside
    return None


def load_holidays_file(path: str | os.PathLike[str]) -> dict[int, YearData]:
    """Read a newly published schedule: `[2027]` tables with `holidays` / `workdays` lists.
    A malformed file is a ValueError naming the file and the entry; a missing one an OSError."""
    from lifecycle.core.calendar import holidays_from_toml
    with open(path, "rb") as fh:
        try:
            raw = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(said("{path}: not valid TOML: {exc}", path=path, exc=exc)) from exc
    return holidays_from_toml(raw, path)


def calendar_from_env(db_path: str | None = None) -> WorkCalendar:
    """The calendar with the years of the holidays file that applies (see `holidays_file`)."""
    from lifecycle.core.calendar import WorkCalendar
    path = holidays_file(db_path)
    return WorkCalendar(load_holidays_file(path)) if path else WorkCalendar()


@lru_cache(maxsize=8)
def _calendar(db_path: str | None, source: tuple[str | None, float | None]) -> WorkCalendar:
    return calendar_from_env(db_path)


def calendar_for(store: Store) -> WorkCalendar:
    """The store's calendar, cached until its holidays file changes; a bad file is bad input."""
    path = holidays_file(store.sqlite_path)
    try:
        stamp = path.stat().st_mtime if path else None
    except OSError:
        stamp = None
    try:
        return _calendar(store.sqlite_path, (str(path) if path else None, stamp))
    except OSError as exc:
        raise BadInput(said("holidays file {path}: {value} (LIFECYCLE_HOLIDAYS or holidays.toml beside the database)",
                path=path, value=exc.strerror or exc)) from None
    except ValueError as exc:
        raise BadInput(said("holidays file: {exc}", exc=exc)) from None


def forget_calendars() -> None:
    """Drop the cached calendars: `recompute` reads the holidays file afresh."""
    _calendar.cache_clear()


def book_of(snapshot_or_event: dict[str, Any]) -> Rulebook:
    """The rulebook version a project is pinned to (its `open` event's data, or its snapshot)."""
    from lifecycle.core import rulebook
    return rulebook.load(snapshot_or_event["rulebook"], snapshot_or_event["rulebook_version"])


def deadline(seconds: float | None) -> Callable[[], bool]:
    """A run deadline: a function that says whether `seconds` (monotonic) have passed since now."""
    import time
    if seconds is None:
        return lambda: False
    end = time.monotonic() + seconds
    return lambda: time.monotonic() >= end
