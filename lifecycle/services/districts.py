"""Duties owed by the district: its reports, its status, and the projection every project write refreshes.

`report` appends a `district_report` event to the district's own hash-chained
log (one transaction) and refreshes the projection; `refresh` is called by
`lifecycle.services.projects.commit` whenever a project's district duties
change. `candidates` is the sweep's query over the district duties and
`deadline_rows` the `deadlines` list's (`lifecycle.audit.districts` proves them).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, case, exists, literal, null, or_, select
from sqlalchemy.engine import Connection

from lifecycle.core.clock import Clock
from lifecycle.core.district import check_report, fold_district
from lifecycle.core.errors import BadInput, Refused, said
from lifecycle.core.events import GENESIS, Event
from lifecycle.core.obligations import status_on
from lifecycle.store import Store, district_obligations, notices, projects, stations
from lifecycle.store.access import recorded_actor
from lifecycle.store.districts import (append_district_event, district_contributions, district_names,
                                       load_district, load_district_events, lock_district, save_district)


def refresh(conn: Connection, name: str) -> dict[str, Any]:
    """Fold the district from its projects and its log, and store the projection."""
    lock_district(conn, name)
    snap = fold_district(name, district_contributions(conn, name), load_district_events(conn, name))
    save_district(conn, snap)
    return snap


def report(store: Store, name: str, kind: str, period: str, on: date, actor: str, clock: Clock) -> dict[str, Any]:
    """`district report NAME KIND --period P --on DATE`: the district files its plan or report."""
    store.require()
    oid = check_report(name, kind, period, on)
    if on > clock.today:
        raise Refused(said("district {name}: {kind} report refused: its effective date {on} lies in the future (today is {today})",
                name=name, kind=kind, on=on.isoformat(), today=clock.today.isoformat()))
    with store.transaction() as conn:
        known = conn.execute(select(stations.c.id).where(stations.c.district == name).limit(1)).first() or \
            conn.execute(select(projects.c.id).where(projects.c.district == name).limit(1)).first()
        if not known and name not in district_names(conn):   # a province its projects owe to (FJ-cadence)
            raise BadInput(said("unknown district {name} (no station or project lies in it)", name=name))
        lock_district(conn, name)
        actor = recorded_actor(conn, actor)
        log = load_district_events(conn, name)
        held = next((e for e in log if e.type == "district_report" and e.data["kind"] == kind and e.data["period"] == period), None)
        if held is not None:
            raise Refused(said("district {name}: {kind} report for {period} refused: event {seq} of the district already files it (on {effective})",
                    name=name, kind=kind, period=period, seq=held.seq, effective=held.effective.isoformat()))
        head = log[-1] if log else None
        e = Event.new(name, (head.seq if head else 0) + 1, "district_report", on, clock.recorded, actor,
                      {"kind": kind, "period": period, "meets": oid}, head.hash if head else GENESIS)
        append_district_event(conn, e)
        return view(refresh(conn, name), clock.today)


def status(store: Store, name: str, today: date) -> dict[str, Any]:
    store.require()
    with store.reading() as conn:
        snap = load_district(conn, name)
        if not snap or "district" not in snap:
            if name not in district_names(conn):
                raise BadInput(said("unknown district {name}", name=name))
            snap = fold_district(name, [], [])
    return view(snap, today)


def view(snap: dict[str, Any], today: date) -> dict[str, Any]:
    out = dict(snap)
    out["obligations"] = [{**o, "status": status_on(o["status"], o["due"], today)} for o in snap["obligations"]]
    return out


# -- what deadlines and the sweep read ----------------------------------------------------
def deadline_rows(conn: Connection, as_of: date, overdue_only: bool, district: str | None) -> list[dict[str, Any]]:
    o = district_obligations
    q = select(o).where(o.c.status == "open")
    if overdue_only:
        q = q.where(o.c.due < as_of)
    if district:
        q = q.where(o.c.district == district)
    return [{"project": None, "station": None, "district": r.district, "obligation": r.id, "kind": r.kind,
             "due": r.due.isoformat(), "days_overdue": max(0, (as_of - r.due).days),
             "status": status_on("open", r.due, as_of), "basis": r.basis, "provisional": r.provisional,
             "subject": None, "state": None, "owed_by": "district"} for r in conn.execute(q)]


def candidates(bounds: Any, books: list[tuple[str, str]] | None) -> Any:
    """The sweep's query over open district duties in the reminder window, with no notice of the
    day's stage yet; its columns are those of the project duties' query. A district's notices are
    kept under its key (`district:NAME`) in the outbox's project column."""
    o = district_obligations
    owner = (literal("district:") + o.c.district)
    stage = case((o.c.due >= bounds.today, "reminder"), (o.c.due >= bounds.escalate_before, "overdue"),
                 else_="escalation").label("stage")
    already = exists().where(notices.c.project_id == owner, notices.c.obligation_id == o.c.id,
                             notices.c.stage == stage)
    q = (select(owner.label("project_id"), o.c.id, o.c.kind, o.c.rule, o.c.basis, o.c.due, o.c.provisional,
                null().label("subject"), o.c.district, o.c.rulebook, o.c.rulebook_version,
                null().label("contractor_id"), null().label("station_name"), null().label("contractor_name"), stage)
         .where(o.c.status == "open", o.c.due <= bounds.reminder_to, ~already)
         .order_by(o.c.district, o.c.due, o.c.id))
    if books is not None:
        q = q.where(or_(*[and_(o.c.rulebook == n, o.c.rulebook_version == v) for n, v in books]))
    return q
