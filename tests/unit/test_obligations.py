"""Due dates of obligations, worked out by hand from the official calendar.

Each expectation below was counted by hand on the State Council schedules as
shipped by chinese_calendar (and cross-checked against its `is_workday`), never
by calling the code under test:

2004 (first data year): Spring Festival 22-28 Jan, 调休 Sat 17 + Sun 18 Jan; National Day 1-7 Oct.
2024: 31 Mar is a Sunday; 29 Feb a Thursday (leap year).
2025: New Year 1 Jan; Spring Festival 28 Jan-4 Feb, 调休 Sun 26 Jan + Sat 8 Feb;
      Labour Day 1-5 May, 调休 Sun 27 Apr; National Day 1-8 Oct, 调休 Sun 28 Sep + Sat 11 Oct.
2026 (last data year): New Year 1-3 Jan, 调休 Sun 4 Jan; Spring Festival 15-23 Feb,
      调休 Sat 14 Feb + Sat 28 Feb; Labour Day 1-5 May, 调休 Sat 9 May; Mid-autumn 25-27 Sep;
      National Day 1-7 Oct, 调休 Sun 20 Sep + Sat 10 Oct.
2027+: no data: weekends alone, provisional.

Civil Code: art. 201 day 1 is the day after the start; art. 202 months end on the
corresponding day (or the month's last); art. 203 a rest day rolls to the next working day.
"""
from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from lifecycle.core import rulebook
from lifecycle.core.calendar import WorkCalendar
from lifecycle.core.events import GENESIS, Event
from lifecycle.core.project import Project, fold

D = date
CAL = WorkCalendar()
needs_no_2027 = pytest.mark.skipif(CAL.has_data(2027), reason="chinese_calendar now ships 2027 data")


def staff(*names: str, qualified: bool = True) -> list[dict[str, Any]]:
    """A roster that passes every rulebook's roster guard (the guards are not under test here)."""
    return [{"name": n, "role": "lead" if i == 0 else "worker", "age": 30, "education": "bachelor",
             "qualified": qualified or i == 0, "certificate": qualified or i == 0,
             "source": "town" if i == 0 else "contractor", "post": "admin" if i < 2 else "service"}
            for i, n in enumerate(names)]


class History:
    """Builds a project's event log in order: `h.add("award", "2026-09-25", contractor="C")`."""

    def __init__(self, book: str, year: int = 2026, opened: str | None = None) -> None:
        self.book = rulebook.load(book)
        self.events: list[Event] = []
        self.add("open", opened or f"{year}-01-05", station="S1", district="历下区", rulebook=book,
                 rulebook_version=self.book.version, year=year)

    def add(self, event: str, on: str, /, **data: Any) -> History:
        self.events.append(Event.new("P1", len(self.events) + 1, event, D.fromisoformat(on), "t", "a", data, GENESIS))
        return self

    def through_sign(self, award: str, sign: str, months: int = 36) -> History:
        return self.add("announce", award).add("award", award, contractor="C1").add("sign", sign, term_months=months)

    def fold(self, cal: WorkCalendar = CAL) -> Project:
        return fold(self.events, self.book, cal, "P1")


def due(project: Project, oid: str) -> tuple[date, bool]:
    ob = project.obligations.get(oid) or project.district_duties[oid]   # or a duty of the district (issue 10)
    return ob.due, ob.provisional


