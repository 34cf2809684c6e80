"""Guards: each rule that refuses an event says why, citing its id and clause."""
from __future__ import annotations

from datetime import date

import pytest

from lifecycle.core import rulebook
from lifecycle.core.creditcode import check_character
from lifecycle.core.project import Project, Term
from lifecycle.core.roster import parse_roster
from lifecycle.core.guards import Holding, Market, check

ON = date(2026, 6, 1)
JN_HEAD = "name,role,age,education,qualified\n"
DY_HEAD = "name,role,age,education,qualified,certificate,source\n"


def staff(csv_text: str) -> list[dict]:
    return [s.as_dict() for s in parse_roster(csv_text)]


def project(**kw) -> Project:
    base = {"id": "P1", "station": "LX-JFL", "district": "历下区", "station_kind": "street"}
    return Project(**{**base, **kw})


def refusals(book: str, event: str, data: dict, p: Project | None = None, market: Market = Market(),
             on: date = ON) -> list[str]:
    return check(event, p or project(), data, rulebook.load(book), market, on)


def code(first17: str) -> str:
    return first17 + check_character(first17)


# -- JN-roster (济南 三(二)) -------------------------------------------------------------
def test_a_jinan_roster_of_three_young_graduates_two_of_them_qualified_passes():
    roster = staff(JN_HEAD + "张伟,lead,40,本科,是\n李娜,worker,28,大专,是\n王芳,worker,25,本科,否\n")
    assert refusals("jinan", "staff", {"roster": roster}) == []


def test_a_jinan_worker_aged_41_is_refused_because_40_zhousui_yixia_includes_40_only():
    roster = staff(JN_HEAD + "张伟,lead,41,本科,是\n李娜,worker,28,大专,是\n王芳,worker,40,本科,是\n")
    reasons = refusals("jinan", "staff", {"roster": roster})
    assert len(reasons) == 1
    assert "张伟 is 41" in reasons[0] and "JN-roster: 济南 三(二)" in reasons[0]


def test_a_jinan_roster_with_one_of_three_qualified_is_below_two_thirds():
    roster = staff(JN_HEAD + "张伟,lead,30,本科,是\n李娜,worker,28,大专,否\n王芳,worker,25,本科,否\n")
    assert refusals("jinan", "staff", {"roster": roster}) == [
        "1 of 3 staff hold a social-work qualification, at least 2/3 are required (JN-roster: 济南 三(二))"]


def test_a_jinan_roster_of_two_is_too_small_and_a_high_school_graduate_is_refused():
    roster = staff(JN_HEAD + "张伟,lead,30,高中,是\n李娜,worker,28,大专,是\n")
    reasons = refusals("jinan", "staff", {"roster": roster})
    assert any("the roster has 2 staff, at least 3" in r for r in reasons)
    assert any("张伟 lack(s) an associate degree" in r for r in reasons)


# -- DY-roster (东营 art. 12) -------------------------------------------------------------
DY_OK = DY_HEAD + "郑凯,lead,35,本科,是,否,contractor\n冯雪,worker,27,大专,是,否,contractor\n韩梅,worker,33,大专,否,否,town\n"


def test_a_dongying_roster_with_one_town_and_two_contractor_staff_aged_35_passes():
    assert refusals("dongying", "staff", {"roster": staff(DY_OK)}) == []


def test_a_dongying_roster_without_town_staff_is_refused():
    roster = staff(DY_OK.replace("town", "contractor"))
    reasons = refusals("dongying", "staff", {"roster": roster})
    assert reasons == ["0 staff come from the town, 1-2 are required (column source) (DY-roster: 东营 art. 12)"]


def test_a_dongying_roster_with_only_one_contractor_staff_member_is_refused():
    roster = staff(DY_OK.replace("冯雪,worker,27,大专,是,否,contractor", "冯雪,worker,27,大专,是,否,town"))
    reasons = refusals("dongying", "staff", {"roster": roster})
    assert any("1 staff come from the contractor, at least 2" in r for r in reasons)


def test_a_dongying_roster_with_three_town_staff_exceeds_the_town_share():
    roster = staff(DY_OK + "甲,worker,30,大专,是,否,town\n乙,worker,30,大专,是,否,town\n")
    assert any("3 staff come from the town, 1-2" in r for r in refusals("dongying", "staff", {"roster": roster}))


