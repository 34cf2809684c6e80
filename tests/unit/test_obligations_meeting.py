"""Events meet obligations; exits, suspensions and roster changes waive what is no longer owed."""
from __future__ import annotations

from datetime import date

from lifecycle.core.obligations import Obligation
from test_obligations import History, staff

D = date


def dongying_in_service() -> History:
    # signed Thu 5 Mar 2025 for 36 months; staffed 20 Mar 2025
    h = History("dongying", year=2025, opened="2025-02-10").through_sign("2025-03-01", "2025-03-05")
    return h.add("staff", "2025-03-20", roster=staff("张三", "李四", "王五"))


def test_a_monthly_report_meets_that_months_briefing_and_no_other():
    p = dongying_in_service().add("report", "2025-05-08", kind="monthly", period="2025-04").fold()
    april = p.obligations["briefing:2025-04"]
    assert (april.status, april.met_on, april.met_seq) == ("met", D(2025, 5, 8), 6)
    assert p.obligations["briefing:2025-03"].status == "open"
    assert p.obligations["briefing:2025-05"].status == "open"


def test_training_hours_accumulate_per_person_within_the_service_year():
    h = dongying_in_service()
    h.add("training", "2025-04-10", hours=30, person="张三").add("training", "2025-06-10", hours=20, person="张三")
    h.add("training", "2026-03-06", hours=40, person="李四")  # falls in service year 2 (from 6 Mar 2026)
    p = h.fold()
    zhang = p.obligations["training:T1Y1:张三"]
    assert (zhang.progress, zhang.required, zhang.status, zhang.met_on) == (50, 48, "met", D(2025, 6, 10))
    assert p.obligations["training:T1Y1:李四"].progress == 0
    assert p.obligations["training:T1Y2:李四"].progress == 40
    assert p.obligations["supervision:T1Y1:张三"].progress == 0  # training is not supervision


def test_a_group_training_without_a_person_counts_for_every_staff_member():
    p = dongying_in_service().add("training", "2025-05-01", hours=48).fold()
    assert {p.obligations[f"training:T1Y1:{n}"].status for n in ("张三", "李四", "王五")} == {"met"}


def test_hours_are_prorated_for_someone_who_joins_mid_year():
    h = dongying_in_service()
    h.add("staff", "2025-09-10", roster=staff("张三", "李四", "王五", "赵六"))
    p = h.fold()
    # 赵六 serves 10 Sep 2025 to 5 Mar 2026 of service year 1: 6 started months -> 48 * 6 / 12 = 24 h
    assert p.obligations["training:T1Y1:赵六"].required == 24
    assert p.obligations["training:T1Y2:赵六"].required == 48


def test_a_leaver_owes_nothing_more_but_missed_past_hours_stay_owed():
    h = dongying_in_service()
    h.add("staff", "2026-04-01", roster=staff("张三", "李四", "赵六"))
    p = h.fold()
    assert p.obligations["training:T1Y1:王五"].status == "open"   # year 1 ended 5 Mar 2026 unmet
    assert p.obligations["training:T1Y2:王五"].status == "waived"


def test_two_dongying_evaluations_in_one_service_year_meet_both_of_its_evaluations():
    h = dongying_in_service().add("evaluate", "2025-06-01", result="pass").add("evaluate", "2025-08-01", result="good")
    h.add("evaluate", "2025-08-20", result="good")  # a third in year 1 does not reach into year 2
    p = h.fold()
    assert [p.obligations[f"evaluation:T1-{n}"].status for n in (1, 2, 3)] == ["met", "met", "open"]


def test_a_late_evaluation_meets_the_overdue_one_first():
    # JN: year 1 ends 15 Mar 2026 (-> Mon 16 Mar); an evaluation on 1 Apr 2026 is year 1's, late
    h = History("jinan", year=2025, opened="2025-02-10").through_sign("2025-03-10", "2025-03-15")
    p = h.add("staff", "2025-04-01", roster=staff("张三", "李四", "王五")).add("evaluate", "2026-04-01",
                                                                                 result="pass").fold()
    first = p.obligations["evaluation:T1-1"]
    assert (first.status, first.met_late()) == ("met", True)
    assert p.obligations["evaluation:T1-2"].status == "open"


def test_termination_waives_future_service_duties_and_opens_the_hand_over():
    h = dongying_in_service().add("terminate", "2025-07-15", reason="failed inspection")
    p = h.fold()
    assert p.obligations["briefing:2025-06"].status == "open"       # June was served: still owed
    assert p.obligations["briefing:2025-07"].status == "waived"     # July ran past the exit
    assert p.obligations["evaluation:T1-1"].status == "waived"
    assert p.obligations["training:T1Y1:张三"].status == "waived"
    assert p.obligations["filing"].status == "open"                 # the signed contract still owes filing
    assert p.obligations["term_decision:T1"].status == "met"
    assert p.obligations["handover"].status == "open"
    p2 = h.add("hand_over", "2025-08-01").fold()
    assert (p2.obligations["handover"].status, p2.obligations["handover"].met_on) == ("met", D(2025, 8, 1))


