"""Open, advance, status, history, replay: load → act → append → commit.

Every function here is one transaction. Time is an input: `today` (the
business date in Asia/Shanghai) and `now` (the recorded timestamp) come
from the caller; nothing here reads the clock.
"""
from __future__ import annotations

import json
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from lifecycle import rulebook as rulebooks
from lifecycle.calendar import WorkCalendar, calendar_from_env
from lifecycle.clock import Clock
from lifecycle.errors import BadInput, Refused
from lifecycle.eventdata import SCHEMAS, parse_event_data
from lifecycle.events import GENESIS, Event, effective_history
from lifecycle.project import Folder, Project, fold, fold_log
from lifecycle.proof import kept_by_store, proof_problems
from lifecycle.states import OPEN_STATES, allowed_events, fire
from lifecycle.states.guards import Holding, Market, check
from lifecycle.store import (Store, append_event, contractors, load_events, load_snapshot, projects,
                             save_projection, stations, with_today)
from lifecycle.store import read_status as status

__all__ = ["Clock", "status"]  # re-exported: Clock lives in lifecycle.clock, status in lifecycle.store


@lru_cache(maxsize=8)
def _calendar(db_path: str | None, source: tuple[str | None, float | None]) -> WorkCalendar:
    return calendar_from_env(db_path)


def _holidays_source(db_path: str | None) -> tuple[str | None, float | None]:
    """Which holidays file applies and when it last changed: a new or edited file is
    picked up by the next command, so the next event refolds on the new schedule."""
    import os
    from pathlib import Path
    named = os.environ.get("LIFECYCLE_HOLIDAYS")
    path = Path(named) if named else (Path(db_path).parent / "holidays.toml" if db_path else None)
    try:
        return (str(path) if path else None), (path.stat().st_mtime if path else None)
    except OSError:
        return (named or None), None


def calendar_for(store: Store) -> WorkCalendar:
    return _calendar(store.sqlite_path, _holidays_source(store.sqlite_path))


def book_of(snapshot_or_event: dict[str, Any]) -> rulebooks.Rulebook:
    return rulebooks.load(snapshot_or_event["rulebook"], snapshot_or_event["rulebook_version"])


# -- projects -----------------------------------------------------------------
def open_project(store: Store, project_id: str, station_id: str, rulebook_name: str, year: int, on: date,
                 budget: float | None, actor: str, clock: Clock) -> dict[str, Any]:
    store.require()
    try:
        book = rulebooks.load(rulebook_name)
    except BadInput as exc:
        raise BadInput(f"project {project_id}: {exc.message}") from None
    if not 2000 <= year <= 2100:
        raise BadInput(f"project {project_id}: --year {year} is not a plausible plan year")
    if budget is not None and budget <= 0:
        raise BadInput(f"project {project_id}: --budget must be a positive amount of yuan")
    with store.transaction() as conn:
        if conn.execute(select(projects.c.id).where(projects.c.id == project_id)).first():
            raise BadInput(f"project {project_id} already exists")
        st = conn.execute(select(stations).where(stations.c.id == station_id)).first()
        if st is None:
            raise BadInput(f"project {project_id}: unknown station {station_id} (add it with `lifecycle station add`)")
        _check_date(project_id, "open", on, None, clock)
        data = {"station": st.id, "station_name": st.name, "district": st.district, "station_kind": st.kind,
                "villages": st.villages, "rulebook": book.name, "rulebook_version": book.version,
                "rulebook_digest": book.digest, "year": year, "budget": budget}
        e = Event.new(project_id, 1, "open", on, clock.recorded, actor, data, GENESIS)
        project = Project(id=project_id)
        Folder(project, book, calendar_for(store)).apply(e)
        append_event(conn, e)
        snap = project.snapshot()
        save_projection(conn, snap, None)
        return with_today(snap, clock.today)  # after saving: the store keeps open duties open


def advance(store: Store, project_id: str, event: str, on: date, raw: dict[str, str], actor: str,
            clock: Clock) -> dict[str, Any]:
    store.require()
    if event == "open":
        raise BadInput(f"project {project_id}: use `lifecycle project open` to open a project")
    if event not in SCHEMAS:
        raise BadInput(f"project {project_id}: unknown event {event!r}; events are {', '.join(SCHEMAS)}")
    with store.transaction() as conn:
        project, book, history = _load(conn, store, project_id)
        defaults = {}
        if event in ("sign", "renew"):
            defaults["term_months"] = book.setting("default_term_months")
        data = parse_event_data(project_id, event, raw, defaults)
        _check_date(project_id, event, on, project.last_effective, clock)
        ctx = {"result": data.get("result"), "evaluation_fail": book.settings.get("evaluation_fail")}
        if fire(project.state, event, ctx) is None:
            allowed = ", ".join(allowed_events(project.state)) or "none"
            raise Refused(f"project {project_id}: {event} refused: not allowed in state {project.state.value} "
                          f"(allowed: {allowed})")
        market = Market()
        if event == "award":
            market = _market(conn, project_id, data["contractor"])
            data["contractor_name"] = market.contractor["name"]
        if event in ("training", "supervision", "case") and data.get("person"):
            names = [s["name"] for s in project.roster]
            if data["person"] not in names:
                raise BadInput(f"project {project_id}: {event}: person={data['person']} is not on the roster "
                               f"({', '.join(names)})")
        reasons = check(event, project, data, book, market, on)
        if reasons:
            raise Refused(f"project {project_id}: {event} refused: " + "; ".join(reasons), reasons=reasons)
        e = Event.new(project_id, project.head_seq + 1, event, on, clock.recorded, actor, data, project.head_hash)
        previous_head = project.head_seq
        Folder(project, book, calendar_for(store)).apply(e)
        append_event(conn, e)
        snap = project.snapshot()
        save_projection(conn, snap, previous_head)
        return with_today(snap, clock.today)  # after saving: the store keeps open duties open