@pytest.mark.parametrize("age,certificate,ok", [
    (35, "否", True), (36, "否", False), (40, "是", True), (41, "是", False),
])
def test_dongying_hires_at_35_or_at_40_with_the_national_certificate(age, certificate, ok):
    roster = staff(DY_OK.replace("冯雪,worker,27,大专,是,否", f"冯雪,worker,{age},大专,是,{certificate}"))
    reasons = refusals("dongying", "staff", {"roster": roster})
    assert (reasons == []) is ok, reasons
    if not ok:
        assert f"冯雪 is {age}" in reasons[0] and "DY-roster: 东营 art. 12" in reasons[0]


def test_a_dongying_project_lead_without_a_qualification_is_refused():
    roster = staff(DY_OK.replace("郑凯,lead,35,本科,是", "郑凯,lead,35,本科,否"))
    assert any("project lead 郑凯 holds no social-work qualification" in r
               for r in refusals("dongying", "staff", {"roster": roster}))


# -- BH-roster and DG-roster ------------------------------------------------------------
@pytest.mark.parametrize("certified,ok", [(1, False), (2, True)])
def test_binhai_needs_two_certified_professionals(certified, ok):
    rows = "".join(f"员工{i},worker,30,本科,否,{'是' if i < certified else '否'}\n" for i in range(3))
    roster = staff("name,role,age,education,qualified,certificate\n" + rows)
    reasons = refusals("binhai", "staff", {"roster": roster})
    assert (reasons == []) is ok
    if not ok:
        assert reasons == ["1 staff hold a social-work certificate, at least 2 are required (BH-roster: 滨海 一(三))"]


@pytest.mark.parametrize("service,ok", [(4, False), (5, True)])
def test_dongguan_needs_a_service_post_worker_for_every_village(service, ok):
    rows = "甲,lead,30,本科,是,admin\n乙,worker,30,本科,是,admin\n"
    rows += "".join(f"服务{i},worker,30,大专,是,service\n" for i in range(service))
    roster = staff("name,role,age,education,qualified,post\n" + rows)
    reasons = refusals("dongguan", "staff", {"roster": roster}, project(villages=5))
    assert (reasons == []) is ok
    if not ok:
        assert "4 service-post social workers for 5 villages" in reasons[0] and "DG-roster: 东莞 三(三)5" in reasons[0]


def test_dongguan_needs_two_administrative_posts():
    roster = staff("name,role,age,education,qualified,post\n甲,lead,30,本科,是,admin\n乙,worker,30,本科,是,service\n")
    assert any("1 administrative-post social workers, at least 2" in r
               for r in refusals("dongguan", "staff", {"roster": roster}, project(villages=1)))


# -- contractors: JN-conflict, DY-exclusive, registration -----------------------------------
def holding(station: str, district: str, kind: str, contractor: str, pid: str = "P0") -> Holding:
    return Holding(pid, station, district, kind, contractor)


def test_jn_conflict_refuses_the_general_station_to_a_contractor_running_a_street_station():
    market = Market((holding("LX-DMH", "历下区", "street", "YG"),), {"id": "YG", "credit_code": None})
    general = project(station="LX-ZZ", station_kind="general")
    reasons = refusals("jinan", "award", {"contractor": "YG"}, general, market)
    assert reasons == ["contractor YG already runs a street station in 历下区 (LX-DMH, project P0) "
                       "(JN-conflict: 济南 四(二))"]


def test_jn_conflict_refuses_a_street_station_to_the_general_stations_contractor():
    market = Market((holding("LX-ZZ", "历下区", "general", "QC"),), {"id": "QC", "credit_code": None})
    assert "JN-conflict" in refusals("jinan", "award", {"contractor": "QC"}, project(), market)[0]


def test_jn_conflict_allows_one_contractor_on_many_street_stations_and_in_another_district():
    market = Market((holding("LX-DMH", "历下区", "street", "YG"), holding("SZ-ZZ", "市中区", "general", "YG")),
                    {"id": "YG", "credit_code": None})
    assert refusals("jinan", "award", {"contractor": "YG"}, project(), market) == []


def test_dy_exclusive_refuses_a_second_contractor_on_a_station():
    market = Market((holding("DY-WH", "东营区", "street", "FZ"),), {"id": "HK", "credit_code": None})
    p = project(station="DY-WH", district="东营区")
    reasons = refusals("dongying", "award", {"contractor": "HK"}, p, market)
    assert reasons == ["station DY-WH is already run by contractor FZ (project P0) (DY-exclusive: 东营 art. 22)"]


