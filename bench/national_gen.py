"""Build a national-scale database: 40,000 stations, one project each, about 4 million events.

Not a test. Each project gets a realistic history from its plan filing up to
TODAY: procurement (sometimes a failed tender), award, contract, its
publication and filing, staffing, then every month in service the monthly
report, training and supervision (quarterly reports in Dongying, weekly ones
in Fujian, evaluations twice a year, annual and mid-term reports), with
suspensions, renewals, expiries, terminations and hand-overs. One in seven
projects is lax and skips some duties, so there is a backlog of overdue
obligations for the sweep.

Nothing goes through the services (that would take hours): events are made
with `Event.new` (the real hash chain), folded in-process with
`lifecycle.core.project.fold` (the real projection), and bulk-inserted with the
store's own row shapes: executemany on SQLite, COPY on PostgreSQL. The
schema is made by `lifecycle.store.migrate.upgrade`, as `lifecycle init` does.

    .venv/bin/python bench/national_gen.py --db sqlite:///national.db --projects 40000
"""
from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lifecycle.core import rulebook as rulebooks  # noqa: E402
from lifecycle.core.calendar import shift_months  # noqa: E402
from lifecycle.wiring import calendar_from_env  # noqa: E402
from lifecycle.core.events import GENESIS, Event  # noqa: E402
from lifecycle.core.project import fold  # noqa: E402
from lifecycle.core.roster import parse_roster  # noqa: E402
from lifecycle import store as tables  # noqa: E402
from lifecycle.store import event_row, obligation_rows, project_row  # noqa: E402

TODAY = date(2026, 11, 16)
BOOKS = {"national": 40, "jinan": 12, "dongying": 12, "binhai": 12, "dongguan": 12, "fujian": 12}
CITIES = ["济南", "青岛", "东营", "烟台", "潍坊", "福州", "厦门", "泉州", "东莞", "广州", "天津", "成都", "武汉", "长沙",
          "郑州", "西安", "南京", "杭州", "合肥", "南昌", "昆明", "贵阳", "兰州", "太原", "石家庄", "沈阳", "长春",
          "哈尔滨", "呼和浩特", "南宁", "海口", "银川", "西宁", "乌鲁木齐", "拉萨"]
STREETS = "解放 和平 建设 人民 胜利 光明 新华 文化 东风 朝阳 育才 长江 黄河 泰山 幸福 友谊 团结 振兴 民主 前进".split()
DISTRICTS = 2_850
ROSTER = parse_roster("name,role,age,education,qualified,certificate,source,post\n"
                      "张伟,lead,32,本科,是,yes,contractor,service\n李娜,worker,28,大专,yes,yes,contractor,service\n"
                      "王芳,worker,40,本科,yes,yes,town,service\n赵强,worker,30,本科,yes,yes,contractor,admin\n")
STAFF = [s.as_dict() for s in ROSTER]
NAMES = [s["name"] for s in STAFF]


def district_of(n: int) -> str:
    return f"{CITIES[n % len(CITIES)]}第{n // len(CITIES) + 1}区"


def station(i: int) -> dict[str, Any]:
    district = district_of(i % DISTRICTS)
    kind = "town" if i % 3 == 0 else "street"
    name = f"{district}{STREETS[i % len(STREETS)]}{'镇' if kind == 'town' else '街道'}{i}号社会工作服务站"
    return {"id": f"ST{i:05d}", "name": name, "district": district, "kind": kind, "villages": 8 + i % 17}


def contractor_of(i: int) -> dict[str, Any]:
    district = district_of(i % DISTRICTS)
    return {"id": f"C{i % (DISTRICTS * 3):05d}", "name": f"{district}第{i % 3 + 1}社会工作服务中心",
            "credit_code": None, "district": district}


class History:
    """Events of one project in date order, stopping at TODAY."""

    def __init__(self, pid: str) -> None:
        self.pid, self.planned = pid, []

    def add(self, type_: str, on: date, **data: Any) -> None:
        self.planned.append((on, len(self.planned), type_, data))

    def within(self, start: date, end: date) -> Any:
        """An `add` that keeps only what falls in [start, end): duties of a term while it is in service."""
        def add(type_: str, on: date, **data: Any) -> None:
            if start <= on < end:
                self.add(type_, on, **data)
        return add

    def events(self) -> list[Event]:
        out, prev = [], GENESIS
        for on, _n, type_, data in sorted(p for p in self.planned if p[0] <= TODAY):
            stamp = datetime(on.year, on.month, on.day, 9, tzinfo=timezone.utc) + timedelta(seconds=len(out))
            e = Event.new(self.pid, len(out) + 1, type_, on, stamp.isoformat(timespec="microseconds"), "bench",
                          data, prev)
            out.append(e)
            prev = e.hash
        return out


