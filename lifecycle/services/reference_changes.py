"""Reference data that changes: a station renamed or moved, a contractor's new credit code, a contact who left.

Each change updates the row and appends to `reference_changes` what the row
was before, what it became, who changed it and when (one transaction). The
events of a project are never touched: an award keeps the contractor's name
as it was on the day, an open the station's. A change that would break a
rule a project relies on is refused: a station moved to another district
while its contractor, under DY-exclusive, runs stations in the first.
"""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from lifecycle.core import rulebook as rulebooks
from lifecycle.core.clock import Clock
from lifecycle.core.errors import BadInput, Refused, said
from lifecycle.core.guards import exclusive_problems
from lifecycle.core.project import Project
from lifecycle.core.states import OPEN_STATES
from lifecycle.notifications.contacts import check_email
from lifecycle.services.projects import market_for
from lifecycle.services.reference import contractor_value, station_row
from lifecycle.store import Store, contacts, contractors, projects, reference_changes, stations


def _record(conn: Connection, kind: str, ref_id: str, before: dict[str, Any], after: dict[str, Any] | None,
            actor: str, clock: Clock) -> None:
    conn.execute(insert(reference_changes).values(
        kind=kind, ref_id=str(ref_id), action="update" if after is not None else "remove",
        before=json.dumps(before, ensure_ascii=False, sort_keys=True),
        after=None if after is None else json.dumps(after, ensure_ascii=False, sort_keys=True),
        actor=actor, recorded=clock.recorded))


def _given(changes: dict[str, Any], what: str) -> dict[str, Any]:
    given = {k: v for k, v in changes.items() if v is not None}
    if not given:
        raise BadInput(said("{what}: nothing to change (give at least one option; see --help)", what=what))
    return given


def update_station(store: Store, station_id: str, changes: dict[str, Any], actor: str, clock: Clock) -> dict[str, Any]:
    store.require()
    given = _given(changes, said("station {station_id}", station_id=station_id))
    with store.transaction() as conn:
        current = conn.execute(select(stations).where(stations.c.id == station_id)).first()
        if current is None:
            raise BadInput(said("unknown station {station_id}", station_id=station_id))
        before = dict(current._mapping)
        merged = {**before, **given}
        after = station_row({**merged, "villages": str(merged["villages"])}, said("station {station_id}", station_id=station_id))
        if after["district"] != before["district"]:
            _check_move(conn, station_id, before["district"], after["district"])
        conn.execute(update(stations).where(stations.c.id == station_id).values(
            **{k: v for k, v in after.items() if k != "id"}))
        _record(conn, "station", station_id, before, after, actor, clock)
    return {"station": station_id, "before": before, "after": after}


def _check_move(conn: Connection, station_id: str, old: str, new: str) -> None:
    """DY-exclusive (东营 art. 22): a contractor runs stations in one district only; moving one of its
    stations out of a district where it runs others would have it run stations in two."""
    open_states = [s.value for s in OPEN_STATES]
    rows = conn.execute(select(projects.c.id, projects.c.rulebook, projects.c.contractor_id)
                        .where(projects.c.station_id == station_id, projects.c.state.in_(open_states),
                               projects.c.contractor_id.is_not(None)))
    for row in rows:
        rules = rulebooks.load(row.rulebook).guards("exclusive")
        if not rules:
            continue
        moved = Project(id=row.id, station=station_id, district=new)
        market = market_for(conn, row.id, row.contractor_id)
        for reason in exclusive_problems(moved, row.contractor_id, market):
            raise Refused(said("station {station_id}: moving it from {old} to {new} refused: project {id}'s contractor {contractor_id}: {reason} ({basis})", station_id=station_id, old=old, new=new, id=row.id, contractor_id=row.contractor_id, reason=reason, basis=rules[0].basis))


def update_contractor(store: Store, contractor_id: str, changes: dict[str, Any], actor: str,
                      clock: Clock) -> dict[str, Any]:
    store.require()
    given = _given(changes, said("contractor {contractor_id}", contractor_id=contractor_id))
    for key in ("name", "credit_code", "district"):   # checked as `contractor add` checks them
        if key in given:
            given[key] = contractor_value(contractor_id, key, given[key])
    if "district" in given:
        given["district"] = given["district"].strip() or None
    with store.transaction() as conn:
        current = conn.execute(select(contractors).where(contractors.c.id == contractor_id)).first()
        if current is None:
            raise BadInput(said("unknown contractor {contractor_id}", contractor_id=contractor_id))
        before = dict(current._mapping)
        after = {**before, **given}
        try:
            with conn.begin_nested():
                conn.execute(update(contractors).where(contractors.c.id == contractor_id).values(**given))
        except IntegrityError:
            raise BadInput(said("contractor {contractor_id}: credit code {get} belongs to another contractor",
                    contractor_id=contractor_id, get=given.get('credit_code'))) from None
        _record(conn, "contractor", contractor_id, before, after, actor, clock)
    return {"contractor": contractor_id, "before": before, "after": after}


def update_contact(store: Store, contact_id: int, changes: dict[str, Any], actor: str, clock: Clock) -> dict[str, Any]:
    store.require()
    given = _given(changes, said("contact {contact_id}", contact_id=contact_id))
    if "name" in given:
        if not given["name"].strip():
            raise BadInput(said("contact {contact_id}: --name is empty", contact_id=contact_id))
        given["name"] = given["name"].strip()
    if "email" in given:
        given["email"] = check_email(given["email"])
    with store.transaction() as conn:
        before = _contact(conn, contact_id)
        conn.execute(update(contacts).where(contacts.c.id == contact_id).values(**given))
        after = {**before, **given}
        _record(conn, "contact", str(contact_id), before, after, actor, clock)
    return {"contact": contact_id, "before": before, "after": after}


def remove_contact(store: Store, contact_id: int, actor: str, clock: Clock) -> dict[str, Any]:
    """The contact leaves the directory (notices already made keep the address they were sent to)."""
    store.require()
    with store.transaction() as conn:
        before = _contact(conn, contact_id)
        conn.execute(delete(contacts).where(contacts.c.id == contact_id))
        _record(conn, "contact", str(contact_id), before, None, actor, clock)
    return {"contact": contact_id, "before": before, "after": None}


def _contact(conn: Connection, contact_id: int) -> dict[str, Any]:
    row = conn.execute(select(contacts).where(contacts.c.id == contact_id)).first()
    if row is None:
        raise BadInput(said("unknown contact {contact_id} (see `lifecycle contact list`)", contact_id=contact_id))
    return dict(row._mapping)


def list_changes(store: Store, kind: str | None = None, ref_id: str | None = None) -> list[dict[str, Any]]:
    """Every change, oldest first: {id, kind, ref, action, before, after, actor, recorded}."""
    store.require()
    query = select(reference_changes).order_by(reference_changes.c.id)
    if kind:
        query = query.where(reference_changes.c.kind == kind)
    if ref_id:
        query = query.where(reference_changes.c.ref_id == ref_id)
    with store.reading() as conn:
        return [{"id": r.id, "kind": r.kind, "ref": r.ref_id, "action": r.action, "before": json.loads(r.before),
                 "after": json.loads(r.after) if r.after else None, "actor": r.actor, "recorded": r.recorded}
                for r in conn.execute(query)]
