"""`lifecycle correct`: corrections are appended, never edited in, and must replay."""
from __future__ import annotations

import pytest
from jinan_walk import ROSTER, at, parties


def walk(lc) -> None:
    """A Jinan project, each event recorded on the morning it happened (Shanghai time)."""
    parties(lc, "2026-03-01 01:00:00")
    at(lc, "2026-03-20 02:00:00", "project", "open", "P1", "--station", "LX-JFL", "--rulebook", "jinan",
       "--year", "2026", "--on", "2026-03-20")
    at(lc, "2026-04-01 02:00:00", "advance", "P1", "announce", "--on", "2026-04-01")
    at(lc, "2026-04-28 02:00:00", "advance", "P1", "award", "contractor=YG", "--on", "2026-04-28")
    at(lc, "2026-05-08 02:00:00", "advance", "P1", "sign", "amount=600000", "--on", "2026-05-08")
    roster = lc.write("roster.csv", ROSTER)
    at(lc, "2026-06-01 02:00:00", "advance", "P1", "staff", f"roster={roster}", "--on", "2026-06-01")
    at(lc, "2026-07-08 02:00:00", "advance", "P1", "report", "kind=monthly", "period=2026-06", "--on", "2026-07-08")
    lc.now = "2026-09-01 02:00:00"


def obligation(snapshot: dict, oid: str) -> dict:
    return next(o for o in snapshot["obligations"] if o["id"] == oid)


def test_a_correction_supersedes_the_amount_and_leaves_the_original_event_untouched(lc):
    walk(lc)
    before = lc.ok("history", "P1", "--json").json()
    lc.ok("correct", "P1", "4", "amount=580000", "--reason", "合同金额录入错误")
    after = lc.ok("history", "P1", "--json").json()
    assert after[:len(before)] == before
    fix = after[-1]
    assert fix["event"] == "correct" and fix["seq"] == 7 and fix["effective"] == "2026-09-01"
    assert fix["data"] == {"seq": 4, "reason": "合同金额录入错误", "data": {"amount": 580000}}
    assert lc.ok("status", "P1", "--json").json()["amount"] == 580000
    assert lc.ok("replay", "P1", "--verify", "--json").json()["verified"] is True


def test_a_corrected_signing_date_moves_the_deadlines_it_started_in_the_stored_obligations(lc):
    walk(lc)
    old = lc.ok("status", "P1", "--json").json()
    lc.ok("correct", "P1", "4", "--on", "2026-05-12", "--reason", "签订日期录入错误")
    new = lc.ok("status", "P1", "--json").json()
    assert new["signed_on"] == "2026-05-12"
    assert obligation(new, "publication")["due"] > obligation(old, "publication")["due"]
    assert obligation(new, "filing")["due"] > obligation(old, "filing")["due"]
    listed = {r["obligation"]: r["due"] for r in lc.ok("deadlines", "--json").json() if r["project"] == "P1"}
    assert listed["publication"] == obligation(new, "publication")["due"]
    assert lc.ok("replay", "P1", "--verify", "--json").json()["verified"] is True


def test_the_project_advances_after_a_correction_with_an_earlier_date_than_the_correction(lc):
    walk(lc)
    lc.ok("correct", "P1", "6", "title=六月简报", "--reason", "标题遗漏")
    # the correction is effective 2026-09-01, the report below 2026-08-10: real events still only
    # have to follow real events
    done = lc.ok("advance", "P1", "report", "kind=monthly", "period=2026-07", "--on", "2026-08-10", "--json").json()
    assert done["head_seq"] == 8
    assert obligation(done, "briefing:2026-07")["status"] == "met"
    assert lc.ok("replay", "P1", "--verify", "--json").json()["verified"] is True


def test_a_second_correction_of_the_same_event_applies_over_the_first(lc):
    walk(lc)
    lc.ok("correct", "P1", "4", "amount=580000", "--reason", "first")
    lc.ok("correct", "P1", "4", "amount=590000", "--on", "2026-05-09", "--reason", "second")
    status = lc.ok("status", "P1", "--json").json()
    assert (status["amount"], status["signed_on"]) == (590000, "2026-05-09")


def test_a_roster_correction_reads_the_new_roster_file(lc):
    walk(lc)
    roster = lc.write("roster2.csv", ROSTER.replace("王芳", "王芬"))
    lc.ok("correct", "P1", "5", f"roster={roster}", "--reason", "姓名录入错误")
    names = [s["name"] for s in lc.ok("status", "P1", "--json").json()["roster"]]
    assert names == ["张伟", "李娜", "王芬"]


@pytest.mark.parametrize(("args", "status", "says"), [
    (["1", "station=XX"], 1, "identity"),
    (["1", "rulebook=dongying"], 1, "identity"),
    (["99", "amount=1"], 2, "no event 99"),
    (["4", "colour=red"], 2, "does not take colour="),
    (["4", "amount=-5"], 2, "amount="),
    (["6", "period=2026-13"], 2, "malformed"),
    # effective order is the fold's (issue 10): only the opening bounds a corrected date from below
    (["4", "--on", "2026-03-01"], 1, "before the project opened"),
    (["4", "--on", "2026-12-01"], 1, "future"),
    (["4", "term_months=48"], 1, "NAT-term"),  # JN-contract's 3 years is a check now (issue 10)
    (["4"], 2, "changes nothing"),
])
def test_a_correction_that_is_malformed_or_would_not_replay_is_refused_and_nothing_is_written(lc, args, status, says):
    walk(lc)
    before = lc.ok("history", "P1", "--json").json()
    r = lc("correct", "P1", *args, "--reason", "test")
    assert r.exit_code == status, r.stderr
    assert says in r.stderr and "P1" in r.stderr
    assert lc.ok("history", "P1", "--json").json() == before


def test_correcting_a_correction_is_refused(lc):
    walk(lc)
    lc.ok("correct", "P1", "4", "amount=580000", "--reason", "first")
    r = lc("correct", "P1", "7", "amount=1", "--reason", "again")
    assert r.exit_code == 1 and "itself a correction" in r.stderr


def test_a_correction_that_breaks_the_state_table_later_in_the_history_is_refused(lc):
    walk(lc)
    at(lc, "2026-09-02 02:00:00", "advance", "P1", "evaluate", "result=pass", "--on", "2026-09-01")
    at(lc, "2026-09-10 02:00:00", "advance", "P1", "training", "hours=4", "--on", "2026-09-10")
    # JN-eval: a failed evaluation terminates the contract, so the later training could not have happened
    r = lc("correct", "P1", "7", "result=fail", "--reason", "评估结果应为不合格")
    assert r.exit_code == 1
    assert "does not replay" in r.stderr and "event 8 (training)" in r.stderr


def test_a_roster_correction_is_judged_by_the_roster_rule(lc):
    walk(lc)
    roster = lc.write("old.csv", ROSTER.replace("李娜,worker,28", "李娜,worker,45"))
    r = lc("correct", "P1", "5", f"roster={roster}", "--reason", "年龄")
    assert r.exit_code == 1 and "JN-roster" in r.stderr
