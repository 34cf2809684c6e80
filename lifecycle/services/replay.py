"""Read a project's past: its history, a replay as of a date or as known at a moment, and the
proof that the stored projection is what the log folds to; `recompute` after new holiday data.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from lifecycle.audit.proof import kept_by_store, proof_problems
from lifecycle.core.errors import BadInput, Refused, said
from lifecycle.core.events import effective_history
from lifecycle.core.obligations import view_on
from lifecycle.core.project import fold, fold_log
from lifecycle.store import Store, load_events, load_snapshot, projects, save_projection
from lifecycle.wiring import book_of, calendar_for, forget_calendars


def history(store: Store, project_id: str) -> list[dict[str, Any]]:
    store.require()
    with store.reading() as conn:
        events = load_events(conn, project_id)
    if not events:
        raise BadInput(said("unknown project {project}", project=project_id))
    return [e.as_dict() for e in events]


def replay(store: Store, project_id: str, as_of: date | None = None, known_at: str | None = None,
           verify: bool = False, today: date | None = None) -> dict[str, Any]:
    """Rebuild from events alone; with `verify`, prove the chain and the stored projection."""
    with store.reading_initialised() as conn:
        events = load_events(conn, project_id)
        if not events:
            raise BadInput(said("unknown project {project}", project=project_id))
        kept = kept_by_store(conn, project_id) if verify else None
    book = book_of(events[0].data)
    cal = calendar_for(store)
    chosen = [e for e in events if known_at is None or e.recorded <= known_at]
    folded = [e for e in effective_history(chosen) if as_of is None or e.effective <= as_of]
    whole = as_of is None and known_at is None  # the answer is the fold of the whole log: verify reuses it
    project, snap = None, None
    try:
        # without as_of, `folded` is the effective history of `chosen`: fold_log takes it as it is
        project = fold(folded, book, cal, project_id) if as_of else fold_log(chosen, book, cal, project_id, folded)
        snap = project.snapshot()
    except (ValueError, KeyError) as exc:
        if not verify:
            raise Refused(said("project {project}: the events do not replay ({exc}); run `lifecycle replay {project} --verify` to find the first bad event",
                    project=project_id, exc=exc)) from None
    problems = None
    if kept is not None:
        problems = proof_problems(events, *kept, book, cal, (project, snap) if whole and project is not None else None)
    if snap is None:
        out = {"project": project_id, "state": None, "obligations": [], "findings": [], "head_hash": ""}
    else:
        out = view_on(snap, as_of or today)
    out["as_of"] = as_of.isoformat() if as_of else None
    out["known_at"] = known_at
    out["events_applied"] = len(folded)
    out["verified"] = None if problems is None else not problems
    if problems is not None:
        out["problems"] = problems
    return out


def recompute(store: Store) -> list[str]:
    """Refold every project (after new holiday data) and store the projections; returns the changed ids.
    The command goes through `lifecycle.services.rescheduling.recompute`, which also records the moves."""
    from lifecycle.services.rescheduling import recompute as refold
    return refold(store)["changed"]


def refold_stale(store: Store) -> list[str]:
    """After `init` upgrades an older database: refold the projects whose stored snapshot predates the
    districts' duties (it has no `district_duties`), and fold every district; returns the refolded ids."""
    store.require()
    cal = calendar_for(store)
    changed = []
    with store.transaction() as conn:
        stale = [r.id for r in conn.execute(select(projects.c.id).where(~projects.c.snapshot.contains('"district_duties"'))
                                            .order_by(projects.c.id))]
        for pid in stale:
            events = load_events(conn, pid)
            project = fold_log(events, book_of(events[0].data), cal, pid)
            save_projection(conn, project.snapshot(), project.head_seq)
            changed.append(pid)
        if stale:
            _refresh_districts(conn)
    return changed


def _refresh_districts(conn: Any) -> None:
    from lifecycle.services.districts import refresh
    from lifecycle.store.districts import district_names
    for name in district_names(conn):
        refresh(conn, name)


def normalise_known_at(project_id: str, text: str) -> str:
    """`--known-at` in the form `history` prints `recorded` (ISO 8601 UTC); a bare date means its end."""
    from datetime import timezone
    try:
        if len(text) == 10:
            moment = datetime.combine(date.fromisoformat(text), datetime.max.time(), tzinfo=timezone.utc)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
        moment = moment.astimezone(timezone.utc)
    except (ValueError, OverflowError):
        raise BadInput(said("project {project}: --known-at {text!r} is not a timestamp (e.g. 2026-05-06T08:30:00.000000+00:00, as history prints it)",
                project=project_id, text=text[:40])) from None
    from lifecycle.core.limits import date_problem
    why = date_problem(moment.date())
    if why:
        raise BadInput(said("project {project}: --known-at {why}", project=project_id, why=why))
    return moment.isoformat(timespec="microseconds")
