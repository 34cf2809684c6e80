"""Scripted walks through a Jinan and a Dongying project with every event of CLI.md, from the CLI."""
from __future__ import annotations

import re
import sqlite3

import pytest

from conftest import Lifecycle
from lifecycle.core.creditcode import check_character

JN_ROSTER = "name,role,age,education,qualified\n张伟,lead,32,本科,是\n李娜,worker,28,大专,yes\n王芳,worker,40,本科,no\n"
DY_ROSTER = ("name,role,age,education,qualified,certificate,source\n郑凯,lead,39,本科,是,是,contractor\n"
             "冯雪,worker,27,大专,是,否,contractor\n韩梅,worker,33,大专,否,否,town\n")
STATUS_KEYS = {"project", "station", "district", "rulebook", "state", "contractor", "term_end", "obligations"}
OBLIGATION_KEYS = {"id", "kind", "due", "status", "basis", "provisional"}
HISTORY_KEYS = {"seq", "event", "effective", "recorded", "actor", "data", "hash"}


def code(first17: str) -> str:
    return first17 + check_character(first17)


@pytest.fixture
def district(lc: Lifecycle) -> Lifecycle:
    lc.ok("station", "add", "LX-JFL", "--name", "解放路街道社会工作服务站", "--district", "历下区")
    lc.ok("station", "add", "DY-WH", "--name", "文汇街道社会工作服务站", "--district", "东营区")
    lc.ok("contractor", "add", "YG", "--name", "济南市历下区阳光社会工作服务中心", "--credit-code",
          code("52370102MJD123456"), "--district", "历下区")
    lc.ok("contractor", "add", "FZ", "--name", "东营市福泽社会工作服务中心", "--credit-code", code("52370500MJF226087"))
    return lc


def advance(lc: Lifecycle, pid: str, event: str, on: str, *pairs: str) -> dict:
    return lc.ok("advance", pid, event, *pairs, "--on", on, "--json").json()


def obligation(snap: dict, oid: str) -> dict:
    return next(o for o in snap["obligations"] if o["id"] == oid)


def assert_status_shape(snap: dict) -> None:
    assert STATUS_KEYS <= set(snap)
    for o in snap["obligations"]:
        assert OBLIGATION_KEYS <= set(o)
        assert o["status"] in ("open", "met", "overdue", "waived", "lapsed")
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", o["due"]) and isinstance(o["provisional"], bool)
        assert re.fullmatch(r"[A-Z]{2,3}-[\w+-]+: .+", o["basis"]), o["basis"]


def recorded_actor(lc: Lifecycle, display: str) -> str:
    """On PostgreSQL the actor is the role that connected with `--actor` beside it (`lifecycle access`)."""
    from sqlalchemy.engine import make_url
    return display if lc.url.startswith("sqlite") else f"{make_url(lc.url).username} ({display})"


def assert_history_and_replay(lc: Lifecycle, pid: str, events: list[str]) -> list[dict]:
    history = lc.ok("history", pid, "--json").json()
    assert [e["event"] for e in history] == ["open", *events]
    for seq, e in enumerate(history, start=1):
        assert HISTORY_KEYS <= set(e) and e["seq"] == seq and e["actor"] == recorded_actor(lc, "tester")
        assert re.fullmatch(r"[0-9a-f]{64}", e["hash"])
        assert e["recorded"].startswith("2026-11-20T09:00:00")
    replayed = lc.ok("replay", pid, "--verify", "--json").json()
    assert replayed["verified"] is True
    assert replayed["state"] == lc.ok("status", pid, "--json").json()["state"]
    assert "verified: the hash chain holds" in lc.ok("replay", pid, "--verify").stdout
    return history


