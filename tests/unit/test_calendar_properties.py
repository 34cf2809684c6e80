"""Properties of deadline arithmetic (Civil Code arts. 201-203) on the real official calendar."""
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from lifecycle.core.calendar import Due, WorkCalendar

CAL = WorkCalendar()
FIRST, LAST = CAL.data_years()
ONE_DAY = timedelta(days=1)

# Days inside the official data, and days reaching a little past it on both sides.
data_days = st.dates(min_value=date(FIRST, 1, 1), max_value=date(LAST, 12, 31))
any_days = st.dates(min_value=date(FIRST - 2, 1, 1), max_value=date(LAST + 3, 12, 31))

# (how, n): every kind of period the engine computes.
periods = st.one_of(
    st.tuples(st.just("days"), st.integers(1, 60)),
    st.tuples(st.just("months"), st.integers(1, 36)),
    st.tuples(st.just("years"), st.integers(1, 3)),
    st.tuples(st.just("working_days"), st.integers(1, 40)),
)

modest = settings(max_examples=200, deadline=None)


def compute(start: date, period: tuple[str, int]) -> Due:
    how, n = period
    return getattr(CAL, f"add_{how}")(start, n)


def years_spanned(first: date, last: date) -> range:
    return range(first.year, last.year + 1)


@modest
@given(start=data_days, period=periods)
def test_a_due_date_with_data_is_a_working_day_later_than_its_start(start, period):
    due = compute(start, period)
    assert due.date > start
    assert CAL.is_working_day(due.date)
    if due.date.year <= LAST:  # everything inspected lay inside the data
        assert not due.provisional


@modest
@given(start=any_days, period=periods)
def test_a_due_date_is_provisional_exactly_when_it_looked_at_a_year_without_data(start, period):
    due = compute(start, period)
    assert CAL.is_working_day(due.date) and due.date > start
    how, n = period
    # the first day the computation inspects: the last day before rolling, or start + 1 when counting
    if how == "working_days":
        first_inspected = start + ONE_DAY
    elif how == "days":
        first_inspected = start + timedelta(days=n)
    else:
        first_inspected = _unrolled_months(start, n * (12 if how == "years" else 1))
    expected = any(not CAL.has_data(y) for y in years_spanned(first_inspected, due.date))
    assert due.provisional == expected


def _unrolled_months(start: date, months: int) -> date:
    # Civil Code art. 202 by hand: corresponding day, else the month's last day.
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = start.day
    while True:
        try:
            return date(year, month, day)
        except ValueError:
            day -= 1


@modest
@given(pair=st.tuples(any_days, any_days), period=periods)
def test_due_dates_never_go_backwards_when_the_start_moves_later(pair, period):
    early, late = sorted(pair)
    assert compute(early, period).date <= compute(late, period).date


@modest
@given(start=any_days, n=st.integers(1, 60))
def test_add_working_days_equals_a_day_by_day_count(start, n):
    day, counted = start, 0
    while counted < n:
        day += ONE_DAY
        counted += CAL.is_working_day(day)
    assert CAL.add_working_days(start, n).date == day


@modest
@given(start=any_days, span=st.integers(-30, 400))
def test_working_days_between_equals_a_day_by_day_count(start, span):
    end = start + timedelta(days=span)
    expected = sum(CAL.is_working_day(start + timedelta(days=i)) for i in range(1, span + 1))
    assert CAL.working_days_between(start, end) == expected


@modest
@given(start=any_days, n=st.integers(1, 60))
def test_counting_the_working_days_up_to_the_nth_gives_n(start, n):
    assert CAL.working_days_between(start, CAL.add_working_days(start, n).date) == n


@modest
@given(day=any_days)
def test_rolling_forward_lands_on_the_first_working_day_and_is_idempotent(day):
    due = CAL.roll_forward(day)
    assert CAL.is_working_day(due.date) and due.date >= day
    assert all(CAL.is_rest_day(day + timedelta(days=i)) for i in range((due.date - day).days))
    assert CAL.roll_forward(due.date).date == due.date
    assert CAL.end_of_period(day) == due


@modest
@given(start=any_days, n=st.integers(0, 5))
def test_a_period_in_years_is_twelve_months_each(start, n):
    assert CAL.add_years(start, n) == CAL.add_months(start, 12 * n)


@modest
@given(start=any_days, n=st.integers(0, 60))
def test_a_period_in_days_is_the_roll_of_start_plus_n(start, n):
    # Civil Code art. 201: day 1 is start + 1, so day n is start + n; art. 203 then rolls.
    assert CAL.add_days(start, n) == CAL.roll_forward(start + timedelta(days=n))
