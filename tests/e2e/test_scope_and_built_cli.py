"""JN-scope refuses declared service content outside the station's services, from the command
line; FJ-built shows in `status` and counts in `summary` only once premises, staff and a first
service are recorded."""
from __future__ import annotations

from jinan_walk import ROSTER


def _in_service(lc, rulebook: str, district: str) -> None:
    lc.ok("station", "add", "S1", "--name", "解放路街道社会工作服务站", "--district", district)
    lc.ok("contractor", "add", "C1", "--name", "阳光社会工作服务中心", "--credit-code", "52370102MJD1234562")
    lc.ok("project", "open", "P1", "--station", "S1", "--rulebook", rulebook, "--year", "2026", "--on", "2026-03-02")
    lc.ok("advance", "P1", "announce", "--on", "2026-03-10")
    lc.ok("advance", "P1", "award", "contractor=C1", "--on", "2026-04-01")
    lc.ok("advance", "P1", "sign", "--on", "2026-04-10")
    lc.ok("advance", "P1", "staff", f"roster={lc.write('roster.csv', ROSTER)}", "--on", "2026-04-20")


def test_a_service_declaring_an_administrative_act_is_refused_citing_jn_scope_and_writes_nothing(lc):
    _in_service(lc, "jinan", "历下区")
    before = lc.ok("history", "P1", "--json").json()
    r = lc("advance", "P1", "service", "content=professional,行政行为", "--on", "2026-05-06")
    assert r.exit_code != 0 and r.stdout == "" and "JN-scope" in r.stderr and "administrative" in r.stderr
    assert "P1" in r.stderr
    r = lc("advance", "P1", "report", "kind=monthly", "period=2026-04", "content=confidential", "--on", "2026-05-06")
    assert r.exit_code != 0 and "JN-scope" in r.stderr and "confidential" in r.stderr
    assert lc.ok("history", "P1", "--json").json() == before
    lc.ok("advance", "P1", "service", "content=专业社会工作服务,governance", "title=困境儿童探访", "--on", "2026-05-06")
    lc.ok("advance", "P1", "report", "kind=monthly", "period=2026-04", "content=talent", "--on", "2026-05-06")


def test_fj_built_counts_a_station_once_premises_staff_and_a_first_service_are_recorded(lc):
    _in_service(lc, "fujian", "鼓楼区")
    coverage = lambda: lc.ok("summary", "--as-of", "2026-06-01", "--json").json()["districts"][0]["coverage"]
    assert coverage()["built"]["count"] == 0           # staff in post alone is not built
    assert "built" not in lc.ok("status", "P1", "--json").json()   # shown once a service is recorded
    lc.ok("advance", "P1", "premises", "area=90", "--on", "2026-05-06")
    assert coverage()["built"]["count"] == 0           # no service recorded yet
    lc.ok("advance", "P1", "service", "content=professional", "--on", "2026-05-08")
    assert coverage()["built"] == {"stations": ["S1"], "count": 1, "rule": "FJ-built"}
    status = lc.ok("status", "P1").stdout
    assert "FJ-built" in status


def test_a_jinan_project_has_no_built_status(lc):
    _in_service(lc, "jinan", "历下区")
    assert "built" not in lc.ok("status", "P1", "--json").json()
    assert lc.ok("summary", "--as-of", "2026-06-01", "--json").json()["districts"][0]["coverage"]["built"] is None


def test_after_a_rebase_the_guards_of_later_events_are_the_new_rulebooks_and_earlier_ones_stay_judged(lc):
    _in_service(lc, "jinan", "历下区")
    # before the rebase day JN-scope governs: a late entry there is judged under Jinan's rules
    lc.ok("project", "rebase", "P1", "--rulebook", "national", "--on", "2026-05-01", "--reason", "改按国家规定执行")
    r = lc("advance", "P1", "service", "content=administrative", "--on", "2026-04-25")
    assert r.exit_code == 1 and "JN-scope" in r.stderr
    lc.ok("advance", "P1", "service", "content=administrative", "--on", "2026-05-06")   # national has no JN-scope
    assert lc("replay", "P1", "--verify").exit_code == 0
