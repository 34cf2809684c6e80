"""Open and advance a project: load → check → append → save, one transaction each.

Time is an input: `today` (the business date in Asia/Shanghai) and `now` (the
recorded timestamp) come from the caller's `Clock`; nothing here reads the clock.
`record` is the tail every write shares (`advance`, `correct`): the guards of
the rulebook, then the event appended to the log, then the projection saved.
`open_in` and `advance_in` do the same inside a transaction the caller holds
(`project import` writes a whole ledger in one), with the same checks.
"""
from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.engine import Connection

from lifecycle.core import rulebook as rulebooks
from lifecycle.core.calendar import WorkCalendar
from lifecycle.core.clock import Clock
from lifecycle.core.errors import BadInput, Names, Reasons, Refused, Said, said
from lifecycle.core.eventdata import SCHEMAS, RosterReader, parse_event_data, period_bounds
from lifecycle.core.events import GENESIS, Event
from lifecycle.core.guards import Holding, Market
from lifecycle.core.guards import check as guard_reasons
from lifecycle.core.obligations import view_on
from lifecycle.core.project import Folder, Project, fold, fold_log, pinned_book
from lifecycle.core.refold import prefix, refold_checked, since
from lifecycle.core.states import OPEN_STATES, allowed_events, fire
from lifecycle.files import read_roster_file
from lifecycle.store.access import recorded_actor
from lifecycle.store import (Store, append_event, contractors, load_events, load_lean_snapshot, projects,
                             save_projection, stations)
from lifecycle.wiring import book_of, calendar_for


# -- projects -----------------------------------------------------------------
def open_project(store: Store, project_id: str, station_id: str, rulebook_name: str, year: int, on: date,
                 budget: float | None, actor: str, clock: Clock) -> dict[str, Any]:
    store.require()
    try:
        book = rulebooks.load(rulebook_name)
    except BadInput as exc:
        raise BadInput(said("project {project}: {message}", project=project_id, message=exc.message)) from None
    if not 2000 <= year <= 2100:
        raise BadInput(said("project {project}: --year {year} is not a plausible plan year",
                project=project_id, year=year))
    if budget is not None and budget <= 0:
        raise BadInput(said("project {project}: --budget must be a positive amount of yuan", project=project_id))
    with store.transaction() as conn:
        return open_in(conn, store, project_id, station_id, book, year, on, budget, actor, clock)


def open_in(conn: Connection, store: Store, project_id: str, station_id: str, book: rulebooks.Rulebook, year: int,
            on: date, budget: float | None, actor: str, clock: Clock, source: dict[str, Any] | None = None
            ) -> dict[str, Any]:
    """`open_project` inside the caller's transaction; `source` (where an imported event came from)
    goes into the event's data."""
    actor = recorded_actor(conn, actor)
    if book.valid_to and on > book.valid_to:   # also for a project the 台账 import opens
        raise Refused(_closed_window(project_id, book, on))
    if conn.execute(select(projects.c.id).where(projects.c.id == project_id)).first():
        raise BadInput(said("project {project} already exists", project=project_id))
    st = conn.execute(select(stations).where(stations.c.id == station_id)).first()
    if st is None:
        raise BadInput(said("project {project}: unknown station {station} (add it with `lifecycle station add`)",
                            project=project_id, station=station_id))
    _check_date(project_id, "open", on, None, clock)
    data = {"station": st.id, "station_name": st.name, "district": st.district, "station_kind": st.kind,
            "villages": st.villages, "rulebook": book.name, "rulebook_version": book.version,
            "rulebook_digest": book.digest, "year": year, "budget": budget, **({"source": source} if source else {})}
    e = Event.new(project_id, 1, "open", on, clock.recorded, actor, data, GENESIS)
    project = Project(id=project_id)
    return view_on(record(conn, project, book, calendar_for(store), e, Market(), check=False), clock.today)


def _closed_window(project_id: str, book: rulebooks.Rulebook, on: date) -> Said:
    """A measure no longer in force does not govern a new project (东营 art. 45: in force to 14 Nov 2025)."""
    window = said("{start} to {end}", start=book.valid_from.isoformat() if book.valid_from else said("open"),
                  end=book.valid_to.isoformat())
    now = rulebooks.applies_on(book, on)
    instead = (said("the rulebook that applies on that date is {rulebook} {version} ({title})", rulebook=now.name,
                    version=now.version, title=now.title) if now
               else said("no installed rulebook applies on that date"))
    return said("project {project}: open refused: rulebook {rulebook} {version} ({title}) was in force {window} "
                "and no longer applies on {on}; {instead}", project=project_id, rulebook=book.name,
                version=book.version, title=book.title, window=window, on=on.isoformat(), instead=instead)


def advance(store: Store, project_id: str, event: str, on: date, raw: dict[str, str], actor: str,
            clock: Clock) -> dict[str, Any]:
    """Record `event` effective `on`. An event effective before the project's last one is a late
    entry: it is judged in its place (the state and roster of its day), and the whole log is
    refolded with it there, every later event judged again, before it is appended."""
    store.require()
    with store.transaction() as conn:
        return advance_in(conn, store, project_id, event, on, raw, actor, clock)


