"""How fast is the daily sweep? Not a test: prints figures and writes bench/results/sweep.txt.

One Jinan project is walked through the real services (open, announce,
award, sign, staff) into a temporary SQLite database; its projection (the
`projects` row with its full snapshot, and its 53 `obligations` rows) is then
copied for N projects across 50 districts. Every copy has its briefings and
reports met up to the sweep date but has never recorded the contract's
filing and publication: two long-overdue duties a project, the kind a real
district accumulates.

1. "many fall due": the first sweep escalates 2N duties: notices rendered
   (Jinja2, zh) and inserted per second;
2. "nothing new": the same sweep again (what the daemon does on a quiet day
   after a catch-up): every candidate already has its notice;
3. "next day": the sweep of the following working day (nothing new either).

    .venv/bin/python bench/sweep_bench.py --projects 40000
"""
from __future__ import annotations

import argparse
import json
import platform
import shlex
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

from sqlalchemy import func, insert, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lifecycle.store import migrate as schema  # noqa: E402
from lifecycle.services.sweep import sweep  # noqa: E402
from lifecycle.store.tables import notices  # noqa: E402
from lifecycle.services.reference import add_contractor, add_station  # noqa: E402
from lifecycle.core.clock import Clock  # noqa: E402
from lifecycle.services.projects import advance, open_project  # noqa: E402
from lifecycle.store import Store, obligations, projects, stations  # noqa: E402

AS_OF = date(2026, 11, 20)
NEXT_DAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 20, 0, 0, tzinfo=timezone.utc)
NEVER_RECORDED = {"filing", "publication"}
ROSTER = "name,role,age,education,qualified\n张伟,lead,32,本科,是\n李娜,worker,28,大专,yes\n王芳,worker,40,本科,no\n"


def template(store: Store, workdir: Path) -> tuple[dict, list[dict]]:
    """A real project, through the services: its projects row and obligations rows."""
    clock = Clock(today=AS_OF, now=NOW)
    add_station(store, "TPL", "解放路街道社会工作服务站", "历下区", "street", 0)
    add_contractor(store, "YG", "济南市历下区阳光社会工作服务中心", None, None)
    open_project(store, "TPL", "TPL", "jinan", 2026, date(2026, 3, 20), None, "bench", clock)
    roster = workdir / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    for event, on, data in (("announce", date(2026, 4, 1), {}), ("award", date(2026, 4, 28), {"contractor": "YG"}),
                            ("sign", date(2026, 5, 8), {}), ("staff", date(2026, 6, 1), {"roster": str(roster)})):
        advance(store, "TPL", event, on, data, "bench", clock)
    with store.reading() as conn:
        row = dict(conn.execute(select(projects).where(projects.c.id == "TPL")).one()._mapping)
        obs = [dict(r._mapping) for r in conn.execute(select(obligations).where(obligations.c.project_id == "TPL"))]
    with store.transaction() as conn:
        conn.execute(obligations.delete())
        conn.execute(projects.delete())
        conn.execute(stations.delete())
    return row, obs


def populate(store: Store, n: int, project: dict, obs: list[dict]) -> int:
    for ob in obs:   # the quiet past: everything met on its due date, except what was never recorded
        if ob["status"] == "open" and ob["due"] < AS_OF and ob["kind"] not in NEVER_RECORDED:
            ob["status"], ob["met_on"] = "met", ob["due"]
    snapshot = project["snapshot"]
    rows = 0
    with store.transaction() as conn:
        for start in range(0, n, 2000):
            ids = range(start, min(n, start + 2000))
            conn.execute(insert(stations), [{"id": f"S{i:05d}", "name": f"第{i}街道社会工作服务站",
                                             "district": f"第{i % 50}区", "kind": "street", "villages": 0} for i in ids])
            conn.execute(insert(projects), [{**project, "id": f"P{i:05d}", "station_id": f"S{i:05d}",
                                             "district": f"第{i % 50}区", "snapshot": snapshot} for i in ids])
            batch = [{**ob, "project_id": f"P{i:05d}", "station_id": f"S{i:05d}", "district": f"第{i % 50}区"}
                     for i in ids for ob in obs]
            conn.execute(insert(obligations), batch)
            rows += len(batch)
    return rows


def timed(store: Store, day: date) -> tuple[float, int]:
    t0 = time.perf_counter()
    result = sweep(store, day, NOW, trigger="bench")
    return time.perf_counter() - t0, result["created"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--projects", type=int, default=40000)
    ap.add_argument("--repeat", type=int, default=5, help="runs of the nothing-new sweep (median reported)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "sweep.txt"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/bench.db")
        schema.upgrade(store)
        project, obs = template(store, Path(tmp))
        t0 = time.perf_counter()
        rows = populate(store, args.projects, project, obs)
        built = time.perf_counter() - t0
        many_s, many = timed(store, AS_OF)
        quiet = [timed(store, AS_OF) for _ in range(args.repeat)]
        next_s, next_created = timed(store, NEXT_DAY)
        with store.reading() as conn:
            stored = conn.execute(select(func.count()).select_from(notices)).scalar()
        size_mb = Path(f"{tmp}/bench.db").stat().st_size / 2**20
    assert all(c == 0 for _, c in quiet) and next_created == 0 and stored == many
    lines = [
        f"# sweep benchmark, {datetime.now(timezone.utc):%Y-%m-%d} "
        f"(python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, {platform.machine()})",
        f"command: .venv/bin/python bench/sweep_bench.py {shlex.join(sys.argv[1:])}".rstrip(),
        f"database: {args.projects} projects, {rows} obligations rows, {size_mb:,.0f} MB "
        f"(built in {built:.1f} s from one project walked through the services)",
        f"many fall due:  {many} notices (escalations) in {many_s:.2f} s = {many / many_s:,.0f} notices/s "
        "rendered (zh text + HTML) and inserted",
        f"nothing new:    sweep of {args.projects} projects in {statistics.median(s for s, _ in quiet) * 1000:.0f} ms "
        f"(median of {args.repeat}; min {min(s for s, _ in quiet) * 1000:.0f} ms, "
        f"max {max(s for s, _ in quiet) * 1000:.0f} ms), 0 created",
        f"next day:       sweep as of {NEXT_DAY} in {next_s * 1000:.0f} ms, 0 created",
    ]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")
    print(json.dumps({"written": args.out}))


if __name__ == "__main__":
    main()