def test_a_jinan_project_walks_through_every_event_to_closed(district: Lifecycle):
    lc = district
    roster = lc.write("jn.csv", JN_ROSTER)
    opened = lc.ok("project", "open", "JN1", "--station", "LX-JFL", "--rulebook", "jinan", "--year", "2025",
                   "--on", "2025-03-20", "--budget", "600000", "--json").json()
    assert (opened["state"], opened["station"], opened["district"], opened["rulebook"]) == (
        "plan_filed", "LX-JFL", "历下区", "jinan")
    assert advance(lc, "JN1", "announce", "2025-04-01")["state"] == "procurement"
    assert advance(lc, "JN1", "fail_tender", "2025-04-15", "reason=投标人不足三家")["tenders_failed"] == 1
    awarded = advance(lc, "JN1", "award", "2025-04-28", "contractor=YG")
    assert awarded["state"] == "awarded" and awarded["contractor"] == "YG"
    assert obligation(awarded, "contract")["due"] == "2025-05-28"   # NAT-contract: 30 days (art. 201: from the 29th)
    signed = advance(lc, "JN1", "sign", "2025-05-08", "amount=600000")
    assert signed["state"] == "contracted" and signed["term_end"] == "2028-05-08"  # 36 months by default
    assert obligation(signed, "publication")["due"] == "2025-05-12"  # 2 working days, over a weekend
    advance(lc, "JN1", "publish", "2025-05-09")
    filed = advance(lc, "JN1", "file_contract", "2025-05-15")
    assert [obligation(filed, k)["status"] for k in ("contract", "publication", "filing")] == ["met"] * 3
    staffed = advance(lc, "JN1", "staff", "2025-06-01", f"roster={roster}")
    assert staffed["state"] == "in_service" and obligation(staffed, "staffing")["status"] == "met"
    report = advance(lc, "JN1", "report", "2025-07-05", "kind=monthly", "period=2025-06")
    assert obligation(report, "briefing:2025-06")["status"] == "met"
    advance(lc, "JN1", "training", "2025-07-10", "hours=16", "person=张伟")
    advance(lc, "JN1", "supervision", "2025-08-01", "hours=8")
    assert advance(lc, "JN1", "pay", "2025-08-05", "kind=advance", "amount=200000")["payments"][0]["amount"] == 200000
    assert advance(lc, "JN1", "evaluate", "2026-05-01", "result=pass", "by=济南市社会工作协会")["state"] == "in_service"
    assert advance(lc, "JN1", "suspend", "2026-06-01", "reason=站点改造")["state"] == "suspended"
    assert advance(lc, "JN1", "pay", "2026-06-10", "kind=progress", "amount=100000")["state"] == "suspended"
    assert advance(lc, "JN1", "resume", "2026-07-01")["state"] == "in_service"
    renewed = advance(lc, "JN1", "renew", "2026-07-02", "term_months=12")
    assert renewed["term_end"] == "2029-05-08" and obligation(renewed, "term_decision:T1")["status"] == "met"
    failed = advance(lc, "JN1", "evaluate", "2026-08-01", "result=fail")
    assert failed["state"] == "terminated"     # JN-eval (济南 四(五)): fail terminates the contract
    closed = advance(lc, "JN1", "hand_over", "2026-08-20", "to=解放路街道办事处")
    assert closed["state"] == "closed"

    status = lc.ok("status", "JN1", "--json").json()
    assert_status_shape(status)
    assert (status["contractor"], status["term_end"]) == ("YG", "2029-05-08")
    # closed by the hand-over: a duty never met is no longer owed, it lapsed (issue 10)
    assert obligation(status, "briefing:2025-07")["status"] == "lapsed"
    assert obligation(status, "filing")["basis"] == "NAT-filing: 政府采购法 art. 47"
    history = assert_history_and_replay(lc, "JN1", [
        "announce", "fail_tender", "award", "sign", "publish", "file_contract", "staff", "report", "training",
        "supervision", "pay", "evaluate", "suspend", "pay", "resume", "renew", "evaluate", "hand_over"])
    assert history[7]["data"]["roster"][0]["name"] == "张伟" and history[7]["data"]["roster_file"] == "jn.csv"
    assert history[1]["prev_hash"] == history[0]["hash"]
    text = lc.ok("status", "JN1").stdout
    assert "解放路街道社会工作服务站" in text and "[closed]" in text and "LAPSED" in text and "OVERDUE" not in text


