"""`verify --all`: every project's chain and projections, with a progress bar."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from lifecycle.services import book_of, calendar_for, verify_project
from lifecycle.store import Store, load_events, load_snapshot, projects, stored_obligations


def verify_all(store: Store, progress: bool = False) -> dict[str, Any]:
    store.require()
    cal = calendar_for(store)
    failed, problems, n_events = [], [], 0
    with store.transaction() as conn:
        ids = [r.id for r in conn.execute(select(projects.c.id).order_by(projects.c.id))]
        bar = None
        if progress:
            import click
            bar = click.progressbar(ids, label="verifying", file=click.get_text_stream("stderr"))
            iterator = bar.__enter__()
        else:
            iterator = iter(ids)
        try:
            for pid in iterator:
                events = load_events(conn, pid)
                n_events += len(events)
                found = verify_project(events, load_snapshot(conn, pid), stored_obligations(conn, pid),
                                       book_of(events[0].data), cal) if events else [f"project {pid}: no events"]
                if found:
                    failed.append(pid)
                    problems.append(found[0])
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
    return {"projects": len(ids), "events": n_events, "verified": len(ids) - len(failed),
            "failed": failed, "problems": problems}
