"""Many sweepers at once: 4 `lifecycle check` processes over one database make each notice exactly once.

The test holds the lock on the outbox while the four start, so they all read
the same candidates before any of them inserts; then lets go. On PostgreSQL
the unique (project, obligation, stage) constraint with ON CONFLICT DO NOTHING
decides who makes each notice; on SQLite the sweeps queue on the write lock
and the later ones find nothing left to do.
"""
from __future__ import annotations

import json

import pytest

from conftest import Lifecycle
from processes import spawn_lifecycle, wait_until, waiting_on_lock, write_lock

SWEEPERS = 4
AS_OF = "2026-01-15"
ROSTER = "name,role,age,education,qualified\n张伟,lead,32,本科,是\n李娜,worker,28,大专,yes\n王芳,worker,40,本科,no\n"


@pytest.fixture
def overdue_district(lc: Lifecycle) -> Lifecycle:
    """Four projects, three in service since 2025 with their reports and training unmet, one in procurement."""
    lc.ok("contractor", "add", "YG", "--name", "济南市历下区阳光社会工作服务中心", "--credit-code", "52370102MJD1234562")
    lc.ok("contact", "add", "--role", "purchaser", "--district", "历下区", "--name", "历下区民政局社工科",
          "--email", "sgk@lixia.example.cn")
    roster = lc.write("roster.csv", ROSTER)
    for n in range(1, 5):
        lc.ok("station", "add", f"S{n}", "--name", f"第{n}街道社会工作服务站", "--district", "历下区")
        lc.ok("project", "open", f"P{n}", "--station", f"S{n}", "--rulebook", "jinan", "--year", "2025",
              "--on", "2025-03-20")
        lc.ok("advance", f"P{n}", "announce", "--on", "2025-04-01")
        if n == 4:
            continue
        lc.ok("advance", f"P{n}", "award", "contractor=YG", "--on", "2025-04-28")
        lc.ok("advance", f"P{n}", "sign", "amount=600000", "--on", "2025-05-08")
        lc.ok("advance", f"P{n}", "staff", f"roster={roster}", "--on", "2025-06-01")
    return lc


def test_four_sweeps_at_once_make_each_notice_exactly_once(overdue_district: Lifecycle) -> None:
    lc = overdue_district
    with write_lock(lc.url, "notices"):
        sweepers = [spawn_lifecycle(lc.url, "check", "--as-of", AS_OF, "--json", actor=f"sweeper-{n}")
                    for n in range(SWEEPERS)]
        wait_until(lambda: waiting_on_lock(lc.url, "notices", [p.pid for p in sweepers]) == SWEEPERS,
                   "all four sweeps waiting on the outbox", sweepers)
    reports = []
    for p in sweepers:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        reports.append(json.loads(out))

    made = [n for r in reports for n in r["notices"]]
    stored = lc.ok("notices", "--json").json()
    assert len(stored) > 20  # enough notices that the sweeps really overlapped
    assert sorted(n["id"] for n in made) == sorted(n["id"] for n in stored)  # every notice made by exactly one
    keys = [(n["project"], n["obligation"], n["stage"]) for n in stored]
    assert len(keys) == len(set(keys))
    assert sum(r["created"] for r in reports) == len(stored)
    assert lc.ok("check", "--as-of", AS_OF, "--json").json()["created"] == 0
