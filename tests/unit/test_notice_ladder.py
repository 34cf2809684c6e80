"""The ladder of stages, in working days, and the data that says who holds each duty."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lifecycle.core import rulebook
from lifecycle.core.calendar import WorkCalendar
from lifecycle.core import names
from lifecycle.notifications import addressing as duties
from lifecycle.notifications.ladder import Ladder

CAL = WorkCalendar()
LADDER = Ladder()   # N = 3, M = 10


def test_a_duty_due_just_before_national_day_is_reminded_overdue_and_escalated_on_working_days():
    due = date(2026, 9, 30)   # the last working day before the 1-7 October 2026 holiday
    assert LADDER.stage(due, date(2026, 9, 23), CAL) is None          # 24, 28, 29, 30 Sep: 4 working days
    assert LADDER.stage(due, date(2026, 9, 24), CAL) == "reminder"    # 25 Sep is 中秋, 26-27 a weekend: 3 left
    assert LADDER.stage(due, date(2026, 9, 30), CAL) == "reminder"    # due today
    assert LADDER.stage(due, date(2026, 10, 1), CAL) == "overdue"     # the day after, a holiday
    # 8, 9, 10 (调休 Saturday), 12-16, 19, 20 October: the 10th working day overdue is 20 Oct
    assert LADDER.stage(due, date(2026, 10, 20), CAL) == "overdue"
    assert LADDER.stage(due, date(2026, 10, 21), CAL) == "escalation"


def test_the_reminder_window_does_not_open_during_a_holiday_for_a_duty_due_after_it():
    due = date(2026, 10, 13)  # filing: 7 working days after signing on 28 September
    assert LADDER.stage(due, date(2026, 10, 3), CAL) is None          # 8, 9, 10, 12, 13: five working days
    assert LADDER.stage(due, date(2026, 10, 8), CAL) is None
    assert LADDER.stage(due, date(2026, 10, 9), CAL) == "reminder"    # 10 (调休), 12, 13


def test_a_late_first_look_lands_on_the_stage_of_its_date_only():
    due = date(2026, 5, 11)
    assert LADDER.stage(due, date(2026, 6, 20), CAL) == "escalation"


def test_rulebook_settings_change_the_ladder():
    short = Ladder.from_settings({"reminder_working_days": 1, "escalation_working_days": 2})
    due = date(2026, 11, 18)   # a Wednesday
    assert short.stage(due, date(2026, 11, 16), CAL) is None
    assert short.stage(due, date(2026, 11, 17), CAL) == "reminder"
    assert short.stage(due, date(2026, 11, 20), CAL) == "overdue"
    assert short.stage(due, date(2026, 11, 23), CAL) == "escalation"
    assert Ladder.from_settings(rulebook.load("jinan").settings) == Ladder(3, 10)


@settings(max_examples=300, deadline=None)
@given(today=st.dates(date(2025, 1, 1), date(2026, 12, 31)), offset=st.integers(-60, 30),
       n=st.integers(0, 5), m=st.integers(1, 15))
def test_the_due_date_bounds_the_query_uses_agree_with_the_ladder(today, offset, n, m):
    ladder = Ladder(n, m)
    due = today + timedelta(days=offset)
    b = ladder.bounds(today, CAL)
    by_bounds = (None if due > b.reminder_to else "reminder" if due >= b.today
                 else "overdue" if due >= b.escalate_before else "escalation")
    assert by_bounds == ladder.stage(due, today, CAL)


def test_every_obligation_kind_of_every_rulebook_has_a_holder_and_a_chinese_name():
    kinds = {"briefing", "midterm_report", "final_report", "annual_report", "evaluation", "term_decision"}
    for name in rulebook.available():
        for rule in rulebook.load(name).rules:
            if rule.get("obligation"):
                kinds.add(rule.get("obligation"))
            kinds |= {item["obligation"] for item in rule.get("dates") or ()}
    assert kinds - set(duties.HOLDER) == set()
    assert kinds - set(names.DUTIES) == set()


@pytest.mark.parametrize("kind, holder", [("filing", "purchaser"), ("publication", "purchaser"),
                                          ("quarterly_report", "purchaser"), ("briefing", "contractor"),
                                          ("handover", "contractor"), ("staffing", "contractor")])
def test_purchaser_duties_go_to_the_bureau_and_service_duties_to_the_contractor(kind, holder):
    assert duties.holder_of(kind, has_contractor=True) == holder


def test_a_service_duty_without_a_contractor_falls_to_the_purchaser():
    assert duties.holder_of("staffing", has_contractor=False) == "purchaser"


def test_duty_labels_say_the_period_and_the_person_in_chinese():
    assert names.duty_label("briefing", "briefing:2026-06", None, "zh") == "2026年6月月度工作简报"
    assert names.duty_label("training", "training:T1Y1:张伟", "张伟", "zh") == "培训（张伟）"
    assert names.duty_label("quarterly_report", "quarterly_report:2026-Q3", None, "zh") == "2026年第3季度季度工作情况报告"
    assert names.duty_label("filing", "filing", None, "en") == "filing the contract"


def test_letters_cite_the_documents_full_title_and_the_clause_as_written_and_dates_the_chinese_way():
    national, jinan, dongying = (rulebook.load(n) for n in ("national", "jinan", "dongying"))
    assert duties.citation(national, national.rule("NAT-publication"), "zh") == "《中华人民共和国政府采购法实施条例》第五十条"
    assert duties.citation(jinan, jinan.rule("JN-staffing"), "zh") == "《济南市街道（镇）社会工作服务站建设实施方案》四（四）"
    assert duties.citation(dongying, dongying.rule("DY-contract"), "zh") == "《东营市乡镇（街道）社会工作服务站管理办法》第二十五条"
    assert duties.citation(dongying, dongying.rule("DY-contract"), "en") == "东营 art. 25 (DY-contract)"
    assert names.chinese_date(date(2026, 11, 20)) == "2026年11月20日"
    assert duties.street_office("解放路街道社会工作服务站", "zh") == "解放路街道办事处"
    assert duties.street_office("龙居镇社工站", "zh") == "龙居镇人民政府"
