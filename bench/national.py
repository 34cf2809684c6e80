"""The national-scale benchmark: one run measures every figure of BENCHMARKS.md on one backend.

Not a test. On a database built by `bench/national_gen.py` (40,000 stations
and projects, about 4 million events; built here first when empty):

0. `lifecycle init` on it (an upgrade to the newest schema, or nothing to do);
1. the sweep with many notices due: the first `lifecycle check` (notices/s, digest letters included);
2. the sweep with nothing new: the same `check` again (target <= 2 s);
3. `lifecycle status ID` against `python -c "import sqlalchemy, click, DRIVER"` (target <= 1.3x), the
   driver being sqlite3 or psycopg;
4. `replay --verify` (in-process, over a sample of 2,000 projects; target >= 50,000 events/s), the peer
   (replaying the same sample to find today's due duties, as an in-process state machine must; its
   ratio to the indexed quiet sweep) and `verify --all` with 2 jobs and 1 (target >= 100,000 events/s);
5. `station import` of 40,000 rows from CSV into a fresh database (target <= 10 s);
6. the database's size before and after the first sweep, and by table; the peak RSS of every command
   (getrusage of the child process, as `/usr/bin/time -v` gives it).

Every command runs as the CLI runs, in its own process, and is timed by the
wall clock. Results go to bench/results/national-<backend>.json and .txt.

    .venv/bin/python bench/national.py --db sqlite:///bench-data/national.db
    .venv/bin/python bench/national.py --postgres        # a throw-away cluster, as the tests start
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import national_gen  # noqa: E402

LIFECYCLE = [str(Path(sys.executable).with_name("lifecycle"))]
AS_OF = national_gen.TODAY.isoformat()


PEAK: dict[str, int] = {}   # the peak RSS (bytes) of each command measured, by its name in the results


def timed(cmd: list[str], name: str | None = None) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Run `cmd` in its own process: wall-clock seconds and its output; its peak RSS (`/usr/bin/time`'s
    %M: the command's own, not counting this process's pages a fork would share) kept in PEAK under
    `name` (the largest of repeated runs)."""
    with tempfile.NamedTemporaryFile(prefix="rss-") as rss:
        wrap = ["/usr/bin/time", "-f", "%M", "-o", rss.name] if name and os.path.exists("/usr/bin/time") else []
        start = time.perf_counter()
        done = subprocess.run([*wrap, *cmd], capture_output=True, text=True)
        took = time.perf_counter() - start
        if done.returncode != 0:
            raise RuntimeError(f"{shlex.join(cmd)} failed ({done.returncode}): {done.stderr[-2000:]}")
        if wrap:
            peak = int(Path(rss.name).read_text().split()[-1]) * 1024   # KiB
            PEAK[name] = max(PEAK.get(name, 0), peak)  # type: ignore[index]
    return took, done


def median_of(cmd: list[str], runs: int, name: str | None = None) -> tuple[float, float, float]:
    times = [timed(cmd, name)[0] for _ in range(runs)]
    return statistics.median(times), min(times), max(times)