def test_a_dongying_project_walks_through_renewal_a_failed_evaluation_termination_and_hand_over(district: Lifecycle):
    lc = district
    roster = lc.write("dy.csv", DY_ROSTER)
    lc.ok("project", "open", "DY1", "--station", "DY-WH", "--rulebook", "dongying", "--year", "2025",
          "--on", "2025-02-20")
    advance(lc, "DY1", "announce", "2025-03-01")
    awarded = advance(lc, "DY1", "award", "2025-03-20", "contractor=FZ")
    # DY-contract (东营 art. 25): 10 days; day 10 is Sunday 30 March, so art. 203 moves it to Monday
    assert obligation(awarded, "contract")["due"] == "2025-03-31"
    assert obligation(awarded, "contract")["basis"] == "DY-contract: 东营 art. 25"
    assert not [o for o in awarded["obligations"] if o["basis"].startswith("NAT-contract")]
    signed = advance(lc, "DY1", "sign", "2025-03-28", "term_months=12", "amount=300000")
    assert signed["term_end"] == "2026-03-28"
    advance(lc, "DY1", "publish", "2025-03-31")
    advance(lc, "DY1", "file_contract", "2025-04-03")
    assert advance(lc, "DY1", "staff", "2025-04-10", f"roster={roster}")["state"] == "in_service"
    advance(lc, "DY1", "report", "2025-05-08", "kind=monthly", "period=2025-04")
    quarter = advance(lc, "DY1", "report", "2025-07-08", "kind=quarterly", "period=2025-Q2")
    # DY-county-report (东营 art. 38) is the county's duty, met here by the project's report (issue 10)
    assert not [o for o in quarter["obligations"] if o["kind"] == "quarterly_report"]
    county = lc.ok("district", "status", "东营区", "--json").json()
    assert obligation(county, "quarterly_report:2025-Q2")["status"] == "met"
    advance(lc, "DY1", "training", "2025-08-01", "hours=48")
    hours = advance(lc, "DY1", "supervision", "2025-08-02", "hours=48", "person=郑凯")
    assert obligation(hours, "training:T1Y1:冯雪")["status"] == "met"       # no person: every staff member
    assert obligation(hours, "supervision:T1Y1:郑凯")["status"] == "met"
    assert obligation(hours, "supervision:T1Y1:冯雪")["status"] == "overdue"  # person=郑凯 only
    advance(lc, "DY1", "evaluate", "2025-09-20", "result=pass", "by=东营市社会工作协会")
    advance(lc, "DY1", "pay", "2025-10-01", "kind=balance", "amount=100000")  # DY-outcome: after a pass
    assert advance(lc, "DY1", "renew", "2026-03-01", "term_months=12")["term_end"] == "2027-03-28"
    failed = advance(lc, "DY1", "evaluate", "2026-05-20", "result=fail")
    assert failed["state"] == "in_service"                  # DY-outcome records the failure, no stop
    # DY-1+N (东营 art. 9): the walk's station began its service with no sub-project; DY-outcome the failure
    assert [f["basis"] for f in failed["findings"]] == ["DY-1+N: 东营 art. 9, 22", "DY-outcome: 东营 art. 29"]
    refused = lc("advance", "DY1", "pay", "kind=balance", "amount=100000", "--on", "2026-05-21")
    assert refused.exit_code == 1 and "DY-outcome: 东营 art. 29" in refused.stderr
    assert advance(lc, "DY1", "suspend", "2026-05-22", "reason=限期整改")["state"] == "suspended"
    advance(lc, "DY1", "resume", "2026-06-22")
    ended = advance(lc, "DY1", "terminate", "2026-07-01", "reason=评估不合格，重新采购")
    assert ended["state"] == "terminated"
    assert obligation(ended, "handover")["due"] == "2026-08-12"   # DY-archives: 30 working days
    closed = advance(lc, "DY1", "hand_over", "2026-07-20", "to=文汇街道办事处")
    assert closed["state"] == "closed" and obligation(closed, "handover")["status"] == "met"

    status = lc.ok("status", "DY1", "--json").json()
    assert_status_shape(status)
    assert (status["rulebook"], status["district"], status["contractor"]) == ("dongying", "东营区", "FZ")
    assert_history_and_replay(lc, "DY1", [
        "announce", "award", "sign", "publish", "file_contract", "staff", "report", "report", "training",
        "supervision", "evaluate", "pay", "renew", "evaluate", "suspend", "resume", "terminate", "hand_over"])


