"""`replay --verify` and `verify --all`: the log untouched, the projections and notices equal the replay."""
from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import delete, insert, update

from lifecycle.store.tables import notices
from lifecycle.store import Store, events, obligations, projects
from jinan_walk import ROSTER, at
from tamper import drop_append_only_guard


def walk(lc, pid: str = "P1", station: str = "LX-JFL") -> None:
    at(lc, "2026-03-01 02:00:00", "station", "add", station, "--name", "解放路街道社会工作服务站", "--district", "历下区")
    if pid == "P1":
        at(lc, "2026-03-01 02:00:00", "contractor", "add", "YG", "--name", "济南市历下区阳光社会工作服务中心",
           "--credit-code", "52370102MJD1234562")
    at(lc, "2026-03-20 02:00:00", "project", "open", pid, "--station", station, "--rulebook", "jinan",
       "--year", "2026", "--on", "2026-03-20")
    at(lc, "2026-04-01 02:00:00", "advance", pid, "announce", "--on", "2026-04-01")
    if pid == "P1":
        at(lc, "2026-04-28 02:00:00", "advance", pid, "award", "contractor=YG", "--on", "2026-04-28")
        at(lc, "2026-05-08 02:00:00", "advance", pid, "sign", "amount=600000", "--on", "2026-05-08")
        at(lc, "2026-06-01 02:00:00", "advance", pid, "staff", f"roster={lc.write('r.csv', ROSTER)}", "--on", "2026-06-01")
    lc.now = "2026-11-20 02:00:00"


def tamper(lc, statement) -> None:
    store = Store(lc.url)
    with store.transaction() as conn:
        drop_append_only_guard(conn)   # as an intruder with write access would, first
        conn.execute(statement)
    store.dispose()


def notice(lc, obligation: str, stage: str, due: str, as_of: str, created_at: str, status: str = "sent") -> None:
    tamper(lc, insert(notices).values(
        project_id="P1", obligation_id=obligation, stage=stage, recipient="purchaser", recipient_name="历下区民政局",
        email="mz@example.org", cc="[]", language="zh", subject=f"{obligation} {stage}", body_text="…", body_html="…",
        due=date.fromisoformat(due), as_of=date.fromisoformat(as_of), created_at=created_at, status=status,
        attempts=1))


def due(lc, obligation: str) -> str:
    return next(o["due"] for o in lc.ok("status", "P1", "--json").json()["obligations"] if o["id"] == obligation)


def verify(lc) -> tuple[int, dict]:
    r = lc("replay", "P1", "--verify", "--json")
    return r.exit_code, r.json()


def test_an_untouched_log_verifies(lc):
    walk(lc)
    code, out = verify(lc)
    assert code == 0 and out["verified"] is True and out["problems"] == []


def test_an_altered_event_is_named_and_verification_exits_1(lc):
    walk(lc)
    tamper(lc, update(events).where(events.c.project_id == "P1", events.c.seq == 4)
           .values(data=json.dumps({"amount": 60000, "term_months": 36})))
    r = lc("replay", "P1", "--verify")
    assert r.exit_code == 1
    assert "event 4" in r.stderr and "altered" in r.stderr and "P1" in r.stderr


def test_a_deleted_event_breaks_the_chain_at_the_gap(lc):
    walk(lc)
    tamper(lc, delete(events).where(events.c.project_id == "P1", events.c.seq == 3))
    code, out = verify(lc)
    assert code == 1 and "event 4" in out["problems"][0] and "missing" in out["problems"][0]


def test_a_stored_state_that_differs_from_the_replay_fails_verification(lc):
    walk(lc)
    tamper(lc, update(projects).where(projects.c.id == "P1").values(state="closed"))
    code, out = verify(lc)
    assert code == 1 and "state" in out["problems"][0]


def test_a_stored_snapshot_that_differs_from_the_replay_fails_verification(lc):
    walk(lc)
    with Store(lc.url).transaction() as conn:
        snap = json.loads(conn.execute(projects.select().where(projects.c.id == "P1")).first().snapshot)
    snap["amount"] = 1
    tamper(lc, update(projects).where(projects.c.id == "P1").values(snapshot=json.dumps(snap, ensure_ascii=False)))
    code, out = verify(lc)
    assert code == 1 and "amount" in out["problems"][0]


def test_an_edited_obligation_row_fails_verification(lc):
    walk(lc)
    tamper(lc, update(obligations).where(obligations.c.project_id == "P1", obligations.c.id == "publication")
           .values(status="met", met_on=date(2026, 5, 9)))
    code, out = verify(lc)
    assert code == 1 and "publication" in out["problems"][0]