def sample_projects(url: str, n: int) -> list[str]:
    from sqlalchemy import select

    from lifecycle.store import Store, projects
    store = Store(url)
    with store.reading() as conn:
        ids = [r.id for r in conn.execute(select(projects.c.id).order_by(projects.c.id))]
    store.dispose()
    step = max(1, len(ids) // n)
    return ids[::step][:n]


def replay_rate(url: str, ids: list[str]) -> tuple[int, float]:
    """`replay --verify` of each project, in one process (the service the command calls), with one
    connection kept open as a command's or a worker's store keeps it: events, seconds."""
    import gc

    from lifecycle.services.replay import replay
    from lifecycle.store import Store
    from lifecycle import GC_THRESHOLD
    gc.set_threshold(*GC_THRESHOLD)   # as `cli.main` sets it for every command
    store = Store(url, keep_connection=True)
    events, start = 0, time.perf_counter()
    for pid in ids:
        out = replay(store, pid, verify=True)
        assert out["verified"], out["problems"]
        events += out["events_applied"]
    return events, time.perf_counter() - start


def peer_rate(url: str, ids: list[str]) -> dict[str, Any]:
    """What a user without the index must do to find today's due duties: replay each project (read its
    log, fold it under its rulebook, as an in-process state machine would) and pick its open duties
    that reach into the reminder window. In one process, over `ids`: projects, duties found, seconds."""
    from lifecycle.core.project import fold_log
    from lifecycle.services.sweep import _ladder_groups
    from lifecycle.store import Store, load_events
    from lifecycle.wiring import book_of, calendar_for
    store = Store(url)
    cal = calendar_for(store)
    today = national_gen.TODAY
    reach = max(ladder.bounds(today, cal).reminder_to for ladder in _ladder_groups())
    found, start = 0, time.perf_counter()
    with store.reading() as conn:
        for pid in ids:
            log = load_events(conn, pid)
            project = fold_log(log, book_of(log[0].data), cal, pid)
            if project.state.value != "closed":
                found += sum(1 for o in project.obligations.values() if o.status == "open" and o.due <= reach)
    store.dispose()
    return {"projects": len(ids), "duties_due": found, "seconds": round(time.perf_counter() - start, 2)}


def sizes(url: str) -> dict[str, int]:
    """Bytes of each table with its indexes (SQLite's dbstat; PostgreSQL's pg_total_relation_size)."""
    from sqlalchemy import text

    from lifecycle.store import Store, metadata
    with Store(url).reading() as conn:
        if url.startswith("sqlite"):
            index_of = {r[0]: r[1] for r in conn.execute(text("SELECT name, tbl_name FROM sqlite_master"))}
            out: dict[str, int] = {}
            for name, size in conn.execute(text("SELECT name, sum(pgsize) FROM dbstat GROUP BY name")):
                table = index_of.get(name, name)
                out[table] = out.get(table, 0) + int(size)
            return dict(sorted(out.items(), key=lambda kv: -kv[1]))
        return dict(sorted(((t, int(conn.execute(text(f"SELECT pg_total_relation_size('{t}')")).scalar_one()))
                            for t in metadata.tables), key=lambda kv: -kv[1]))


def database_size(url: str) -> int:
    if url.startswith("sqlite:///"):
        return os.path.getsize(url[len("sqlite:///"):])
    from sqlalchemy import text

    from lifecycle.store import Store
    with Store(url).reading() as conn:
        return conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()


def import_time(url_for_fresh: str, workdir: Path, n: int) -> float:
    csv = workdir / "stations.csv"
    with csv.open("w", encoding="utf-8") as f:
        f.write("id,name,district,kind,villages\n")
        for i in range(n):
            s = national_gen.station(i)
            f.write(f"{s['id']},{s['name']},{s['district']},{s['kind']},{s['villages']}\n")
    timed([*LIFECYCLE, "--db", url_for_fresh, "init"])
    took, _ = timed([*LIFECYCLE, "--db", url_for_fresh, "station", "import", str(csv)], "station_import")
    return took


def measure(url: str, fresh_url: str, workdir: Path, runs: int) -> dict[str, Any]:
    r: dict[str, Any] = {}
    db = ["--db", url]
    r["events"], r["projects"] = _counts(url)
    r["database_bytes_before_sweep"] = database_size(url)
    r["init_upgrade_s"] = round(timed([*LIFECYCLE, *db, "init"], "init")[0], 2)  # to the newest schema, or nothing
    # the first sweep as a person runs it (the letters listed; `--json` would also hold every notice made
    # in its output, hundreds of thousands): what it made is counted in the database after
    before = _made(url)
    took, done = timed([*LIFECYCLE, *db, "check", "--as-of", AS_OF], "sweep_many")
    after = _made(url)
    created = after[0] - before[0]
    r["sweep_many"] = {"seconds": round(took, 2), "created": created, "letters": after[1] - before[1],
                       "notices_per_s": round(created / took), "command": "check --as-of " + AS_OF}
    del done
    med, lo, hi = median_of([*LIFECYCLE, *db, "check", "--as-of", AS_OF, "--json"], runs, "sweep_nothing_new")
    r["sweep_nothing_new"] = {"median_s": round(med, 3), "min_s": round(lo, 3), "max_s": round(hi, 3)}
    pid = sample_projects(url, 1)[0]
    status = median_of([*LIFECYCLE, *db, "status", pid, "--json"], runs * 3, "status")
    driver = "psycopg" if url.startswith("postgresql") else "sqlite3"
    floor = median_of([sys.executable, "-c", f"import sqlalchemy, click, {driver}"], runs * 3, "status_floor")
    r["status"] = {"median_s": round(status[0], 3), "import_floor_s": round(floor[0], 3),
                   "floor": f"import sqlalchemy, click, {driver}", "ratio": round(status[0] / floor[0], 2)}
    ids = sample_projects(url, 2000)
    events, took = replay_rate(url, ids)
    again = replay_rate(url, ids)[1]   # the same projects again: their pages now in the page cache
    r["replay_verify"] = {"projects": len(ids), "events": events, "seconds": round(took, 2),
                          "events_per_s": round(events / took), "again_seconds": round(again, 2),
                          "again_events_per_s": round(events / again)}
    peer = peer_rate(url, ids)
    per_project = peer["seconds"] / max(1, peer["projects"])
    peer["all_projects_s"] = round(per_project * r["projects"], 1)   # the same work for every project
    peer["ratio_to_quiet_sweep"] = round(peer["all_projects_s"] / med, 1)
    r["peer_replay_to_find_due"] = peer
    took, done = timed([*LIFECYCLE, *db, "verify", "--all", "--json"], "verify_all")
    result = json.loads(done.stdout)
    r["verify_all"] = {"seconds": round(took, 1), "events": result["events"], "failed": len(result["failed"]),
                       "events_per_s": round(result["events"] / took)}
    took, done = timed([*LIFECYCLE, *db, "verify", "--all", "--jobs", "1", "--json"], "verify_all_jobs_1")
    r["verify_all_jobs_1"] = {"seconds": round(took, 1), "events_per_s": round(json.loads(done.stdout)["events"] / took)}
    r["station_import"] = {"rows": 40_000, "seconds": round(import_time(fresh_url, workdir, 40_000), 2)}
    r["database_bytes"] = database_size(url)
    r["table_bytes"] = sizes(url)
    r["peak_rss_bytes"] = dict(PEAK)
    return r


def _made(url: str) -> tuple[int, int]:
    """(notices, letters) in the database."""
    from sqlalchemy import func, select

    from lifecycle.store import Store, letters, notices
    store = Store(url)
    with store.reading() as conn:
        out = (conn.execute(select(func.count()).select_from(notices)).scalar_one(),
               conn.execute(select(func.count()).select_from(letters)).scalar_one())
    store.dispose()
    return out


def _counts(url: str) -> tuple[int, int]:
    from sqlalchemy import func, select

    from lifecycle.store import Store, events, projects
    try:
        with Store(url).reading() as conn:
            return (conn.execute(select(func.count()).select_from(events)).scalar_one(),
                    conn.execute(select(func.count()).select_from(projects)).scalar_one())
    except Exception:  # noqa: BLE001 - no schema yet
        return 0, 0


def commit_measured() -> str:
    """The commit whose code ran, and whether files differ from it (a run of uncommitted code says so)."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    # the results files are this benchmark's own output (the other backend's run may have written them)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/results"],
                           cwd=ROOT, capture_output=True, text=True)
    if head.returncode != 0:
        return "unknown (not a git checkout)"
    return head.stdout.strip() + (" with uncommitted changes" if dirty.stdout.strip() else "")


def report(backend: str, r: dict[str, Any], command: str) -> str:
    import sqlite3
    return "\n".join([
        f"national benchmark on {backend}: {r['projects']:,} projects, {r['events']:,} events",
        f"command: {command}",
        f"commit: {r.get('commit', '-')}",
        f"machine: nproc={os.cpu_count()}, {platform.machine()}, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, load average at the end {r.get('load_average_after', '-')}",
        f"generate:           {r.get('generate', {}).get('seconds', '-')} s",
        f"lifecycle init:     {r['init_upgrade_s']} s (upgrading the existing database to the newest schema)",
        f"sweep, many due:    {r['sweep_many']['created']:,} notices in {r['sweep_many'].get('letters', 0):,} "
        f"letters in {r['sweep_many']['seconds']} s = {r['sweep_many']['notices_per_s']:,} notices/s",
        f"sweep, nothing new: {r['sweep_nothing_new']['median_s']} s (median; min {r['sweep_nothing_new']['min_s']}, "
        f"max {r['sweep_nothing_new']['max_s']})",
        f"status:             {r['status']['median_s']} s vs import floor {r['status']['import_floor_s']} s "
        f"= {r['status']['ratio']}x",
        f"replay --verify:    {r['replay_verify']['events']:,} events of {r['replay_verify']['projects']:,} projects "
        f"in {r['replay_verify']['seconds']} s = {r['replay_verify']['events_per_s']:,} events/s "
        f"(again, pages cached: {r['replay_verify'].get('again_seconds', '-')} s = "
        f"{r['replay_verify'].get('again_events_per_s', 0):,} events/s)",
        f"peer (replay to find due duties): {r['peer_replay_to_find_due']['projects']:,} projects in "
        f"{r['peer_replay_to_find_due']['seconds']} s ({r['peer_replay_to_find_due']['duties_due']:,} duties due); "
        f"all {r['projects']:,} projects ~{r['peer_replay_to_find_due']['all_projects_s']} s = "
        f"{r['peer_replay_to_find_due']['ratio_to_quiet_sweep']}x the indexed quiet sweep",
        f"verify --all:       {r['verify_all']['events']:,} events in {r['verify_all']['seconds']} s "
        f"= {r['verify_all']['events_per_s']:,} events/s ({r['verify_all']['failed']} failed; "
        f"--jobs 1: {r['verify_all_jobs_1']['seconds']} s = {r['verify_all_jobs_1']['events_per_s']:,} events/s)",
        f"station import:     {r['station_import']['rows']:,} rows in {r['station_import']['seconds']} s",
        f"database size:      {r['database_bytes_before_sweep'] / 2**20:,.0f} MB before the first sweep, "
        f"{r['database_bytes'] / 2**20:,.0f} MB after",
        "by table (with its indexes): " + ", ".join(f"{t} {b / 2**20:,.0f} MB" for t, b in r["table_bytes"].items()
                                                     if b >= 2**20),
        "peak RSS by command: " + ", ".join(f"{k} {v / 2**20:,.0f} MB" for k, v in r["peak_rss_bytes"].items()),
    ])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--db", help="database URL; built with national_gen first when it has no events")
    where.add_argument("--postgres", action="store_true", help="start a throw-away PostgreSQL cluster for the run")
    ap.add_argument("--projects", type=int, default=40_000)
    ap.add_argument("--runs", type=int, default=5, help="repetitions of the short measurements")
    args = ap.parse_args()
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="national-")))
        if args.postgres:
            from postgres_server import PostgresServer
            server = stack.enter_context(PostgresServer.start())
            url, fresh = server.create_database("national"), server.create_database("fresh")
        elif args.db.startswith("sqlite:///"):
            url, fresh = args.db, f"sqlite:///{workdir / 'fresh.db'}"
        else:
            ap.error("--db takes a SQLite URL; for PostgreSQL use --postgres (a cluster of its own)")
        generated = None
        if _counts(url)[0] == 0:
            generated = national_gen.generate(url, args.projects, 1, os.cpu_count() or 1)
        r = measure(url, fresh, workdir, args.runs)
        r["commit"] = commit_measured()
        r["load_average_after"] = [round(x, 2) for x in os.getloadavg()]   # 1, 5, 15 min: what else ran
        if generated:
            r["generate"] = generated
    backend = "postgresql" if not url.startswith("sqlite") else "sqlite"
    command = "cd " + str(ROOT) + " && .venv/bin/python bench/national.py " + shlex.join(sys.argv[1:])
    text = report(backend, r, command)
    out = ROOT / "bench" / "results"
    (out / f"national-{backend}.json").write_text(json.dumps(r, indent=2) + "\n")
    (out / f"national-{backend}.txt").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
