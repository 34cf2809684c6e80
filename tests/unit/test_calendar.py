"""Deadline arithmetic on the real official calendar (Civil Code arts. 201-203, RULES.md "Periods").

Official schedules used below, as shipped by chinese_calendar (checked against its data):
2025: Spring Festival 28 Jan (Tue)-4 Feb (Tue), 调休 Sun 26 Jan and Sat 8 Feb;
      Labour Day 1-5 May, 调休 Sun 27 Apr; Dragon Boat 31 May-2 Jun;
      National Day + Mid-autumn 1-8 Oct (Wed-Wed), 调休 Sun 28 Sep and Sat 11 Oct.
2026: New Year 1-3 Jan, 调休 Sun 4 Jan; Spring Festival 15 Feb (Sun)-23 Feb (Mon),
      调休 Sat 14 Feb and Sat 28 Feb; Labour Day 1-5 May, 调休 Sat 9 May;
      Mid-autumn 25-27 Sep; National Day 1-7 Oct (Thu-Wed), 调休 Sun 20 Sep and Sat 10 Oct.
"""
from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from freezegun import freeze_time

from lifecycle.core.calendar import Due, WorkCalendar, YearData
from lifecycle.wiring import calendar_from_env, load_holidays_file

CAL = WorkCalendar()
D = date

# Tests that reason about 2027 by weekends alone need a package without 2027 data.
needs_no_2027 = pytest.mark.skipif(CAL.has_data(2027), reason="chinese_calendar now ships 2027 data")


@pytest.mark.parametrize(
    ("start", "n", "expected", "why"),
    [
        # RULES.md's example: day 1 = 29 Sep, day 10 = 8 Oct 2026 (Thu). 2026's National Day
        # block is 1-7 Oct, so 8 Oct is already a working day and nothing rolls.
        (D(2026, 9, 28), 10, D(2026, 10, 8), "2026 block ends 7 Oct"),
        # The same notice in 2025: day 10 = 8 Oct 2025 (Wed), inside the 1-8 Oct block -> Thu 9 Oct.
        (D(2025, 9, 28), 10, D(2025, 10, 9), "2025 block runs to 8 Oct"),
        (D(2025, 9, 21), 10, D(2025, 10, 9), "day 10 is 1 Oct: rolls over the whole block"),
        # NAT-contract, 30 days: 1 Sep + 30 = 1 Oct 2026 (Thu, block) -> Thu 8 Oct.
        (D(2026, 9, 1), 30, D(2026, 10, 8), "30-day contract period ends in National Day"),
        # Spring Festival 2025: day 10 = Tue 28 Jan (eve, block to 4 Feb) -> Wed 5 Feb.
        (D(2025, 1, 18), 10, D(2025, 2, 5), "Spring Festival 2025"),
        # Spring Festival 2026: day 10 = Sun 15 Feb (block to Mon 23 Feb) -> Tue 24 Feb.
        (D(2026, 2, 5), 10, D(2026, 2, 24), "Spring Festival 2026"),
        # Labour Day: day 10 = 1 May; 2025 block 1-5 May -> Tue 6 May; 2026 block 1-5 May -> Wed 6 May.
        (D(2025, 4, 21), 10, D(2025, 5, 6), "Labour Day 2025"),
        (D(2026, 4, 21), 10, D(2026, 5, 6), "Labour Day 2026"),
        # Dragon Boat 2025: day 10 = Sat 31 May, block 31 May-2 Jun -> Tue 3 Jun.
        (D(2025, 5, 21), 10, D(2025, 6, 3), "Dragon Boat 2025"),
        # A 调休 weekend day is a working day: no roll. Sat 14 Feb 2026, Sun 20 Sep 2026.
        (D(2026, 2, 4), 10, D(2026, 2, 14), "adjusted Saturday is a working day"),
        (D(2026, 9, 10), 10, D(2026, 9, 20), "adjusted Sunday is a working day"),
        # An ordinary weekend: day 10 = Sat 14 Mar 2026 -> Mon 16 Mar.
        (D(2026, 3, 4), 10, D(2026, 3, 16), "plain weekend"),
        (D(2025, 9, 30), 0, D(2025, 9, 30), "zero days: the day itself, a Tuesday"),
    ],
)
def test_a_period_in_days_skips_the_start_day_and_rolls_past_rest_days(start, n, expected, why):
    assert CAL.add_days(start, n) == Due(expected, False), why