# --- contract after the award: DY 10 days (art. 25), national 30 days (art. 46) -------------------
@pytest.mark.parametrize(("book", "award", "expected", "provisional"), [
    # day 10 = Mon 5 Oct 2026, inside National Day (1-7 Oct) -> Thu 8 Oct
    ("dongying", "2026-09-25", D(2026, 10, 8), False),
    # day 10 = Thu 2 Oct 2025, inside the 1-8 Oct block -> Thu 9 Oct
    ("dongying", "2025-09-22", D(2025, 10, 9), False),
    # day 10 = Sun 15 Feb 2026, Spring Festival to Mon 23 Feb -> Tue 24 Feb
    ("dongying", "2026-02-05", D(2026, 2, 24), False),
    # day 10 = Thu 30 Jan 2025, Spring Festival to Tue 4 Feb -> Wed 5 Feb
    ("dongying", "2025-01-20", D(2025, 2, 5), False),
    # day 10 = Tue 5 May 2026, last day of Labour Day -> Wed 6 May
    ("dongying", "2026-04-25", D(2026, 5, 6), False),
    # day 10 = Thu 1 May 2025 -> Tue 6 May
    ("dongying", "2025-04-21", D(2025, 5, 6), False),
    # day 10 = Sat 14 Feb 2026, a 调休 working Saturday: no roll
    ("dongying", "2026-02-04", D(2026, 2, 14), False),
    # day 10 = Sun 20 Sep 2026, a 调休 working Sunday: no roll
    ("dongying", "2026-09-10", D(2026, 9, 20), False),
    # day 10 = Sat 11 Oct 2025, a 调休 working Saturday
    ("dongying", "2025-10-01", D(2025, 10, 11), False),
    # first data year: day 10 = Fri 1 Oct 2004, National Day 1-7 Oct -> Fri 8 Oct
    ("dongying", "2004-09-21", D(2004, 10, 8), False),
    # day 10 = Mon 4 Jan 2027: no 2027 data, a weekday -> provisional
    ("dongying", "2026-12-25", D(2027, 1, 4), True),
    # national 30 days: day 30 = Thu 1 Oct 2026 -> Thu 8 Oct
    ("national", "2026-09-01", D(2026, 10, 8), False),
    # 31 Dec 2025 + 30 days = Fri 30 Jan 2026
    ("national", "2025-12-31", D(2026, 1, 30), False),
    # 31 Jan 2026 + 30 days = Mon 2 Mar 2026 (February has 28 days)
    ("national", "2026-01-31", D(2026, 3, 2), False),
    # 2 Dec 2026 + 30 days = Fri 1 Jan 2027, weekends alone -> provisional
    ("national", "2026-12-02", D(2027, 1, 1), True),
])
def test_the_contract_is_due_days_after_the_award_rolled_past_rest_days(book, award, expected, provisional):
    if provisional and CAL.has_data(2027):
        pytest.skip("chinese_calendar now ships 2027 data")
    year = int(award[:4])
    p = History(book, year=year, opened=f"{year}-01-02").add("announce", award).add("award", award, contractor="C").fold()
    assert due(p, "contract") == (expected, provisional)
    assert p.obligations["contract"].basis == ("DY-contract: 东营 art. 25" if book == "dongying"
                                               else "NAT-contract: 政府采购法 art. 46")


# --- publication (2 working days) and filing (7 working days) after signing ---------------------
@pytest.mark.parametrize(("sign", "publication", "filing", "provisional"), [
    # Thu 12 Feb 2026: Fri 13 (1), Sat 14 调休 (2); then 24, 25, 26, 27 Feb (3-6), Sat 28 调休 (7)
    ("2026-02-12", D(2026, 2, 14), D(2026, 2, 28), False),
    # Fri 24 Jan 2025: Sun 26 调休 (1), Mon 27 (2); block 28 Jan-4 Feb; 5, 6, 7 Feb (3-5), Sat 8 调休 (6), Mon 10 (7)
    ("2025-01-24", D(2025, 1, 27), D(2025, 2, 10), False),
    # Wed 30 Sep 2026: block 1-7 Oct; Thu 8 (1), Fri 9 (2), Sat 10 调休 (3), 12-15 Oct (4-7)
    ("2026-09-30", D(2026, 10, 9), D(2026, 10, 15), False),
    # Fri 26 Sep 2025: Sun 28 调休 (1), Mon 29 (2), Tue 30 (3); block 1-8 Oct; 9, 10 (4, 5), Sat 11 调休 (6), Mon 13 (7)
    ("2025-09-26", D(2025, 9, 29), D(2025, 10, 13), False),
    # Wed 29 Apr 2026: Thu 30 (1); block 1-5 May; Wed 6 (2), 7, 8 (3, 4), Sat 9 调休 (5), Mon 11, Tue 12 (6, 7)
    ("2026-04-29", D(2026, 5, 6), D(2026, 5, 12), False),
    # first data year: Fri 16 Jan 2004: Sat 17 + Sun 18 调休 (1, 2); 19-21 (3-5); block 22-28; 29, 30 (6, 7);
    # no publication duty: 实施条例 art. 50 applies only from 1 Mar 2015 (NAT-publication's own window)
    ("2004-01-16", None, D(2004, 1, 30), False),
    # Tue 29 Dec 2026: 30, 31 Dec (1, 2); 2027 by weekends: Fri 1 Jan (3), 4-7 Jan (4-7) -> provisional
    ("2026-12-29", D(2026, 12, 31), D(2027, 1, 7), True),
])
def test_publication_and_filing_count_working_days_with_adjusted_weekends(sign, publication, filing, provisional):
    if provisional and CAL.has_data(2027):
        pytest.skip("chinese_calendar now ships 2027 data")
    p = History("national", year=int(sign[:4]), opened=f"{sign[:4]}-01-02").through_sign(sign, sign, 12).fold()
    if publication is None:
        assert "publication" not in p.obligations
    else:
        assert due(p, "publication") == (publication, False)
    assert due(p, "filing") == (filing, provisional)
    assert p.obligations["filing"].basis == "NAT-filing: 政府采购法 art. 47"


