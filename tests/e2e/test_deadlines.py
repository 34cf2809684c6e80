"""`status --json` and `deadlines --json` agree with due dates worked out by hand.

Calendar facts used (official schedule, checked with chinese_calendar.is_workday):
2025 Spring Festival 28 Jan-4 Feb, 调休 Sun 26 Jan; National Day 1-8 Oct, 调休 Sun 28 Sep + Sat 11 Oct.
2026 Spring Festival 15-23 Feb; Labour Day 1-5 May, 调休 Sat 9 May; Mid-autumn 25-27 Sep;
National Day 1-7 Oct, 调休 Sat 10 Oct. The CLI's clock is frozen at 2026-11-20.
"""
from __future__ import annotations

from datetime import date

import pytest

ROSTER = ("name,role,age,education,qualified,certificate,source,post\n"
          "张三,lead,30,本科,是,是,town,admin\n李四,worker,28,大专,是,是,contractor,admin\n"
          "王五,worker,33,本科,是,否,contractor,service\n")

# (project, rulebook, district, award, sign, {obligation: hand-computed due})
CASES = [
    # NAT 30 days: 20 Jan + 30 = Thu 19 Feb, Spring Festival -> Tue 24 Feb. Sign Sat 31 Jan:
    # Mon 2 (1), Tue 3 Feb (2); 4, 5, 6, 9, 10 Feb (3-7). Staffing: 31 Jan + 1 month = Sat 28 Feb (调休).
    ("JN1", "jinan", "历下区", "2026-01-20", "2026-01-31",
     {"contract": "2026-02-24", "publication": "2026-02-03", "filing": "2026-02-10", "staffing": "2026-02-28"}),
    # 22 Sep + 30 = Wed 22 Oct 2025. Sign Fri 26 Sep: Sun 28 调休 (1), Mon 29 (2), Tue 30 (3), 9, 10 Oct (4, 5),
    # Sat 11 调休 (6), Mon 13 (7). Staffing: Sun 26 Oct -> Mon 27 Oct.
    ("JN2", "jinan", "历下区", "2025-09-22", "2025-09-26",
     {"contract": "2025-10-22", "publication": "2025-09-29", "filing": "2025-10-13", "staffing": "2025-10-27"}),
    # DY 10 days: Thu 30 Jan 2025 (Spring Festival) -> Wed 5 Feb. Sign Fri 24 Jan: Sun 26 调休 (1), Mon 27 (2);
    # 5, 6, 7 Feb (3-5), Sat 8 调休 (6), Mon 10 (7).
    ("DY1", "dongying", "垦利区", "2025-01-20", "2025-01-24",
     {"contract": "2025-02-05", "publication": "2025-01-27", "filing": "2025-02-10"}),
    # DY 10 days: Mon 5 Oct 2026 (National Day) -> Thu 8 Oct. Sign Wed 30 Sep: Thu 8 (1), Fri 9 (2),
    # Sat 10 调休 (3), 12-15 Oct (4-7).
    ("DY2", "dongying", "垦利区", "2026-09-25", "2026-09-30",
     {"contract": "2026-10-08", "publication": "2026-10-09", "filing": "2026-10-15"}),
    # NAT: 21 Apr + 30 = Thu 21 May 2026. Sign Wed 29 Apr: Thu 30 (1), Wed 6 May (2), 7, 8 (3, 4),
    # Sat 9 调休 (5), 11, 12 (6, 7).
    ("NA1", "national", "历下区", "2026-04-21", "2026-04-29",
     {"contract": "2026-05-21", "publication": "2026-05-06", "filing": "2026-05-12"}),
]


