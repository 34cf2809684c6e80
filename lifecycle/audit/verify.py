"""`verify --all`: every project's chain, projections and notices, then the districts' and the letters'
seals (`lifecycle.audit.letter_seals`, once a run), reporting progress to a callback.

One project's proof is `lifecycle.audit.proof.proof_problems`: the hash chain,
the stored projection (snapshot, columns and obligations table) against the
replay, and every notice in the outbox against the replay as known when it
was created (see `lifecycle.audit.warrant`). The first broken thing is named.

The projects are verified in ranges of ids (`CHUNK` projects each). A range
is read in one transaction by one ordered scan of each table (events,
projects, obligations, notices) rather than a query per project, and the
ranges are shared among `jobs` worker processes, each with its own
connection. The ranges cover every possible id, so a log whose projection
row was deleted is found in the range its id falls in. Each range is one
consistent moment of the database; with one job the whole run is one.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from lifecycle import GC_THRESHOLD
from lifecycle.audit.proof import outboxes_to_check, proof_problems, stored_projections
from lifecycle.core.calendar import WorkCalendar
from lifecycle.core.errors import LifecycleError, said
from lifecycle.store import Store, load_events_between, projects
from lifecycle.store.projections import obligation_tuples_between
from lifecycle.wiring import book_of, calendar_for

CHUNK = 200  # projects per range: the unit of work of a worker and of the progress bar


@dataclass
class RangeResult:
    """What one range of ids holds: its projects verified in id order, and logs without a projection."""
    projects: int = 0
    events: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)   # (project id, first problem)
    orphans: list[tuple[str, int]] = field(default_factory=list)  # (project id, events in its log)


@contextmanager
def fewer_collections():
    """The cyclic garbage collector run as a command runs it (`lifecycle.GC_THRESHOLD`), for callers
    other than the command line: a range makes a million short-lived objects (its events, their
    data, the duties folded) that reference counting frees."""
    old = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*old)


def verify_range(conn: Connection, cal: WorkCalendar, after: str | None, upto: str | None) -> RangeResult:
    """Verify every project whose id lies in (after, upto]; either bound may be open.

    Nothing stored stops the range: a row that cannot be read, a log without its opening event,
    a fold that fails are each that project's named failure, and the next project is verified.
    """
    with fewer_collections():
        return _verify_range(conn, cal, after, upto)


def _verify_range(conn: Connection, cal: WorkCalendar, after: str | None, upto: str | None) -> RangeResult:
    broken: dict[str, str] = {}
    logs = load_events_between(conn, after, upto, broken)
    rows = stored_projections(conn, after, upto, broken)
    obligation_rows = obligation_tuples_between(conn, after, upto)   # tuples: compared without a dict a row
    outboxes = outboxes_to_check(conn, after, upto)
    out = RangeResult()
    for pid, (columns, snapshot) in rows.items():
        out.projects += 1
        events = logs.pop(pid, None)
        if pid in broken:
            out.failed.append((pid, broken.pop(pid)))
            continue
        if not events:
            out.failed.append((pid, f"project {pid}: the projection exists but the log holds no events"))
            continue
        out.events += len(events)
        found = _problems(pid, events, snapshot, obligation_rows.get(pid, {}), columns, outboxes.get(pid, []), cal)
        if found:
            out.failed.append((pid, found[0]))
    out.orphans = sorted((pid, len(events)) for pid, events in logs.items())
    out.failed += sorted((pid, f"{why}; and no projection is stored") for pid, why in broken.items())
    return out


def _problems(pid: str, events: list, snapshot: dict[str, Any], obligation_rows: dict[str, Any],
              columns: dict[str, Any], outbox: list[dict[str, Any]], cal: WorkCalendar) -> list[str]:
    opening = events[0]
    if opening.seq != 1 or opening.type != "open":
        return [said("project {project}: the log lacks its opening event (it starts at event {seq}, {type})", project=pid, seq=opening.seq, type=opening.type)]
    try:
        book = book_of(opening.data)
    except KeyError as exc:
        return [said("project {project}: event 1 (open): the field data lacks {args}", project=pid, args=exc.args[0])]
    except LifecycleError as exc:
        return [said("project {project}: event 1 (open): {message}", project=pid, message=exc.message)]
    try:
        return proof_problems(events, snapshot, obligation_rows, columns, outbox, book, cal)
    except Exception as exc:  # noqa: BLE001 - one project's corrupt rows never stop the verification of the rest
        return [said("project {project}: the stored rows cannot be verified: {name}: {exc}", project=pid, name=type(exc).__name__, exc=str(exc)[:200])]


Progress = Callable[[int | None, int | None], None]


def _quiet(done: int | None, total: int | None) -> None:
    pass


def verify_all(store: Store, progress: Progress | None = None, jobs: int | None = None) -> dict[str, Any]:
    """Every project verified; `{projects, events, verified, failed, problems}`.

    `jobs` worker processes share the ranges (default: one per core); 1 verifies in this process.
    `progress(done, total)` is called once with the total number of projects (done None), then
    with the projects of each finished range (total None): the command line draws its bar from it.
    """
    store.require()
    jobs = jobs or os.cpu_count() or 1
    if store.sqlite_path is None and store.url.startswith("sqlite"):
        jobs = 1  # an in-memory database lives in this process only
    advance = progress or _quiet
    from lifecycle.audit.districts import judged, tainted_by
    if jobs == 1:
        with store.reading() as conn:
            ranges = _ranges(conn, CHUNK)
            advance(None, sum(n for *_, n in ranges))
            cal = calendar_for(store)
            results = []
            for after, upto, n in ranges:
                results.append(verify_range(conn, cal, after, upto))
                advance(n, None)
        districts, letters = _districts_and_letters(store)
    else:
        with store.reading() as conn:
            n_ids = conn.execute(select(func.count()).select_from(projects)).scalar_one()
            # a few ranges a worker at least, so that the workers finish together
            ranges = _ranges(conn, max(1, min(CHUNK, -(-n_ids // (jobs * 4)))))
        advance(None, sum(n for *_, n in ranges))
        store.dispose()   # no connection of this process's pool is inherited by the forked workers
        results, (districts, letters) = _in_workers(store.url, ranges, jobs, advance)
    failed = [f for r in results for f in r.failed]
    orphans = [o for r in results for o in r.orphans]
    with store.reading() as conn:
        tainted = tainted_by(conn, [pid for pid, _ in failed] + [pid for pid, _ in orphans])
    n_districts, district_events, district_failed = judged(districts, tainted)
    failed += district_failed
    n_letters, n_seals, letter_failed = letters
    n_projects = sum(r.projects for r in results)
    return {"projects": n_projects + len(orphans), "districts": n_districts, "district_events": district_events,
            "letters": n_letters, "letter_seals": n_seals,
            "events": sum(r.events for r in results) + sum(n for _, n in orphans),
            "verified": n_projects - len(failed) + len(district_failed),
            "failed": [pid for pid, _ in failed] + [pid for pid, _ in orphans] + [k for k, _ in letter_failed],
            "problems": [p for _, p in failed]
            + [f"project {pid}: the log holds {n} events but no projection is stored" for pid, n in orphans]
            + [p for _, p in letter_failed]}


def _in_workers(url: str, ranges: list[tuple[str | None, str | None, int]], jobs: int,
                advance: Callable[[int | None, int | None], None]) -> tuple[list[RangeResult], tuple[Any, Any]]:
    """The ranges verified by `jobs` worker processes, and the districts and letters by one of them
    meanwhile (submitted first: the longest single task), so that no core waits at the end."""
    # fork where there is one: the workers start with the modules already imported; no connection
    # is open in this process at that moment (the ranges were read in a transaction now closed)
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin" else "spawn"
    results: list[RangeResult | None] = [None] * len(ranges)
    with ProcessPoolExecutor(max_workers=min(jobs, len(ranges) + 1),
                             mp_context=multiprocessing.get_context(method)) as pool:
        rest = pool.submit(_districts_and_letters_in_worker, url)
        futures = {pool.submit(_verify_range_in_worker, url, after, upto): (i, n)
                   for i, (after, upto, n) in enumerate(ranges)}
        for future in as_completed(futures):
            i, n = futures[future]
            results[i] = future.result()
            advance(n, None)
        other = rest.result()
    return [r for r in results if r is not None], other


def _districts_and_letters(store: Store) -> tuple[Any, Any]:
    """The districts' duties (issue 10: their chains and projections, `district_findings`) and the
    letters (issue 14: their seal chain, once a run)."""
    from lifecycle.audit.districts import district_findings
    from lifecycle.audit.letter_seals import verify_letters
    with store.reading() as conn:
        districts = district_findings(conn)
    with store.reading() as conn:
        return districts, verify_letters(conn)


_worker_store: Store | None = None


def _store_in_worker(url: str) -> Store:
    """The worker process's store, one connection kept for all the tasks it is given."""
    global _worker_store
    if _worker_store is None or _worker_store.url != url:
        _worker_store = Store(url, keep_connection=True)
    return _worker_store


def _verify_range_in_worker(url: str, after: str | None, upto: str | None) -> RangeResult:
    store = _store_in_worker(url)
    with store.reading() as conn:
        return verify_range(conn, calendar_for(store), after, upto)


def _districts_and_letters_in_worker(url: str) -> tuple[Any, Any]:
    return _districts_and_letters(_store_in_worker(url))


def _ranges(conn: Connection, size: int) -> list[tuple[str | None, str | None, int]]:
    """(after, upto, projects) covering every id: the first open below, the last open above
    (logs whose projection row is gone lie anywhere, and are found in the range their id falls in)."""
    ids = [r.id for r in conn.execute(select(projects.c.id).order_by(projects.c.id))]
    return [(ids[i - 1] if i else None, ids[i + size - 1] if i + size < len(ids) else None, len(ids[i:i + size]))
            for i in range(0, max(len(ids), 1), size)]
