"""Properties of obligation due dates: a working day, after the start, monotonic in the start."""
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from lifecycle.core.calendar import WorkCalendar
from test_obligations import History

CAL = WorkCalendar()
starts = st.dates(min_value=date(2004, 1, 2), max_value=date(2026, 12, 31))


def contract_and_filing(book: str, day: date) -> tuple[tuple[date, bool], tuple[date, bool], tuple[date, bool]]:
    iso = day.isoformat()
    h = History(book, year=day.year, opened=iso).through_sign(iso, iso)
    p = h.fold()
    ob = p.obligations
    return ((ob["contract"].due, ob["contract"].provisional), (ob["filing"].due, ob["filing"].provisional),
            (ob["staffing"].due, ob["staffing"].provisional) if "staffing" in ob else (day, False))


@settings(max_examples=150, deadline=None)
@given(day=starts, book=st.sampled_from(["dongying", "jinan"]))
def test_every_due_date_is_a_working_day_after_its_start(day, book):
    for due, provisional in contract_and_filing(book, day):
        if due == day:  # no staffing duty in this rulebook
            continue
        assert due > day
        assert CAL.is_working_day(due)
        assert provisional == (not CAL.has_data(due.year))


@settings(max_examples=150, deadline=None)
@given(day=starts, gap=st.integers(min_value=1, max_value=40), book=st.sampled_from(["dongying", "jinan"]))
def test_a_later_start_never_gives_an_earlier_due_date(day, gap, book):
    later = day + timedelta(days=gap)
    for a, b in zip(contract_and_filing(book, day), contract_and_filing(book, later)):
        assert a[0] <= b[0]


@settings(max_examples=100, deadline=None)
@given(day=starts)
def test_the_contract_is_never_due_before_the_plain_day_count(day):
    # art. 201 + 203: the tenth day after the award, or later when it is a rest day, never earlier
    (due, _), _, _ = contract_and_filing("dongying", day)
    assert due >= day + timedelta(days=10)
    assert all(not CAL.is_working_day(day + timedelta(days=k)) for k in range(10, (due - day).days))
