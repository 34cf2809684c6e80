"""Benchmark: `lifecycle dashboard` and `lifecycle summary` for 1,000 projects. Not a test.

Builds (once) a database of 1,000 stations with one project each, spread over 20
districts, with `bench/national_gen.py` (the real hash chain and fold), then runs
the commands as a user does, `lifecycle --db URL ...` in its own process, timed by
the wall clock (start-up included). The dashboard writes every project's audit
report into the folder too.

    .venv/bin/python bench/dashboard_bench.py [--projects 1000] [--districts 20] [--runs 3]

Writes its figures to bench/results/dashboard.txt.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import national_gen  # noqa: E402

LIFECYCLE = str(ROOT / ".venv" / "bin" / "lifecycle")
AS_OF = national_gen.TODAY.isoformat()


def timed(*args: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([LIFECYCLE, *args], capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"lifecycle {' '.join(args)} failed: {done.stderr}")
    return seconds, done.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--projects", type=int, default=1000)
    ap.add_argument("--districts", type=int, default=20)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--db", default=None, help="an existing database to measure (default: built in bench-data/)")
    args = ap.parse_args()
    url = args.db
    if url is None:
        path = ROOT / "bench-data" / f"dashboard-{args.projects}.db"
        path.parent.mkdir(exist_ok=True)
        url = f"sqlite:///{path}"
        if not path.exists():
            national_gen.DISTRICTS = args.districts  # a district holds ~50 stations, as a real one does
            counts = national_gen.generate(url, args.projects, 1, max(1, os.cpu_count() or 1))
            print(f"built {counts['projects']} projects, {counts['events']} events in {counts['seconds']} s",
                  file=sys.stderr)
    lines = [f"dashboard benchmark: {args.projects} projects, {args.districts} districts, as of {AS_OF}",
             f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}", ""]
    for label, command in (("summary --json", ["summary", "--json", "--as-of", AS_OF]),
                           ("dashboard --out DIR", None)):
        times = []
        for _ in range(args.runs):
            out = Path(tempfile.mkdtemp(prefix="dashboard-bench-"))
            argv = command or ["dashboard", "--out", str(out / "site"), "--as-of", AS_OF]
            seconds, stdout = timed("--db", url, *argv)
            times.append(seconds)
            if command is None:
                pages = sum(1 for _ in (out / "site").rglob("*.html"))
                size = sum(p.stat().st_size for p in (out / "site").rglob("*")) / 1e6
                detail = f"{pages} pages, {size:.1f} MB"
            shutil.rmtree(out)
        best = min(times)
        lines.append(f"{label:<22} best {best:6.2f} s   runs: " + ", ".join(f"{t:.2f}" for t in times)
                     + (f"   ({detail})" if command is None else ""))
    text = "\n".join(lines)
    print(text)
    (ROOT / "bench" / "results" / "dashboard.txt").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