def test_plain_timedelta_lands_on_a_rest_day_where_art_203_moves_the_deadline_on():
    # 27 Sep 2026 is a Sunday inside the Mid-autumn weekend; +10 -> Wed 7 Oct, last day of the
    # block, so plain timedelta would give a rest day; art. 203 gives Thu 8 Oct.
    assert D(2026, 9, 27) + timedelta(days=10) == D(2026, 10, 7)
    assert CAL.add_days(D(2026, 9, 27), 10).date == D(2026, 10, 8)


@pytest.mark.parametrize(
    ("start", "n", "expected", "why"),
    [
        # NAT-filing, 7 working days from signing Mon 28 Sep 2026: Tue 29 (1), Wed 30 (2),
        # 1-7 Oct rest, Thu 8 (3), Fri 9 (4), Sat 10 调休 (5), Mon 12 (6), Tue 13 (7).
        (D(2026, 9, 28), 7, D(2026, 10, 13), "filing across National Day 2026"),
        # Fri 13 Feb (1), Sat 14 Feb 调休 (2).
        (D(2026, 2, 12), 2, D(2026, 2, 14), "adjusted Saturday before Spring Festival"),
        # Sat 14 Feb is not counted when it is the start; 15-23 Feb rest; Tue 24 Feb (1).
        (D(2026, 2, 14), 1, D(2026, 2, 24), "Spring Festival 2026 block"),
        # Fri 27 Feb (1), Sat 28 Feb 调休 (2).
        (D(2026, 2, 26), 2, D(2026, 2, 28), "adjusted Saturday after Spring Festival"),
        # Sat 25 Jan rest, Sun 26 Jan 调休 (1), Mon 27 Jan (2).
        (D(2025, 1, 24), 2, D(2025, 1, 27), "adjusted Sunday before Spring Festival 2025"),
        # 1-8 Oct rest, Thu 9 (1), Fri 10 (2), Sat 11 调休 (3), Sun 12 rest, Mon 13 (4), Tue 14 (5).
        (D(2025, 9, 30), 5, D(2025, 10, 14), "after National Day 2025"),
        # 1-5 May 2026 rest; Wed 6 (1), Thu 7 (2), Fri 8 (3), Sat 9 调休 (4).
        (D(2026, 4, 30), 3, D(2026, 5, 8), "after Labour Day 2026"),
        (D(2026, 4, 30), 4, D(2026, 5, 9), "adjusted Saturday after Labour Day 2026"),
        # DY-archives, 30 working days from exit Tue 15 Sep 2026: 16-18 Sep (3), Sun 20 调休 (4),
        # 21-24 Sep (8), 25-27 Mid-autumn rest, 28-30 Sep (11), 1-7 Oct rest, 8-9 Oct (13),
        # Sat 10 Oct 调休 (14), 12-16 Oct (19), 19-23 (24), 26-30 (29), Mon 2 Nov (30).
        (D(2026, 9, 15), 30, D(2026, 11, 2), "archive hand-over across two holiday blocks"),
    ],
)
def test_working_days_count_adjusted_weekend_days_and_skip_holiday_blocks(start, n, expected, why):
    assert CAL.add_working_days(start, n) == Due(expected, False), why


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2026, 9, 30), D(2026, 10, 10), 3),  # Thu 8, Fri 9, Sat 10 Oct (调休)
        (D(2026, 10, 10), D(2026, 9, 30), 0),  # end before start
        (D(2026, 10, 8), D(2026, 10, 8), 0),  # start not counted
        # 2024: 366 days, 262 weekdays - 19 weekday holidays + 8 调休 days = 251.
        (D(2023, 12, 31), D(2024, 12, 31), 251),
        # 2025: 365 days, 261 weekdays - 18 weekday holidays + 5 调休 days = 248.
        (D(2024, 12, 31), D(2025, 12, 31), 248),
        # 2026: 365 days, 261 weekdays - 19 weekday holidays + 6 调休 days = 248.
        (D(2025, 12, 31), D(2026, 12, 31), 248),
        (D(2023, 12, 31), D(2026, 12, 31), 251 + 248 + 248),
    ],
)
def test_working_days_between_counts_days_after_start_up_to_end(start, end, expected):
    assert CAL.working_days_between(start, end) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected", "why"),
    [
        # Civil Code art. 202: no 31 Feb, so the month's last day. 28 Feb 2026 is a Saturday
        # but a 调休 working day, so it stands.
        (D(2026, 1, 31), 1, D(2026, 2, 28), "last day of February, adjusted Saturday"),
        (D(2025, 1, 31), 1, D(2025, 2, 28), "last day of February, a Friday"),
        (D(2024, 1, 31), 1, D(2024, 2, 29), "leap year"),
        (D(2025, 8, 31), 1, D(2025, 9, 30), "30-day month"),
        (D(2025, 12, 31), 2, D(2026, 2, 28), "across the year end"),
        # JN-staffing, 1 month of signing: 7 Oct 2026 is in the National Day block -> Thu 8 Oct.
        (D(2026, 9, 7), 1, D(2026, 10, 8), "corresponding day in National Day block"),
        # 15 Feb 2026 is the first day of Spring Festival (15-23 Feb) -> Tue 24 Feb.
        (D(2026, 1, 15), 1, D(2026, 2, 24), "corresponding day in Spring Festival block"),
    ],
)
def test_a_period_in_months_ends_on_the_corresponding_day_or_the_months_last_day(start, n, expected, why):
    assert CAL.add_months(start, n) == Due(expected, False), why