def test_no_hand_over_is_owed_when_the_project_ends_before_a_contract():
    h = History("dongying", year=2025, opened="2025-02-10").add("announce", "2025-03-01")
    p = h.add("terminate", "2025-03-10", reason="budget withdrawn").fold()
    assert "handover" not in p.obligations


def test_expiry_keeps_the_final_reports_of_the_term():
    h = History("jinan", year=2025, opened="2025-02-10").through_sign("2025-03-10", "2025-03-15", 12)
    h.add("staff", "2025-04-01", roster=staff("张三", "李四", "王五"))
    p = h.add("expire", "2026-03-15").fold()
    assert p.obligations["final_report:T1"].status == "open"
    assert p.obligations["evaluation:T1-1"].status == "open"
    assert p.obligations["briefing:2026-03"].status == "open"   # the last month, 1-15 Mar, was served
    assert p.obligations["term_decision:T1"].status == "met"


def test_a_suspension_excuses_briefings_for_months_it_covers_whole():
    h = dongying_in_service().add("suspend", "2025-06-20", reason="deviation").add("resume", "2025-09-10")
    p = h.fold()
    assert p.obligations["briefing:2025-06"].status == "open"    # service ran 1-19 June
    assert p.obligations["briefing:2025-07"].status == "waived"
    assert p.obligations["briefing:2025-08"].status == "waived"
    assert p.obligations["briefing:2025-09"].status == "open"    # resumed 10 Sep
    assert p.obligations["training:T1Y1:张三"].status == "open"   # yearly hours are not excused


def test_while_suspended_the_coming_briefings_are_not_shown_as_owed():
    p = dongying_in_service().add("suspend", "2025-06-20", reason="deviation").fold()
    assert p.obligations["briefing:2025-07"].status == "waived"
    assert p.obligations["briefing:2027-01"].status == "waived"


def test_renewal_starts_the_next_terms_duties_the_day_the_first_ends():
    h = History("national", year=2025, opened="2025-02-10").through_sign("2025-03-10", "2025-03-15", 12)
    h.add("staff", "2025-04-01", roster=staff("张三", "李四"))
    p = h.add("renew", "2026-03-01", term_months=12).fold()
    assert p.obligations["term_decision:T1"].status == "met"
    assert p.obligations["term_decision:T2"].due == D(2027, 3, 15)   # Mon 15 Mar 2027
    assert p.terms[-1].start == D(2026, 3, 15)


def test_dongying_qualification_is_met_when_every_staff_member_is_qualified():
    h = History("dongying", year=2025, opened="2025-02-10").through_sign("2025-03-01", "2025-03-05")
    h.add("staff", "2025-03-20", roster=staff("张三", "李四", "王五", qualified=False))
    assert h.fold().obligations["qualification"].status == "open"
    # 3 years from Wed 5 Mar 2025 -> Sun 5 Mar 2028: weekends alone -> Mon 6 Mar 2028
    p = h.add("staff", "2026-02-01", roster=staff("张三", "李四", "王五")).fold()
    ob = p.obligations["qualification"]
    assert (ob.status, ob.met_on, ob.basis) == ("met", D(2026, 2, 1), "DY-qualification: 东营 art. 12")


def test_binhai_2022_set_up_dates_bind_only_projects_of_that_year():
    p22 = History("binhai", year=2022, opened="2022-04-20").fold()
    # end of July 2022: Sun 31 Jul, a fixed date (7月底前): it does not roll
    assert p22.obligations["contract:2022"].due == D(2022, 7, 31)
    assert p22.obligations["plan:2022"].status == "met"
    assert not any(o.startswith("contract:") for o in History("binhai", year=2025).fold().obligations)


def test_dongguan_needs_a_monthly_visit_of_at_least_16_hours():
    h = History("dongguan", year=2025, opened="2025-02-10").through_sign("2025-03-01", "2025-03-05")
    h.add("staff", "2025-03-20", roster=staff("张三", "李四", "王五"))
    h.add("supervision", "2025-04-10", hours=8).add("supervision", "2025-05-12", hours=16)
    p = h.fold()
    assert p.obligations["supervision_visit:2025-04"].status == "open"   # 8 hours is not a visit
    assert p.obligations["supervision_visit:2025-05"].status == "met"


def test_an_obligation_survives_a_round_trip_through_plain_data():
    p = dongying_in_service().fold()
    for ob in p.obligations.values():
        assert Obligation.from_dict(ob.as_dict(D(2030, 1, 1))) == ob
