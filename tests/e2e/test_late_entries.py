"""Paperwork arrives late (issue 10): late entries in effective order, voids, life after the term,
money and report periods that add up, and Jinan's 3-year term as a check."""
from __future__ import annotations

from jinan_walk import ROSTER, at, parties

DY_ROSTER = ("name,role,age,education,qualified,certificate,source\n郑凯,lead,39,本科,是,是,contractor\n"
             "冯雪,worker,27,大专,是,否,contractor\n韩梅,worker,33,大专,否,否,town\n")


def walk(lc, *sign: str) -> None:
    """A Jinan project in service since 1 June 2026, its June briefing filed (event 6); today 20 Nov 2026."""
    parties(lc, "2026-03-01 01:00:00")
    at(lc, "2026-03-20 02:00:00", "project", "open", "P1", "--station", "LX-JFL", "--rulebook", "jinan",
       "--year", "2026", "--on", "2026-03-20")
    at(lc, "2026-04-01 02:00:00", "advance", "P1", "announce", "--on", "2026-04-01")
    at(lc, "2026-04-28 02:00:00", "advance", "P1", "award", "contractor=YG", "--on", "2026-04-28")
    at(lc, "2026-05-08 02:00:00", "advance", "P1", "sign", *(sign or ("amount=600000",)), "--on", "2026-05-08")
    roster = lc.write("roster.csv", ROSTER)
    at(lc, "2026-06-01 02:00:00", "advance", "P1", "staff", f"roster={roster}", "--on", "2026-06-01")
    at(lc, "2026-07-08 02:00:00", "advance", "P1", "report", "kind=monthly", "period=2026-06", "--on", "2026-07-08")
    lc.now = "2026-11-20 09:00:00"


def obligation(snapshot: dict, oid: str) -> dict:
    return next(o for o in snapshot["obligations"] if o["id"] == oid)


def unchanged(lc, before: tuple) -> bool:
    return (lc.ok("history", "P1", "--json").json(), lc.ok("status", "P1", "--json").json()) == before


def state_of(lc) -> tuple:
    return lc.ok("history", "P1", "--json").json(), lc.ok("status", "P1", "--json").json()


# -- late entries -------------------------------------------------------------------------
def test_a_late_evaluation_lands_in_its_place_meets_its_duty_then_and_is_flagged_with_its_lag(lc, tmp_path):
    walk(lc)
    at(lc, "2026-09-01 02:00:00", "advance", "P1", "supervision", "hours=4", "--on", "2026-09-01")
    at(lc, "2026-10-10 02:00:00", "advance", "P1", "supervision", "hours=4", "--on", "2026-10-10")
    lc.now = "2026-11-05 02:00:00"
    done = lc.ok("advance", "P1", "evaluate", "result=pass", "--on", "2026-08-20", "--json").json()
    assert done["head_seq"] == 9 and done["last_effective"] == "2026-10-10"
    ev = obligation(done, "evaluation:T1-1")
    assert (ev["status"], ev["met_on"], ev["met_seq"]) == ("met", "2026-08-20", 9)
    assert done["evaluations"] == [{"seq": 9, "on": "2026-08-20", "result": "pass", "by": None}]
    assert lc.ok("replay", "P1", "--verify", "--json").json()["verified"] is True
    history = lc.ok("history", "P1", "--json").json()
    assert (history[-1]["effective"], history[-1]["recorded"][:10]) == ("2026-08-20", "2026-11-05")
    assert history[-1]["prev_hash"] == history[-2]["hash"]   # the chain keeps the order of recording
    before = lc.ok("replay", "P1", "--known-at", "2026-11-04T23:59:59+00:00", "--json").json()
    assert before["events_applied"] == 8 and before["evaluations"] == []
    as_of = lc.ok("replay", "P1", "--as-of", "2026-08-31", "--json").json()
    assert [e["seq"] for e in as_of["evaluations"]] == [9]   # effective by then, whenever it was entered
    out = tmp_path / "audit.html"
    lc.ok("audit", "P1", "--out", str(out))
    html = out.read_text(encoding="utf-8")
    assert "事件 9（绩效评估）生效日期为 2026-08-20，由 " in html and "于 2026-11-05 录入" in html
    assert "在生效 77 天后才记录" in html


def test_a_late_report_meets_its_briefing_as_of_its_effective_date(lc):
    walk(lc)
    at(lc, "2026-08-20 02:00:00", "advance", "P1", "training", "hours=4", "--on", "2026-08-20")
    lc.now = "2026-08-21 02:00:00"
    done = lc.ok("advance", "P1", "report", "kind=monthly", "period=2026-07", "--on", "2026-08-06", "--json").json()
    briefing = obligation(done, "briefing:2026-07")
    assert (briefing["status"], briefing["met_on"]) == ("met", "2026-08-06")   # due 10 Aug: met on time
    assert lc.ok("replay", "P1", "--verify", "--json").json()["verified"] is True