def test_31_jan_plus_1_month_in_leap_2028_is_29_feb_and_provisional():
    # 2028: 1 Jan is a Saturday, so 29 Feb is a Tuesday; no official data for 2028.
    assert CAL.add_months(D(2028, 1, 31), 1) == Due(D(2028, 2, 29), True)


@needs_no_2027
def test_31_jan_2027_plus_1_month_is_sunday_28_feb_and_rolls_to_monday_provisionally():
    assert CAL.add_months(D(2027, 1, 31), 1) == Due(D(2027, 3, 1), True)


def test_years_follow_months_and_29_feb_plus_1_year_is_28_feb():
    assert CAL.add_years(D(2024, 2, 29), 1) == Due(D(2025, 2, 28), False)
    assert CAL.add_years(D(2028, 2, 29), 1) == Due(D(2029, 2, 28), True)  # a Wednesday
    # 1 Oct 2023 + 3 years = 1 Oct 2026, National Day -> Thu 8 Oct.
    assert CAL.add_years(D(2023, 10, 1), 3) == Due(D(2026, 10, 8), False)
    assert CAL.add_years(D(2025, 3, 31), 2) == CAL.add_months(D(2025, 3, 31), 24)


def test_a_three_year_contract_reaches_past_the_data_and_is_provisional():
    # JN-contract, term 3 years: 15 Jun 2024 + 3 years = Tue 15 Jun 2027, no data for 2027.
    due = CAL.add_years(D(2024, 6, 15), 3)
    assert due.date == D(2027, 6, 15)
    assert due.provisional is not CAL.has_data(2027)


@pytest.mark.parametrize(
    ("deadline", "expected"),
    [
        (D(2025, 3, 31), D(2025, 3, 31)),  # JN-plan, by 31 March: a Monday
        (D(2024, 3, 31), D(2024, 4, 1)),  # a Sunday -> Monday
        (D(2025, 11, 30), D(2025, 12, 1)),  # JN-annual-report, end of November: a Sunday
        (D(2025, 10, 1), D(2025, 10, 9)),  # inside the 2025 National Day block
    ],
)
def test_a_period_whose_last_day_is_a_rest_day_moves_to_the_next_working_day(deadline, expected):
    assert CAL.end_of_period(deadline) == Due(expected, False)


def test_working_and_rest_days_follow_the_official_schedule():
    assert CAL.is_rest_day(D(2026, 2, 20))  # Friday inside Spring Festival
    assert CAL.is_rest_day(D(2025, 10, 6))  # Monday, labelled Mid-autumn inside National Day
    assert CAL.is_working_day(D(2026, 2, 14))  # Saturday 调休
    assert CAL.is_working_day(D(2026, 1, 4))  # Sunday 调休
    assert CAL.is_rest_day(D(2026, 3, 14)) and CAL.is_working_day(D(2026, 3, 16))


def test_every_day_with_data_agrees_with_the_package_itself():
    first, last = CAL.data_years()
    day, end = D(first, 1, 1), D(last, 12, 31)
    while day <= end:
        assert CAL.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_the_data_years_are_discovered_from_the_package():
    years = {d.year for d in chinese_calendar.holidays}
    assert CAL.data_years() == (min(years), max(years))
    first, last = CAL.data_years()
    assert first == 2004 and last >= 2026
    assert CAL.has_data(first) and CAL.has_data(last)
    assert not CAL.has_data(first - 1) and not CAL.has_data(last + 1)


def test_the_first_data_year_starts_with_new_years_day():
    assert CAL.is_rest_day(D(2004, 1, 1))  # Thursday, New Year's Day
    assert CAL.roll_forward(D(2003, 12, 31)) == Due(D(2003, 12, 31), True)  # Wednesday, no 2003 data
    assert CAL.roll_forward(D(2003, 12, 27)) == Due(D(2003, 12, 29), True)  # Sat -> Mon, no data
    # day 2 = Thu 1 Jan 2004 (holiday) -> Fri 2 Jan; only 2004 days were inspected.
    assert CAL.add_days(D(2003, 12, 30), 2) == Due(D(2004, 1, 2), False)


