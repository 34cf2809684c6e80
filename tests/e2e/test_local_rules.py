"""The missing rules of RULES.md, on both sides of each limit: DY-1+N and DY-accounts
(东营 arts. 9, 18, 22), DG-points (东莞 三(一)2); JN-hours and Binhai's premises are in tests/unit/test_hours_and_premises.py."""
from __future__ import annotations


def _dongying_awarded(lc) -> None:
    lc.ok("init")
    lc.ok("station", "add", "S1", "--name", "西城街道社会工作服务站", "--district", "东营区")
    lc.ok("contractor", "add", "C1", "--name", "黄河社工")
    lc.ok("contractor", "add", "C2", "--name", "胜利社工")
    lc.ok("project", "open", "P1", "--station", "S1", "--rulebook", "dongying", "--year", "2025", "--on", "2025-02-10")
    lc.ok("advance", "P1", "announce", "--on", "2025-03-01")
    lc.ok("advance", "P1", "award", "contractor=C1", "--on", "2025-03-20")


def test_one_two_and_three_sub_projects_are_taken_and_a_fourth_is_refused(lc):
    _dongying_awarded(lc)
    for n in (1, 2, 3):
        out = lc.ok("advance", "P1", "subproject", f"name=子项目{n}", "budget=20000", "--on", "2025-03-21", "--json")
        assert len(out.json()["subprojects"]) == n
    r = lc("advance", "P1", "subproject", "name=子项目4", "budget=20000", "--on", "2025-03-21")
    assert r.exit_code == 1 and r.stdout == ""
    assert "P1" in r.stderr and "at most 3" in r.stderr and "DY-1+N" in r.stderr


def test_a_sub_project_for_a_second_contractor_is_refused(lc):
    _dongying_awarded(lc)
    r = lc("advance", "P1", "subproject", "name=养老服务", "budget=20000", "contractor=C2", "--on", "2025-03-21")
    assert r.exit_code == 1 and "main project's contractor C1" in r.stderr and "DY-1+N" in r.stderr
    lc.ok("advance", "P1", "subproject", "name=养老服务", "budget=20000", "contractor=C1", "--on", "2025-03-21")


def test_each_sub_project_is_paid_within_its_own_budget(lc):
    _dongying_awarded(lc)
    lc.ok("advance", "P1", "subproject", "name=养老服务", "budget=20000", "--on", "2025-03-21")
    lc.ok("advance", "P1", "sign", "amount=300000", "--on", "2025-03-25")
    lc.ok("advance", "P1", "pay", "kind=advance", "amount=20000", "subproject=养老服务", "--on", "2025-04-01")
    r = lc("advance", "P1", "pay", "kind=progress", "amount=1", "subproject=养老服务", "--on", "2025-04-02")
    assert r.exit_code == 1 and "above its budget of 20,000" in r.stderr and "DY-accounts" in r.stderr
    r = lc("advance", "P1", "pay", "kind=progress", "amount=100", "subproject=儿童福利", "--on", "2025-04-02")
    assert r.exit_code == 1 and "no sub-project 儿童福利" in r.stderr


def _dongguan(lc) -> None:
    lc.ok("init")
    lc.ok("station", "add", "S1", "--name", "石龙镇社会工作服务站", "--district", "石龙镇", "--villages", "5")
    lc.ok("project", "open", "P1", "--station", "S1", "--rulebook", "dongguan", "--year", "2025", "--on", "2025-02-10")


def test_a_service_point_of_30_square_metres_is_taken_and_of_29_refused(lc):
    _dongguan(lc)
    r = lc("advance", "P1", "point", "villages=2", "area=29", "--on", "2025-02-11")
    assert r.exit_code == 1 and r.stdout == "" and "29 m² is below 30 m²" in r.stderr and "DG-points" in r.stderr
    out = lc.ok("advance", "P1", "point", "villages=2", "area=30", "--on", "2025-02-11", "--json").json()
    assert out["points"][0]["area"] == 30


def test_a_point_for_four_villages_needs_at_most_30000_residents_and_points_cover_only_the_stations_villages(lc):
    _dongguan(lc)
    r = lc("advance", "P1", "point", "villages=4", "area=40", "--on", "2025-02-11")
    assert r.exit_code == 1 and "at most 3 villages" in r.stderr
    lc.ok("advance", "P1", "point", "villages=4", "residents=30000", "area=40", "--on", "2025-02-11")
    r = lc("advance", "P1", "point", "villages=2", "area=40", "--on", "2025-02-12")
    assert r.exit_code == 1 and "cover 6 villages; the station has 5" in r.stderr
