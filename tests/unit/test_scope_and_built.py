"""JN-scope (济南 三(五): 政府工作人员直接提供的保密事项、行政行为、管理及服务事项不得列入社工站服务内容)
on declared service content, and FJ-built (福建 引言: 有场地、有人员、有服务) as a station's status."""
from __future__ import annotations

from datetime import date

import pytest

from lifecycle.core import rulebook
from lifecycle.core.coverage import built_status
from lifecycle.core.eventdata import parse_event_data
from lifecycle.core.errors import BadInput
from lifecycle.core.guards import Market, check
from test_obligations import History, staff


def _jinan_in_service() -> History:
    h = History("jinan", year=2025, opened="2025-02-10").through_sign("2025-03-01", "2025-03-05")
    return h.add("staff", "2025-03-20", roster=staff("张三", "李四", "王五"))


@pytest.mark.parametrize("event,extra", [("service", {}), ("report", {"kind": "monthly", "period": "2025-03"})])
def test_jn_scope_admits_the_three_kinds_of_station_service_and_refuses_the_governments_own(event, extra):
    project, book = _jinan_in_service().fold(), rulebook.load("jinan")
    ok = check(event, project, {**extra, "content": ["professional", "talent", "governance"]}, book, Market(),
               date(2025, 4, 8))
    assert ok == []
    for outside in ("confidential", "administrative", "government_service"):
        reasons = check(event, project, {**extra, "content": ["professional", outside]}, book, Market(),
                        date(2025, 4, 8))
        assert len(reasons) == 1 and outside in reasons[0] and "JN-scope: 济南 三(五)" in reasons[0]


def test_jn_scope_is_jinans_alone_and_a_report_without_content_is_not_judged():
    h = History("fujian", year=2025, opened="2025-02-10").through_sign("2025-03-01", "2025-03-05")
    h.add("staff", "2025-03-20", roster=staff("张三", "李四", "王五"))
    assert check("service", h.fold(), {"content": ["administrative"]}, rulebook.load("fujian"), Market(),
                 date(2025, 4, 8)) == []
    assert check("report", _jinan_in_service().fold(), {"kind": "monthly", "period": "2025-03"},
                 rulebook.load("jinan"), Market(), date(2025, 4, 8)) == []


def test_declared_content_reads_codes_and_chinese_names_and_refuses_anything_else():
    data = parse_event_data("P1", "service", {"content": "专业社会工作服务、governance,professional"}, {})
    assert data["content"] == ["professional", "governance"]
    with pytest.raises(BadInput, match="content"):
        parse_event_data("P1", "service", {"content": "跳广场舞"}, {})
    with pytest.raises(BadInput, match="content"):
        parse_event_data("P1", "service", {}, {})


def _fujian() -> History:
    return History("fujian", year=2025, opened="2025-02-10").through_sign("2025-03-01", "2025-03-05")


def test_fj_built_needs_premises_staff_in_post_and_a_first_service_each_missing_one_is_not_built():
    assert rulebook.load("fujian").checks("built") and not rulebook.load("jinan").checks("built")
    h = _fujian()
    assert built_status(h.fold().snapshot())["missing"] == ["premises", "staff", "service"]
    h.add("premises", "2025-03-10", area=80)
    h.add("staff", "2025-03-20", roster=staff("张三", "李四"))
    s = built_status(h.fold().snapshot())
    assert (s["built"], s["missing"], s["premises"], s["staff"]) == (False, ["service"], "2025-03-10", "2025-03-20")
    h.add("service", "2025-03-25", content=["professional"])
    s = built_status(h.fold().snapshot())
    assert s["built"] is True and s["service"] == "2025-03-25" and s["missing"] == []


def test_fj_built_without_premises_or_once_the_project_has_ended_is_not_built():
    h = _fujian().add("staff", "2025-03-20", roster=staff("张三", "李四"))
    h.add("service", "2025-03-25", content=["professional"])
    assert built_status(h.fold().snapshot())["missing"] == ["premises"]
    h.add("premises", "2025-03-26").add("terminate", "2025-06-01", reason="x")
    assert built_status(h.fold().snapshot())["missing"] == ["staff"]   # no staff in post any more


def _dongying(*subs: str) -> History:
    h = History("dongying", year=2024, opened="2024-02-05").through_sign("2024-03-01", "2024-03-08")
    for i, name in enumerate(subs):
        h.add("subproject", "2024-03-09", name=name, budget=10000 + i)
    return h.add("staff", "2024-03-20", roster=staff("张三", "李四", "王五"))


@pytest.mark.parametrize("subs,flagged", [((), True), (("养老",), True), (("养老", "儿童"), False),
                                          (("养老", "儿童", "救助"), False)])
def test_dy_1_plus_n_fewer_than_two_sub_projects_when_the_service_begins_is_a_finding(subs, flagged):
    found = [f for f in _dongying(*subs).fold().findings if f.rule == "DY-1+N"]
    assert bool(found) is flagged
    if flagged:
        assert f"begins with {len(subs)} sub-project" in found[0].text and found[0].basis == "DY-1+N: 东营 art. 9, 22"