def advance_in(conn: Connection, store: Store, project_id: str, event: str, on: date, raw: dict[str, str],
               actor: str, clock: Clock, read_roster: RosterReader = read_roster_file,
               source: dict[str, Any] | None = None) -> dict[str, Any]:
    """`advance` inside the caller's transaction: the same checks and guards; `source` (where an
    imported event came from) goes into the event's data."""
    actor = recorded_actor(conn, actor)
    if event == "open":
        raise BadInput(said("project {project}: use `lifecycle project open` to open a project",
                project=project_id))
    if event not in SCHEMAS:
        raise BadInput(said("project {project}: unknown event {name!r}; events are {events}", project=project_id,
                            name=event, events=Names(list(SCHEMAS), "event")))
    project, book, history = load_project(conn, store, project_id)
    now_book = pinned_book(project, book)   # the rulebook in force for the project now (after a rebase)
    defaults = {}
    if event in ("sign", "renew"):
        defaults["term_months"] = now_book.setting("default_term_months")
    data = parse_event_data(project_id, event, raw, defaults, read_roster)
    if source:
        data["source"] = source
    _check_date(project_id, event, on, project.opened_on, clock)
    cal = calendar_for(store)
    late = project.last_effective is not None and on < project.last_effective
    seq = project.head_seq + 1
    at = fold(prefix(history, (on, seq)), book, cal, project_id) if late else project
    at_book = pinned_book(at, book)       # the rulebook that governed on the event's day
    ctx = {"result": data.get("result"), "evaluation_fail": at_book.settings.get("evaluation_fail")}
    if fire(at.state, event, ctx) is None:
        allowed = allowed_events(at.state)
        if late:
            raise Refused(said("project {project}: {event} refused: not allowed in state {state} on {on} "
                               "(allowed: {allowed})", project=project_id, event=event, state=at.state.value,
                               on=on.isoformat(), allowed=Names(allowed, "event")))
        raise Refused(said("project {project}: {event} refused: not allowed in state {state} (allowed: {allowed})",
                           project=project_id, event=event, state=at.state.value, allowed=Names(allowed, "event")))
    market = Market()
    if event == "award":
        market = market_for(conn, project_id, data["contractor"])
        data["contractor_name"] = market.contractor["name"]
    if event in ("training", "supervision", "case") and data.get("person"):
        names = [s["name"] for s in at.roster]
        if data["person"] not in names:
            raise BadInput(said("project {project}: {event}: person={data} is not on the roster ({names})",
                    project=project_id, event=event, data=data['person'], names=', '.join(names)))
    if event == "report":
        _check_report_period(project_id, at, data, on)
        if late:  # the report's period may be held by an event effective after it
            _refuse_by_guards(project, now_book, Event.new(project_id, seq, event, on, clock.recorded, actor, data,
                                                       project.head_hash), market)
    e = Event.new(project_id, seq, event, on, clock.recorded, actor, data, project.head_hash)
    if not late:
        return view_on(record(conn, project, book, cal, e, market), clock.today)
    _refuse_by_guards(at, at_book, e, market)

    def say(later: Event, why: str) -> str:
        return said("project {project}: {event} refused: entered late in its place on {on}, it would make "
                    "event {seq} ({type}, effective {effective}) illegal: {why}", project=project_id, event=event,
                    on=on.isoformat(), seq=later.seq, type=later.type, effective=later.effective.isoformat(),
                    why=why)
    return view_on(commit_late(conn, project, history, e, book, cal, say), clock.today)


def commit_late(conn: Connection, project: Project, history: list[Event], e: Event, book: rulebooks.Rulebook,
                cal: WorkCalendar, say: Any) -> Project:
    """A late event `e` committed in its place: the whole log refolded with every later event judged
    again (an award's market as it stood is not known again, so awards are not re-judged); `say`
    words the refusal naming the later event the late one would make illegal."""
    refolded = refold_checked(history + [e], book, cal, project.id,
                              since((e.effective, e.seq + 1),
                                    lambda later: Market() if later.type != "award" else None), say)
    return commit(conn, e, refolded, project.head_seq, project.district_view(), project.province_view())


def _check_report_period(project_id: str, at: Project, data: dict[str, Any], on: date) -> None:
    """A report's period has begun by its effective date and overlaps the contract's terms (bad input)."""
    bounds = period_bounds(data["kind"], data.get("period"))
    if bounds is None:
        return
    first, last = bounds
    what = said("project {project}: report kind={kind} period={period}", project=project_id, kind=data["kind"],
                period=data["period"])
    if first > on:
        raise BadInput(said("{what}: the period begins on {first}, after the report's effective date {on}; a report covers a period that has begun", what=what, first=first.isoformat(), on=on.isoformat()))
    if at.terms and (last < at.terms[0].start or first > at.terms[-1].end):
        raise BadInput(said("{what}: the period lies outside the contract's term ({start} to {end})", what=what, start=at.terms[0].start.isoformat(), end=at.terms[-1].end.isoformat()))