def test_dy_exclusive_lets_a_contractor_run_several_stations_in_one_county():
    market = Market((holding("DY-WH", "东营区", "street", "FZ"),), {"id": "FZ", "credit_code": None})
    p = project(station="DY-HHL", district="东营区")
    assert refusals("dongying", "award", {"contractor": "FZ"}, p, market) == []


def test_dy_exclusive_refuses_a_contractor_already_running_a_station_in_another_county():
    market = Market((holding("KL-XJ", "垦利区", "street", "FZ"),), {"id": "FZ", "credit_code": None})
    p = project(station="DY-HHL", district="东营区")
    reasons = refusals("dongying", "award", {"contractor": "FZ"}, p, market)
    assert reasons == ["contractor FZ already runs station KL-XJ in 垦利区; it may not also run one in 东营区 "
                       "(DY-exclusive: 东营 art. 22)"]


@pytest.mark.parametrize("book,first17,ok", [
    ("jinan", "52370102MJD30417X", True),    # social organisation (民政)
    ("jinan", "91370102MA3C6KR45", True),    # enterprise: JN-contractor allows it
    ("jinan", "12370102MB2855673", False),   # public institution (机构编制): refused
    ("dongying", "52370502MJF403916", True),
    ("dongying", "91370502MA3C6KR45", False),  # DY-contractor: a social-work organisation only
])
def test_the_contractors_registering_authority_is_read_from_its_credit_code(book, first17, ok):
    market = Market((), {"id": "C1", "credit_code": code(first17)})
    reasons = refusals(book, "award", {"contractor": "C1"}, project(district="某区"), market)
    assert (reasons == []) is ok, reasons


# -- terms and outcomes ----------------------------------------------------------------------
# Jinan's 3 years (JN-contract) is a check, not a cap: the national cap refuses (issue 10)
@pytest.mark.parametrize("book,rule", [("jinan", "NAT-term: 政府购买服务管理办法 art. 24"), ("dongying", "DY-term: 东营 art. 25"),
                                       ("national", "NAT-term: 政府购买服务管理办法 art. 24")])
def test_a_term_of_36_months_is_allowed_and_37_refused(book, rule):
    assert refusals(book, "sign", {"term_months": 36}) == []
    reasons = refusals(book, "sign", {"term_months": 37})
    assert any(rule in r and "37 months exceeds 36" in r for r in reasons)


def evaluated(*results: str) -> Project:
    p = project(district="东营区")
    p.evaluations = [{"seq": i + 5, "on": f"2026-0{i + 1}-10", "result": r, "by": None} for i, r in enumerate(results)]
    return p


def test_dy_outcome_pays_the_balance_only_after_a_passed_evaluation():
    balance = {"kind": "balance", "amount": 100000}
    assert refusals("dongying", "pay", balance, evaluated("pass")) == []
    assert refusals("dongying", "pay", balance, evaluated()) == [
        "the balance payment needs a passed evaluation, and none is recorded (DY-outcome: 东营 art. 29)"]
    assert "after the failed evaluation of 2026-02-10" in refusals("dongying", "pay", balance, evaluated("pass", "fail"))[0]
    assert refusals("dongying", "pay", {"kind": "advance", "amount": 1}, evaluated("fail")) == []


def test_dy_outcome_refuses_renewal_after_a_failed_evaluation():
    assert refusals("dongying", "renew", {"term_months": 36}, evaluated("good")) == []
    reasons = refusals("dongying", "renew", {"term_months": 36}, evaluated("fail"))
    assert reasons == ["renewal is not allowed after the failed evaluation of 2026-01-10 (DY-outcome: 东营 art. 29)"]


def test_jinan_has_no_balance_rule_so_a_balance_is_paid_without_an_evaluation():
    assert refusals("jinan", "pay", {"kind": "balance", "amount": 1}, evaluated()) == []


def test_a_term_cannot_expire_before_its_end():
    p = project()
    p.terms = [Term(1, date(2025, 6, 1), 12, date(2026, 6, 1))]
    assert refusals("jinan", "expire", {}, p, on=date(2026, 6, 1)) == []
    reasons = refusals("jinan", "expire", {}, p, on=date(2026, 5, 31))
    assert reasons == ["the term runs until 2026-06-01; it cannot expire on 2026-05-31 "
                       "(NAT-term-end: 本地设定 (非法定条款))"]