def _check_date(project_id: str, event: str, on: date, last: date | None, clock: Clock) -> None:
    if on > clock.today:
        raise Refused(f"project {project_id}: {event} refused: its effective date {on.isoformat()} lies in the "
                      f"future (today is {clock.today.isoformat()}); record events when they happen")
    if last and on < last:
        raise Refused(f"project {project_id}: {event} refused: its effective date {on.isoformat()} is before the "
                      f"last event's ({last.isoformat()}); effective dates never run backwards "
                      "(use `lifecycle correct` to fix an earlier event)")


def _load(conn: Connection, store: Store, project_id: str) -> tuple[Project, rulebooks.Rulebook, list[Event]]:
    history = load_events(conn, project_id)
    if not history:
        raise BadInput(f"unknown project {project_id}")
    book = book_of(history[0].data)
    return fold_log(history, book, calendar_for(store), project_id), book, history


def _market(conn: Connection, project_id: str, contractor_id: str) -> Market:
    row = conn.execute(select(contractors).where(contractors.c.id == contractor_id)).first()
    if row is None:
        raise BadInput(f"project {project_id}: unknown contractor {contractor_id} "
                       "(add it with `lifecycle contractor add`)")
    open_states = [s.value for s in OPEN_STATES]
    rows = conn.execute(select(projects.c.id, projects.c.station_id, projects.c.district, projects.c.contractor_id,
                               projects.c.snapshot).where(projects.c.state.in_(open_states),
                                                          projects.c.contractor_id.is_not(None)))
    holdings = tuple(Holding(r.id, r.station_id, r.district, json.loads(r.snapshot)["station_kind"], r.contractor_id)
                     for r in rows)
    return Market(holdings, {"id": row.id, "name": row.name, "credit_code": row.credit_code, "district": row.district})


def history(store: Store, project_id: str) -> list[dict[str, Any]]:
    store.require()
    with store.reading() as conn:
        events = load_events(conn, project_id)
    if not events:
        raise BadInput(f"unknown project {project_id}")
    return [e.as_dict() for e in events]


def replay(store: Store, project_id: str, as_of: date | None = None, known_at: str | None = None,
           verify: bool = False, today: date | None = None) -> dict[str, Any]:
    """Rebuild from events alone; with `verify`, prove the chain and the stored projection."""
    with store.reading_initialised() as conn:
        events = load_events(conn, project_id)
        if not events:
            raise BadInput(f"unknown project {project_id}")
        kept = kept_by_store(conn, project_id) if verify else None
    book = book_of(events[0].data)
    cal = calendar_for(store)
    chosen = [e for e in events if known_at is None or e.recorded <= known_at]
    folded = [e for e in effective_history(chosen) if as_of is None or e.effective <= as_of]
    whole = as_of is None and known_at is None  # the answer is the fold of the whole log: verify reuses it
    project, snap = None, None
    try:
        project = fold(folded, book, cal, project_id) if as_of else fold_log(chosen, book, cal, project_id)
        snap = project.snapshot()
    except (ValueError, KeyError) as exc:
        if not verify:
            raise Refused(f"project {project_id}: the events do not replay ({exc}); "
                          f"run `lifecycle replay {project_id} --verify` to find the first bad event") from None
    problems = None
    if kept is not None:
        problems = proof_problems(events, *kept, book, cal, (project, snap) if whole and project is not None else None)
    if snap is None:
        out = {"project": project_id, "state": None, "obligations": [], "findings": [], "head_hash": ""}
    else:
        out = with_today(snap, as_of or today)  # after the proof: it marks open duties overdue in place
    out["as_of"] = as_of.isoformat() if as_of else None
    out["known_at"] = known_at
    out["events_applied"] = len(folded)
    out["verified"] = None if problems is None else not problems
    if problems is not None:
        out["problems"] = problems
    return out


def recompute(store: Store) -> list[str]:
    """Refold every project (after new holiday data) and store the projections; returns the changed ids."""
    store.require()
    _calendar.cache_clear()
    cal = calendar_for(store)
    changed = []
    with store.transaction() as conn:
        ids = [r.id for r in conn.execute(select(projects.c.id).order_by(projects.c.id))]
        for pid in ids:
            events = load_events(conn, pid)
            project = fold_log(events, book_of(events[0].data), cal, pid)
            snap = project.snapshot()
            if snap != load_snapshot(conn, pid):
                save_projection(conn, snap, project.head_seq)
                changed.append(pid)
    return changed


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
    except ValueError:
        raise BadInput(f"project {project_id}: --known-at {text!r} is not a timestamp "
                       "(e.g. 2026-05-06T08:30:00.000000+00:00, as history prints it)") from None
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")