def _refuse_by_guards(project: Project, book: rulebooks.Rulebook, e: Event, market: Market) -> None:
    reasons = guard_reasons(e.type, project, e.data, book, market, e.effective)
    if reasons:
        raise Refused(said("project {project}: {event} refused: {reasons}", project=project.id, event=e.type,
                           reasons=Reasons(reasons)), reasons=reasons)



def record(conn: Connection, project: Project, book: rulebooks.Rulebook, cal: WorkCalendar, e: Event,
           market: Market, check: bool = True) -> dict[str, Any]:
    """The tail of every write: the rulebook's guards (refused with their reasons), the event
    appended to the log, the project folded on and its projection saved; returns the stored snapshot."""
    folder = Folder(project, book, cal)   # under the rulebook the project is pinned to by now
    if check:
        _refuse_by_guards(project, folder.book, e, market)
    previous_head = project.head_seq if e.seq > 1 else None
    before, province_before = project.district_view(), project.province_view()
    folder.apply(e)
    return commit(conn, e, project, previous_head, before, province_before)


def commit(conn: Connection, e: Event, project: Project, previous_head: int | None,
           district_before: list[dict[str, Any]] | None = None,
           province_before: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Append `e` and save `project` (already folded with it) as the projection; `previous_head` is the
    head the stored projection must still have (None for a new project), or another writer was first.
    `district_before` is what the district owed through the project before (read from the store
    when the caller does not have it): when it changes, the district's projection is refreshed."""
    append_event(conn, e)
    snap = project.snapshot()
    if district_before is None or province_before is None:
        before = (load_lean_snapshot(conn, project.id) if previous_head is not None else None) or {}
        district_before = before.get("district_duties", []) if district_before is None else district_before
        province_before = before.get("province_duties", []) if province_before is None else province_before
    save_projection(conn, snap, previous_head)
    if snap["district_duties"] != district_before:
        from lifecycle.services.districts import refresh
        refresh(conn, snap["district"])   # what the district owes through this project changed
    if snap.get("province_duties", []) != province_before:
        from lifecycle.services.districts import refresh
        refresh(conn, snap["province"])   # and the province (FJ-cadence)
    return snap


def _check_date(project_id: str, event: str, on: date, opened: date | None, clock: Clock) -> None:
    """Effective dates are never in the future, nor before the project's opening; earlier than the
    last event is a late entry, judged in its place (see `advance`)."""
    if on > clock.today:
        raise Refused(said("project {project}: {event} refused: its effective date {on} lies in the future "
                           "(today is {today}); record events when they happen",
                           project=project_id, event=event, on=on.isoformat(), today=clock.today.isoformat()))
    if opened and on < opened:
        raise Refused(said("project {project}: {event} refused: its effective date {on} is before the project "
                           "opened ({opened})", project=project_id, event=event, on=on.isoformat(),
                           opened=opened.isoformat()))


def load_project(conn: Connection, store: Store, project_id: str) -> tuple[Project, rulebooks.Rulebook, list[Event]]:
    """A project folded from its log, with its rulebook and the log itself; unknown is bad input."""
    history = load_events(conn, project_id)
    if not history:
        raise BadInput(said("unknown project {project}", project=project_id))
    book = book_of(history[0].data)
    return fold_log(history, book, calendar_for(store), project_id), book, history


def market_for(conn: Connection, project_id: str, contractor_id: str) -> Market:
    """What the contractor guards see: the contractor awarded and every district's open projects with a
    contractor. On PostgreSQL through `lifecycle_contractor` and `lifecycle_holdings` (lifecycle.store.access),
    which a district's role may call although row-level security hides the other districts' rows from it."""
    open_states = [s.value for s in OPEN_STATES]
    if conn.dialect.name == "postgresql":
        row = conn.execute(text("SELECT id, name, credit_code, district FROM lifecycle_contractor(:c)"),
                           {"c": contractor_id}).first()
        rows = conn.execute(text("SELECT project, station, district, station_kind, contractor "
                                 "FROM lifecycle_holdings(:s)"), {"s": open_states}).all()
    else:
        row = conn.execute(select(contractors).where(contractors.c.id == contractor_id)).first()
        rows = [(r.id, r.station_id, r.district, json.loads(r.snapshot)["station_kind"], r.contractor_id)
                for r in conn.execute(select(projects.c.id, projects.c.station_id, projects.c.district,
                                             projects.c.contractor_id, projects.c.snapshot)
                                      .where(projects.c.state.in_(open_states), projects.c.contractor_id.is_not(None)))]
    if row is None:
        raise BadInput(said("project {project}: unknown contractor {contractor_id} (add it with `lifecycle contractor add`)",
                            project=project_id, contractor_id=contractor_id))
    holdings = tuple(Holding(*r) for r in sorted(rows))
    return Market(holdings, {"id": row.id, "name": row.name, "credit_code": row.credit_code, "district": row.district})
