"""Benchmark: fold typical event histories of many projects into obligations, in-process.

Uses the real rulebooks and the real working-day calendar. Each generated project
opens, is tendered, awarded, signed, published, filed and staffed, then serves for
up to two years with monthly briefings, training and supervision per person and
group sessions, evaluations, a roster change now and then, and sometimes ends in
termination or expiry. Only `fold` is timed; building the events is not.

    .venv/bin/python bench/obligations_bench.py [--projects 40000] [--seed 7] [--profile]

Writes its figures to bench/results/obligations.txt.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lifecycle.core import rulebook  # noqa: E402
from lifecycle.core.calendar import WorkCalendar, shift_months  # noqa: E402
from lifecycle.core.events import Event  # noqa: E402
from lifecycle.core.project import fold  # noqa: E402

BOOKS = ["jinan", "dongying", "binhai", "dongguan", "fujian", "national"]
NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄勇", "周婷", "吴杰"]
HORIZON = date(2026, 12, 31)


def roster(names: list[str]) -> list[dict[str, Any]]:
    return [{"name": n, "role": "lead" if i == 0 else "worker", "age": 30, "education": "bachelor",
             "qualified": True, "certificate": True, "source": "town" if i == 0 else "contractor",
             "post": "admin" if i < 2 else "service"} for i, n in enumerate(names)]


def history(rng: random.Random, pid: str) -> tuple[str, list[Event]]:
    book = rng.choice(BOOKS)
    version = rulebook.load(book).version
    events: list[Event] = []

    def add(event: str, on: date, /, **data: Any) -> None:
        events.append(Event(pid, len(events) + 1, event, on, "", "bench", data))

    opened = date(2025, 1, 2) + timedelta(days=rng.randrange(0, 540))
    add("open", opened, station=f"S{pid}", district=f"D{rng.randrange(200)}", rulebook=book,
        rulebook_version=version, year=opened.year)
    award = opened + timedelta(days=rng.randrange(20, 60))
    add("announce", opened + timedelta(days=10))
    add("award", award, contractor=f"C{rng.randrange(500)}")
    sign = award + timedelta(days=rng.randrange(3, 12))
    months = rng.choice([12, 24, 36]) if book not in ("binhai", "fujian") else 12
    add("sign", sign, term_months=months)
    add("publish", sign + timedelta(days=rng.randrange(1, 4)))
    add("file_contract", sign + timedelta(days=rng.randrange(3, 10)))
    staffed = sign + timedelta(days=rng.randrange(10, 35))
    names = rng.sample(NAMES, rng.randrange(3, 7))
    add("staff", staffed, roster=roster(names))
    end = min(HORIZON, shift_months(sign, months))
    month = staffed.replace(day=1)
    day = staffed
    while True:
        nxt = shift_months(month, 1)
        report_day = nxt + timedelta(days=rng.randrange(0, 12))
        if report_day > end:
            break
        for person in names:
            if rng.random() < 0.5:
                add("training", max(day, month + timedelta(days=rng.randrange(0, 27))), hours=rng.choice([4, 8, 16]),
                    person=person)
        day = events[-1].effective
        if rng.random() < 0.3:
            add("supervision", max(day, month + timedelta(days=27)), hours=rng.choice([8, 16, 24]))
        add("report", max(events[-1].effective, report_day), kind="monthly", period=f"{month:%Y-%m}")
        if book == "fujian":
            add("report", events[-1].effective, kind="weekly", period=f"{month.isocalendar().year}-W{month.isocalendar().week:02d}")
        if rng.random() < 0.08:
            add("evaluate", events[-1].effective, result=rng.choice(["pass", "good", "excellent"]))
        if rng.random() < 0.02:
            names = names[1:] + [n for n in NAMES if n not in names][:1]
            add("staff", events[-1].effective, roster=roster(names))
        day = events[-1].effective
        month = nxt
    if rng.random() < 0.05:
        add("terminate", events[-1].effective, reason="bench")
    return book, events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=40_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="print the top cProfile entries of the fold")
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "obligations.txt"))
    args = parser.parse_args()

    rng = random.Random(args.seed)
    cal = WorkCalendar()
    books = {name: rulebook.load(name) for name in BOOKS}
    profiler = cProfile.Profile() if args.profile else None
    n_events = n_obligations = n_met = 0
    folded = 0.0
    wall = time.perf_counter()
    for i in range(args.projects):
        book, events = history(rng, f"P{i}")
        n_events += len(events)
        if profiler:
            profiler.enable()
        t0 = time.perf_counter()
        project = fold(events, books[book], cal, f"P{i}")
        folded += time.perf_counter() - t0
        if profiler:
            profiler.disable()
        n_obligations += len(project.obligations)
        n_met += sum(1 for o in project.obligations.values() if o.status == "met")
    wall = time.perf_counter() - wall

    command = "cd /work/main && .venv/bin/python bench/obligations_bench.py" + \
        (f" --projects {args.projects}" if args.projects != 40_000 else "") + \
        (f" --seed {args.seed}" if args.seed != 7 else "")
    lines = [
        "obligations benchmark: fold event histories into obligations (real rulebooks and calendar)",
        f"command:      {command}",
        f"machine:      nproc={os.cpu_count()}, {platform.machine()}, Python {platform.python_version()}",
        f"projects:     {args.projects:,} (rulebooks {', '.join(BOOKS)}; seed {args.seed})",
        f"events:       {n_events:,} ({n_events / args.projects:.1f} a project)",
        f"obligations:  {n_obligations:,} ({n_obligations / args.projects:.1f} a project, {n_met:,} met)",
        f"fold time:    {folded:.2f} s (wall {wall:.2f} s including building the events)",
        f"projects/s:   {args.projects / folded:,.0f}",
        f"events/s:     {n_events / folded:,.0f}",
        f"obligations/s:{n_obligations / folded:,.0f}",
    ]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
