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
from lifecycle.events import GENESIS, Event, chain_break, effective_history
from lifecycle.project import Folder, Project, fold
from lifecycle.states import OPEN_STATES, State, allowed_events, fire
from lifecycle.states.guards import Holding, Market, check
from lifecycle.store import (Store, append_event, contractors, load_events, load_snapshot, projects,
                             save_projection, scan_between, stations, stored_obligations, with_today)
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
        save_projection(conn, project.snapshot(), None)
        return project.snapshot(clock.today)


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
        save_projection(conn, project.snapshot(), previous_head)
        return project.snapshot(clock.today)


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
        kept = _kept(conn, project_id) if verify else None
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


def _kept(conn: Connection, project_id: str) -> tuple[dict[str, Any] | None, dict[str, dict[str, Any]],
                                                   dict[str, Any] | None, list[dict[str, Any]]]:
    """What the store keeps of a project besides its log, as `proof_problems` takes it:
    (snapshot, obligations rows, the row's columns, outbox)."""
    columns, stored = stored_projections(conn, None, None, only=project_id).get(project_id, (None, None))
    outbox = outboxes_to_check(conn, None, None, only=project_id).get(project_id, [])
    return stored, stored_obligations(conn, project_id), columns, outbox


def proof_problems(events: list[Event], stored: dict[str, Any] | None, stored_rows: dict[str, dict[str, Any]],
                   columns: dict[str, Any] | None, outbox: list[dict[str, Any]], book: rulebooks.Rulebook,
                   cal: WorkCalendar, replayed: tuple[Project, dict[str, Any]] | None = None) -> list[str]:
    """What `replay --verify` and `verify --all` prove of one project, the first broken thing first:
    the hash chain, the stored snapshot and obligations rows against the replay, the stored row's
    columns, and every notice against the replay as known when it was made.

    `replayed` is the fold of the whole log and its snapshot when the caller already has them
    (`fold_log(events, ...)`, `.snapshot()`), so the log is folded once.
    """
    from lifecycle.audit.warrant import notice_problems
    pid = events[0].project
    broken = chain_break(events)
    if broken:
        seq, why = broken
        return [f"project {pid}: the hash chain breaks at event {seq}: {why}"]
    if replayed is None:
        try:
            project = fold_log(events, book, cal, pid)
        except (ValueError, KeyError) as exc:
            return [f"project {pid}: the events do not replay: {exc}"]
        replayed = project, project.snapshot()
    problems = projection_problems(pid, replayed[1], stored, stored_rows)
    problems = problems or column_problems(pid, columns, stored)
    return problems or notice_problems(events, outbox, book, cal, replayed[0])


def verify_project(events: list[Event], stored: dict[str, Any] | None, stored_rows: dict[str, dict[str, Any]],
                   book: rulebooks.Rulebook, cal: WorkCalendar) -> list[str]:
    """What is wrong with one project's log and projections; empty when all holds."""
    pid = events[0].project
    broken = chain_break(events)
    if broken:
        seq, why = broken
        return [f"project {pid}: the hash chain breaks at event {seq}: {why}"]
    try:
        replayed = fold_log(events, book, cal, pid).snapshot()
    except (ValueError, KeyError) as exc:
        return [f"project {pid}: the events do not replay: {exc}"]
    return projection_problems(pid, replayed, stored, stored_rows)


def projection_problems(pid: str, replayed: dict[str, Any], stored: dict[str, Any] | None,
                        stored_rows: dict[str, dict[str, Any]]) -> list[str]:
    """The stored snapshot and obligations rows against the replay's snapshot."""
    if stored is None:
        return [f"project {pid}: the stored projection is missing"]
    problems = []
    if replayed != stored:
        for key in sorted(set(replayed) | set(stored)):
            if replayed.get(key) != stored.get(key):
                problems.append(f"project {pid}: stored {key} differs from the replay "
                                f"(stored {_short(stored.get(key))}, replayed {_short(replayed.get(key))})")
    replay_rows = {o["id"]: o for o in replayed["obligations"]}
    if set(replay_rows) != set(stored_rows):
        problems.append(f"project {pid}: the obligations table holds {len(stored_rows)} rows, the replay {len(replay_rows)}")
    else:
        for oid, row in stored_rows.items():
            want = replay_rows[oid]
            got = next(((k, v.isoformat() if isinstance(v, date) else v) for k, v in row.items()
                        if (v.isoformat() if isinstance(v, date) else v) != want.get(k)), None)
            if got:
                problems.append(f"project {pid}: obligation {oid} stored {got[0]}={got[1]!r}, "
                                f"replayed {want.get(got[0])!r}")
                break
    return problems


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


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


