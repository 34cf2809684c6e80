"""The receipt of a due date (`lifecycle.core.explain`): its steps, its sentence, and that it arrives
at the due date the fold computed, for every duty of every rulebook.

Dates counted by hand on the State Council schedules (see test_obligations.py's header):
2025: National Day and Mid-autumn 1-8 Oct, 调休 Sun 28 Sep + Sat 11 Oct.
2026: National Day 1-7 Oct, 调休 Sat 10 Oct. 2027+: no data.
"""
from __future__ import annotations

from datetime import date

import pytest
from test_obligations import CAL, History, needs_no_2027, staff

from lifecycle.core.calendar import WorkCalendar, YearData
from lifecycle.core.explain import receipts
from lifecycle.core.receipt_words import note, period_text, provisional_text, sentence

D = date


def dongying_award(award: str = "2025-09-26") -> History:
    return History("dongying", year=2025, opened="2025-03-01").add("announce", "2025-04-01") \
        .add("award", award, contractor="C1")


def test_the_dongying_contract_awarded_on_26_september_2025_rolls_past_national_day_to_9_october():
    h = dongying_award()
    rc = receipts(h.events, h.book, CAL, "P1")["contract"]
    assert rc.due == D(2025, 10, 9) and not rc.provisional
    assert rc.trigger.event == "award" and rc.trigger.seq == 3 and rc.trigger.date == D(2025, 9, 26)
    assert (rc.reckoning.unit, rc.reckoning.count) == ("days", 10)
    assert [(s.date, s.rule, s.what) for s in rc.steps] == [
        (D(2025, 9, 26), "art. 201", "start"), (D(2025, 10, 6), "art. 201", "day"),
        (D(2025, 10, 6), "art. 203", "rest"), (D(2025, 10, 7), "art. 203", "rest"),
        (D(2025, 10, 8), "art. 203", "rest"), (D(2025, 10, 9), "art. 203", "roll")]
    assert "national_day" in rc.steps[2].holidays
    assert "国庆节" in note(rc.steps[2], rc, "zh") and "第二百零三条" in note(rc.steps[-1], rc, "zh")
    assert sentence(rc) == "9月26日发出中标通知书，次日起算10日，第10日10月6日为国庆节、中秋节假期，顺延至10月9日"
    assert "National Day" in sentence(rc, "en") and "9 October" in sentence(rc, "en")
    assert rc.citation == "《东营市乡镇(街道)社会工作服务站管理办法（东民〔2022〕62号）》第25条"
    data = rc.as_dict()
    assert data["trigger"] == {"seq": 3, "event": "award", "date": "2025-09-26"}
    assert data["period"]["unit"] == "days" and data["period"]["count"] == 10 and data["due"] == "2025-10-09"
    assert [s["rule"] for s in data["steps"]].count("art. 203") == 4


def test_a_working_day_duty_across_an_adjusted_saturday_counts_that_saturday():
    # signed Fri 9 Oct 2026: publication (2 working days) is Sat 10 Oct (调休) then Mon 12 Oct
    h = History("jinan").through_sign("2026-09-28", "2026-10-09")
    rc = receipts(h.events, h.book, CAL, "P1")["publication"]
    assert rc.due == D(2026, 10, 12) and rc.reckoning.unit == "working_days"
    adjusted = [s for s in rc.steps if s.what == "adjusted"]
    assert [(s.date, s.n) for s in adjusted] == [(D(2026, 10, 10), 1)]
    assert "调休" in note(adjusted[0], rc, "zh") and "第1个工作日" in note(adjusted[0], rc, "zh")
    assert [s.date for s in rc.steps if s.what == "rest"] == [D(2026, 10, 11)]
    assert sentence(rc) == "10月9日签订合同，次日起算2个工作日，10月10日调休上班计入，第2个工作日为10月12日"


