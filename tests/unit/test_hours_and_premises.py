"""JN-hours (济南 三(五), 每周不少于24小时) and Binhai's premises (滨海 二(三), 5月底前), on the fold."""
from __future__ import annotations

from datetime import date

from test_obligations import History, staff


def test_community_hours_of_24_a_week_meet_jn_hours_and_23_are_a_finding():
    h = History("jinan", year=2025, opened="2025-02-10").through_sign("2025-03-01", "2025-03-05")
    h.add("staff", "2025-03-20", roster=staff("张三", "李四", "王五"))
    h.add("report", "2025-04-08", kind="monthly", period="2025-03", hours_per_week=24)
    assert not [f for f in h.fold().findings if f.rule == "JN-hours"]
    h.add("report", "2025-05-08", kind="monthly", period="2025-04", hours_per_week=23)
    found = [f for f in h.fold().findings if f.rule == "JN-hours"]
    assert len(found) == 1 and "23 hours a week" in found[0].text and found[0].basis == "JN-hours: 济南 三(五)"


def test_binhais_premises_are_due_by_the_end_of_may_2022_and_met_by_recording_them():
    p = History("binhai", year=2022, opened="2022-04-20").fold()
    assert (p.obligations["premises:2022"].due, p.obligations["premises:2022"].status) == (date(2022, 5, 31), "open")
    p = History("binhai", year=2022, opened="2022-04-20").add("premises", "2022-05-30", area=120).fold()
    assert p.obligations["premises:2022"].status == "met" and p.premises_on == date(2022, 5, 30)