def test_the_stored_snapshot_keeps_no_obligations_and_status_shows_the_rows(lc):
    walk(lc)
    with Store(lc.url).transaction() as conn:
        snap = json.loads(conn.execute(projects.select().where(projects.c.id == "P1")).first().snapshot)
    shown = lc.ok("status", "P1", "--json").json()["obligations"]
    assert "obligations" not in snap and shown
    assert [(o["due"], o["id"]) for o in shown] == sorted((o["due"], o["id"]) for o in shown)  # the fold's order
    assert lc.ok("replay", "P1", "--json").json()["obligations"] == shown


@pytest.mark.parametrize("column, value", [
    ("window_start", date(2026, 6, 2)), ("window_end", date(2027, 1, 1)), ("required", 7.5), ("progress", 3.0),
    ("setting", None), ("note", "改过"), ("match", '{"events": ["sign"]}')])
def test_an_edited_obligation_field_of_any_column_fails_verification_alike(lc, column, value):
    walk(lc)
    shown = lc.ok("status", "P1", "--json").json()["obligations"]
    duty = next(o for o in shown if o["window_start"] and o["match"])
    value = not duty["setting"] if column == "setting" else value
    tamper(lc, update(obligations).where(obligations.c.project_id == "P1", obligations.c.id == duty["id"])
           .values(**{column: value}))
    code, out = verify(lc)
    assert code == 1 and duty["id"] in out["problems"][0] and column in out["problems"][0]
    out = lc("verify", "--all", "--json").json()
    assert out["failed"] == ["P1"] and column in out["problems"][0]


def test_a_stored_snapshot_given_back_its_obligations_fails_verification(lc):
    walk(lc)
    with Store(lc.url).transaction() as conn:
        snap = json.loads(conn.execute(projects.select().where(projects.c.id == "P1")).first().snapshot)
    snap["obligations"] = lc.ok("replay", "P1", "--json").json()["obligations"]
    tamper(lc, update(projects).where(projects.c.id == "P1").values(snapshot=json.dumps(snap, ensure_ascii=False)))
    code, out = verify(lc)
    assert code == 1 and "obligations" in out["problems"][0]


def test_a_warranted_overdue_notice_verifies(lc):
    walk(lc)
    # NAT-publication: signed Fri 2026-05-08, due two working days later (Sat 05-09 is a 调休 working day)
    publication = due(lc, "publication")
    assert publication == "2026-05-11"
    notice(lc, "publication", "reminder", publication, "2026-05-08", "2026-05-08T09:00:00.000000+00:00")
    notice(lc, "publication", "overdue", publication, "2026-05-12", "2026-05-12T01:00:00.000000+00:00")
    notice(lc, "publication", "escalation", publication, "2026-05-27", "2026-05-27T01:00:00.000000+00:00")
    code, out = verify(lc)
    assert code == 0, out["problems"]


def test_a_notice_for_a_duty_the_log_never_owed_fails_verification(lc):
    walk(lc)
    notice(lc, "briefing:2030-01", "overdue", "2030-02-10", "2026-06-20", "2026-06-20T01:00:00.000000+00:00")
    code, out = verify(lc)
    assert code == 1 and "briefing:2030-01" in out["problems"][0] and "no such obligation" in out["problems"][0]


def test_a_notice_made_before_its_duty_was_recorded_fails_verification(lc):
    walk(lc)
    # the signing that starts the publication duty was recorded at 02:00 UTC
    notice(lc, "publication", "reminder", due(lc, "publication"), "2026-05-08", "2026-05-08T01:00:00.000000+00:00")
    code, out = verify(lc)
    assert code == 1 and "owes no such obligation" in out["problems"][0]


def test_a_reminder_weeks_before_the_window_fails_verification(lc):
    walk(lc)
    notice(lc, "filing", "reminder", due(lc, "filing"), "2026-05-08", "2026-05-08T03:00:00.000000+00:00")
    code, out = verify(lc)
    assert code == 1 and "reminder does not fit" in out["problems"][0]


def test_an_escalation_before_ten_working_days_overdue_fails_verification(lc):
    walk(lc)
    notice(lc, "publication", "escalation", due(lc, "publication"), "2026-05-20", "2026-05-20T01:00:00.000000+00:00")
    code, out = verify(lc)
    assert code == 1 and "escalation does not fit" in out["problems"][0]


