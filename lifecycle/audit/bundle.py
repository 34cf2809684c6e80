"""Everything an audit report or an export needs about one project, read in one transaction.

The snapshot is the replay of the whole log (corrections applied), as the
fold made it; `view` is that snapshot seen on the bundle's date (an open duty
past its due date reads `overdue`). The verification result (chain,
projections, notices) comes with it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from lifecycle.audit.proof import notice_rows, proof_problems, stored_columns
from lifecycle.core.errors import BadInput, said
from lifecycle.core.events import Event, effective_history
from lifecycle.core.explain import fold_with_receipts
from lifecycle.core.obligations import view_on
from lifecycle.core.project import Project
from lifecycle.core.rulebook import Rulebook
from lifecycle.store import (Store, contractors, load_events, load_lean_snapshot, projects, stations,
                             stored_obligations, sweeps, with_obligations)
from lifecycle.wiring import book_of, calendar_for


@dataclass
class Bundle:
    project: str
    events: list[Event]
    snapshot: dict[str, Any]
    book: Rulebook
    notices: list[dict[str, Any]]
    sweeps: list[date]
    problems: list[str]
    as_of: date
    station: dict[str, Any] = field(default_factory=dict)
    contractor: dict[str, Any] | None = None
    states: list[tuple[date, str]] = field(default_factory=list)   # (effective date, state entered), in order
    receipts: dict[str, Any] | None = None  # each duty's receipt (`lifecycle explain`); None: the log does not fold

    @property
    def view(self) -> dict[str, Any]:
        """The snapshot seen on `as_of`: duties open past their due date are overdue."""
        return view_on(self.snapshot, self.as_of)

    @property
    def verified(self) -> bool:
        return not self.problems


def project_ids(store: Store) -> list[str]:
    store.require()
    with store.reading() as conn:
        return [r.id for r in conn.execute(select(projects.c.id).order_by(projects.c.id))]


def load_bundles(store: Store, ids: list[str], today: date) -> list[Bundle]:
    """One bundle a project id; an unknown id is bad input naming it."""
    store.require()
    cal = calendar_for(store)
    with store.reading() as conn:
        return bundles_in(conn, cal, ids, today)


def bundles_in(conn: Connection, cal: Any, ids: list[str], today: date) -> list[Bundle]:
    """`load_bundles` inside a transaction the caller holds (the dashboard reads its figures in it too)."""
    out = []
    sweeps = _sweep_dates(conn)
    for pid in ids:
        events = load_events(conn, pid)
        if not events:
            raise BadInput(said("unknown project {project}", project=pid))
        book = book_of(events[0].data)
        stored, stored_rows = load_lean_snapshot(conn, pid), stored_obligations(conn, pid)
        outbox = notice_rows(conn, pid)
        states: list[tuple[date, str]] = []

        def entered(e: Event, project: Project) -> None:
            if not states or states[-1][1] != project.state.value:
                states.append((e.effective, project.state.value))
        found: dict[str, Any] | None = None
        try:   # one fold for the replay, the timeline's states and the receipts (fold_log's, with its head)
            folded, found = fold_with_receipts(effective_history(events), book, cal, pid, entered)
            folded.head_seq, folded.head_hash = events[-1].seq, events[-1].hash
            replayed = (folded, folded.snapshot())
            snapshot = replayed[1]
        except (ValueError, KeyError):
            replayed, found = None, None
            snapshot = with_obligations(stored, stored_rows) if stored is not None else {}
        problems = proof_problems(events, stored, stored_rows, stored_columns(conn, pid),
                                  outbox, book, cal, replayed)
        station = conn.execute(select(stations).where(stations.c.id == events[0].data["station"])).first()
        firm = None
        if snapshot.get("contractor"):
            firm = conn.execute(select(contractors).where(contractors.c.id == snapshot["contractor"])).first()
        out.append(Bundle(pid, events, snapshot, book, outbox, sweeps, problems, today,
                          dict(station._mapping) if station else {}, dict(firm._mapping) if firm else None,
                          states, found))
    return out


def _sweep_dates(conn: Connection) -> list[date]:
    return sorted({r.as_of for r in conn.execute(select(sweeps.c.as_of).where(sweeps.c.finished_at.is_not(None)))})