def service(h: History, book: str, start: date, end: date, rng: random.Random, lax: bool) -> date:
    """Monthly duties from `start` to `end` (or TODAY); a suspension now and then. Returns where it stopped."""
    miss = 0.3 if lax else 0.02
    add = h.within(start, end)
    month, k = date(start.year, start.month, 1), 0
    suspended_until = None
    while month < end and month <= TODAY:
        nxt = shift_months(month, 1)
        if suspended_until and month < suspended_until:
            month = nxt
            continue
        if rng.random() < 0.004 and month + timedelta(days=14) >= start and shift_months(nxt, 3) < end:
            add("suspend", month + timedelta(days=14), reason="站点装修")
            suspended_until = shift_months(nxt, 2)
            add("resume", suspended_until + timedelta(days=1), reason="装修完成")
            month = nxt
            continue
        if rng.random() > miss:
            add("report", nxt + timedelta(days=4), kind="monthly", period=f"{month:%Y-%m}")
        if rng.random() > miss:
            add("training", month + timedelta(days=11), hours=8, person=NAMES[k % 4], kind="practical")
        if rng.random() > miss:
            add("supervision", month + timedelta(days=19), hours=4, person=NAMES[(k + 1) % 4], by="督导")
        if rng.random() > miss:
            add("case", month + timedelta(days=24), title="个案服务记录", person=NAMES[(k + 2) % 4])
        if book == "dongying" and month.month % 3 == 0 and rng.random() > miss:
            add("report", nxt + timedelta(days=6), kind="quarterly", period=f"{month.year}-Q{month.month // 3}")
        if book == "fujian":
            for week in range(4):
                day = month + timedelta(days=7 * week + 2)
                iso = day.isocalendar()
                add("report", day, kind="weekly", period=f"{iso.year}-W{iso.week:02d}")
        if k % 6 == 5:
            add("evaluate", nxt + timedelta(days=9), result=rng.choice(["excellent", "good", "good", "pass"]),
                  by="第三方评估机构")
        if month.month == 12:
            add("report", nxt + timedelta(days=9), kind="annual", period=f"{month.year}")
        month, k = nxt, k + 1
    return month


def history_of(i: int, seed: int) -> tuple[dict[str, Any], History]:
    rng = random.Random(seed * 1_000_003 + i)
    st = station(i)
    book = rulebooks.load(rng.choices(list(BOOKS), weights=list(BOOKS.values()))[0])
    year = rng.choices([2023, 2024, 2025, 2026], weights=[35, 30, 22, 13])[0]
    pid = f"{book.name[:2].upper()}-{year}-{i:05d}"
    h = History(pid)
    on = date(year, 2, 1) + timedelta(days=rng.randint(0, 45))
    h.add("open", on, station=st["id"], station_name=st["name"], district=st["district"], station_kind=st["kind"],
          villages=st["villages"], rulebook=book.name, rulebook_version=book.version, rulebook_digest=book.digest,
          year=year, budget=float(rng.choice([300_000, 450_000, 600_000, 800_000])))
    lax = rng.random() < 1 / 7
    on += timedelta(days=rng.randint(7, 20))
    h.add("announce", on)
    if rng.random() < 0.1:
        on += timedelta(days=rng.randint(20, 30))
        h.add("fail_tender", on, reason="有效投标不足三家")
    on += timedelta(days=rng.randint(20, 35))
    firm = contractor_of(i)
    h.add("award", on, contractor=firm["id"], contractor_name=firm["name"])
    months = int(book.setting("default_term_months"))
    signed = on + timedelta(days=rng.randint(5, 25))
    h.add("sign", signed, term_months=months, amount=rng.choice([300_000, 450_000, 600_000]) * months // 12)
    if not lax or rng.random() < 0.5:
        h.add("publish", signed + timedelta(days=rng.randint(1, 2)), where="中国政府采购网")
        h.add("file_contract", signed + timedelta(days=rng.randint(2, 6)), **{"with": "财政部门"})
    staffed = signed + timedelta(days=rng.randint(7, 20))
    h.add("staff", staffed, roster=STAFF, roster_file="roster.csv")
    h.add("pay", staffed + timedelta(days=5), kind="advance", amount=100_000)
    end = shift_months(signed, months)
    stopped = service(h, book.name, staffed, end, rng, lax)
    if stopped >= end:  # the term ran out before TODAY
        fate = rng.random()
        if fate < 0.5:
            h.add("renew", end - timedelta(days=10), term_months=months)
            service(h, book.name, end, shift_months(end, months), rng, lax)
        elif fate < 0.85:
            h.add("expire", end + timedelta(days=1))
            h.add("hand_over", end + timedelta(days=rng.randint(10, 40)), to="街道办事处")
        else:
            h.add("terminate", end, reason="考核后终止合作")
            h.add("hand_over", end + timedelta(days=rng.randint(5, 30)), to="街道办事处")
    return st, h


def build(chunk: tuple[int, int, int]) -> tuple[list[tuple], list[tuple], list[tuple], int]:
    """Rows (events, projects, obligations) of projects start..stop, folded for real."""
    start, stop, seed = chunk
    cal = calendar_from_env(None)
    ev, pr, ob = [], [], []
    for i in range(start, stop):
        st, h = history_of(i, seed)
        log = h.events()
        book = rulebooks.load(log[0].data["rulebook"], log[0].data["rulebook_version"])
        snap = fold(log, book, cal, h.pid).snapshot()
        ev += [_tuple(tables.events, event_row(e)) for e in log]
        pr.append(_tuple(tables.projects, {"id": h.pid, **project_row(snap)}))
        ob += [_tuple(tables.obligations, r) for r in obligation_rows(snap)]
    return ev, pr, ob, stop - start


def chunks(n: int, seed: int, size: int = 250) -> Iterator[tuple[int, int, int]]:
    for start in range(0, n, size):
        yield start, min(n, start + size), seed


def _tuple(table: Any, row: dict[str, Any]) -> tuple:
    """A row in the table's column order, dates as ISO text (what both SQLite and COPY take); a nullable
    column the row shape leaves out (obligations.moved_from: not part of the projection) is NULL."""
    return tuple(v.isoformat() if isinstance(v, date) else v
                 for v in (row.get(c.name) if c.nullable else row[c.name] for c in table.columns))


# -- writing -------------------------------------------------------------------------
def insert_rows(conn: Any, dialect: str, table: Any, rows: list[tuple]) -> None:
    if not rows:
        return
    names = [c.name for c in table.columns]
    if dialect == "sqlite":
        conn.executemany(f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                         rows)
        return
    with conn.cursor().copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def raw_connection(url: str) -> tuple[Any, str]:
    """A DB-API connection for bulk loading, outside SQLAlchemy."""
    if url.startswith("sqlite:///"):
        import sqlite3
        conn = sqlite3.connect(url[len("sqlite:///"):])
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA journal_mode=MEMORY")  # a bulk load: the file's own journal mode is left as it was
        return conn, "sqlite"
    import psycopg
    from sqlalchemy.engine import make_url
    u = make_url(url)
    conn = psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password, dbname=u.database,
                           **dict(u.query))
    return conn, "postgresql"


