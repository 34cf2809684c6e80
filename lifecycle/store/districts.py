"""The districts' side of the store: each district's log, its projection and its duties rows.

As for projects, the log (`district_events`) is the truth, appended and read,
never updated; `districts` and `district_obligations` are its projection,
rebuilt from the log and the district's projects (`lifecycle.core.district`).
"""
from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from lifecycle.core.errors import Conflict
from lifecycle.core.events import Event, stored_data
from lifecycle.store.tables import district_events, district_obligations, districts, projects

_ROW = ("id", "kind", "rule", "basis", "due", "provisional", "status", "met_on", "rulebook", "rulebook_version")


def load_district_events(conn: Connection, name: str) -> list[Event]:
    rows = conn.execute(select(district_events).where(district_events.c.district == name)
                        .order_by(district_events.c.seq))
    return [Event(r.district, r.seq, r.type, r.effective if isinstance(r.effective, date)
                  else date.fromisoformat(r.effective), r.recorded, r.actor, json.loads(r.data), r.prev_hash, r.hash,
                  r.data)
            for r in rows]


def append_district_event(conn: Connection, e: Event) -> None:
    try:
        with conn.begin_nested():
            conn.execute(insert(district_events).values(
                district=e.project, seq=e.seq, type=e.type, effective=e.effective, recorded=e.recorded,
                actor=e.actor, data=stored_data(e.data),
                prev_hash=e.prev_hash, hash=e.hash))
    except IntegrityError:
        raise Conflict(f"district {e.project} changed under this command: its event {e.seq} was recorded by "
                       "another writer first; try again") from None


def district_contributions(conn: Connection, name: str) -> list[tuple[str, str, str, list[dict[str, Any]]]]:
    """(project, rulebook, version, the district duties it gives rise to) of every project of `name`."""
    rows = conn.execute(select(projects.c.id, projects.c.rulebook, projects.c.rulebook_version, projects.c.snapshot)
                        .where(projects.c.district == name).order_by(projects.c.id))
    return [(r.id, r.rulebook, r.rulebook_version, json.loads(r.snapshot).get("district_duties", [])) for r in rows]


def district_names(conn: Connection) -> list[str]:
    """Every district with a projection, a log, or a project."""
    names = {r[0] for r in conn.execute(select(districts.c.name))}
    names |= {r[0] for r in conn.execute(select(district_events.c.district).distinct())}
    names |= {r[0] for r in conn.execute(select(projects.c.district).distinct())}
    return sorted(names)


def load_district(conn: Connection, name: str) -> dict[str, Any] | None:
    row = conn.execute(select(districts.c.snapshot).where(districts.c.name == name)).first()
    return json.loads(row.snapshot) if row else None


def stored_district_rows(conn: Connection, name: str) -> dict[str, dict[str, Any]]:
    rows = conn.execute(select(*(district_obligations.c[k] for k in _ROW)).where(district_obligations.c.district == name))
    return {r.id: {k: (v.isoformat() if isinstance(v, date) else (bool(v) if k == "provisional" else v))
                   for k, v in r._mapping.items()} for r in rows}


def lock_district(conn: Connection, name: str) -> None:
    """Take the district's row (creating it) for this transaction: two writers refreshing one district
    take turns, the second folding what the first committed."""
    touch = update(districts).where(districts.c.name == name).values(head_seq=districts.c.head_seq)
    if conn.execute(touch).rowcount:
        return
    try:
        with conn.begin_nested():
            conn.execute(insert(districts).values(name=name, head_seq=0, snapshot="{}"))
    except IntegrityError:   # another writer created it first: wait for its row
        conn.execute(touch)


def save_district(conn: Connection, snap: dict[str, Any]) -> None:
    """Store a district's projection: its snapshot row and its duties rows (replaced whole)."""
    name = snap["district"]
    text = json.dumps(snap, ensure_ascii=False, sort_keys=True)
    if conn.execute(update(districts).where(districts.c.name == name)
                    .values(head_seq=snap["head_seq"], snapshot=text)).rowcount == 0:
        conn.execute(insert(districts).values(name=name, head_seq=snap["head_seq"], snapshot=text))
    conn.execute(delete(district_obligations).where(district_obligations.c.district == name))
    rows = [dict(district=name, **{k: o[k] for k in _ROW}) for o in snap["obligations"]]
    for row in rows:
        row["due"] = date.fromisoformat(row["due"])
        row["met_on"] = date.fromisoformat(row["met_on"]) if row["met_on"] else None
    if rows:
        conn.execute(insert(district_obligations), rows)


def district_rows(snap: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The rows `save_district` stores for a snapshot, as `stored_district_rows` reads them back."""
    return {o["id"]: {k: o[k] for k in _ROW} for o in snap["obligations"]}