def test_a_term_expires_on_its_last_day_and_not_before(district: Lifecycle):
    lc = district
    lc.ok("project", "open", "JN2", "--station", "LX-JFL", "--rulebook", "jinan", "--year", "2025", "--on", "2025-03-20")
    advance(lc, "JN2", "announce", "2025-04-01")
    advance(lc, "JN2", "award", "2025-04-28", "contractor=YG")
    advance(lc, "JN2", "sign", "2025-05-08", "term_months=12")
    advance(lc, "JN2", "staff", "2025-06-01", f"roster={lc.write('jn.csv', JN_ROSTER)}")
    early = lc("advance", "JN2", "expire", "--on", "2026-05-07")
    assert early.exit_code == 1
    assert early.stderr.strip() == ("project JN2: expire refused: the term runs until 2026-05-08; it cannot expire "
                                    "on 2026-05-07 (NAT-term-end: 本地设定 (非法定条款))")
    assert advance(lc, "JN2", "expire", "2026-05-08")["state"] == "expired"
    assert advance(lc, "JN2", "hand_over", "2026-05-20")["state"] == "closed"
    assert_history_and_replay(lc, "JN2", ["announce", "award", "sign", "staff", "expire", "hand_over"])


def test_diagram_prints_the_live_state_machine_as_mermaid(lc: Lifecycle):
    out = lc.ok("diagram").stdout
    assert out.startswith("stateDiagram-v2\n")
    for edge in ("plan_filed --> procurement: announce", "in_service --> suspended: suspend",
                 "suspended --> in_service: resume", "expired --> closed: hand_over",
                 "in_service --> terminated: evaluate [fail_terminates]"):
        assert edge in out
    assert lc.ok("diagram", "--format", "mermaid").stdout == out


# -- tampering ---------------------------------------------------------------------------------
@pytest.fixture
def walked(district: Lifecycle, db_url: str) -> tuple[Lifecycle, str]:
    lc = district
    lc.ok("project", "open", "JN3", "--station", "LX-JFL", "--rulebook", "jinan", "--year", "2026", "--on", "2026-03-20")
    advance(lc, "JN3", "announce", "2026-04-01")
    advance(lc, "JN3", "award", "2026-04-28", "contractor=YG")
    advance(lc, "JN3", "sign", "2026-05-08", "amount=600000")
    assert lc.ok("replay", "JN3", "--verify", "--json").json()["verified"] is True
    return lc, db_url[len("sqlite:///"):]


@pytest.mark.sqlite_only
def test_an_event_altered_by_hand_fails_verification_naming_the_event(walked):
    lc, path = walked
    with sqlite3.connect(path) as db:
        db.execute("DROP TRIGGER events_append_only_update")   # as an intruder with write access would
        db.execute("UPDATE events SET data = replace(data, '600000', '900000') WHERE project_id='JN3' AND seq=4")
    r = lc("replay", "JN3", "--verify")
    assert r.exit_code == 1
    assert "project JN3: the hash chain breaks at event 4" in r.stderr and "altered" in r.stderr
    out = lc("replay", "JN3", "--verify", "--json")
    assert out.exit_code == 1 and out.json()["verified"] is False
    assert lc("verify", "--all").exit_code == 1


@pytest.mark.sqlite_only
def test_a_deleted_event_fails_verification(walked):
    lc, path = walked
    with sqlite3.connect(path) as db:
        db.execute("DROP TRIGGER events_append_only_delete")   # as an intruder with write access would
        db.execute("DELETE FROM events WHERE project_id='JN3' AND seq=2")
    r = lc("replay", "JN3", "--verify")
    assert r.exit_code == 1
    assert "project JN3" in r.stderr and "event 3" in r.stderr


@pytest.mark.sqlite_only
def test_a_deleted_last_event_fails_verification_against_the_stored_projection(walked):
    lc, path = walked
    with sqlite3.connect(path) as db:
        db.execute("DROP TRIGGER events_append_only_delete")   # as an intruder with write access would
        db.execute("DELETE FROM events WHERE project_id='JN3' AND seq=4")
    r = lc("replay", "JN3", "--verify")
    assert r.exit_code == 1
    assert "project JN3: the log ends at 3 but the projection's head is 4 (the log was truncated" in r.stderr


@pytest.mark.sqlite_only
def test_a_projection_edited_by_hand_fails_verification(walked):
    lc, path = walked
    with sqlite3.connect(path) as db:
        db.execute("UPDATE obligations SET status='met' WHERE project_id='JN3' AND id='filing'")
    r = lc("replay", "JN3", "--verify")
    assert r.exit_code == 1 and "obligation filing" in r.stderr