# --- JN-staffing: one month after signing (art. 202, then art. 203) ----------------------------
@pytest.mark.parametrize(("sign", "expected", "provisional"), [
    # 31 Jan + 1 month -> 28 Feb 2026, a 调休 working Saturday: no roll
    ("2026-01-31", D(2026, 2, 28), False),
    # 31 Jan 2025 + 1 month -> Fri 28 Feb 2025
    ("2025-01-31", D(2025, 2, 28), False),
    # leap year: 31 Jan 2024 + 1 month -> Thu 29 Feb 2024
    ("2024-01-31", D(2024, 2, 29), False),
    # 15 Jan 2026 -> Sun 15 Feb, Spring Festival to 23 Feb -> Tue 24 Feb
    ("2026-01-15", D(2026, 2, 24), False),
    # 1 Sep 2025 -> Wed 1 Oct, block to 8 Oct -> Thu 9 Oct
    ("2025-09-01", D(2025, 10, 9), False),
    # 3 Apr 2026 -> Sun 3 May, Labour Day to 5 May -> Wed 6 May
    ("2026-04-03", D(2026, 5, 6), False),
    # 15 Dec 2026 -> Fri 15 Jan 2027, weekends alone
    ("2026-12-15", D(2027, 1, 15), True),
    # 31 Dec 2026 -> Sun 31 Jan 2027 -> Mon 1 Feb 2027, weekends alone
    ("2026-12-31", D(2027, 2, 1), True),
])
def test_jinan_staff_are_due_in_post_a_month_after_signing(sign, expected, provisional):
    if provisional and CAL.has_data(2027):
        pytest.skip("chinese_calendar now ships 2027 data")
    p = History("jinan", year=int(sign[:4]), opened=f"{sign[:4]}-01-02").through_sign(sign, sign).fold()
    assert due(p, "staffing") == (expected, provisional)
    assert p.obligations["staffing"].basis == "JN-staffing: 济南 四(四)"


# --- JN-plan: by 31 March every year, a duty of the district (kept apart from the project's) ---
def test_the_districts_duties_are_kept_apart_from_the_projects_own():
    p = History("jinan", year=2026, opened="2026-03-20").through_sign("2026-05-06", "2026-05-08").fold()
    assert not any(o.startswith("plan:") for o in p.obligations)
    assert {o.kind for o in p.district_duties.values()} == {"plan"}



def test_the_plan_of_the_opening_year_is_met_by_opening_and_later_years_are_owed_by_31_march():
    p = History("jinan", year=2026, opened="2026-03-20").through_sign("2026-05-06", "2026-05-08").fold()
    plan = p.district_duties["plan:2026"]
    assert (plan.due, plan.status, plan.met_seq) == (D(2026, 3, 31), "met", 1)   # Tue 31 Mar 2026
    # 2027: Wed 31 Mar; 2028: Fri 31 Mar; 2029: Sat 31 Mar, still the 31st: "by 31 March" is a
    # fixed date (期日), not a period, so Civil Code art. 203 does not move it; and a named day
    # needs no holiday data, so it is never provisional
    assert due(p, "plan:2027") == (D(2027, 3, 31), False)
    assert due(p, "plan:2028") == (D(2028, 3, 31), False)
    assert due(p, "plan:2029") == (D(2029, 3, 31), False)
    assert "plan:2030" not in p.district_duties  # the term ends 8 May 2029


def test_a_plan_filed_for_its_year_meets_that_year_only():
    h = History("jinan", year=2026, opened="2026-03-20").through_sign("2026-05-06", "2026-05-08")
    p = h.add("file_plan", "2026-11-02", year=2028).fold()
    assert p.district_duties["plan:2028"].status == "met"
    assert p.district_duties["plan:2027"].status == "open"


def test_a_plan_opened_after_31_march_is_met_late():
    # 31 Mar 2024 is a Sunday and still the due day (a fixed date does not roll)
    p = History("jinan", year=2024, opened="2024-04-03").fold()
    ob = p.district_duties["plan:2024"]
    assert (ob.due, ob.status, ob.met_late()) == (D(2024, 3, 31), "met", True)


