"""Dates, amounts and counts as a Chinese office types them: one parser, ISO out."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from lifecycle.core.values import parse_day, parse_number, parse_whole


@pytest.mark.parametrize("text", ["2026-11-25", "2026/11/25", "2026年11月25日", "２０２６-１１-２５", "２０２６年１１月２５日",
                                  " 2026/11/25 ", "2026.11.25", "2026年11月25"])
def test_every_form_of_a_date_reads_as_the_same_day(text):
    assert parse_day(text) == date(2026, 11, 25)


def test_short_months_and_days_and_real_dates_are_read():
    assert parse_day("2026/3/5") == date(2026, 3, 5)
    assert parse_day(datetime(2026, 3, 5, 0, 0)) == date(2026, 3, 5)


@pytest.mark.parametrize("text", ["2026-02-30", "25/11/2026", "2026-11", "明天", ""])
def test_what_is_not_a_calendar_date_is_refused(text):
    with pytest.raises(ValueError):
        parse_day(text)


def test_amounts_accept_fullwidth_digits_and_thousands_separators():
    assert parse_number("580,000") == 580000
    assert parse_number("５８００００") == 580000
    assert parse_number("１２.５") == 12.5
    assert parse_whole("１２") == 12 and parse_whole("12.0") == 12
    for bad in ("12.5", "十二", "1,2", ""):
        with pytest.raises(ValueError):
            parse_whole(bad)
