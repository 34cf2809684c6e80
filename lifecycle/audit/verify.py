"""`verify --all`: every project's chain, projections and notices, with a progress bar.

One project's proof is `project_problems`: the hash chain, the stored
projection (snapshot and obligations table) against the replay, and every
notice in the outbox against the replay as known when it was created (see
`lifecycle.audit.warrant`). The first broken thing is named.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from lifecycle.calendar import WorkCalendar
from lifecycle.services import book_of, calendar_for, notice_rows, proof_problems, stored_columns
from lifecycle.store import Store, load_events, load_snapshot, projects, stored_obligations


def project_problems(conn: Connection, project_id: str, cal: WorkCalendar) -> tuple[int, list[str]]:
    """(events in the log, what is wrong) for one project; no problems means verified."""
    events = load_events(conn, project_id)
    if not events:
        return 0, [f"project {project_id}: the projection exists but the log holds no events"]
    return len(events), proof_problems(events, load_snapshot(conn, project_id), stored_obligations(conn, project_id),
                                       stored_columns(conn, project_id), notice_rows(conn, project_id),
                                       book_of(events[0].data), cal)


def verify_all(store: Store, progress: bool = False) -> dict[str, Any]:
    """Every project verified; `{projects, events, verified, failed, problems}`."""
    store.require()
    cal = calendar_for(store)
    failed, problems, n_events = [], [], 0
    with store.reading() as conn:
        ids = [r.id for r in conn.execute(select(projects.c.id).order_by(projects.c.id))]
        orphans = _orphan_logs(conn, set(ids))
        bar = None
        if progress:
            import sys

            import click
            bar = click.progressbar(ids, label="verifying", file=sys.stderr)
            iterator = bar.__enter__()
        else:
            iterator = iter(ids)
        try:
            for pid in iterator:
                count, found = project_problems(conn, pid, cal)
                n_events += count
                if found:
                    failed.append(pid)
                    problems.append(found[0])
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
        for pid, count in orphans:
            n_events += count
            failed.append(pid)
            problems.append(f"project {pid}: the log holds {count} events but no projection is stored")
    return {"projects": len(ids) + len(orphans), "events": n_events,
            "verified": len(ids) - len(failed) + len(orphans), "failed": failed, "problems": problems}


def _orphan_logs(conn: Connection, known: set[str]) -> list[tuple[str, int]]:
    """Projects whose events exist but whose projection row was deleted."""
    from sqlalchemy import func

    from lifecycle.store import events
    rows = conn.execute(select(events.c.project_id, func.count()).group_by(events.c.project_id)
                        .order_by(events.c.project_id))
    return [(r[0], r[1]) for r in rows if r[0] not in known]