def test_the_last_data_year_is_not_provisional_up_to_31_december_2026():
    assert CAL.add_days(D(2026, 12, 21), 10) == Due(D(2026, 12, 31), False)  # Thursday
    assert CAL.add_working_days(D(2026, 12, 29), 2) == Due(D(2026, 12, 31), False)


@needs_no_2027
def test_a_2027_due_date_is_provisional_and_computed_on_weekends_alone():
    assert not CAL.has_data(2027)
    assert CAL.add_days(D(2026, 12, 22), 10) == Due(D(2027, 1, 1), True)  # Friday: a weekday
    # Thu 31 Dec 2026 (1), Fri 1 Jan 2027 (2), Mon 4 Jan (3).
    assert CAL.add_working_days(D(2026, 12, 30), 3) == Due(D(2027, 1, 4), True)
    assert CAL.add_working_days(D(2026, 12, 31), 1) == Due(D(2027, 1, 1), True)
    # 2027: 1 Jan is a Friday; 365 days = 52 weeks + Friday -> 261 weekdays.
    assert CAL.working_days_between(D(2026, 12, 31), D(2027, 12, 31)) == 261
    assert CAL.roll_forward(D(2100, 1, 2)) == Due(D(2100, 1, 4), True)  # Sat -> Mon


# A hypothetical 2027 file: NOT the official schedule, only test data.
TOML_2027 = """\
[2027]
holidays = [2027-01-01, "2027-01-02", 2027-01-03]
workdays = [2027-02-20]
"""


def _write(tmp_path, text, name="holidays.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_2027_file_makes_2027_official_and_moves_a_declared_holiday(tmp_path):
    extra = load_holidays_file(_write(tmp_path, TOML_2027))
    assert extra == {2027: YearData(frozenset({D(2027, 1, 1), D(2027, 1, 2), D(2027, 1, 3)}),
                                    frozenset({D(2027, 2, 20)}))}
    cal = WorkCalendar(extra)
    assert cal.has_data(2027) and cal.data_years() == (CAL.data_years()[0], max(2027, CAL.data_years()[1]))
    # day 10 = Fri 1 Jan 2027, now declared a holiday; Sat 2 and Sun 3 rest -> Mon 4 Jan.
    assert cal.add_days(D(2026, 12, 22), 10) == Due(D(2027, 1, 4), False)
    # Sat 20 Feb 2027 declared 调休: one working day after Fri 19 Feb is that Saturday.
    assert cal.add_working_days(D(2027, 2, 19), 1) == Due(D(2027, 2, 20), False)


@needs_no_2027
def test_without_the_2027_file_the_same_dates_differ_and_are_provisional():
    assert CAL.add_days(D(2026, 12, 22), 10) == Due(D(2027, 1, 1), True)
    assert CAL.add_working_days(D(2027, 2, 19), 1) == Due(D(2027, 2, 22), True)


def test_a_users_year_replaces_the_package_year_and_detached_years_are_not_in_the_range():
    cal = WorkCalendar({2026: YearData(frozenset(), frozenset()), 2029: YearData(frozenset(), frozenset())})
    assert cal.is_working_day(D(2026, 10, 1))  # Thursday, no longer a holiday
    assert cal.data_years() == CAL.data_years()  # 2029 is not contiguous with the package range
    assert cal.has_data(2029) and cal.add_days(D(2029, 1, 1), 0) == Due(D(2029, 1, 1), False)


def test_a_missing_workdays_list_means_none_and_an_empty_file_adds_nothing(tmp_path):
    assert load_holidays_file(_write(tmp_path, "[2030]\nholidays = []\n")) == {
        2030: YearData(frozenset(), frozenset())}
    assert load_holidays_file(_write(tmp_path, "", "empty.toml")) == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[2027\nholidays = []", "not valid TOML"),
        ("[twenty27]\nholidays = []", "[twenty27] is not a year"),
        ("2027 = 'x'", "2027 must be a table"),
        ("[2027]\nworkdays = [2027-02-20]", "[2027] has no `holidays` list"),
        ("[2027]\nholidays = []\nworkday = [2027-02-20]", "unknown key(s) workday"),
        ("[2027]\nholidays = 2027-01-01", "[2027] `holidays` must be a list"),
        ("[2027]\nholidays = [2026-12-31]", "2026-12-31 is not in 2027"),
        ("[2027]\nholidays = [2027-01-01, '2027-13-01']", "holidays entry 2 ('2027-13-01') is not a real date"),
        ("[2027]\nholidays = ['1 Jan 2027']", "holidays entry 1 ('1 Jan 2027') is not a date"),
        ("[2027]\nholidays = [20270101]", "holidays entry 1 (20270101) is not a date"),
        ("[2027]\nholidays = [2027-01-01T00:00:00]", "is a date-time"),
        ("[2027]\nholidays = []\nworkdays = [2027-02-10]", "workdays entry 2027-02-10 is a Wednesday"),
        ("[2027]\nholidays = [2027-02-20]\nworkdays = [2027-02-20]", "2027-02-20 is listed in both"),
    ],
)
def test_a_bad_holidays_file_raises_value_error_naming_the_file_and_the_entry(tmp_path, text, message):
    path = _write(tmp_path, text)
    with pytest.raises(ValueError) as info:
        load_holidays_file(path)
    assert str(info.value).startswith(f"{path}: ")
    assert message in str(info.value)


