"""`lifecycle replay`: what was true then (--as-of) and what the bureau knew then (--known-at)."""
from __future__ import annotations
from jinan_walk import ROSTER, at, parties


def walk(lc) -> None:
    """A Jinan project, each event recorded at 10:00 Shanghai time on the day it happened."""
    parties(lc, "2026-03-01 02:00:00")
    at(lc, "2026-03-20 02:00:00", "project", "open", "P1", "--station", "LX-JFL", "--rulebook", "jinan",
       "--year", "2026", "--on", "2026-03-20")
    at(lc, "2026-04-01 02:00:00", "advance", "P1", "announce", "--on", "2026-04-01")
    at(lc, "2026-04-28 02:00:00", "advance", "P1", "award", "contractor=YG", "--on", "2026-04-28")
    at(lc, "2026-05-08 02:00:00", "advance", "P1", "sign", "amount=600000", "--on", "2026-05-08")
    at(lc, "2026-06-01 02:00:00", "advance", "P1", "staff", f"roster={lc.write('roster.csv', ROSTER)}", "--on", "2026-06-01")
    at(lc, "2026-07-08 02:00:00", "advance", "P1", "report", "kind=monthly", "period=2026-06", "--on", "2026-07-08")
    lc.now = "2026-11-20 02:00:00"


def statuses(replayed: dict) -> dict[str, str]:
    return {o["id"]: o["status"] for o in replayed["obligations"]}


def test_replay_as_of_a_date_before_the_award_shows_the_procurement_of_that_day(lc):
    walk(lc)
    r = lc.ok("replay", "P1", "--as-of", "2026-04-20", "--json").json()
    assert r["state"] == "procurement" and r["as_of"] == "2026-04-20" and r["events_applied"] == 2
    assert "contract" not in statuses(r)
    assert r["verified"] is None


def test_replay_as_of_a_date_shows_duties_due_before_it_and_unmet_as_overdue(lc):
    walk(lc)
    r = lc.ok("replay", "P1", "--as-of", "2026-05-25", "--json").json()
    assert r["state"] == "contracted"
    seen = statuses(r)
    assert seen["contract"] == "met"          # signed 2026-05-08, within 30 days of the award
    assert seen["publication"] == "overdue"   # NAT-publication: 2 working days, never published
    assert all(not o["id"].startswith("briefing") for o in r["obligations"])


def test_replay_as_of_a_date_leaves_a_duty_met_later_open_not_met(lc):
    walk(lc)
    early = statuses(lc.ok("replay", "P1", "--as-of", "2026-07-05", "--json").json())
    late = statuses(lc.ok("replay", "P1", "--as-of", "2026-07-13", "--json").json())
    later = statuses(lc.ok("replay", "P1", "--as-of", "2026-08-14", "--json").json())
    assert early["briefing:2026-06"] == "open"       # due 2026-07-10, the report came on 07-08
    assert late["briefing:2026-06"] == "met"
    assert later["briefing:2026-07"] == "overdue"    # due 2026-08-10, never reported


def test_replay_known_at_before_a_correction_shows_the_data_as_first_recorded(lc):
    walk(lc)
    at(lc, "2026-09-01 02:00:00", "correct", "P1", "4", "amount=580000", "--reason", "合同金额录入错误")
    lc.now = "2026-11-20 02:00:00"
    then = lc.ok("replay", "P1", "--known-at", "2026-08-31T00:00:00+00:00", "--json").json()
    now = lc.ok("replay", "P1", "--json").json()
    assert then["amount"] == 600000 and now["amount"] == 580000
    assert then["known_at"] == "2026-08-31T00:00:00.000000+00:00"


def test_replay_known_at_a_moment_drops_events_recorded_after_it_even_if_effective_before(lc):
    walk(lc)
    # a monthly report effective in August but only recorded in October (back-dated)
    at(lc, "2026-10-20 02:00:00", "advance", "P1", "report", "kind=monthly", "period=2026-07", "--on", "2026-08-09")
    lc.now = "2026-11-20 02:00:00"
    knew = statuses(lc.ok("replay", "P1", "--known-at", "2026-10-01", "--as-of", "2026-09-30", "--json").json())
    true = statuses(lc.ok("replay", "P1", "--as-of", "2026-09-30", "--json").json())
    assert knew["briefing:2026-07"] == "overdue"
    assert true["briefing:2026-07"] == "met"


def test_replay_as_of_before_a_corrected_effective_date_leaves_the_corrected_event_out(lc):
    walk(lc)
    before = lc.ok("replay", "P1", "--as-of", "2026-05-10", "--json").json()
    at(lc, "2026-09-01 02:00:00", "correct", "P1", "4", "--on", "2026-05-12", "--reason", "签订日期录入错误")
    lc.now = "2026-11-20 02:00:00"
    after = lc.ok("replay", "P1", "--as-of", "2026-05-10", "--json").json()
    known_before = lc.ok("replay", "P1", "--as-of", "2026-05-10", "--known-at", "2026-08-01", "--json").json()
    assert before["state"] == "contracted"
    assert after["state"] == "awarded"
    assert known_before["state"] == "contracted"
    on_the_day = lc.ok("replay", "P1", "--as-of", "2026-05-12", "--json").json()
    assert on_the_day["state"] == "contracted" and on_the_day["signed_on"] == "2026-05-12"


def test_replay_shows_the_findings_of_checks_as_of_then(lc):
    lc.ok("station", "add", "DY-1", "--name", "东城街道社会工作服务站", "--district", "东营区")
    lc.ok("contractor", "add", "HX", "--name", "东营市和谐社会工作服务中心", "--credit-code", "52370102MJD1234562",
          "--district", "东营区")
    lc.ok("project", "open", "D1", "--station", "DY-1", "--rulebook", "dongying", "--year", "2025", "--on", "2025-03-10")
    lc.ok("advance", "D1", "announce", "--on", "2025-03-20")
    lc.ok("advance", "D1", "award", "contractor=HX", "--on", "2025-04-10")
    lc.ok("advance", "D1", "sign", "amount=100000", "--on", "2025-04-15")
    before = lc.ok("replay", "D1", "--as-of", "2025-04-14", "--json").json()
    after = lc.ok("replay", "D1", "--as-of", "2025-04-15", "--json").json()
    assert before["findings"] == []
    assert [f["rule"] for f in after["findings"]] == ["DY-funding"]


def test_replay_refuses_a_known_at_that_is_not_a_timestamp(lc):
    walk(lc)
    r = lc("replay", "P1", "--known-at", "yesterday")
    assert r.exit_code == 2 and "P1" in r.stderr and "--known-at" in r.stderr


def test_replay_of_an_unknown_project_is_bad_input(lc):
    r = lc("replay", "NOPE")
    assert r.exit_code == 2 and "NOPE" in r.stderr
