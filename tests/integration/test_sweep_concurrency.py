"""Two processes sweeping the same database at once still make each notice exactly once."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from lifecycle.store.tables import notices
from lifecycle.store import Store

LIFECYCLE = str(Path(sys.executable).with_name("lifecycle"))


def many_signed_projects(lc, n: int) -> None:
    lc.ok("contractor", "add", "YG", "--name", "阳光社工")
    for k in range(n):
        station, project = f"S{k}", f"P{k}"
        lc.ok("station", "add", station, "--name", f"第{k}街道社会工作服务站", "--district", f"第{k % 3}区")
        lc.ok("project", "open", project, "--station", station, "--rulebook", "jinan", "--year", "2026",
              "--on", "2026-03-20")
        lc.ok("advance", project, "announce", "--on", "2026-04-01")
        lc.ok("advance", project, "award", "contractor=YG", "--on", "2026-04-28")
        lc.ok("advance", project, "sign", "--on", "2026-05-08")


def test_two_processes_sweeping_at_once_make_each_notice_exactly_once(lc, db_url):
    many_signed_projects(lc, 12)
    env = {**os.environ, "LIFECYCLE_ACTOR": "sweeper"}
    command = [LIFECYCLE, "--db", db_url, "check", "--as-of", "2026-06-20", "--json"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in runs]
    assert [p.returncode for p in runs] == [0, 0], [err.decode() for _, err in outputs]
    results = [json.loads(out) for out, _ in outputs]
    created = [(n["project"], n["obligation"], n["stage"]) for r in results for n in r["notices"]]
    assert len(created) == len(set(created)) == sum(r["created"] for r in results)
    # publication and filing escalated (each with the overdue notice its holder never had), staffing overdue
    assert len(created) == 12 * 5
    with Store(db_url).reading() as conn:
        assert conn.execute(select(func.count()).select_from(notices)).scalar() == len(created)


def test_the_unique_constraint_not_the_query_keeps_a_raced_notice_single(lc, db_url):
    from lifecycle.services.mailing import _insert_new
    many_signed_projects(lc, 1)
    lc.ok("check", "--as-of", "2026-06-20")
    store = Store(db_url)
    with store.reading() as conn:
        rows = [dict(r._mapping) for r in conn.execute(select(notices))]
    for row in rows:
        del row["id"]
    with store.transaction() as conn:   # what a second sweeper that read before our commit would insert
        assert _insert_new(conn, rows) == {}
    with store.reading() as conn:
        assert conn.execute(select(func.count()).select_from(notices)).scalar() == len(rows)