def generate(url: str, n: int, seed: int, workers: int) -> dict[str, Any]:
    from lifecycle.store import migrate as schema
    from lifecycle.store import Store
    started = time.perf_counter()
    store = Store(url)
    schema.upgrade(store)
    store.dispose()
    conn, dialect = raw_connection(url)
    counts = {"stations": n, "projects": 0, "events": 0, "obligations": 0}
    insert_rows(conn, dialect, tables.stations, [_tuple(tables.stations, station(i)) for i in range(n)])
    firms = {c["id"]: c for c in (contractor_of(i) for i in range(n))}
    insert_rows(conn, dialect, tables.contractors, [_tuple(tables.contractors, c) for c in firms.values()])
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for ev, pr, ob, done in pool.imap(build, chunks(n, seed)):
            insert_rows(conn, dialect, tables.events, ev)
            insert_rows(conn, dialect, tables.projects, pr)
            insert_rows(conn, dialect, tables.obligations, ob)
            counts["projects"] += done
            counts["events"] += len(ev)
            counts["obligations"] += len(ob)
            if counts["projects"] % 5000 == 0:
                print(f"  {counts['projects']:,} projects, {counts['events']:,} events "
                      f"({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    conn.commit()
    if dialect == "sqlite":
        conn.execute("ANALYZE")
    else:
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    conn.close()
    # the districts' own duties (JN-plan, JN-annual-report, DY-county-report) folded from the projects
    from lifecycle.services.districts import refresh
    from lifecycle.store import Store
    from lifecycle.store.districts import district_names
    store = Store(url)
    with store.transaction() as sconn:
        for name in district_names(sconn):
            refresh(sconn, name)
    store.dispose()
    counts["seconds"] = round(time.perf_counter() - started, 1)
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="sqlite:///national.db or postgresql+psycopg://user@host/db (empty)")
    ap.add_argument("--projects", type=int, default=40_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=max(1, multiprocessing.cpu_count()))
    args = ap.parse_args()
    counts = generate(args.db, args.projects, args.seed, args.workers)
    print(f"{counts['projects']:,} projects, {counts['events']:,} events, {counts['obligations']:,} obligations "
          f"in {counts['seconds']} s")


if __name__ == "__main__":
    main()
