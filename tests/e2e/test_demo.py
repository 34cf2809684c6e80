"""`lifecycle init --demo`: a sample district with projects at every stage, through the real guards."""
from __future__ import annotations

from datetime import date

import pytest

from lifecycle.core.creditcode import problem
from lifecycle.demo.district import LAST_DEMO_DAY, PROJECTS, events_of
from conftest import Lifecycle

STAGES = {"plan_filed", "procurement", "awarded", "contracted", "in_service", "suspended", "terminated",
          "expired", "closed"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Lifecycle, str]:
    tmp = tmp_path_factory.mktemp("demo")
    lc = Lifecycle(f"sqlite:///{tmp / 'demo.db'}", tmp, now="2026-11-22 01:30:00")
    out = lc.ok("init", "--demo").stdout
    return lc, out


def test_the_demo_loads_projects_at_every_stage_of_the_lifecycle(demo):
    lc, _out = demo
    projects = lc.ok("project", "list", "--json").json()
    assert {p["project"] for p in projects} == set(PROJECTS)
    assert {p["state"] for p in projects} == STAGES
    assert {p["rulebook"] for p in projects} == {"jinan", "dongying"}


def test_the_demo_summary_shows_every_project_with_its_state_and_next_duty(demo):
    _lc, out = demo
    assert "next duty" in out and "历下区" not in out.splitlines()[0]
    for pid in PROJECTS:
        line = next(line for line in out.splitlines() if line.startswith(pid + " "))
        assert any(stage in line for stage in STAGES)
    assert "2026-11-11 OVERDUE" in out          # LX-2026-BTQ: contract 30 days after the award
    assert "lifecycle --db sqlite:///" in out and "status LX-2025-DMH" in out


def test_every_demo_project_verifies_against_its_replay(demo):
    lc, _out = demo
    result = lc.ok("verify", "--all", "--json").json()
    assert result["projects"] == len(PROJECTS) and result["failed"] == []


def test_the_demo_contractors_carry_valid_credit_codes(demo):
    lc, _out = demo
    contractors = lc.ok("contractor", "list", "--json").json()
    assert len(contractors) >= 6
    for c in contractors:
        assert problem(c["credit_code"]) is None, c
    assert sum(c["credit_code"].startswith("5") for c in contractors) >= 6


def test_the_demo_stations_are_the_lixia_streets_the_general_station_and_dongying(demo):
    lc, _out = demo
    stations = lc.ok("station", "list", "--json").json()
    names = {s["name"] for s in stations}
    assert {"解放路街道社会工作服务站", "舜华路街道社会工作服务站", "六户镇社会工作服务站"} <= names
    assert [s["id"] for s in stations if s["kind"] == "general"] == ["LX-ZZ"]
    assert len([s for s in stations if s["district"] == "历下区"]) == 15


def test_the_demo_has_duties_met_late_and_duties_overdue_now(demo):
    lc, _out = demo
    dmh = lc.ok("status", "LX-2025-DMH", "--json").json()
    late = [o for o in dmh["obligations"] if o["met_on"] and o["met_on"] > o["due"]]
    assert {o["id"] for o in late} >= {"filing", "briefing:2026-02"}
    overdue = lc.ok("deadlines", "--overdue", "--as-of", "2026-11-22", "--json").json()
    assert {"LX-2026-BTQ", "LX-2026-QCL", "DY-2025-HHL"} <= {d["project"] for d in overdue}


def test_the_jinan_general_station_and_the_street_stations_never_share_a_contractor(demo):
    lc, _out = demo
    projects = lc.ok("project", "list", "--json").json()
    general = {p["contractor"] for p in projects if p["station"] == "LX-ZZ"}
    streets = {p["contractor"] for p in projects if p["district"] == "历下区" and p["station"] != "LX-ZZ"
               and p["state"] not in ("closed", "expired", "terminated")}
    assert general == {"QC"} and not general & streets


def test_each_event_is_recorded_soon_after_it_took_effect_and_effective_dates_are_fixed(demo, tmp_path):
    # issue 10: a plausible recorded time (the first working day after the fact), not all at the load
    lc, _out = demo
    events = lc.ok("history", "LX-2025-WD", "--json").json()
    for e in events:
        lag = (date.fromisoformat(e["recorded"][:10]) - date.fromisoformat(e["effective"])).days
        assert 1 <= lag <= 7 and e["recorded"] <= "2026-11-22T01:30:59", e
    assert [e["recorded"] for e in events] == sorted(e["recorded"] for e in events)
    lc.ok("audit", "LX-2025-WD", "--out", str(tmp_path / "wd.html"))
    assert "days later" not in (tmp_path / "wd.html").read_text(encoding="utf-8")   # no backdated flag
    assert events[-1]["event"] == "evaluate" and events[-1]["data"]["result"] == "fail"
    assert {e["actor"] for e in events} == {"demo"}


def test_every_demo_event_is_effective_in_2022_to_2026_and_no_later_than_20_november_2026():
    days = [date.fromisoformat(day) for pid in PROJECTS for _event, day, _data in events_of(pid)]
    assert max(days) == LAST_DEMO_DAY
    assert min(days).year >= 2022


def test_the_demo_runs_a_first_deadline_sweep(demo):
    lc, out = demo
    assert "deadline sweep as of 2026-11-22:" in out
    assert "notice 1 in full:" in out
    assert lc.ok("notices", "--json").json()