def test_a_late_suspend_that_would_make_a_later_report_illegal_is_refused_naming_it(lc):
    walk(lc)
    before = state_of(lc)
    r = lc("advance", "P1", "suspend", "reason=站点改造", "--on", "2026-07-01")
    assert r.exit_code == 1 and r.stdout == ""
    assert "project P1" in r.stderr and "event 6 (report" in r.stderr and "suspended" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert unchanged(lc, before)


def test_a_late_entry_is_judged_in_the_state_of_its_day_and_never_before_the_opening(lc):
    walk(lc)
    r = lc("advance", "P1", "training", "hours=4", "--on", "2026-05-20")   # not yet in service then
    assert r.exit_code == 1 and "not allowed in state contracted on 2026-05-20" in r.stderr
    r = lc("advance", "P1", "announce", "--on", "2026-03-01")
    assert r.exit_code == 1 and "before the project opened (2026-03-20)" in r.stderr


# -- voids ----------------------------------------------------------------------------------
def test_a_duplicate_report_voided_leaves_the_duty_met_by_the_remaining_one(lc, tmp_path):
    walk(lc)
    at(lc, "2026-10-01 02:00:00", "advance", "P1", "report", "kind=midterm", "--on", "2026-10-01")
    at(lc, "2026-10-02 02:00:00", "advance", "P1", "report", "kind=midterm", "--on", "2026-10-02")
    assert obligation(lc.ok("status", "P1", "--json").json(), "midterm_report:T1")["met_seq"] == 7
    lc.now = "2026-10-03 02:00:00"
    done = lc.ok("correct", "P1", "7", "--void", "--reason", "重复录入", "--json").json()
    mid = obligation(done, "midterm_report:T1")
    assert (mid["status"], mid["met_on"], mid["met_seq"]) == ("met", "2026-10-02", 8)
    fix = lc.ok("history", "P1", "--json").json()[-1]
    assert fix["event"] == "correct" and fix["data"] == {"seq": 7, "reason": "重复录入", "void": True}
    assert lc.ok("replay", "P1", "--verify", "--json").json()["verified"] is True
    known = lc.ok("replay", "P1", "--known-at", "2026-10-02T23:00:00+00:00", "--json").json()
    assert obligation(known, "midterm_report:T1")["met_seq"] == 7   # before the void, the log still had it
    lc.ok("audit", "P1", "--out", str(tmp_path / "void.html"))
    html = (tmp_path / "void.html").read_text(encoding="utf-8")
    assert "重复录入" in html and "作废 void" in html


def test_a_report_is_replaced_by_voiding_it_then_recording_it_afresh(lc):
    walk(lc)
    r = lc("advance", "P1", "report", "kind=monthly", "period=2026-06", "--on", "2026-07-09")
    assert r.exit_code == 1 and "already recorded as event 6" in r.stderr and "--void" in r.stderr
    lc.ok("correct", "P1", "6", "--void", "--reason", "期间填错")
    assert obligation(lc.ok("status", "P1", "--json").json(), "briefing:2026-06")["status"] == "overdue"
    done = lc.ok("advance", "P1", "report", "kind=monthly", "period=2026-06", "--on", "2026-07-09", "--json").json()
    assert obligation(done, "briefing:2026-06")["met_seq"] == 8
    r = lc("correct", "P1", "6", "title=x", "--reason", "again")
    assert r.exit_code == 1 and "was voided by event 7" in r.stderr


def test_voiding_the_only_award_of_a_project_in_service_is_refused_and_nothing_written(lc):
    walk(lc)
    before = state_of(lc)
    r = lc("correct", "P1", "3", "--void", "--reason", "误录")   # the award
    assert r.exit_code == 1 and r.stdout == ""
    assert "project P1" in r.stderr and "event 4 (sign" in r.stderr and "procurement" in r.stderr
    assert unchanged(lc, before)
    r = lc("correct", "P1", "1", "--void", "--reason", "误录")
    assert r.exit_code == 1 and "cannot be voided" in r.stderr
    r = lc("correct", "P1", "6", "title=x", "--void", "--reason", "误录")
    assert r.exit_code == 2 and "retracts it whole" in r.stderr