def test_calendar_from_env_honours_lifecycle_holidays(tmp_path, monkeypatch):
    path = _write(tmp_path, "[2030]\nholidays = [2030-01-01]\n", "mine.toml")
    monkeypatch.setenv("LIFECYCLE_HOLIDAYS", str(path))
    cal = calendar_from_env(str(tmp_path / "elsewhere" / "lifecycle.db"))
    assert cal.has_data(2030) and cal.is_rest_day(D(2030, 1, 1))


def test_calendar_from_env_reads_holidays_toml_beside_the_database(tmp_path, monkeypatch):
    monkeypatch.delenv("LIFECYCLE_HOLIDAYS", raising=False)
    _write(tmp_path, "[2030]\nholidays = [2030-01-01]\n")
    assert calendar_from_env(str(tmp_path / "lifecycle.db")).has_data(2030)


def test_the_environment_variable_wins_over_the_file_beside_the_database(tmp_path, monkeypatch):
    _write(tmp_path, "[2030]\nholidays = []\n")
    monkeypatch.setenv("LIFECYCLE_HOLIDAYS", str(_write(tmp_path, "[2031]\nholidays = []\n", "env.toml")))
    cal = calendar_from_env(str(tmp_path / "lifecycle.db"))
    assert cal.has_data(2031) and not cal.has_data(2030)


def test_calendar_from_env_without_any_file_uses_the_package_alone(tmp_path, monkeypatch):
    monkeypatch.delenv("LIFECYCLE_HOLIDAYS", raising=False)
    assert not calendar_from_env(str(tmp_path / "lifecycle.db")).has_data(2030)
    assert not calendar_from_env(None).has_data(2030)
    _write(tmp_path, "[2030]\nholidays = []\n")
    monkeypatch.chdir(tmp_path)  # an in-memory database has no directory beside it
    assert not calendar_from_env(":memory:").has_data(2030)


def test_a_named_holidays_file_that_does_not_exist_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("LIFECYCLE_HOLIDAYS", str(tmp_path / "missing.toml"))
    with pytest.raises(FileNotFoundError):
        calendar_from_env(None)


def test_periods_count_forward_only():
    for compute in (CAL.add_days, CAL.add_months, CAL.add_years, CAL.add_working_days):
        with pytest.raises(ValueError, match="n must be >= 0"):
            compute(D(2026, 1, 5), -1)
    assert CAL.add_working_days(D(2026, 2, 15), 0) == Due(D(2026, 2, 24), False)


def test_rolling_forward_is_bounded_when_user_data_has_no_working_days():
    every_day = frozenset(D(2030, 1, 1) + timedelta(days=i) for i in range(365 * 2 + 1))
    years = {y: YearData(frozenset(d for d in every_day if d.year == y), frozenset()) for y in (2030, 2031)}
    cal = WorkCalendar(years)
    with pytest.raises(ValueError, match="holiday data is wrong"):
        cal.roll_forward(D(2030, 1, 1))
    with pytest.raises(ValueError, match="holiday data is wrong"):
        cal.add_working_days(D(2029, 12, 31), 1)


def test_results_do_not_depend_on_the_clock():
    results = []
    for now in ("2004-06-01", "2026-10-01", "2040-01-01"):
        with freeze_time(now):
            cal = WorkCalendar()
            results.append((cal.add_days(D(2026, 9, 28), 10), cal.add_working_days(D(2026, 9, 28), 7)))
    assert len(set(results)) == 1