def test_a_notice_for_a_duty_met_before_the_sweep_fails_verification(lc):
    walk(lc)
    notice(lc, "contract", "overdue", due(lc, "contract"), "2026-06-02", "2026-06-02T01:00:00.000000+00:00")
    code, out = verify(lc)
    assert code == 1 and "met on 2026-05-08" in out["problems"][0]


def test_a_later_correction_that_moves_the_due_date_does_not_make_an_old_notice_tampering(lc):
    walk(lc)
    old_due = due(lc, "publication")
    notice(lc, "publication", "overdue", old_due, "2026-05-12", "2026-05-12T01:00:00.000000+00:00")
    at(lc, "2026-09-01 02:00:00", "correct", "P1", "4", "--on", "2026-05-12", "--reason", "签订日期录入错误")
    lc.now = "2026-11-20 02:00:00"
    assert due(lc, "publication") > "2026-05-12" > old_due
    code, out = verify(lc)
    assert code == 0, out["problems"]
    # the same notice made after the correction was recorded could never have been warranted
    notice(lc, "filing", "overdue", old_due, "2026-05-12", "2026-09-02T01:00:00.000000+00:00")
    code, out = verify(lc)
    assert code == 1 and "notice 2 (overdue for filing" in out["problems"][0]


def test_verify_all_reports_every_project_with_a_summary_and_json(lc):
    walk(lc)
    walk(lc, "P2", "LX-QF")
    human = lc("verify", "--all")
    assert human.exit_code == 0
    assert "2 projects" in human.stdout and "2 verified, 0 failed" in human.stdout
    assert "verifying" in human.stderr
    tamper(lc, update(events).where(events.c.project_id == "P2", events.c.seq == 2).values(actor="someone else"))
    r = lc("verify", "--all", "--json")
    assert r.exit_code == 1
    out = r.json()
    assert (out["projects"], out["events"], out["verified"], out["failed"]) == (2, 7, 1, ["P2"])
    assert "P2" in out["problems"][0] and "event 2" in out["problems"][0]
    assert r.stderr == ""


def test_verify_all_catches_a_log_whose_projection_was_deleted(lc):
    walk(lc)
    tamper(lc, delete(obligations).where(obligations.c.project_id == "P1"))
    tamper(lc, delete(projects).where(projects.c.id == "P1"))
    out = lc("verify", "--all", "--json").json()
    assert out["failed"] == ["P1"] and "no projection" in out["problems"][0]


@pytest.mark.parametrize("breach", ["altered", "deleted", "state", "obligation"])
def test_in_chinese_a_failed_verification_is_told_in_chinese_and_its_json_is_the_english_one(lc, monkeypatch, breach):
    import re

    from test_bad_input import foreign_words
    walk(lc)
    statement = {
        "altered": update(events).where(events.c.project_id == "P1", events.c.seq == 4)
        .values(data=json.dumps({"amount": 60000, "term_months": 36})),
        "deleted": delete(events).where(events.c.project_id == "P1", events.c.seq == 3),
        "state": update(projects).where(projects.c.id == "P1").values(state="closed"),
        "obligation": update(obligations).where(obligations.c.project_id == "P1", obligations.c.id == "publication")
        .values(status="met", met_on=date(2026, 5, 9)),
    }[breach]
    tamper(lc, statement)
    english = lc("replay", "P1", "--verify", "--json")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LIFECYCLE_LANG", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    r = lc("replay", "P1", "--verify")
    assert r.exit_code == 1 and re.search(r"[\u4e00-\u9fff]", r.stderr)
    table = r.stdout.find("\n义务 ")
    told = r.stderr + r.stdout[:table if table >= 0 else None]  # the duties table after it lists obligation ids
    allowed = ["P1", "LX-JFL", "YG", "jinan", "publication", "state", "closed", "amount", "term_months", "sha256",
               *re.findall(r"[0-9a-f]{16,}", told)]
    for line in told.splitlines():
        line = re.sub(r"\b[a-z_]+(:[\w\-:]+)?\b", lambda m: "" if m[0].split(":")[0] in _IDS else m[0], line)
        assert foreign_words(line, allowed) == [], line
    assert lc("replay", "P1", "--verify", "--json").stdout == english.stdout


# identifiers a verification names as they are stored: obligation ids, event types, columns, states
_IDS = {"publication", "staffing", "briefing", "training", "supervision", "hours", "reports", "announce", "award", "sign", "staff", "open", "contract", "filing", "state", "closed",
        "in_service", "amount", "term_months", "snapshot", "status", "met", "met_on", "due", "data", "hash", "seq"}
