"""`verify --all` in ranges and worker processes: the same verdicts as one process, project by project."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import delete, update

from conftest import Lifecycle
from lifecycle.audit.warrant import notice_problems
from lifecycle.core.events import effective_history
from lifecycle.core.project import fold
from lifecycle.core.project import fold_log
from lifecycle.audit.proof import notice_rows
from lifecycle.wiring import book_of, calendar_for
from lifecycle.store import Store, events, load_events, obligations, projects
from test_verify import notice, tamper, walk

STATIONS = ["LX-QF", "LX-DM", "LX-JS", "LX-YQ"]


def walk_five(lc) -> None:
    walk(lc)
    for i, station in enumerate(STATIONS, start=2):
        walk(lc, f"P{i}", station)


def verify_all(lc, *args: str) -> tuple[int, dict]:
    r = lc("verify", "--all", "--json", *args)
    return r.exit_code, r.json()


def test_two_jobs_find_the_same_tampered_project_as_one(lc):
    walk_five(lc)
    tamper(lc, update(events).where(events.c.project_id == "P4", events.c.seq == 2).values(actor="someone else"))
    one, two = verify_all(lc, "--jobs", "1"), verify_all(lc, "--jobs", "2")
    assert one == two
    code, out = two
    assert code == 1
    assert (out["projects"], out["verified"], out["failed"]) == (5, 4, ["P4"])
    assert "P4" in out["problems"][0] and "event 2" in out["problems"][0]


def test_two_jobs_count_every_event_of_every_project(lc):
    walk_five(lc)
    with Store(lc.url).reading() as conn:
        total = sum(len(load_events(conn, pid)) for pid in ["P1", "P2", "P3", "P4", "P5"])
    code, out = verify_all(lc, "--jobs", "2")
    assert code == 0 and out["events"] == total and out["verified"] == 5 and out["failed"] == []


def test_two_jobs_find_a_log_whose_projection_was_deleted_among_others(lc):
    walk_five(lc)
    tamper(lc, delete(obligations).where(obligations.c.project_id == "P3"))
    tamper(lc, delete(projects).where(projects.c.id == "P3"))
    for jobs in ("1", "2"):
        code, out = verify_all(lc, "--jobs", jobs)
        assert code == 1 and out["failed"] == ["P3"] and "no projection" in out["problems"][0]
        assert (out["projects"], out["verified"]) == (5, 4)


def test_two_jobs_name_a_failed_projection_and_an_orphaned_log_in_the_order_one_job_does(lc):
    walk_five(lc)
    tamper(lc, update(projects).where(projects.c.id == "P5").values(state="closed"))
    tamper(lc, delete(obligations).where(obligations.c.project_id == "P2"))
    tamper(lc, delete(projects).where(projects.c.id == "P2"))
    assert verify_all(lc, "--jobs", "1") == verify_all(lc, "--jobs", "2")
    assert verify_all(lc, "--jobs", "2")[1]["failed"] == ["P5", "P2"]


def test_the_progress_bar_is_shown_when_workers_verify(lc):
    walk_five(lc)
    human = lc("verify", "--all", "--jobs", "2")
    assert human.exit_code == 0
    assert "5 projects" in human.stdout and "5 verified, 0 failed" in human.stdout
    assert "verifying" in human.stderr


def test_jobs_must_be_at_least_one(lc):
    r = lc("verify", "--all", "--jobs", "0")
    assert r.exit_code == 2 and "--jobs" in r.stderr


def test_notices_made_at_many_moments_are_judged_as_a_fresh_fold_of_each_moment_would_judge_them(lc):
    walk(lc)
    # for every duty a reminder the day before it is due, an overdue notice the day after and an
    # escalation three weeks on: made before and after the events that start or meet the duty
    for duty, due in [(o["id"], o["due"]) for o in lc.ok("status", "P1", "--json").json()["obligations"]]:
        for stage, days in (("reminder", -1), ("overdue", 1), ("escalation", 21)):
            day = date.fromisoformat(due) + timedelta(days=days)
            notice(lc, duty, stage, due, day.isoformat(), f"{day.isoformat()}T01:00:00.000000+00:00")
    store = Store(lc.url)
    with store.reading() as conn:
        log, outbox = load_events(conn, "P1"), notice_rows(conn, "P1")
    book, cal = book_of(log[0].data), calendar_for(store)
    found = notice_problems(log, outbox, book, cal, fold_log(log, book, cal, "P1"))
    assert found == notice_problems(log, outbox, book, cal)
    assert found == _judged_one_by_one(log, outbox, book, cal)
    assert 0 < len(found) < len(outbox)  # some warranted, some not


def _judged_one_by_one(log, outbox, book, cal) -> list[str]:
    """Each notice against a fresh fold of the events recorded by its creation, as the check once ran."""
    from lifecycle.audit.warrant import _unwarranted, _utc
    problems = []
    for n in outbox:
        seen = [e for e in log if e.recorded <= _utc(n["created_at"])]
        why = _unwarranted(n, fold(effective_history(seen), book, cal, "P1").obligations, book, cal)
        if why:
            problems.append(f"project P1: notice {n['id']} ({n['stage']} for {n['obligation_id']}, "
                            f"as of {n['as_of'].isoformat()}) was never warranted: {why}")
    return problems


def test_replay_on_a_database_never_initialised_is_bad_input_and_creates_no_file(tmp_path):
    lc = Lifecycle(f"sqlite:///{tmp_path / 'none.db'}", tmp_path)
    r = lc("replay", "P1", "--verify")
    assert r.exit_code == 2 and r.stderr.strip().endswith("run `lifecycle init` first")
    assert not (tmp_path / "none.db").exists()


def test_replay_on_an_empty_database_file_is_bad_input(tmp_path):
    (tmp_path / "empty.db").write_bytes(b"")
    r = Lifecycle(f"sqlite:///{tmp_path / 'empty.db'}", tmp_path)("replay", "P1", "--verify")
    assert r.exit_code == 2 and r.stderr.strip().endswith("run `lifecycle init` first")


def test_an_edited_due_date_in_the_obligations_table_is_named_alike_by_replay_and_by_verify_all(lc):
    walk_five(lc)
    tamper(lc, update(obligations).where(obligations.c.project_id == "P1", obligations.c.id == "publication")
           .values(due=date(2026, 5, 29)))
    replayed = lc("replay", "P1", "--verify", "--json").json()["problems"][0]
    assert replayed == "project P1: obligation publication stored due='2026-05-29', replayed '2026-05-11'"
    for jobs in ("1", "2"):
        assert verify_all(lc, "--jobs", jobs)[1]["problems"] == [replayed]


def test_a_districts_tampered_projection_is_found_by_one_job_and_by_two_and_a_failed_project_excuses_it(lc):
    """The districts are verified by a worker while the others verify the projects; a district whose
    project failed its own proof is not judged on its projection (the project's failure names it)."""
    from lifecycle.store.tables import district_obligations, districts
    walk_five(lc)
    with Store(lc.url).reading() as conn:
        (name,) = {r.name for r in conn.execute(districts.select()) if r.snapshot != "{}"} or {None}
    assert name == "历下区"
    tamper(lc, update(district_obligations).where(district_obligations.c.district == name).values(status="met"))
    one, two = verify_all(lc, "--jobs", "1"), verify_all(lc, "--jobs", "2")
    assert one == two and one[0] == 1
    assert any(p.startswith("district 历下区: the district_obligations rows differ") for p in two[1]["problems"])
    tamper(lc, update(events).where(events.c.project_id == "P4", events.c.seq == 2).values(actor="someone else"))
    one, two = verify_all(lc, "--jobs", "1"), verify_all(lc, "--jobs", "2")
    assert one == two and one[1]["failed"] == ["P4"]
    assert not any(p.startswith("district") for p in two[1]["problems"])