@pytest.fixture
def district(lc):
    lc.ok("contractor", "add", "C1", "--name", "阳光社工")
    lc.ok("contractor", "add", "C2", "--name", "黄河社工")
    roster = lc.write("roster.csv", ROSTER)
    for pid, book, dist, award, sign, _ in CASES:
        lc.ok("station", "add", f"S-{pid}", "--name", f"{pid}街道社会工作服务站", "--district", dist)
        # DY2 is opened while 东民〔2022〕62号 is in force (to 14 Nov 2025, art. 45): a project
        # cannot be opened under it later
        opened = "2025-11-03" if pid == "DY2" else f"{award[:4]}-01-05"
        lc.ok("project", "open", pid, "--station", f"S-{pid}", "--rulebook", book, "--year", award[:4],
              "--on", opened)
        lc.ok("advance", pid, "announce", "--on", f"{award[:4]}-01-06")
        lc.ok("advance", pid, "award", "contractor=" + ("C2" if book == "dongying" else "C1"), "--on", award)
        lc.ok("advance", pid, "sign", "amount=600000", "--on", sign)
    lc.ok("advance", "JN2", "publish", "--on", "2025-09-29")
    lc.ok("advance", "JN2", "staff", f"roster={roster}", "--on", "2025-10-20")
    return lc


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_status_shows_each_duty_due_on_the_hand_computed_day(district, case):
    pid, book, dist, _award, _sign, expected = case
    status = district.ok("status", pid, "--json").json()
    assert (status["project"], status["district"], status["rulebook"]) == (pid, dist, book)
    got = {o["id"]: o for o in status["obligations"]}
    for oid, due in expected.items():
        assert got[oid]["due"] == due, oid
        assert got[oid]["provisional"] is False
        assert {"id", "kind", "due", "status", "basis", "provisional"} <= set(got[oid])
    assert got["contract"]["status"] == "met"
    # the clock is frozen at 2026-11-20: an unfiled contract from before is overdue
    assert got["filing"]["status"] == "overdue"


def test_a_staffing_met_early_and_a_publication_met_on_time_are_shown_as_met(district):
    got = {o["id"]: o for o in district.ok("status", "JN2", "--json").json()["obligations"]}
    assert (got["staffing"]["status"], got["staffing"]["met_on"]) == ("met", "2025-10-20")
    assert got["publication"]["status"] == "met"
    assert got["briefing:2025-10"]["due"] == "2025-11-10" and got["briefing:2025-10"]["status"] == "overdue"


def test_deadlines_list_open_duties_across_projects_most_overdue_first(district):
    rows = district.ok("deadlines", "--as-of", "2026-10-12", "--json").json()
    assert rows == sorted(rows, key=lambda r: (r["due"], r["project"]))
    for row in rows:
        assert {"project", "station", "district", "kind", "due", "days_overdue", "basis", "provisional"} <= set(row)
        assert row["days_overdue"] == max(0, (date(2026, 10, 12) - date.fromisoformat(row["due"])).days)
    dy2 = {r["kind"]: r for r in rows if r["project"] == "DY2"}
    assert (dy2["publication"]["due"], dy2["publication"]["days_overdue"]) == ("2026-10-09", 3)
    assert (dy2["filing"]["due"], dy2["filing"]["days_overdue"]) == ("2026-10-15", 0)
    assert dy2["filing"]["basis"] == "NAT-filing: 政府采购法 art. 47"
    assert "contract" not in dy2   # met on signing


def test_deadlines_overdue_keeps_only_duties_past_their_due_date(district):
    rows = district.ok("deadlines", "--as-of", "2026-10-12", "--overdue", "--json").json()
    assert rows and all(r["days_overdue"] > 0 for r in rows)
    assert ("DY2", "publication") in {(r["project"], r["kind"]) for r in rows}
    assert ("DY2", "filing") not in {(r["project"], r["kind"]) for r in rows}
    jn1_staffing = next(r for r in rows if r["project"] == "JN1" and r["kind"] == "staffing")
    assert jn1_staffing["days_overdue"] == (date(2026, 10, 12) - date(2026, 2, 28)).days


def test_deadlines_by_district_show_only_that_district(district):
    rows = district.ok("deadlines", "--as-of", "2026-10-12", "--district", "垦利区", "--json").json()
    assert {r["project"] for r in rows} == {"DY1", "DY2"}
    assert all(r["district"] == "垦利区" and r["station"] in ("S-DY1", "S-DY2") for r in rows)


def test_deadlines_without_json_print_a_table(district):
    out = district.ok("deadlines", "--as-of", "2026-10-12", "--district", "垦利区").stdout
    assert "DY2" in out and "2026-10-15" in out


def test_deadlines_as_of_a_past_date_still_list_a_duty_met_only_after_it(district):
    # JN2 published on 2025-09-29 (due 2025-09-29): on 2025-09-28 publication was still owed
    before = [r for r in district.ok("deadlines", "--as-of", "2025-09-28", "--json").json() if r["project"] == "JN2"]
    after = [r for r in district.ok("deadlines", "--as-of", "2025-09-30", "--json").json() if r["project"] == "JN2"]
    assert "publication" in {r["obligation"] for r in before}
    assert "publication" not in {r["obligation"] for r in after}
