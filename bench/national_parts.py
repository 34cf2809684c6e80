"""What the national figures are made of: each stage of verification and each query of the quiet sweep, timed apart.

Not a test. On a database `bench/national.py` has measured (swept once), in one process:

- verification of the first `--projects` projects (by id), stage by stage: reading the log
  (driver rows decoded into events), the hash chain (hashing the stored text), the fold,
  the snapshot, parsing the stored snapshot, reading the obligations rows and the notices;
- the quiet sweep: each source of candidate duties (`lifecycle.services.sweep.SOURCES`), timed
  as the sweep runs it, and how many rows it returns.

    .venv/bin/python bench/national_parts.py --db sqlite:///bench-data/national.db
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import national_gen  # noqa: E402


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f} events/s ({seconds:.2f} s)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--projects", type=int, default=2000)
    args = ap.parse_args()
    from lifecycle.audit.proof import outboxes_to_check, stored_projections
    from lifecycle.core.events import chain_break
    from lifecycle.core.project import fold_log
    from lifecycle.services.sweep import SOURCES, _ladder_groups
    from lifecycle.store import Store, load_events_between, stored_obligations_between
    from lifecycle.wiring import book_of, calendar_for
    store = Store(args.db)
    cal = calendar_for(store)
    lines = [f"parts on {args.db}"]
    with store.reading() as conn:
        ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM projects ORDER BY id").fetchall()]
        upto = ids[min(args.projects, len(ids)) - 1]
        t = time.perf_counter()
        logs = load_events_between(conn, None, upto)
        read = time.perf_counter() - t
        n = sum(map(len, logs.values()))
        t = time.perf_counter()
        for log in logs.values():
            chain_break(log)
        chain = time.perf_counter() - t
        t = time.perf_counter()
        folded = [fold_log(log, book_of(log[0].data), cal, pid) for pid, log in logs.items()]
        fold = time.perf_counter() - t
        t = time.perf_counter()
        for p in folded:
            p.snapshot()
        snap = time.perf_counter() - t
        t = time.perf_counter()
        stored_projections(conn, None, upto)
        stored = time.perf_counter() - t
        t = time.perf_counter()
        stored_obligations_between(conn, None, upto)
        outboxes_to_check(conn, None, upto)
        rows = time.perf_counter() - t
        lines += [f"verification of {len(logs):,} projects, {n:,} events, one process:",
                  f"  read the log          {rate(n, read)}",
                  f"  hash chain            {rate(n, chain)}",
                  f"  fold                  {rate(n, fold)}",
                  f"  snapshot              {rate(n, snap)}",
                  f"  stored projections    {rate(n, stored)} (the snapshot JSON parsed)",
                  f"  obligations, notices  {rate(n, rows)}",
                  f"  one after the other   {rate(n, read + chain + fold + snap + stored + rows)}"]
        today = national_gen.TODAY
        groups = _ladder_groups()
        lines.append(f"quiet sweep's sources on {today} (after the first sweep):")
        for ladder, books in groups.items():
            b = ladder.bounds(today, cal)
            for source in SOURCES:
                t = time.perf_counter()
                found = conn.execute(source(b, books if len(groups) > 1 else None)).all()
                lines.append(f"  {source.__name__:16s} {len(found):,} rows in {time.perf_counter() - t:.3f} s")
        counts = {t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar()
                  for t in ("obligations", "notices", "letters")}
        opened = conn.exec_driver_sql("SELECT count(*) FROM obligations WHERE status = 'open' AND due <= ?"
                                      if conn.dialect.paramstyle == "qmark" else
                                      "SELECT count(*) FROM obligations WHERE status = 'open' AND due <= %s",
                                      (today.isoformat(),)).scalar()
        lines.append(f"  rows: {json.dumps(counts)}; open obligations due by {today}: {opened:,}")
    text = "\n".join(lines)
    print(text)
    backend = "sqlite" if args.db.startswith("sqlite") else "postgresql"
    (ROOT / "bench" / "results" / f"national-parts-{backend}.txt").write_text(text + "\n")


if __name__ == "__main__":
    main()
