"""The CLI as separate processes, and the locks concurrency tests hold while the processes line up."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Sequence

import sqlalchemy as sa


def lifecycle_command() -> list[str]:
    """The installed `lifecycle` script beside this interpreter (the venv's), else on PATH."""
    beside = Path(sys.executable).with_name("lifecycle")
    return [str(beside)] if beside.exists() else [shutil.which("lifecycle") or "lifecycle"]


def spawn_lifecycle(url: str, *args: str, actor: str = "tester") -> subprocess.Popen[str]:
    """Start `lifecycle --db URL --actor ACTOR ARGS...` as its own process, on the real clock."""
    return subprocess.Popen([*lifecycle_command(), "--db", url, "--actor", actor, *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_until(condition: Callable[[], bool], what: str, processes: Sequence[subprocess.Popen[str]] = (),
               within_s: float = 60) -> None:
    """Poll `condition` until it holds (bounded); fail early, with their stderr, if a process ended."""
    deadline = time.monotonic() + within_s
    while not condition():
        ended = [p for p in processes if p.poll() is not None]
        if ended:
            raise AssertionError(f"waiting for {what}: a process ended first: {ended[0].communicate()[1]}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not reached within {within_s} s")
        time.sleep(0.02)  # polling other processes' progress, not waiting on a clock


@contextmanager
def write_lock(url: str, table: str = "events") -> Iterator[str]:
    """Hold the write lock (SQLite: the database's; PostgreSQL: `table`'s, readers may still read); yields the backend."""
    if url.startswith("sqlite:///"):
        conn = sqlite3.connect(url[len("sqlite:///"):], isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield "sqlite"
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        conn.exec_driver_sql(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        try:
            yield "postgresql"
        finally:
            conn.rollback()
    engine.dispose()


def waiting_on_lock(url: str, table: str, pids: list[int]) -> int:
    """How many of the processes are queued on `table`'s lock (PostgreSQL: from pg_locks).

    SQLite keeps no list of who waits: there, a process counts once it has the database file open.
    """
    if url.startswith("sqlite:///"):
        target = str(Path(url[len("sqlite:///"):]).resolve())

        def has_open(pid: int) -> bool:
            try:
                return any(str(p.resolve()) == target for p in Path(f"/proc/{pid}/fd").iterdir())
            except OSError:
                return False
        return sum(has_open(pid) for pid in pids)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        waiting = conn.execute(sa.text(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE NOT l.granted AND c.relname = :table AND c.relnamespace = current_schema()::regnamespace"
        ), {"table": table}).scalar_one()
    engine.dispose()
    return waiting