# --- JN-annual-report: end of November; briefings: a setting ----------------------------------
def test_the_district_report_is_due_at_the_end_of_november_even_on_a_sunday():
    h = History("jinan", year=2025, opened="2025-02-10").through_sign("2025-03-01", "2025-03-05")
    p = h.add("staff", "2025-03-20", roster=staff("张三", "李四", "王五")).fold()
    # 30 Nov 2025 is a Sunday and stays the due day (11月底, a fixed date); 30 Nov 2026 is a Monday
    assert due(p, "district_report:2025") == (D(2025, 11, 30), False)
    assert due(p, "district_report:2026") == (D(2026, 11, 30), False)


@pytest.mark.parametrize(("month", "expected"), [
    ("2026-09", D(2026, 10, 10)),   # Sat 10 Oct 2026 is a 调休 working day
    ("2025-09", D(2025, 10, 10)),   # Fri 10 Oct 2025, after the 1-8 Oct block
    ("2025-12", D(2026, 1, 12)),    # Sat 10 Jan 2026 -> Mon 12 Jan
    ("2026-01", D(2026, 2, 10)),    # Tue 10 Feb 2026
    ("2026-04", D(2026, 5, 11)),    # Sun 10 May 2026 -> Mon 11 May
])
def test_a_monthly_briefing_is_due_on_the_set_day_of_the_following_month(month, expected):
    h = History("jinan", year=2025, opened="2025-02-10").through_sign("2025-03-01", "2025-03-05")
    p = h.add("staff", "2025-03-20", roster=staff("张三", "李四", "王五")).fold()
    ob = p.obligations[f"briefing:{month}"]
    assert (ob.due, ob.provisional, ob.setting) == (expected, False, True)


# --- DY-archives: 30 working days after the exit -----------------------------------------------
@pytest.mark.parametrize(("exit_on", "expected"), [
    # Tue 15 Sep 2026: 16-18 (3), Sun 20 调休 (4), 21-24 (8), 28-30 (11), block 1-7 Oct,
    # 8, 9 (13), Sat 10 调休 (14), 12-16 (19), 19-23 (24), 26-30 (29), Mon 2 Nov (30)
    ("2026-09-15", D(2026, 11, 2)),
    # Wed 31 Dec 2025: block 1-3 Jan, Sun 4 调休 (1), 5-9 (6), 12-16, 19-23, 26-30 (21), 2-6 Feb (26), 9-12 Feb (30)
    ("2025-12-31", D(2026, 2, 12)),
])
def test_archives_are_handed_over_within_30_working_days_of_the_exit(exit_on, expected):
    h = History("dongying", year=2025, opened="2025-02-10").through_sign("2025-03-01", "2025-03-05")
    p = h.add("terminate", exit_on, reason="policy change").fold()
    assert due(p, "handover") == (expected, False)
    assert p.obligations["handover"].basis == "DY-archives: 东营 art. 13"


# --- evaluations and the term decision ----------------------------------------------------------
def test_jinan_evaluates_once_a_service_year_and_dongying_twice():
    jn = History("jinan", year=2025, opened="2025-02-10").through_sign("2025-03-10", "2025-03-15") \
        .add("staff", "2025-04-01", roster=staff("张三", "李四", "王五")).fold()
    # one year from Sat 15 Mar 2025 -> Sun 15 Mar 2026 -> Mon 16 Mar
    assert due(jn, "evaluation:T1-1") == (D(2026, 3, 16), False)
    assert "evaluation:T1-2" in jn.obligations and "evaluation:T1-4" not in jn.obligations
    dy = History("dongying", year=2025, opened="2025-02-10").through_sign("2025-03-30", "2025-04-02") \
        .add("staff", "2025-04-20", roster=staff("张三", "李四", "王五")).fold()
    # half a year from 2 Apr 2025 -> Thu 2 Oct, National Day to 8 Oct -> Thu 9 Oct; a year -> Thu 2 Apr 2026
    assert due(dy, "evaluation:T1-1") == (D(2025, 10, 9), False)
    assert due(dy, "evaluation:T1-2") == (D(2026, 4, 2), False)
    assert "evaluation:T1-6" in dy.obligations and "evaluation:T1-7" not in dy.obligations


def test_the_term_decision_falls_due_at_the_end_of_the_term():
    # 12 months from 5 Oct 2025 -> Mon 5 Oct 2026, National Day -> Thu 8 Oct
    p = History("national", year=2025, opened="2025-02-10").through_sign("2025-09-30", "2025-10-05", 12).fold()
    assert due(p, "term_decision:T1") == (D(2026, 10, 8), False)
    assert p.term_end == D(2026, 10, 5)