def test_a_working_day_count_through_a_holiday_block_names_the_block_it_skipped():
    # signed Mon 28 Sep 2026: filing (7 working days) runs 29, 30 Sep, past 1-7 Oct, Fri 9 and Sat 10 Oct (调休)
    h = History("jinan").through_sign("2026-09-01", "2026-09-28")
    rc = receipts(h.events, h.book, CAL, "P1")["filing"]
    assert rc.due == h.fold().obligations["filing"].due == D(2026, 10, 13)
    assert "跳过国庆节假期（10月1日至10月7日）" in sentence(rc) and "10月10日调休上班计入" in sentence(rc)


def test_a_month_period_ending_on_a_day_the_final_month_lacks_ends_on_its_last_day():
    # JN-staffing: one month from signing on 31 Mar 2026 -> 30 Apr 2026 (art. 202), a Thursday
    h = History("jinan").through_sign("2026-03-01", "2026-03-31")
    rc = receipts(h.events, h.book, CAL, "P1")["staffing"]
    assert rc.due == D(2026, 4, 30)
    assert [s.what for s in rc.steps] == ["start", "month_end", "working"]
    assert "最后一日" in note(rc.steps[1], rc, "zh")


@needs_no_2027
def test_a_due_date_in_a_year_without_holiday_data_is_provisional_and_says_which_year_settles_it():
    h = History("jinan").through_sign("2026-09-01", "2026-10-09")
    rc = receipts(h.events, h.book, CAL, "P1")["term_decision:T1"]
    assert rc.provisional and rc.missing_years == (2029,)
    assert "2029年" in provisional_text(rc, "zh") and "2029" in provisional_text(rc, "en")
    assert rc.as_dict()["provisional"] is True and rc.as_dict()["missing_years"] == [2029]
    settled = WorkCalendar({2029: YearData(frozenset(), frozenset())})
    assert not receipts(h.events, h.book, settled, "P1")["term_decision:T1"].provisional


def test_a_briefing_names_the_local_setting_its_day_rests_on():
    h = History("jinan").through_sign("2026-03-01", "2026-03-31").add("staff", "2026-04-20", roster=staff("甲", "乙", "丙"))
    rc = receipts(h.events, h.book, CAL, "P1")["briefing:2026-04"]
    assert rc.reckoning.setting == "briefing_due_day" and rc.setting_value == 10
    assert "briefing_due_day = 10" in period_text(rc, "zh") and rc.due == D(2026, 5, 11)  # Sun 10 May rolls
    assert rc.trigger.event == "staff"


def full_history(book: str) -> History:
    """A project through signing, staffing, reports, training, a renewal and an exit."""
    h = History(book, year=2026).through_sign("2026-03-02", "2026-03-31", months=12)
    h.add("staff", "2026-04-20", roster=staff("甲", "乙", "丙", "丁"))
    h.add("report", "2026-05-08", kind="monthly", period="2026-04")
    h.add("training", "2026-06-01", hours=10, kind="practical")
    h.add("renew", "2027-03-01", term_months=12)
    return h.add("terminate", "2027-06-30", reason="测试")


@pytest.mark.parametrize("book", ["national", "jinan", "dongying", "binhai", "dongguan", "fujian"])
def test_every_receipt_arrives_at_the_due_date_the_fold_computed(book):
    h = full_history(book)
    folded = h.fold().obligations
    found = receipts(h.events, h.book, CAL, "P1")
    assert set(found) == set(folded) and len(found) >= 5
    for oid, rc in found.items():
        assert (rc.due, rc.provisional) == (folded[oid].due, folded[oid].provisional), oid
        assert rc.steps[-1].date == rc.due and rc.trigger is not None, oid
        assert sentence(rc, "zh") and sentence(rc, "en") and all(note(s, rc, "zh") for s in rc.steps)


def test_the_binhai_2022_set_up_dates_explain_as_fixed_dates():
    h = History("binhai", year=2022, opened="2022-04-20")
    folded = h.fold().obligations
    found = receipts(h.events, h.book, CAL, "P1")
    fixed = [rc for oid, rc in found.items() if rc.rule.type == "fixed_dates"]
    assert fixed and all(rc.reckoning.unit == "fixed" for rc in fixed)
    assert all(rc.due == folded[oid].due for oid, rc in found.items())
