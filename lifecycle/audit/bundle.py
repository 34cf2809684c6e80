"""Everything an audit report or an export needs about one project, read in one transaction.

The snapshot is the replay of the whole log (corrections applied) viewed as
of `today`, so an open duty past its due date reads `overdue`; the
verification result (chain, projections, notices) comes with it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from lifecycle.events import Event
from lifecycle.rulebook import Rulebook
from lifecycle.project import fold_log
from lifecycle.proof import notice_rows, proof_problems, stored_columns
from lifecycle.services import book_of, calendar_for
from lifecycle.store import Store, contractors, load_events, load_snapshot, projects, stations, stored_obligations


@dataclass
class Bundle:
    project: str
    events: list[Event]
    snapshot: dict[str, Any]
    book: Rulebook
    notices: list[dict[str, Any]]
    sweeps: list[date]
    problems: list[str]
    station: dict[str, Any] = field(default_factory=dict)
    contractor: dict[str, Any] | None = None

    @property
    def verified(self) -> bool:
        return not self.problems


def project_ids(store: Store) -> list[str]:
    store.require()
    with store.reading() as conn:
        return [r.id for r in conn.execute(select(projects.c.id).order_by(projects.c.id))]


def load_bundles(store: Store, ids: list[str], today: date) -> list[Bundle]:
    """One bundle a project id; an unknown id is bad input naming it."""
    from lifecycle.errors import BadInput
    store.require()
    cal = calendar_for(store)
    out = []
    with store.reading() as conn:
        sweeps = _sweep_dates(conn)
        for pid in ids:
            events = load_events(conn, pid)
            if not events:
                raise BadInput(f"unknown project {pid}")
            book = book_of(events[0].data)
            stored = load_snapshot(conn, pid)
            outbox = notice_rows(conn, pid)
            problems = proof_problems(events, stored, stored_obligations(conn, pid), stored_columns(conn, pid),
                                      outbox, book, cal)
            try:
                snapshot = fold_log(events, book, cal, pid).snapshot(today)
            except (ValueError, KeyError):
                snapshot = stored or {}
            station = conn.execute(select(stations).where(stations.c.id == events[0].data["station"])).first()
            firm = None
            if snapshot.get("contractor"):
                firm = conn.execute(select(contractors).where(contractors.c.id == snapshot["contractor"])).first()
            out.append(Bundle(pid, events, snapshot, book, outbox, sweeps, problems,
                              dict(station._mapping) if station else {}, dict(firm._mapping) if firm else None))
    return out


def _sweep_dates(conn: Connection) -> list[date]:
    from lifecycle.notifications.tables import sweeps
    return sorted({r.as_of for r in conn.execute(select(sweeps.c.as_of).where(sweeps.c.finished_at.is_not(None)))})
