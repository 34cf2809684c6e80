"""Duties owed by the district (issue 10): one per district and period, however many projects it runs."""
from __future__ import annotations

import sqlalchemy as sa

from jinan_walk import ROSTER, at

STATIONS = [("LX-JFL", "解放路街道社会工作服务站"), ("LX-DMH", "大明湖街道社会工作服务站"), ("LX-QCL", "千佛山街道社会工作服务站")]


def three_projects(lc) -> None:
    """Three Jinan projects of 历下区, each in service through November 2026."""
    at(lc, "2026-03-01 01:00:00", "contractor", "add", "YG", "--name", "济南市历下区阳光社会工作服务中心",
       "--credit-code", "52370102MJD1234562")
    roster = lc.write("roster.csv", ROSTER)
    for n, (sid, name) in enumerate(STATIONS, start=1):
        at(lc, "2026-03-01 01:00:00", "station", "add", sid, "--name", name, "--district", "历下区")
        pid = f"P{n}"
        at(lc, "2026-03-20 02:00:00", "project", "open", pid, "--station", sid, "--rulebook", "jinan",
           "--year", "2026", "--on", "2026-03-20")
        at(lc, "2026-04-01 02:00:00", "advance", pid, "announce", "--on", "2026-04-01")
        at(lc, "2026-04-28 02:00:00", "advance", pid, "award", "contractor=YG", "--on", "2026-04-28")
        at(lc, "2026-05-08 02:00:00", "advance", pid, "sign", "amount=600000", "--on", "2026-05-08")
        at(lc, "2026-06-01 02:00:00", "advance", pid, "staff", f"roster={roster}", "--on", "2026-06-01")
    lc.now = "2026-12-03 02:00:00"


def test_one_district_with_three_projects_owes_one_annual_report_and_check_makes_one_notice(lc):
    three_projects(lc)
    for pid in ("P1", "P2", "P3"):
        owed = [o["id"] for o in lc.ok("status", pid, "--json").json()["obligations"]]
        assert not any(o.startswith(("district_report:", "plan:")) for o in owed)
    district = lc.ok("district", "status", "历下区", "--json").json()
    report = next(o for o in district["obligations"] if o["id"] == "district_report:2026")
    assert (report["status"], report["due"], report["projects"]) == ("overdue", "2026-11-30", ["P1", "P2", "P3"])
    plan = next(o for o in district["obligations"] if o["id"] == "plan:2026")
    assert (plan["status"], plan["met_by"]) == ("met", "project P1 event 1")   # the opening files the plan
    listed = [r for r in lc.ok("deadlines", "--overdue", "--json").json() if r["obligation"] == "district_report:2026"]
    assert len(listed) == 1 and listed[0]["project"] is None and listed[0]["district"] == "历下区"
    swept = lc.ok("check", "--json").json()
    notices = [n for n in swept["notices"] if n["obligation"] == "district_report:2026"]
    assert len(notices) == 1 and notices[0]["project"] == "district:历下区"
    assert lc.ok("check", "--json").json()["created"] == 0   # a second sweep makes it no second time
    done = lc.ok("district", "report", "历下区", "annual", "--period", "2026", "--on", "2026-12-02", "--json").json()
    met = next(o for o in done["obligations"] if o["id"] == "district_report:2026")
    assert (met["status"], met["met_on"], met["met_seq"]) == ("met", "2026-12-02", 1)
    assert not [r for r in lc.ok("deadlines", "--json").json() if r["obligation"] == "district_report:2026"]
    result = lc.ok("verify", "--all", "--json").json()
    assert result["failed"] == [] and result["districts"] == 1 and result["district_events"] == 1
    assert "历下区" in lc.ok("district", "status", "历下区").stdout


def test_a_district_report_twice_or_malformed_is_refused_and_nothing_written(lc):
    three_projects(lc)
    lc.ok("district", "report", "历下区", "annual", "--period", "2026", "--on", "2026-12-02")
    r = lc("district", "report", "历下区", "annual", "--period", "2026", "--on", "2026-12-02")
    assert r.exit_code == 1 and "event 1 of the district already files it" in r.stderr and r.stdout == ""
    r = lc("district", "report", "历下区", "quarterly", "--period", "2026-Q5", "--on", "2026-12-02")
    assert r.exit_code == 2 and "malformed" in r.stderr
    r = lc("district", "report", "历下区", "annual", "--period", "2027", "--on", "2026-12-02")
    assert r.exit_code == 2 and "begins on 2027-01-01" in r.stderr
    r = lc("district", "report", "无此区", "annual", "--period", "2026", "--on", "2026-12-02")
    assert r.exit_code == 2 and "unknown district 无此区" in r.stderr
    assert lc.ok("district", "status", "历下区", "--json").json()["head_seq"] == 1


def test_verify_all_finds_an_edited_district_event(lc, db_url):
    three_projects(lc)
    lc.ok("district", "report", "历下区", "annual", "--period", "2026", "--on", "2026-12-02")
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE district_events SET effective = :d"), {"d": "2026-11-02"})
    engine.dispose()
    r = lc("verify", "--all", "--json")
    assert r.exit_code == 1
    assert any("district 历下区: the hash chain breaks at event 1" in p for p in r.json()["problems"])