# -- life after the term -----------------------------------------------------------------
def test_after_expiry_the_evaluation_and_balance_are_recorded_and_the_hand_over_lapses_what_is_open(lc):
    walk(lc, "amount=300000", "term_months=6")
    assert lc.ok("advance", "P1", "expire", "--on", "2026-11-09", "--json").json()["state"] == "expired"
    assert lc.ok("advance", "P1", "evaluate", "result=pass", "--on", "2026-11-12", "--json").json()["state"] == "expired"
    paid = lc.ok("advance", "P1", "pay", "kind=balance", "amount=100000", "--on", "2026-11-13", "--json").json()
    assert (paid["contract_amount"], paid["paid"]) == (300000, 100000)
    assert any(o["status"] == "overdue" for o in paid["obligations"])
    closed = lc.ok("advance", "P1", "hand_over", "--on", "2026-11-16", "--json").json()
    assert closed["state"] == "closed"
    statuses = {o["status"] for o in closed["obligations"]}
    assert "open" not in statuses and "overdue" not in statuses and "lapsed" in statuses
    assert obligation(closed, "briefing:2026-07")["status"] == "lapsed"
    assert [r for r in lc.ok("deadlines", "--overdue", "--json").json() if r["project"] == "P1"] == []
    assert [r for r in lc.ok("deadlines", "--json").json() if r["project"] == "P1"] == []
    swept = lc.ok("check", "--json").json()
    assert [n for n in swept["notices"] if n["project"] == "P1"] == []
    assert "LAPSED" in lc.ok("status", "P1").stdout
    assert lc.ok("replay", "P1", "--verify", "--json").json()["verified"] is True
    # JN-contract (济南 四(三)): a 6-month term is recorded as a finding, not refused
    findings = lc.ok("status", "P1", "--json").json()["findings"]
    assert [f["rule"] for f in findings] == ["JN-contract"] and "6 months" in findings[0]["text"]


def test_a_closed_project_takes_no_more_events(lc):
    walk(lc, "amount=300000", "term_months=6")
    lc.ok("advance", "P1", "expire", "--on", "2026-11-09")
    lc.ok("advance", "P1", "hand_over", "--on", "2026-11-16")
    r = lc("advance", "P1", "pay", "kind=balance", "amount=1", "--on", "2026-11-17")
    assert r.exit_code == 1 and "not allowed in state closed" in r.stderr


# -- money and periods ---------------------------------------------------------------------
def test_a_payment_over_the_contract_amount_is_refused_citing_the_contract(lc):
    walk(lc, "amount=150000")
    lc.ok("advance", "P1", "pay", "kind=advance", "amount=50000", "--on", "2026-07-10")
    before = state_of(lc)
    r = lc("advance", "P1", "pay", "kind=balance", "amount=500000", "--on", "2026-07-11")
    assert r.exit_code == 1 and r.stdout == "" and len(r.stderr.strip().splitlines()) == 1
    assert "project P1" in r.stderr and "550,000" in r.stderr and "150,000" in r.stderr and "contract" in r.stderr
    assert unchanged(lc, before)
    status = lc.ok("status", "P1", "--json").json()
    assert (status["contract_amount"], status["paid"]) == (150000, 50000)


def test_report_periods_in_the_future_or_outside_the_term_are_bad_input_and_nothing_is_written(lc):
    walk(lc)
    before = state_of(lc)
    r = lc("advance", "P1", "report", "kind=monthly", "period=2030-01", "--on", "2026-09-01")
    assert r.exit_code == 2 and "begins on 2030-01-01" in r.stderr and "project P1" in r.stderr
    r = lc("advance", "P1", "report", "kind=monthly", "period=2026-04", "--on", "2026-09-01")
    assert r.exit_code == 2 and "outside the contract's term" in r.stderr
    r = lc("advance", "P1", "report", "kind=monthly", "period=2026-06", "--on", "2026-09-01")
    assert r.exit_code == 1 and "already recorded as event 6" in r.stderr
    assert unchanged(lc, before)


def test_a_dongying_balance_before_a_passed_evaluation_is_refused(lc):
    lc.now = "2025-06-01 02:00:00"
    lc.ok("station", "add", "DY-WH", "--name", "文汇街道社会工作服务站", "--district", "东营区")
    lc.ok("contractor", "add", "FZ", "--name", "东营市福泽社会工作服务中心", "--credit-code", "52370500MJF226087X")
    lc.ok("project", "open", "DY1", "--station", "DY-WH", "--rulebook", "dongying", "--year", "2025",
          "--on", "2025-02-20")
    lc.ok("advance", "DY1", "announce", "--on", "2025-03-01")
    lc.ok("advance", "DY1", "award", "contractor=FZ", "--on", "2025-03-20")
    lc.ok("advance", "DY1", "sign", "amount=300000", "--on", "2025-03-25")
    lc.ok("advance", "DY1", "staff", f"roster={lc.write('dy.csv', DY_ROSTER)}", "--on", "2025-04-01")
    before = lc.ok("history", "DY1", "--json").json()
    r = lc("advance", "DY1", "pay", "kind=balance", "amount=10000", "--on", "2025-05-01")
    assert r.exit_code == 1 and r.stdout == "" and "DY-outcome: 东营 art. 29" in r.stderr and "DY1" in r.stderr
    assert lc.ok("history", "DY1", "--json").json() == before
    lc.ok("advance", "DY1", "evaluate", "result=pass", "--on", "2025-05-10")
    lc.ok("advance", "DY1", "pay", "kind=balance", "amount=10000", "--on", "2025-05-11")
