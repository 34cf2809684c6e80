"""Many writers at once: 8 `lifecycle advance` processes on one project, on SQLite and PostgreSQL.

The test holds the database's write lock while the 8 start, so they all
arrive together, then lets go. On SQLite each writer takes the write lock at
BEGIN, so they queue (busy_timeout) and every one succeeds in turn. On
PostgreSQL each reads the head N and inserts N+1: the primary key admits one,
and the other seven are told the project changed under them (exit 1). Either
way the log holds each successful command's event exactly once and its chain
verifies.
"""
from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from conftest import Lifecycle
from processes import spawn_lifecycle, wait_until, waiting_on_lock, write_lock

WRITERS = 8
ROSTER = "name,role,age,education,qualified\n张伟,lead,32,本科,是\n李娜,worker,28,大专,yes\n王芳,worker,40,本科,no\n"


@pytest.fixture
def in_service(lc: Lifecycle) -> Lifecycle:
    """P1, a Jinan project in service since 2025 (dates a real clock has passed, for the subprocesses)."""
    lc.ok("station", "add", "LX-JFL", "--name", "解放路街道社会工作服务站", "--district", "历下区")
    lc.ok("contractor", "add", "YG", "--name", "济南市历下区阳光社会工作服务中心", "--credit-code", "52370102MJD1234562")
    lc.ok("project", "open", "P1", "--station", "LX-JFL", "--rulebook", "jinan", "--year", "2025", "--on", "2025-03-20")
    lc.ok("advance", "P1", "announce", "--on", "2025-04-01")
    lc.ok("advance", "P1", "award", "contractor=YG", "--on", "2025-04-28")
    lc.ok("advance", "P1", "sign", "amount=600000", "--on", "2025-05-08")
    lc.ok("advance", "P1", "staff", f"roster={lc.write('roster.csv', ROSTER)}", "--on", "2025-06-01")
    return lc


def test_eight_writers_on_one_project_each_win_a_sequence_number_once_or_hear_it_changed(in_service) -> None:
    lc = in_service
    head = lc.ok("status", "P1", "--json").json()["head_seq"]
    with write_lock(lc.url) as backend:
        writers = [spawn_lifecycle(lc.url, "advance", "P1", "training", "hours=2", "--on", "2025-12-01",
                                   actor=f"writer-{n}") for n in range(WRITERS)]
        wait_until(lambda: waiting_on_lock(lc.url, "events", [p.pid for p in writers]) == WRITERS,
                   "all eight writers waiting on the write lock", writers)
    outcomes = {f"writer-{n}": p.communicate(timeout=120) + (p.returncode,) for n, p in enumerate(writers)}

    won = sorted(actor for actor, (_out, _err, code) in outcomes.items() if code == 0)
    lost = {actor: err for actor, (_out, err, code) in outcomes.items() if code != 0}
    for actor, err in lost.items():
        assert outcomes[actor][2] == 1, f"{actor}: {err}"
        assert err.strip().startswith("project P1 changed under this command"), f"{actor}: {err}"
    if backend == "sqlite":
        assert len(won) == WRITERS, lost  # they queued: nobody failed for being busy
    else:
        assert len(won) == 1 and len(lost) == WRITERS - 1  # all read the same head; the key admitted one

    history = lc.ok("history", "P1", "--json").json()
    added = [e for e in history if e["seq"] > head]
    assert [e["seq"] for e in added] == list(range(head + 1, head + 1 + len(won)))
    # on PostgreSQL the connected role comes first, `--actor` beside it (lifecycle access)
    role = "" if backend == "sqlite" else f"{make_url(lc.url).username} "
    assert sorted(e["actor"] for e in added) == [f"{role}({w})" if role else w for w in won]
    assert lc.ok("replay", "P1", "--verify", "--json").json()["verified"] is True
    assert lc.ok("status", "P1", "--json").json()["head_seq"] == head + len(won)


def test_readers_are_not_held_up_by_a_writer_holding_the_lock(in_service) -> None:
    lc = in_service
    with write_lock(lc.url):
        for args in (("status", "P1", "--json"), ("history", "P1", "--json"), ("replay", "P1", "--verify", "--json"),
                     ("deadlines", "--json"), ("project", "list", "--json")):
            reader = spawn_lifecycle(lc.url, *args)
            out, err = reader.communicate(timeout=20)  # a reader queued on the lock would wait 30 s, then fail
            assert reader.returncode == 0, f"{args}: {err}"


def test_a_writer_waits_for_a_busy_database_instead_of_failing(in_service) -> None:
    lc = in_service
    with write_lock(lc.url):
        writer = spawn_lifecycle(lc.url, "advance", "P1", "report", "kind=monthly", "period=2025-06",
                                 "--on", "2025-07-03")
        wait_until(lambda: waiting_on_lock(lc.url, "events", [writer.pid]) == 1, "the writer waiting on the lock", [writer])
        assert writer.poll() is None
    out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
