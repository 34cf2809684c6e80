"""Where one `verify --all` worker's time goes, an event at a time, on a database `bench/national.py` swept.

Not a test. In one process, over every tenth range of 200 projects (by id), each part of
`lifecycle.audit.verify.verify_range` timed apart, as the worker runs it: reading and decoding the
log, parsing the stored snapshots, reading the obligations rows (the driver's tuples) and the
notices, the hash chain, the fold, the lean snapshot, the comparison of the stored rows with the
fold's duties, and the notices' warrants. Run it twice: the second run has the pages cached.

    .venv/bin/python bench/verify_parts.py --db sqlite:///bench-data/national.db
"""
from __future__ import annotations

import argparse
import gc
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--every", type=int, default=10, help="measure one range of 200 projects in this many")
    args = ap.parse_args()
    from lifecycle import GC_THRESHOLD
    gc.set_threshold(*GC_THRESHOLD)   # as `cli.main` sets it for every command

    from sqlalchemy import select

    from lifecycle.audit.proof import (column_problems, lean_problems, outboxes_to_check, stored_projections,
                                       tuple_row_problems)
    from lifecycle.audit.warrant import notice_problems
    from lifecycle.core.events import chain_break
    from lifecycle.core.project import fold_log
    from lifecycle.store import Store, load_events_between, projects
    from lifecycle.store.projections import obligation_tuples_between
    from lifecycle.wiring import book_of, calendar_for

    store = Store(args.db)
    cal = calendar_for(store)
    with store.reading() as conn:
        ids = [r.id for r in conn.execute(select(projects.c.id).order_by(projects.c.id))]
    spent: dict[str, float] = defaultdict(float)

    def tick(part: str, since: float) -> float:
        now = time.perf_counter()
        spent[part] += now - since
        return now

    n_events = n_projects = 0
    with store.reading() as conn:
        for i in range(0, max(0, len(ids) - 201), 200 * args.every):
            after, upto = ids[i], ids[i + 200]
            t = time.perf_counter()
            logs = load_events_between(conn, after, upto, {}); t = tick("read and decode the log", t)
            rows = stored_projections(conn, after, upto, {}); t = tick("read and parse the snapshots", t)
            duties = obligation_tuples_between(conn, after, upto); t = tick("read the obligations rows", t)
            outboxes = outboxes_to_check(conn, after, upto); t = tick("read the notices", t)
            for pid, (columns, snapshot) in rows.items():
                events = logs[pid]
                n_events += len(events)
                n_projects += 1
                t = time.perf_counter()
                chain_break(events); t = tick("the hash chain", t)
                book = book_of(events[0].data)
                project = fold_log(events, book, cal, pid); t = tick("the fold", t)
                lean = project.snapshot(duties=False); t = tick("the lean snapshot", t)
                lean_problems(pid, lean, snapshot)
                tuple_row_problems(pid, project.obligations, duties.get(pid, {}))
                column_problems(pid, columns, snapshot); t = tick("the comparison", t)
                notice_problems(events, outboxes.get(pid, []), book, cal, project); t = tick("the notices' warrants", t)
    total = sum(spent.values())
    for part, seconds in spent.items():
        print(f"{part:30} {seconds:6.2f} s  {seconds / n_events * 1e6:5.1f} µs an event  {seconds / total:4.0%}")
    print(f"{n_events:,} events of {n_projects:,} projects in {total:.2f} s = {n_events / total:,.0f} events/s "
          "in one process")


if __name__ == "__main__":
    main()