# -- audit: folding the whole log ------------------------------------------------
def fold_log(events: list[Event], book: rulebooks.Rulebook, cal: WorkCalendar, project_id: str) -> Project:
    """Fold a project's full log: corrections applied, the head pointing at the log's real last event.

    `effective_history` drops `correct` events (they patch the events they name), so a plain
    fold would leave `head_seq` at the last corrected-into event; the next append and the
    projection's optimistic-concurrency check need the head of the log as stored.
    """
    project = fold(effective_history(events), book, cal, project_id)
    if events:
        project.head_seq, project.head_hash = events[-1].seq, events[-1].hash
    return project


def notice_rows(conn: Connection, project_id: str) -> list[dict[str, Any]]:
    """The outbox rows of one project (oldest first), as plain dicts."""
    from lifecycle.notifications.tables import notices
    rows = conn.execute(select(notices).where(notices.c.project_id == project_id).order_by(notices.c.id))
    return [dict(r._mapping) for r in rows]


_COLUMNS = ("station_id", "district", "rulebook", "rulebook_version", "state", "contractor_id", "term_end",
            "head_seq", "head_hash", "last_effective")


def stored_columns(conn: Connection, project_id: str) -> dict[str, Any] | None:
    """The queried columns of a project's stored row (what `project list` and `deadlines` read)."""
    row = conn.execute(select(*(projects.c[k] for k in _COLUMNS)).where(projects.c.id == project_id)).first()
    if row is None:
        return None
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row._mapping.items()}


def stored_projections(conn: Connection, after: str | None, upto: str | None,
                       only: str | None = None) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """Each stored projection row whose id lies in (after, upto] (or is `only`): (its queried
    columns, as `stored_columns` gives them, and its snapshot), by id."""
    out = {}
    for r in scan_between(conn, "projects", ("id", *_COLUMNS, "snapshot"), "id", after, upto, "id", only):
        columns = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in zip(_COLUMNS, r[1:-1])}
        out[r[0]] = (columns, json.loads(r[-1]))
    return out


_CHECKED = ("id", "obligation_id", "stage", "due", "as_of", "created_at")  # what a notice check reads


def outboxes_to_check(conn: Connection, after: str | None, upto: str | None,
                      only: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """The outbox rows of each project whose id lies in (after, upto] (or is `only`), oldest first,
    with the columns `notice_problems` reads (not the letters themselves), by project id."""
    out: dict[str, list[dict[str, Any]]] = {}
    for r in scan_between(conn, "notices", ("project_id", *_CHECKED), "project_id", after, upto,
                          "project_id, id", only):
        out.setdefault(r[0], []).append(dict(zip(_CHECKED, r[1:])))
    return out


def column_problems(project_id: str, columns: dict[str, Any] | None, snap: dict[str, Any] | None) -> list[str]:
    """The stored row's columns against its snapshot (which `verify_project` proves equal to the replay)."""
    if columns is None or snap is None:
        return [f"project {project_id}: the stored projection is missing"]
    want = {"station_id": snap["station"], "district": snap["district"], "rulebook": snap["rulebook"],
            "rulebook_version": snap["rulebook_version"], "state": snap["state"], "contractor_id": snap["contractor"],
            "term_end": snap["term_end"], "head_seq": snap["head_seq"], "head_hash": snap["head_hash"],
            "last_effective": snap["last_effective"]}
    for key in _COLUMNS:
        if columns[key] != want[key]:
            return [f"project {project_id}: the stored column {key} differs from the replay "
                    f"(stored {columns[key]!r}, replayed {want[key]!r})"]
    return []
